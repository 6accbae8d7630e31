"""XLSX writer: the standard tables (附表) as one workbook, one sheet per table.

Each sheet reads like the printed table: the title, the unit line (单位：万元), the merged
multi-row header, the body, and the 注/说明 lines below. Figures are numeric cells shown
with two decimals; a blank figure is an empty cell, never zero. Text is always stored as
text (inline strings), so a name that starts with ``=`` cannot become a formula.

This module lays the tables out (sheet names, cells, styles, widths, heights, print setup);
:mod:`juesuan.document.spreadsheetml` holds the workbook model and writes it as SpreadsheetML,
the same parts openpyxl 3.1 writes for the same cells, without importing openpyxl.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from juesuan.core.figures import PCT, RATE
from juesuan.core.money import round2
from juesuan.document.grid import place
from juesuan.document.model import DRAFT_NOTE, Cell, Table
from juesuan.document.spreadsheetml import (
    MONEY_FORMAT,
    Book,
    Sheet,
    alignment,
    column_letter,
    package,
    xml_text,
)

__all__ = ["write_xlsx"]

PERCENT_FORMAT = '0.00"%"'

# Fonts by (size, bold); equal fonts share one entry, as in openpyxl.
_TITLE_FONT = (16, True)
_UNIT_FONT = (10, False)
_HEADER_FONT = (10, True)
_BODY_FONT = (10, False)
_BODY_BOLD_FONT = (10, True)
_NOTE_FONT = (10, False)
HEADER_FILL = "FFF2F2F2"  # solid, as ARGB
BORDER_COLOUR = "FF000000"  # thin on all four sides, as ARGB

# Excel's limits and conventions for sheet names.
_SHEET_NAME_MAX = 31
_SHEET_NAME_BAD = re.compile(r"[\[\]:*?/\\]")
_RESERVED_SHEET_NAMES = {"history"}

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


def write_xlsx(tables: Sequence[Table], *, title: str = "", draft: bool = False) -> bytes:
    """The tables as one XLSX workbook (bytes), one sheet per table, in order.

    ``title`` becomes the workbook's document title (文件属性中的标题). A ``draft`` has
    :data:`DRAFT_NOTE` in the header of every printed page of every sheet.
    """
    book = Book()
    sheets: list[Sheet] = []
    names: set[str] = set()
    for index, table in enumerate(tables, start=1):
        ws = Sheet(_sheet_name(table, index, names))
        _write_table(ws, table, book)
        sheets.append(ws)
    if not tables:
        ws = Sheet("附表")
        ws.text(1, 1, "本文件没有表格。")
        sheets.append(ws)
    if draft:
        for ws in sheets:
            ws.header = "&C&KCC0000" + DRAFT_NOTE
    return package(sheets, book, xml_text(title))


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


def _write_table(ws: Sheet, table: Table, book: Book) -> None:
    columns = table.columns
    placed = _place(table)
    widths = _column_widths(table, placed)
    ws.widths = widths
    total_width = sum(widths)
    last_col = column_letter(columns)

    # Row 1: the title.
    title = ws.text(1, 1, xml_text(table.title))
    title.font = book.font(_TITLE_FONT)
    title.align = alignment("center", wrap=True)
    ws.merge(1, 1, 1, columns)
    ws.heights[1] = max(_TITLE_HEIGHT, _lines(title.value or "", total_width) * 22.0)

    # Row 2: the table number (公开01表) on the left when there is one, the unit on the right.
    unit_start = 1
    if table.number and columns > 1:
        number = ws.text(2, 1, xml_text(table.number))
        number.font = book.font(_UNIT_FONT)
        number.align = alignment("left")
        unit_start = 2
    unit = ws.text(2, unit_start, xml_text(table.unit) or None)
    unit.font = book.font(_UNIT_FONT)
    unit.align = alignment("right")
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
            target.border = book.border(BORDER_COLOUR)
            if r < n_header:
                target.fill = book.fill(HEADER_FILL)

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
        note.align = alignment("left", "top", wrap=True)
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


def _fill_cell(ws: Sheet, row: int, col: int, p: _Placed, book: Book) -> None:
    """Value and style of one placed model cell."""
    cell = p.cell
    if p.header:
        target = ws.text(row, col, xml_text(cell.text) or None)
        target.font = book.font(_HEADER_FONT)
        target.align = alignment("center", wrap=True)
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
        target.align = alignment("right")
        return
    target = ws.text(row, col, xml_text(cell.text) or None)
    target.font = font
    horizontal = cell.align if cell.align in ("left", "center", "right") else "left"
    indent = max(cell.indent, 0)
    if indent and horizontal == "center":
        horizontal = "left"  # Excel indents only left- or right-aligned text
    target.align = alignment(horizontal, wrap=True, indent=indent)
