"""User-facing problems as data: code, severity, Chinese message, location."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum
from typing import Any


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    @property
    def label(self) -> str:
        return {"error": "错误", "warning": "警告", "info": "提示"}[self.value]


@dataclass(frozen=True, slots=True)
class Location:
    """Where a value or problem lives: a source position and/or a logical table cell."""

    file: str | None = None
    line: int | None = None
    sheet: str | None = None
    cell: str | None = None
    table: str | None = None
    row: str | None = None
    column: str | None = None
    path: str | None = None  # dotted path inside the dataset, e.g. functional[3].expenditure.basic
    page: int | None = None  # 1-based page of a published document
    paragraph: int | None = None  # 1-based paragraph of a published document

    def describe(self) -> str:
        parts: list[str] = []
        if self.file:
            parts.append(f"{self.file}:{self.line}" if self.line else self.file)
        if self.sheet:
            parts.append(f"{self.sheet}!{self.cell}" if self.cell else self.sheet)
        if self.page is not None:
            parts.append(f"第{self.page}页")
        if self.paragraph is not None:
            parts.append(f"第{self.paragraph}段")
        logical = []
        # A workbook cell says it all: a rule's own table names are not the sheets' names.
        if not (self.sheet and self.cell):
            if self.table:
                logical.append(f"表「{self.table}」")
            if self.row:
                logical.append(f"行「{self.row}」")
            if self.column:
                logical.append(f"列「{self.column}」")
        if logical:
            parts.append(" ".join(logical))
        return "；".join(parts) if parts else "（无位置）"

    def to_dict(self) -> dict[str, Any]:
        return {k: getattr(self, k) for k in self.__slots__ if getattr(self, k) is not None}


_new_location = object.__new__
(
    _set_file,
    _set_line,
    _set_sheet,
    _set_cell,
    _set_table,
    _set_row,
    _set_column,
    _set_path,
    _set_page,
    _set_paragraph,
) = (getattr(Location, name).__set__ for name in Location.__slots__)


def located(file: str | None, line: int | None, path: str | None) -> Location:
    """``Location(file=file, line=line, path=path)``, built without the frozen dataclass's
    keyword ``__init__`` (a loader makes one per value read: ~500 per department)."""
    loc = _new_location(Location)
    _set_file(loc, file)
    _set_line(loc, line)
    _set_sheet(loc, None)
    _set_cell(loc, None)
    _set_table(loc, None)
    _set_row(loc, None)
    _set_column(loc, None)
    _set_path(loc, path)
    _set_page(loc, None)
    _set_paragraph(loc, None)
    return loc


@dataclass(frozen=True, slots=True)
class Finding:
    code: str
    severity: Severity
    message: str
    location: Location = field(default_factory=Location)
    stated: Decimal | None = None
    expected: Decimal | None = None

    @property
    def difference(self) -> Decimal | None:
        if self.stated is None or self.expected is None:
            return None
        return self.stated - self.expected

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "code": self.code,
            "severity": self.severity.value,
            "message": self.message,
            "location": self.location.to_dict(),
        }
        for name in ("stated", "expected", "difference"):
            value = getattr(self, name)
            if value is not None:
                out[name] = str(value)
        return out

    def render(self) -> str:
        return f"[{self.severity.label}] {self.code} {self.location.describe()}：{self.message}"


class JuesuanError(Exception):
    """Raised when input cannot be processed at all; carries the findings that explain why."""

    def __init__(self, findings: list[Finding]):
        super().__init__("; ".join(f.render() for f in findings))
        self.findings = findings


def has_errors(findings: list[Finding]) -> bool:
    return any(f.severity is Severity.ERROR for f in findings)
