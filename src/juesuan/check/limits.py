"""Bounds on what ``juesuan check`` reads: a published file may come from anyone.

* :func:`precheck` runs before a reader: file size, a DOCX's decompressed size, a PDF's page
  count, characters per page and encryption, and the pages whose content or fonts cannot be
  decoded (the text of those pages is incomplete: a damaged font drops its characters).
* :func:`check_file_limited` runs :func:`juesuan.check.check_file` in a child process under
  a memory limit and a time budget; beyond either the result is the finding
  “文件过大/过于复杂，未能检查” instead of a hang.
"""

from __future__ import annotations

import contextlib
import os
import time
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from juesuan.core.findings import Finding, Location, Severity

__all__ = [
    "MAX_DOCX_XML",
    "MAX_FILE_BYTES",
    "MAX_PAGES",
    "MAX_PAGE_CHARS",
    "MAX_PAGE_OBJECTS",
    "MAX_TEXT_BYTES",
    "MAX_TOTAL_CHARS",
    "TOO_COMPLEX",
    "LimitedCheck",
    "check_file_limited",
    "precheck",
    "start_limited",
]

MAX_FILE_BYTES = 60 * 1024 * 1024  # a PDF with scanned seals and charts stays well below
MAX_TEXT_BYTES = 8 * 1024 * 1024  # .txt / .md / .html
MAX_DOCX_XML = 12 * 1024 * 1024  # decompressed XML of a .docx (a 100-page one has ~5 MB)
MAX_PAGES = 600
MAX_PAGE_CHARS = 30_000  # a dense A4 table page holds about 5,000
MAX_PAGE_OBJECTS = 10_000  # drawing and text objects of one page (a dense table page: ~500)
MAX_TOTAL_CHARS = 3_000_000
TIME_BUDGET = 120.0  # seconds for one file (a 25-page disclosure takes a few)
MEMORY_BUDGET = 3 * 1024**3  # bytes of address space for the checking process
TOO_COMPLEX = "文件过大/过于复杂，未能检查"


def _fatal(path: Path, code: str, message: str) -> Finding:
    return Finding(code, Severity.ERROR, message, Location(file=str(path)))


class TooComplex(Exception):
    """Raised by a reader that meets a page beyond the bounds (the reason, in Chinese)."""


def page_bounds(number: int, objects: int | None, chars: int | None, total: int) -> None:
    """Raise :class:`TooComplex` for page ``number`` (1-based) beyond the bounds: checked by
    the pdfium reader as it loads each page (a page is loaded once, not for a precheck)."""
    if objects is not None and objects > MAX_PAGE_OBJECTS:
        raise TooComplex(f"第{number}页内容过多")
    if chars is not None and chars > MAX_PAGE_CHARS:
        raise TooComplex(f"第{number}页文字过多")
    if total > MAX_TOTAL_CHARS:
        raise TooComplex("文字总量超过上限")


@dataclass
class FontCheck:
    """Damaged pages of a PDF found in two steps, so that no font program is decompressed
    twice: :func:`precheck` decodes every stream but the font programs, naming the fonts that
    embed one (``declared``); the pdfium reader, which loads the fonts anyway, adds the pages
    that use a declared font pdfium could not load (:meth:`font_not_loaded`)."""

    declared: set[str] = field(default_factory=set)
    bad_pages: set[int] = field(default_factory=set)

    def font_not_loaded(self, page: int, name: str) -> None:
        if any(d and (name == d or name.startswith((d + "-", d + ","))) for d in self.declared):
            self.bad_pages.add(page)

    def note(self, path: Path) -> list[Finding]:
        return damaged_note(path, sorted(self.bad_pages))


def precheck(
    path: Path, pages_by_reader: bool = False, fonts: FontCheck | None = None
) -> tuple[list[Finding], list[Finding]]:
    """(fatal, notes) for the file at ``path`` before it is read: ``fatal`` ends the check,
    ``notes`` (pages that could not be read) are reported with the check's findings. With
    ``pages_by_reader`` the per-page bounds of a PDF are left to the reader
    (:func:`page_bounds`); with ``fonts`` so are the font programs, the damaged pages found
    here go to ``fonts`` and the reader reports them (:meth:`FontCheck.note`)."""
    try:
        size = path.stat().st_size
    except OSError:
        return [], []  # the reader reports a missing file
    suffix = path.suffix.lower()
    if size > MAX_FILE_BYTES or (
        suffix in (".txt", ".md", ".html", ".htm") and size > MAX_TEXT_BYTES
    ):
        return [_fatal(path, "CHK-092", f"{TOO_COMPLEX}（文件大小超过上限）")], []
    if suffix == ".docx":
        return _docx(path), []
    if suffix == ".pdf":
        return _pdf(path, pages_by_reader, fonts)
    return [], []


