"""The append-only audit trail: who did what, when, from where."""

from __future__ import annotations

import csv
import io
import json
from dataclasses import asdict, dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, insert, select
from sqlalchemy.orm import Session

from juesuan.serve.models import AuditRecord, utcnow
from juesuan.serve.policy import Action, Actor, authorize
from juesuan.serve.services.context import ServiceContext, iso


def record(
    session: Session,
    actor: Actor,
    action: str,
    obj: str | None = None,
    details: dict[str, Any] | None = None,
    username: str | None = None,
) -> None:
    """Add an audit row to ``session`` (committed with the change it records)."""
    session.add(
        AuditRecord(
            user_id=actor.user_id,
            username=actor.name or username,
            address=actor.address,
            action=action,
            object=obj,
            details=details or {},
        )
    )


def record_now(
    ctx: ServiceContext,
    actor: Actor,
    action: str,
    obj: str | None = None,
    details: dict[str, Any] | None = None,
    username: str | None = None,
) -> None:
    """An audit row in its own transaction (for events that change nothing else)."""
    record_many(ctx, actor, obj, [(action, details or {})], username)


def record_many(
    ctx: ServiceContext,
    actor: Actor,
    obj: str | None,
    records: list[tuple[str, dict[str, Any]]],
    username: str | None = None,
) -> None:
    """Audit rows ``(action, details)`` about one object in one short transaction (a plain
    INSERT: downloads are frequent)."""
    with ctx.db.write_connection() as conn:
        insert_many(conn, actor, obj, records, username)


def insert_many(
    conn: Connection,
    actor: Actor,
    obj: str | None,
    records: list[tuple[str, dict[str, Any]]],
    username: str | None = None,
) -> None:
    """The rows of :func:`record_many`, in the caller's write transaction."""
    rows = [
        {
            "at": utcnow(),
            "user_id": actor.user_id,
            "username": actor.name or username,
            "address": actor.address,
            "action": action,
            "object": obj,
            "details": details,
        }
        for action, details in records
    ]
    conn.execute(insert(AuditRecord), rows)


@dataclass
class AuditView:
    id: int
    at: str | None
    user_id: int | None
    username: str | None
    address: str | None
    action: str
    object: str | None
    details: dict[str, Any]

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def _view(r: AuditRecord) -> AuditView:
    return AuditView(
        r.id, iso(r.at), r.user_id, r.username, r.address, r.action, r.object, r.details
    )


def list_records(
    ctx: ServiceContext,
    actor: Actor,
    *,
    action: str | None = None,
    username: str | None = None,
    since: datetime | None = None,
    limit: int = 200,
    offset: int = 0,
) -> list[AuditView]:
    authorize(actor, Action.AUDIT_READ)
    q = select(AuditRecord).order_by(AuditRecord.id.desc())
    if action:
        q = q.where(AuditRecord.action == action)
    if username:
        q = q.where(AuditRecord.username == username)
    if since:
        q = q.where(AuditRecord.at >= since)
    with ctx.db.read() as session:
        rows = session.scalars(q.limit(max(1, min(limit, 5000))).offset(max(0, offset))).all()
        return [_view(r) for r in rows]


def export_csv(ctx: ServiceContext, actor: Actor, **filters: Any) -> str:
    """The audit trail as CSV (UTF-8 with BOM so that Excel opens the Chinese correctly)."""
    rows = list_records(ctx, actor, limit=5000, **filters)
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(["编号", "时间", "用户", "地址", "操作", "对象", "详情"])
    for r in rows:
        cells = [
            r.username,
            r.address,
            r.action,
            r.object,
            json.dumps(r.details, ensure_ascii=False),
        ]
        w.writerow([r.id, r.at, *(_cell(c) for c in cells)])
    return "\ufeff" + buf.getvalue()


def _cell(value: str | None) -> str:
    """A CSV cell that a spreadsheet will not run as a formula."""
    text = value or ""
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text
