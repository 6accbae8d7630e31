"""``juesuan serve``, ``juesuan db upgrade``, ``juesuan user add``: the service's commands."""

from __future__ import annotations

import os
import sys
from typing import Annotated

import typer

from juesuan.cli.output import fail

DB_HELP = "数据库地址，如 postgresql+psycopg://用户@主机/库；不填用 JUESUAN_DATABASE_URL 或主目录下的 SQLite 文件"

db_app = typer.Typer(
    help="服务数据库。", no_args_is_help=True, add_completion=False, rich_markup_mode=None
)
user_app = typer.Typer(
    help="服务用户。", no_args_is_help=True, add_completion=False, rich_markup_mode=None
)


def _context(database: str | None):  # type: ignore[no-untyped-def]
    from juesuan.serve.config import Settings
    from juesuan.serve.db import Database
    from juesuan.serve.services.context import ServiceContext

    try:
        settings = Settings.from_environment(database)
        db = Database(settings.database_url)
        db.upgrade()
    except Exception as exc:  # unreachable server, bad URL, no permission …
        fail(f"无法打开数据库：{_describe(exc)}")
    return ServiceContext.create(settings, db)


def _describe(exc: Exception) -> str:
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return text[:300]


def serve(
    host: Annotated[str, typer.Option(help="监听地址")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="端口")] = 8000,
    database: Annotated[str | None, typer.Option(help=DB_HELP)] = None,
    demo: Annotated[
        bool, typer.Option(help="建立演示地区（两个内置样例部门）和演示用户，并打印其密码")
    ] = False,
    workers: Annotated[
        int,
        typer.Option(
            help="工作进程数；0 表示自动（有 2 个以上 CPU 时 2 个；内存中的 SQLite 只能 1 个）",
            min=0,
            max=32,
        ),
    ] = 0,
) -> None:
    """启动决算公开服务（JSON API 在 /api/v1，接口文档在 /api/docs）。"""
    import uvicorn

    from juesuan.serve.api.app import create_app

    ctx = _context(database)
    if demo:
        from juesuan.serve.demo import setup_demo

        accounts = setup_demo(ctx)
        print("演示账户（密码每次启动重新生成）：")
        for a in accounts:
            print(f"  {a.name:<10} 角色 {a.role:<9} 范围 {a.scope:<14} 密码 {a.password}")
    url = ctx.settings.database_url
    count = worker_count(url, workers)
    shown = url.split("@")[-1] if "@" in url else url
    print(f"数据库：{shown}；工作进程：{count}")
    print(f"服务地址：http://{host}:{port}/   接口文档：http://{host}:{port}/api/docs")
    if count == 1:
        app = create_app(ctx.settings, ctx.db, upgrade=False)
        uvicorn.run(app, host=host, port=port, log_level="warning")
        return
    # Several processes share the listening socket; each builds the app from the same
    # settings (the environment), and they share everything else through the database.
    ctx.db.dispose()
    os.environ.update({"JUESUAN_HOME": str(ctx.settings.home), "JUESUAN_DATABASE_URL": url})
    uvicorn.run(
        "juesuan.serve.asgi:create",
        factory=True,
        host=host,
        port=port,
        workers=count,
        log_level="warning",
    )


def worker_count(url: str, requested: int) -> int:
    """``requested``, or automatically 2 when there are two CPUs; one process for an
    in-memory SQLite database (each process would have its own)."""
    from sqlalchemy import make_url

    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite" and parsed.database in (None, "", ":memory:"):
        return 1
    if requested:
        return requested
    return max(1, min(2, os.cpu_count() or 1))


@db_app.command("upgrade")
def upgrade(database: Annotated[str | None, typer.Option(help=DB_HELP)] = None) -> None:
    """把数据库结构升级到最新（可重复运行）。"""
    from juesuan.serve.db import current_revision

    ctx = _context(database)
    print(f"数据库结构已是最新版本：{current_revision(ctx.db.engine)}")


@user_app.command("add")
def add_user(
    name: Annotated[str, typer.Argument(help="用户名")],
    role: Annotated[
        str, typer.Option(help="preparer（填报人）、reviewer（审核人）或 admin（管理员）")
    ],
    department: Annotated[str | None, typer.Option(help="填报人所属部门编码")] = None,
    region: Annotated[str | None, typer.Option(help="审核人负责的地区名称")] = None,
    password_stdin: Annotated[
        bool, typer.Option("--password-stdin", help="从标准输入读取密码")
    ] = False,
    database: Annotated[str | None, typer.Option(help=DB_HELP)] = None,
) -> None:
    """新增服务用户（密码从标准输入读取，不出现在命令行里）。"""
    from juesuan.serve.errors import ServiceError
    from juesuan.serve.services.organisation import create_user

    if not password_stdin:
        fail("请用 --password-stdin 从标准输入提供密码")
    password = sys.stdin.readline().rstrip("\r\n")
    ctx = _context(database)
    try:
        view = create_user(ctx, None, name, role, password, department, region)
    except ServiceError as exc:
        fail(exc.message)
    scope = view.department or view.region or "全部"
    print(f"已新增用户「{view.name}」：{view.role_label}，范围 {scope}")


def register(app: typer.Typer) -> None:
    app.command()(serve)
    app.add_typer(db_app, name="db")
    app.add_typer(user_app, name="user")
