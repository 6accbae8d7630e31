"""Per-department facts for the region: a small, picklable record extracted from one
:class:`~juesuan.pipeline.Analysis` (pure: no I/O beyond what the analysis already did).

The batch layer maps :func:`department_facts` over the departments on Dask workers; the
reviewer pages of the service can call it on an analysis they already hold.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING

from juesuan.core.findings import Finding, Severity

if TYPE_CHECKING:
    from juesuan.model.dataset import Dataset
    from juesuan.performance.system import IndicatorSystem
    from juesuan.pipeline import Analysis

OK, FINDINGS, FAILED = "ok", "findings", "failed"
REGION_AVERAGE_INPUT = "N"  # the run input the seed's 人均资产变化率 indicator compares with


@dataclass(frozen=True)
class Amounts:
    """Named amounts (code → (name, 万元)), e.g. spending by 功能分类 类."""

    items: tuple[tuple[str, str, Decimal], ...] = ()


@dataclass(frozen=True)
class ScoreLine:
    key: str
    name: str
    stated: Decimal | None
    computed: Decimal | None


@dataclass(frozen=True)
class DepartmentFacts:
    """What the region report needs of one department-year (amounts in 万元)."""

    input: str
    status: str  # ok | findings | failed
    department: str | None = None
    short_name: str | None = None  # 简称, for charts
    region: str | None = None
    year: int | None = None
    errors: int = 0
    warnings: int = 0
    reason: str | None = None  # first error, or why the input failed
    total: Decimal | None = None  # 本年支出合计
    grand_total: Decimal | None = None  # 收入（支出）总计
    prior_grand_total: Decimal | None = None
    basic: Decimal | None = None
    project: Decimal | None = None
    by_function: tuple[tuple[str, str, Decimal], ...] = ()  # 类 code, name, all-fund spending
    by_economic: tuple[tuple[str, str, Decimal], ...] = ()  # 款 code, name, 一般公共预算拨款
    sangong: Decimal | None = None
    sangong_budget: Decimal | None = None
    prior_sangong: Decimal | None = None
    sangong_items: tuple[tuple[str, Decimal | None], ...] = ()
    office_operation: Decimal | None = None
    prior_office_operation: Decimal | None = None
    procurement: tuple[tuple[str, Decimal | None], ...] = ()  # goods, works, services, total
    gb_budget: Decimal | None = None  # 一般公共预算财政拨款 调整预算
    gb_final: Decimal | None = None
    completion: Decimal | None = None  # 决算/预算, %
    score: Decimal | None = None  # 部门整体绩效自评得分（列示）
    system: str | None = None  # indicator system of the self-evaluation
    region_values: tuple[tuple[str, Decimal], ...] = ()  # run input → this department's value
    reasons: tuple[tuple[str, bool], ...] = field(default_factory=tuple)  # change → has a reason


SANGONG_LABELS = (
    ("outbound", "因公出国（境）费"),
    ("vehicle", "公务用车购置及运行维护费"),
    ("reception", "公务接待费"),
)
PROCUREMENT_LABELS = (
    ("goods", "货物"),
    ("works", "工程"),
    ("services", "服务"),
    ("total", "合计"),
)
# change (figure id of the rate) → the reason field that explains it
CHANGE_REASONS = (
    ("income.grand_total", "total_change", "收入、支出总计"),
    ("sangong.final.total", "sangong_change", "“三公”经费"),
    ("office_operation", "office_operation_change", "机关运行经费"),
    ("general_budget.expenditure.total", "general_budget_change", "一般公共预算财政拨款支出"),
)


def failed_facts(
    display: str, reason: str, findings: list[Finding] | None = None
) -> DepartmentFacts:
    errors = sum(1 for f in findings or [] if f.severity is Severity.ERROR)
    return DepartmentFacts(display, FAILED, errors=errors, reason=reason)


def department_facts(display: str, analysis: Analysis, findings: list[Finding]) -> DepartmentFacts:
    """Facts of one analysed department (``analysis`` is a :class:`juesuan.pipeline.Analysis`)."""
    ds = analysis.dataset
    figs = analysis.figures
    errors = [f for f in findings if f.severity is Severity.ERROR]
    warnings = sum(1 for f in findings if f.severity is Severity.WARNING)
    v = figs.value

    by_function: dict[str, Decimal] = {}
    for line in ds.functional:
        amount = v(f"func.{line.code}.expenditure.total")
        if amount is not None:
            by_function[line.code[:3]] = by_function.get(line.code[:3], Decimal(0)) + amount
    functional_names = analysis.catalogs.functional
    economic_names = analysis.catalogs.economic
    by_economic: dict[str, tuple[str, Decimal]] = {}
    for line in [*ds.basic_by_economic, *ds.project_by_economic]:
        amount = v(f"econ.all.{line.code}")
        if amount is not None:
            name = economic_names.name(line.code) or line.name or line.code
            by_economic[line.code] = (name, amount)
    reasons = ds.reasons
    stated_reasons = tuple(
        (rate_id, bool((getattr(reasons, field_name) or "").strip()))
        for rate_id, field_name, _ in CHANGE_REASONS
    )
    score = ds.performance.department_score
    if score is None and ds.evaluation is not None and ds.evaluation.department is not None:
        score = ds.evaluation.department.total
    return DepartmentFacts(
        input=display,
        status=FINDINGS if errors else OK,
        department=ds.department.name,
        short_name=ds.department.short_name,
        region=ds.department.region,
        year=ds.year,
        errors=len(errors),
        warnings=warnings,
        reason=f"{errors[0].code} {errors[0].message}" if errors else None,
        total=v("expenditure.total"),
        grand_total=v("income.grand_total"),
        prior_grand_total=v("prior.income.grand_total"),
        basic=v("expenditure.basic"),
        project=v("expenditure.project"),
        by_function=tuple(
            (code, functional_names.name(code) or code, amount)
            for code, amount in sorted(by_function.items())
        ),
        by_economic=tuple((code, n, a) for code, (n, a) in sorted(by_economic.items())),
        sangong=v("sangong.final.total"),
        sangong_budget=v("sangong.budget.total"),
        prior_sangong=v("prior.sangong.final.total"),
        sangong_items=tuple((key, v(f"sangong.final.{key}")) for key, _ in SANGONG_LABELS),
        office_operation=v("office_operation"),
        prior_office_operation=v("prior.office_operation"),
        procurement=tuple((key, v(f"procurement.{key}")) for key, _ in PROCUREMENT_LABELS),
        gb_budget=v("general_budget.adjusted_budget"),
        gb_final=v("general_budget.expenditure.total"),
        completion=v("general_budget.expenditure.total.completion"),
        score=score,
        system=_system_name(ds),
        region_values=tuple(sorted(region_values(analysis).items())),
        reasons=stated_reasons,
    )


def _system_name(ds: Dataset) -> str | None:
    if ds.evaluation is None or ds.evaluation.department is None:
        return None
    return Path(ds.evaluation.department.system).stem


def indicator_system(ds: Dataset) -> IndicatorSystem | None:
    """The indicator system the dataset's self-evaluation names (None if it cannot be loaded)."""
    from juesuan.performance.system_loader import SYSTEMS_DIR, load_system, system_file

    if ds.evaluation is None or ds.evaluation.department is None:
        return None
    path = system_file(ds.evaluation.department.system)
    if path.parent != SYSTEMS_DIR and not path.is_absolute() and ds.origin:
        path = Path(ds.origin).parent / path
    system, _ = load_system(path)
    return system


