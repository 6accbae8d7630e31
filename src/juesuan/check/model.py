"""Check results: findings with their quoted source, and per-rule coverage."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from juesuan.core.findings import Finding, Location
from juesuan.core.money import round_to


@dataclass
class Item:
    """One finding with where it came from in the document."""

    finding: Finding
    quote: str = ""

    @property
    def page(self) -> int | None:
        return self.finding.location.page

    @property
    def paragraph(self) -> int | None:
        return self.finding.location.paragraph

    def to_dict(self) -> dict[str, Any]:
        out = self.finding.to_dict()
        if self.quote:
            out["quote"] = self.quote
        return out

    def where(self) -> str:
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
