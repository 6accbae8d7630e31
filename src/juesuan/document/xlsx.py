"""XLSX writer: the standard tables (附表) as one workbook, one sheet per table.

Each sheet reads like the printed table: the title, the unit line (单位：万元), the merged
multi-row header, the body, and the 注/说明 lines below. Figures are numeric cells shown
with two decimals; a blank figure is an empty cell, never zero. Text is always stored as
text (inline strings), so a name that starts with ``=`` cannot become a formula.

The parts are written directly as SpreadsheetML, without openpyxl (whose import alone took
longer than writing the whole workbook): the same parts, in the same form, as openpyxl 3.1
writes for the same cells (its theme, its default font and colour table, its attribute
order and escaping), so a file reads and prints as before. Styles are registered the way
openpyxl registers them — fonts, fills and borders in the order cells are given them, cell
formats (``xf``) in the order cells are written — and merged ranges are listed in the order
of openpyxl's set of ranges.

The output is byte-for-byte deterministic: document properties carry a fixed date and
the zip has fixed timestamps and a stable entry order (:mod:`ziprepack`).
"""

from __future__ import annotations

import datetime as _dt
import math
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from importlib.resources import files

from juesuan.core.figures import PCT, RATE
from juesuan.core.money import round2
from juesuan.document.grid import place
from juesuan.document.model import DRAFT_NOTE, Cell, Table
from juesuan.document.ziprepack import pack

__all__ = ["write_xlsx"]

# Fixed stamps: document properties and zip entries never carry the time of writing.
FIXED_DATETIME = _dt.datetime(2000, 1, 1, 0, 0, 0)

MONEY_FORMAT = "#,##0.00"
PERCENT_FORMAT = '0.00"%"'
_MONEY_FORMAT_ID = 4  # Excel's built-in "#,##0.00"
_FIRST_CUSTOM_FORMAT_ID = 164

_FONT_NAME = "宋体"
# Fonts by (size, bold); equal fonts share one entry, as in openpyxl.
_TITLE_FONT = (16, True)
_UNIT_FONT = (10, False)
_HEADER_FONT = (10, True)
_BODY_FONT = (10, False)
_BODY_BOLD_FONT = (10, True)
_NOTE_FONT = (10, False)
_HEADER_FILL = "FFF2F2F2"  # solid
_THIN_BORDER = "FF000000"  # thin on all four sides

# Excel's limits and conventions for sheet names.
_SHEET_NAME_MAX = 31
_SHEET_NAME_BAD = re.compile(r"[\[\]:*?/\\]")
_RESERVED_SHEET_NAMES = {"history"}
# Text that a spreadsheet could take for a formula.
_FORMULA_PREFIXES = ("=", "+", "-", "@")
# Control characters XML cannot hold (openpyxl's ILLEGAL_CHARACTERS_RE).
_ILLEGAL_CHARACTERS = re.compile(r"[\000-\010]|[\013-\014]|[\016-\037]")
_MAX_TEXT = 32767  # characters in a cell, as openpyxl truncates

# Row heights in points: one line of 10pt text, plus padding.
_LINE_HEIGHT = 13.5
_ROW_PADDING = 4.0
_TITLE_HEIGHT = 30.0
# Narrowest column (Excel character units) when scaling relative widths.
_MIN_COLUMN_WIDTH = 6.0


@dataclass(frozen=True, slots=True)
class _Placed:
    """A model cell at its grid position (0-based row/column within header + body)."""

    cell: Cell
    row: int
    col: int
    header: bool


# --- the workbook model: cells and styles as openpyxl would hold them ----------------------


@dataclass(slots=True)
class _Cell:
    """A cell's value and style: ``font`` is an index into the workbook's fonts (0 is the
    default), ``fill``/``border`` likewise, ``align`` the alignment's attributes or None."""

    value: str | Decimal | None = None
    font: int = 0
    fill: int = 0
    border: int = 0
    numfmt: int = 0
    align: tuple[tuple[str, str], ...] | None = None
    quote: bool = False

    def styled(self) -> bool:
        return bool(
            self.font or self.fill or self.border or self.numfmt or self.align or self.quote
        )


