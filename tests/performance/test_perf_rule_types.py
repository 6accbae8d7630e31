"""Every rule type at its boundaries."""

from __future__ import annotations

from decimal import Decimal

import pytest
from perf_helpers import dataset, one, system

from juesuan.core.findings import Severity
from juesuan.performance.checks import run_checks
from juesuan.performance.engine import score_dataset

D = Decimal

# The seed's 人均资产变化率 rule: N is negative, so N < 0.8N < 0.5N.
PER_CAPITA = system("""\
    - id: per_capita
      name: 人均资产变化率
      weight: 3
      rule:
        type: bands
        label: Y
        unit: "%"
        value: Y
        bands:
          - {upper: N, upper_inclusive: true, score: 3}
          - {lower: N, lower_inclusive: false, upper: 0.8 * N, upper_inclusive: true, score: 2}
          - {lower: 0.8 * N, lower_inclusive: false, upper: 0.5 * N, upper_inclusive: true, score: 1}
          - {lower: 0.5 * N, lower_inclusive: false, score: 0}
    """)


@pytest.mark.parametrize(
    ("y", "points"),
    [
        ("-38", 3),
        ("-4.63", 3),  # Y = N: Y ≤ N is inclusive
        ("-4.629", 2),  # just above N
        ("-3.704", 2),  # Y = 0.8N: inclusive upper edge
        ("-3.703", 1),
        ("-2.315", 1),  # Y = 0.5N: inclusive upper edge
        ("-2.314", 0),
        ("0", 0),
        ("12", 0),
    ],
)
def test_bands_with_negative_n(y: str, points: int) -> None:
    s = one(PER_CAPITA, Y=y, N="-4.63")
    assert s.computed == D(points)
    assert s.problems == ()
    assert any("落在区间" in step for step in s.steps)
    assert {i.name: i.source for i in s.inputs} == {"Y": "run", "N": "run"}


def test_bands_with_positive_n_report_the_empty_interval() -> None:
    s = one(PER_CAPITA, Y="4.9", N="5")  # 0.8N = 4 < N = 5: (N, 0.8N] is empty
    assert s.computed == D(3)  # Y ≤ N still matches first
    s = one(PER_CAPITA, Y="6", N="5")
    kinds = [p.code for p in s.problems]
    assert "empty_band" in kinds and s.computed == D(0)


def test_exclusive_lower_edge() -> None:
    sys_ = system("""\
        - id: x
          name: 区间
          weight: 5
          rule:
            type: bands
            value: a
            bands:
              - {lower: 0, lower_inclusive: true, upper: 60, upper_inclusive: false, score: 5}
              - {lower: 60, lower_inclusive: true, upper: 80, upper_inclusive: false, score: 4}
              - {lower: 80, lower_inclusive: false, score: 1}
        """)
    assert one(sys_, a="59.99").computed == D(5)
    assert one(sys_, a="60").computed == D(4)
    assert one(sys_, a="80").computed is None  # in no band: reported, not guessed
    s = one(sys_, a="80")
    assert [p.code for p in s.problems] == ["no_band"]
    assert one(sys_, a="80.01").computed == D(1)


BONUS = system("""\
    - id: general
      name: 严控一般性支出
      weight: 6
      rule:
        type: base_plus_capped_bonus
        parts:
          - {label: 年初预算, reduction: cut1, base: 1.5, per_percent: 0.2, cap: 1}
          - {label: 预算执行, reduction: cut2, base: 1.5, per_percent: 0.4, cap: 2}
    """)


@pytest.mark.parametrize(
    ("cut1", "cut2", "points"),
    [
        ("0", "0", "0"),  # no reduction: no base, no bonus
        ("-3", "-1", "0"),  # an increase
        ("1", "0", "1.70"),  # 1.5 + 0.2
        ("5", "4", "5.60"),  # the seed: 1.5 + 1 + 1.5 + 1.6
        ("4.99", "5", "6.00"),  # 1.5 + 0.998 + 1.5 + 2 (cap) = 5.998
        ("50", "50", "6.00"),  # both capped
        ("5", "0", "2.50"),  # budget bonus reaches its cap of 1 at 5%
    ],
)
def test_base_plus_capped_bonus(cut1: str, cut2: str, points: str) -> None:
    assert one(BONUS, cut1=cut1, cut2=cut2).computed == D(points)


def test_bonus_whole_percent_steps() -> None:
    sys_ = system("""\
        - id: general
          name: 压减
          weight: 3
          rule:
            type: base_plus_capped_bonus
            parts:
              - {label: 执行, reduction: cut1, base: 1, per_percent: 0.4, cap: 2, whole_percent: true}
        """)
    assert one(sys_, cut1="4.9").computed == D("2.60")  # 1 + 4 × 0.4


DEDUCT = system("""\
    - id: sme
      name: 支持中小企业发展
      weight: 3
      rule: {type: deductions, per: 3}
    - id: rules
      name: 财务管理制度
      rule: {type: deductions, per: 1}
    - id: counted
      name: 按个数扣分
      weight: 2
      rule: {type: deductions, per: 1, count: issues}
    """)


def _evaluation(sme: list[str], rules: list[str]) -> str:
    def items(xs: list[str]) -> str:
        return "[" + ", ".join(xs) + "]"

    return f"""\
evaluation:
  department:
    system: test-system
    indicators:
      sme: {{findings: {items(sme)}}}
      rules: {{findings: {items(rules)}}}
"""


def _scores(evaluation: str, issues: str = "0"):
    from perf_helpers import score

    return {s.key: s for s in score(DEDUCT, evaluation, issues=issues)}


