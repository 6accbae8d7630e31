"""Pagination and typography of the built PDFs, read back from the PDF itself: captions and
unit lines stay with their charts, no near-empty page except where a part (or a table that
the profile puts on a page of its own) ends, the contents fit their page, 公文 faces and sizes,
byte-identical rebuilds."""

from __future__ import annotations

import pytest
from pdf_pages import (
    PART,
    build_pdf,
    caption_problems,
    contents_problems,
    near_empty_pages,
    pages,
    runs,
    short_table_tails,
)

PT = 0.75  # pdfium reports sizes in CSS px (WeasyPrint's unit): 1 px = 0.75 pt


def _pdf(request: pytest.FixtureRequest, sample: str) -> bytes:
    return request.getfixturevalue(f"{sample}_pdf")


@pytest.mark.parametrize("sample", ["seed", "putuo"])
def test_no_near_empty_page_unless_a_part_or_table_ends(request, sample):
    ps = pages(_pdf(request, sample))
    assert len(ps) > 10
    assert near_empty_pages(ps) == []


@pytest.mark.parametrize("sample", ["seed", "putuo"])
def test_tables_do_not_end_on_a_page_of_a_few_rows(request, sample):
    assert short_table_tails(pages(_pdf(request, sample))) == []


@pytest.mark.parametrize("sample", ["seed", "putuo"])
def test_chart_caption_and_unit_line_share_the_chart_page(request, sample):
    captions, problems = caption_problems(pages(_pdf(request, sample)))
    assert problems == []
    assert captions == (7 if sample == "seed" else 0)


@pytest.mark.parametrize("sample", ["seed", "putuo"])
def test_contents_fit_one_page(request, sample):
    assert contents_problems(pages(_pdf(request, sample))) == []


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


@pytest.mark.slow
def test_a_continued_table_never_ends_with_a_few_rows_on_a_page(tmp_path):
    """A department the layout was not tuned on (synthetic, seed 20261207, no. 5): its 收入决算表
    ran one row onto a page of its own, which row tightening could not take back. The table's
    last rows are one unbreakable group, so its last page holds several rows."""
    from juesuan.pipeline import chart_images, narrative, render, validate
    from juesuan.synth.generate import SynthOptions, write_synth

    paths = list(write_synth(SynthOptions(count=5, seed=20261207), tmp_path))
    analysis, findings = validate(paths[4])
    assert analysis is not None, findings
    doc = narrative(analysis)
    ps = pages(render(analysis, "pdf", doc, chart_images(analysis, doc)))
    assert short_table_tails(ps) == []
    assert near_empty_pages(ps) == []