def _docx(path: Path) -> list[Finding]:
    try:
        with zipfile.ZipFile(path) as zf:
            infos = zf.infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        return []  # the reader reports a damaged file
    xml = sum(i.file_size for i in infos if i.filename.lower().endswith((".xml", ".rels")))
    if xml > MAX_DOCX_XML or len(infos) > 10_000:
        return [_fatal(path, "CHK-092", f"{TOO_COMPLEX}（解压后的内容超过上限）")]
    return []


def _pdf(
    path: Path, pages_by_reader: bool = False, fonts: FontCheck | None = None
) -> tuple[list[Finding], list[Finding]]:
    import pypdfium2 as pdfium

    try:
        pdf = pdfium.PdfDocument(str(path))
    except pdfium.PdfiumError as exc:
        if getattr(exc, "err_code", None) == 4:  # FPDF_ERR_PASSWORD
            return [
                _fatal(path, "CHK-090", "PDF已加密（设置了打开密码），无法读取；请提供未加密的文件")
            ], []
        return [], []  # the reader reports a damaged file
    try:
        if len(pdf) > MAX_PAGES:
            return [_fatal(path, "CHK-092", f"{TOO_COMPLEX}（超过{MAX_PAGES}页）")], []
        total = 0
        for n in range(0 if pages_by_reader else len(pdf)):
            try:
                page = pdf[n]
                if pdfium.raw.FPDFPage_CountObjects(page.raw) > MAX_PAGE_OBJECTS:
                    page.close()  # text extraction would take minutes: refuse before it
                    return [_fatal(path, "CHK-092", f"{TOO_COMPLEX}（第{n + 1}页内容过多）")], []
                tp = page.get_textpage()
                chars = tp.count_chars()
                tp.close()
                page.close()
            except pdfium.PdfiumError:
                continue  # an unloadable page is named by _damaged_pages
            total += chars
            if chars > MAX_PAGE_CHARS:
                return [_fatal(path, "CHK-092", f"{TOO_COMPLEX}（第{n + 1}页文字过多）")], []
            if total > MAX_TOTAL_CHARS:
                return [_fatal(path, "CHK-092", f"{TOO_COMPLEX}（文字总量超过上限）")], []
    finally:
        pdf.close()
    bad = _damaged_pages(path, None if fonts is None else fonts.declared)
    if fonts is not None:
        fonts.bad_pages.update(bad)
        return [], []
    return [], damaged_note(path, bad)


def damaged_note(path: Path, bad: list[int]) -> list[Finding]:
    """The finding naming the pages whose content or fonts cannot be decoded (none: [])."""
    if not bad:
        return []
    pages = "、".join(str(n) for n in bad[:30]) + ("等" if len(bad) > 30 else "")
    note = Finding(
        "CHK-091",
        Severity.ERROR,
        f"第{pages}页无法完整读取（页面内容或所用字体已损坏），这些页面的文字可能缺失，"
        "检查结果不完整；请提供完好的文件",
        Location(file=str(path)),
    )
    return [note]


def _damaged_pages(path: Path, declared: set[str] | None = None) -> list[int]:
    """Numbers of the pages whose content streams, fonts or forms cannot be decoded. With
    ``declared`` the font programs are not decoded: the names of the fonts embedding one are
    added to it (the pdfium reader checks that it could load them)."""
    import pikepdf

    try:
        pdf = pikepdf.open(path)
    except pikepdf.PasswordError:
        return []  # pdfium opened it: only an owner password
    except Exception:
        return []
    cache: dict[tuple[int, int], bool] = {}
    bad = []
    with pdf:
        for n, page in enumerate(pdf.pages, 1):
            try:
                ok = _streams_ok(page.obj, cache, set(), 0, declared)
            except Exception:
                ok = False
            if not ok:
                bad.append(n)
    return bad


# keys not followed: back links, and arrays of numbers (a CID font's /W has thousands)
_NOT_FOLLOWED = frozenset(
    "/Parent /P /Annots /B /Thumb /W /W2 /Widths /FontBBox /MediaBox /CropBox /BBox /Matrix "
    "/Rect".split()
)


_FONT_FILES = frozenset(("/FontFile", "/FontFile2", "/FontFile3"))


def _streams_ok(obj, cache: dict, seen: set, depth: int, declared: set[str] | None = None) -> bool:
    """Whether every stream reachable from a page (contents, fonts, forms; not images)
    decodes. Each indirect object is checked once per file (``cache``): the fonts and forms
    that every page shares are not walked again for each page."""
    import pikepdf

    if depth > 10:
        return True
    key = getattr(obj, "objgen", (0, 0))
    if key != (0, 0):
        if key in cache:
            return cache[key]
        if key in seen:
            return True
        seen.add(key)
    result = _own_ok(obj, cache, seen, depth, pikepdf, declared)
    if key != (0, 0):
        cache[key] = result
    return result