def test_deductions_down_to_zero() -> None:
    s = _scores(_evaluation([], []))
    assert s["sme"].computed == D(3) and s["rules"].computed == D(0)
    s = _scores(_evaluation(["未预留份额"], ["无内控制度", "未落实"]), issues="5")
    assert s["sme"].computed == D(0)  # 3 − 3
    assert s["rules"].computed == D(-2)  # a 扣分项 without weight subtracts from the total
    assert s["counted"].computed == D(0)  # 2 − 5 stops at zero
    assert any("无内控制度" in step for step in s["rules"].steps)


def test_total_never_below_zero() -> None:
    from juesuan.performance.department import score_department

    ds, figs = dataset(_evaluation([], [f"问题{i}" for i in range(20)]))
    result = score_department(DEDUCT, ds, figs, {"issues": D(0)})
    assert result.total.computed == D(0)  # 3 + 2 − 20, 扣完为止


COMPLETION = {
    d: system(f"""\
        - id: c
          name: 完成
          weight: 10
          rule: {{type: completion, direction: "{d}", target: target, actual: actual}}
        """)
    for d in ("≥", "≤", "=")
}


@pytest.mark.parametrize(
    ("direction", "target", "actual", "points", "problem"),
    [
        ("≥", "10", "12", "10", None),
        ("≥", "10", "10", "10", None),
        ("≥", "10", "8", "8", None),
        ("≥", "0", "0", "10", None),  # zero target reached: no division needed
        ("≥", "0", "-1", "0", None),
        ("≤", "10", "8", "10", None),
        ("≤", "10", "12.5", "8", None),  # 10 / 12.5
        ("≤", "0", "0", "10", None),
        ("≤", "0", "3", "0", None),
        ("=", "1", "1", "10", None),
        ("=", "4", "5", "8", None),
        ("=", "5", "4", "8", None),
        ("=", "0", "0", "10", None),
        ("=", "0", "2", "0", "zero_division"),
    ],
)
def test_completion(
    direction: str, target: str, actual: str, points: str, problem: str | None
) -> None:
    s = one(COMPLETION[direction], target=target, actual=actual)
    assert s.computed == D(points)
    assert [p.code for p in s.problems] == ([problem] if problem else [])


def test_formula_division_by_zero_is_traced_and_found_not_raised() -> None:
    sys_ = system("""\
        - id: f
          name: 采购执行率
          weight: 3
          rule: {type: formula, expr: a / b * 3}
        """)
    s = one(sys_, a="1", b="0")
    assert s.computed is None
    [p] = s.problems
    assert p.code == "zero_division" and "除数为零" in p.message and "「b」" in p.message
    ds, figs = dataset("evaluation:\n  department: {system: test-system}\n")
    result = score_dataset(ds, figs, sys_, {"a": D(1), "b": D(0)})
    [f] = [f for f in run_checks(ds, figs, result) if f.code == "PERF-008"]
    assert "除数为零" in f.message and f.location.line is not None


def test_formula_is_clamped_to_its_weight() -> None:
    sys_ = system("""\
        - id: f
          name: 比例
          weight: 3
          rule: {type: formula, expr: a / b * 3}
        """)
    assert one(sys_, a="2", b="1").computed == D(3)
    assert one(sys_, a="-2", b="1").computed == D(0)
    assert one(sys_, a="1", b="3").computed == D("1.00")


def test_missing_inputs_are_named() -> None:
    sys_ = system("""\
        - id: f
          name: 录入
          weight: 3
          rule: {type: formula, expr: entered_x + a}
        """)
    s = one(sys_, a="1")
    [p] = s.problems
    assert p.code == "missing_input" and "entered_x" in p.message and p.severity == "warning"
    s = one(sys_, "evaluation:\n  department:\n    inputs: {entered_x: 1.5}\n")
    assert s.computed is None and "运行参数「a」" in s.problems[0].message
    assert s.problems[0].severity == "info"
    s = one(
        sys_,
        "evaluation:\n  department:\n    inputs: {entered_x: {value: 1.5, note: 说明}}\n",
        a="1",
    )
    assert s.computed == D("2.50")
    x = next(i for i in s.inputs if i.name == "entered_x")
    assert x.source == "entered" and x.note == "说明" and x.location is not None


QUALITATIVE = system("""\
    - id: q
      name: 社会效益
      weight: 10
      rule: {type: qualitative}
    - id: m
      name: 信息公开
      weight: 4
      rule: {type: manual}
    """)


def test_qualitative_levels_and_manual_justification() -> None:
    from perf_helpers import score

    ev = """\
evaluation:
  department:
    indicators:
      q: {level: 部分达成}
      m: {score: 3}
"""
    q, m = score(QUALITATIVE, ev)
    assert q.computed == D(6)
    assert m.computed == D(3)
    [p] = m.problems
    assert p.code == "manual_without_justification" and p.severity == "error"
    ds, figs = dataset(ev)
    result = score_dataset(ds, figs, QUALITATIVE)
    errors = [f for f in run_checks(ds, figs, result) if f.severity is Severity.ERROR]
    # this small system's weights (10 + 4) are not 100 (PERF-001); the manual score lacks a reason
    assert sorted(f.code for f in errors) == ["PERF-001", "PERF-008"]
    [f] = [f for f in errors if f.code == "PERF-008"]
    assert "评分理由" in f.message and f.location.line is not None
    q, m = score(QUALITATIVE, ev.replace("{score: 3}", "{score: 3, justification: 按时公开}"))
    assert m.problems == () and any("按时公开" in s for s in m.steps)
    q, m = score(QUALITATIVE)
    assert q.computed is None and m.computed is None
    assert {p.code for p in q.problems + m.problems} == {"missing_input"}
