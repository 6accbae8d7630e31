"""The rule types of an indicator system, each scoring one indicator with a trace.

``formula``                expression over named inputs (Decimal arithmetic)
``bands``                  piecewise: the first [lower, upper] interval holding the value
``base_plus_capped_bonus`` base points for a reduction + a capped bonus per 1% reduced
``deductions``             points off per finding, down to zero
``completion``             完成值/指标值 (≥), 指标值/完成值 (≤), equality (=), capped at weight
``qualitative``            达成 / 部分达成 / 未达成 → a fraction of the weight
``manual``                 an entered score with a required justification
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import ROUND_FLOOR, Decimal

from juesuan.core.findings import Location, Severity
from juesuan.core.money import ZERO
from juesuan.model.evaluation import IndicatorEntry
from juesuan.performance.expr import FormulaError, MissingName, evaluate
from juesuan.performance.inputs import Resolver
from juesuan.performance.system import (
    Band,
    BandsRule,
    BonusRule,
    CompletionRule,
    DeductionsRule,
    FormulaRule,
    Indicator,
    ManualRule,
    QualitativeRule,
)
from juesuan.performance.trace import Score, Tracer, q2

ONE = Decimal(1)


@dataclass
class Evaluator:
    """Evaluates the expressions of one indicator's rule, recording the trace."""

    indicator: Indicator
    resolver: Resolver
    entry: IndicatorEntry | None
    tracer: Tracer
    where: Location | None = None

    def eval(self, expr: str, what: str = "") -> Decimal | None:
        """Value of ``expr``, or None with a problem in the trace."""
        extra = {"weight": self.indicator.weight or ZERO}
        notes: list[str] = []
        try:
            value = evaluate(expr, self.resolver.lookup(self.tracer, extra), notes)
        except MissingName as exc:
            spec = self.resolver.system.inputs.get(exc.name)
            severity = (
                Severity.INFO
                if spec is not None and spec.source_kind == "run"
                else Severity.WARNING
            )
            self.tracer.problem("missing_input", exc.message, severity, self.where)
            return None
        except FormulaError as exc:
            kind = "zero_division" if exc.message.startswith("除数为零") else "formula"
            self.tracer.problem(kind, f"{what}{exc.message}", Severity.WARNING, self.where)
            return None
        for note in notes:
            self.tracer.step(note)
        return value


def score_indicator(
    ind: Indicator,
    resolver: Resolver,
    entry: IndicatorEntry | None,
    entry_location: Location | None = None,
) -> Score:
    """Score ``ind`` by its rule; the stated value comes from ``entry``."""
    tracer = Tracer()
    ev = Evaluator(ind, resolver, entry, tracer, entry_location)
    scorer, describe = _RULES[ind.rule.type]
    raw = scorer(ind.rule, ev)
    computed = None if raw is None else _clamp(raw, ind, tracer)
    return Score(
        key=ind.id,
        name=ind.name,
        weight=ind.weight,
        rule=ind.rule.type,
        rule_text=describe(ind.rule),
        scoring=ind.scoring or "",
        inputs=tuple(tracer.inputs.values()),
        steps=tuple(tracer.steps),
        computed=computed,
        stated=None if entry is None else entry.stated,
        problems=tuple(tracer.problems),
        location=entry_location,
    )


def _clamp(raw: Decimal, ind: Indicator, tracer: Tracer) -> Decimal:
    value = raw
    if ind.weight is not None:
        if value > ind.weight:
            tracer.step(f"计算值{q2(raw)}超过指标分值，按分值{ind.weight}计")
            value = ind.weight
        elif value < 0:
            tracer.step(f"计算值{q2(raw)}小于0，按0计")
            value = ZERO
    return q2(value)


# -- formula --------------------------------------------------------------------------------


def _formula(rule: FormulaRule, ev: Evaluator) -> Decimal | None:
    value = ev.eval(rule.expr)
    if value is not None:
        ev.tracer.step(f"{rule.expr} = {q2(value)}")
    return value


# -- bands ----------------------------------------------------------------------------------


