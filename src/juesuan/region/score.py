"""Rescore a department's self-evaluation with the region's inputs (pure, via
:mod:`juesuan.performance`): which indicator scores differ from the ones the table states."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from juesuan.pipeline import Analysis

ZERO = Decimal(0)


@dataclass(frozen=True)
class ScoreChange:
    key: str
    name: str
    stated: Decimal | None  # as the department's table prints it
    rescored: Decimal | None  # with the region's inputs


@dataclass(frozen=True)
class Rescore:
    input: str
    department: str | None
    status: str  # ok | failed | unscored (no self-evaluation)
    reason: str | None = None
    value: Decimal | None = None  # the department's own value of the region input (Y)
    stated_total: Decimal | None = None
    rescored_total: Decimal | None = None
    changes: tuple[ScoreChange, ...] = ()

    @property
    def changed(self) -> bool:
        return bool(self.changes)


def rescore(display: str, analysis: Analysis, run_inputs: Mapping[str, Decimal]) -> Rescore:
    """Score ``analysis``'s self-evaluation with ``run_inputs``; the indicators that depend on
    a region input (the 人均资产变化率 bands on ``N``) are compared with the stated scores, and
    the total becomes the stated total corrected by their differences (what the table prints
    once the region's figure is used; other differences are the department's own, reported
    by ``juesuan score``)."""
    from juesuan.performance.engine import score_dataset
    from juesuan.region.facts import region_indicators, region_values

    ds = analysis.dataset
    name = ds.department.name
    if ds.evaluation is None or ds.evaluation.department is None:
        return Rescore(display, name, "unscored", "数据中没有部门整体绩效自评表")
    result = score_dataset(ds, analysis.figures, None, run_inputs)
    if result.department is None:
        reason = result.findings[0].message if result.findings else "指标体系无法使用"
        return Rescore(display, name, "failed", reason)
    dependent = region_indicators(result.department.system)
    scores = [s for s in result.department.scores() if s.key in dependent]
    changes = tuple(
        ScoreChange(s.key, s.name, s.stated, s.computed)
        for s in scores
        if s.computed is not None and s.computed != s.stated
    )
    stated_total = result.department.total.stated
    rescored_total = stated_total
    if stated_total is not None:
        delta = sum(((c.rescored or ZERO) - (c.stated or ZERO) for c in changes), ZERO)
        rescored_total = stated_total + delta
        if delta:
            changes += (ScoreChange("total", "总分", stated_total, rescored_total),)
    values = region_values(analysis)
    return Rescore(
        display,
        name,
        "ok",
        value=next(iter(values.values()), None),
        stated_total=stated_total,
        rescored_total=rescored_total,
        changes=changes,
    )
