"""PDF writer: the print HTML laid out by WeasyPrint with the bundled open-licensed faces.

Pagination is checked on the laid-out pages before the PDF is written: a table whose last
page would hold only a few body rows (a table a little longer than its pages) is set again
with less row height, so that it ends on the page before instead of leaving a near-empty one.
"""

from __future__ import annotations

import atexit
import gc
import hashlib
import logging
import math
import os
import shutil
import threading
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from juesuan.document import pdf_cache, pdf_split
from juesuan.document.html import CHART_SCHEME, write_html
from juesuan.document.model import Document, Heading, Table
from juesuan.document.numbers import Styles, format_figure
from juesuan.document.pdf_join import heading_pages
from juesuan.document.widths import _layout, _text_width, table_widths

LANDSCAPE_COLUMNS = 7  # as the DOCX: tables with more columns go on landscape pages

# A table's last page with at most this many body rows (and nothing after them on the page)
# counts as near-empty.
SHORT_TAIL_ROWS = 5


def _boxes(box: Any) -> Iterator[Any]:
    yield box
    for child in getattr(box, "children", ()):
        yield from _boxes(child)


def table_rows_by_page(document: Any) -> dict[str, list[tuple[int, int]]]:
    """For each table (``data-table`` key): (page index, body rows on that page), in order."""
    from weasyprint.formatting_structure.boxes import TableRowBox, TableRowGroupBox

    rows: dict[str, list[tuple[int, int]]] = {}
    for index, page in enumerate(document.pages):
        key = None
        counts: dict[str, int] = {}
        for box in _boxes(page._page_box):
            element = getattr(box, "element", None)
            if element is not None and box.element_tag == "section":
                key = element.get("data-table")
                if key is not None:
                    counts.setdefault(key, 0)
            elif key is not None and isinstance(box, TableRowGroupBox) and not box.is_header:
                counts[key] += sum(isinstance(c, TableRowBox) for c in box.children)
        for k, n in counts.items():
            rows.setdefault(k, []).append((index, n))
    return rows


def _short_tails(document: Any) -> set[str]:
    short = set()
    for key, pages in table_rows_by_page(document).items():
        if len(pages) >= 2 and pages[-1][1] <= SHORT_TAIL_ROWS:  # 0: only its notes
            short.add(key)
    return short


# Geometry of the print style sheet (points): text area of a portrait and a landscape page,
# table line height and cell padding + border, title + unit line above a table.
_PORTRAIT = (442.2, 637.8)  # width, height
_LANDSCAPE = (637.8, 442.2)
_ROW = (13.5, 3.75, 10.0, 10.5)  # line height, padding + border, body and header font size
_TIGHT_ROWS = (  # per tightness step: same type size, less leading, so the same line breaks
    (11.5, 1.75, 10.0, 10.5),
    (10.5, 0.75, 10.0, 10.5),
)
# The estimate is rough for merged cells; a margin makes it err towards a tighter setting
# (cheap) rather than towards a second layout (a second or more of work).
_PREDICTION_MARGIN = 2  # same size, less leading: same line breaks
_TABLE_TOP = 28 + 6 + 14
_PART_HEADING = 28 + 14


@dataclass(frozen=True)
class _Shape:
    """What the page estimate needs of a table: page size, lines per row (the same at every
    tightness step: same type size), rows held to the row above, notes height."""

    width: float
    height: float
    lines: list[int]
    joined: list[bool]
    nhead: int
    notes: float


def _shape(table: Table, styles: Styles) -> _Shape:
    _line, _extra, body_size, head_size = _ROW
    ncols = max(table.columns, 1)
    width, height = _LANDSCAPE if ncols > LANDSCAPE_COLUMNS else _PORTRAIT
    weights = table_widths(table, styles)
    total = sum(weights)
    col_pt = [w / total * width for w in weights]
    rows = list(table.header) + list(table.rows)
    lines = [1] * len(rows)
    joined = [False] * len(rows)  # row r is held to row r - 1 by a cell spanning both
    for r, c, rs, cs, cell in _layout(rows, ncols):
        for k in range(r + 1, r + rs):
            joined[k] = True
        if rs != 1:
            continue
        text = (
            format_figure(cell.figure.value, cell.figure.unit, styles.table, cell.figure.absolute)
            if cell.figure is not None
            else cell.text
        )
        size = head_size if r < len(table.header) else body_size
        room = max(sum(col_pt[c : c + cs]) - 6 - cell.indent * size, size)
        lines[r] = max(lines[r], math.ceil(_text_width(text) * size / 2 / room))
    notes = sum(
        math.ceil(_text_width(n) * 10 / 2 / width) * 14 + 3
        for n in (table.note, table.empty_note)
        if n
    )
    return _Shape(width, height, lines, joined, len(table.header), notes)