def _bands(rule: BandsRule, ev: Evaluator) -> Decimal | None:
    main: list[Decimal | None] = []

    def value_of(band: Band) -> Decimal | None:
        if band.value is not None:
            return ev.eval(band.value)
        if not main:
            main.append(ev.eval(rule.value))
            if main[0] is not None:
                ev.tracer.step(f"{rule.label or rule.value} = {q2(main[0])}{rule.unit}")
        return main[0]

    for band in rule.bands:
        value = value_of(band)
        if value is None:
            return None
        lo = _edge(band.lower, ev)
        hi = _edge(band.upper, ev)
        if lo is False or hi is False:
            return None
        shown = band_text(band, lo, hi)
        if lo is not None and hi is not None and lo > hi:
            ev.tracer.step(f"区间{shown}为空（下限大于上限）")
            ev.tracer.problem(
                "empty_band",
                f"区间{shown}的下限大于上限，该区间不会被取到，请检查运行参数的正负",
                Severity.WARNING,
                ev.where,
            )
            continue
        if _inside(value, lo, hi, band):
            name, unit = (band.value, "") if band.value else (rule.label or "数值", rule.unit)
            label = f"（{band.text}）" if band.text else ""
            ev.tracer.step(f"{name} = {q2(value)}{unit} 落在区间{shown}{label}，得{band.score}分")
            return band.score
    ev.tracer.problem("no_band", "数值不在任何区间内，无法评分", Severity.WARNING, ev.where)
    return None


def _edge(edge: Decimal | str | None, ev: Evaluator) -> Decimal | bool | None:
    """Value of a band edge: None for an open end, False when it cannot be evaluated."""
    if edge is None or isinstance(edge, Decimal):
        return edge
    value = ev.eval(edge, "区间边界：")
    return False if value is None else value


def _inside(value: Decimal, lo: Decimal | None, hi: Decimal | None, band: Band) -> bool:
    if lo is not None and (value < lo or (value == lo and not band.lower_inclusive)):
        return False
    return not (hi is not None and (value > hi or (value == hi and not band.upper_inclusive)))


def band_text(band: Band, lo: Decimal | None = None, hi: Decimal | None = None) -> str:
    """An interval as ``(N=-4.63, 0.8 * N=-3.704]`` (values shown when known)."""

    def end(edge: Decimal | str | None, value: Decimal | None, inf: str) -> str:
        if edge is None:
            return inf
        if isinstance(edge, str):
            return f"{edge}={value}" if value is not None else edge
        return str(edge)

    left = "[" if band.lower_inclusive and band.lower is not None else "("
    right = "]" if band.upper_inclusive and band.upper is not None else ")"
    return f"{left}{end(band.lower, lo, '-∞')}, {end(band.upper, hi, '+∞')}{right}"


# -- base + capped bonus --------------------------------------------------------------------


def _bonus(rule: BonusRule, ev: Evaluator) -> Decimal | None:
    total = ZERO
    for part in rule.parts:
        cut = ev.eval(part.reduction, f"{part.label}：")
        if cut is None:
            return None
        if cut <= 0:
            ev.tracer.step(f"{part.label}：较上年压减{q2(cut)}%（未压减），得0分")
            continue
        steps = cut.to_integral_value(rounding=ROUND_FLOOR) if part.whole_percent else cut
        bonus = min(part.cap, steps * part.per_percent)
        total += part.base + bonus
        ev.tracer.step(
            f"{part.label}：较上年压减{q2(cut)}%，基础分{part.base} + 加分{q2(bonus)}"
            f"（每压减1%得{part.per_percent}分，累计不超过{part.cap}分）"
        )
    return total


# -- deductions -----------------------------------------------------------------------------


def _deductions(rule: DeductionsRule, ev: Evaluator) -> Decimal | None:
    if rule.count:
        count = ev.eval(rule.count)
        if count is None:
            return None
    else:
        found = ev.entry.findings if ev.entry is not None else []
        count = Decimal(len(found))
        for text in found:
            ev.tracer.step(f"问题：{text}")
    deducted = rule.per * count
    weight = ev.indicator.weight
    if weight is None:
        ev.tracer.step(f"发现{count}处，每处扣{rule.per}分，扣{q2(deducted)}分（扣完为止）")
        return -deducted
    ev.tracer.step(f"发现{count}处，每处扣{rule.per}分，{weight} − {q2(deducted)}")
    return weight - deducted


# -- completion -----------------------------------------------------------------------------


def _d(value: Decimal) -> Decimal:
    """A value for display: at most two decimals."""
    exponent = value.as_tuple().exponent
    return q2(value) if isinstance(exponent, int) and exponent < -2 else value


