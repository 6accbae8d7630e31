"""The review inbox: every department-year an actor may see, with what a reviewer sorts by."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from decimal import Decimal
from typing import Any

from juesuan.serve.policy import Actor
from juesuan.serve.services import datasets, deadlines
from juesuan.serve.services.context import ServiceContext
from juesuan.serve.services.figures import decimal_or_none, version_figures

TOTAL = "expenditure.grand_total"
TOTAL_RATE = "income.grand_total.rate"  # 收入、支出总计相等：同一个同比


@dataclass
class InboxRow:
    department: str
    department_name: str
    region: str
    year: int
    state: str
    state_label: str
    version: int | None
    errors: int = 0
    warnings: int = 0
    total: Decimal | None = None
    rate: Decimal | None = None
    deadline: deadlines.DeadlineView | None = None

    def to_dict(self) -> dict[str, Any]:
        out = asdict(self)
        for key in ("total", "rate"):
            out[key] = str(out[key]) if out[key] is not None else None
        return out


def inbox(ctx: ServiceContext, actor: Actor, year: int | None = None) -> list[InboxRow]:
    """Every department-year the actor may see with counts, total expenditure, its change
    on the previous year and the region's deadline."""
    due = deadlines.lookup(ctx)
    rows = []
    for d in datasets.list_disclosures(ctx, actor, year):
        row = InboxRow(
            d.department,
            d.department_name,
            d.region,
            d.year,
            d.state,
            d.state_label,
            d.current_version,
            d.errors or 0,
            d.warnings or 0,
            deadline=deadlines.view_for(due, d.region, d.year, d.state),
        )
        if d.current_version is not None:
            figs = version_figures(ctx, actor, d.department, d.year)
            row.total = decimal_or_none(figs.get(TOTAL, {}).get("value"))
            row.rate = decimal_or_none(figs.get(TOTAL_RATE, {}).get("value"))
        rows.append(row)
    return rows