def _predicted_pages(
    table: Table,
    styles: Styles,
    under_heading: bool,
    tight: int = 0,
    shape: _Shape | None = None,
) -> tuple[int, int]:
    """(pages, body rows on the last page) of ``table`` set from the top of a page,
    estimated from the text widths. Exact for single-line and wrapped cells; the layout
    check after rendering corrects a wrong guess."""
    line, extra, _body, _head = _TIGHT_ROWS[tight - 1] if tight else _ROW
    sh = shape or _shape(table, styles)
    heights = [n * line + extra for n in sh.lines]
    head = sum(heights[: sh.nhead])
    # the notes stay with the last rows; a little slack for borders and rounding
    room = sh.height - _TABLE_TOP - head - (_PART_HEADING if under_heading else 0) - sh.notes - 12
    groups: list[list[float]] = []  # rows that break together (merged cells)
    for r in range(sh.nhead, len(heights)):
        if sh.joined[r] and groups:
            groups[-1].append(heights[r])
        else:
            groups.append([heights[r]])
    pages, on_page = 1, 0
    for group in groups:
        h = sum(group)
        if h > room and on_page:
            pages, on_page, room = pages + 1, 0, sh.height - head
        room -= h
        on_page += len(group)
    return pages, on_page


def _predicted_tail(table: Table, styles: Styles, under_heading: bool) -> int:
    pages, tail = _predicted_pages(table, styles, under_heading)
    return tail if pages > 1 else 0


def _predicted_step(table: Table, styles: Styles, under_heading: bool) -> int:
    """0, or the tightness step (1, 2) expected to spare ``table`` a near-empty last page
    (or a page altogether)."""
    short = SHORT_TAIL_ROWS + _PREDICTION_MARGIN
    shape = _shape(table, styles)
    pages, tail = _predicted_pages(table, styles, under_heading, shape=shape)
    if pages == 1:
        return 0
    for step in (1, 2):
        tight_pages, tight_tail = _predicted_pages(table, styles, under_heading, step, shape)
        if tight_pages < pages and (tight_pages == 1 or tight_tail > short):
            return step
    return 1 if tail <= short else 0


def predicted_tight(doc: Document, styles: Styles) -> dict[str, int]:
    """Tables to set tighter (key -> step): those expected to end with a near-empty page,
    or to take a page less when tighter (only when each table starts a page of its own)."""
    if not styles.table_new_page:
        return {}
    tight: dict[str, int] = {}
    previous = None
    for block in doc.blocks:
        if isinstance(block, Table) and not block.inline:
            under = isinstance(previous, Heading) and previous.level <= 1
            step = _predicted_step(block, styles, under)
            if step:
                tight[block.key] = step
        previous = block
    return tight


def _allowed_font(url: str) -> bool:
    return url.startswith("file:") and url.endswith((".otf", ".ttf", ".ttc"))


def _mime(url: str) -> str:
    return "image/png" if url.startswith(CHART_SCHEME) else "font/ttf"


def _fetcher(weasyprint: Any, images: Mapping[str, bytes]) -> Any:
    """URL fetcher of the print HTML: the charts and font subsets from memory, the font files
    of the style sheet, nothing else (no network, no other file)."""
    base = getattr(weasyprint.urls, "URLFetcher", None)
    if base is not None:  # WeasyPrint >= 68: a fetcher class

        class Fetcher(base):  # type: ignore[misc, valid-type]
            def fetch(self, url: str, headers: Any = None) -> Any:
                if url in images:
                    return weasyprint.urls.URLFetcherResponse(
                        url, body=images[url], headers={"Content-Type": _mime(url)}
                    )
                if _allowed_font(url):
                    return super().fetch(url, headers)
                raise ValueError(f"refused to fetch {url[:80]!r}")

        return Fetcher()

    def fetch(url: str) -> dict[str, Any]:  # older WeasyPrint: a function
        if url in images:
            return {"string": images[url], "mime_type": _mime(url)}
        if _allowed_font(url):
            return weasyprint.default_url_fetcher(url)
        raise ValueError(f"refused to fetch {url[:80]!r}")

    return fetch


