"""Region layer: facts, aggregates, the region average N and rescoring, report writers."""

from __future__ import annotations

import io
import json
from decimal import Decimal
from pathlib import Path

import pytest

from juesuan.pipeline import sample_path, validate
from juesuan.region import (
    aggregate,
    department_facts,
    failed_facts,
    region_average,
    region_inputs,
    rescore,
)
from juesuan.region.facts import DepartmentFacts
from juesuan.region.report import to_html, to_json, to_xlsx
from juesuan.synth import SynthOptions, write_synth


@pytest.fixture(scope="module")
def analysed(tmp_path_factory: pytest.TempPathFactory) -> list[tuple[str, object, list]]:
    out = tmp_path_factory.mktemp("region")
    paths = list(write_synth(SynthOptions(count=8, seed=3, errors=1), out))
    result = []
    for p in [*paths, sample_path("seed")]:
        analysis, findings = validate(p)
        result.append((str(p), analysis, findings))
    return result


@pytest.fixture(scope="module")
def facts(analysed) -> list[DepartmentFacts]:
    return [department_facts(d, a, f) for d, a, f in analysed if a is not None]


def test_facts_of_the_seed(analysed) -> None:
    display, analysis, findings = analysed[-1]
    f = department_facts(display, analysis, findings)
    assert f.department == "中共遂宁市安居区委目标绩效管理办公室" and f.year == 2024
    assert f.total == Decimal("253.87") and f.basic == Decimal("212.40")
    assert f.sangong == Decimal("0.4610") and f.prior_sangong == Decimal("0.9920")
    assert dict((c, a) for c, _, a in f.by_function)["201"] == Decimal("204.53")
    assert f.score == Decimal("98.6") and f.completion == Decimal("100.00")
    y = dict(f.region_values)["N"]
    assert y.quantize(Decimal("0.01")) == Decimal("-38.00")  # as the seed's report states


def test_aggregate_sums_and_shares(facts: list[DepartmentFacts]) -> None:
    report = aggregate(facts)
    assert report.region == "四川省遂宁市安居区" and report.year == 2024
    assert len(report.departments) == 9 and len(report.with_errors) == 1
    assert report.totals["total"] == sum((f.total for f in facts), Decimal(0))
    assert sum(ln.amount for ln in report.by_function) == report.totals["total"]
    assert sum(ln.share for ln in report.by_function) == Decimal("100.00")
    assert report.totals["basic"] + report.totals["project"] == report.totals["total"]
    assert sum(ln.amount for ln in report.sangong_items) == report.totals["sangong"]
    scores = [r.value for r in report.by_score]
    assert scores == sorted(scores, reverse=True) and report.by_score[0].rank == 1
    assert all(isinstance(v, Decimal) for v in report.totals.values() if v is not None)


def test_aggregate_is_order_independent(facts: list[DepartmentFacts]) -> None:
    assert to_json(aggregate(facts)) == to_json(aggregate(list(reversed(facts))))


def test_completeness_failed_elsewhere_duplicates(facts: list[DepartmentFacts]) -> None:
    other = DepartmentFacts("x.yaml", "ok", department="别处", region="上海市普陀区", year=2024)
    dup = facts[0]
    bad = failed_facts("bad.yaml", "LOAD-005 YAML 语法错误")
    report = aggregate(
        [*facts, other, bad, DepartmentFacts(**{**dup.__dict__, "input": "copy.yaml"})]
    )
    assert [f.input for f in report.failed] == ["bad.yaml"]
    assert [f.department for f in report.elsewhere] == ["别处"]
    assert len(report.duplicates) == 1 and len(report.departments) == 9


def test_outliers_without_reason_come_first() -> None:
    base = dict(status="ok", region="R", year=2024, total=Decimal(100))
    a = DepartmentFacts(
        "a",
        department="甲",
        grand_total=Decimal(200),
        prior_grand_total=Decimal(100),
        reasons=(("income.grand_total", False),),
        **base,
    )
    b = DepartmentFacts(
        "b",
        department="乙",
        grand_total=Decimal(140),
        prior_grand_total=Decimal(100),
        reasons=(("income.grand_total", True),),
        **base,
    )
    c = DepartmentFacts(
        "c", department="丙", grand_total=Decimal(129), prior_grand_total=Decimal(100), **base
    )
    report = aggregate([a, b, c])
    assert [(o.department, o.rate, o.has_reason) for o in report.outliers] == [
        ("甲", Decimal("100.00"), False),
        ("乙", Decimal("40.00"), True),
    ]


