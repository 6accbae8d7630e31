"""The workbook model and its SpreadsheetML parts, written without openpyxl.

Cells, styles and sheets are held as openpyxl 3.1 holds them and written as the same parts,
in the same form, as openpyxl writes for the same cells (its theme, its default font and
colour table, its attribute order and escaping), so a file reads and prints as one openpyxl
wrote. Styles are registered the way openpyxl registers them: fonts, fills and borders in
the order cells are given them, cell formats (``xf``) in the order cells are written; merged
ranges are listed in the order of openpyxl's set of ranges. Importing openpyxl alone took
longer than writing a whole workbook this way.

The output is byte-for-byte deterministic: document properties carry a fixed date and the
zip has fixed timestamps and a stable entry order (:mod:`juesuan.document.ziprepack`).
"""

from __future__ import annotations

import datetime as _dt
import re
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from importlib.resources import files

from juesuan.document.xml_escape import attribute_value, element_text
from juesuan.document.ziprepack import pack

# Fixed stamps: document properties and zip entries never carry the time of writing.
FIXED_DATETIME = _dt.datetime(2000, 1, 1, 0, 0, 0)

MONEY_FORMAT = "#,##0.00"
_MONEY_FORMAT_ID = 4  # Excel's built-in "#,##0.00"
_FIRST_CUSTOM_FORMAT_ID = 164

FONT_NAME = "宋体"
# Text that a spreadsheet could take for a formula.
FORMULA_PREFIXES = ("=", "+", "-", "@")
# Control characters XML cannot hold (openpyxl's ILLEGAL_CHARACTERS_RE).
_ILLEGAL_CHARACTERS = re.compile(r"[\000-\010]|[\013-\014]|[\016-\037]")
_MAX_TEXT = 32767  # characters in a cell, as openpyxl truncates


# --- the workbook model: cells and styles as openpyxl would hold them ----------------------


@dataclass(slots=True)
class SheetCell:
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


class Book:
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

    def xf(self, c: SheetCell) -> int:
        key = (c.numfmt, c.font, c.fill, c.border, c.align, c.quote)
        return self.xfs.setdefault(key, len(self.xfs))


def alignment(horizontal: str, vertical: str = "center", wrap: bool = False, indent: int = 0):
    attrs = [("horizontal", horizontal), ("vertical", vertical)]
    if wrap:
        attrs.append(("wrapText", "1"))
    if indent:
        attrs.append(("indent", _num(indent)))
    return tuple(attrs)