# The user-agent style sheet for our print HTML: WeasyPrint's own (html5_ua.css) has rules
# for every HTML element and many attribute selectors ([dir], [hidden], form fields) that
# are tried on each of our ~3000 elements; this one has only what our markup needs and sets
# the same values for it (same pages, same text, same links and outline). A third of the
# layout time was the cascade.
_UA_CSS = """
head, style, title, meta { display: none }
html, body, div, figure, figcaption, h1, h2, h3, h4, h5, h6, nav, p, section, ul, li {
  display: block }
table { display: table; box-sizing: border-box; text-indent: initial }
colgroup { display: table-column-group }
col { display: table-column }
thead { display: table-header-group; vertical-align: middle }
tbody { display: table-row-group; vertical-align: middle }
tr { display: table-row; vertical-align: inherit }
td, th { display: table-cell; vertical-align: inherit }
th { font-weight: bold }
img { overflow: hidden }
h1 { bookmark-level: 1 } h2 { bookmark-level: 2 } h3 { bookmark-level: 3 }
h4 { bookmark-level: 4 } h5 { bookmark-level: 5 } h6 { bookmark-level: 6 }
h1, h2, h3, h4, h5, h6 { bookmark-label: content(text); hyphens: manual; break-after: avoid;
  break-inside: avoid; font-weight: bold }
@page { @bottom-center { text-align: center; vertical-align: middle } }
"""


@cache
def _print_html(weasyprint: Any) -> Any:
    """``weasyprint.HTML`` with our user-agent style sheet (WeasyPrint's own if a future
    version no longer takes it from ``_ua_stylesheets``)."""
    if not hasattr(weasyprint.HTML, "_ua_stylesheets"):  # pragma: no cover
        return weasyprint.HTML  # (and its own HTML5 parser)
    sheet = weasyprint.CSS(string=_UA_CSS)

    class PrintHTML(weasyprint.HTML):  # type: ignore[misc, valid-type]
        def _ua_stylesheets(self, forms: bool = False) -> list[Any]:
            return [sheet]

        @classmethod
        def parsed(cls, html: str, url_fetcher: Any) -> Any:
            """The document of ``html``, parsed as XML when it is well-formed (the writer's
            print HTML is): the same tree as the HTML5 parser makes of it, in a fraction of
            the time (the pure-Python HTML5 parser took a sixth of the layout's time)."""
            from xml.etree import ElementTree

            import cssselect2

            try:
                root = ElementTree.fromstring(html)
            except ElementTree.ParseError:  # pragma: no cover - not our markup
                return cls(string=html, url_fetcher=url_fetcher)
            self = cls.__new__(cls)
            self.base_url = None  # as HTML(string=...) without a <base>
            self.url_fetcher = url_fetcher
            self.media_type = "print"
            self.wrapper_element = cssselect2.ElementWrapper.from_html_root(
                root, content_language=None
            )
            self.etree_element = self.wrapper_element.etree_element
            return self

    return PrintHTML


# One Fontconfig/Pango font configuration per thread and set of faces, kept between PDFs:
# a new one registers the faces again (a copy of each file and a Fontconfig scan) and starts
# with empty Pango font and metrics caches — a tenth of a PDF's layout. The faces are named
# by URL and their bytes are part of the key, so a configuration never serves other faces.
#
# A configuration keeps its copies of the font files in a temporary folder that it deletes
# when it is freed. A forked child (the checker's time-limited child, a worker) inherits
# every thread's configuration, and the other threads' are freed in the child at the fork:
# the child would delete folders the parent still uses. So the configurations are held here,
# by thread, and a child disowns what it inherited.
_font_configs: dict[int, tuple[str, Any]] = {}  # thread ident -> (faces key, configuration)
_font_configs_lock = threading.Lock()


def _font_config(faces: Any) -> Any:
    from weasyprint.text.fonts import FontConfiguration

    h = hashlib.sha256(faces.css.encode())
    for url in sorted(faces.files):
        h.update(url.encode() + b"\0" + hashlib.sha256(faces.files[url]).digest())
    key = h.hexdigest()
    thread = threading.get_ident()
    cached = _font_configs.get(thread)
    if cached is None or cached[0] != key or not _files_in_place(cached[1]):
        cached = (key, FontConfiguration())
        with _font_configs_lock:
            _font_configs[thread] = cached
    return cached[1]


