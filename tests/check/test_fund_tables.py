"""The government-fund and 国有资本经营 tables are recovered as data, from DOCX, HTML and PDF
(ruled, or without ruling lines): a department with fund spending is checked without false
findings, a wrong figure in a fund table or in the fund narrative is found, a fund table that
cannot be read is not reported as the document's error, and an empty fund table (本表无数据)
counts as present and empty."""

from __future__ import annotations

from pathlib import Path

import docx
import pytest
from pdf_edit import replace_on_page
from pdf_variants import reencode

from conftest import BASE
from juesuan.check import check_file
from juesuan.check.read.reader import read_pdf
from juesuan.core.findings import Severity
from juesuan.io.yaml_loader import parse_yaml_text
from juesuan.pipeline import analyse, write_outputs

pytestmark = pytest.mark.slow

FUND = "政府性基金预算财政拨款收入支出决算表"
CAPITAL = "国有资本经营预算财政拨款收入支出决算表"
CAPITAL_SPENDING = "国有资本经营预算财政拨款支出决算表"


def _fund_yaml() -> str:
    """The small test dataset with 30.00 万元 of government-fund and 5.00 万元 of 国有资本经营
    spending beside its general-budget spending."""
    text = BASE.replace(
        "income:\n  general_budget: 120.00",
        "income:\n  general_budget: 120.00\n  government_fund: 30.00\n  state_capital: 5.00",
    ).replace(
        "functional:\n",
        "functional:\n"
        '  - code: "2129999"\n'
        "    name: 其他城乡社区支出\n"
        "    government_fund: {adjusted_budget: 30.00, income: 30.00, project: 30.00}\n"
        '  - code: "2230199"\n'
        "    name: 其他国有资本经营预算支出\n"
        "    state_capital: {adjusted_budget: 5.00, income: 5.00, project: 5.00}\n",
    )
    text = text.replace("grand_total: 120.00", "grand_total: 155.00")
    text = text.replace("expenditure.total, value: 120.00", "expenditure.total, value: 155.00")
    return text + (
        "code_names:\n"
        '  "22301": 国有资本经营预算支出\n'
        '  "2230199": 其他国有资本经营预算支出\n'
        "reasons:\n"
        "  government_fund_change: 新增城乡社区项目。\n"
        "  state_capital_change: 新增国有资本经营项目。\n"
    )


def _build(text: str, out: Path) -> dict[str, Path]:
    ds, problems = parse_yaml_text(text, "fund.yaml")
    assert ds is not None, problems
    analysis, _ = analyse(ds)
    out.mkdir(parents=True, exist_ok=True)
    return {p.suffix[1:]: p for p in write_outputs(analysis, out, ("html", "docx", "pdf"))}


@pytest.fixture(scope="module")
def fund_docs(tmp_path_factory) -> dict[str, Path]:
    return _build(_fund_yaml(), tmp_path_factory.mktemp("fund"))


@pytest.fixture(scope="module")
def empty_docs(tmp_path_factory) -> dict[str, Path]:
    """The same department without fund spending: its fund tables print 本表无数据."""
    return _build(BASE, tmp_path_factory.mktemp("nofund"))


def _serious(report) -> list[str]:
    bad = (Severity.ERROR, Severity.WARNING)
    return [
        f"{i.finding.code} {i.finding.message}" for i in report.items if i.finding.severity in bad
    ]


def _unreadable(report) -> list[str]:
    return [i.finding.message for i in report.items if "无法可靠读取" in i.finding.message]


def _in_table(report, words: str) -> list[str]:
    bad = (Severity.ERROR, Severity.WARNING)
    return [
        i.finding.message
        for i in report.items
        if i.finding.severity in bad
        and any(words in (x.finding.location.table or "") for x in [i, *i.also])
    ]


@pytest.mark.parametrize("fmt", ["html", "docx", "pdf", "pdf-norules"])
def test_fund_tables_are_recovered_without_false_findings(fund_docs, fmt, tmp_path):
    path = fund_docs[fmt.split("-")[0]]
    if fmt == "pdf-norules":
        path = reencode(path, tmp_path / "norules.pdf", "norules")
    report = check_file(path)
    assert _serious(report) == []
    assert _unreadable(report) == []
    found = " ".join(report.tables_found)
    for title in (FUND, CAPITAL, CAPITAL_SPENDING):
        assert title in found, report.tables_found
    assert report.headline.startswith("读取情况（可靠）")


