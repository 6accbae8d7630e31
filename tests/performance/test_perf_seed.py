"""The seed: 附表1 scored by the Sichuan system, both 附表2, and the inconsistencies the seed
prints (group subtotals, 常年项目 41.47 vs 40.73)."""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

import pytest

from juesuan.core.findings import Severity
from juesuan.performance.checks import run_checks
from juesuan.performance.engine import EvaluationResult, score_dataset
from juesuan.pipeline import Analysis, sample_path, validate

D = Decimal
SEED_TEXT = Path(__file__).resolve().parents[3] / "shared" / "seed" / "000_8a99ebaca312e0ad.txt"
SAMPLE = sample_path("seed").read_text(encoding="utf-8").splitlines()
N = {"N": D("-4.63")}


def line_of(needle: str) -> int:
    return next(i for i, line in enumerate(SAMPLE, 1) if needle in line)


@pytest.fixture(scope="module")
def analysis() -> Analysis:
    result, findings = validate(sample_path("seed"))
    assert result is not None, findings
    return result


@pytest.fixture(scope="module")
def scored(analysis: Analysis) -> EvaluationResult:
    return score_dataset(analysis.dataset, analysis.figures, run_inputs=N)


def test_department_stated_and_computed(scored: EvaluationResult) -> None:
    dept = scored.department
    assert dept is not None and dept.system.id == "sichuan-2024-department"
    scores = {s.key: s for s in dept.scores()}
    stated = {k: s.stated for k, s in scores.items() if s.stated is not None}
    assert sum(stated.values(), D(0)) == D("98.6")
    assert dept.total.stated == D("98.6")
    # the engine's own value for every formula, beside the stated one
    computed = {k: s.computed for k, s in scores.items() if s.weight is not None}
    assert computed == {k: D(v) for k, v in stated.items()} | {"budget_quality": D(8)}
    assert scores["budget_quality"].stated == D(7)
    assert dept.total.computed == D("99.60")
    assert dept.total.difference == D("-1.00")


def test_formula_inputs_come_from_the_final_accounts(scored: EvaluationResult) -> None:
    scores = {s.key: s for s in scored.department.scores()}  # type: ignore[union-attr]
    q = {i.name: i for i in scores["budget_quality"].inputs}
    assert q["final"].source == "figure" and q["final"].ref == "general_budget.expenditure.total"
    assert q["final"].value == D("253.87") and q["adjusted_budget"].value == D("253.87")
    y = {i.name: i for i in scores["per_capita_assets"].inputs}
    assert y["N"].source == "run" and y["N"].value == D("-4.63")
    assert y["staff_admin"].source == "dataset" and y["staff_admin"].value == 6
    assert y["staff_admin"].location.line == line_of("actual: {administrative: 6")  # type: ignore[union-attr]
    assert y["prior_assets_net"].illustrative
    assert "人均资产变化率Y = -38.00%" in scores["per_capita_assets"].steps
    p = {i.name: i for i in scores["procurement_execution"].inputs}
    assert p["procurement_paid"].ref == "procurement.total" and p["procurement_paid"].value == D(
        "0.74"
    )
    bal = {i.name: i for i in scores["year_end_balance"].inputs}
    assert bal["carried_over"].ref == "balance.closing.total"


def test_without_n_the_total_is_not_computed(analysis: Analysis) -> None:
    result = score_dataset(analysis.dataset, analysis.figures)
    assert result.department is not None and result.department.total.computed is None
    findings = run_checks(analysis.dataset, analysis.figures, result)
    [f] = [f for f in findings if f.code == "PERF-008"]
    assert f.severity is Severity.INFO and "--input N=" in f.message


def test_projects(scored: EvaluationResult) -> None:
    p1, p2 = scored.projects
    assert p1.total.stated == D("98.5") and p2.total.stated == D(100)
    assert p1.execution.stated == D("8.5") and p1.execution.computed == D(10)
    assert p1.total.computed == D(100) and p2.total.computed == D(100)
    assert p1.stated_grade == "优" and p1.grade == "优"
    assert [s.computed for s in p2.indicators] == [D(30), D(20), D(20), D(20)]
    assert p1.rows[0].rate == D("100.00") and p1.rows[0].final == D("40.73")


