"""XLSX writer: the standard tables (附表) as one workbook, one sheet per table.

Each sheet reads like the printed table: the title, the unit line (单位：万元), the merged
multi-row header, the body, and the 注/说明 lines below. Figures are numeric cells shown
with two decimals; a blank figure is an empty cell, never zero. Text is always stored as
text, so a name that starts with ``=`` cannot become a formula.

The output is byte-for-byte deterministic: document properties carry a fixed date and
the zip is re-packed with fixed timestamps and a stable entry order.
"""

from __future__ import annotations

import datetime as _dt
import math
import re
import unicodedata
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from io import BytesIO

from juesuan.document.lazy import numpy_hidden

with numpy_hidden():  # openpyxl would import numpy (0.3-0.4 s) for types we never pass
    from openpyxl import Workbook
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, TYPE_STRING
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
    from openpyxl.styles.cell_style import StyleArray
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.properties import PageSetupProperties
    from openpyxl.worksheet.worksheet import Worksheet
    from openpyxl.writer.excel import ExcelWriter

from juesuan.core.figures import PCT, RATE
from juesuan.core.money import round2
from juesuan.document.grid import place
from juesuan.document.model import DRAFT_NOTE, Cell, Table
from juesuan.document.ziprepack import repack

__all__ = ["write_xlsx"]

# Fixed stamps: document properties and zip entries never carry the time of writing.
FIXED_DATETIME = _dt.datetime(2000, 1, 1, 0, 0, 0)

MONEY_FORMAT = "#,##0.00"
PERCENT_FORMAT = '0.00"%"'

_FONT_NAME = "宋体"
_TITLE_FONT = Font(name=_FONT_NAME, size=16, bold=True)
_UNIT_FONT = Font(name=_FONT_NAME, size=10)
_HEADER_FONT = Font(name=_FONT_NAME, size=10, bold=True)
_BODY_FONT = Font(name=_FONT_NAME, size=10)
_BODY_BOLD_FONT = Font(name=_FONT_NAME, size=10, bold=True)
_NOTE_FONT = Font(name=_FONT_NAME, size=10)
HEADER_FILL = PatternFill(fill_type="solid", start_color="FFF2F2F2", end_color="FFF2F2F2")
_THIN = Side(style="thin", color="FF000000")
BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)

# Excel's limits and conventions for sheet names.
_SHEET_NAME_MAX = 31
_SHEET_NAME_BAD = re.compile(r"[\[\]:*?/\\]")
_RESERVED_SHEET_NAMES = {"history"}
# Text that a spreadsheet could take for a formula.
_FORMULA_PREFIXES = ("=", "+", "-", "@")

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


# openpyxl style attribute -> the index field of a cell's style array
_STYLE_IDS = {"font": "fontId", "fill": "fillId", "border": "borderId", "alignment": "alignmentId"}


class _Styles:
    """Styles given to many cells, each added to the workbook once. openpyxl adds a style to
    the workbook's list on every assignment, hashing it field by field (two thirds of the
    writer's time at ~2000 cells); here the first cell of a style takes openpyxl's own path and
    the others get the same index, so the workbook is the same."""

    def __init__(self) -> None:
        self._ids: dict[tuple, int] = {}

    def set(self, target, attr: str, key: tuple, make) -> None:
        """``target.<attr> = make()``; ``key`` identifies the value ``make`` returns."""
        index = self._ids.get((attr, key))
        if index is None:
            setattr(target, attr, make())
            self._ids[(attr, key)] = getattr(target._style, _STYLE_IDS[attr])
        else:
            if not target._style:  # as openpyxl's style descriptor does
                target._style = StyleArray()
            setattr(target._style, _STYLE_IDS[attr], index)

    def constant(self, target, attr: str, value) -> None:
        """``target.<attr> = value`` for a module-level style object."""
        self.set(target, attr, (id(value),), lambda: value)


