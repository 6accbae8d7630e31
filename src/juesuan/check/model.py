"""Check results: findings with their quoted source, and per-rule coverage."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from juesuan.core.findings import Finding, Location
from juesuan.core.money import round_to


@dataclass
class Item:
    """One finding with where it came from in the document; ``also`` holds the same finding
    at its other places (identical findings are reported once, see :func:`merge_repeats`)."""

    finding: Finding
    quote: str = ""
    also: list[Item] = field(default_factory=list)

    @property
    def page(self) -> int | None:
        return self.finding.location.page

    @property
    def paragraph(self) -> int | None:
        return self.finding.location.paragraph

    @property
    def places(self) -> list[Item]:
        """This item and the other places of the same finding, in document order."""
        return [self, *self.also]

    def to_dict(self) -> dict[str, Any]:
        out = self.finding.to_dict()
        if self.quote:
            out["quote"] = self.quote
        if self.also:
            out["places"] = [
                {**i.finding.location.to_dict(), **({"quote": i.quote} if i.quote else {})}
                for i in self.places
            ]
        return out

    def where(self) -> str:
        """Every place of the finding (“第3页，第5行；第7页，第2行”)."""
        return "；".join(i._where_one() for i in self.places)

    def _where_one(self) -> str:
        loc = self.finding.location
        parts = []
        if self.page is not None:
            parts.append(f"第{self.page}页")
        if self.paragraph is not None:
            parts.append(f"第{self.paragraph}段")
        elif loc.line is not None:
            parts.append(f"第{loc.line}行")
        logical = Location(table=loc.table, row=loc.row, column=loc.column).describe()
        if logical != "（无位置）":
            parts.append(logical)
        return "，".join(parts) if parts else "（全文）"


def merge_repeats(items: list[Item]) -> list[Item]:
    """Identical findings (same code, severity, message and figures) at several places as one
    item listing all its places, at the first place's position in the list."""
    first: dict[tuple, Item] = {}
    out: list[Item] = []
    for item in items:
        f = item.finding
        key = (f.code, f.severity, f.message, f.stated, f.expected)
        if key in first:
            head = first[key]
            known = {i.finding.location for i in head.places}
            head.also.extend(i for i in item.places if i.finding.location not in known)
            continue
        first[key] = item
        out.append(item)
    return out


@dataclass
class Coverage:
    code: str
    title: str
    checked: int = 0
    findings: int = 0
    cannot: list[str] = field(default_factory=list)

    @property
    def status(self) -> str:
        if self.findings:
            return "发现问题"
        if self.checked:
            return "已检查"
        return "无法检查"


quantize = round_to  # the checker's name for the publication rounding


def places_of(text: str) -> int:
    return len(text.split(".", 1)[1]) if "." in text else 0


def dec(text: str) -> Decimal:
    return Decimal(text.replace(",", "").replace("，", ""))
