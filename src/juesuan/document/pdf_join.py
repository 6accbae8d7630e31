"""Joining the pieces of a PDF laid out in two processes (:mod:`juesuan.document.pdf_split`).

The process that writes the PDF has the WeasyPrint pages of its own pieces and, for the other
process's pages, stand-ins: blank pages of the same size that carry the same anchors, links
and bookmarks. WeasyPrint writes the whole PDF from them (outline, links, named destinations
and metadata as for a document laid out in one piece); :func:`fill_in` then gives the blank
pages the drawings and resources of the other process's PDF. :func:`heading_pages` reads the
page numbers of the headings from WeasyPrint pages and stand-ins alike.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from typing import Any


class _LinkBox:
    """What WeasyPrint keeps of a link's box while writing: its annotation."""

    link_annotation: Any = None


@dataclass
class StandIn:
    """A page laid out in another process, as WeasyPrint's PDF writer reads a page: size,
    anchors, links and bookmarks; nothing is drawn on it."""

    width: float
    height: float
    bleed: dict[str, float]
    anchors: dict[str, Any]
    links: list[Any]
    bookmarks: list[Any]
    forms: dict[Any, list[Any]] = field(default_factory=lambda: {None: []})

    def paint(self, stream: Any, scale: float = 1) -> None:
        """Nothing: the page's drawing is put in from the other PDF."""

    def __getstate__(self) -> dict[str, Any]:  # the links' boxes stay in their process
        state = dict(self.__dict__)
        state["links"] = [(kind, target, rect, None) for kind, target, rect, _box in self.links]
        return state

    def __setstate__(self, state: dict[str, Any]) -> None:
        state["links"] = [(k, t, r, _LinkBox()) for k, t, r, _box in state["links"]]
        self.__dict__.update(state)


def heading_pages(document: Any) -> dict[int, int]:
    """Block index of each heading -> the number printed on the page it is set on (the
    cover and the contents are not counted: the first heading's page is 1)."""
    pages: dict[int, int] = {}
    for number, page in enumerate(document.pages, 1):
        for anchor in page.anchors:
            if anchor.startswith("s") and anchor[1:].isdigit():
                pages.setdefault(int(anchor[1:]), number)
    first = min(pages.values(), default=1)
    return {k: v - first + 1 for k, v in pages.items()}


def stand_ins(document: Any) -> list[StandIn]:
    """Stand-ins for the pages of a WeasyPrint document (to send to another process)."""
    return [
        StandIn(
            page.width,
            page.height,
            dict(page.bleed),
            dict(page.anchors),
            list(page.links),
            list(page.bookmarks),
        )
        for page in document.pages
    ]


def fill_in(pdf: bytes, first: int, other: bytes) -> bytes:
    """``pdf`` whose pages from index ``first`` on (blank stand-ins) have the drawings and
    resources of the pages of ``other``, in order."""
    import pikepdf

    with pikepdf.open(io.BytesIO(pdf)) as joined, pikepdf.open(io.BytesIO(other)) as piece:
        if len(joined.pages) != first + len(piece.pages):
            raise ValueError("the pieces do not have the pages of the PDF")
        for n, page in enumerate(piece.pages):
            target = joined.pages[first + n].obj
            if [float(v) for v in target.MediaBox] != [float(v) for v in page.obj.MediaBox]:
                raise ValueError(f"page {first + n + 1} is not the size of its stand-in")
            target.Contents = joined.copy_foreign(page.obj.Contents)
            target.Resources = joined.copy_foreign(page.obj.Resources)
        out = io.BytesIO()
        joined.save(
            out,
            deterministic_id=True,
            stream_decode_level=pikepdf.StreamDecodeLevel.none,
        )
        return out.getvalue()
