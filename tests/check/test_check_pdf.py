"""Checker on the Putuo reference PDF (tables recovered from positioned words) and on bad PDFs."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from juesuan.check import check_file
from juesuan.core.findings import Severity

GOLDEN = Path(__file__).parent.parent / "golden"
PUTUO = GOLDEN / "putuo-2024.pdf"


@pytest.fixture(scope="module")
def putuo():
    return check_file(PUTUO)


def test_putuo_tables_identified(putuo):
    found = " ".join(putuo.tables_found)
    for title in (
        "收入支出决算总表",
        "收入决算表",
        "支出决算表",
        "财政拨款收入支出决算总表",
        "一般公共预算财政拨款支出决算表",
        "一般公共预算财政拨款基本支出决算表",
        "三公",
    ):
        assert title in found
    assert putuo.year == 2024


def test_putuo_share_71_73(putuo):
    (item,) = [i for i in putuo.items if i.finding.code == "CHK-101"]
    assert item.finding.stated == Decimal("71.73")
    assert item.finding.expected == Decimal("71.65")
    assert item.page == 21
    assert "2106.66万元，占71.73%" in item.quote


def test_putuo_326_71_between_tables(putuo):
    """326.71 in the 总表s, 326.72 in the detail tables and the text: a sum of separately
    rounded items, one hint per figure naming every place, not an error per place."""
    tot = [i for i in putuo.items if i.finding.code == "TOT-002"]
    hints = [i for i in tot if i.finding.severity is Severity.INFO]
    assert {(i.finding.stated, i.finding.expected) for i in hints} == {
        (Decimal("326.72"), Decimal("326.71"))
    }
    assert len(hints) == 2  # 本年支出 (总表 vs 支出决算表), 财政拨款 (总表 vs 表5 and the text)
    places = [p for i in hints for p in i.places]
    assert {p.page for p in places} == {6, 10, 12, 15, 21}
    assert any(p.page == 10 and "326.72" in p.quote for p in places)
    assert not [i for i in tot if i.finding.expected == Decimal("326.71") and i not in hints]


def test_putuo_procurement_sum(putuo):
    (item,) = [i for i in putuo.items if i.finding.code == "CHK-106"]
    assert item.finding.stated == Decimal("251.25")
    assert item.finding.expected == Decimal("251.26")
    assert "4.79 + 0 + 246.47" in item.finding.message
    assert item.page == 24


def test_putuo_narrative_against_tables(putuo):
    # 情况说明四 prints 财政拨款收入支出总计 as 0.3万元; the table says 2,961.68
    tot = [
        i
        for i in putuo.items
        if i.finding.code == "TOT-002" and i.page == 21 and i.finding.severity is Severity.ERROR
    ]
    assert {(i.finding.stated, i.finding.expected) for i in tot} == {
        (Decimal("0.3"), Decimal("2961.68")),
    }


def test_putuo_no_false_alarms(putuo):
    codes = sorted((i.finding.code, i.finding.severity.value) for i in putuo.items)
    assert codes == [
        ("CHK-101", "error"),
        ("CHK-102", "warning"),
        ("CHK-106", "warning"),
        ("TOT-001", "info"),
        ("TOT-001", "warning"),
        ("TOT-002", "error"),
        ("TOT-002", "info"),
        ("TOT-002", "info"),
    ]


def test_pdfplumber_engine_finds_the_same(putuo):
    other = check_file(PUTUO, engine="pdfplumber")
    assert sorted(i.finding.code for i in other.items) == sorted(
        i.finding.code for i in putuo.items
    )


def test_pdf_without_text_layer(tmp_path):
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument.new()
    pdf.new_page(595, 842)
    path = tmp_path / "scan.pdf"
    pdf.save(str(path))
    pdf.close()
    report = check_file(path)
    (f,) = report.fatal
    assert f.code == "CHK-005" and "没有文字层（可能是扫描件）" in f.message


def test_corrupt_pdf(tmp_path):
    path = tmp_path / "bad.pdf"
    path.write_bytes(b"%PDF-1.4 this is not a pdf")
    (f,) = check_file(path).fatal
    assert f.code == "CHK-004" and f.location.file == str(path)
