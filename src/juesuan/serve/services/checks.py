"""``juesuan check`` on uploaded published documents; the findings are kept with the file."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import asdict, dataclass
from typing import Any

from juesuan.serve.errors import NotFound
from juesuan.serve.models import CheckRun
from juesuan.serve.policy import Action, Actor, Target, authorize
from juesuan.serve.services import audit
from juesuan.serve.services.context import ServiceContext, iso
from juesuan.serve.services.datasets import safe_filename
from juesuan.serve.services.library import check_bytes
from juesuan.serve.uploads import document_kind


@dataclass
class CheckView:
    id: str
    filename: str
    kind: str
    sha256: str
    size: int
    errors: int
    warnings: int
    created_at: str | None
    report: dict[str, Any]

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def _view(run: CheckRun) -> CheckView:
    return CheckView(
        run.id,
        run.filename,
        run.kind,
        run.sha256,
        run.size,
        run.errors,
        run.warnings,
        iso(run.created_at),
        run.report,
    )


def check_document(
    ctx: ServiceContext, actor: Actor, data: bytes, filename: str | None
) -> CheckView:
    authorize(actor, Action.CHECK_CREATE)
    kind = document_kind(data, ctx.settings.limits)
    name = safe_filename(filename, kind)
    report = check_bytes(data, kind, name)
    severities = [f.get("severity") for f in report.get("findings", []) if isinstance(f, dict)]
    run = CheckRun(
        id=secrets.token_hex(16),
        user_id=actor.user_id,
        filename=name,
        kind=kind,
        sha256=hashlib.sha256(data).hexdigest(),
        size=len(data),
        content=data,
        report=report,
        errors=severities.count("error"),
        warnings=severities.count("warning"),
    )
    with ctx.db.write() as session:
        session.add(run)
        audit.record(
            session, actor, "check.upload", run.id, {"filename": name, "sha256": run.sha256}
        )
        session.flush()
        return _view(run)


def get_check(ctx: ServiceContext, actor: Actor, check_id: str) -> CheckView:
    authorize(actor, Action.CHECK_CREATE)  # anonymous: 401 before anything is looked up
    with ctx.db.read() as session:
        run = session.get(CheckRun, check_id[:64])
        if run is None:
            raise NotFound("没有这次检查", {"id": check_id[:64]})
        authorize(actor, Action.CHECK_READ, Target(owner_id=run.user_id))
        return _view(run)