def _files_in_place(config: Any) -> bool:
    """Whether the font files ``config`` copied are still where it put them."""
    folder = getattr(config, "_folder", None)
    return folder is None or Path(folder).is_dir()


def _disown_inherited_font_configs() -> None:  # in a forked child
    global _font_configs_lock
    for _key, config in _font_configs.values():
        config._folder = None  # the parent's files: this process must not delete them
    _font_configs.clear()
    _font_configs_lock = threading.Lock()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_disown_inherited_font_configs)


@atexit.register
def _free_font_configs() -> None:
    """Delete the copies of the font files of this process's configurations. WeasyPrint
    deletes them when a configuration is freed, which it is not, or not reliably, when the
    interpreter ends while this module holds it: a build left ~12 MB in a temporary folder."""
    for _key, config in list(_font_configs.values()):
        folder = getattr(config, "_folder", None)
        if folder is not None:
            config._folder = None
            shutil.rmtree(folder, ignore_errors=True)
    _font_configs.clear()


class _CyclicGcPause:
    """The cyclic garbage collector paused while a PDF is laid out and written: WeasyPrint
    makes hundreds of thousands of boxes, styles and text objects, and the collections they
    set off took a sixth of a PDF's time (passes over all of them that find little: boxes are
    freed by reference counting). The cycles left are collected as usual afterwards. Nested
    and concurrent uses are counted: the collector runs again when the last one ends, if it
    ran before the first began."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._holders = 0
        self._was_enabled = False

    def __enter__(self) -> None:
        with self._lock:
            if self._holders == 0:
                self._was_enabled = gc.isenabled()
                gc.disable()
            self._holders += 1

    def __exit__(self, *exc: object) -> None:
        with self._lock:
            self._holders -= 1
            if self._holders == 0 and self._was_enabled:
                gc.enable()


_no_cyclic_gc = _CyclicGcPause()


# CPython keeps the frames of Python calls in 16 KiB chunks, allocated (mmap) when a call
# does not fit the current chunk and freed (munmap) when that call returns. WeasyPrint's
# layout recurses deep, and wherever a chunk ends inside its hot loops (which depends on
# how deep the caller is) every call across it costs two system calls and fresh zeroed
# pages: 6,000 to 60,000 chunks per PDF, a tenth to a sixth of its CPU time. A call whose
# frame needs a little more than 128 KiB gets a chunk of 256 KiB of its own, so the frames
# of the layout called from it fit in the rest, whatever the depth of the caller.
_ROOMY_SLOTS = 17_000  # frame slots (8 bytes) > 128 KiB + CPython's chunk overhead


def _roomy(fn: Any, args: tuple[Any, ...]) -> Any:
    return fn(*args)


try:  # a larger declared stack only makes the frame larger
    _roomy.__code__ = _roomy.__code__.replace(co_stacksize=_ROOMY_SLOTS)
except (AttributeError, TypeError, ValueError):  # pragma: no cover - not CPython
    pass


def write_pdf(doc: Document, styles: Styles, charts: Mapping[str, bytes] | None = None) -> bytes:
    return layout_pdf(doc, styles, charts).pdf


@dataclass(frozen=True)
class PdfLayout:
    """The PDF, the page number printed on the page of every heading (block index -> page,
    for the DOCX's contents) and the tables set tighter (key -> step, for the DOCX)."""

    pdf: bytes
    heading_pages: dict[int, int]
    tight: dict[str, int]


def layout_pdf(
    doc: Document,
    styles: Styles,
    charts: Mapping[str, bytes] | None = None,
    *,
    split: bool | None = None,
) -> PdfLayout:
    """The PDF, with what the DOCX takes from its layout (see :class:`PdfLayout`); from the
    cache (:mod:`juesuan.document.pdf_cache`) when the same document was laid out before.
    ``split``: lay out in two pieces (:mod:`juesuan.document.pdf_split`; the second in
    another process where a core is free) when the document is large enough to gain (None),
    whatever its size (True), or never (False). The bytes depend on the document and this
    choice only, never on the machine's cores or load."""
    # The tables that would end on a near-empty page are predicted; the laid-out pages are
    # checked, and only a wrong prediction costs another layout: a table still ending on a
    # near-empty page is set one step tighter (at most twice).
    tight = predicted_tight(doc, styles)

    def html(tight: Mapping[str, int], faces: str = "", **piece: Any) -> str:
        return write_html(
            doc,
            styles,
            charts,
            for_print=True,
            font_faces=faces,
            tight=tight,
            chart_urls=True,
            **piece,  # blocks, contents_pages: a piece (see pdf_split)
        )

    first = html(tight)
    key = pdf_cache.key(first, charts or {}, f"split={split}")
    cached = pdf_cache.get(key)
    if cached is not None:
        return PdfLayout(*cached)

    import weasyprint

    from juesuan.document.pdf_fonts import file_faces, subset_faces, weasyprint_subsets_fast
    from juesuan.document.pdf_images import pass_png_through

    # WeasyPrint logs (in English) when it subsets fonts with fontTools because the
    # system lacks libharfbuzz-subset; the PDF is the same, only slower to make.
    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    pass_png_through()

    faces = file_faces(first) if weasyprint_subsets_fast() else subset_faces(first)
    images = {f"{CHART_SCHEME}{name}": png for name, png in (charts or {}).items()}
    fetch = _fetcher(weasyprint, {**images, **faces.files})
    fonts = _font_config(faces)

    def layout(
        tight: Mapping[str, int],
        blocks: tuple[int, int] | None = None,
        contents_pages: Mapping[int, int] | None = None,
    ) -> Any:
        source = html(tight, faces.css, blocks=blocks, contents_pages=contents_pages)
        cls = _print_html(weasyprint)
        if hasattr(cls, "parsed"):
            return cls.parsed(source, fetch).render(font_config=fonts)
        return cls(string=source, url_fetcher=fetch).render(font_config=fonts)  # pragma: no cover

    cut = None
    if split is not False:  # asked for (True): whatever the document's size
        least = 0 if split else pdf_split.MIN_MARKUP
        cut = pdf_split.split_point(doc, styles, tight, least)
    with _no_cyclic_gc, pdf_split.counting_layouts():
        pdf, pages, tight = _roomy(_lay_out, (doc, layout, tight, faces, cut, fonts))
    result = PdfLayout(pdf, pages, tight)
    pdf_cache.put(key, result.pdf, result.heading_pages, result.tight)
    return result


def _lay_out(
    doc: Document,
    layout: Any,
    tight: dict[str, int],
    faces: Any,
    split: int | None,
    fonts: Any,
) -> tuple[bytes, dict[int, int], dict[str, int]]:
    """Lay out and write the PDF: in two pieces, the second from block ``split`` on, laid out
    in another process where a core is free (:mod:`juesuan.document.pdf_split`); whole, in
    this process, if ``split`` is None or the pieces failed."""

    def piece(
        tight: dict[str, int],
        blocks: tuple[int, int] | None,
        contents_pages: Mapping[int, int] | None,
    ) -> tuple[Any, dict[str, int]]:
        """Lay out (again, for tables still ending on a near-empty page)."""
        document = layout(tight, blocks, contents_pages)
        for _ in range(2):
            again = {k: tight.get(k, 0) + 1 for k in _short_tails(document) if tight.get(k, 0) < 2}
            if not again:
                break
            tight.update(again)
            document = layout(tight, blocks, contents_pages)
        return document, tight

    def write(document: Any) -> bytes:
        # Faces subset already are embedded as they are; the fonts are known once the pages
        # are drawn, and if a character none of them has was set in a system font (which
        # must be subset), the PDF is written again the usual way.
        pdf = document.write_pdf(full_fonts=faces.subset)
        own = set(faces.files.values())
        if faces.subset and not all(f.file_content in own for f in document.fonts.values()):
            pdf = document.write_pdf()
        return pdf

    if split is not None:
        try:
            pdf, joined, split_tight = pdf_split.lay_out_split(
                doc, split, piece, write, tight, fonts, parallel=pdf_split.available()
            )
            return pdf, heading_pages(joined), split_tight
        except Exception:  # the helper or the join failed: lay out here
            logging.getLogger(__name__).debug("PDF not laid out in two processes", exc_info=True)
    document, tight = piece(tight, None, None)
    return write(document), heading_pages(document), dict(tight)
