"""Deadlines: the date by which a region's departments publish a year's disclosure.

An admin sets one per region and year; the department home, the review inbox and the API
show it with the days left (or how long it is overdue) counted in China Standard Time.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import UTC, date, datetime, timedelta, timezone
from typing import Any

from sqlalchemy import delete, select

from juesuan.serve.errors import Invalid, NotFound
from juesuan.serve.models import Deadline, Department, Region, Role, State, utcnow
from juesuan.serve.policy import Action, Actor, authorize
from juesuan.serve.services import audit
from juesuan.serve.services.context import ServiceContext, iso

CHINA = timezone(timedelta(hours=8), "CST")  # no daylight saving: a fixed offset is exact


def today() -> date:
    return datetime.now(UTC).astimezone(CHINA).date()


@dataclass
class DeadlineView:
    region: str
    year: int
    due: str  # ISO date
    days_left: int  # negative once the date has passed
    overdue: bool  # past the date and (when a state is known) not yet published
    published: bool  # the department-year it is shown for is published
    label: str  # 还剩 N 天 / 今天截止 / 已逾期 N 天 / 已公开
    updated_at: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def describe(
    region: str, year: int, due: date, state: str | None = None, on: date | None = None
) -> DeadlineView:
    """The deadline as people read it, on the day ``on`` (today in China by default)."""
    days = (due - (on or today())).days
    published = state == State.PUBLISHED.value
    if published:
        label = "已公开"
    elif days > 0:
        label = f"还剩 {days} 天"
    elif days == 0:
        label = "今天截止"
    else:
        label = f"已逾期 {-days} 天"
    return DeadlineView(
        region, year, due.isoformat(), days, days < 0 and not published, published, label
    )


def lookup(ctx: ServiceContext) -> dict[tuple[str, int], date]:
    """Every deadline by (region name, year): few rows, read once per page."""
    q = select(Region.name, Deadline.year, Deadline.due).join(
        Region, Deadline.region_id == Region.id
    )
    with ctx.db.engine.connect() as conn:
        return {(name, year): due for name, year, due in conn.execute(q)}


def view_for(
    due: dict[tuple[str, int], date], region: str, year: int, state: str | None
) -> DeadlineView | None:
    found = due.get((region, year))
    return describe(region, year, found, state) if found is not None else None


def for_disclosure(
    ctx: ServiceContext, region: str, year: int, state: str | None
) -> DeadlineView | None:
    q = (
        select(Deadline.due)
        .join(Region, Deadline.region_id == Region.id)
        .where(Region.name == region, Deadline.year == year)
    )
    with ctx.db.engine.connect() as conn:
        found = conn.scalar(q)
    return describe(region, year, found, state) if found is not None else None


def _region_of(ctx: ServiceContext, actor: Actor) -> int | None:
    """The region whose deadlines the actor sees (None: all, for an admin)."""
    if actor.role is Role.ADMIN:
        return None
    if actor.role is Role.REVIEWER and actor.region_id is not None:
        return actor.region_id
    if actor.role is Role.PREPARER and actor.department_id is not None:
        with ctx.db.engine.connect() as conn:
            region = conn.scalar(
                select(Department.region_id).where(Department.id == actor.department_id)
            )
        if region is not None:
            return region
    authorize(actor, Action.DATASET_READ)  # anonymous: 401
    return -1  # a signed-in user without a department or region sees none


def list_deadlines(
    ctx: ServiceContext, actor: Actor, year: int | None = None
) -> list[DeadlineView]:
    """The deadlines the actor may see: an admin all; a reviewer their region's; a
    preparer their department's region's."""
    if not actor.authenticated:
        authorize(actor, Action.DATASET_READ)
    region_id = _region_of(ctx, actor)
    q = (
        select(Region.name, Deadline.year, Deadline.due, Deadline.updated_at)
        .join(Region, Deadline.region_id == Region.id)
        .order_by(Deadline.year.desc(), Region.name)
    )
    if region_id is not None:
        q = q.where(Deadline.region_id == region_id)
    if year is not None:
        q = q.where(Deadline.year == year)
    with ctx.db.engine.connect() as conn:
        rows = conn.execute(q).all()
    out = []
    for name, y, due, updated in rows:
        view = describe(name, y, due)
        view.updated_at = iso(updated)
        out.append(view)
    return out


def parse_due(value: Any) -> date:
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value or "").strip())
    except ValueError:
        raise Invalid("截止日期应为 年-月-日，如 2025-09-30", {"field": "due"}) from None


def set_deadline(
    ctx: ServiceContext, actor: Actor, region: str, year: int, due: Any
) -> DeadlineView:
    """Set (or move) the deadline of ``region`` for ``year`` (admins only)."""
    authorize(actor, Action.DEADLINE_SET)
    if not 2000 <= year <= 2100:
        raise Invalid("年度应在 2000 至 2100 之间", {"field": "year"})
    when = parse_due(due)
    if not year < when.year <= year + 2:
        raise Invalid(
            f"{year}年度决算的公开截止日期应在 {year + 1} 或 {year + 2} 年", {"field": "due"}
        )
    with ctx.db.write() as session:
        region_row = session.scalar(select(Region).where(Region.name == region))
        if region_row is None:
            raise NotFound(f"没有名为「{region}」的地区", {"field": "region", "region": region})
        row = session.scalar(
            select(Deadline).where(Deadline.region_id == region_row.id, Deadline.year == year)
        )
        before = row.due.isoformat() if row is not None else None
        if row is None:
            row = Deadline(region_id=region_row.id, year=year, due=when, set_by=actor.user_id)
            session.add(row)
        else:
            row.due, row.set_by, row.updated_at = when, actor.user_id, utcnow()
        audit.record(
            session,
            actor,
            "deadline.set",
            f"{region}/{year}",
            {"due": when.isoformat(), "before": before},
        )
    view = describe(region, year, when)
    view.updated_at = iso(utcnow())
    return view


def remove_deadline(ctx: ServiceContext, actor: Actor, region: str, year: int) -> None:
    authorize(actor, Action.DEADLINE_SET)
    with ctx.db.write() as session:
        region_row = session.scalar(select(Region).where(Region.name == region))
        if region_row is None:
            raise NotFound(f"没有名为「{region}」的地区", {"field": "region", "region": region})
        gone = session.execute(
            delete(Deadline).where(Deadline.region_id == region_row.id, Deadline.year == year)
        ).rowcount
        if not gone:
            raise NotFound(f"{region}{year}年度没有设置截止日期", {"region": region, "year": year})
        audit.record(session, actor, "deadline.remove", f"{region}/{year}")