def _own_ok(obj, cache: dict, seen: set, depth: int, pikepdf, declared: set[str] | None) -> bool:
    if isinstance(obj, pikepdf.Stream):
        if obj.get("/Subtype") == "/Image":
            return True
        try:
            obj.read_bytes()
        except Exception:
            return False
    if isinstance(obj, pikepdf.Dictionary | pikepdf.Stream):
        for name in list(obj.keys()):
            if name in _NOT_FOLLOWED:
                continue
            if declared is not None and name in _FONT_FILES:
                declared.add(str(obj.get("/FontName", "")).lstrip("/"))
                continue
            if not _streams_ok(obj[name], cache, seen, depth + 1, declared):
                return False
    elif isinstance(obj, pikepdf.Array):
        for item in obj:
            if not _streams_ok(item, cache, seen, depth + 1, declared):
                return False
    return True


# --------------------------------------------------------------------------- time budget


def check_file_limited(
    path: str | Path,
    engine: str = "pdfium",
    seconds: float = TIME_BUDGET,
    memory: int = MEMORY_BUDGET,
    prepare: Callable[[str, str], Callable | None] | None = None,
    started: LimitedCheck | None = None,
):
    """``check_file(path)`` in a forked child under ``memory`` bytes of address space and
    ``seconds`` of wall time. Beyond either, a report whose fatal finding is CHK-092
    “文件过大/过于复杂，未能检查”. Without ``fork`` (not POSIX) it runs in this process.
    ``prepare(path, engine)``, run first in the child, may return the ``source`` of
    :func:`juesuan.check.check_file`: the ``check`` command passes
    :func:`juesuan.check.ahead.start`, which reads the document in a helper process while the
    child loads the checker (the same report, sooner on a machine with a spare core).
    ``started``: the same check already started by :func:`start_limited` with the same
    ``path``, ``engine``, ``memory`` and ``prepare`` (the command starts it before it parses
    its arguments); the time budget counts from its start."""
    from juesuan.check import check_file

    if started is not None and (started.path, started.engine) != (str(path), engine):
        started.cancel()  # it checks another file or reads it otherwise: not this check
        started = None
    running = started or start_limited(path, engine, memory, prepare)
    if running is None:  # pragma: no cover - POSIX has fork
        return check_file(path, engine=engine)
    return running.report(seconds)


def start_limited(
    path: str | Path,
    engine: str = "pdfium",
    memory: int = MEMORY_BUDGET,
    prepare: Callable[[str, str], Callable | None] | None = None,
) -> LimitedCheck | None:
    """Fork the child of :func:`check_file_limited` and return at once (``None`` where there
    is no ``fork``): :meth:`LimitedCheck.report` waits for its report."""
    import multiprocessing as mp

    if "fork" not in mp.get_all_start_methods():  # pragma: no cover - POSIX has fork
        return None
    ctx = mp.get_context("fork")
    receive, send = ctx.Pipe(duplex=False)
    child = ctx.Process(target=_child, args=(send, str(path), engine, memory, prepare), daemon=True)
    child.start()
    send.close()
    return LimitedCheck(str(path), engine, child, receive, time.monotonic())


@dataclass
class LimitedCheck:
    """A running child of :func:`check_file_limited`: what it checks, and its process."""

    path: str
    engine: str
    child: Any  # multiprocessing.Process
    receive: Any  # the reading end of its pipe
    started: float  # time.monotonic() when it was forked

    def report(self, seconds: float = TIME_BUDGET):
        """The child's report, or the CHK-092/CHK-004 report when it exceeds ``seconds`` of
        wall time since it started, its memory limit, or fails; the child is ended."""
        from juesuan.check import CheckReport

        result = None
        timed_out = True
        try:
            if self.receive.poll(max(0.0, seconds - (time.monotonic() - self.started))):
                timed_out = False
                with contextlib.suppress(EOFError, OSError):
                    result = self.receive.recv()
        finally:
            self.cancel()
        if isinstance(result, CheckReport):
            return result
        report = CheckReport(self.path, None)
        if isinstance(result, str):  # an unexpected error in the child: its type name
            report.fatal = [_fatal(Path(self.path), "CHK-004", f"检查时出错，无法完成（{result}）")]
        else:
            why = "超出时间" if timed_out else "超出内存"
            report.fatal = [_fatal(Path(self.path), "CHK-092", f"{TOO_COMPLEX}（{why}上限）")]
        return report

    def cancel(self) -> None:
        """End the child (and with it its reading helper) if it still runs."""
        if self.child.is_alive():
            self.child.kill()
        self.child.join()
        self.receive.close()


def _child(send, path: str, engine: str, memory: int, prepare=None) -> None:  # pragma: no cover
    import resource

    from juesuan.check import check_file

    with contextlib.suppress(ValueError, OSError):
        resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    try:
        source = prepare(path, engine) if prepare is not None else None
        result: object = check_file(path, engine=engine, source=source)
    except MemoryError:
        result = None
    except Exception as exc:
        result = type(exc).__name__
    try:
        send.send(result)
    except Exception:
        send.send(None)
    finally:
        send.close()
        os._exit(0)