def completion_fraction(
    direction: str, target: Decimal, actual: Decimal, tracer: Tracer, where: Location | None = None
) -> Decimal:
    """Share of the weight earned by 完成值 ``actual`` against 指标值 ``target`` (0..1)."""
    if direction == "≥":
        if actual >= target:
            note = "，目标值为0" if target == 0 else ""
            tracer.step(f"完成值{_d(actual)} ≥ 指标值{_d(target)}{note}，得满分")
            return ONE
        if target <= 0:
            tracer.step(f"完成值{_d(actual)}未达到指标值{_d(target)}，得0分")
            return ZERO
        share = max(ZERO, actual / target)
        tracer.step(f"完成值{_d(actual)} ÷ 指标值{_d(target)} = {q2(share * 100)}%")
        return share
    if direction == "≤":
        if actual <= target:
            tracer.step(f"完成值{_d(actual)} ≤ 指标值{_d(target)}，得满分")
            return ONE
        if target <= 0:
            tracer.step(f"指标值为{_d(target)}，完成值{_d(actual)}超过指标值，得0分")
            return ZERO
        share = target / actual
        tracer.step(f"指标值{_d(target)} ÷ 完成值{_d(actual)} = {q2(share * 100)}%")
        return share
    if actual == target:
        tracer.step(f"完成值{_d(actual)} = 指标值{_d(target)}，得满分")
        return ONE
    if target == 0 or actual == 0 or (target > 0) != (actual > 0):
        message = f"指标值为{_d(target)}、完成值为{_d(actual)}，无法按比例计分，按0分计"
        if target == 0:
            message = (
                f"指标值为0，完成值{_d(actual)}不等于指标值，无法按比例计分（除数为零），按0分计"
            )
        tracer.step(message)
        tracer.problem(
            "zero_division" if target == 0 else "completion", message, Severity.WARNING, where
        )
        return ZERO
    share = min(actual / target, target / actual)
    tracer.step(f"完成值{_d(actual)}与指标值{_d(target)}之比（取不大于1者）= {q2(share * 100)}%")
    return share


def _completion(rule: CompletionRule, ev: Evaluator) -> Decimal | None:
    target = ev.eval(rule.target, "指标值：")
    actual = ev.eval(rule.actual, "完成值：")
    if target is None or actual is None:
        return None
    share = completion_fraction(rule.direction, target, actual, ev.tracer, ev.where)
    return (ev.indicator.weight or ZERO) * share


# -- qualitative, manual --------------------------------------------------------------------


def _qualitative(rule: QualitativeRule, ev: Evaluator) -> Decimal | None:
    level = ev.entry.level if ev.entry is not None else None
    if level is None:
        ev.tracer.problem(
            "missing_input",
            f"定性指标「{ev.indicator.name}」未填写达成情况（level：{'、'.join(rule.levels)}）",
            Severity.WARNING,
            ev.where,
        )
        return None
    share = rule.levels.get(level)
    if share is None:
        ev.tracer.problem(
            "formula", f"达成情况「{level}」不在本指标的档次中", Severity.WARNING, ev.where
        )
        return None
    weight = ev.indicator.weight or ZERO
    ev.tracer.step(f"{level}，得分为分值的{q2(share * 100)}%")
    return weight * share


def _manual(rule: ManualRule, ev: Evaluator) -> Decimal | None:
    entry = ev.entry
    if entry is None or entry.score is None:
        ev.tracer.problem(
            "missing_input",
            f"人工评分指标「{ev.indicator.name}」未填写得分（score）",
            Severity.WARNING,
            ev.where,
        )
        return None
    if not (entry.justification or "").strip():
        ev.tracer.problem(
            "manual_without_justification",
            f"人工评分指标「{ev.indicator.name}」填写了得分{entry.score}，但没有评分理由（justification）",
            Severity.ERROR,
            ev.where,
        )
    else:
        ev.tracer.step(f"人工评分：{entry.justification}")
    return entry.score


# -- readable rule texts ----------------------------------------------------------------------


def _describe_bands(rule: BandsRule) -> str:
    parts = [f"{band_text(b)}→{b.score}" for b in rule.bands]
    return f"{rule.label or rule.value} = {rule.value}；" + "；".join(parts)


def _describe_bonus(rule: BonusRule) -> str:
    return "；".join(
        f"{p.label}压减率 = {p.reduction}：压减得{p.base}分，每1%加{p.per_percent}分，加分上限{p.cap}"
        for p in rule.parts
    )


_RULES: dict[str, tuple[Callable[..., Decimal | None], Callable[..., str]]] = {
    "formula": (_formula, lambda r: f"公式：{r.expr}"),
    "bands": (_bands, lambda r: f"分段：{_describe_bands(r)}"),
    "base_plus_capped_bonus": (_bonus, lambda r: f"基础分+加分：{_describe_bonus(r)}"),
    "deductions": (_deductions, lambda r: f"扣分：每处扣{r.per}分，扣完为止"),
    "completion": (
        _completion,
        lambda r: f"完成比例：指标性质{r.direction}，指标值 {r.target}，完成值 {r.actual}",
    ),
    "qualitative": (
        _qualitative,
        lambda r: "定性：" + "、".join(f"{k}{q2(v * 100)}%" for k, v in r.levels.items()),
    ),
    "manual": (_manual, lambda r: "人工评分（须填写理由）"),
}
