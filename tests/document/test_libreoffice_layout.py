"""The DOCX as an office prints it: both samples' DOCX converted to PDF by LibreOffice, and
the pagination rules of the PDF checked on that PDF too (captions and unit lines with their
charts, no near-empty page unless a part ends, tables not ending on a page of a few rows, a
one-page contents with the printed page numbers, the cover and contents unnumbered)."""

from __future__ import annotations

from pathlib import Path

import pytest
from pdf_pages import (
    Page,
    caption_problems,
    contents_problems,
    near_empty_pages,
    pages,
    short_table_tails,
    starts_part,
)

from libreoffice import convert, soffice

SOFFICE = soffice("writer")
pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(SOFFICE is None, reason="LibreOffice Writer not installed"),
]


@pytest.fixture(scope="module", params=["seed", "putuo"])
def printed(request, built, tmp_path_factory) -> tuple[str, list[Page]]:
    sample = request.param
    outdir = tmp_path_factory.mktemp(f"libreoffice-{sample}")
    source = outdir / "document.docx"
    source.write_bytes(built[(sample, "docx")].read_bytes())
    result = convert(SOFFICE, source, "pdf", outdir)
    pdf = Path(outdir / "document.pdf")
    assert result.returncode == 0 and pdf.is_file(), result.stderr
    return sample, pages(pdf.read_bytes())


def test_no_near_empty_page_unless_a_part_ends(printed):
    _, ps = printed
    assert near_empty_pages(ps) == []


def test_tables_do_not_end_on_a_page_of_a_few_rows(printed):
    _, ps = printed
    assert short_table_tails(ps) == []


def test_captions_and_unit_lines_stay_with_their_charts(printed):
    sample, ps = printed
    captions, problems = caption_problems(ps)
    assert problems == []
    assert captions == (7 if sample == "seed" else 0)


def test_contents_have_the_printed_page_numbers(printed):
    _, ps = printed
    assert contents_problems(ps) == []
    assert [p.folio for p in ps[:2]] == [None, None]
    assert starts_part(ps[2]) and ps[2].folio == 1


def test_same_number_of_pages_as_our_pdf(printed, built):
    """Same page geometry and table row pitch: LibreOffice breaks the pages where the PDF
    writer did (within a page or two: the fallback faces differ)."""
    sample, ps = printed
    ours = pages(built[(sample, "pdf")].read_bytes())
    assert abs(len(ps) - len(ours)) <= 2, (len(ps), len(ours))
