"""Amounts wrapped inside a narrow cell are one amount; a misread table says nothing."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from report_view import serious, unplaced

from juesuan.check import check_file
from juesuan.check.read.source import Word
from juesuan.check.read.wrapped_numbers import join_wrapped_numbers


def _w(text: str, x1: float, top: float, width: float = 40.0) -> Word:
    return Word(text, x1 - width, x1, top, top + 10)


def test_a_wrapped_amount_is_joined():
    words = [
        _w("一般公共预算财政拨款", 200, 100, 120),
        _w("2,538,70", 300, 100),
        _w("0.00", 300, 111, 20),
    ]
    joined = join_wrapped_numbers(words)
    assert [w.text for w in joined] == ["一般公共预算财政拨款", "2,538,700.00"]
    assert (joined[1].top, joined[1].bottom) == (100, 121)
    split_at_point = [_w("223,200.", 300, 100), _w("00", 300, 111, 12)]
    assert [w.text for w in join_wrapped_numbers(split_at_point)] == ["223,200.00"]


def test_amounts_of_two_rows_and_of_two_columns_stay_apart():
    rows = [_w("2,538.70", 300, 100), _w("0.00", 300, 111)]  # each an amount on its own
    assert join_wrapped_numbers(rows) == rows
    columns = [_w("2,538,70", 300, 100), _w("0.00", 400, 111)]  # not in the same column
    assert join_wrapped_numbers(columns) == columns
    far = [_w("2,538,70", 300, 100), _w("0.00", 300, 140)]  # two rows apart
    assert join_wrapped_numbers(far) == far


def _docx_in_yuan(src, dst) -> int:
    """The DOCX with every table under “单位：万元” printed in 元 (wide amounts that a word
    processor wraps in the narrow columns of the two-sided 总表)."""
    import docx
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    amount = re.compile(r"^-?(?:\d{1,3}(?:,\d{3})+|\d+)\.\d\d$")
    d = docx.Document(str(src))
    scale, n = False, 0
    for el in d.element.body.iterchildren():
        tag = el.tag.rsplit("}", 1)[-1]
        if tag == "p":
            p = Paragraph(el, d)
            if "单位：万元" in p.text:
                for r in p.runs:
                    r.text = r.text.replace("万元", "元")
                scale = True
            elif p.text.strip():
                scale = False
        elif tag == "tbl" and scale:
            for row in Table(el, d).rows:
                for cell in row.cells:
                    for r in (r for p in cell.paragraphs for r in p.runs):
                        if amount.match(r.text.strip()):
                            value = Decimal(r.text.strip().replace(",", "")) * 10000
                            r.text, n = f"{value:,.2f}", n + 1
            scale = False
    d.save(str(dst))
    return n


@pytest.mark.slow
def test_a_word_processor_pdf_with_wrapped_yuan_amounts_reads_as_the_original(
    built, tmp_path, monkeypatch
):
    """LibreOffice wraps “2,538,700.00” as “2,538,70 / 0.00” in the 总表's narrow columns:
    the tables read as the original's; and were the amounts not joined, the misread table
    would be set aside whole — no finding of it (such as a “blank” cell the text fills)."""
    from producers import libreoffice_pdf

    assert _docx_in_yuan(built[("seed", "docx")], tmp_path / "yuan.docx") > 100
    pdf = libreoffice_pdf(tmp_path / "yuan.docx", tmp_path / "lo")
    base_pdf = libreoffice_pdf(built[("seed", "docx")], tmp_path / "base")
    if pdf is None or base_pdf is None:
        pytest.skip("LibreOffice is not installed")
    base, report = check_file(base_pdf), check_file(pdf)
    assert "（可靠）" in report.headline and "以元为单位" in report.headline
    assert unplaced(report.tables_found) == unplaced(base.tables_found)  # wider: more pages
    assert serious(report) == serious(base)

    import juesuan.check.read.wrapped_numbers as wrapped

    monkeypatch.setattr(wrapped, "join_wrapped_numbers", lambda words: words)
    misread = check_file(pdf)
    untrusted = misread.reading.untrusted
    assert untrusted and "（部分可靠）" in misread.headline
    assert not [
        i
        for i in misread.items
        if (i.finding.location.table or "") in untrusted and i.finding.code != "CHK-006"
    ]
    assert serious(misread) == serious(base)


def test_a_page_of_many_pieces_is_left_as_it_is():
    """Hostile input: more pieces on one page than a table wraps are not searched at all."""
    from juesuan.check.read.wrapped_numbers import MAX_BROKEN

    many = [_w("1,23", 20 + (i % 40) * 15, (i // 40) * 11, 12) for i in range(MAX_BROKEN + 1)]
    assert join_wrapped_numbers(many) is many
    few = [*many[:2], _w("4.00", 35, 11, 12)]  # the second piece has its rest below it
    assert len(join_wrapped_numbers(few)) == 2
