"""Bounding a workbook's size before python-calamine allocates it.

calamine sizes a worksheet from the cell positions it reads, so one far-away cell, or cells
and rows written without an ``r=`` attribute (each then takes the next position), or a sheet
part stored outside ``xl/worksheets/`` can make it allocate hundreds of gigabytes and abort
the process. :func:`check_xlsx` reads the zip directory (sizes, compression ratio) and scans
*every* part of an ``.xlsx``/``.xlsm`` the way calamine reads positions — explicit or
implied, any quoting, any letter case, any namespace prefix — and refuses a workbook whose
largest sheet would exceed the limits. It allocates nothing in proportion to the sheet.
"""

from __future__ import annotations

import html
import re
import zipfile
import zlib
from functools import lru_cache
from io import BytesIO
from typing import IO

__all__ = [
    "MAX_CELLS",
    "MAX_COLS",
    "MAX_FILE_BYTES",
    "MAX_ROWS",
    "MAX_UNCOMPRESSED",
    "WorkbookRefused",
    "check_xlsx",
    "scan_sheet_xml",
]

MAX_FILE_BYTES = 50 * 1024 * 1024
MAX_UNCOMPRESSED = 400 * 1024 * 1024
MAX_RATIO = 200
MAX_PARTS = 10_000
MAX_ROWS = 200_000
MAX_COLS = 500
MAX_CELLS = 4_000_000
MAX_PART_HEAD = 4 << 20  # bytes of workbook.xml / its rels read for the sheet names
_MAX_TAG = 1 << 20  # an opening tag longer than this is not a worksheet

# Tags of rows, cells, formulas and values, with or without a namespace prefix.
_TAG = re.compile(rb"<(/?)(?:[A-Za-z_][\w.-]*:)?(row|c|f|v)(?=[\s/>])([^<>]*)>")
MAX_UNCACHED = 10_000  # formula cells without a value reported per sheet
FORMULA_PREFIX = 64  # bytes of such a formula's text kept (enough to tell the template's own)
_R_ATTR = re.compile(rb"""(?:^|\s)r\s*=\s*(?:"([^"]*)"|'([^']*)')""")
_REF = re.compile(rb"\$?([A-Za-z]*)\$?([0-9]*)")


class WorkbookRefused(ValueError):
    """The workbook is refused; ``args[0]`` is the Chinese reason, ``code`` its finding code."""

    def __init__(self, message: str, code: str = "XLS-002") -> None:
        super().__init__(message)
        self.code = code


def _too_big(rows: int, cols: int) -> bool:
    return rows > MAX_ROWS or cols > MAX_COLS or rows * max(cols, 1) > MAX_CELLS


def _position(value: bytes) -> tuple[int, int]:
    """(row, column) of an ``r=`` value; 0 for a part it leaves out. Refuses nonsense."""
    return _reference(value.strip())


@lru_cache(maxsize=1 << 14)
def _reference(value: bytes) -> tuple[int, int]:
    """:func:`_position` of a stripped value; only valid (short) references are cached, as a
    refusal raises. A workbook names the same few thousand cells on every sheet."""
    m = _REF.fullmatch(value)
    if m is None or len(m.group(1)) > 3 or len(m.group(2)) > 9:
        raise WorkbookRefused("工作表中有无法识别的单元格位置，拒绝读取", "XLS-001")
    col = 0
    for ch in m.group(1).upper():
        col = col * 26 + ch - 64
    return (int(m.group(2)) if m.group(2) else 0), col


def scan_sheet_xml(
    stream: IO[bytes],
    limit: int = MAX_UNCOMPRESSED,
    uncached: dict[tuple[int, int], str] | None = None,
) -> tuple[int, int]:
    """The (rows, columns) calamine would give the sheet XML read from ``stream``; refuses
    (``WorkbookRefused``) as soon as they exceed the limits or the part exceeds ``limit``.
    Formula cells without a saved value (calamine reads them as blank) are added to
    ``uncached``: 0-based (row, column) → the start of the formula's text ("" for a formula
    shared from another cell)."""
    max_row = max_col = row = col = 0
    formula = value = False
    v_at: int | None = None  # where the open value's text starts in ``buf``
    f_at: int | None = None  # where the open formula's text starts in ``buf``
    f_text = b""
    tail = b""
    read = 0
    while True:
        chunk = stream.read(1 << 20)
        if not chunk:
            break
        read += len(chunk)
        if read > limit:
            raise WorkbookRefused("工作表解压后过大，拒绝读取")
        buf = tail + chunk
        cut = buf.rfind(b"<")
        if cut < 0:
            tail = b""
            continue
        for m in _TAG.finditer(buf, 0, cut):
            closing, name, attrs = m.groups()
            if name == b"f":
                if not closing:
                    formula, f_text = True, b""
                    f_at = None if attrs.endswith(b"/") else m.end()
                elif f_at is not None:
                    f_text = (f_text + buf[f_at : m.start()])[:FORMULA_PREFIX]
                    f_at = None
            elif name == b"v":
                if not closing:
                    v_at = None if attrs.endswith(b"/") else m.end()  # <v/>: no value
                elif v_at is not None:
                    value = value or m.start() > v_at
                    v_at = None
            elif closing and name == b"c":
                if formula and not value and uncached is not None:
                    if len(uncached) < MAX_UNCACHED:
                        text = f_text.decode("utf-8", "replace")
                        uncached[(row - 1, col - 1)] = text
            elif not closing:
                r = _R_ATTR.search(attrs)
                pos_row, pos_col = _position(r.group(1) or r.group(2) or b"") if r else (0, 0)
                if name == b"row":
                    row = pos_row or row + 1
                    col = 0
                else:
                    row = pos_row or max(row, 1)
                    col = pos_col or col + 1
                    formula = value = False
                if row > max_row or col > max_col:  # the limits can only be crossed here
                    max_row, max_col = max(max_row, row), max(max_col, col)
                    if _too_big(max_row, max_col):
                        raise WorkbookRefused(
                            f"工作表尺寸过大（{max_row} 行、{max_col} 列），拒绝读取"
                        )
        # a value's or a formula's text running into the next chunk
        if v_at is not None:
            value = value or cut > v_at
            v_at = 0
        if f_at is not None:
            f_text = (f_text + buf[f_at:cut])[:FORMULA_PREFIX]
            f_at = 0
        tail = buf[cut:]
        if len(tail) > _MAX_TAG:
            raise WorkbookRefused("工作表结构异常（标记过长），拒绝读取", "XLS-001")
    return max_row, max_col


