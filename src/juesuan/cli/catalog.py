"""`juesuan catalog ...`: import, show and list the classification catalogs (分类科目目录)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from juesuan.catalog.catalogs import (
    SCHEME_LABELS,
    SCHEMES,
    Catalog,
    Catalogs,
    level_of,
    load_catalogs,
    scheme_of,
)
from juesuan.catalog.importer import import_catalog
from juesuan.core.findings import Finding, JuesuanError, Severity

catalog_app = typer.Typer(help="分类科目目录", no_args_is_help=True)

MAX_FINDINGS_SHOWN = 100


def _echo_findings(findings: list[Finding]) -> None:
    order = {Severity.ERROR: 0, Severity.WARNING: 1, Severity.INFO: 2}
    ranked = sorted(findings, key=lambda f: order[f.severity])
    for finding in ranked[:MAX_FINDINGS_SHOWN]:
        typer.echo(finding.render(), err=True)
    if len(ranked) > MAX_FINDINGS_SHOWN:
        typer.echo(f"……另有 {len(ranked) - MAX_FINDINGS_SHOWN} 条提示未显示", err=True)


def _fail(message: str) -> typer.Exit:
    typer.echo(message, err=True)
    return typer.Exit(code=1)


def _check_scheme(scheme: str | None) -> None:
    if scheme is not None and scheme not in SCHEMES:
        raise _fail(
            f"未知的分类方案「{scheme}」：应为 functional（支出功能分类）或 economic（经济分类）"
        )


def _load(year: int) -> Catalogs:
    try:
        return load_catalogs(year)
    except JuesuanError as exc:
        _echo_findings(exc.findings)
        raise _fail("分类科目目录读取失败") from None


def _describe_catalog(catalog: Catalog, requested_year: int) -> str:
    label = SCHEME_LABELS[catalog.scheme]
    if len(catalog) == 0:
        return f"{label}：没有可用的目录"
    origin = "内置目录" if catalog.origin == "bundled" else f"导入的目录 {catalog.origin}"
    if catalog.imported_from:
        origin += f"（导入自 {catalog.imported_from}）"
    text = f"{label}：{catalog.year} 年{origin}，共 {len(catalog)} 个科目"
    if not catalog.complete:
        text += "；目录不完整，目录中没有的编码只作警告"
    if catalog.year != requested_year:
        text += f"；没有 {requested_year} 年的目录，使用了 {catalog.year} 年的目录"
    return text


YearOption = Annotated[int, typer.Option("--year", "-y", help="目录年度")]


@catalog_app.command("import")
def import_command(
    file: Annotated[Path, typer.Argument(help="官方分类科目表（xlsx、xls、ods 或 csv）")],
    year: YearOption,
    incomplete: Annotated[
        bool, typer.Option("--incomplete", help="文件不是完整目录（目录中没有的编码只作警告）")
    ] = False,
    scheme: Annotated[
        str | None,
        typer.Option("--scheme", help="只导入 functional（支出功能分类）或 economic（经济分类）"),
    ] = None,
) -> None:
    """导入当年官方的政府收支分类科目表。"""
    _check_scheme(scheme)
    result = import_catalog(file, year, complete=not incomplete, scheme=scheme)
    _echo_findings(result.findings)
    if not result.ok:
        raise _fail(f"导入失败：{file} 未导入，原有目录未改动")
    for name, path in result.written.items():
        counts = result.counts[name]
        parts = "、".join(f"{level} {n} 个" for level, n in counts.items())
        state = "完整目录" if not incomplete else "不完整目录"
        typer.echo(f"已导入 {year} 年{SCHEME_LABELS[name]}科目（{state}）：{parts}；保存于 {path}")


@catalog_app.command("show")
def show_command(
    code: Annotated[str, typer.Argument(help="科目编码，如 2013101 或 30101")],
    year: YearOption,
) -> None:
    """显示一个科目编码的名称及其上级科目。"""
    code = code.strip()
    scheme = scheme_of(code)
    if scheme is None:
        raise _fail(
            f"「{code}」不是有效的科目编码：支出功能分类为 2 开头的 3/5/7 位数字，"
            "部门预算支出经济分类为 3 开头的 3/5 位数字"
        )
    catalogs = _load(year)
    catalog = catalogs.by_scheme(scheme)
    if catalog.year != year:
        typer.echo(f"没有 {year} 年的目录，使用了 {catalog.year} 年的目录", err=True)
    entry = catalog.get(code)
    for parent in catalog.parents(code):
        name = catalog.name(parent) or "（目录中没有）"
        typer.echo(f"{parent}  {name}（{level_of(parent, scheme)}）")
    if entry is None:
        note = "" if catalog.complete else "（内置目录不完整，找不到不一定表示编码无效）"
        raise _fail(f"{catalog.year} 年{SCHEME_LABELS[scheme]}目录中没有编码 {code}{note}")
    typer.echo(f"{entry.code}  {entry.name}（{entry.level}）")
    typer.echo(f"来源：{entry.source}")


@catalog_app.command("list")
def list_command(
    year: YearOption,
    scheme: Annotated[
        str | None,
        typer.Option("--scheme", help="只列出 functional（支出功能分类）或 economic（经济分类）"),
    ] = None,
) -> None:
    """列出某年度的分类科目目录。"""
    _check_scheme(scheme)
    catalogs = _load(year)
    for name in (scheme,) if scheme else SCHEMES:
        catalog = catalogs.by_scheme(name)
        typer.echo(_describe_catalog(catalog, year))
        for entry in catalog:
            indent = "  " * "类款项".index(entry.level)
            typer.echo(f"{indent}{entry.code}  {entry.name}")