def region_indicators(system: IndicatorSystem) -> dict[str, tuple[str, ...]]:
    """Indicators whose ``bands`` compare the department's value with a region-wide run input
    (indicator id → the run inputs it uses), e.g. ``per_capita_assets`` → ``("N",)``."""
    from juesuan.performance.system import BandsRule

    run_names = [n for n, spec in system.inputs.items() if spec.source_kind == "run"]
    out: dict[str, tuple[str, ...]] = {}
    for _, group, _ in system.walk_groups():
        for ind in group.indicators:
            if not isinstance(ind.rule, BandsRule):
                continue
            edges = " ".join(
                str(x) for b in ind.rule.bands for x in (b.lower, b.upper) if x is not None
            )
            used = tuple(n for n in run_names if re.search(rf"\b{re.escape(n)}\b", edges))
            if used:
                out[ind.id] = used
    return out


def region_values(analysis: Analysis) -> dict[str, Decimal]:
    """This department's value of every region-wide run input of its indicator system: for a
    run input (such as ``N``) that a ``bands`` rule compares with, the rule's own value
    (the department's 人均资产变化率 Y). The region input is the average of these values."""
    from juesuan.performance.inputs import Resolver
    from juesuan.performance.rules import Evaluator
    from juesuan.performance.trace import Tracer

    ds = analysis.dataset
    system = indicator_system(ds)
    if system is None:
        return {}
    resolver = Resolver(system, ds, analysis.figures)
    used = region_indicators(system)
    out: dict[str, Decimal] = {}
    for _, group, _ in system.walk_groups():
        for ind in group.indicators:
            for name in used.get(ind.id, ()):
                if name in out:
                    continue
                value = Evaluator(ind, resolver, None, Tracer()).eval(ind.rule.value)
                if value is not None:
                    out[name] = value
    return out
