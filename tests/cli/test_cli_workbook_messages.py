"""A clerk's workbook through the CLI: every message names sheet!cell (never a rule's internal
table name), and ``--force`` is offered only where it helps (incomplete data, not bad cells)."""

from __future__ import annotations

import io
import re
from pathlib import Path

import openpyxl
from typer.testing import CliRunner

from juesuan.cli.app import app
from juesuan.excel.workbook import template_bytes

runner = CliRunner()
CELL = re.compile(r"；[^；：]+![A-Z]+\d+：")


def _workbook(tmp_path: Path, cells: dict[tuple[str, str], object]) -> Path:
    wb = openpyxl.load_workbook(io.BytesIO(template_bytes("sichuan-2024")))
    for (sheet, cell), value in cells.items():
        wb[sheet][cell] = value
    path = tmp_path / "填报.xlsx"
    wb.save(path)
    return path


BASIC = {
    ("部门信息", "C6"): "测试局",
    ("部门信息", "C8"): "某市",
    ("部门信息", "C9"): 2024,
    ("支出决算表", "A6"): "2010301",
    ("支出决算表", "D6"): 100,
}


def test_incomplete_workbook_messages_name_cells_and_offer_force(tmp_path: Path) -> None:
    result = runner.invoke(app, ["build", str(_workbook(tmp_path, BASIC)), "-o", str(tmp_path)])
    assert result.exit_code == 1
    lines = [ln for ln in result.output.splitlines() if ln.startswith("[")]
    assert lines
    for line in lines:
        assert CELL.search(line), line
        assert "表「" not in line and "应写在" not in line and "顶层" not in line, line
    assert "--force" in result.output


def test_bad_cell_does_not_offer_force(tmp_path: Path) -> None:
    cells = {**BASIC, ("收入决算表", "A6"): "2010301", ("收入决算表", "D6"): "一百"}
    result = runner.invoke(app, ["build", str(_workbook(tmp_path, cells)), "-o", str(tmp_path)])
    assert result.exit_code == 1
    assert "收入决算表!D6" in result.output
    assert "--force" not in result.output


def test_forced_build_of_incomplete_workbook_is_a_draft(tmp_path: Path) -> None:
    out = tmp_path / "out"
    args = ["build", str(_workbook(tmp_path, BASIC)), "-o", str(out), "--format", "md,json"]
    assert runner.invoke(app, args).exit_code == 1
    assert not out.exists()
    assert runner.invoke(app, [*args, "--force"]).exit_code == 0
    md = next(out.glob("*.md")).read_text("utf-8")
    assert md.startswith("**草稿")
