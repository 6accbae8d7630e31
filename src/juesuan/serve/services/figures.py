"""The computed figures of a dataset version, and what changed between two versions."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from juesuan.serve.errors import Invalid
from juesuan.serve.policy import Actor
from juesuan.serve.services.context import ServiceContext
from juesuan.serve.services.datasets import (
    Located,
    StoredVersion,
    analyse_upload,
    locate,
    stored_version,
)


def decimal_or_none(value: Any) -> Decimal | None:
    try:
        return Decimal(str(value)) if value is not None else None
    except InvalidOperation:
        return None


def _figures(ctx: ServiceContext, place: Located, found: StoredVersion) -> dict[str, dict]:
    """Figures of a stored version (cached: versions never change within a process)."""
    from juesuan import pipeline

    view = found.view
    key = (place.disclosure_id, view.number)
    cached = ctx.figures.get(key)
    if cached is not None:
        return cached
    out: dict[str, dict[str, Any]] = {}
    if view.status == "accepted":
        content = found.content(ctx)
        _, loaded, refused = analyse_upload(
            ctx, content, None, view.filename, place.profile, analysis=True
        )
        if refused is None and loaded.analysis is not None:
            data = json.loads(pipeline.figures_json(loaded.analysis))
            for fig in data.get("figures", []):
                source = dict(fig.get("source") or {})
                if "file" in source:  # the service's private temporary file: the user's name
                    source["file"] = view.filename
                fig["source"] = source
                out[fig["id"]] = fig
    ctx.figures.put(key, out)
    return out


def version_figures(
    ctx: ServiceContext, actor: Actor, code: str, year: int, number: int | None = None
) -> dict[str, dict[str, Any]]:
    """Every computed figure of a version (id → value, formula, inputs, source), from the
    library's JSON companion; empty when the version did not load."""
    place = locate(ctx, actor, code, year)  # authorises the read
    return _figures(ctx, place, stored_version(ctx, place, number))


@dataclass
class Comparison:
    old: int
    new: int
    changed: list[dict[str, Any]] = field(default_factory=list)
    appeared: list[dict[str, Any]] = field(default_factory=list)
    disappeared: list[dict[str, Any]] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def _finding_key(f: dict[str, Any]) -> tuple[str, str]:
    return f.get("code", ""), f.get("message", "")


def compare(
    ctx: ServiceContext, actor: Actor, code: str, year: int, old: int, new: int
) -> Comparison:
    """Figures whose value differs between two versions (old → new), and findings that
    appeared or disappeared. Rejected versions have no figures, only findings."""
    if old < 1 or new < 1:
        raise Invalid("版本号应为正整数", {"old": old, "new": new})
    place = locate(ctx, actor, code, year)  # authorises the read
    va, vb = stored_version(ctx, place, old), stored_version(ctx, place, new)
    a, b = _figures(ctx, place, va), _figures(ctx, place, vb)
    result = Comparison(old, new)
    for fid in sorted(set(a) | set(b)):
        old_value, new_value = a.get(fid, {}).get("value"), b.get(fid, {}).get("value")
        if decimal_or_none(old_value) != decimal_or_none(new_value):
            unit = (b.get(fid) or a.get(fid) or {}).get("unit")
            result.changed.append({"id": fid, "old": old_value, "new": new_value, "unit": unit})
    ka, kb = {_finding_key(f) for f in va.findings}, {_finding_key(f) for f in vb.findings}
    result.appeared = [f for f in vb.findings if _finding_key(f) not in ka]
    result.disappeared = [f for f in va.findings if _finding_key(f) not in kb]
    return result
