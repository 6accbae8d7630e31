"""``juesuan check FILE``: check a published disclosure (text, DOCX or PDF).

The lead mounts :func:`check` on the main app (``app.command()(check)``).
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from juesuan.cli.check_early import (
    DEFAULT_ENGINE,
    ENGINE,
    ENGINES,
    HTML,
    JSON,
    quiet_pydantic,
    take,
)


def check(
    file: Annotated[
        Path, typer.Argument(help="要检查的公开文件（.pdf、.docx、.html 网页、.md 或 .txt）")
    ],
    as_json: Annotated[bool, typer.Option(JSON, help="以JSON输出检查结果")] = False,
    html: Annotated[
        Path | None, typer.Option(HTML, help="另存一份HTML检查报告（引用每处问题的原文）")
    ] = None,
    engine: Annotated[
        str, typer.Option(ENGINE, help="PDF文字提取：pdfium（默认，较快）或 pdfplumber")
    ] = DEFAULT_ENGINE,
) -> None:
    """检查已公开的部门决算文件：恢复报表与说明中的数字，报告每处不一致及其位置；有错误时退出码为1。"""
    quiet_pydantic()
    from juesuan.check import ahead
    from juesuan.check.limits import check_file_limited
    from juesuan.check.report import summary, to_html, to_json, to_text

    if engine not in ENGINES:
        typer.echo(f"错误：未知的PDF提取方式「{engine}」，可用：{'、'.join(ENGINES)}", err=True)
        raise typer.Exit(2)
    try:
        # memory limit and time budget; the file is read while the checker loads; the check
        # started before the command line was parsed is used if it checks the same
        report = check_file_limited(file, engine=engine, prepare=ahead.start, started=take())
    except Exception as exc:  # the checker must never show a traceback for bad input
        typer.echo(f"错误：{file}：检查时出错，无法完成（{type(exc).__name__}）", err=True)
        raise typer.Exit(2) from None
    if report.fatal:
        if as_json:
            typer.echo(to_json(report))
        for f in report.fatal:
            typer.echo(f"错误：{f.location.file}：{f.message}", err=True)
        raise typer.Exit(2)
    typer.echo(to_json(report) if as_json else to_text(report))
    if html is not None:
        try:
            html.parent.mkdir(parents=True, exist_ok=True)
            html.write_text(to_html(report), encoding="utf-8")
        except OSError as exc:
            typer.echo(f"错误：无法写入HTML报告 {html}（{exc.strerror}）", err=True)
            raise typer.Exit(2) from None
    typer.echo(summary(report), err=True)
    if not report.ok:
        raise typer.Exit(1)