class _Book:
    """The workbook's style lists, in openpyxl's order: the defaults first, then each new
    font, fill and border as a cell is given it, each new cell format as a cell is written."""

    def __init__(self) -> None:
        self.fonts: dict[tuple[int, bool], int] = {}  # index = 1 + position
        self.fills: dict[str, int] = {}  # index = 2 + position
        self.borders: dict[str, int] = {}  # index = 1 + position
        self.custom_formats: dict[str, int] = {}
        self.xfs: dict[tuple, int] = {(0, 0, 0, 0, None, False): 0}

    def font(self, key: tuple[int, bool]) -> int:
        return self.fonts.setdefault(key, len(self.fonts) + 1)

    def fill(self, rgb: str) -> int:
        return self.fills.setdefault(rgb, len(self.fills) + 2)

    def border(self, rgb: str) -> int:
        return self.borders.setdefault(rgb, len(self.borders) + 1)

    def number_format(self, code: str) -> int:
        if code == MONEY_FORMAT:
            return _MONEY_FORMAT_ID
        return self.custom_formats.setdefault(
            code, _FIRST_CUSTOM_FORMAT_ID + len(self.custom_formats)
        )

    def xf(self, c: _Cell) -> int:
        key = (c.numfmt, c.font, c.fill, c.border, c.align, c.quote)
        return self.xfs.setdefault(key, len(self.xfs))


def _alignment(horizontal: str, vertical: str = "center", wrap: bool = False, indent: int = 0):
    attrs = [("horizontal", horizontal), ("vertical", vertical)]
    if wrap:
        attrs.append(("wrapText", "1"))
    if indent:
        attrs.append(("indent", _num(indent)))
    return tuple(attrs)


class _Sheet:
    """One worksheet's cells (by row and column, 1-based), merged ranges, row heights and
    column widths; created and covered the way openpyxl's worksheet does it."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.cells: dict[tuple[int, int], _Cell] = {}
        # openpyxl keeps merged ranges in a set and writes them in its iteration order;
        # a set of the same (min_row, min_col, max_row, max_col) tuples, filled in the
        # same order, iterates in the same order (int tuples hash alike in every process).
        self.merged: set[tuple[int, int, int, int]] = set()
        self.widths: list[float] = []
        self.heights: dict[int, float] = {}
        self.freeze_row = 0  # rows above the frozen pane
        self.landscape = False
        self.print_titles: tuple[int, int] | None = None
        self.print_area = ""
        self.page_setup = False
        self.header = ""

    def cell(self, row: int, col: int) -> _Cell:
        c = self.cells.get((row, col))
        if c is None:
            c = self.cells[(row, col)] = _Cell()
        return c

    def text(self, row: int, col: int, value: str | None) -> _Cell:
        """A cell holding ``value`` as text (None: empty)."""
        c = self.cell(row, col)
        if value is not None:
            value = value[:_MAX_TEXT]
            c.value = value
            # Excel's "'" prefix: the text stays text even when a user edits the cell.
            c.quote = value.startswith(_FORMULA_PREFIXES)
        return c

    def merge(self, r1: int, c1: int, r2: int, c2: int) -> None:
        if r2 > r1 or c2 > c1:
            self.merged.add((r1, c1, r2, c2))
            for r in range(r1, r2 + 1):
                for c in range(c1, c2 + 1):
                    if (r, c) != (r1, c1):
                        self.cells[(r, c)] = _Cell()  # covered: a fresh, unstyled cell


def write_xlsx(tables: Sequence[Table], *, title: str = "", draft: bool = False) -> bytes:
    """The tables as one XLSX workbook (bytes), one sheet per table, in order.

    ``title`` becomes the workbook's document title (文件属性中的标题). A ``draft`` has
    :data:`DRAFT_NOTE` in the header of every printed page of every sheet.
    """
    book = _Book()
    sheets: list[_Sheet] = []
    names: set[str] = set()
    for index, table in enumerate(tables, start=1):
        ws = _Sheet(_sheet_name(table, index, names))
        _write_table(ws, table, book)
        sheets.append(ws)
    if not tables:
        ws = _Sheet("附表")
        ws.text(1, 1, "本文件没有表格。")
        sheets.append(ws)
    if draft:
        for ws in sheets:
            ws.header = "&C&KCC0000" + DRAFT_NOTE
    return _package(sheets, book, xml_text(title))


# --- sheet names -------------------------------------------------------------------------


def _sheet_name(table: Table, index: int, taken: set[str]) -> str:
    """A valid, unique sheet name from the table's title; records it in ``taken``."""
    base = _SHEET_NAME_BAD.sub("", xml_text(table.title))
    base = " ".join(base.split()).strip("'").strip()
    if not base:
        base = _SHEET_NAME_BAD.sub("", xml_text(table.number)).strip("'").strip() or f"表{index}"
    name = base[:_SHEET_NAME_MAX].rstrip("'")
    n = 1
    while name.casefold() in taken or name.casefold() in _RESERVED_SHEET_NAMES:
        n += 1
        suffix = f"({n})"
        name = base[: _SHEET_NAME_MAX - len(suffix)].rstrip("'") + suffix
    taken.add(name.casefold())
    return name


