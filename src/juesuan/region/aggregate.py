"""Reduce department facts into the region's figures (pure functions, Decimal throughout).

:func:`aggregate` takes :class:`~juesuan.region.facts.DepartmentFacts` in any order and
returns a :class:`RegionReport` whose every list is sorted, so the report is the same
whatever order the departments were processed in.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from juesuan.core.money import largest_remainder_shares, percent, rate, round2
from juesuan.region.facts import (
    CHANGE_REASONS,
    FAILED,
    FINDINGS,
    OK,
    PROCUREMENT_LABELS,
    SANGONG_LABELS,
    DepartmentFacts,
)

ZERO = Decimal(0)
ECONOMIC_CLASSES = {
    "301": "工资福利支出",
    "302": "商品和服务支出",
    "303": "对个人和家庭的补助",
    "307": "债务利息及费用支出",
    "309": "资本性支出（基本建设）",
    "310": "资本性支出",
    "311": "对企业补助（基本建设）",
    "312": "对企业补助",
    "313": "对社会保障基金补助",
    "399": "其他支出",
}


@dataclass(frozen=True)
class Line:
    """A labelled amount with its share of the whole and how many departments contribute."""

    code: str
    name: str
    amount: Decimal
    share: Decimal | None = None
    departments: int = 0


@dataclass(frozen=True)
class Change:
    label: str
    now: Decimal | None
    before: Decimal | None
    change: Decimal | None
    rate: Decimal | None


@dataclass(frozen=True)
class Ranked:
    rank: int
    department: str
    value: Decimal
    detail: str = ""


@dataclass(frozen=True)
class Outlier:
    department: str
    what: str
    now: Decimal
    before: Decimal
    rate: Decimal
    has_reason: bool


@dataclass(frozen=True)
class SangongRow:
    department: str
    budget: Decimal | None
    final: Decimal | None
    prior: Decimal | None
    rate: Decimal | None


@dataclass
class RegionReport:
    region: str | None
    year: int | None
    threshold: Decimal
    departments: list[DepartmentFacts] = field(default_factory=list)  # of this region-year
    failed: list[DepartmentFacts] = field(default_factory=list)  # could not be read
    elsewhere: list[DepartmentFacts] = field(default_factory=list)  # other region or year
    duplicates: list[DepartmentFacts] = field(default_factory=list)
    totals: dict[str, Decimal | None] = field(default_factory=dict)
    changes: list[Change] = field(default_factory=list)
    by_function: list[Line] = field(default_factory=list)
    by_economic_class: list[Line] = field(default_factory=list)
    by_economic: list[Line] = field(default_factory=list)
    sangong_items: list[Line] = field(default_factory=list)
    sangong_rows: list[SangongRow] = field(default_factory=list)
    split: list[Line] = field(default_factory=list)  # 基本 / 项目
    procurement: list[Line] = field(default_factory=list)
    by_score: list[Ranked] = field(default_factory=list)
    by_completion: list[Ranked] = field(default_factory=list)
    outliers: list[Outlier] = field(default_factory=list)
    region_inputs: dict[str, Decimal] = field(default_factory=dict)  # e.g. N
    region_input_counts: dict[str, int] = field(default_factory=dict)

    @property
    def with_errors(self) -> list[DepartmentFacts]:
        return [d for d in self.departments if d.status == FINDINGS]

    @property
    def clean(self) -> list[DepartmentFacts]:
        return [d for d in self.departments if d.status == OK]


def _sum(values: Iterable[Decimal | None]) -> Decimal | None:
    known = [v for v in values if v is not None]
    return sum(known, ZERO) if known else None


def _change(label: str, now: Decimal | None, before: Decimal | None) -> Change:
    if now is None or before is None:
        return Change(label, now, before, None, None)
    return Change(label, now, before, now - before, rate(now - before, before))


def _lines(amounts: dict[str, tuple[str, Decimal, int]]) -> list[Line]:
    codes = sorted(amounts)
    shares = largest_remainder_shares([amounts[c][1] for c in codes])
    return [
        Line(code, amounts[code][0], amounts[code][1], share, amounts[code][2])
        for code, share in zip(codes, shares, strict=True)
    ]


def _rank(pairs: list[tuple[str, Decimal, str]]) -> list[Ranked]:
    """Descending by value, ties share a rank (1, 2, 2, 4), then by name."""
    ordered = sorted(pairs, key=lambda p: (-p[1], p[0]))
    out: list[Ranked] = []
    for i, (name, value, detail) in enumerate(ordered):
        rank = out[-1].rank if out and out[-1].value == value else i + 1
        out.append(Ranked(rank, name, value, detail))
    return out


def region_average(values: Iterable[Decimal]) -> Decimal | None:
    """The plain mean of the departments' values, two decimals half up (None if none)."""
    vals = list(values)
    if not vals:
        return None
    return (sum(vals, ZERO) / len(vals)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def region_inputs(facts: Iterable[DepartmentFacts]) -> tuple[dict[str, Decimal], dict[str, int]]:
    """Region-wide run inputs (the average 人均资产变化率 ``N``) from the departments' own
    values; failed departments do not count."""
    collected: dict[str, list[Decimal]] = {}
    for f in facts:
        if f.status == FAILED:
            continue
        for name, value in f.region_values:
            collected.setdefault(name, []).append(value)
    averages = {n: avg for n, vs in collected.items() if (avg := region_average(vs)) is not None}
    return averages, {n: len(vs) for n, vs in collected.items()}


def aggregate(
    facts: Iterable[DepartmentFacts],
    threshold: Decimal = Decimal(30),
    region: str | None = None,
    year: int | None = None,
) -> RegionReport:
    """The region report of ``region``/``year`` (default: the most common among the facts)."""
    every = sorted(facts, key=lambda f: (f.department or "", f.input))
    readable = [f for f in every if f.status != FAILED]
    if region is None or year is None:
        common = Counter((f.region, f.year) for f in readable).most_common()
        best = min(common, key=lambda kv: (-kv[1], str(kv[0]))) if common else ((None, None), 0)
        region = best[0][0] if region is None else region
        year = best[0][1] if year is None else year
    report = RegionReport(region, year, threshold)
    report.failed = [f for f in every if f.status == FAILED]
    seen: set[str] = set()
    for f in readable:
        if f.region != region or f.year != year:
            report.elsewhere.append(f)
        elif f.department in seen:
            report.duplicates.append(f)
        else:
            seen.add(f.department or "")
            report.departments.append(f)
    deps = report.departments

    report.totals = {
        "grand_total": _sum(d.grand_total for d in deps),
        "total": _sum(d.total for d in deps),
        "basic": _sum(d.basic for d in deps),
        "project": _sum(d.project for d in deps),
        "sangong": _sum(d.sangong for d in deps),
        "sangong_budget": _sum(d.sangong_budget for d in deps),
        "office_operation": _sum(d.office_operation for d in deps),
        "gb_budget": _sum(d.gb_budget for d in deps),
        "gb_final": _sum(d.gb_final for d in deps),
    }
    t = report.totals
    report.totals["completion"] = (
        percent(t["gb_final"], t["gb_budget"])
        if t["gb_final"] is not None and t["gb_budget"]
        else None
    )
    both = [d for d in deps if d.grand_total is not None and d.prior_grand_total is not None]
    sg = [d for d in deps if d.sangong is not None and d.prior_sangong is not None]
    oo = [
        d for d in deps if d.office_operation is not None and d.prior_office_operation is not None
    ]
    report.changes = [
        _change(
            "收入、支出总计",
            _sum(d.grand_total for d in both),
            _sum(d.prior_grand_total for d in both),
        ),
        _change("“三公”经费", _sum(d.sangong for d in sg), _sum(d.prior_sangong for d in sg)),
        _change(
            "机关运行经费",
            _sum(d.office_operation for d in oo),
            _sum(d.prior_office_operation for d in oo),
        ),
    ]

    functional: dict[str, tuple[str, Decimal, int]] = {}
    economic: dict[str, tuple[str, Decimal, int]] = {}
    classes: dict[str, tuple[str, Decimal, int]] = {}
    for d in deps:
        for code, name, amount in d.by_function:
            _, prev, n = functional.get(code, (name, ZERO, 0))
            functional[code] = (name, prev + amount, n + 1)
        touched: set[str] = set()
        for code, name, amount in d.by_economic:
            _, prev, n = economic.get(code, (name, ZERO, 0))
            economic[code] = (name, prev + amount, n + 1)
            cls = code[:3]
            cname, cprev, cn = classes.get(cls, (ECONOMIC_CLASSES.get(cls, cls), ZERO, 0))
            classes[cls] = (cname, cprev + amount, cn + (cls not in touched))
            touched.add(cls)
    report.by_function = _lines(functional)
    report.by_economic = _lines(economic)
    report.by_economic_class = _lines(classes)

    sangong: dict[str, tuple[str, Decimal, int]] = {}
    for key, label in SANGONG_LABELS:
        vals = [v for d in deps for k, v in d.sangong_items if k == key and v is not None]
        sangong[key] = (label, sum(vals, ZERO), sum(1 for v in vals if v))
    order = [k for k, _ in SANGONG_LABELS]
    lines = _lines(sangong)
    report.sangong_items = sorted(lines, key=lambda ln: order.index(ln.code))
    report.sangong_rows = [
        SangongRow(
            d.department or d.input,
            d.sangong_budget,
            d.sangong,
            d.prior_sangong,
            rate(d.sangong - d.prior_sangong, d.prior_sangong)
            if d.sangong is not None and d.prior_sangong is not None
            else None,
        )
        for d in deps
    ]
    split = {
        "basic": ("基本支出", t["basic"] or ZERO, sum(1 for d in deps if d.basic)),
        "project": ("项目支出", t["project"] or ZERO, sum(1 for d in deps if d.project)),
    }
    report.split = _lines(split)
    procurement = []
    for key, label in PROCUREMENT_LABELS:
        vals = [v for d in deps for k, v in d.procurement if k == key and v is not None]
        procurement.append(Line(key, label, sum(vals, ZERO), None, sum(1 for v in vals if v)))
    whole = procurement[-1].amount
    report.procurement = [
        Line(
            ln.code,
            ln.name,
            ln.amount,
            percent(ln.amount, whole) if whole else None,
            ln.departments,
        )
        for ln in procurement
    ]

    report.by_score = _rank(
        [(d.department or d.input, d.score, "") for d in deps if d.score is not None]
    )
    report.by_completion = _rank(
        [
            (
                d.department or d.input,
                d.completion,
                f"决算{round2(d.gb_final)}／预算{round2(d.gb_budget)}",
            )
            for d in deps
            if d.completion is not None and d.gb_final is not None and d.gb_budget is not None
        ]
    )
    report.outliers = outliers(deps, threshold)
    report.region_inputs, report.region_input_counts = region_inputs(deps)
    return report


def outliers(deps: Iterable[DepartmentFacts], threshold: Decimal) -> list[Outlier]:
    """Year-on-year changes beyond ±threshold %, with whether a reason was stated; the ones
    without a reason come first."""
    out: list[Outlier] = []
    for d in deps:
        reasons = dict(d.reasons)
        pairs = {
            "income.grand_total": (d.grand_total, d.prior_grand_total),
            "sangong.final.total": (d.sangong, d.prior_sangong),
            "office_operation": (d.office_operation, d.prior_office_operation),
        }
        for rate_id, _, label in CHANGE_REASONS:
            if rate_id not in pairs:
                continue
            now, before = pairs[rate_id]
            if now is None or before is None or before == 0:
                continue
            r = rate(now - before, before)
            if r is not None and abs(r) > threshold:
                out.append(
                    Outlier(
                        d.department or d.input, label, now, before, r, reasons.get(rate_id, False)
                    )
                )
    return sorted(out, key=lambda o: (o.has_reason, -abs(o.rate), o.department, o.what))