def test_region_average_and_ranks_with_ties() -> None:
    assert region_average([Decimal("-4"), Decimal("-5.255")]) == Decimal("-4.63")
    assert region_average([]) is None
    base = dict(status="ok", region="R", year=2024)
    deps = [
        DepartmentFacts(str(i), department=n, score=Decimal(s), **base)
        for i, (n, s) in enumerate([("甲", 90), ("乙", 95), ("丙", 90), ("丁", 80)])
    ]
    ranks = [(r.rank, r.department) for r in aggregate(deps).by_score]
    assert ranks == [(1, "乙"), (2, "丙"), (2, "甲"), (4, "丁")]


def test_region_n_and_rescore_changes(analysed, facts) -> None:
    averages, counts = region_inputs(facts)
    ys = [dict(f.region_values)["N"] for f in facts]
    assert counts["N"] == len(ys) == 9
    assert averages["N"] == region_average(ys)
    changed = 0
    for display, analysis, _ in analysed:
        if analysis is None:
            continue
        r = rescore(display, analysis, {"N": averages["N"]})
        assert r.status == "ok"
        for c in r.changes:
            assert c.key in ("per_capita_assets", "total") and c.stated != c.rescored
        if r.changes:
            changed += 1
            delta = sum(c.rescored - c.stated for c in r.changes if c.key != "total")
            assert r.rescored_total - r.stated_total == delta
    # with the seed's provisional N the stated scores hold; the region's own N moves some
    for display, analysis, _ in analysed[:-1]:
        assert not rescore(display, analysis, {"N": Decimal("-4.63")}).changes
    assert changed >= 1


def test_report_writers(facts: list[DepartmentFacts]) -> None:
    report = aggregate(facts)
    payload = json.loads(to_json(report))
    assert payload["summary"]["departments"] == 9
    assert payload["totals"]["total"] == str(report.totals["total"])
    html = to_html(report)
    assert html.count("data:image/png;base64,") >= 4
    assert "六、“三公”经费" in html and f"{report.region_inputs['N']}%" in html
    assert to_html(report) == html
    data = to_xlsx(report)
    assert data == to_xlsx(report)
    from openpyxl import load_workbook

    ws = load_workbook(io.BytesIO(data)).active
    values = [c for row in ws.iter_rows(values_only=True) for c in row if c is not None]
    assert "三、支出按功能分类（类）" in values


def test_hostile_names_are_escaped() -> None:
    evil = DepartmentFacts(
        "e.yaml",
        "ok",
        department="<script>alert(1)</script>",
        region="R",
        year=2024,
        total=Decimal(1),
        reason="=cmd|' /C calc'!A0",
    )
    report = aggregate([evil])
    assert "<script>" not in to_html(report, with_charts=False)
    from openpyxl import load_workbook

    ws = load_workbook(io.BytesIO(to_xlsx(report))).active
    assert all(
        not (isinstance(c, str) and c.startswith("="))
        for row in ws.iter_rows(values_only=True)
        for c in row
    )


def test_cli_region_report_and_score(analysed, tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from juesuan.cli.app import app

    folder = Path(analysed[0][0]).parent
    runner = CliRunner()
    out = tmp_path / "r.json"
    res = runner.invoke(app, ["region", "report", str(folder), "-o", str(out), "--workers", "0"])
    assert res.exit_code == 0, res.output
    payload = json.loads(out.read_text(encoding="utf-8"))
    assert payload["summary"]["departments"] == 8
    res = runner.invoke(app, ["region", "score", str(folder), "--workers", "0"])
    assert res.exit_code == 0, res.output
    assert "平均值 N =" in res.output and "由8个部门的数据计算" in res.output
    res = runner.invoke(app, ["region", "report", str(folder), "-o", str(tmp_path / "r.pdf")])
    assert res.exit_code != 0 and "报告文件" in res.output