# --- layout ------------------------------------------------------------------------------


def _place(table: Table) -> list[_Placed]:
    """Grid positions of all header and body cells, honouring colspan/rowspan as in HTML."""
    rows = [*table.header, *table.rows]
    return [
        _Placed(p.cell, p.row, p.col, p.row < len(table.header))
        for p in place(rows, table.columns, f"table {table.key!r}")
    ]


def _text_width(text: str) -> float:
    """Display width in Excel character units: CJK and other wide characters count two."""
    return float(sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text))


def _column_widths(table: Table, placed: Sequence[_Placed]) -> list[float]:
    columns = table.columns
    if len(table.widths) == columns and sum(table.widths) > 0:
        weights = [max(float(w), 0.0) for w in table.widths]
        # About 16 characters a column, within what fits a printed page at a readable size.
        total = min(max(16.0 * columns, 80.0), 200.0)
        unit = total / sum(weights)
        return [round(max(w * unit, _MIN_COLUMN_WIDTH), 2) for w in weights]
    # Default: number columns a fixed width; text columns (codes, names) sized to content.
    numeric = [False] * columns
    text_need = [0.0] * columns
    for p in placed:
        if p.header or p.cell.colspan != 1:
            continue
        if p.cell.figure is not None:
            numeric[p.col] = True
        else:
            need = _text_width(p.cell.text) + 2 * p.cell.indent + 2
            text_need[p.col] = max(text_need[p.col], need)
    widths = []
    for col in range(columns):
        if numeric[col] or text_need[col] == 0:
            widths.append(15.0)
        else:
            widths.append(min(max(text_need[col], 10.0), 40.0))
    return widths


def _lines(text: str, width: float) -> int:
    """Lines a wrapped text needs in a cell ``width`` characters wide (estimate)."""
    usable = max(width - 1.0, 1.0)
    return sum(max(1, math.ceil(_text_width(part) / usable)) for part in text.split("\n"))


def _height(lines: int) -> float:
    return round(lines * _LINE_HEIGHT + _ROW_PADDING, 2)


def _write_table(ws: _Sheet, table: Table, book: _Book) -> None:
    columns = table.columns
    placed = _place(table)
    widths = _column_widths(table, placed)
    ws.widths = widths
    total_width = sum(widths)
    last_col = _column_letter(columns)

    # Row 1: the title.
    title = ws.text(1, 1, xml_text(table.title))
    title.font = book.font(_TITLE_FONT)
    title.align = _alignment("center", wrap=True)
    ws.merge(1, 1, 1, columns)
    ws.heights[1] = max(_TITLE_HEIGHT, _lines(title.value or "", total_width) * 22.0)

    # Row 2: the table number (公开01表) on the left when there is one, the unit on the right.
    unit_start = 1
    if table.number and columns > 1:
        number = ws.text(2, 1, xml_text(table.number))
        number.font = book.font(_UNIT_FONT)
        number.align = _alignment("left")
        unit_start = 2
    unit = ws.text(2, unit_start, xml_text(table.unit) or None)
    unit.font = book.font(_UNIT_FONT)
    unit.align = _alignment("right")
    ws.merge(2, unit_start, 2, columns)

    first = 3  # sheet row of the first header row
    n_header = len(table.header)
    n_rows = n_header + len(table.rows)

    need: dict[int, float] = {}  # sheet row → height its wrapped text needs
    for p in placed:
        row = first + p.row
        col = p.col + 1
        _fill_cell(ws, row, col, p, book)
        rowspan = max(p.cell.rowspan, 1)
        colspan = max(p.cell.colspan, 1)
        ws.merge(row, col, row + rowspan - 1, col + colspan - 1)
        if p.cell.figure is None and p.cell.text:
            span_width = sum(widths[p.col : p.col + colspan]) - 2 * p.cell.indent
            lines = _lines(xml_text(p.cell.text), span_width)
            per_row = _height(lines) / rowspan
            for dr in range(rowspan):
                need[row + dr] = max(need.get(row + dr, 0.0), per_row)
    # Borders (and the header fill) on every grid position, covered ones included, so
    # merged regions show their full outline. After merging: merging replaces the covered
    # cells with fresh, unstyled ones.
    for r in range(n_rows):
        for c in range(columns):
            target = ws.cell(first + r, c + 1)
            target.border = book.border(_THIN_BORDER)
            if r < n_header:
                target.fill = book.fill(_HEADER_FILL)

    default = _height(1)
    for row, height in need.items():
        if height > default:
            ws.heights[row] = round(height, 2)

    # The 注 and 说明 lines below the table.
    row = first + n_rows
    for line in (table.note, table.empty_note):
        line = xml_text(line)
        if not line:
            continue
        note = ws.text(row, 1, line)
        note.font = book.font(_NOTE_FONT)
        note.align = _alignment("left", "top", wrap=True)
        ws.merge(row, 1, row, columns)
        ws.heights[row] = _height(_lines(line, total_width))
        row += 1

    # Freeze below the header; print on A4, fit to width, header repeated on every page.
    ws.freeze_row = first + n_header - 1
    ws.page_setup = True
    ws.landscape = columns > 6
    if n_header:
        ws.print_titles = (first, first + n_header - 1)
    ws.print_area = f"$A$1:${last_col}${max(row - 1, 2)}"


