"""The PDF writer's faster paths: font subsets made per document when WeasyPrint would subset
with fontTools, chart PNGs passed through without re-encoding, and the cache of laid-out
PDFs. Each gives the same pages as the plain path."""

from __future__ import annotations

import io
import threading
import zlib

import pikepdf
import pytest
from PIL import Image

from juesuan.document import pdf, pdf_fonts, pdf_images
from juesuan.document.model import Document, Heading, Paragraph, Text
from juesuan.pipeline import sample_path, validate

RARE = "龘"  # not in GB 2312, so not in the bundled faces; in the full Noto Sans CJK


@pytest.fixture(scope="module")
def styles():
    analysis, _ = validate(sample_path("putuo"))
    return analysis.profile.styles


def _doc(text: str) -> Document:
    return Document(
        title="测试部门2024年度部门决算",
        blocks=(Heading(1, "第一部分　部门概况"), Paragraph((Text(text),))),
    )


def _fonttools(monkeypatch) -> None:
    import weasyprint.pdf.fonts

    monkeypatch.setattr(weasyprint.pdf.fonts, "harfbuzz_subset", None)
    assert not pdf_fonts.weasyprint_subsets_fast()


def _font_names(data: bytes) -> set[str]:
    with pikepdf.open(io.BytesIO(data)) as doc:
        return {
            str(font.BaseFont).split("+", 1)[-1]
            for page in doc.pages
            for font in page.Resources.get("/Font", {}).values()
        }


def _text(data: bytes) -> list[str]:
    import pypdfium2

    doc = pypdfium2.PdfDocument(data)
    return [doc[i].get_textpage().get_text_range() for i in range(len(doc))]


def test_subsets_hold_every_character_of_the_document():
    html = "<p>部门决算　一般公共预算财政拨款收入 123.45 " + RARE + "</p>"
    faces = pdf_fonts.subset_faces(html)
    assert faces.subset and f"{pdf_fonts.FONT_SCHEME}full" in faces.files  # for the rare one
    from fontTools.ttLib import TTFont

    for url, data in faces.files.items():
        cmap = TTFont(io.BytesIO(data)).getBestCmap()
        if url.endswith("full"):
            assert set(cmap) == {ord(RARE)}
        else:
            assert {ord(c) for c in "部门决算一般公共预算123.45"} <= set(cmap)
            assert len(cmap) < 200  # the document's characters, not the face's 8,600


def test_without_harfbuzz_the_pdf_embeds_the_subsets_and_is_reproducible(monkeypatch, styles):
    doc = _doc("本部门负责" + RARE + "字的测试工作，支出合计 1,234.56 万元。")
    plain = pdf.layout_pdf(doc, styles).pdf
    _fonttools(monkeypatch)
    first = pdf.layout_pdf(doc, styles).pdf
    assert pdf.layout_pdf(doc, styles).pdf == first  # byte-reproducible
    assert _text(first) == _text(plain)  # the same pages
    assert _font_names(first) == _font_names(plain)
    assert "JS-Full" in _font_names(first) and len(first) < 500_000  # not the whole collection
    assert "JS-Full" not in _font_names(pdf.layout_pdf(_doc("没有生僻字。"), styles).pdf)


def _png(mode: str, **save) -> bytes:
    out = io.BytesIO()
    Image.new(mode, (7, 3), "red" if mode != "L" else 90).save(out, format="PNG", **save)
    return out.getvalue()


def test_png_image_data_is_a_pdf_stream_only_when_usable_as_is():
    data = pdf_images.idat_data(_png("RGB"))
    assert data is not None
    rows = zlib.decompress(data)
    assert len(rows) == 3 * (1 + 7 * 3)  # a filter byte, then RGB samples, per row
    assert pdf_images.idat_data(_png("L")) is not None
    rgb = _png("RGB")
    interlaced = rgb[:28] + b"\x01" + rgb[29:]  # IHDR's interlace method (Pillow writes none)
    for other in (_png("RGBA"), _png("P"), interlaced, _png("I;16")):
        assert pdf_images.idat_data(other) is None
    assert pdf_images.idat_data(b"not a png") is None


def test_seed_charts_are_embedded_without_reencoding(seed_pdf):
    from juesuan.pipeline import chart_images, narrative

    analysis, _ = validate(sample_path("seed"))
    charts = chart_images(analysis, narrative(analysis, with_tables=False))
    with pikepdf.open(io.BytesIO(seed_pdf)) as doc:
        streams = {
            bytes(obj.read_raw_bytes())
            for page in doc.pages
            for obj in page.Resources.get("/XObject", {}).values()
            if obj.get("/Subtype") == "/Image"
        }
    assert {pdf_images.idat_data(png) for png in charts.values()} <= streams


def test_second_layout_of_the_same_document_comes_from_the_cache(monkeypatch, tmp_path, styles):
    monkeypatch.setenv("JUESUAN_CACHE_DIR", str(tmp_path))
    doc = _doc("本部门负责测试工作。")
    first = pdf.layout_pdf(doc, styles)
    assert len(list((tmp_path / "pdf").iterdir())) == 1

    def no_layout(weasyprint):
        raise AssertionError("laid out again although cached")

    monkeypatch.setattr(pdf, "_print_html", no_layout)
    assert pdf.layout_pdf(doc, styles) == first  # PDF, heading pages and tight tables
    with pytest.raises(AssertionError, match="laid out again"):
        pdf.layout_pdf(_doc("本部门负责另一项工作。"), styles)  # other text: laid out


