"""Pagination and typography of the built PDFs, read back from the PDF itself: captions and
unit lines stay with their charts, no near-empty page except where a part (or a table that
the profile puts on a page of its own) ends, the contents fit their page, 公文 faces and sizes,
byte-identical rebuilds."""

from __future__ import annotations

import re

import pytest
from pdf_pages import Page, build_pdf, pages, runs

from juesuan.pipeline import sample_path, validate

PT = 0.75  # pdfium reports sizes in CSS px (WeasyPrint's unit): 1 px = 0.75 pt
TEXT_TOP = 3.7 / 2.54 * 72  # portrait text area, points from the top of the page
TEXT_HEIGHT = 22.5 / 2.54 * 72
NEAR_EMPTY = 0.25  # a page whose content ends within the top quarter of its text area
PART = re.compile(r"^第[一二三四五六七八九十]+部分")
TABLE_TITLE = re.compile(r"^(附?表\d+|公开\d+表)?\u3000?.*表(（\d{4}年度）)?$")


def _pdf(request: pytest.FixtureRequest, sample: str) -> bytes:
    return request.getfixturevalue(f"{sample}_pdf")


def _fill(page: Page) -> float:
    top = TEXT_TOP if not page.landscape else 2.8 / 2.54 * 72
    height = TEXT_HEIGHT if not page.landscape else (21.0 - 2.8 - 2.6) / 2.54 * 72
    return (page.content_bottom - top) / height


def _starts_part(page: Page) -> bool:
    return bool(page.lines) and bool(PART.match(page.lines[0]))


def _starts_table(page: Page) -> bool:
    """The page opens a table (the profiles put each table on a page of its own)."""
    first = page.lines[0] if page.lines else ""
    return first.startswith(("表", "附表")) or bool(TABLE_TITLE.match(first))


def _starts_block(page: Page) -> bool:
    return _starts_part(page) or _starts_table(page)


@pytest.mark.parametrize("sample", ["seed", "putuo"])
def test_no_near_empty_page_unless_a_part_or_table_ends(request, sample):
    ps = pages(_pdf(request, sample))
    assert len(ps) > 10
    for page, following in zip(ps[2:], [*ps[3:], None], strict=True):
        if following is None or _starts_part(following):
            continue  # the last page of a part may be short
        if _starts_table(following) and _starts_block(page):
            continue  # so may a short table on its own page, not a table's continuation
        assert _fill(page) > NEAR_EMPTY, (
            f"{sample} page {page.number} is near-empty ({_fill(page):.0%} of the text area): "
            f"{page.lines[:3]} … next page starts {following.lines[:1]}"
        )


@pytest.mark.parametrize("sample", ["seed", "putuo"])
def test_tables_do_not_end_on_a_page_of_a_few_rows(request, sample):
    """A table continued on a page of its own has more than a few rows there."""
    for page in pages(_pdf(request, sample))[2:]:
        if _starts_block(page) or not page.lines:
            continue
        body = [ln for ln in page.lines if re.search(r"\d", ln)]
        if any(ln.startswith(("注：", "说明：")) for ln in page.lines) and _fill(page) < 0.3:
            assert len(body) > 5, f"{sample} page {page.number}: {page.lines}"


@pytest.mark.parametrize("sample", ["seed", "putuo"])
def test_chart_caption_and_unit_line_share_the_chart_page(request, sample):
    ps = pages(_pdf(request, sample))
    captions = 0
    for page in ps:
        for line in page.lines:
            if re.match(r"^图\d+[：:]", line):
                captions += 1
                assert page.images >= 1, f"{sample} page {page.number}: {line} without its chart"
        if page.lines:
            assert page.lines[-1] != "单位：万元", (
                f"{sample} page {page.number} ends with 单位：万元, its chart on the next page"
            )
            assert not re.match(r"^(附?表\d+\u3000|公开\d+表)", page.lines[-1]), (
                f"{sample} page {page.number} ends with a table title"
            )
    if sample == "seed":
        assert captions == 7


@pytest.mark.parametrize("sample", ["seed", "putuo"])
def test_contents_fit_one_page(request, sample):
    ps = pages(_pdf(request, sample))
    assert ps[1].lines[0].replace("\u3000", "").replace(" ", "") == "目录"
    analysis, _ = validate(sample_path(sample))
    first = ps[2].lines[0]
    assert PART.match(first) and "..." not in first and "…" not in first, (
        f"contents spill onto page 3: {ps[2].lines[:2]}"
    )
    # every part is listed with the number printed on the page it starts on
    for page in ps[2:]:
        if page.lines and PART.match(page.lines[0]):
            title = page.lines[0]
            entry = next(ln for ln in ps[1].lines if ln.startswith(title.split()[0]))
            assert re.search(rf"\D{page.folio}$", entry.rstrip()), (entry, page.folio)
    assert analysis is not None


@pytest.mark.parametrize("sample", ["seed", "putuo"])
def test_pages_are_numbered_from_the_first_part(request, sample):
    """As an office numbers a document (and as the DOCX does): cover and contents carry no
    number, 第一部分 is page 1, every later page (landscape ones too) the next number."""
    ps = pages(_pdf(request, sample))
    assert [p.folio for p in ps[:2]] == [None, None]
    assert PART.match(ps[2].lines[0]) and ps[2].folio == 1
    assert [p.folio for p in ps[2:]] == list(range(1, len(ps) - 1))


def test_seed_faces_and_sizes_follow_the_official_scheme(seed_pdf):
    cover = runs(seed_pdf, 1)
    # 小标宋 二号 title: the bold serif face
    assert cover[0].font == "JS-Serif-Bold" and cover[0].size * PT == pytest.approx(22, abs=0.1)
    body_page = runs(seed_pdf, 3)
    fonts = {(r.font, round(r.size * PT)) for r in body_page}
    assert ("JS-Hei", 16) in fonts  # 黑体 三号: part and section headings
    assert ("JS-Serif", 16) in fonts  # 仿宋 三号 body text (open serif face, see docs)
    assert ("JS-Serif", 14) in fonts  # 宋体 四号: page number
    kai = {r.font for p in range(6, 12) for r in runs(seed_pdf, p)}
    assert "JS-Kai" in kai  # 楷体: subsections （一）…


def test_pdf_is_byte_identical_when_rebuilt(putuo_pdf):
    assert build_pdf("putuo") == putuo_pdf


def test_html_prints_with_the_pdf_page_numbering(built):
    """The HTML printed (by a print engine honouring its @media print rules; WeasyPrint here)
    numbers pages as the PDF does: cover and contents unnumbered, the first part page 1."""
    import weasyprint

    html = built[("putuo", "html")].read_text(encoding="utf-8")
    printed = weasyprint.HTML(string=html).write_pdf()
    ps = pages(printed)
    assert [p.folio for p in ps[:2]] == [None, None]
    assert PART.match(ps[2].lines[0]) and ps[2].folio == 1
    assert [p.folio for p in ps[2:]] == list(range(1, len(ps) - 1))
