"""How the pages show amounts, rates, times and places (finance-office conventions)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal, InvalidOperation
from typing import Any

from markupsafe import Markup, escape


def _dec(value: Any) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        d = Decimal(str(value))
    except InvalidOperation:
        return None
    return d if d.is_finite() else None


def money(value: Any) -> str:
    """``1234.5`` → ``1,234.50``; empty for no value."""
    d = _dec(value)
    return "" if d is None else f"{d.quantize(Decimal('0.01')):,}"


def percent(value: Any) -> str:
    """``12.2`` → ``12.20%``, signed when it is a change."""
    d = _dec(value)
    return "" if d is None else f"{d.quantize(Decimal('0.01')):+,}%"


BEIJING = timezone(timedelta(hours=8))


def when(value: str | None) -> str:
    """An ISO time as ``2025-06-30 14:05`` in Beijing time (stored times are UTC)."""
    if not value:
        return ""
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return value[:16]
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(BEIJING).strftime("%Y-%m-%d %H:%M")


def where(loc: dict[str, Any] | None) -> str:
    """A finding's or figure's place: sheet!cell of a workbook, line of a YAML file, page."""
    if not loc:
        return ""
    parts = []
    if loc.get("sheet") and not str(loc.get("sheet", "")).startswith("第"):
        parts.append(f"{loc['sheet']}!{loc['cell']}" if loc.get("cell") else str(loc["sheet"]))
    if loc.get("page"):
        parts.append(f"第{loc['page']}页")
    if loc.get("line") and not loc.get("sheet"):
        parts.append(f"第{loc['line']}行")
    logical = []
    if loc.get("table"):
        logical.append(f"表「{loc['table']}」")
    if loc.get("row"):
        logical.append(f"行「{loc['row']}」")
    if loc.get("column"):
        logical.append(f"列「{loc['column']}」")
    if logical:
        parts.append(" ".join(logical))
    if not parts and loc.get("path"):
        parts.append(str(loc["path"]))
    return "；".join(parts)


def highlight(quote: str | None, stated: str | None) -> Markup:
    """The quoted text with the stated number marked (both escaped)."""
    text = quote or ""
    if not stated or stated not in text:
        return Markup(escape(text))
    before, _, after = text.partition(stated)
    return Markup(f"{escape(before)}<mark>{escape(stated)}</mark>{escape(after)}")