def test_a_damaged_cache_entry_is_laid_out_again(monkeypatch, tmp_path, styles):
    monkeypatch.setenv("JUESUAN_CACHE_DIR", str(tmp_path))
    doc = _doc("本部门负责测试工作。")
    first = pdf.layout_pdf(doc, styles)
    for entry in (tmp_path / "pdf").iterdir():
        entry.write_bytes(b"{not json\n%PDF-1.7")
    assert pdf.layout_pdf(doc, styles) == first


def test_print_html_parsed_as_xml_gives_the_same_pdf(monkeypatch, putuo_pdf):
    """The PDF writer parses its print HTML as XML; the HTML5 parser gives the same bytes."""
    import weasyprint
    from pdf_pages import build_pdf

    cls = pdf._print_html(weasyprint)
    monkeypatch.setattr(
        cls, "parsed", classmethod(lambda k, html, f: k(string=html, url_fetcher=f))
    )
    assert build_pdf("putuo") == putuo_pdf


def test_full_collection_registered_only_for_a_character_the_bundled_faces_lack():
    assert "JS Full" not in pdf_fonts.file_faces("<p>部门决算 123.45</p>").css
    with_rare = pdf_fonts.file_faces("<p>部门决算" + RARE + "</p>").css
    assert "JS Full" in with_rare and pdf_fonts.full_cjk_font().as_uri() in with_rare


def test_a_rare_character_is_set_in_the_full_collection_with_harfbuzz(styles):
    if not pdf_fonts.weasyprint_subsets_fast():
        pytest.skip("no libharfbuzz-subset on this machine")
    assert "JS-Full" in _font_names(pdf.layout_pdf(_doc("本部门" + RARE + "字。"), styles).pdf)
    assert "JS-Full" not in _font_names(pdf.layout_pdf(_doc("没有生僻字。"), styles).pdf)


def test_font_configuration_kept_only_for_the_same_faces(monkeypatch, styles):
    faces = pdf_fonts.file_faces("<p>部门</p>")
    assert pdf._font_config(faces) is pdf._font_config(pdf_fonts.file_faces("<p>部门</p>"))
    other = pdf_fonts.PrintFaces(faces.css, {"juesuan-font:x": b"other bytes"}, subset=True)
    assert pdf._font_config(other) is not pdf._font_config(faces)
    # Subsets have the same URLs and rules for every document: a document laid out after
    # one with other characters is set in its own subsets (same bytes as laid out alone).
    _fonttools(monkeypatch)
    first, second = _doc("本部门负责测试工作。"), _doc("另一单位编制年度预算。")
    monkeypatch.delitem(pdf._font_configs, threading.get_ident(), raising=False)
    alone = pdf.layout_pdf(second, styles).pdf
    monkeypatch.delitem(pdf._font_configs, threading.get_ident(), raising=False)
    pdf.layout_pdf(first, styles)
    assert pdf.layout_pdf(second, styles).pdf == alone


def test_cyclic_gc_paused_while_weasyprint_works_and_restored_after(monkeypatch, styles):
    import gc

    states = []
    real = pdf._lay_out

    def spy(*args):
        states.append(gc.isenabled())
        return real(*args)

    monkeypatch.setattr(pdf, "_lay_out", spy)
    assert gc.isenabled()
    pdf.layout_pdf(_doc("本部门负责测试工作。"), styles)
    assert states == [False] and gc.isenabled()
    gc.disable()
    try:  # a caller that paused it itself keeps it paused
        pdf.layout_pdf(_doc("本部门负责另一项工作。"), styles)
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_layout_runs_in_a_frame_stack_chunk_of_its_own():
    """The layout's frames fit in one large chunk of CPython's frame stack, whatever the
    caller's depth: no chunk is mapped and unmapped per call across a chunk boundary (4 page
    faults each): as many page faults at every depth (without it, 4,500 to 11,000 here)."""
    import resource

    from juesuan.pipeline import narrative

    analysis, _ = validate(sample_path("seed"))
    doc, styles = narrative(analysis), analysis.profile.styles
    pdf.layout_pdf(doc, styles)  # warm: imports, fonts

    def faults(depth: int) -> int:
        if depth:
            return faults(depth - 1)
        before = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
        pdf.layout_pdf(doc, styles)
        return resource.getrusage(resource.RUSAGE_SELF).ru_minflt - before

    counts = [faults(depth) for depth in (0, 1, 2)]
    assert max(counts) - min(counts) < 1_000, counts  # the same at every depth


def test_a_forked_child_leaves_the_font_files_of_the_parents_threads(styles):
    """A child forked while another thread holds a font configuration (the service builds
    PDFs in worker threads and forks the checker's child) must not delete that
    configuration's font files: the thread's next PDF needs them."""
    import os
    from concurrent.futures import ThreadPoolExecutor
    from pathlib import Path

    def lay_out(text: str) -> Path | None:
        pdf.layout_pdf(_doc(text), styles)
        folder = getattr(pdf._font_configs[threading.get_ident()][1], "_folder", None)
        return Path(folder) if folder else None

    with ThreadPoolExecutor(1) as pool:
        folder = pool.submit(lay_out, "本部门负责测试工作。").result()
        pid = os.fork()
        if pid == 0:  # the child: only this thread survives the fork; it frees what it
            pdf._font_configs.clear()  # inherited (as its own next PDF would replace it)
            os._exit(0)
        os.waitpid(pid, 0)
        assert folder is None or folder.is_dir()
        pool.submit(lay_out, "另一单位编制年度预算。").result()
