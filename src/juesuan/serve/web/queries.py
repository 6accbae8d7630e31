"""Read-only questions the pages ask that the service layer does not answer yet.

Each function authorises through the existing services first (or the policy) and then reads
with the ORM or the library; none decides anything itself. Candidates to move into
:mod:`juesuan.serve.services`.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from sqlalchemy import select

from juesuan.serve.models import DatasetVersion, Disclosure, User
from juesuan.serve.policy import Actor
from juesuan.serve.services import datasets
from juesuan.serve.services.context import ServiceContext
from juesuan.serve.services.organisation import UserView, find_department, user_view

TOTAL = "expenditure.grand_total"
TOTAL_RATE = "income.grand_total.rate"  # 收入、支出总计相等：同一个同比


def whoami(ctx: ServiceContext, actor: Actor) -> tuple[UserView | None, str | None]:
    """The signed-in user and the name of their department (preparers)."""
    if actor.user_id is None:
        return None, None
    with ctx.db.read() as session:
        user = session.get(User, actor.user_id)
        if user is None:
            return None, None
        return user_view(user), user.department.name if user.department else None


def version_figures(
    ctx: ServiceContext, actor: Actor, code: str, year: int, number: int | None = None
) -> dict[str, dict[str, Any]]:
    """Every computed figure of a version (id → value, formula, inputs, source), from the
    library's JSON companion; empty when the version did not load."""
    from juesuan import pipeline

    view = datasets.get_version(ctx, actor, code, year, number)  # authorises the read
    with ctx.db.read() as session:
        dept = find_department(session, code)
        row = session.scalar(
            select(DatasetVersion)
            .join(Disclosure, DatasetVersion.disclosure_id == Disclosure.id)
            .where(
                Disclosure.department_id == dept.id,
                Disclosure.year == year,
                DatasetVersion.number == view.number,
            )
        )
        assert row is not None
        content, profile = row.content, dept.profile
    if view.status != "accepted":
        return {}
    _, loaded, refused = datasets.analyse_upload(ctx, content, None, view.filename, profile)
    if refused is not None or loaded.analysis is None:
        return {}
    data = json.loads(pipeline.figures_json(loaded.analysis))
    out = {}
    for fig in data.get("figures", []):
        source = dict(fig.get("source") or {})
        if "file" in source:  # the service's private temporary file: show the user's name
            source["file"] = view.filename
        fig["source"] = source
        out[fig["id"]] = fig
    return out


def _decimal(value: Any) -> Decimal | None:
    try:
        return Decimal(str(value)) if value is not None else None
    except InvalidOperation:
        return None


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
    comment: str | None = None


def inbox(ctx: ServiceContext, actor: Actor, year: int | None = None) -> list[InboxRow]:
    """Every department-year the actor may see with counts, total expenditure and its
    change on the previous year."""
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
        )
        if d.current_version is not None:
            v = datasets.get_version(ctx, actor, d.department, d.year)
            row.errors, row.warnings = v.errors, v.warnings
            figs = version_figures(ctx, actor, d.department, d.year)
            row.total = _decimal(figs.get(TOTAL, {}).get("value"))
            row.rate = _decimal(figs.get(TOTAL_RATE, {}).get("value"))
        rows.append(row)
    return rows


@dataclass
class Comparison:
    old: int
    new: int
    changed: list[dict[str, Any]] = field(default_factory=list)
    appeared: list[dict[str, Any]] = field(default_factory=list)
    disappeared: list[dict[str, Any]] = field(default_factory=list)


def _finding_key(f: dict[str, Any]) -> tuple[str, str]:
    return f.get("code", ""), f.get("message", "")


def compare(
    ctx: ServiceContext, actor: Actor, code: str, year: int, old: int, new: int
) -> Comparison:
    """Figures whose value differs between two versions, and findings that appeared or
    disappeared."""
    a = version_figures(ctx, actor, code, year, old)
    b = version_figures(ctx, actor, code, year, new)
    result = Comparison(old, new)
    for fid in sorted(set(a) | set(b)):
        va, vb = a.get(fid, {}).get("value"), b.get(fid, {}).get("value")
        if _decimal(va) != _decimal(vb):
            result.changed.append(
                {"id": fid, "old": va, "new": vb, "unit": (b.get(fid) or a.get(fid))["unit"]}
            )
    _, fa = datasets.get_findings(ctx, actor, code, year, old)
    _, fb = datasets.get_findings(ctx, actor, code, year, new)
    ka, kb = {_finding_key(f) for f in fa}, {_finding_key(f) for f in fb}
    result.appeared = [f for f in fb if _finding_key(f) not in ka]
    result.disappeared = [f for f in fa if _finding_key(f) not in kb]
    return result