def _fill_cell(ws: _Sheet, row: int, col: int, p: _Placed, book: _Book) -> None:
    """Value and style of one placed model cell."""
    cell = p.cell
    if p.header:
        target = ws.text(row, col, xml_text(cell.text) or None)
        target.font = book.font(_HEADER_FONT)
        target.align = _alignment("center", wrap=True)
        return
    font = book.font(_BODY_BOLD_FONT if cell.bold else _BODY_FONT)
    fig = cell.figure
    if fig is not None:
        target = ws.cell(row, col)
        target.font = font
        value = fig.value
        if value is not None and value.is_finite():
            if fig.absolute:
                value = abs(value)
            value = round2(value)
            if value == 0:
                value = Decimal("0.00")  # no negative zero
            target.value = value
            code = PERCENT_FORMAT if fig.unit in (PCT, RATE) else MONEY_FORMAT
            target.numfmt = book.number_format(code)
        target.align = _alignment("right")
        return
    target = ws.text(row, col, xml_text(cell.text) or None)
    target.font = font
    horizontal = cell.align if cell.align in ("left", "center", "right") else "left"
    indent = max(cell.indent, 0)
    if indent and horizontal == "center":
        horizontal = "left"  # Excel indents only left- or right-aligned text
    target.align = _alignment(horizontal, wrap=True, indent=indent)


def xml_text(text: str) -> str:
    """Text without the control characters XML (and so XLSX) cannot hold."""
    return _ILLEGAL_CHARACTERS.sub("", text or "")


# --- SpreadsheetML -----------------------------------------------------------------------

_MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
_DOC_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_CT = "application/vnd.openxmlformats-officedocument."
_SHEET_CT = _CT + "spreadsheetml.worksheet+xml"
# The part of openpyxl's defaults that never changes (default font, colour table, ...).
_DEFAULT_FONT = (
    '<font><name val="Calibri"/><family val="2"/><color theme="1"/><sz val="11"/>'
    '<scheme val="minor"/></font>'
)
_INDEXED_COLOURS = (
    "000000 FFFFFF FF0000 00FF00 0000FF FFFF00 FF00FF 00FFFF 000000 FFFFFF FF0000 00FF00 "
    "0000FF FFFF00 FF00FF 00FFFF 800000 008000 000080 808000 800080 008080 C0C0C0 808080 "
    "9999FF 993366 FFFFCC CCFFFF 660066 FF8080 0066CC CCCCFF 000080 FF00FF FFFF00 00FFFF "
    "800080 800000 008080 0000FF 00CCFF CCFFFF CCFFCC FFFF99 99CCFF FF99CC CC99FF FFCC99 "
    "3366FF 33CCCC 99CC00 FFCC00 FF9900 FF6600 666699 969696 003366 339966 003300 333300 "
    "993300 993366 333399 333333"
).split()
_STYLES_TAIL = (
    '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0" hidden="0"/>'
    '</cellStyles><tableStyles count="0" defaultTableStyle="TableStyleMedium9" '
    'defaultPivotStyle="PivotStyleLight16"/><colors><indexedColors>'
    + "".join(f'<rgbColor rgb="00{c}"/>' for c in _INDEXED_COLOURS)
    + "</indexedColors></colors></styleSheet>"
)
_APP = (
    '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-'
    'properties"><Application>Microsoft Excel Compatible / Openpyxl 3.1.5</Application>'
    "<AppVersion>3.1</AppVersion></Properties>"
)
_ESCAPES = {ord("&"): "&amp;", ord("<"): "&lt;", ord(">"): "&gt;", ord("\r"): "&#13;"}
_ATTR_ESCAPES = {**_ESCAPES, ord('"'): "&quot;", ord("\n"): "&#10;", ord("\t"): "&#9;"}


