"""``juesuan template`` and ``juesuan convert``: the Excel fill-in workbook.

Mount in :mod:`juesuan.cli.app` with ``app.command()(template)`` and ``app.command()(convert)``.
Heavy imports stay inside the commands.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from juesuan.cli.output import fail

__all__ = ["convert", "template"]

_EXCEL = (".xlsx", ".xlsm", ".xls")


def _write(path: Path, data: bytes) -> None:
    from juesuan.io.safe_write import write_file

    try:
        write_file(path, data)
    except OSError as exc:
        fail(f"无法写入文件 {path}（{exc.strerror or type(exc).__name__}）")


def _xlsx_target(path: Path) -> Path:
    """The workbook to write: ``.xlsx`` (added when ``path`` has no extension)."""
    suffix = path.suffix.lower()
    if suffix == "":
        return path.with_name(path.name + ".xlsx")
    if suffix != ".xlsx":
        fail(f"生成的工作簿是 .xlsx 格式，不能写成 {path.suffix} 文件：请改用 .xlsx 扩展名")
    return path


def template(
    output: Annotated[Path, typer.Option("-o", "--output", help="输出的工作簿（.xlsx）")],
    profile: Annotated[str, typer.Option(help="地区模板（profile），如 sichuan-2024")] = (
        "sichuan-2024"
    ),
) -> None:
    """生成填报用Excel工作簿（含填表说明、各标准表、下拉科目与公式合计）。"""
    from juesuan.excel.workbook import template_bytes
    from juesuan.profiles import available_profiles

    if profile not in available_profiles():
        fail(f"未知的地区模板「{profile}」，可用：{'、'.join(available_profiles())}")
    output = _xlsx_target(output)
    _write(output, template_bytes(profile))
    typer.echo(f"已生成填报工作簿：{output}")


def convert(
    source: Annotated[Path, typer.Argument(help="输入数据文件（YAML 或 Excel 工作簿）")],
    target: Annotated[Path, typer.Argument(help="输出文件（.xlsx 或 .yaml）")],
) -> None:
    """在 YAML 数据文件与 Excel 填报工作簿之间转换。"""
    from juesuan.core.findings import has_errors
    from juesuan.io.safe_write import same_file

    if same_file(source, target):
        fail("输出文件与输入文件是同一个文件，不覆盖输入（请换一个输出文件名）")
    if source.suffix.lower() in _EXCEL:
        from juesuan.excel.workbook import fixed_layout
        from juesuan.io.workbook.loader import load_workbook

        ds, findings = load_workbook(source, fixed_layout)
    else:
        from juesuan.io.yaml_loader import load_yaml

        ds, findings = load_yaml(source)
    for f in findings:
        typer.echo(f.render(), err=True)
    if ds is None or has_errors(findings):
        fail("输入文件有错误，未转换", 1)
    if target.suffix.lower() in (*_EXCEL, ""):
        from juesuan.excel.fill import fill_template

        target = _xlsx_target(target)
        _write(target, fill_template(ds))
    elif target.suffix.lower() in (".yaml", ".yml"):
        from juesuan.excel.yaml_dump import dump_yaml

        _write(target, dump_yaml(ds).encode("utf-8"))
    else:
        fail("输出文件应为 .xlsx 或 .yaml")
    typer.echo(f"已转换：{source} → {target}")
