"""Consistency checks of a scored self-evaluation (rule family “绩效自评”, PERF-0xx).

Each check takes the dataset, its figures and the :class:`EvaluationResult` and returns
findings; :mod:`juesuan.rules.performance_rules` registers them in the rule catalog and the
``juesuan score`` command runs them with the run's inputs.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from decimal import Decimal
from pathlib import Path

from juesuan.core.figures import FigureSet
from juesuan.core.findings import Finding, Location, Severity
from juesuan.core.money import HALF_CENT, ZERO, round2, to_wan
from juesuan.model.dataset import Dataset
from juesuan.performance.engine import EvaluationResult
from juesuan.performance.project import ProjectResult
from juesuan.performance.trace import Score, q2

CheckFn = Callable[[Dataset, FigureSet, EvaluationResult], Iterator[Finding]]


def _f(
    code: str,
    severity: Severity,
    message: str,
    where: Location | None,
    stated: Decimal | None = None,
    expected: Decimal | None = None,
) -> Finding:
    return Finding(code, severity, message, where or Location(), stated, expected)


def _n(value: Decimal | None) -> str:
    """A score or weight as printed: no trailing zeros (98.60 → 98.6, 10.00 → 10)."""
    if value is None:
        return "（空）"
    text = f"{value:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


# -- PERF-001 -------------------------------------------------------------------------------


def weights(ds: Dataset, figs: FigureSet, result: EvaluationResult) -> Iterator[Finding]:
    dept = result.department
    if dept is not None:
        system = dept.system
        for g in dept.all_groups():
            if g.weight is None or g.weight == g.indicator_weight:
                continue
            children = [c.weight for c in g.groups if c.weight is not None]
            extra = ""
            if (
                children
                and len(children) == len(g.groups)
                and sum(children, ZERO) != g.indicator_weight
            ):
                extra = f"；其下级指标列示的分值合计为{_n(sum(children, ZERO))}分"
            yield _f(
                "PERF-001",
                Severity.WARNING,
                f"指标体系「{system.title}」中「{g.name}」列示{_n(g.weight)}分，其下三级指标分值合计为"
                f"{_n(g.indicator_weight)}分{extra}",
                system.locate(f"{g.path}.weight"),
                g.weight,
                g.indicator_weight,
            )
        total = sum((g.indicator_weight for g in dept.groups), ZERO)
        if total != system.total:
            yield _f(
                "PERF-001",
                Severity.ERROR,
                f"指标体系「{system.title}」的指标分值合计为{_n(total)}分，应为{_n(system.total)}分",
                system.locate("groups"),
                total,
                system.total,
            )
    for p in result.projects:
        weight = p.total.weight or ZERO
        if weight != 100:
            yield _f(
                "PERF-001",
                Severity.ERROR,
                f"项目「{p.project.name}」预算执行权重与绩效指标权重合计为{_n(weight)}，应为100",
                ds.locate(f"evaluation.projects.{p.index}"),
                weight,
                Decimal(100),
            )


# -- PERF-002 -------------------------------------------------------------------------------


def score_range(ds: Dataset, figs: FigureSet, result: EvaluationResult) -> Iterator[Finding]:
    for owner, score in _all_scores(result):
        for value, what in ((score.stated, "自评得分"), (score.computed, "得分")):
            if value is None or (what == "得分" and score.rule != "manual"):
                continue
            weight = score.weight
            if weight is None:
                bad, bound = value > 0, "扣分项的得分不应为正数"
            else:
                bad, bound = not 0 <= value <= weight, f"应在0至{_n(weight)}分之间"
            if bad:
                yield _f(
                    "PERF-002",
                    Severity.ERROR,
                    f"{owner}「{score.name}」{what}{_n(value)}分，{bound}",
                    score.location,
                    value,
                    weight,
                )


# -- PERF-003 -------------------------------------------------------------------------------


def printed_subtotals(ds: Dataset, figs: FigureSet, result: EvaluationResult) -> Iterator[Finding]:
    dept = result.department
    ev = ds.evaluation
    own = (
        dept is not None
        and ev is not None
        and ev.department is not None
        and Path(ev.department.system).stem == dept.system.id
    )  # otherwise the printed table belongs to another system
    if own and dept is not None and ev is not None and ev.department is not None:
        groups = {g.name: g for g in dept.all_groups()}
        for name, printed in ev.department.subtotals.items():
            where = ds.locate(f"evaluation.department.subtotals.{name}")
            g = groups.get(name)
            if g is None:
                yield _f(
                    "PERF-003",
                    Severity.WARNING,
                    f"列示分值小计的「{name}」不是指标体系「{dept.system.title}」中的指标名称",
                    where,
                )
            elif printed != g.indicator_weight:
                parts = "+".join(_n(s.weight) for s in g.all_scores() if s.weight is not None)
                yield _f(
                    "PERF-003",
                    Severity.WARNING,
                    f"自评表列示「{name}（{_n(printed)}分）」，其下三级指标分值为{parts}={_n(g.indicator_weight)}分，"
                    f"相差{_n(printed - g.indicator_weight)}分",
                    where,
                    printed,
                    g.indicator_weight,
                )
        yield from _stated_total("部门整体支出绩效自评表", dept.scores(), dept.total)
    for p in result.projects:
        yield from _stated_total(f"项目「{p.project.name}」自评表", p.scores(), p.total)


def _stated_total(table: str, scores: list[Score], total: Score) -> Iterator[Finding]:
    if total.stated is None or any(s.stated is None and s.weight is not None for s in scores):
        return
    stated_sum = max(ZERO, sum((s.stated or ZERO for s in scores), ZERO))
    if stated_sum != total.stated:
        yield _f(
            "PERF-003",
            Severity.ERROR,
            f"{table}列示合计{_n(total.stated)}分，各指标自评得分之和为{_n(stated_sum)}分",
            total.location,
            total.stated,
            stated_sum,
        )


# -- PERF-004 -------------------------------------------------------------------------------


def stated_vs_computed(ds: Dataset, figs: FigureSet, result: EvaluationResult) -> Iterator[Finding]:
    for owner, score in _all_scores(result):
        diff = score.difference
        if diff is None or q2(diff) == 0:
            continue
        basis = f"（{score.rule_text}）" if score.rule_text else ""
        message = (
            f"{owner}「{score.name}」自评得分{_n(score.stated)}分，按规则计算为{_n(score.computed)}分"
            f"{basis}，相差{_n(q2(diff))}分"
        )
        if score.inputs:
            message += "；输入：" + "，".join(
                f"{i.label}{'' if i.value is None else _n(i.value)}{i.unit}" for i in score.inputs
            )
        yield _f(
            "PERF-004", Severity.WARNING, message, score.location, score.stated, score.computed
        )


# -- PERF-005 -------------------------------------------------------------------------------


def projects_vs_final(ds: Dataset, figs: FigureSet, result: EvaluationResult) -> Iterator[Finding]:
    if not result.projects:
        return
    fig = figs.get("expenditure.project")
    if fig is None or fig.value is None:
        return
    finals = [p.rows[0].final for p in result.projects]
    if any(v is None for v in finals):
        return
    total = sum((v for v in finals if v is not None), ZERO)
    gap = HALF_CENT * len(finals) + fig.tolerance
    if abs(total - fig.amount) > gap:
        parts = " + ".join(_n(v) for v in finals)
        yield _f(
            "PERF-005",
            Severity.WARNING,
            f"项目支出绩效自评表的预算执行数合计 {parts} = {_n(round2(total))}万元，"
            f"与决算项目支出{_n(round2(fig.amount))}万元不一致",
            ds.locate("evaluation.projects"),
            total,
            fig.amount,
        )


# -- PERF-006 -------------------------------------------------------------------------------


def narrative_totals(ds: Dataset, figs: FigureSet, result: EvaluationResult) -> Iterator[Finding]:
    ev = ds.evaluation
    if ev is None or not any(p.kind for p in ev.projects):
        return
    everything = sum((p.rows[0].adjusted_budget or ZERO for p in result.projects), ZERO)
    for key, kind, label in (
        ("regular", "常年", "常年项目"),
        ("one_off", "一次性", "一次性（阶段）项目"),
    ):
        facts = getattr(ev.narrative, key)
        if facts is None:
            continue
        members = [p for p in result.projects if p.project.kind == kind]
        names = "、".join(p.project.name for p in members) or "无"
        if facts.count is not None and facts.count != len(members):
            yield _f(
                "PERF-006",
                Severity.WARNING,
                f"绩效评价报告称{label}{facts.count}个，项目支出绩效自评表中{label}{len(members)}个（{names}）",
                ds.locate(f"evaluation.narrative.{key}.count"),
                Decimal(facts.count),
                Decimal(len(members)),
            )
        if facts.amount is None:
            continue
        stated = to_wan(facts.amount, ds.unit)
        amount = sum((p.rows[0].adjusted_budget or ZERO for p in members), ZERO)
        if abs(stated - amount) > HALF_CENT * (len(members) + 1):
            hint = ""
            if len(members) < len(result.projects) and abs(stated - everything) <= HALF_CENT * (
                len(result.projects) + 1
            ):
                hint = f"；{_n(round2(stated))}万元恰为全部{len(result.projects)}个项目的合计"
            yield _f(
                "PERF-006",
                Severity.WARNING,
                f"绩效评价报告称{label}涉及预算总金额{_n(round2(stated))}万元，项目支出绩效自评表中"
                f"{label}（{names}）调整后预算数合计{_n(round2(amount))}万元{hint}",
                ds.locate(f"evaluation.narrative.{key}.amount"),
                stated,
                amount,
            )


# -- PERF-007 -------------------------------------------------------------------------------


def disclosure_scores(ds: Dataset, figs: FigureSet, result: EvaluationResult) -> Iterator[Finding]:
    pm = ds.performance
    dept = result.department
    if dept is not None and pm.department_score is not None:
        table = dept.total.shown
        if table is not None and pm.department_score != table:
            yield _f(
                "PERF-007",
                Severity.ERROR,
                f"决算说明称部门整体绩效自评得分{_n(pm.department_score)}分，部门整体支出绩效自评表合计{_n(table)}分",
                ds.locate("performance.department_score"),
                pm.department_score,
                table,
            )
    for i, item in enumerate(pm.projects):
        match = _match_project(item.name, result.projects)
        if match is None or item.score is None or match.total.shown is None:
            continue
        if item.score != match.total.shown:
            yield _f(
                "PERF-007",
                Severity.ERROR,
                f"决算说明称「{item.name}」自评得分{_n(item.score)}分，项目支出绩效自评表"
                f"「{match.project.name}」合计{_n(match.total.shown)}分",
                ds.locate(f"performance.projects.{i}.score"),
                item.score,
                match.total.shown,
            )


_SUFFIX = re.compile(r"(专项资金|项目资金|专项经费|项目经费|经费|专项|项目|资金)$")


def _core(name: str) -> str:
    name = re.sub(r"^[0-9A-Za-z]+[-－—]", "", name.strip())
    return _SUFFIX.sub("", name)


def _match_project(name: str, projects: list[ProjectResult]) -> ProjectResult | None:
    exact = [p for p in projects if p.project.name == name]
    if len(exact) == 1:
        return exact[0]
    core = [p for p in projects if _core(p.project.name) == _core(name)]
    return core[0] if len(core) == 1 else None


# -- PERF-008 -------------------------------------------------------------------------------


def scoring_problems(ds: Dataset, figs: FigureSet, result: EvaluationResult) -> Iterator[Finding]:
    yield from result.findings
    for owner, score in _all_scores(result):
        for p in score.problems:
            if p.code == "incomplete":
                continue
            yield _f(
                "PERF-008",
                p.severity,
                f"{owner}「{score.name}」：{p.message}",
                p.location or score.location,
            )


# -- PERF-009 -------------------------------------------------------------------------------


def execution_rows(ds: Dataset, figs: FigureSet, result: EvaluationResult) -> Iterator[Finding]:
    for p in result.projects:
        total, parts = p.rows[0], p.rows[1:]
        for attr, label in (
            ("initial_budget", "年初预算"),
            ("adjusted_budget", "调整后预算数"),
            ("final", "预算执行数"),
        ):
            given = [getattr(r, attr) for r in parts if getattr(r, attr) is not None]
            whole = getattr(total, attr)
            if not given or whole is None:
                continue
            summed = sum(given, ZERO)
            if abs(summed - whole) > HALF_CENT * len(given):
                yield _f(
                    "PERF-009",
                    Severity.ERROR,
                    f"项目「{p.project.name}」{label}：各资金来源合计{_n(round2(summed))}万元，总额{_n(round2(whole))}万元",
                    ds.locate(f"{total.path}.{attr}"),
                    summed,
                    whole,
                )
        for row in p.rows:
            if row.stated_rate is None:
                continue
            expected = row.rate
            if expected is None and row.adjusted_budget == 0 and not row.final:
                expected = ZERO  # nothing budgeted, nothing spent: printed as 0.00%
            if expected is not None and q2(row.stated_rate) != expected:
                yield _f(
                    "PERF-009",
                    Severity.WARNING,
                    f"项目「{p.project.name}」{row.label}预算执行率列示{_n(row.stated_rate)}%，"
                    f"按{_n(row.final)} ÷ {_n(row.adjusted_budget)}计算为{_n(expected)}%",
                    ds.locate(f"{row.path}.rate"),
                    row.stated_rate,
                    expected,
                )


# -- helpers ---------------------------------------------------------------------------------


def _all_scores(result: EvaluationResult) -> Iterator[tuple[str, Score]]:
    if result.department is not None:
        for s in result.department.scores():
            yield "部门整体绩效指标", s
        yield "部门整体绩效", result.department.total
    for p in result.projects:
        owner = f"项目「{p.project.name}」"
        for s in p.scores():
            yield f"{owner}指标", s
        yield owner, p.total


CHECKS: tuple[tuple[str, CheckFn], ...] = (
    ("PERF-001", weights),
    ("PERF-002", score_range),
    ("PERF-003", printed_subtotals),
    ("PERF-004", stated_vs_computed),
    ("PERF-005", projects_vs_final),
    ("PERF-006", narrative_totals),
    ("PERF-007", disclosure_scores),
    ("PERF-008", scoring_problems),
    ("PERF-009", execution_rows),
)


def run_checks(ds: Dataset, figs: FigureSet, result: EvaluationResult) -> list[Finding]:
    """All PERF findings of a scored self-evaluation."""
    return [f for _, fn in CHECKS for f in fn(ds, figs, result)]