def write_xlsx(tables: Sequence[Table], *, title: str = "", draft: bool = False) -> bytes:
    """The tables as one XLSX workbook (bytes), one sheet per table, in order.

    ``title`` becomes the workbook's document title (文件属性中的标题). A ``draft`` has
    :data:`DRAFT_NOTE` in the header of every printed page of every sheet.
    """
    wb = Workbook()
    wb.remove(wb.active)
    names: set[str] = set()
    styles = _Styles()
    for index, table in enumerate(tables, start=1):
        ws = wb.create_sheet(_sheet_name(table, index, names))
        _write_table(ws, table, styles)
    if not tables:
        ws = wb.create_sheet("附表")
        ws.cell(row=1, column=1, value="本文件没有表格。")
    if draft:
        for ws in wb.worksheets:
            for header in (ws.oddHeader, ws.evenHeader, ws.firstHeader):
                header.center.text = DRAFT_NOTE
                header.center.color = "CC0000"

    props = wb.properties
    props.title = xml_text(title) or None
    props.creator = "juesuan"
    props.lastModifiedBy = None
    props.created = FIXED_DATETIME
    props.modified = FIXED_DATETIME

    # ExcelWriter directly rather than Workbook.save(): save() stamps ``modified`` with now.
    # Stored, not deflated: _repack compresses every part once, deterministically.
    raw = BytesIO()
    with zipfile.ZipFile(raw, "w", zipfile.ZIP_STORED) as archive:
        ExcelWriter(wb, archive).save()
    return _repack(raw.getvalue())


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


def _write_table(ws: Worksheet, table: Table, styles: _Styles) -> None:
    columns = table.columns
    placed = _place(table)
    widths = _column_widths(table, placed)
    for col, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(col)].width = width
    total_width = sum(widths)
    last_col = get_column_letter(columns)

    # Row 1: the title.
    title = ws.cell(row=1, column=1, value=xml_text(table.title))
    keep_text(title)
    title.font = _TITLE_FONT
    title.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    _merge(ws, 1, 1, 1, columns)
    ws.row_dimensions[1].height = max(_TITLE_HEIGHT, _lines(title.value or "", total_width) * 22.0)

    # Row 2: the table number (公开01表) on the left when there is one, the unit on the right.
    unit_start = 1
    if table.number and columns > 1:
        number = ws.cell(row=2, column=1, value=xml_text(table.number))
        keep_text(number)
        number.font = _UNIT_FONT
        number.alignment = Alignment(horizontal="left", vertical="center")
        unit_start = 2
    unit = ws.cell(row=2, column=unit_start, value=xml_text(table.unit) or None)
    keep_text(unit)
    unit.font = _UNIT_FONT
    unit.alignment = Alignment(horizontal="right", vertical="center")
    _merge(ws, 2, unit_start, 2, columns)

    first = 3  # sheet row of the first header row
    n_header = len(table.header)
    n_rows = n_header + len(table.rows)

    need: dict[int, float] = {}  # sheet row → height its wrapped text needs
    for p in placed:
        row = first + p.row
        col = p.col + 1
        target = ws.cell(row=row, column=col)
        _fill_cell(target, p, styles)
        rowspan = max(p.cell.rowspan, 1)
        colspan = max(p.cell.colspan, 1)
        if rowspan > 1 or colspan > 1:
            _merge(ws, row, col, row + rowspan - 1, col + colspan - 1)
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
            target = ws.cell(row=first + r, column=c + 1)
            styles.constant(target, "border", BORDER)
            if r < n_header:
                styles.constant(target, "fill", HEADER_FILL)

    default = _height(1)
    for row, height in need.items():
        if height > default:
            ws.row_dimensions[row].height = round(height, 2)

    # The 注 and 说明 lines below the table.
    row = first + n_rows
    for line in (table.note, table.empty_note):
        line = xml_text(line)
        if not line:
            continue
        note = ws.cell(row=row, column=1, value=line)
        keep_text(note)
        note.font = _NOTE_FONT
        note.alignment = Alignment(horizontal="left", vertical="top", wrap_text=True)
        _merge(ws, row, 1, row, columns)
        ws.row_dimensions[row].height = _height(_lines(line, total_width))
        row += 1

    # Freeze below the header; print on A4, fit to width, header repeated on every page.
    ws.freeze_panes = f"A{first + n_header}"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape" if columns > 6 else "portrait"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    ws.print_options.horizontalCentered = True
    if n_header:
        ws.print_title_rows = f"{first}:{first + n_header - 1}"
    ws.print_area = f"A1:{last_col}{max(row - 1, 2)}"


