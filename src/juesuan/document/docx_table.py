"""A standard table as WordprocessingML text: fixed column widths, single black borders,
narrow cell margins, repeated header rows, rows that do not split, merged regions as
``gridSpan`` and ``vMerge``, numbers right-aligned, the last row kept with a note below."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace
from functools import lru_cache

from juesuan.document.docx_style import CELL_MARGIN, TABLE_BODY, TABLE_HEAD, TABLE_PITCH
from juesuan.document.model import Cell
from juesuan.document.wordprocessingml import rpr, text_element

_BORDERS = "<w:tblBorders>{}</w:tblBorders>".format(
    "".join(
        f'<w:{edge} w:val="single" w:sz="4" w:space="0" w:color="000000"/>'
        for edge in ("top", "left", "bottom", "right", "insideH", "insideV")
    )
)
_LOOK = (
    '<w:tblLook w:firstColumn="1" w:firstRow="1" w:lastColumn="0" w:lastRow="0" '
    'w:noHBand="0" w:noVBand="1" w:val="04A0"/>'
)
_HEADER_ROW = "<w:tr><w:trPr><w:cantSplit/><w:tblHeader/></w:trPr>"
_BODY_ROW = "<w:tr><w:trPr><w:cantSplit/></w:trPr>"


def column_twips(widths: Sequence[float], ncols: int, total: int) -> list[int]:
    """Column widths (twips) summing to ``total``, in proportion to ``widths`` (equal when
    they do not fit the table)."""
    weights = [float(w) for w in widths]
    if len(weights) != ncols or any(w <= 0 for w in weights):
        weights = [1.0] * ncols
    scale = total / sum(weights)
    cols = [int(w * scale) for w in weights]
    cols[-1] += total - sum(cols)
    return cols


def _table_properties(cols: Sequence[int], vertical_margin: int) -> str:
    margins = "".join(
        f'<w:{edge} w:w="{w}" w:type="dxa"/>'
        for edge, w in (
            ("top", vertical_margin),
            ("left", CELL_MARGIN),
            ("bottom", vertical_margin),
            ("right", CELL_MARGIN),
        )
    )
    grid = "".join(f'<w:gridCol w:w="{w}"/>' for w in cols)
    return (
        f'<w:tblPr><w:tblStyle w:val="TableGrid"/><w:tblW w:type="dxa" w:w="{sum(cols)}"/>'
        f'<w:jc w:val="center"/>{_BORDERS}<w:tblLayout w:type="fixed"/>'
        f"<w:tblCellMar>{margins}</w:tblCellMar>{_LOOK}</w:tblPr><w:tblGrid>{grid}</w:tblGrid>"
    )


@lru_cache(maxsize=256)
def _cell_start(span: int, vmerge: str | None) -> str:
    """The ``w:tcPr`` after the width: span, vertical merge, centred vertically."""
    out = ['" w:type="dxa"/>']
    if span > 1:
        out.append(f'<w:gridSpan w:val="{span}"/>')
    if vmerge == "restart":
        out.append('<w:vMerge w:val="restart"/>')
    elif vmerge is not None:
        out.append("<w:vMerge/>")
    out.append('<w:vAlign w:val="center"/></w:tcPr><w:p><w:pPr>')
    return "".join(out)


@lru_cache(maxsize=256)
def _paragraph_properties(
    header: bool, keep: bool, line: float, align: str | None, indent: float
) -> str:
    """The cell paragraph's ``w:pPr`` content: style, keep-with-next, an exact line when
    tighter than the style's, a left indent (characters), alignment."""
    out = ['<w:pStyle w:val="TableHeader"/>' if header else '<w:pStyle w:val="TableText"/>']
    if keep:
        out.append("<w:keepNext/>")
    if line != TABLE_PITCH[0][0]:
        out.append(f'<w:spacing w:line="{round(line * 20)}" w:lineRule="exact"/>')
    if indent > 0 and align == "left":
        size = TABLE_BODY.size
        out.append(
            f'<w:ind w:left="{round(indent * size * 20)}" w:leftChars="{indent * 100}" '
            'w:firstLine="0" w:firstLineChars="0"/>'
        )
    if align is not None:
        out.append(f'<w:jc w:val="{align}"/>')
    out.append("</w:pPr>")
    return "".join(out)