_SHEET = re.compile(
    rb"<(?:\w+:)?sheet\b[^>]*?\bname\s*=\s*[\"']([^\"']*)[\"'][^>]*?\bid\s*=\s*[\"']([^\"']*)"
)
_REL = re.compile(rb"<(?:\w+:)?Relationship\b([^>]*)>")
_ATTR = re.compile(rb"""(\w+)\s*=\s*(?:"([^"]*)"|'([^']*)')""")


def _sheet_parts(zf: zipfile.ZipFile) -> dict[str, str]:
    """Part name → sheet name, from xl/workbook.xml and its relationships (best effort)."""
    try:
        book = zf.read("xl/workbook.xml")[:MAX_PART_HEAD]
        rels = zf.read("xl/_rels/workbook.xml.rels")[:MAX_PART_HEAD]
    except KeyError:
        return {}
    targets = {}
    for m in _REL.finditer(rels):
        attrs = {a.group(1): a.group(2) or a.group(3) or b"" for a in _ATTR.finditer(m.group(1))}
        target = attrs.get(b"Target", b"").decode("utf-8", "replace")
        target = target.lstrip("/") if target.startswith("/") else "xl/" + target
        targets[attrs.get(b"Id", b"")] = target
    out = {}
    for m in _SHEET.finditer(book):
        part = targets.get(m.group(2))
        if part:
            out[part] = html.unescape(m.group(1).decode("utf-8", "replace"))
    return out


def check_xlsx(data: bytes) -> dict[str, dict[tuple[int, int], str]]:
    """Refuse (``WorkbookRefused``) a zip-based workbook that is too big in any way: file,
    uncompressed total, number of parts, compression ratio, or any sheet's dimensions.
    Returns, per sheet name, the formula cells that have no saved value (0-based) with the
    start of their formula's text."""
    if len(data) > MAX_FILE_BYTES:
        raise WorkbookRefused("文件过大，拒绝读取")
    try:
        with zipfile.ZipFile(BytesIO(data)) as zf:
            infos = zf.infolist()
            total = sum(i.file_size for i in infos)
            if total > MAX_UNCOMPRESSED or len(infos) > MAX_PARTS:
                raise WorkbookRefused(f"工作簿解压后过大（{total / 1048576:.0f} MB），拒绝读取")
            for i in infos:
                if (
                    i.compress_size
                    and i.file_size / i.compress_size > MAX_RATIO
                    and i.file_size > 10_000_000
                ):
                    raise WorkbookRefused("工作簿压缩比异常（疑似压缩炸弹），拒绝读取")
            sheets = _sheet_parts(zf)
            uncached: dict[str, dict[tuple[int, int], str]] = {}
            for i in infos:  # every part: a sheet may be stored under any name
                if i.is_dir() or i.filename.lower().endswith((".png", ".jpeg", ".jpg", ".emf")):
                    continue
                cells: dict[tuple[int, int], str] = {}
                with zf.open(i) as fh:
                    scan_sheet_xml(fh, uncached=cells)
                if cells and i.filename in sheets:
                    uncached[sheets[i.filename]] = cells
            return uncached
    except WorkbookRefused:
        raise
    except zipfile.BadZipFile:
        raise WorkbookRefused("Excel 工作簿已损坏（压缩包无法打开）", "XLS-001") from None
    except (OSError, EOFError, ValueError, NotImplementedError, RuntimeError, zlib.error):
        raise WorkbookRefused("Excel 工作簿已损坏或使用了不支持的压缩方式", "XLS-001") from None
