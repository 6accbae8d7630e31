"""附表1/附表2 as document tables, and the `juesuan score` command."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from juesuan.cli.score import score
from juesuan.compose.evaluation import evaluation_tables
from juesuan.document.grid import place
from juesuan.document.markdown import table_markdown
from juesuan.document.model import FigureRef, Table
from juesuan.document.numbers import NumberStyle
from juesuan.pipeline import sample_path, validate

D = Decimal
app = typer.Typer(add_completion=False, pretty_exceptions_enable=False)
app.command()(score)


@app.command()
def noop() -> None:
    """Keeps `score` a subcommand, as when mounted in juesuan.cli.app."""


runner = CliRunner()


@pytest.fixture(scope="module")
def tables() -> list[Table]:
    analysis, _ = validate(sample_path("seed"))
    assert analysis is not None
    return evaluation_tables(analysis.dataset, analysis.figures, {"N": D("-4.63")})


def _grid_ok(table: Table) -> None:
    rows = [*table.header, *table.rows]
    placed = place(rows, table.columns)
    covered = set()
    for p in placed:
        for dr in range(p.cell.rowspan):
            for dc in range(p.cell.colspan):
                assert (p.row + dr, p.col + dc) not in covered
                covered.add((p.row + dr, p.col + dc))
    assert covered == {(r, c) for r in range(len(rows)) for c in range(table.columns)}


def test_tables_in_the_seed_layout(tables: list[Table]) -> None:
    dept, p1, p2 = tables
    assert (dept.number, dept.title) == ("附表1", "部门整体支出绩效自评表")
    assert p1.title == "部门预算项目支出绩效自评表（2024年度）" and p2.number == "附表2"
    for t in tables:
        _grid_ok(t)
    refs = {c.figure.id: c.figure for row in dept.rows for c in row if c.figure is not None}
    assert refs["perf.department.total"] == FigureRef("perf.department.total", D("98.6"), "分")
    assert refs["perf.department.budget_quality"].value == D(7)  # the stated score is printed
    texts = [c.text for row in dept.rows for c in row]
    # group points are the sums of their indicators' (the system declares 19, 65, 21: PERF-001)
    assert (
        "履职效能（10分）" in texts and "总体绩效（56分）" in texts and "预算管理（31分）" in texts
    )
    assert "督查、督办、督导次数" in texts and "区委区府领导指示事项完成率" in texts
    merged = next(c for row in dept.rows for c in row if c.text == "预算绩效存在问题")
    assert merged.colspan == 2
    refs1 = {c.figure.id: c.figure for row in p1.rows for c in row if c.figure is not None}
    assert refs1["perf.project.0.total"].value == D("98.5")
    assert refs1["perf.project.0.execution.score"].value == D("8.5")
    assert refs1["perf.project.0.execution.total.final"] == FigureRef(
        "perf.project.0.execution.total.final", D("40.73"), "万元"
    )
    texts1 = [c.text for row in p1.rows for c in row]
    assert "51090422T000000280419-目标绩效督查营商管理经费" in texts1
    assert "项目负责人：黄浩" in texts1 and "财务负责人：陈稀文" in texts1
    md = "\n".join(table_markdown(p2, NumberStyle()))
    assert "信创项目资金" in md and "| 100 |" in md


def test_score_seed_sample() -> None:
    result = runner.invoke(app, ["score", "--sample", "seed", "--input", "N=-4.63"])
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "预算编制质量｜分值 8｜计算 8｜自评 7｜差异 -1 ≠" in out
    assert "合计｜分值 100｜计算 99.6｜自评 98.6" in out
    assert "运行参数：N=-4.63" in out and "N = -4.63%（运行参数）" in out
    assert "合计｜分值 100｜计算 100｜自评 98.5" in out
    assert "PERF-006" in out and "41.47" in out


def test_score_without_n_and_as_json() -> None:
    result = runner.invoke(app, ["score", "--sample", "seed", "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["department"]["total"]["computed"] is None
    assert data["department"]["total"]["stated"] == "98.6"
    assert [p["total"]["stated"] for p in data["projects"]] == ["98.5", "100"]
    assert any(f["code"] == "PERF-008" and "--input N=" in f["message"] for f in data["findings"])


def test_score_with_another_system() -> None:
    result = runner.invoke(app, ["score", "--sample", "seed", "--system", "common-2020-department"])
    assert result.exit_code == 0, result.output
    assert "在职人员控制率｜分值 6｜计算 6" in result.stdout


@pytest.mark.parametrize(
    ("args", "code", "fragment"),
    [
        (["score", "--sample", "seed", "--input", "N"], 2, "名称=数值"),
        (["score", "--sample", "seed", "--input", "N=abc"], 2, "不是有效的数字"),
        (["score", "--sample", "nope"], 2, "未知的样例"),
        (["score"], 2, "请指定数据文件"),
        (["score", "--sample", "seed", "--system", "nosuch"], 1, "PERF-101"),
        (["score", "--sample", "putuo"], 1, "没有绩效自评"),
    ],
)
def test_score_bad_input_never_tracebacks(args: list[str], code: int, fragment: str) -> None:
    result = runner.invoke(app, args)
    assert result.exit_code == code, result.output
    assert fragment in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)


def test_score_bad_file(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("department: [unclosed\n", encoding="utf-8")
    result = runner.invoke(app, ["score", str(bad)])
    assert result.exit_code == 1 and "LOAD-005" in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)


def test_score_error_findings_exit_nonzero(tmp_path: Path) -> None:
    text = (
        sample_path("seed")
        .read_text(encoding="utf-8")
        .replace("department_score: 98.6", "department_score: 96.8")
    )
    path = tmp_path / "seed.yaml"
    path.write_text(text, encoding="utf-8")
    result = runner.invoke(app, ["score", str(path)])
    assert result.exit_code == 1
    assert "PERF-007" in result.output and "96.8" in result.output and "98.6" in result.output