def _align(cell: Cell, header: bool) -> str | None:
    """``w:jc`` of a cell's paragraph (None: the header style's centring)."""
    if header:
        return None
    if cell.align == "center":
        return "center"
    if cell.figure is not None or cell.align == "right":
        return "right"
    return "left"


_RPR_HEAD = rpr(TABLE_HEAD)
_RPR_BODY = rpr(TABLE_BODY)
_RPR_BOLD = rpr(replace(TABLE_BODY, bold=True))


def _shape(header: bool, keep: bool, line: float, rowspan: int, span: int, cell: Cell) -> str:
    """A cell's XML from after its width up to its first text: cell and paragraph
    properties, the start of a run."""
    align = _align(cell, header)
    if header:
        props = _RPR_HEAD
    else:
        props = _RPR_BOLD if cell.bold else _RPR_BODY
    return "".join(
        (
            _cell_start(span, "restart" if rowspan > 1 else None),
            _paragraph_properties(header, keep, line, align, cell.indent),
            "<w:r>",
            props,
        )
    )


def table_xml(
    placed: list,
    nrows: int,
    nhead: int,
    ncols: int,
    cols: Sequence[int],
    *,
    line: float,
    margin: float,
    keep_last: bool,
    cell_text: Callable[[Cell], str],
    keep_from: int | None = None,
) -> str:
    """``w:tbl`` of ``nrows`` rows of cells ``placed`` as :func:`widths._layout` places them
    (the first ``nhead`` rows repeat as header rows) on the grid ``cols`` (twips): rows on a
    ``line`` pt pitch with ``margin`` pt above and below the text; ``keep_last`` keeps the
    last row with the paragraph after the table; rows from ``keep_from`` on are kept with
    the row after them (the table's last rows do not break over a page)."""
    starts = {(r, c): (rs, cs, cell) for r, c, rs, cs, cell in placed}
    below: dict[tuple[int, int], int] = {}  # continuation of a vertical merge → its colspan
    for r, c, rs, cs, _cell in placed:
        for dr in range(1, rs):
            below[(r + dr, c)] = cs
    xml = ["<w:tbl>", _table_properties(cols, round(margin * 20))]
    shapes: dict[tuple, str] = {}
    last = nrows - 1
    for r in range(nrows):
        header = r < nhead
        keep = (keep_last and r == last) or (keep_from is not None and keep_from <= r < last)
        xml.append(_HEADER_ROW if header else _BODY_ROW)
        c = 0
        while c < ncols:
            start = starts.get((r, c))
            if start is not None:
                rs, cs, cell = start
                key = (header, keep, rs > 1, cs, cell.align, cell.figure is None, cell.indent)
                key += (cell.bold,)
                shape = shapes.get(key)
                if shape is None:
                    shape = shapes[key] = _shape(header, keep, line, rs, cs, cell)
                width = cols[c] if cs == 1 else sum(cols[c : c + cs])
                text = cell_text(cell)
                if "\n" in text:  # lines within the cell: one run each, ending in a break
                    between = "<w:br/></w:r><w:r>" + shape[shape.rindex("<w:rPr>") :]
                    text = between.join(text_element(part) for part in text.split("\n"))
                else:
                    text = text_element(text)
                xml.append(f'<w:tc><w:tcPr><w:tcW w:w="{width}{shape}{text}</w:r></w:p></w:tc>')
            else:
                # the continuation of a vertical merge, or a position no cell reaches
                cs = below.get((r, c), 1)
                vmerge = "continue" if (r, c) in below else None
                width = cols[c] if cs == 1 else sum(cols[c : c + cs])
                xml.append(
                    f'<w:tc><w:tcPr><w:tcW w:w="{width}{_cell_start(cs, vmerge)}'
                    f"{_paragraph_properties(header, keep, line, None, 0)}</w:p></w:tc>"
                )
            c += cs
        xml.append("</w:tr>")
    xml.append("</w:tbl>")
    return "".join(xml)
