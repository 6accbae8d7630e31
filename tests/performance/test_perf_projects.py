"""Project self-evaluation per 财预〔2020〕10号 and its checks."""

from __future__ import annotations

from decimal import Decimal

import pytest

from conftest import BASE, run
from juesuan.core.findings import Severity
from juesuan.performance.checks import run_checks
from juesuan.performance.engine import score_dataset
from juesuan.performance.project import grade, number_in

D = Decimal

PROJECT = """\
evaluation:
  narrative:
    regular: {count: 1, amount: 20.00}
  projects:
    - name: 测试项目经费
      kind: 常年
      execution:
        total: {initial_budget: 25.00, adjusted_budget: 20.00, final: 16.00, rate: 80.00}
        fiscal: {initial_budget: 25.00, adjusted_budget: 20.00, final: 16.00, rate: 80.00}
        stated: 8
      indicators:
        - {level1: 产出指标, level2: 数量指标, name: 检查次数, nature: "≥", target: 10, unit: 次, actual: 8, weight: 30, stated: 24}
        - {level1: 产出指标, level2: 时效指标, name: 完成时间, nature: "≤", target: 30, unit: 天, actual: 40, weight: 20, stated: 15}
        - {level1: 效益指标, level2: 社会效益指标, name: 作用, nature: 定性, target: 明显, actual: 一般, achievement: 部分达成, fraction: 0.7, weight: 20, stated: 14}
        - {level1: 满意度指标, level2: 服务对象满意度指标, name: 满意度, nature: ">=", target: 90%, unit: "%", actual: 95%, weight: 20, stated: 20}
      total: 81
"""


def _scored(text: str):
    analysis, findings = run(BASE.replace("basic: 100.00}", "basic: 80.00, project: 20.00}") + text)
    assert analysis is not None, [f.render() for f in findings]
    ds, figs = analysis.dataset, analysis.figures
    result = score_dataset(ds, figs)
    return ds, figs, result, run_checks(ds, figs, result)


def test_project_scoring() -> None:
    _, _, result, findings = _scored(PROJECT)
    [p] = result.projects
    assert p.execution.computed == D(8)  # 16 / 20 × 10
    assert [s.computed for s in p.indicators] == [D(24), D(15), D(14), D(20)]
    assert p.total.computed == D(81) and p.total.stated == D(81) and p.grade == "良"
    assert any("按年初预算25.00计，执行率为64.00%" in s for s in p.execution.steps)
    assert not [f for f in findings if f.severity is Severity.ERROR], [f.render() for f in findings]
    assert "PERF-004" not in {f.code for f in findings}


def test_project_checks() -> None:
    text = PROJECT.replace("stated: 24}", "stated: 31}").replace(
        "rate: 80.00}\n        stated", "rate: 85.00}\n        stated"
    )
    text = text.replace(
        "fiscal: {initial_budget: 25.00, adjusted_budget: 20.00, final: 16.00",
        "fiscal: {initial_budget: 25.00, adjusted_budget: 20.00, final: 15.00",
    )
    *_, findings = _scored(text)
    by = {}
    for f in findings:
        by.setdefault(f.code, []).append(f)
    [over] = by["PERF-002"]  # 31 > weight 30
    assert over.stated == D(31) and over.severity is Severity.ERROR
    assert {f.severity for f in by["PERF-009"]} == {Severity.ERROR, Severity.WARNING}
    assert any("15" in f.message and "16" in f.message for f in by["PERF-009"])
    assert any(f.stated == D(31) and f.expected == D(24) for f in by["PERF-004"])
    assert any("列示合计81分" in f.message for f in by["PERF-003"])  # 8 + 31 + 15 + 14 + 20 = 88


def test_project_execution_against_final_accounts_and_narrative() -> None:
    text = PROJECT.replace(
        "final: 16.00, rate: 80.00}\n        fiscal", "final: 18.00, rate: 90.00}\n        fiscal"
    )
    text = text.replace("regular: {count: 1, amount: 20.00}", "regular: {count: 2, amount: 25.00}")
    _, _, _, findings = _scored(text)
    [f5] = [f for f in findings if f.code == "PERF-005"]
    assert f5.stated == D(18) and f5.expected == D(20) and "20" in f5.message
    f6 = [f for f in findings if f.code == "PERF-006"]
    assert {(f.stated, f.expected) for f in f6} == {(D(2), D(1)), (D(25), D(20))}


def test_zero_budget_and_unreadable_values_are_reported() -> None:
    text = PROJECT.replace(
        "adjusted_budget: 20.00, final: 16.00, rate: 80.00}\n        fiscal",
        "adjusted_budget: 0, final: 16.00}\n        fiscal",
    )
    text = text.replace("actual: 8, weight: 30", "actual: 若干, weight: 30")
    text = text.replace("achievement: 部分达成, fraction: 0.7, ", "")
    _, _, result, findings = _scored(text)
    [p] = result.projects
    assert p.execution.computed is None
    assert "除数为零" in p.execution.problems[0].message
    assert p.indicators[0].computed is None and "不是数字" in p.indicators[0].problems[0].message
    assert p.indicators[2].computed is None and "achievement" in p.indicators[2].problems[0].message
    assert p.total.computed is None and p.grade is None
    messages = [f.message for f in findings if f.code == "PERF-008"]
    assert len(messages) == 3 and all(f.location.line for f in findings if f.code == "PERF-008")


def test_fraction_outside_its_band() -> None:
    _, _, result, _ = _scored(PROJECT.replace("fraction: 0.7", "fraction: 0.9"))
    [p] = result.projects
    assert [x.code for x in p.indicators[2].problems] == ["fraction_out_of_band"]


@pytest.mark.parametrize(
    ("score", "expected"),
    [
        ("100", "优"),
        ("90", "优"),
        ("89.99", "良"),
        ("80", "良"),
        ("79.99", "中"),
        ("60", "中"),
        ("59.99", "差"),
        ("0", "差"),
    ],
)
def test_grades(score: str, expected: str) -> None:
    assert grade(D(score)) == expected


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("≥12", D(12)),
        ("≥530", D(530)),
        ("100%", D(100)),
        ("600余", D(600)),
        ("１２", D(12)),
        ("按时", None),
        ("1,200", D(1200)),
    ],
)
def test_numbers_in_indicator_values(text: str, value: Decimal | None) -> None:
    assert number_in(text) == value


def test_bad_evaluation_data_is_a_located_load_finding() -> None:
    text = BASE + PROJECT.replace('nature: "≤"', 'nature: "约等于"')
    analysis, findings = run(text)
    assert analysis is None
    [f] = findings
    assert (
        f.code == "LOAD-107"
        and f.location.line
        == text.splitlines().index(next(line for line in text.splitlines() if "约等于" in line)) + 1
    )
    assert "指标性质" in f.message
