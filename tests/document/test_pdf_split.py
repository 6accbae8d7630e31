"""The PDF laid out in two processes and joined (juesuan.document.pdf_split, pdf_join) is the
PDF laid out in one: the same pages (count, size, text, pixels), the same page numbers in the
footers and the contents, the same outline, links and named destinations, the same heading
pages and tighter tables for the DOCX; byte-reproducible; and a failure on either side gives
the one-process PDF, with no process left behind."""

from __future__ import annotations

import io
import os

import pikepdf
import pypdfium2 as pdfium
import pytest
from pdf_pages import pages
from PIL import ImageChops, ImageStat

from juesuan.document import pdf, pdf_join, pdf_split
from juesuan.document.model import Document, Heading, Paragraph, Text
from juesuan.pipeline import chart_images, narrative, sample_path, validate

SCALE = 0.5  # 36 dpi, as the visual regression test
MAX_MEAN_DIFF = 0.5  # mean absolute grey-level difference (0-255) of a page
MAX_CHANGED = 0.001  # share of pixels differing by more than CHANGED_LEVEL
CHANGED_LEVEL = 64


def _can_split() -> bool:
    with pdf_split.counting_layouts():
        return pdf_split.available(busy_ok=True)


needs_two_cores = pytest.mark.skipif(not _can_split(), reason="one core or no fork here")


def _inputs(sample: str):
    analysis, _ = validate(sample_path(sample))
    doc = narrative(analysis)
    return doc, analysis.profile.styles, chart_images(analysis, doc)


def _split_layout(doc, styles, charts, monkeypatch, *, joins: bool = True) -> pdf.PdfLayout:
    """``layout_pdf`` that must have tried the two-process path, and succeeded if ``joins``."""
    tried, joined = [], []
    real = pdf_split.lay_out_split

    def spy(*args, **kwargs):
        tried.append(True)
        out = real(*args, **kwargs)
        joined.append(True)
        return out

    monkeypatch.setattr(pdf_split, "lay_out_split", spy)
    monkeypatch.setattr(pdf_split, "available", lambda busy_ok=False: True)  # whatever the load
    result = pdf.layout_pdf(doc, styles, charts, split=True)
    assert tried, "the two processes were not tried"
    assert bool(joined) == joins
    return result


@pytest.fixture(scope="module", params=["seed", "putuo"])
def pair(request):
    """(document, one-process layout, two layouts in two processes) of a sample."""
    if not _can_split():
        pytest.skip("one core or no fork here")
    doc, styles, charts = _inputs(request.param)
    serial = pdf.layout_pdf(doc, styles, charts, split=False)
    with pytest.MonkeyPatch.context() as monkeypatch:
        first = _split_layout(doc, styles, charts, monkeypatch)
        second = _split_layout(doc, styles, charts, monkeypatch)
    return doc, serial, first, second


def _destinations(doc: pikepdf.Pdf) -> dict[str, tuple[int, float, float]]:
    index = {page.objgen: n for n, page in enumerate(doc.pages)}
    names = doc.Root.Names.Dests.Names
    return {
        str(names[k]): (
            index[names[k + 1][0].objgen],
            float(names[k + 1][2]),
            float(names[k + 1][3]),
        )
        for k in range(0, len(names), 2)
    }


def _structure(data: bytes) -> dict[str, object]:
    """Page sizes, named destinations, links (page, rectangle, target page), outline (depth,
    title, page, position, closed) and document information of a PDF."""
    with pikepdf.open(io.BytesIO(data)) as doc:
        index = {page.objgen: n for n, page in enumerate(doc.pages)}
        dests = _destinations(doc)
        links = [
            (n, [round(float(v), 2) for v in annot.Rect], str(annot.Dest), dests[str(annot.Dest)])
            for n, page in enumerate(doc.pages)
            for annot in page.get("/Annots", [])
        ]

        def walk(items, depth):
            out = []
            for item in items:
                target = item.destination
                out.append(
                    (
                        depth,
                        item.title,
                        index[target[0].objgen],
                        round(float(target[2]), 2),
                        round(float(target[3]), 2),
                        item.is_closed,
                    )
                )
                out += walk(item.children, depth + 1)
            return out

        with doc.open_outline() as outline:
            bookmarks = walk(outline.root, 0)
        return {
            "sizes": [[float(v) for v in page.MediaBox] for page in doc.pages],
            "dests": dests,
            "links": links,
            "outline": bookmarks,
            "info": {str(k): str(v) for k, v in doc.docinfo.items()},
            "lang": str(doc.Root.get("/Lang")),
        }


