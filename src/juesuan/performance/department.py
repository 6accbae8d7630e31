"""Score a department against an indicator system: indicators, group subtotals, total."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from juesuan.core.figures import FigureSet
from juesuan.core.findings import Severity
from juesuan.core.money import ZERO
from juesuan.model.dataset import Dataset
from juesuan.performance.inputs import Resolver
from juesuan.performance.rules import score_indicator
from juesuan.performance.system import Group, IndicatorSystem
from juesuan.performance.trace import Problem, Score, q2

ENTRY = "evaluation.department"


@dataclass(frozen=True)
class GroupScore:
    """A 一级/二级 group: its printed weight, its indicators' weight and scores."""

    name: str
    depth: int
    path: str  # path of the group in the system file
    weight: Decimal | None  # as the system prints it
    indicator_weight: Decimal  # sum of the weights of its indicators
    stated_weight: Decimal | None  # as the dataset's table prints it (evaluation.subtotals)
    computed: Decimal | None
    stated: Decimal | None
    groups: tuple[GroupScore, ...]
    scores: tuple[Score, ...]

    def walk(self) -> Iterator[GroupScore]:
        yield self
        for g in self.groups:
            yield from g.walk()

    def all_scores(self) -> Iterator[Score]:
        yield from self.scores
        for g in self.groups:
            yield from g.all_scores()


@dataclass(frozen=True)
class DepartmentResult:
    system: IndicatorSystem
    groups: tuple[GroupScore, ...]
    total: Score

    def scores(self) -> list[Score]:
        return [s for g in self.groups for s in g.all_scores()]

    def all_groups(self) -> list[GroupScore]:
        return [x for g in self.groups for x in g.walk()]


def score_department(
    system: IndicatorSystem,
    ds: Dataset,
    figs: FigureSet,
    run_inputs: Mapping[str, Decimal] | None = None,
) -> DepartmentResult:
    """Every indicator of ``system`` scored on ``ds`` (its evaluation.department entries).

    The stated scores, subtotals and total of the data belong to the system the data names;
    scored with another system, only the entries' levels, findings and manual scores are used.
    """
    resolver = Resolver(system, ds, figs, run_inputs)
    dept = ds.evaluation.department if ds.evaluation is not None else None
    own = dept is not None and Path(dept.system).stem == system.id
    entries = dict(dept.indicators) if dept is not None else {}
    if not own:
        entries = {k: e.model_copy(update={"stated": None}) for k, e in entries.items()}
    subtotals = dept.subtotals if dept is not None and own else {}

    def group_score(group: Group, path: str, depth: int) -> GroupScore:
        scores = []
        for ind in group.indicators:
            where = f"{ENTRY}.indicators.{ind.id}"
            entry = entries.get(ind.id)
            loc = ds.locate(f"{where}.stated") if entry is not None else ds.locate(ENTRY)
            scores.append(score_indicator(ind, resolver, entry, loc))
        children = tuple(
            group_score(g, f"{path}.groups.{i}", depth + 1) for i, g in enumerate(group.groups)
        )
        every = [*scores, *(s for c in children for s in c.all_scores())]
        weights = [s.weight for s in every if s.weight is not None]
        return GroupScore(
            name=group.name,
            depth=depth,
            path=path,
            weight=group.weight,
            indicator_weight=sum(weights, ZERO),
            stated_weight=subtotals.get(group.name),
            computed=_sum([s.computed for s in every]),
            stated=_sum([s.stated for s in every], blank_as_zero=True),
            groups=children,
            scores=tuple(scores),
        )

    groups = tuple(group_score(g, f"groups.{i}", 1) for i, g in enumerate(system.groups))
    every = [s for g in groups for s in g.all_scores()]
    stated_total = dept.total if dept is not None and own else None
    return DepartmentResult(system, groups, _total(every, stated_total, ds))


def _sum(values: list[Decimal | None], blank_as_zero: bool = False) -> Decimal | None:
    if blank_as_zero:
        known = [v for v in values if v is not None]
        return sum(known, ZERO) if known else None
    if any(v is None for v in values):
        return None
    return sum((v for v in values if v is not None), ZERO)


def _total(scores: list[Score], stated: Decimal | None, ds: Dataset) -> Score:
    missing = [s.name for s in scores if s.computed is None]
    positive = sum((s.computed for s in scores if s.computed is not None and s.computed > 0), ZERO)
    deducted = -sum((s.computed for s in scores if s.computed is not None and s.computed < 0), ZERO)
    steps = [f"各项得分合计{q2(positive)}"]
    if deducted:
        steps.append(f"扣分{q2(deducted)}（扣完为止）")
    problems: tuple[Problem, ...] = ()
    computed: Decimal | None = q2(max(ZERO, positive - deducted))
    if missing:
        computed = None
        message = f"以下指标未能计算得分，总分无法计算：{'、'.join(missing)}"
        problems = (Problem("incomplete", message, Severity.INFO),)
        steps.append(message)
    weight = sum((s.weight for s in scores if s.weight is not None), ZERO)
    where = ds.locate(f"{ENTRY}.total") if stated is not None else ds.locate(ENTRY)
    return Score(
        key="total",
        name="合计",
        weight=weight,
        rule="sum",
        rule_text="各指标得分之和减扣分，最低为0",
        steps=tuple(steps),
        computed=computed,
        stated=stated,
        problems=problems,
        location=where,
    )