def test_seed_findings(analysis: Analysis, scored: EvaluationResult) -> None:
    ds, figs = analysis.dataset, analysis.figures
    findings = run_checks(ds, figs, scored)
    assert not [f for f in findings if f.severity is Severity.ERROR]
    by = {}
    for f in findings:
        by.setdefault(f.code, []).append(f)
    # printed weight subtotals vs the indicator weights
    printed = {re.search(r"「(.+?)（", f.message).group(1): f for f in by["PERF-003"]}  # type: ignore[union-attr]
    assert set(printed) == {"预算管理", "项目执行", "目标实现", "履职效能", "总体绩效", "项目绩效"}
    expected = {
        "预算管理": ("21", "31", "8+9+8+6"),
        "项目执行": ("12", "15", "5+6+4"),
        "目标实现": ("11", "17", "6+6+5"),
        "履职效能": ("19", "10", "10"),
        "总体绩效": ("65", "56", None),
        "项目绩效": ("35", "44", None),
    }
    for name, (shown, total, parts) in expected.items():
        f = printed[name]
        assert f.stated == D(shown) and f.expected == D(total)
        assert f.location.line == line_of(f"      {name}: {shown}")
        if parts:
            assert f"{parts}={total}" in f.message
    # the same weights in the system file (PERF-001), located there
    system_groups = {re.search(r"中「(.+?)」", f.message).group(1) for f in by["PERF-001"]}  # type: ignore[union-attr]
    assert system_groups == set(expected)
    assert all(f.location.file and f.location.file.endswith(".yaml") for f in by["PERF-001"])
    # 常年项目 41.47 in the report vs 40.73 in its table
    [f] = by["PERF-006"]
    assert "41.47" in f.message and "40.73" in f.message
    assert f.stated == D("41.47") and f.expected == D("40.73")
    assert f.location.line == line_of("regular: {count: 1, amount: 41.47")
    # stated ≠ computed: 预算编制质量 7 vs 8, project 1 execution 8.5 vs 10, the totals
    diffs = {(f.stated, f.expected) for f in by["PERF-004"]}
    assert diffs == {
        (D(7), D(8)),
        (D("98.6"), D("99.60")),
        (D("8.5"), D(10)),
        (D("98.5"), D(100)),
    }
    [q] = [f for f in by["PERF-004"] if f.stated == D(7)]
    assert q.location.line == line_of("budget_quality: {stated: 7}")
    # 40.73 + 0.74 = 41.47 = 项目支出; the disclosure's scores match the tables
    assert "PERF-005" not in by and "PERF-007" not in by and "PERF-009" not in by


def test_validate_seed_still_has_no_errors(analysis: Analysis) -> None:
    assert analysis.ok
    perf = [f for f in analysis.findings if f.code.startswith("PERF-")]
    assert {f.code for f in perf} == {"PERF-001", "PERF-003", "PERF-004", "PERF-006", "PERF-008"}


def _norm(text: str) -> str:
    text = re.sub(r"\[bookmark: [^\]]*\]", "", text)
    return re.sub(r"\s+", "", text)


@pytest.mark.skipif(not SEED_TEXT.is_file(), reason="shared seed document not available")
def test_system_texts_are_verbatim(scored: EvaluationResult) -> None:
    seed = _norm(SEED_TEXT.read_text(encoding="utf-8"))
    system = scored.department.system  # type: ignore[union-attr]
    for ind in system.indicators():
        assert _norm(ind.explanation or "") in seed, ind.id
        assert _norm(ind.scoring or "") in seed, ind.id
        for row in ind.printed_rows:
            if ind.rows or ind.weight is not None:
                assert _norm(row) in seed, row
    for _, g, _ in system.walk_groups():
        label = g.name if g.weight is None else f"{g.name}（{g.weight}分）"
        assert _norm(label) in seed, label


def test_disclosure_scores_must_match_the_tables(tmp_path: Path) -> None:
    text = (
        sample_path("seed")
        .read_text(encoding="utf-8")
        .replace("      score: 98.5\n", "      score: 95\n")
    )
    path = tmp_path / "seed.yaml"
    path.write_text(text, encoding="utf-8")
    analysis, _ = validate(path)
    assert analysis is not None and not analysis.ok
    [f] = [f for f in analysis.findings if f.code == "PERF-007"]
    assert f.stated == D(95) and f.expected == D("98.5")
    assert "目标绩效督查营商管理专项" in f.message and "目标绩效督查营商管理经费" in f.message
    assert f.location.line == text.splitlines().index("      score: 95") + 1
