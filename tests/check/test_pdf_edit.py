"""pdf_edit.replace_on_page on the seed PDF built by WeasyPrint: one printed number changed."""

from __future__ import annotations

from pathlib import Path

import pypdfium2 as pdfium
import pytest
from pdf_edit import replace_on_page


def _texts(path: Path) -> list[str]:
    doc = pdfium.PdfDocument(path)
    try:
        return [doc[i].get_textpage().get_text_range() for i in range(len(doc))]
    finally:
        doc.close()


@pytest.fixture(scope="module")
def seed(built) -> tuple[Path, list[str]]:
    pdf = built[("seed", "pdf")]
    return pdf, _texts(pdf)


def _page_with(texts: list[str], needle: str, *, most: bool = False) -> int:
    pages = [i + 1 for i, text in enumerate(texts) if needle in text]
    assert pages, needle
    return max(pages, key=lambda p: texts[p - 1].count(needle)) if most else pages[0]


def _assert_replaced(seed, dst: Path, page: int, old: str, new: str) -> None:
    _, before = seed
    after = _texts(dst)
    assert len(after) == len(before)
    assert after[page - 1].count(old) == before[page - 1].count(old) - 1
    assert after[page - 1].count(new) == before[page - 1].count(new) + 1
    assert [t for i, t in enumerate(after) if i != page - 1] == [
        t for i, t in enumerate(before) if i != page - 1
    ]


def test_percentage_in_running_text(seed, tmp_path):
    # the "%" is a TJ of its own right after the number's TJ: matched across the two runs
    src, texts = seed
    page = _page_with(texts, "80.57%")
    dst = tmp_path / "out.pdf"
    assert replace_on_page(src, dst, page, "80.57%", "81.57%")
    _assert_replaced(seed, dst, page, "80.57%", "81.57%")


@pytest.mark.parametrize(("old", "new"), [("80.57", "81.57"), ("80.57", "8.57"), ("98.6", "99.6")])
def test_number_in_running_text(seed, tmp_path, old, new):
    src, texts = seed
    page = _page_with(texts, old)
    dst = tmp_path / "out.pdf"
    assert replace_on_page(src, dst, page, old, new)
    _assert_replaced(seed, dst, page, old, new)


def test_table_cell_occurrence(seed, tmp_path):
    src, texts = seed
    page = _page_with(texts, "253.87", most=True)
    count = texts[page - 1].count("253.87")
    assert count >= 3
    dst = tmp_path / "out.pdf"
    assert replace_on_page(src, dst, page, "253.87", "254.87", occurrence=count - 1)
    _assert_replaced(seed, dst, page, "253.87", "254.87")
    # a longer number: the extra glyph goes into the last replaced string
    dst2 = tmp_path / "longer.pdf"
    assert replace_on_page(src, dst2, page, "253.87", "1253.87", occurrence=1)
    assert _texts(dst2)[page - 1].count("1253.87") == texts[page - 1].count("1253.87") + 1


def test_not_found_writes_nothing(seed, tmp_path):
    src, texts = seed
    page = _page_with(texts, "253.87", most=True)
    count = texts[page - 1].count("253.87")
    dst = tmp_path / "out.pdf"
    assert "999.99" not in texts[page - 1]
    assert not replace_on_page(src, dst, page, "999.99", "999.98")
    assert not replace_on_page(src, dst, page, "253.87", "254.87", occurrence=count)
    other = next(i + 1 for i, t in enumerate(texts) if "253.87" not in t)
    assert not replace_on_page(src, dst, other, "253.87", "254.87")
    assert not dst.exists()


def test_character_missing_from_font(seed, tmp_path):
    src, texts = seed
    page = _page_with(texts, "80.57%")
    dst = tmp_path / "out.pdf"
    assert not replace_on_page(src, dst, page, "80.57", "8Ж.57")
    assert not dst.exists()


def test_bad_arguments(seed, tmp_path):
    src, texts = seed
    with pytest.raises(ValueError):
        replace_on_page(src, tmp_path / "out.pdf", len(texts) + 1, "1", "2")
    with pytest.raises(ValueError):
        replace_on_page(src, tmp_path / "out.pdf", 1, "", "2")
