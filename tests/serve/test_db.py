"""The database wrapper: writers on one SQLite file queue across processes."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest
from sqlalchemy import text

from juesuan.serve.db import Database


@pytest.fixture
def engines(tmp_path) -> Iterator[tuple[Database, Database]]:  # type: ignore[no-untyped-def]
    """Two Database objects on one SQLite file stand for two server processes (each has
    its own lock file handle, and ``flock`` conflicts between handles)."""
    url = f"sqlite:///{tmp_path / 'w.db'}"
    first, second = Database(url), Database(url)
    with first.write_connection() as conn:
        conn.execute(text("CREATE TABLE t (n INTEGER)"))
    yield first, second
    first.dispose()
    second.dispose()


def _count(db: Database) -> int:
    with db.engine.connect() as conn:
        return conn.scalar(text("SELECT count(*) FROM t"))


def test_sqlite_writers_of_two_engines_take_turns(engines) -> None:  # type: ignore[no-untyped-def]
    """The second writer waits until the first commits, instead of polling SQLite's busy
    handler."""
    first, second = engines
    entered, release, order = threading.Event(), threading.Event(), []

    def hold() -> None:
        with first.write_connection() as conn:
            conn.execute(text("INSERT INTO t VALUES (1)"))
            entered.set()
            release.wait(30)
            order.append("first commits")

    def wait_for_it() -> None:
        entered.wait(30)
        with second.write_connection() as conn:
            order.append("second writes")
            conn.execute(text("INSERT INTO t VALUES (2)"))

    a, b = threading.Thread(target=hold), threading.Thread(target=wait_for_it)
    a.start()
    b.start()
    b.join(0.3)
    assert b.is_alive() and order == []  # still waiting for the first writer
    release.set()
    a.join(30)
    b.join(30)
    assert order == ["first commits", "second writes"]
    with second.write() as session:  # nested writes in one thread do not deadlock
        with second.write_connection() as conn:
            conn.execute(text("INSERT INTO t VALUES (3)"))
        session.execute(text("SELECT 1"))
    assert _count(first) == 3


def test_write_now_only_when_nobody_writes(engines) -> None:  # type: ignore[no-untyped-def]
    first, second = engines
    with first.write_connection_now() as conn:
        assert conn is not None
        conn.execute(text("INSERT INTO t VALUES (1)"))
        with second.write_connection_now() as other:  # another process writes
            assert other is None
    with first.write_connection():
        with first.write_connection_now() as nested:  # this thread writes already
            assert nested is None
    with second.write_connection_now() as conn:
        assert conn is not None
        conn.execute(text("INSERT INTO t VALUES (2)"))
    assert _count(first) == 2