def _fund_table(d) -> object:
    """The government-fund table: its own columns (年初结转和结余 …) and the fund's line."""
    for table in d.tables:
        cells = {c.text.strip() for row in table.rows for c in row.cells}
        if {"年初结转和结余", "其他城乡社区支出"} <= cells and "一般公共预算财政拨款" not in cells:
            return table
    raise AssertionError("no government-fund table")


def test_a_wrong_figure_in_the_fund_table_is_found(fund_docs, tmp_path):
    d = docx.Document(str(fund_docs["docx"]))
    row = _fund_table(d).rows[-1]  # the 项 row: 本年支出合计 30.00 → 31.00
    cell = next(c for c in row.cells if c.text.strip() == "30.00")
    cell.paragraphs[0].runs[0].text = "31.00"
    for run in cell.paragraphs[0].runs[1:]:
        run.text = ""
    out = tmp_path / "wrong.docx"
    d.save(str(out))
    assert _in_table(check_file(out), "政府性基金"), _serious(check_file(out))


def test_a_wrong_figure_in_the_fund_table_is_found_in_a_pdf(fund_docs, tmp_path):
    src = fund_docs["pdf"]
    page = next(
        p.number
        for p in read_pdf(src).pages
        if any(FUND in "".join(w.text for w in ln) for ln in p.lines[:3])
    )
    out = tmp_path / "wrong.pdf"
    # the last 30.00 drawn on the page: a cell of the 项 row
    n = 0
    while replace_on_page(src, tmp_path / "probe.pdf", page, "30.00", "31.00", occurrence=n + 1):
        n += 1
    assert replace_on_page(src, out, page, "30.00", "31.00", occurrence=n)
    report = check_file(out)
    assert _in_table(report, "政府性基金"), _serious(report)
    assert _unreadable(report) == []


def test_a_wrong_fund_figure_in_the_narrative_is_found(fund_docs, tmp_path):
    d = docx.Document(str(fund_docs["docx"]))
    para = next(p for p in d.paragraphs if "政府性基金预算拨款支出30.00万元" in p.text)
    text = para.text.replace("政府性基金预算拨款支出30.00万元", "政府性基金预算拨款支出32.00万元")
    para.runs[0].text = text
    for run in para.runs[1:]:
        run.text = ""
    out = tmp_path / "narrative.docx"
    d.save(str(out))
    found = [m for m in _serious(check_file(out)) if "32" in m]
    assert found


def test_an_unread_fund_table_is_not_the_documents_error(fund_docs, tmp_path):
    """Without its fund tables the document's 财政拨款 totals cannot be reconciled: they are
    not checked (and the coverage says so), never reported as errors."""
    d = docx.Document(str(fund_docs["docx"]))
    body = d.element.body
    title = ""
    for el in list(body.iterchildren()):
        tag = el.tag.rsplit("}", 1)[-1]
        text = "".join(el.itertext()).strip()
        if tag == "p" and text and not text.startswith("单位"):
            title = text
        elif tag == "tbl" and ("基金" in title or "国有资本" in title):
            body.remove(el)
    out = tmp_path / "nofundtables.docx"
    d.save(str(out))
    report = check_file(out)
    # the titles are left without a table: that is the document's (CHK-303), the rest is not
    assert [m for m in _serious(report) if not m.startswith("CHK-303")] == []
    cov = next(c for c in report.coverage if c.code == "CHK-121")
    assert any("政府性基金" in why for why in cov.cannot)


@pytest.mark.parametrize("fmt", ["docx", "pdf", "pdf-norules"])
def test_an_empty_fund_table_is_present_and_empty(empty_docs, fmt, tmp_path):
    path = empty_docs[fmt.split("-")[0]]
    if fmt == "pdf-norules":
        path = reencode(path, tmp_path / "norules.pdf", "norules")
    report = check_file(path)
    found = " ".join(report.tables_found)
    assert FUND in found and CAPITAL in found, report.tables_found
    assert not [m for m in _unreadable(report) if "基金" in m or "国有资本" in m]
    assert not [m for m in _serious(report) if "基金" in m or "国有资本" in m]
    assert any(c.code == "CHK-303" and c.checked for c in report.coverage)
