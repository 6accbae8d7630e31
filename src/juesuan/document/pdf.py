"""PDF writer: the print HTML laid out by WeasyPrint with the bundled open-licensed faces.

Pagination is checked on the laid-out pages before the PDF is written: a table whose last
page would hold only a few body rows (a table a little longer than its pages) is set again
with less row height, so that it ends on the page before instead of leaving a near-empty one.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from juesuan.document.fonts import font_face_css
from juesuan.document.html import write_html
from juesuan.document.model import Document
from juesuan.document.numbers import Styles

# A table's last page with at most this many body rows (and nothing after them on the page)
# counts as near-empty.
SHORT_TAIL_ROWS = 5


def _boxes(box: Any) -> Iterator[Any]:
    yield box
    for child in getattr(box, "children", ()):
        yield from _boxes(child)


def table_rows_by_page(document: Any) -> dict[str, list[tuple[int, int]]]:
    """For each table (``data-table`` key): (page index, body rows on that page), in order."""
    from weasyprint.formatting_structure.boxes import TableRowBox

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
            elif key is not None and isinstance(box, TableRowBox):
                group = getattr(box, "parent", None)
                if not getattr(group, "is_header", False):
                    counts[key] += 1
        for k, n in counts.items():
            rows.setdefault(k, []).append((index, n))
    return rows


def _short_tails(document: Any) -> set[str]:
    short = set()
    for key, pages in table_rows_by_page(document).items():
        if len(pages) >= 2 and 0 < pages[-1][1] <= SHORT_TAIL_ROWS:
            short.add(key)
    return short


def write_pdf(doc: Document, styles: Styles, charts: Mapping[str, bytes] | None = None) -> bytes:
    import logging

    import weasyprint

    # WeasyPrint logs (in English) when it subsets fonts with fontTools because the
    # system lacks libharfbuzz-subset; the PDF is the same, only slower to make.
    logging.getLogger("weasyprint").setLevel(logging.ERROR)

    faces = font_face_css()

    def layout(tight: frozenset[str]) -> Any:
        html = write_html(doc, styles, charts, for_print=True, font_faces=faces, tight=tight)
        return weasyprint.HTML(string=html).render()

    document = layout(frozenset())
    tight = _short_tails(document)
    if tight:
        document = layout(frozenset(tight))
    return document.write_pdf()
