"""A database of its own for a group of service tests: a SQLite file, or a fresh database on the
PostgreSQL server named by ``JUESUAN_TEST_DATABASE_URL`` (dropped afterwards)."""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

TEST_URL_ENV = "JUESUAN_TEST_DATABASE_URL"


@contextmanager
def own_database(folder: Path, label: str) -> Iterator[str]:
    server = os.environ.get(TEST_URL_ENV)
    if not server:
        yield f"sqlite:///{folder / f'{label}.db'}"
        return
    from sqlalchemy import create_engine, make_url, text

    base = make_url(server)
    if base.drivername == "postgresql":
        base = base.set(drivername="postgresql+psycopg")
    name = f"juesuan_{label}_{secrets.token_hex(4)}"
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield base.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(
                text(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                    "WHERE datname = :n AND pid <> pg_backend_pid()"
                ),
                {"n": name},
            )
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
        admin.dispose()