def _texts(data: bytes) -> list[str]:
    doc = pdfium.PdfDocument(data)
    return [doc[n].get_textpage().get_text_range() for n in range(len(doc))]


def test_the_joined_pdf_has_the_pages_of_the_one_process_pdf(pair):
    _doc, serial, joined, _ = pair
    assert _texts(joined.pdf) == _texts(serial.pdf)  # footers and contents numbers included
    assert _structure(joined.pdf) == _structure(serial.pdf)
    assert joined.heading_pages == serial.heading_pages
    assert joined.tight == serial.tight


def test_the_contents_link_to_the_pages_whose_footers_they_give(pair):
    doc, _, joined, _ = pair
    structure = _structure(joined.pdf)
    listed = [n for n, b in enumerate(doc.blocks) if isinstance(b, Heading) and b.level <= 2]
    names = [name for _page, _rect, name, _target in structure["links"]]  # a box per line
    assert [name for k, name in enumerate(names) if name not in names[:k]] == [
        f"s{n}" for n in listed
    ]
    folios = [page.folio for page in pages(joined.pdf)]
    contents = "".join(_texts(joined.pdf)[1:3])
    for n in listed:
        page = structure["dests"][f"s{n}"][0]
        assert folios[page] == joined.heading_pages[n]  # the footer of the heading's page
        assert str(joined.heading_pages[n]) in contents
    assert folios[-1] == max(joined.heading_pages.values()) + (
        len(folios) - 1 - structure["dests"][f"s{max(joined.heading_pages)}"][0]
    )


def test_the_joined_pdf_looks_like_the_one_process_pdf(pair):
    _doc, serial, joined, _ = pair
    a, b = pdfium.PdfDocument(serial.pdf), pdfium.PdfDocument(joined.pdf)
    assert len(a) == len(b)
    for n in range(len(a)):
        left = a[n].render(scale=SCALE).to_pil().convert("L")
        right = b[n].render(scale=SCALE).to_pil().convert("L")
        assert left.size == right.size
        diff = ImageChops.difference(left, right)
        mean = ImageStat.Stat(diff).mean[0]
        changed = sum(diff.point(lambda v: 255 if v > CHANGED_LEVEL else 0).histogram()[255:])
        assert mean <= MAX_MEAN_DIFF, f"page {n + 1}: mean difference {mean:.2f}"
        assert changed <= MAX_CHANGED * left.size[0] * left.size[1], f"page {n + 1}"


def test_the_joined_pdf_is_byte_reproducible(pair):
    _doc, _serial, first, second = pair
    assert first.pdf == second.pdf


@needs_two_cores
def test_the_pieces_laid_out_in_one_process_give_the_same_bytes(monkeypatch):
    """Where no core is free the second piece is laid out here: the bytes do not depend on
    the machine's cores or load."""
    doc, styles, charts = _inputs("seed")
    two = _split_layout(doc, styles, charts, monkeypatch)
    monkeypatch.setattr(pdf_split, "available", lambda busy_ok=False: False)
    forks = []
    monkeypatch.setattr(os, "fork", lambda: forks.append(1) or 1 / 0)
    here = pdf.layout_pdf(doc, styles, charts, split=True)
    assert not forks
    assert (here.pdf, here.heading_pages, here.tight) == (two.pdf, two.heading_pages, two.tight)


def test_the_default_split_depends_on_the_document_only(monkeypatch):
    doc, styles, _charts = _inputs("seed")  # large enough: always cut at the same block
    tight = pdf.predicted_tight(doc, styles)
    cut = pdf_split.split_point(doc, styles, tight)
    assert cut is not None
    for load in (0.1, 50.0):
        monkeypatch.setattr(os, "getloadavg", lambda load=load: (load, load, load))
        assert pdf_split.split_point(doc, styles, tight) == cut


