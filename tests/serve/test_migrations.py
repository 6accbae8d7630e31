"""Alembic: a database made by an older release upgrades in place, keeping its rows."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import text

from juesuan.serve.db import Database, alembic_config, current_revision
from serve_databases import own_database


def test_a_0001_database_upgrades_to_head_with_its_rows(tmp_path: Path) -> None:
    from alembic import command

    with own_database(tmp_path, "migrate") as url:
        db = Database(url)
        try:
            command.upgrade(alembic_config(db.engine), "0001")
            assert current_revision(db.engine) == "0001"
            with db.engine.begin() as conn:
                conn.execute(
                    text("INSERT INTO regions (id, name, created_at) VALUES (1, '旧地区', :t)"),
                    {"t": "2026-01-01 00:00:00"},
                )
                conn.execute(
                    text(
                        "INSERT INTO users (id, name, password_hash, role, active, created_at) "
                        "VALUES (1, 'old-admin', 'x', 'admin', :a, :t)"
                    ),
                    {"a": True, "t": "2026-01-01 00:00:00"},
                )
            db.upgrade()
            assert current_revision(db.engine) == "0002"
            with db.engine.begin() as conn:
                assert conn.scalar(text("SELECT name FROM regions WHERE id = 1")) == "旧地区"
                conn.execute(
                    text(
                        "INSERT INTO deadlines (region_id, year, due, set_by, updated_at) "
                        "VALUES (1, 2024, :d, 1, :t)"
                    ),
                    {"d": "2025-09-30", "t": "2026-01-01 00:00:00"},
                )
                assert conn.scalar(text("SELECT count(*) FROM auth_sessions")) == 0
                assert conn.scalar(text("SELECT count(*) FROM login_failures")) == 0
            db.upgrade()  # idempotent
            assert current_revision(db.engine) == "0002"
            # And back down to 0001, and up again (the downgrade is not a dead end).
            command.downgrade(alembic_config(db.engine), "0001")
            assert current_revision(db.engine) == "0001"
            db.upgrade()
            assert current_revision(db.engine) == "0002"
        finally:
            db.dispose()