def _fill_cell(target, p: _Placed, styles: _Styles) -> None:
    """Value and style of one placed model cell."""
    cell = p.cell
    if p.header:
        target.value = xml_text(cell.text) or None
        keep_text(target)
        styles.constant(target, "font", _HEADER_FONT)
        _align(styles, target, "center", wrap=True)
        return
    styles.constant(target, "font", _BODY_BOLD_FONT if cell.bold else _BODY_FONT)
    fig = cell.figure
    if fig is not None:
        value = fig.value
        if value is not None and value.is_finite():
            if fig.absolute:
                value = abs(value)
            value = round2(value)
            if value == 0:
                value = Decimal("0.00")  # no negative zero
            # A Decimal is stored as a number, like a float; openpyxl writes it with "%.16g"
            # (80.57 → 80.56999999999999), which _exact_numbers undoes when re-packing.
            target.value = value
            target.number_format = PERCENT_FORMAT if fig.unit in (PCT, RATE) else MONEY_FORMAT
        _align(styles, target, "right")
        return
    target.value = xml_text(cell.text) or None
    keep_text(target)
    horizontal = cell.align if cell.align in ("left", "center", "right") else "left"
    indent = max(cell.indent, 0)
    if indent and horizontal == "center":
        horizontal = "left"  # Excel indents only left- or right-aligned text
    _align(styles, target, horizontal, wrap=True, indent=indent)


def _align(styles: _Styles, target, horizontal: str, *, wrap: bool = False, indent=0) -> None:
    """Vertically centred alignment; ``wrap`` and ``indent`` as openpyxl's when set."""

    def make() -> Alignment:
        if not wrap:
            return Alignment(horizontal=horizontal, vertical="center")
        if not indent:
            return Alignment(horizontal=horizontal, vertical="center", wrap_text=True)
        return Alignment(horizontal=horizontal, vertical="center", wrap_text=True, indent=indent)

    styles.set(target, "alignment", (horizontal, wrap, indent), make)


def keep_text(target) -> None:
    """Keep a text cell text: openpyxl reads a str starting with ``=`` as a formula."""
    if isinstance(target.value, str):
        target.data_type = TYPE_STRING
        if target.value.startswith(_FORMULA_PREFIXES):
            # Excel's "'" prefix: the text stays text even when a user edits the cell.
            target.quotePrefix = True


def _merge(ws: Worksheet, r1: int, c1: int, r2: int, c2: int) -> None:
    if r2 > r1 or c2 > c1:
        ws.merge_cells(start_row=r1, start_column=c1, end_row=r2, end_column=c2)


def xml_text(text: str) -> str:
    """Text without the control characters XML (and so XLSX) cannot hold."""
    return ILLEGAL_CHARACTERS_RE.sub("", text or "")


# --- deterministic packaging -------------------------------------------------------------


_WORKSHEET_PART = re.compile(r"xl/worksheets/sheet\d+\.xml")
_VALUE = re.compile(rb"<v>([^<]*)</v>")


def _exact_numbers(xml: bytes) -> bytes:
    """Cell values as the exact decimals they are: ``<v>80.57</v>``, not ``80.56999999999999``.

    Every ``<v>`` in our sheets is a figure already rounded to 0.01 (text is stored inline,
    there are no formulas), and "%.16g" is far closer than 0.005 for any amount below 10¹³,
    so rounding the written text to 0.01 again recovers the figure exactly.
    """

    def exact(match: re.Match[bytes]) -> bytes:
        try:
            value = round2(Decimal(match.group(1).decode("ascii")))
        except (ArithmeticError, UnicodeDecodeError):
            return match.group(0)
        if value == 0:
            return b"<v>0</v>"
        return b"<v>" + format(value.normalize(), "f").encode("ascii") + b"</v>"

    return _VALUE.sub(exact, xml)


def _repack(data: bytes) -> bytes:
    """Deterministic zip (see :mod:`ziprepack`) with exact decimal numbers in the sheets."""

    def numbers(name: str, payload: bytes) -> bytes:
        return _exact_numbers(payload) if _WORKSHEET_PART.fullmatch(name) else payload

    return repack(data, numbers)
