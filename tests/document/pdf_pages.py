"""Reading a built PDF page by page for the layout tests: text lines, characters with their
font and size, where content ends on the page, images."""

from __future__ import annotations

import ctypes
import re
from dataclasses import dataclass

import pypdfium2 as pdfium
import pypdfium2.raw as raw

from juesuan.document.model import DRAFT_NOTE
from juesuan.pipeline import chart_images, narrative, render, sample_path, validate

FOOTER_MARK = "—"


def build_pdf(sample: str) -> bytes:
    analysis, _ = validate(sample_path(sample))
    doc = narrative(analysis)
    return render(analysis, "pdf", doc, chart_images(analysis, doc))


@dataclass(frozen=True)
class Page:
    number: int  # 1-based
    lines: list[str]  # non-empty text lines, page-number footer and draft header removed
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
            # the page header of a draft (草稿) is not part of the page's content
            lines = [ln for ln in lines if ln not in footers and ln.replace(" ", "") != DRAFT_NOTE]
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


# -- the pagination rules, on any PDF of the document (ours, or the DOCX printed by an office
# suite): each returns the pages breaking the rule, as messages --------------------------------

TEXT_TOP = 3.7 / 2.54 * 72  # portrait text area, points from the top of the page
TEXT_HEIGHT = 22.5 / 2.54 * 72
NEAR_EMPTY = 0.25  # a page whose content ends within the top quarter of its text area
PART = re.compile(r"^第[一二三四五六七八九十]+部分")
TABLE_TITLE = re.compile(r"^(附?表\d+|公开\d+表)?\u3000?.*表(（\d{4}年度）)?$")
CAPTION = re.compile(r"^图\s*\d+\s*[：:]")


def fill(page: Page) -> float:
    """How far down its text area the page's content reaches (0-1)."""
    top = TEXT_TOP if not page.landscape else 2.8 / 2.54 * 72
    height = TEXT_HEIGHT if not page.landscape else (21.0 - 2.8 - 2.6) / 2.54 * 72
    return (page.content_bottom - top) / height


def starts_part(page: Page) -> bool:
    return bool(page.lines) and bool(PART.match(page.lines[0]))


def starts_table(page: Page) -> bool:
    """The page opens a table (the profiles put each table on a page of its own)."""
    first = page.lines[0] if page.lines else ""
    return first.startswith(("表", "附表")) or bool(TABLE_TITLE.match(first))


def starts_block(page: Page) -> bool:
    return starts_part(page) or starts_table(page)


def near_empty_pages(ps: list[Page]) -> list[str]:
    """Body pages filled less than NEAR_EMPTY, unless a part ends there (or a short table
    on a page of its own: not a table's continuation)."""
    bad = []
    for page, following in zip(ps[2:], [*ps[3:], None], strict=True):
        if following is None or starts_part(following):
            continue
        if starts_table(following) and starts_block(page):
            continue
        if fill(page) <= NEAR_EMPTY:
            bad.append(
                f"page {page.number} is near-empty ({fill(page):.0%} of the text area): "
                f"{page.lines[:3]} … next page starts {following.lines[:1]}"
            )
    return bad


def short_table_tails(ps: list[Page]) -> list[str]:
    """A table continued on a page of its own has more than a few rows there."""
    bad = []
    for page in ps[2:]:
        if starts_block(page) or not page.lines:
            continue
        body = [ln for ln in page.lines if re.search(r"\d", ln)]
        notes = any(ln.startswith(("注：", "说明：")) for ln in page.lines)
        if notes and fill(page) < 0.3 and len(body) <= 5:
            bad.append(f"page {page.number}: {page.lines}")
    return bad


def caption_problems(ps: list[Page]) -> tuple[int, list[str]]:
    """(captions found, problems): a chart caption on a page without its chart, a page
    ending with a unit line or a table title whose chart/table is on the next page."""
    captions, bad = 0, []
    for page in ps:
        on_page = sum(bool(CAPTION.match(line)) for line in page.lines)
        captions += on_page
        if on_page > page.images:
            bad.append(f"page {page.number}: {on_page} captions, {page.images} charts")
        if page.lines and page.lines[-1].replace(" ", "") == "单位：万元":
            bad.append(f"page {page.number} ends with 单位：万元, its chart on the next page")
        if page.lines and re.match(r"^(附?表\s*\d+\s|公开\d+表)", page.lines[-1]):
            bad.append(f"page {page.number} ends with a table title")
    return captions, bad


def contents_problems(ps: list[Page]) -> list[str]:
    """The contents (page 2) fit their page and give every part the number printed on the
    page the part starts on."""
    bad = []
    if ps[1].lines[0].replace("\u3000", "").replace(" ", "") != "目录":
        bad.append(f"page 2 is not the contents: {ps[1].lines[:1]}")
    if not starts_part(ps[2]):
        bad.append(f"contents spill onto page 3: {ps[2].lines[:2]}")
    for page in ps[2:]:
        if starts_part(page):
            key = page.lines[0].split()[0]
            entry = next((ln for ln in ps[1].lines if ln.startswith(key)), "")
            if not re.search(rf"\D{page.folio}$", entry.rstrip()):
                bad.append(f"contents entry {entry!r}: the part starts on page {page.folio}")
    return bad
