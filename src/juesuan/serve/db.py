"""Engine, sessions and migrations for SQLite (default, WAL mode) and PostgreSQL."""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import Connection, Engine, create_engine, event, make_url
from sqlalchemy.orm import Session, sessionmaker

MIGRATIONS = Path(__file__).parent / "migrations"


def make_engine(url: str, schema: str | None = None) -> Engine:
    """An engine for ``url``. ``schema`` (PostgreSQL only) puts every table in that schema
    via the search path; the tests use it to run against a fresh schema."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        database = parsed.database
        if database and database != ":memory:":
            Path(database).expanduser().parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"timeout": 30}, pool_size=20, max_overflow=20)

        @event.listens_for(engine, "connect")
        def _pragmas(dbapi_conn, _record) -> None:  # type: ignore[no-untyped-def]
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA synchronous=NORMAL")  # safe against a killed process in WAL mode
            cur.execute("PRAGMA foreign_keys=ON")
            cur.execute("PRAGMA busy_timeout=30000")
            cur.close()

        return engine
    if parsed.get_backend_name() == "postgresql":
        if parsed.drivername == "postgresql":
            parsed = parsed.set(drivername="postgresql+psycopg")
        connect_args = {"options": f"-csearch_path={schema}"} if schema else {}
        return create_engine(
            parsed, connect_args=connect_args, pool_size=10, max_overflow=30, pool_pre_ping=True
        )
    raise ValueError(f"不支持的数据库：{parsed.get_backend_name()}（可用 SQLite 或 PostgreSQL）")


class Database:
    """The engine plus two ways in: ``read()`` and ``write()``.

    On SQLite there is one writer at a time: ``write()`` holds a process-wide lock for the
    whole transaction, so a transaction that read a snapshot never has to upgrade to a write
    lock after another writer committed (which SQLite refuses). Readers never wait (WAL).
    Between processes (``juesuan serve`` runs one per core) writers queue on an exclusive
    ``flock`` of a file beside the database: a waiting writer wakes as soon as the other
    commits, where SQLite's own busy handler would poll with sleeps of 1, 2, 5, 10 … ms.
    PostgreSQL needs no such lock; the services use row locks and conditional updates."""

    def __init__(self, url: str, schema: str | None = None) -> None:
        self.url = url
        self.engine = make_engine(url, schema)
        self.is_sqlite = self.engine.dialect.name == "sqlite"
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)
        self._write_lock = threading.RLock()
        self._lock_path: Path | None = None
        self._lock_fd: int | None = None
        self._lock_depth = 0
        database = make_url(url).database if self.is_sqlite else None
        if database and database != ":memory:" and not database.startswith("file:"):
            self._lock_path = (
                Path(database).expanduser().with_name(Path(database).name + "-writelock")
            )

    @contextmanager
    def _sqlite_writer(self) -> Iterator[None]:
        """This thread is the only writer of this process, and this process of all."""
        with self._write_lock:
            if self._lock_path is None or self._lock_depth:  # in-memory, or nested
                self._lock_depth += 1
                try:
                    yield
                finally:
                    self._lock_depth -= 1
                return
            self._flock(wait=True)
            self._lock_depth = 1
            try:
                yield
            finally:
                self._lock_depth = 0
                self._unflock()

    @contextmanager
    def write_connection_now(self) -> Iterator[Connection | None]:
        """Like :meth:`write_connection`, but only when it can start at once: SQLite whose
        write lock no thread and no other process holds. Otherwise (or on PostgreSQL,
        where a write is a round trip to the server) it yields None, and the caller takes
        the usual path in a worker thread. For short writes from the event loop."""
        if not self.is_sqlite or not self._write_lock.acquire(blocking=False):
            yield None
            return
        try:
            if self._lock_depth or not self._flock(wait=False):
                yield None
                return
            self._lock_depth = 1
            try:
                with self.engine.begin() as conn:
                    yield conn
            finally:
                self._lock_depth = 0
                self._unflock()
        finally:
            self._write_lock.release()

    def _flock(self, *, wait: bool) -> bool:
        """Take the other processes' write lock (waiting for it, or only if it is free)."""
        if self._lock_path is None:
            return True
        import fcntl

        if self._lock_fd is None:
            self._lock_fd = os.open(self._lock_path, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(self._lock_fd, fcntl.LOCK_EX if wait else fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return False
        return True

    def _unflock(self) -> None:
        if self._lock_fd is not None:
            import fcntl

            fcntl.flock(self._lock_fd, fcntl.LOCK_UN)

    @contextmanager
    def read(self) -> Iterator[Session]:
        with self._sessions() as session:
            yield session

    @contextmanager
    def write(self) -> Iterator[Session]:
        """A session in a transaction, committed at the end (rolled back on an exception)."""
        if self.is_sqlite:
            with self._sqlite_writer(), self._sessions() as session, session.begin():
                yield session
        else:
            with self._sessions() as session, session.begin():
                yield session

    @contextmanager
    def write_connection(self) -> Iterator[Connection]:
        """A Core connection in a transaction (for plain INSERTs), same locking as
        :meth:`write`."""
        if self.is_sqlite:
            with self._sqlite_writer(), self.engine.begin() as conn:
                yield conn
        else:
            with self.engine.begin() as conn:
                yield conn

    def upgrade(self) -> None:
        upgrade(self.engine)

    def dispose(self) -> None:
        self.engine.dispose()
        if self._lock_fd is not None:
            os.close(self._lock_fd)
            self._lock_fd = None


def alembic_config(engine: Engine):  # type: ignore[no-untyped-def]
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.attributes["engine"] = engine
    return cfg


def upgrade(engine: Engine) -> None:
    """Bring the schema to the newest migration (idempotent)."""
    from alembic import command

    command.upgrade(alembic_config(engine), "head")


def current_revision(engine: Engine) -> str | None:
    from alembic.runtime.migration import MigrationContext

    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()