def _text(s: str) -> str:
    """Element text as lxml writes it."""
    return s.translate(_ESCAPES)


def _attr(s: str) -> str:
    """An attribute value as lxml writes it."""
    return s.translate(_ATTR_ESCAPES)


def _space(s: str) -> str:
    """openpyxl's mark on document properties with outer white space (none on blank ones)."""
    stripped = s.strip()
    return ' xml:space="preserve"' if stripped and s != stripped else ""


def _ascii(s: str) -> bytes:
    """A part written as openpyxl writes worksheets: ASCII, other characters as references."""
    return s.encode("ascii", "xmlcharrefreplace")


def _num(value: float | int) -> str:
    return f"{value:.16g}"


@cache
def _column_letter(col: int) -> str:
    letters = ""
    while col > 0:
        col, rem = divmod(col - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


@cache
def _theme() -> bytes:
    """openpyxl's default theme (Office's), which every workbook it writes carries."""
    return files("juesuan.data").joinpath("xlsx_theme1.xml").read_bytes()


def _number(value: Decimal) -> str:
    """A figure as the exact decimal it is: ``80.57``, ``0``, ``1200``."""
    if value == 0:
        return "0"
    return format(value.normalize(), "f")


def _sheet_xml(ws: _Sheet, book: _Book) -> bytes:
    out = [f'<worksheet xmlns="{_MAIN_NS}"><sheetPr><outlinePr summaryBelow="1" summaryRight="1"/>']
    out.append(
        '<pageSetUpPr fitToPage="1"/></sheetPr>' if ws.page_setup else "<pageSetUpPr/></sheetPr>"
    )
    rows = max(r for r, _ in ws.cells)
    cols = max(c for _, c in ws.cells)
    out.append(
        f'<dimension ref="A1:{_column_letter(cols)}{rows}"/><sheetViews><sheetView workbookViewId="0">'
    )
    if ws.freeze_row:
        out.append(
            f'<pane ySplit="{ws.freeze_row}" topLeftCell="A{ws.freeze_row + 1}" '
            'activePane="bottomLeft" state="frozen"/>'
            '<selection pane="bottomLeft" activeCell="A1" sqref="A1"/>'
        )
    else:
        out.append('<selection activeCell="A1" sqref="A1"/>')
    out.append('</sheetView></sheetViews><sheetFormatPr baseColWidth="8" defaultRowHeight="15"/>')
    if ws.widths:
        out.append("<cols>")
        for i, width in enumerate(ws.widths, start=1):
            out.append(f'<col width="{_num(width)}" customWidth="1" min="{i}" max="{i}"/>')
        out.append("</cols>")
    out.append("<sheetData>")
    by_row: dict[int, list[tuple[int, _Cell]]] = {}
    for (r, c), cell in sorted(ws.cells.items()):
        by_row.setdefault(r, []).append((c, cell))
    for r, cells in by_row.items():
        height = ws.heights.get(r)
        out.append(
            f'<row r="{r}">'
            if height is None
            else f'<row r="{r}" ht="{_num(height)}" customHeight="1">'
        )
        for c, cell in cells:
            value = cell.value
            styled = cell.styled()
            if value is None and not styled:
                continue
            ref = f"{_column_letter(c)}{r}"
            s = f' s="{book.xf(cell)}"' if styled else ""
            if value is None:
                out.append(f'<c r="{ref}"{s} t="n"></c>')
            elif isinstance(value, str):
                if not value:
                    out.append(f'<c r="{ref}"{s} t="inlineStr"></c>')
                else:
                    space = ' xml:space="preserve"' if value != value.strip() else ""
                    out.append(
                        f'<c r="{ref}"{s} t="inlineStr"><is><t{space}>{_text(value)}</t></is></c>'
                    )
            else:
                out.append(f'<c r="{ref}"{s} t="n"><v>{_number(value)}</v></c>')
        out.append("</row>")
    out.append("</sheetData>")
    if ws.merged:
        out.append(f'<mergeCells count="{len(ws.merged)}">')
        for r1, c1, r2, c2 in ws.merged:
            out.append(f'<mergeCell ref="{_column_letter(c1)}{r1}:{_column_letter(c2)}{r2}"/>')
        out.append("</mergeCells>")
    if ws.page_setup:
        out.append('<printOptions horizontalCentered="1"/>')
    out.append(
        '<pageMargins left="0.75" right="0.75" top="1" bottom="1" header="0.5" footer="0.5"/>'
    )
    if ws.page_setup:
        orientation = "landscape" if ws.landscape else "portrait"
        out.append(
            f'<pageSetup orientation="{orientation}" paperSize="9" fitToHeight="0" fitToWidth="1"/>'
        )
    if ws.header:
        h = _text(ws.header)
        out.append(
            f"<headerFooter><oddHeader>{h}</oddHeader><oddFooter></oddFooter>"
            f"<evenHeader>{h}</evenHeader><evenFooter></evenFooter>"
            f"<firstHeader>{h}</firstHeader><firstFooter></firstFooter></headerFooter>"
        )
    out.append("</worksheet>")
    return _ascii("".join(out))


def _styles_xml(book: _Book) -> bytes:
    out = [f'<styleSheet xmlns="{_MAIN_NS}">']
    if book.custom_formats:
        out.append(f'<numFmts count="{len(book.custom_formats)}">')
        for code, i in book.custom_formats.items():
            out.append(f'<numFmt numFmtId="{i}" formatCode="{_attr(code)}"/>')
        out.append("</numFmts>")
    else:
        out.append('<numFmts count="0"/>')
    out.append(f'<fonts count="{len(book.fonts) + 1}">{_DEFAULT_FONT}')
    for size, bold in book.fonts:
        b = '<b val="1"/>' if bold else ""
        out.append(f'<font><name val="{_FONT_NAME}"/>{b}<sz val="{size}"/></font>')
    out.append(f'</fonts><fills count="{len(book.fills) + 2}"><fill><patternFill/></fill>')
    out.append('<fill><patternFill patternType="gray125"/></fill>')
    for rgb in book.fills:
        out.append(
            f'<fill><patternFill patternType="solid"><fgColor rgb="{rgb}"/>'
            f'<bgColor rgb="{rgb}"/></patternFill></fill>'
        )
    out.append(f'</fills><borders count="{len(book.borders) + 1}">')
    out.append("<border><left/><right/><top/><bottom/><diagonal/></border>")
    for rgb in book.borders:
        sides = "".join(
            f'<{side} style="thin"><color rgb="{rgb}"/></{side}>'
            for side in ("left", "right", "top", "bottom")
        )
        out.append(f"<border>{sides}</border>")
    out.append(
        '</borders><cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
    )
    out.append(f'<cellXfs count="{len(book.xfs)}">')
    for numfmt, font, fill, border, align, quote in book.xfs:
        attrs = f'numFmtId="{numfmt}" fontId="{font}" fillId="{fill}" borderId="{border}"'
        tail = f' pivotButton="0" quotePrefix="{int(quote)}" xfId="0"'
        if align is None:
            out.append(f"<xf {attrs}{tail}/>")
        else:
            a = " ".join(f'{k}="{v}"' for k, v in align)
            out.append(f'<xf {attrs} applyAlignment="1"{tail}><alignment {a}/></xf>')
    out.append("</cellXfs>" + _STYLES_TAIL)
    return "".join(out).encode()


def _workbook_xml(sheets: Sequence[_Sheet]) -> bytes:
    out = [
        f'<workbook xmlns="{_MAIN_NS}"><workbookPr/><workbookProtection/><bookViews>'
        '<workbookView visibility="visible" minimized="0" showHorizontalScroll="1" '
        'showVerticalScroll="1" showSheetTabs="1" tabRatio="600" firstSheet="0" '
        'activeTab="0" autoFilterDateGrouping="1"/></bookViews><sheets>'
    ]
    for i, ws in enumerate(sheets, start=1):
        out.append(
            f'<sheet xmlns:r="{_DOC_REL}" name="{_attr(ws.name)}" sheetId="{i}" '
            f'state="visible" r:id="rId{i}"/>'
        )
    out.append("</sheets>")
    names = []
    for i, ws in enumerate(sheets):
        quoted = "'" + ws.name.replace("'", "''") + "'"
        if ws.print_titles:
            top, bottom = ws.print_titles
            names.append(
                f'<definedName name="_xlnm.Print_Titles" localSheetId="{i}">'
                f"{_text(quoted)}!${top}:${bottom}</definedName>"
            )
        if ws.print_area:
            names.append(
                f'<definedName name="_xlnm.Print_Area" localSheetId="{i}">'
                f"{_text(quoted)}!{ws.print_area}</definedName>"
            )
    out.append(f"<definedNames>{''.join(names)}</definedNames>" if names else "<definedNames/>")
    out.append('<calcPr calcId="124519" fullCalcOnLoad="1"/></workbook>')
    return "".join(out).encode()


def _package(sheets: Sequence[_Sheet], book: _Book, title: str) -> bytes:
    """Every part of the workbook, zipped deterministically."""
    n = len(sheets)
    parts = {f"xl/worksheets/sheet{i}.xml": _sheet_xml(ws, book) for i, ws in enumerate(sheets, 1)}
    overrides = [
        ("/xl/styles.xml", _CT + "spreadsheetml.styles+xml"),
        ("/xl/theme/theme1.xml", _CT + "theme+xml"),
        ("/docProps/core.xml", "application/vnd.openxmlformats-package.core-properties+xml"),
        ("/docProps/app.xml", _CT + "extended-properties+xml"),
        *((f"/xl/worksheets/sheet{i}.xml", _SHEET_CT) for i in range(1, n + 1)),
        ("/xl/workbook.xml", _CT + "spreadsheetml.sheet.main+xml"),
    ]
    parts["[Content_Types].xml"] = (
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
        'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
        + "".join(f'<Override PartName="{p}" ContentType="{t}"/>' for p, t in overrides)
        + "</Types>"
    ).encode()
    parts["_rels/.rels"] = (
        f'<Relationships xmlns="{_REL_NS}">'
        f'<Relationship Type="{_DOC_REL}/officeDocument" Target="xl/workbook.xml" Id="rId1"/>'
        '<Relationship Type="http://schemas.openxmlformats.org/package/2006/relationships/'
        'metadata/core-properties" Target="docProps/core.xml" Id="rId2"/>'
        f'<Relationship Type="{_DOC_REL}/extended-properties" Target="docProps/app.xml" '
        'Id="rId3"/></Relationships>'
    ).encode()
    parts["docProps/app.xml"] = _APP.encode()
    dc = 'xmlns:dc="http://purl.org/dc/elements/1.1/"'
    stamp = FIXED_DATETIME.strftime("%Y-%m-%dT%H:%M:%SZ")
    terms = (
        'xmlns:dcterms="http://purl.org/dc/terms/" '
        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:type="dcterms:W3CDTF"'
    )
    parts["docProps/core.xml"] = (
        '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/'
        f'metadata/core-properties"><dc:creator {dc}>juesuan</dc:creator>'
        + (f"<dc:title {dc}{_space(title)}>{_text(title)}</dc:title>" if title else "")
        + f"<dcterms:created {terms}>{stamp}</dcterms:created>"
        f"<dcterms:modified {terms}>{stamp}</dcterms:modified></cp:coreProperties>"
    ).encode()
    parts["xl/workbook.xml"] = _workbook_xml(sheets)
    rels = [
        f'<Relationship Type="{_DOC_REL}/worksheet" Target="/xl/worksheets/sheet{i}.xml" '
        f'Id="rId{i}"/>'
        for i in range(1, n + 1)
    ]
    rels.append(f'<Relationship Type="{_DOC_REL}/styles" Target="styles.xml" Id="rId{n + 1}"/>')
    rels.append(
        f'<Relationship Type="{_DOC_REL}/theme" Target="theme/theme1.xml" Id="rId{n + 2}"/>'
    )
    parts["xl/_rels/workbook.xml.rels"] = (
        f'<Relationships xmlns="{_REL_NS}">{"".join(rels)}</Relationships>'
    ).encode()
    parts["xl/styles.xml"] = _styles_xml(book)  # after the sheets: their cells number the xfs
    parts["xl/theme/theme1.xml"] = _theme()
    return pack(parts)