def _forked(monkeypatch) -> list[int]:
    """The processes this test's process forks from now on (other tests in the same worker
    may leave children of their own: only these are asked about)."""
    pids: list[int] = []
    fork = os.fork

    def recorded() -> int:
        pid = fork()
        if pid:
            pids.append(pid)
        return pid

    monkeypatch.setattr(os, "fork", recorded)
    return pids


def _all_reaped(pids: list[int]) -> bool:
    for pid in pids:
        try:
            os.waitpid(pid, os.WNOHANG)  # running, or a zombie (reaped here): not reaped before
        except ChildProcessError:
            continue
        return False
    return True


@needs_two_cores
def test_a_failing_helper_gives_the_one_process_pdf(monkeypatch):
    doc, styles, charts = _inputs("putuo")
    serial = pdf.layout_pdf(doc, styles, charts, split=False)

    def broken(document):
        raise RuntimeError("the helper fails")

    monkeypatch.setattr(pdf_join, "stand_ins", broken)  # called in the helper only
    helpers = _forked(monkeypatch)
    assert _split_layout(doc, styles, charts, monkeypatch, joins=False).pdf == serial.pdf
    assert helpers and _all_reaped(helpers)


@needs_two_cores
def test_a_failing_join_gives_the_one_process_pdf_and_ends_the_helper(monkeypatch):
    doc, styles, charts = _inputs("putuo")
    serial = pdf.layout_pdf(doc, styles, charts, split=False)

    def broken(*args):
        raise ValueError("the join fails")

    monkeypatch.setattr(pdf_join, "fill_in", broken)  # called in this process
    helpers = _forked(monkeypatch)
    assert _split_layout(doc, styles, charts, monkeypatch, joins=False).pdf == serial.pdf
    assert helpers and _all_reaped(helpers)


def test_the_split_starts_a_page_near_the_middle():
    doc, styles, _charts = _inputs("seed")
    tight = pdf.predicted_tight(doc, styles)
    split = pdf_split.split_point(doc, styles, tight)
    assert split is not None and pdf_split._starts_page(doc, styles, split)
    assert len(doc.blocks) // 4 < split < len(doc.blocks)


def test_no_split_without_a_block_that_starts_a_page():
    doc = Document(
        title="测试部门2024年度部门决算",
        blocks=(Heading(1, "第一部分　部门概况"), Paragraph((Text("本部门负责测试工作。"),))),
    )
    analysis, _ = validate(sample_path("putuo"))
    assert pdf_split.split_point(doc, analysis.profile.styles, {}, 0) is None


def test_a_small_document_is_laid_out_in_one_process_unless_asked():
    doc, styles, _charts = _inputs("putuo")  # 24 pages
    tight = pdf.predicted_tight(doc, styles)
    assert pdf_split.split_point(doc, styles, tight) is None
    assert pdf_split.split_point(doc, styles, tight, 0) is not None


@needs_two_cores
def test_two_processes_only_for_the_one_pdf_in_progress_on_an_idle_machine(monkeypatch):
    with pdf_split.counting_layouts():
        assert pdf_split.available(busy_ok=True)
        with pdf_split.counting_layouts():  # another thread's PDF
            assert not pdf_split.available(busy_ok=True)
        monkeypatch.setattr(os, "getloadavg", lambda: (9.0, 9.0, 9.0))
        assert not pdf_split.available()
        monkeypatch.setattr(os, "getloadavg", lambda: (0.2, 0.2, 0.2))
        assert pdf_split.available()


_BUILD = """
import sys
from juesuan.document import pdf
from juesuan.pipeline import chart_images, narrative, sample_path, validate

analysis, _ = validate(sample_path("putuo"))
doc = narrative(analysis)
pdf.layout_pdf(doc, analysis.profile.styles, chart_images(analysis, doc), split=sys.argv[1] == "1")
"""


@pytest.mark.parametrize("parallel", ["0", "1"])
def test_a_build_leaves_no_temporary_files(tmp_path, parallel):
    import subprocess
    import sys

    env = {**os.environ, "TMPDIR": str(tmp_path), "JUESUAN_CACHE_DIR": "off"}
    subprocess.run([sys.executable, "-c", _BUILD, parallel], env=env, check=True, timeout=600)
    assert list(tmp_path.glob("weasyprint-*")) == []  # copies of the font files
