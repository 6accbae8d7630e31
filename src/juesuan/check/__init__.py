"""Checker for published disclosures (text, DOCX, PDF).

``check_file(path)`` reads the document, recovers its standard tables into a Dataset that the
shared rule catalog runs on, checks the figures stated in the narrative and the performance
tables, and returns a :class:`CheckReport` with per-rule coverage.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from juesuan.check.model import Coverage, Item
from juesuan.core.findings import Finding, Severity


@dataclass
class CheckReport:
    path: str
    kind: str | None
    year: int | None = None
    items: list[Item] = field(default_factory=list)
    rounding: list[Item] = field(default_factory=list)
    coverage: list[Coverage] = field(default_factory=list)
    tables_found: list[str] = field(default_factory=list)
    fatal: list[Finding] = field(default_factory=list)
    quotes: dict[int, str] = field(default_factory=dict)

    @property
    def findings(self) -> list[Finding]:
        out = [i.finding for i in self.items]
        if self.rounding:
            out.append(rounding_note(self).finding)
        return self.fatal + out

    @property
    def ok(self) -> bool:
        return not any(f.severity is Severity.ERROR for f in self.findings)


def rounding_note(report: CheckReport) -> Item:
    from juesuan.core.findings import Location

    detail = "；".join(f"{i.where()} {i.finding.message}" for i in report.rounding[:20])
    more = "" if len(report.rounding) <= 20 else f"；等{len(report.rounding)}处"
    msg = f"{len(report.rounding)}处数字与计算值仅差舍入误差（四舍五入后的分项计算所致），不视为错误：{detail}{more}"
    return Item(Finding("CHK-900", Severity.INFO, msg, Location(file=report.path)))


def document_year(lines: list[str]) -> int | None:
    counts = Counter(int(y) for text in lines for y in re.findall(r"(20\d\d)\s*年度", text))
    if not counts:
        counts = Counter(int(y) for text in lines for y in re.findall(r"(20\d\d)\s*年", text))
    if not counts:
        counts = Counter(
            int(y) for text in lines for y in re.findall(r"(?<!\d)(20\d\d)(?!\d)", text)
        )
    if not counts:
        return None
    return counts.most_common(1)[0][0]


def check_file(path: str | Path, engine: str = "pdfium") -> CheckReport:
    from juesuan.check.narrative import NarrativeChecker
    from juesuan.check.narrative_tables import check_against_tables
    from juesuan.check.read.reader import read
    from juesuan.check.sink import Sink
    from juesuan.check.structure import StructureChecker
    from juesuan.check.tables import TableChecker
    from juesuan.check.text import paragraphs

    doc, problems = read(path, engine=engine)
    report = CheckReport(str(path), None)
    if doc is None:
        report.fatal = problems
        return report
    report.kind = doc.kind
    year = document_year([ln.text for ln in doc.lines[:400]])
    report.year = year
    sink = Sink(str(path))
    grids, pages = _pdf_grids(doc)
    structure = StructureChecker(doc, sink)
    structure.run()
    profile = structure.layout.name if structure.layout else "sichuan-2024"
    paras = paragraphs(doc, pages)  # the running text, without the table pages of a PDF
    tables = TableChecker(doc, sink, year, paras, grids, profile)
    tables.run()
    NarrativeChecker(doc, sink, year).run(paras)
    if tables.analysis is not None:  # last: a place another rule reported is not repeated
        check_against_tables(tables.analysis, paras, sink)
    else:
        sink.cannot("CHK-122", "未能从报表恢复出可计算的数据")
    report.items = [Item(f) for f in problems] + sink.items  # pages that could not be read
    report.rounding = sink.rounding
    report.coverage = list(sink.coverage.values()) + tables.rule_coverage
    report.tables_found = tables.found
    return report


def _pdf_grids(doc) -> tuple[list, set[int]]:
    """A PDF's tables as grids (the other readers give them directly), and their pages."""
    if doc.kind != "pdf":
        return [], set()
    from juesuan.check.read.pdf_grid import ruled_tables
    from juesuan.check.read.pdf_tables import pdf_tables

    standard, pages = pdf_tables(doc)
    ruled, ruled_pages = ruled_tables(doc)
    return standard + ruled, pages | ruled_pages
