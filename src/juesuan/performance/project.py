"""Project self-evaluation per 财预〔2020〕10号 (项目支出绩效自评表).

* 预算执行情况 (权重 10): 执行率 = 预算执行数 ÷ 调整后预算数; 得分 = 执行率 × 权重, capped;
* 定量指标 (≥ ≤ =): by completion ratio, capped at the indicator's weight;
* 定性指标: 达成 / 部分达成 / 未达成 in the bands 100–80%, 80–60%, 60–0% of the weight;
* total and grade: 优 ≥ 90, 良 80–90, 中 60–80, 差 < 60.

Stated scores are kept beside the computed ones.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from juesuan.core.findings import Location, Severity
from juesuan.core.money import ZERO, to_wan
from juesuan.model.evaluation import FundRow, Project, ProjectIndicator
from juesuan.performance.rules import completion_fraction
from juesuan.performance.trace import InputValue, Problem, Score, Tracer, q2

HUNDRED = Decimal(100)
Locate = Callable[[str], Location]
FUND_ROWS = (
    ("total", "总额"),
    ("fiscal", "其中：财政资金"),
    ("special_account", "财政专户管理资金"),
    ("unit_funds", "单位资金"),
    ("other", "其他资金"),
)
# 达成情况 → (lowest share, highest share, default share) of the weight.
QUALITATIVE_BANDS = {
    "达成": (Decimal("0.8"), Decimal(1), Decimal(1)),
    "部分达成": (Decimal("0.6"), Decimal("0.8"), Decimal("0.6")),
    "未达成": (ZERO, Decimal("0.6"), ZERO),
}
_NUMBER = re.compile(r"[-+]?\d+(?:\.\d+)?")


def grade(score: Decimal | None) -> str | None:
    """财预〔2020〕10号: 优 ≥ 90, 良 80–90, 中 60–80, 差 < 60."""
    if score is None:
        return None
    if score >= 90:
        return "优"
    if score >= 80:
        return "良"
    return "中" if score >= 60 else "差"


@dataclass(frozen=True)
class FundRowResult:
    key: str
    label: str
    initial_budget: Decimal | None
    adjusted_budget: Decimal | None
    final: Decimal | None
    rate: Decimal | None  # computed 执行率 %, two decimals
    stated_rate: Decimal | None
    path: str


@dataclass(frozen=True)
class ProjectResult:
    index: int
    project: Project
    rows: tuple[FundRowResult, ...]
    execution: Score
    indicators: tuple[Score, ...]
    total: Score

    @property
    def grade(self) -> str | None:
        return grade(self.total.computed)

    @property
    def stated_grade(self) -> str | None:
        return grade(self.total.stated)

    def scores(self) -> list[Score]:
        return [self.execution, *self.indicators]


def score_project(project: Project, index: int, unit: str, locate: Locate) -> ProjectResult:
    """Score one project table; ``locate(path)`` gives the dataset location of a path."""
    base = f"evaluation.projects.{index}"
    rows = tuple(_row(project, key, label, unit, base) for key, label in FUND_ROWS)
    execution = _execution(project, rows[0], base, locate)
    indicators = tuple(
        _indicator(ind, f"{base}.indicators.{i}", locate)
        for i, ind in enumerate(project.indicators)
    )
    return ProjectResult(
        index,
        project,
        rows,
        execution,
        indicators,
        _total(project, execution, indicators, base, locate),
    )


def _row(project: Project, key: str, label: str, unit: str, base: str) -> FundRowResult:
    row: FundRow | None = getattr(project.execution, key)
    path = f"{base}.execution.{key}"
    if row is None:
        return FundRowResult(key, label, None, None, None, None, None, path)

    def wan(v: Decimal | None) -> Decimal | None:
        return None if v is None else to_wan(v, unit)

    adjusted, final = wan(row.adjusted_budget), wan(row.final)
    rate = None
    if adjusted is not None and final is not None and adjusted != 0:
        rate = q2(final / adjusted * HUNDRED)
    return FundRowResult(key, label, wan(row.initial_budget), adjusted, final, rate, row.rate, path)


def _execution(project: Project, row: FundRowResult, base: str, locate: Locate) -> Score:
    ex = project.execution
    tracer = Tracer()
    where = f"{base}.execution.total"
    for name, label, value in (
        ("adjusted_budget", "调整后预算数", row.adjusted_budget),
        ("final", "预算执行数", row.final),
    ):
        tracer.inputs[name] = InputValue(
            name,
            label,
            value,
            "万元",
            "dataset",
            f"{where}.{name}",
            location=locate(f"{where}.{name}"),
        )
    computed = None
    loc = locate(f"{base}.execution.stated")
    if row.adjusted_budget is None or row.final is None:
        tracer.problem(
            "missing_input",
            f"项目「{project.name}」未填写调整后预算数或预算执行数",
            Severity.WARNING,
            loc,
        )
    elif row.adjusted_budget == 0:
        tracer.problem(
            "zero_division",
            f"项目「{project.name}」调整后预算数为0，无法计算预算执行率（除数为零）",
            Severity.WARNING,
            loc,
        )
    else:
        share = row.final / row.adjusted_budget
        tracer.step(f"预算执行率 = {row.final} ÷ {row.adjusted_budget} = {q2(share * HUNDRED)}%")
        if row.initial_budget and row.initial_budget != row.adjusted_budget:
            initial = q2(row.final / row.initial_budget * HUNDRED)
            tracer.step(f"（按年初预算{row.initial_budget}计，执行率为{initial}%）")
        capped = min(share, Decimal(1))
        if share > 1:
            tracer.step("执行率超过100%，按100%计")
        computed = q2(capped * ex.weight)
        tracer.step(f"得分 = {q2(capped * HUNDRED)}% × {ex.weight} = {computed}")
    return Score(
        key="execution",
        name="预算执行率",
        weight=ex.weight,
        rule="execution_rate",
        rule_text=f"预算执行率 × {ex.weight}（执行率 = 预算执行数 ÷ 调整后预算数，最高100%）",
        inputs=tuple(tracer.inputs.values()),
        steps=tuple(tracer.steps),
        computed=computed,
        stated=ex.stated,
        problems=tuple(tracer.problems),
        location=loc,
    )


def number_in(value: str | Decimal | None) -> Decimal | None:
    """The number a 指标值/完成值 states (``≥12`` → 12, ``100%`` → 100); None when none."""
    if value is None:
        return None
    if isinstance(value, Decimal):
        return value
    text = unicodedata.normalize("NFKC", value).replace(",", "")
    match = _NUMBER.search(text)
    if match is None:
        return None
    try:
        return Decimal(match.group())
    except InvalidOperation:  # pragma: no cover - the pattern only matches numbers
        return None


def _indicator(ind: ProjectIndicator, path: str, locate: Locate) -> Score:
    tracer = Tracer()
    loc = locate(f"{path}.stated")
    if ind.nature == "定性":
        share = _qualitative(ind, tracer, loc)
        rule, text = (
            "qualitative",
            "定性：达成100%-80%、部分达成80%-60%、未达成60%-0%（财预〔2020〕10号）",
        )
    else:
        share = _quantitative(ind, tracer, loc, path, locate)
        rule = "completion"
        text = {
            "≥": "完成值 ÷ 指标值 × 权重，达到指标值记满分",
            "≤": "指标值 ÷ 完成值 × 权重，不超过指标值记满分",
            "=": "完成值等于指标值记满分，否则按两者之比",
        }[ind.nature]
    computed = None if share is None else q2(ind.weight * share)
    return Score(
        key=path.rsplit(".", 1)[-1],
        name=ind.name,
        weight=ind.weight,
        rule=rule,
        rule_text=text,
        inputs=tuple(tracer.inputs.values()),
        steps=tuple(tracer.steps),
        computed=computed,
        stated=ind.stated,
        problems=tuple(tracer.problems),
        location=loc,
    )


def _quantitative(
    ind: ProjectIndicator, tracer: Tracer, loc: Location, path: str, locate: Locate
) -> Decimal | None:
    target, actual = number_in(ind.target), number_in(ind.actual)
    unit = ind.unit or ""
    tracer.inputs["target"] = InputValue(
        "target",
        "指标值",
        target,
        unit,
        "dataset",
        f"{path}.target",
        location=locate(f"{path}.target"),
    )
    tracer.inputs["actual"] = InputValue(
        "actual",
        "完成值",
        actual,
        unit,
        "dataset",
        f"{path}.actual",
        location=locate(f"{path}.actual"),
    )
    if target is None:
        tracer.problem(
            "missing_input",
            f"指标「{ind.name}」的指标值「{ind.target}」不是数字",
            Severity.WARNING,
            loc,
        )
        return None
    if actual is None:
        shown = "未填写" if ind.actual is None else f"「{ind.actual}」不是数字"
        tracer.problem("missing_input", f"指标「{ind.name}」的完成值{shown}", Severity.WARNING, loc)
        return None
    return completion_fraction(ind.nature, target, actual, tracer, loc)


def _qualitative(ind: ProjectIndicator, tracer: Tracer, loc: Location) -> Decimal | None:
    level = ind.achievement
    if level is None:
        if ind.actual is not None and str(ind.actual).strip() == str(ind.target).strip():
            level = "达成"
            tracer.step(f"完成值「{ind.actual}」与指标值相同，视为达成")
        else:
            shown = (
                "未填写" if ind.actual is None else f"「{ind.actual}」与指标值「{ind.target}」不同"
            )
            tracer.problem(
                "missing_input",
                f"定性指标「{ind.name}」的完成值{shown}，请填写达成情况（achievement：达成、部分达成或未达成）",
                Severity.WARNING,
                loc,
            )
            return None
    low, high, default = QUALITATIVE_BANDS[level]
    share = default if ind.fraction is None else ind.fraction
    if not low <= share <= high:
        tracer.problem(
            "fraction_out_of_band",
            f"定性指标「{ind.name}」{level}，得分比例{q2(share * HUNDRED)}%不在{q2(low * HUNDRED)}%至{q2(high * HUNDRED)}%之间",
            Severity.WARNING,
            loc,
        )
    tracer.step(f"{level}，得分为权重的{q2(share * HUNDRED)}%")
    return share


def _total(
    project: Project, execution: Score, indicators: tuple[Score, ...], base: str, locate: Locate
) -> Score:
    parts = [execution, *indicators]
    weight = sum((s.weight or ZERO for s in parts), ZERO)
    missing = [s.name for s in parts if s.computed is None]
    problems: tuple[Problem, ...] = ()
    computed = None
    steps: list[str] = []
    if missing:
        message = f"以下指标未能计算得分，总分无法计算：{'、'.join(missing)}"
        problems = (Problem("incomplete", message, Severity.INFO),)
        steps.append(message)
    else:
        computed = q2(sum((s.computed or ZERO for s in parts), ZERO))
        steps.append(
            f"预算执行{execution.computed} + 绩效指标{q2(computed - (execution.computed or ZERO))} = {computed}，等级{grade(computed)}"
        )
    loc = locate(f"{base}.total")
    return Score(
        key="total",
        name="合计",
        weight=weight,
        rule="sum",
        rule_text="预算执行得分 + 各绩效指标得分",
        steps=tuple(steps),
        computed=computed,
        stated=project.total,
        problems=problems,
        location=loc,
    )
