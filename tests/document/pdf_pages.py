"""Reading a built PDF page by page for the layout tests: text lines, characters with their
font and size, where content ends on the page, images."""

from __future__ import annotations

import ctypes
from dataclasses import dataclass

import pypdfium2 as pdfium
import pypdfium2.raw as raw

from juesuan.pipeline import chart_images, narrative, render, sample_path, validate

FOOTER_MARK = "—"


def build_pdf(sample: str) -> bytes:
    analysis, _ = validate(sample_path(sample))
    doc = narrative(analysis)
    return render(analysis, "pdf", doc, chart_images(analysis, doc))


@dataclass(frozen=True)
class Page:
    number: int  # 1-based
    lines: list[str]  # non-empty text lines, page-number footer removed
    images: int
    content_bottom: float  # lowest point of text/images above the footer, points from top
    height: float
    landscape: bool
    folio: int | None  # the printed page number ("— N —"), None on an unnumbered page


def _is_footer(line: str) -> bool:
    return line.startswith(FOOTER_MARK) and line.endswith(FOOTER_MARK)


def pages(data: bytes) -> list[Page]:
    pdf = pdfium.PdfDocument(data)
    out = []
    try:
        for i in range(len(pdf)):
            page = pdf[i]
            w, h = page.get_size()
            text = page.get_textpage().get_text_range()
            lines = [ln.strip() for ln in text.splitlines() if ln.strip()]
            footers = [ln for ln in lines if _is_footer(ln.replace(" ", ""))]
            lines = [ln for ln in lines if ln not in footers]
            folio = int(footers[-1].strip("— ")) if footers else None
            images = 0
            bottom = 0.0
            footer_zone = h - 3.4 * 72 / 2.54 if w < h else h - 2.5 * 72 / 2.54
            for obj in page.get_objects(max_depth=1):
                bounds = getattr(obj, "get_bounds", None) or obj.get_pos  # pypdfium2 5 | 4
                _left, b, _right, _top = bounds()
                if obj.type == raw.FPDF_PAGEOBJ_IMAGE:
                    images += 1
                if obj.type in (raw.FPDF_PAGEOBJ_TEXT, raw.FPDF_PAGEOBJ_IMAGE):
                    y = h - b
                    if y < footer_zone:
                        bottom = max(bottom, y)
            out.append(Page(i + 1, lines, images, bottom, h, w > h, folio))
    finally:
        pdf.close()
    return out


@dataclass(frozen=True)
class Run:
    text: str
    font: str
    size: float


def runs(data: bytes, page_number: int) -> list[Run]:
    """Characters of one page grouped into runs of the same font and size."""
    pdf = pdfium.PdfDocument(data)
    try:
        tp = pdf[page_number - 1].get_textpage()
        text = tp.get_text_range()
        buf = ctypes.create_string_buffer(256)
        flags = ctypes.c_int()
        out: list[Run] = []
        for i in range(tp.count_chars()):
            ch = text[i] if i < len(text) else ""
            if not ch.strip():
                continue
            raw.FPDFText_GetFontInfo(tp.raw, i, buf, 256, ctypes.byref(flags))
            font = buf.value.decode("utf-8", "replace")
            font = font.split("+", 1)[-1]  # subset prefix
            size = round(raw.FPDFText_GetFontSize(tp.raw, i), 1)
            if out and out[-1].font == font and out[-1].size == size:
                out[-1] = Run(out[-1].text + ch, font, size)
            else:
                out.append(Run(ch, font, size))
        return out
    finally:
        pdf.close()
