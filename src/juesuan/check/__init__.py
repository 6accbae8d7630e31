"""Checker for published disclosures (text, DOCX, PDF).

``check_file(path)`` reads the document, recovers its standard tables into a Dataset that the
shared rule catalog runs on, checks the figures stated in the narrative and the performance
tables, and returns a :class:`CheckReport` with per-rule coverage.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from juesuan.check.model import Coverage, Item, merge_repeats
from juesuan.check.read.reading import Reading
from juesuan.core.findings import Finding, Location, Severity

if TYPE_CHECKING:
    from juesuan.check.read.source import SourceDoc


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
    reading: Reading | None = None

    @property
    def headline(self) -> str:
        """How reliably the document was read (the report's first line)."""
        if self.reading is None:
            return "读取情况：文件未能读取。"
        return self.reading.headline()

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


def check_file(
    path: str | Path,
    engine: str = "pdfium",
    *,
    source: Callable[[], tuple[SourceDoc | None, list[Finding]]] | None = None,
) -> CheckReport:
    """Check the published document at ``path``. ``source``: a function that gives what
    :func:`juesuan.check.read.reader.read` gives for ``path`` (:mod:`juesuan.check.ahead`
    reads in a helper process while this one loads the checker)."""
    from juesuan.check.department_name import DepartmentName
    from juesuan.check.narrative import NarrativeChecker
    from juesuan.check.narrative_tables import check_against_tables
    from juesuan.check.read.reader import read
    from juesuan.check.sink import Sink
    from juesuan.check.structure import StructureChecker
    from juesuan.check.tables import TableChecker
    from juesuan.check.text import paragraphs
    from juesuan.check.years import YearChecks

    doc, problems = source() if source is not None else read(path, engine=engine)
    report = CheckReport(str(path), None)
    if doc is None:
        report.fatal = problems
        return report
    report.kind = doc.kind
    from juesuan.check.read.reading import nothing_readable, screen_pages

    reading = Reading(doc.kind)
    report.reading = reading
    sink = Sink(str(path))
    screen_pages(doc, reading)
    why = nothing_readable(doc, reading)
    if why is not None:  # the reading failed everywhere: no finding could be trusted
        message = (
            f"PDF的全部页面无法可靠读取（{why}），无法检查；请提供原始Word文件或可复制文字的PDF"
        )
        report.fatal = [Finding("CHK-007", Severity.ERROR, message, Location(file=str(path)))]
        return report
    for page_no, why in sorted(reading.unreliable_pages.items()):
        sink.unreadable(f"第{page_no}页无法可靠读取：{why}；该页未检查", page=page_no)
    year = document_year([ln.text for ln in doc.lines[:400]])
    report.year = year
    grids, pages, unread = _pdf_grids(doc)
    for title, page_no in unread:
        name = "".join(title.split()) + f"（第{page_no}页）"
        if reading.distrust(name, "只读到表题，没有可读取的表格线，表格内容未能恢复"):
            sink.unreadable(
                f"表「{name}」无法可靠读取：只读到表题，没有可读取的表格线，表格内容未能恢复；"
                "该表未检查",
                page=page_no,
                table=name,
            )
    structure = StructureChecker(doc, sink)
    structure.run()
    YearChecks(doc, sink, year).run()
    DepartmentName(doc, sink).run()
    profile = structure.layout.name if structure.layout else "sichuan-2024"
    # the running text: on a PDF page holding a table only the table's body is left out
    # (titles, part headings and notes around it are read)
    paras = paragraphs(doc, skip_lines=_table_body(doc, pages))
    tables = TableChecker(doc, sink, year, paras, grids, profile, reading)
    tables.run()
    NarrativeChecker(doc, sink, year).run(paras)
    if tables.analysis is not None:  # last: a place another rule reported is not repeated
        check_against_tables(tables.analysis, paras, sink, tables.unread_funds)
    elif tables.misread:
        sink.cannot("CHK-122", "、".join(tables.misread) + "无法可靠读取，文中数字未与报表核对")
    else:
        sink.cannot("CHK-122", "未能从报表恢复出可计算的数据")
    # pages that could not be read, then the findings; the same finding at several places once
    report.items = merge_repeats([Item(f) for f in problems] + sink.items)
    report.rounding = sink.rounding
    report.coverage = list(sink.coverage.values()) + tables.rule_coverage
    report.tables_found = tables.found
    return report


def _table_body(doc, pages: set[int]) -> set[tuple[int | None, int]]:
    """(page, line) of the table bodies on the given PDF pages: from a table title (exclusive)
    to a note or part heading that ends the table, or to the next title; a page without a title
    (a table continued) is body down to such an ending line."""
    from juesuan.check.read.pdf_grid import _is_title_line
    from juesuan.check.read.pdf_tables import END

    body: set[tuple[int | None, int]] = set()
    for page in doc.pages:
        if page.number not in pages:
            continue
        inside = not any(_is_title_line(ln) for ln in page.lines)  # a continued table
        for n, line in enumerate(page.lines, 1):
            text = "".join(w.text for w in line)
            if _is_title_line(line):
                inside = True
                continue
            if inside and END.match(text):
                inside = False
            if inside:
                body.add((page.number, n))
    return body


def _pdf_grids(doc) -> tuple[list, set[int], list[tuple[str, int]]]:
    """A PDF's tables as grids (the other readers give them directly), their pages, and the
    titles of ruled tables whose grid could not be read."""
    if doc.kind != "pdf":
        return [], set(), []
    from juesuan.check.read.pdf_grid import ruled_tables
    from juesuan.check.read.pdf_tables import pdf_tables

    unread: list[tuple[str, int]] = []
    ruled, ruled_pages = ruled_tables(doc, unread)
    # code tables printed without ruling lines: read from the alignment of their amounts
    standard, pages = pdf_tables(doc, aligned=frozenset(title for title, _ in unread))
    read = {t.title for t in standard}
    unread = [(title, page) for title, page in unread if title not in read]
    # performance tables (附表1/附表2) printed without ruling lines: read from word positions
    # where the geometry is unambiguous
    kept = []
    for title, page in unread:
        table = _aligned_performance(doc, title, page)
        if table is None:
            kept.append((title, page))
        else:
            ruled.append(table)
    unread = kept
    # in page order, however each table was read (by words, borders or alignment)
    grids = sorted(standard + ruled, key=lambda t: t.page or 0)
    return grids, pages | ruled_pages, unread


def _aligned_performance(doc, title: str, page: int):
    from juesuan.check.read.pdf_aligned import aligned_performance
    from juesuan.check.read.pdf_grid import PERFORMANCE, _is_title_line
    from juesuan.check.read.pdf_tables import END

    if not any(p in "".join(title.split()) for p in PERFORMANCE):
        return None

    def ends(line) -> bool:
        return _is_title_line(line) or bool(END.match("".join(w.text for w in line)))

    return aligned_performance(doc, title, page, ends)