class Sheet:
    """One worksheet's cells (by row and column, 1-based), merged ranges, row heights and
    column widths; created and covered the way openpyxl's worksheet does it."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.cells: dict[tuple[int, int], SheetCell] = {}
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

    def cell(self, row: int, col: int) -> SheetCell:
        c = self.cells.get((row, col))
        if c is None:
            c = self.cells[(row, col)] = SheetCell()
        return c

    def text(self, row: int, col: int, value: str | None) -> SheetCell:
        """A cell holding ``value`` as text (None: empty)."""
        c = self.cell(row, col)
        if value is not None:
            value = value[:_MAX_TEXT]
            c.value = value
            # Excel's "'" prefix: the text stays text even when a user edits the cell.
            c.quote = value.startswith(FORMULA_PREFIXES)
        return c

    def merge(self, r1: int, c1: int, r2: int, c2: int) -> None:
        if r2 > r1 or c2 > c1:
            self.merged.add((r1, c1, r2, c2))
            for r in range(r1, r2 + 1):
                for c in range(c1, c2 + 1):
                    if (r, c) != (r1, c1):
                        self.cells[(r, c)] = SheetCell()  # covered: a fresh, unstyled cell


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
    'properties"><Application>juesuan</Application>'
    "<AppVersion>3.1</AppVersion></Properties>"
)


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
def column_letter(col: int) -> str:
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


def _sheet_xml(ws: Sheet, book: Book) -> bytes:
    out = [f'<worksheet xmlns="{_MAIN_NS}"><sheetPr><outlinePr summaryBelow="1" summaryRight="1"/>']
    out.append(
        '<pageSetUpPr fitToPage="1"/></sheetPr>' if ws.page_setup else "<pageSetUpPr/></sheetPr>"
    )
    rows = max(r for r, _ in ws.cells)
    cols = max(c for _, c in ws.cells)
    out.append(
        f'<dimension ref="A1:{column_letter(cols)}{rows}"/><sheetViews><sheetView workbookViewId="0">'
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
    by_row: dict[int, list[tuple[int, SheetCell]]] = {}
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
            ref = f"{column_letter(c)}{r}"
            s = f' s="{book.xf(cell)}"' if styled else ""
            if value is None:
                out.append(f'<c r="{ref}"{s} t="n"></c>')
            elif isinstance(value, str):
                if not value:
                    out.append(f'<c r="{ref}"{s} t="inlineStr"></c>')
                else:
                    space = ' xml:space="preserve"' if value != value.strip() else ""
                    out.append(
                        f'<c r="{ref}"{s} t="inlineStr"><is><t{space}>{element_text(value)}</t></is></c>'
                    )
            else:
                out.append(f'<c r="{ref}"{s} t="n"><v>{_number(value)}</v></c>')
        out.append("</row>")
    out.append("</sheetData>")
    if ws.merged:
        out.append(f'<mergeCells count="{len(ws.merged)}">')
        for r1, c1, r2, c2 in ws.merged:
            out.append(f'<mergeCell ref="{column_letter(c1)}{r1}:{column_letter(c2)}{r2}"/>')
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
        h = element_text(ws.header)
        out.append(
            f"<headerFooter><oddHeader>{h}</oddHeader><oddFooter></oddFooter>"
            f"<evenHeader>{h}</evenHeader><evenFooter></evenFooter>"
            f"<firstHeader>{h}</firstHeader><firstFooter></firstFooter></headerFooter>"
        )
    out.append("</worksheet>")
    return _ascii("".join(out))


def _styles_xml(book: Book) -> bytes:
    out = [f'<styleSheet xmlns="{_MAIN_NS}">']
    if book.custom_formats:
        out.append(f'<numFmts count="{len(book.custom_formats)}">')
        for code, i in book.custom_formats.items():
            out.append(f'<numFmt numFmtId="{i}" formatCode="{attribute_value(code)}"/>')
        out.append("</numFmts>")
    else:
        out.append('<numFmts count="0"/>')
    out.append(f'<fonts count="{len(book.fonts) + 1}">{_DEFAULT_FONT}')
    for size, bold in book.fonts:
        b = '<b val="1"/>' if bold else ""
        out.append(f'<font><name val="{FONT_NAME}"/>{b}<sz val="{size}"/></font>')
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


def _workbook_xml(sheets: Sequence[Sheet]) -> bytes:
    out = [
        f'<workbook xmlns="{_MAIN_NS}"><workbookPr/><workbookProtection/><bookViews>'
        '<workbookView visibility="visible" minimized="0" showHorizontalScroll="1" '
        'showVerticalScroll="1" showSheetTabs="1" tabRatio="600" firstSheet="0" '
        'activeTab="0" autoFilterDateGrouping="1"/></bookViews><sheets>'
    ]
    for i, ws in enumerate(sheets, start=1):
        out.append(
            f'<sheet xmlns:r="{_DOC_REL}" name="{attribute_value(ws.name)}" sheetId="{i}" '
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
                f"{element_text(quoted)}!${top}:${bottom}</definedName>"
            )
        if ws.print_area:
            names.append(
                f'<definedName name="_xlnm.Print_Area" localSheetId="{i}">'
                f"{element_text(quoted)}!{ws.print_area}</definedName>"
            )
    out.append(f"<definedNames>{''.join(names)}</definedNames>" if names else "<definedNames/>")
    out.append('<calcPr calcId="124519" fullCalcOnLoad="1"/></workbook>')
    return "".join(out).encode()


def package(sheets: Sequence[Sheet], book: Book, title: str) -> bytes:
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
        + (f"<dc:title {dc}{_space(title)}>{element_text(title)}</dc:title>" if title else "")
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
