"""What the loader has read so far: the dataset's fields, their cells and the findings."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from juesuan.core.findings import Finding, Location, Severity
from juesuan.io.workbook.cells import a1


@dataclass
class State:
    origin: str
    data: dict[str, Any] = field(default_factory=dict)
    sources: dict[str, Location] = field(default_factory=dict)
    # Input cells left blank: where a message about a missing value sends the clerk.
    blanks: dict[str, Location] = field(default_factory=dict)
    findings: list[Finding] = field(default_factory=list)
    header_end: dict[tuple[str, int], int] = field(default_factory=dict)  # (sheet, r0) → first
    # Figures a summary prints as formulas over other tables (总计, 本年支出合计, the 类 rows):
    # not read, compared with the computed figure by validation (TOT-001).
    printed: list[dict[str, Any]] = field(default_factory=list)

    def print_figure(self, figure: str, value: Any, loc: Location, table: str, row: str) -> None:
        self.sources[f"printed.{len(self.printed)}"] = loc
        self.printed.append({"figure": figure, "value": value, "table": table, "row": row})

    def loc(self, sheet: str, r: int, c: int, path: str | None = None) -> Location:
        return Location(file=self.origin, sheet=sheet, cell=a1(r, c), path=path)

    def error(self, code: str, message: str, loc: Location, sev: Severity = Severity.ERROR):
        self.findings.append(Finding(code, sev, message, loc))

    def put(self, path: str, value: Any, loc: Location) -> None:
        parts = path.split(".")
        node = self.data
        for p in parts[:-1]:
            node = node.setdefault(p, {})
        node[parts[-1]] = value
        self.sources[path] = loc
