"""The PDF laid out in two processes, on two cores, and joined.

WeasyPrint lays out a document on one core. Where a second core is free (and the process can
fork: Linux), :func:`lay_out_split` cuts the document's blocks at a place that starts a new
page anyway (a part heading, a table that starts its own page) near the middle of the work,
and a forked helper lays out and writes the second piece while this process lays out the
first piece, then the cover and the contents, and writes the PDF:

- page numbers: the helper's footers are numbered after the pages of the first piece (this
  process sends their count once it knows it; the helper waits for it before WeasyPrint
  makes the margin boxes, after pagination);
- contents: laid out last, with the page numbers of both pieces given as text (the same text
  ``target-counter`` gives);
- outline, links and named destinations: this process writes the whole PDF with WeasyPrint,
  the helper's pages standing in as blank pages that carry their anchors and bookmarks
  (:mod:`juesuan.document.pdf_join`); their drawings and resources are then put in from the
  helper's PDF.

Whether a document is cut depends on the document alone (:func:`split_point`), so that the
same document always gives the same bytes: where no core is free (or no fork), this process
lays out the second piece itself, numbered the same way, and joins the same pieces.

The helper dies with this process. If it fails in any way (an exception, a crash, no answer in
time), or if anything in this process's part of the work goes wrong, the caller lays out the
document in one process as before: the outcome is a PDF either way.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import select
import shutil
import signal
import struct
import sys
import threading
import time
from collections.abc import Callable, Mapping
from types import SimpleNamespace
from typing import Any

from juesuan.core.helper_process import die_with
from juesuan.document.html import block_html
from juesuan.document.model import Document, Heading, PageBreak, Table
from juesuan.document.numbers import Styles

# The first piece's process also lays out the contents, writes the PDF (the outline and links
# of both pieces) and joins the pieces: it takes less of the body than half (at 0.46 it took
# 1.17 s of CPU against the helper's 0.77 s on the seed document; the markup's size is a
# rough measure of the work).
_FIRST_SHARE = 0.4
# A smaller document (by the size of its markup) is laid out in one process: the pieces'
# fixed costs (cascade, fonts, the contents, the join) take what the second core gives
# (putuo, 60,000 characters: 0.85 s in one process, 0.79–1.11 s in two with 25–40% more
# CPU; seed, 100,000 characters: 1.41–1.50 s, 0.82–0.92 s in two).
MIN_MARKUP = 80_000
# The helper's answer is awaited this many times as long as this process's own first piece
# took (and at least _MIN_WAIT seconds) before the document is laid out here instead.
_WAIT_FACTOR = 10
_MIN_WAIT = 30.0

_layouts_running = 0  # PDFs being laid out in this process (threads)
_layouts_lock = threading.Lock()


def available(busy_ok: bool = False) -> bool:
    """Whether the second piece is laid out in another process (else here, after the first:
    the same bytes): Linux with fork, a second core for this process, no other PDF being
    laid out in this process (that one keeps the other core busy, and a fork must not copy a
    layout in progress in another thread), and, unless ``busy_ok``, a machine with a core to
    spare (1-minute load average below the cores: on a busy machine the two processes only
    share the cores with the others)."""
    if not sys.platform.startswith("linux") or not hasattr(os, "fork"):
        return False
    try:
        cores = len(os.sched_getaffinity(0))
    except OSError:  # pragma: no cover
        return False
    if cores < 2 or _layouts_running != 1:
        return False
    return busy_ok or os.getloadavg()[0] < cores


@contextlib.contextmanager
def counting_layouts() -> Any:
    """Count a PDF layout in progress in this process (see :func:`available`)."""
    global _layouts_running
    with _layouts_lock:
        _layouts_running += 1
    try:
        yield
    finally:
        with _layouts_lock:
            _layouts_running -= 1


def _starts_page(doc: Document, styles: Styles, n: int) -> bool:
    """Whether block ``n`` always starts a new page (a forced break before it)."""
    block, before = doc.blocks[n], doc.blocks[n - 1]
    if isinstance(before, PageBreak):  # the piece before would end with a forced break
        return False
    if isinstance(block, Heading):
        return block.level == 1  # h2: page-break-before: always
    if isinstance(block, Table) and styles.table_new_page and not block.inline:
        return not (isinstance(before, Heading) and before.level == 1)  # h2 + section.np
    return False


def split_point(
    doc: Document, styles: Styles, tight: Mapping[str, int], min_markup: int = MIN_MARKUP
) -> int | None:
    """The block that starts the second piece: of the blocks that start a page, the one
    nearest to a share :data:`_FIRST_SHARE` of the work (estimated by the size of the
    markup); None if there is none, or if the markup is shorter than ``min_markup``."""
    sizes = [len(block_html(doc, n, styles, None, tight, True)) for n in range(len(doc.blocks))]
    total = sum(sizes)
    if total == 0 or total < min_markup:
        return None
    best, best_gap, done = None, float("inf"), 0
    for n, size in enumerate(sizes):
        if n and _starts_page(doc, styles, n):
            gap = abs(done / total - _FIRST_SHARE)
            if gap < best_gap:
                best, best_gap = n, gap
        done += size
    return best


class _Failed(Exception):
    """The split layout could not be made: lay out in one process."""


def _send(fd: int, obj: Any) -> None:
    data = pickle.dumps(obj, protocol=pickle.HIGHEST_PROTOCOL)
    os.write(fd, struct.pack("<Q", len(data)))
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view) :]


def _receive(fd: int, deadline: float) -> Any:
    def read(n: int) -> bytes:
        out = bytearray()
        while len(out) < n:
            wait = None if deadline == float("inf") else max(deadline - time.monotonic(), 0)
            if not select.select([fd], [], [], wait)[0]:
                raise _Failed("no answer in time")
            chunk = os.read(fd, n - len(out))
            if not chunk:
                raise _Failed("the helper ended")
            out += chunk
        return bytes(out)

    (size,) = struct.unpack("<Q", read(8))
    return pickle.loads(read(size))  # our own helper's output


_numbering = threading.local()  # .offset_of: this thread's pages are numbered after it
_numbering_lock = threading.Lock()


@contextlib.contextmanager
def _numbered_from(offset_of: Callable[[], int]) -> Any:
    """Have WeasyPrint number the pages this thread lays out after ``offset_of()`` pages
    (asked when the first margin box is made, after pagination: the footers are the only use
    of the page counter in a piece without the contents). Other threads are not affected."""
    from weasyprint import layout

    with _numbering_lock:
        if not getattr(layout.make_margin_boxes, "_juesuan_numbering", False):
            make_margin_boxes = layout.make_margin_boxes

            def shifted(context: Any, page: Any, state: Any) -> Any:
                offset_of = getattr(_numbering, "offset_of", None)
                if offset_of is None:
                    return make_margin_boxes(context, page, state)
                offset = offset_of()
                counters = dict(state[1])
                counters["page"] = [value + offset for value in counters["page"]]
                return make_margin_boxes(context, page, (state[0], counters, *state[2:]))

            shifted._juesuan_numbering = True  # type: ignore[attr-defined]
            layout.make_margin_boxes = shifted
    _numbering.offset_of = offset_of
    try:
        yield
    finally:
        _numbering.offset_of = None


def lay_out_split(
    doc: Document,
    split: int,
    lay_out_piece: Callable[[dict[str, int], tuple[int, int] | None, Any], Any],
    write: Callable[[Any], bytes],
    tight: dict[str, int],
    font_config: Any = None,
    *,
    parallel: bool = True,
) -> tuple[bytes, Any, dict[str, int]]:
    """(PDF, the joined WeasyPrint document, tables set tighter) of ``doc`` laid out in two
    pieces, the second from block ``split`` on: in a forked helper if ``parallel``, else
    here after the first (the same pieces, the same bytes).

    ``lay_out_piece(tight, blocks, contents_pages)`` lays out the blocks (start, end), or the
    cover and contents with the given page numbers, and returns (WeasyPrint document, tight);
    ``write(document)`` writes a document's PDF; ``font_config`` is the WeasyPrint font
    configuration they use. Raises :class:`_Failed` (or whatever went wrong here) when the
    caller should lay out in one process."""
    from juesuan.document import pdf_join

    if not parallel:
        first, first_tight = lay_out_piece(dict(tight), (0, split), None)
        count = len(first.pages)
        with _numbered_from(lambda: count):
            second, second_tight = lay_out_piece(dict(tight), (split, len(doc.blocks)), None)
        stand_ins, second_pdf = pdf_join.stand_ins(second), write(second)
        return _joined(
            first, first_tight, stand_ins, second_tight, second_pdf, lay_out_piece, write, tight
        )
    parent = os.getpid()
    # A forked process disowns the font files of the configurations it inherits (the parent's
    # to delete); the helper uses this one's files as they are, instead of copying them again
    # into a folder of its own: it ends with os._exit (no finaliser deletes anything), and the
    # configuration here, with its folder, lives as long as this call. A configuration that
    # has no files yet (this process's first PDF) gets a folder in each process; the helper
    # deletes its own.
    folder = getattr(font_config, "_folder", None)
    to_helper_r, to_helper_w = os.pipe()
    from_helper_r, from_helper_w = os.pipe()
    try:
        pid = os.fork()
    except OSError:
        for fd in (to_helper_r, to_helper_w, from_helper_r, from_helper_w):
            os.close(fd)
        raise _Failed("no process to spare") from None
    if pid == 0:  # pragma: no cover - the helper (coverage does not follow a fork)
        code = 1
        try:
            os.close(to_helper_w)
            os.close(from_helper_r)
            die_with(parent)
            if folder is not None:
                font_config._folder = folder
            offset: list[int] = []

            def offset_of() -> int:
                if not offset:
                    offset.append(_receive(to_helper_r, float("inf")))
                return offset[0]

            with _numbered_from(offset_of):
                document, own_tight = lay_out_piece(dict(tight), (split, len(doc.blocks)), None)
            _send(from_helper_w, (pdf_join.stand_ins(document), own_tight))
            _send(from_helper_w, write(document))
            code = 0
        finally:
            if folder is None and getattr(font_config, "_folder", None) is not None:
                shutil.rmtree(font_config._folder, ignore_errors=True)  # the helper's copies
            os._exit(code)
    os.close(to_helper_r)
    os.close(from_helper_w)
    try:
        started = time.monotonic()
        first, first_tight = lay_out_piece(dict(tight), (0, split), None)
        _send(to_helper_w, len(first.pages))
        waited = max(_MIN_WAIT, _WAIT_FACTOR * (time.monotonic() - started))
        deadline = time.monotonic() + waited
        stand_ins, second_tight = _receive(from_helper_r, deadline)
        front, joined, pdf = _front_and_body(first, stand_ins, lay_out_piece, write, tight)
        second_pdf = _receive(from_helper_r, deadline + waited)
        pdf = pdf_join.fill_in(pdf, len(front.pages) + len(first.pages), second_pdf)
    except BaseException:
        with contextlib.suppress(OSError):
            os.kill(pid, signal.SIGKILL)
        raise
    finally:
        os.close(to_helper_w)
        os.close(from_helper_r)
        with contextlib.suppress(ChildProcessError):
            os.waitpid(pid, 0)
    return pdf, joined, _both(first_tight, second_tight)


def _front_and_body(first, stand_ins, lay_out_piece, write, tight) -> tuple[Any, Any, bytes]:  # type: ignore[no-untyped-def]
    """The cover and contents laid out with the pieces' page numbers, and the PDF written of
    them, the first piece and the second's stand-ins."""
    from juesuan.document import pdf_join

    body = SimpleNamespace(pages=[*first.pages, *stand_ins])
    front, _ = lay_out_piece(dict(tight), None, pdf_join.heading_pages(body))
    joined = front.copy([*front.pages, *first.pages, *stand_ins])
    return front, joined, write(joined)


def _joined(first, first_tight, stand_ins, second_tight, second_pdf, lay_out_piece, write, tight):  # type: ignore[no-untyped-def]
    from juesuan.document import pdf_join

    front, joined, pdf = _front_and_body(first, stand_ins, lay_out_piece, write, tight)
    pdf = pdf_join.fill_in(pdf, len(front.pages) + len(first.pages), second_pdf)
    return pdf, joined, _both(first_tight, second_tight)


def _both(first: dict[str, int], second: dict[str, int]) -> dict[str, int]:
    """Each piece sets tighter only its own tables (steps only grow)."""
    return {k: max(first.get(k, 0), second.get(k, 0)) for k in {*first, *second}}
