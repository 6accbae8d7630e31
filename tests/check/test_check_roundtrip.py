"""Round trip: the documents juesuan builds for both samples check clean, in every format the
checker reads (DOCX, PDF, HTML, Markdown).

"Clean" means no error, and no warning that is not in the data itself: a project's 预算执行
score 8.5 where its 100% execution of a weight of 10 gives 10 is real and must be found. The
seed's indicator system declares group points (预算管理 21 …) that its indicators do not add
up to: validation warns (PERF-001/PERF-003) and 附表1 prints each group's points as the sum of
its indicators' (docs/figures.md), so the table adds up. The Putuo document juesuan builds
prints one value per figure (the published table totals 2,946.25 / 2,940.05 in every table),
so it checks clean.
"""

from __future__ import annotations

import pytest

from juesuan.check import check_file
from juesuan.core.findings import Severity

pytestmark = pytest.mark.slow


def _errors(report):
    return [i for i in report.items if i.finding.severity is Severity.ERROR]


# every format the checker reads; the PDF with both text engines
FORMATS = [
    ("docx", "pdfium"),
    ("html", "pdfium"),
    ("md", "pdfium"),
    ("pdf", "pdfium"),
    ("pdf", "pdfplumber"),
]


@pytest.mark.parametrize(("fmt", "engine"), FORMATS)
def test_seed_checks_clean(built, fmt, engine):
    report = check_file(built[("seed", fmt)], engine=engine)
    assert not report.fatal
    assert len(report.tables_found) >= 6, report.tables_found
    assert [i.finding.render() for i in _errors(report)] == []
    # and the data's own: the project's 预算执行 score 8.5 where 执行率100% × 权重10 gives 10
    warnings = {
        (i.finding.code, str(i.finding.stated), str(i.finding.expected))
        for i in report.items
        if i.finding.severity is Severity.WARNING and i.finding.code != "CHK-201"
    }
    assert warnings == {("CHK-209", "8.5", "10.0")}, warnings


@pytest.mark.parametrize(("fmt", "engine"), FORMATS)
def test_putuo_checks_clean_but_for_its_data(built, fmt, engine):
    report = check_file(built[("putuo", fmt)], engine=engine)
    assert not report.fatal
    assert len(report.tables_found) >= 7, report.tables_found
    serious = [i.finding.render() for i in report.items if i.finding.severity is not Severity.INFO]
    assert serious == []
    # our output recomputes the shares; a stated 326.71 beside its detail sum 326.72 is at most
    # the pipeline's own rounding note (information), never an error
    serious = [i for i in report.items if i.finding.severity is not Severity.INFO]
    text = " ".join(i.finding.message for i in serious + report.rounding)
    assert "326.71" not in text and "71.73" not in text


def _subtotals(report):
    return sorted(
        (i.finding.location.row, i.finding.stated, i.finding.expected, i.finding.message)
        for i in report.items
        if i.finding.code == "CHK-201"
    )


@pytest.mark.parametrize("engine", ["pdfplumber", "pdfium"])
def test_seed_pdf_perf_table_subtotals_as_docx(built, engine):
    """附表1 of the PDF (landscape, merged 一级/二级 cells split over pages, wrapped texts) is
    read from its drawn cell borders and its subtotals checked as the DOCX's: the printed
    group points (the sums of their indicators', 预算管理 8+9+8+6 = 31) add up in both."""
    docx = check_file(built[("seed", "docx")])
    pdf = check_file(built[("seed", "pdf")], engine=engine)
    assert _subtotals(pdf) == _subtotals(docx) == []
    for report in (docx, pdf):
        status = {c.code: c for c in report.coverage}
        assert status["CHK-201"].checked, status["CHK-201"]
    cannot = [m for c in pdf.coverage if c.code in ("CHK-201", "CHK-203") for m in c.cannot]
    assert not [m for m in cannot if "没有可读取" in m], cannot


def _grid(table) -> list[list[str]]:
    return [["".join(c.split()) for c in r.cells] for r in table.rows]


@pytest.mark.parametrize("engine", ["pdfplumber", "pdfium"])
def test_seed_pdf_ruled_tables_read_as_the_docx(built, engine):
    """The 明细表, 项目支出表, fund tables and both self-evaluation tables are read from the
    PDF's drawn borders into the very grid the DOCX reader gives (merged cells, wrapped names,
    tables continued over pages without their repeated header)."""
    from juesuan.check.read.pdf_grid import is_ruled_title, ruled_tables
    from juesuan.check.read.reader import read

    pdf, _ = read(built[("seed", "pdf")], engine=engine)
    docx, _ = read(built[("seed", "docx")])
    from_pdf, pages = ruled_tables(pdf)
    from_docx = [t for t in docx.tables if is_ruled_title(t.title)]
    assert len(from_pdf) == len(from_docx) == 9
    for a, b in zip(from_pdf, from_docx, strict=True):
        assert "".join(a.title.split()) == "".join(b.title.split())
        assert _grid(a) == _grid(b), a.title
    assert all(r.page for t in from_pdf for r in t.rows)
    assert len(pages) >= 12


def test_seed_pdf_checks_what_the_docx_checks(built):
    docx = check_file(built[("seed", "docx")])
    pdf = check_file(built[("seed", "pdf")])
    for report in (docx, pdf):
        status = {c.code: c for c in report.coverage}
        for code in ("CHK-120", "CHK-202", "CHK-204", "CHK-205", "CHK-206", "CHK-207"):
            assert status[code].checked and not status[code].cannot, (code, status[code])
    assert {i.finding.code for i in pdf.items} == {i.finding.code for i in docx.items}


def test_seed_same_findings_in_every_format(built):
    """The HTML and Markdown readers recover the tables the DOCX reader does: the same findings
    (the DOCX and HTML number paragraphs, PDF and Markdown give pages and lines instead)."""

    def what(report):
        return sorted(
            (i.finding.code, i.finding.location.row, str(i.finding.stated), str(i.finding.expected))
            for i in report.items
        )

    found = {fmt: what(check_file(built[("seed", fmt)])) for fmt in ("docx", "pdf", "html", "md")}
    assert found["html"] == found["docx"] == found["md"] == found["pdf"]
    assert len(found["docx"]) == 1
