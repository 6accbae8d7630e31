"""``juesuan db upgrade``, ``juesuan user add``, the demo set-up, and the migrations."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from juesuan.cli.app import app
from juesuan.serve.config import Settings
from juesuan.serve.db import Database, current_revision
from juesuan.serve.services.context import ServiceContext

runner = CliRunner()


@pytest.fixture
def env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("JUESUAN_HOME", str(tmp_path / "home"))
    monkeypatch.delenv("JUESUAN_DATABASE_URL", raising=False)
    monkeypatch.delenv("JUESUAN_SECRET_KEY", raising=False)
    return tmp_path / "home"


def test_db_upgrade_is_idempotent_on_the_embedded_default(env: Path) -> None:
    for _ in range(2):
        r = runner.invoke(app, ["db", "upgrade"])
        assert r.exit_code == 0, r.output
        assert "最新版本：0002" in r.output
    assert (env / "juesuan.db").is_file() and (env / "secret.key").is_file()
    db = Database(f"sqlite:///{env / 'juesuan.db'}")
    with db.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
    db.dispose()


def test_user_add(env: Path) -> None:
    url = f"sqlite:///{env / 'other.db'}"
    r = runner.invoke(
        app,
        ["user", "add", "张三", "--role", "admin", "--password-stdin", "--database", url],
        input="長い密码-123\n",
    )
    assert r.exit_code == 0, r.output
    assert "已新增用户「张三」：管理员" in r.output
    again = runner.invoke(
        app,
        ["user", "add", "张三", "--role", "admin", "--password-stdin", "--database", url],
        input="another-password\n",
    )
    assert again.exit_code == 2 and "已存在" in again.output
    no_dept = runner.invoke(
        app,
        ["user", "add", "李四", "--role", "preparer", "--password-stdin", "--database", url],
        input="long-enough-1\n",
    )
    assert no_dept.exit_code == 2 and "必须指定部门" in no_dept.output
    short = runner.invoke(
        app,
        ["user", "add", "王五", "--role", "admin", "--password-stdin", "--database", url],
        input="short\n",
    )
    assert short.exit_code == 2 and "至少8个字符" in short.output
    assert (
        runner.invoke(app, ["user", "add", "赵六", "--role", "admin", "--database", url]).exit_code
        == 2
    )
    bad = runner.invoke(app, ["db", "upgrade", "--database", "mysql://nobody/none"])
    assert bad.exit_code == 2 and "无法打开数据库" in bad.output and "Traceback" not in bad.output


def test_demo(env: Path, database_url: str) -> None:
    from juesuan.serve.demo import DEPARTMENTS, setup_demo
    from juesuan.serve.services import datasets, sessions

    settings = Settings.from_environment(f"sqlite:///{env / 'demo.db'}", home=env)
    ctx = ServiceContext.create(settings, Database(settings.database_url))
    ctx.db.upgrade()
    accounts = setup_demo(ctx)
    assert [a.role for a in accounts] == ["admin", "reviewer", "preparer"]
    assert len({a.password for a in accounts}) == 3
    again = setup_demo(ctx)  # a second start reuses everything, with new passwords
    assert {a.password for a in again}.isdisjoint({a.password for a in accounts})
    token, _ = sessions.sign_in(ctx, "preparer", again[2].password, "127.0.0.1")
    actor = sessions.actor_from_token(ctx, token, "127.0.0.1")
    view = datasets.disclosure(ctx, actor, DEPARTMENTS[0][0], 2024)
    assert view.current_version == 1 and view.versions[0].errors == 0
    admin = sessions.actor_from_token(
        ctx, sessions.sign_in(ctx, "admin", again[0].password, "x")[0], "x"
    )
    putuo = datasets.disclosure(ctx, admin, DEPARTMENTS[1][0], 2024)
    assert [v.number for v in putuo.versions] == [1] and putuo.versions[0].status == "accepted"
    ctx.db.dispose()


def test_migrations_match_the_models(database: Database) -> None:
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    from juesuan.serve.models import Base

    with database.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    assert diff == []
    assert current_revision(database.engine) == "0002"
