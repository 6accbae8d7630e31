"""Column widths of a table that gives none, and the HTML-like placement of merged cells
(shared by the DOCX and the print HTML, so both set a table with the same proportions)."""

from __future__ import annotations

from collections.abc import Sequence

from juesuan.document.model import Cell, Table
from juesuan.document.numbers import Styles, format_figure


def _layout(rows: Sequence[Sequence[Cell]], ncols: int) -> list[tuple[int, int, int, int, Cell]]:
    """Place the cells on the grid like HTML does: ``(row, col, rowspan, colspan, cell)``.

    Spans are clipped to the grid and never overlap; cells past the last column are
    dropped."""
    nrows = len(rows)
    taken: set[tuple[int, int]] = set()
    placed = []
    for r, row in enumerate(rows):
        c = 0
        for cell in row:
            while (r, c) in taken:
                c += 1
            if c >= ncols:
                break
            cs = 1
            while cs < max(1, cell.colspan) and c + cs < ncols and (r, c + cs) not in taken:
                cs += 1
            rs = 1
            while (
                rs < max(1, cell.rowspan)
                and r + rs < nrows
                and all((r + rs, c + k) not in taken for k in range(cs))
            ):
                rs += 1
            taken.update((r + dr, c + dc) for dr in range(rs) for dc in range(cs))
            placed.append((r, c, rs, cs, cell))
            c += cs
    return placed


def _text_width(text: str) -> int:
    """Display width in half-width units: CJK and full-width characters count 2."""
    return sum(1 if ord(ch) < 0x1100 else 2 for ch in text)


def _column_weights(
    placed: Sequence[tuple[int, int, int, int, Cell]], nhead: int, ncols: int, styles: Styles
) -> list[float]:
    """Relative widths when the table gives none: from the longest single-column text,
    header text counting little (it may wrap)."""
    weights = [4.0] * ncols
    for r, c, _rs, cs, cell in placed:
        if cs != 1:
            continue
        if cell.figure is not None:
            text = format_figure(
                cell.figure.value, cell.figure.unit, styles.table, cell.figure.absolute
            )
        else:
            text = cell.text
        width = _text_width(text) + 2 * cell.indent
        cap = 8 if r < nhead else 28
        weights[c] = max(weights[c], float(min(width, cap)))
    return weights


def table_widths(table: Table, styles: Styles) -> list[float]:
    """Relative column widths: the table's own, else estimated from its texts."""
    ncols = max(table.columns, 1)
    if len(table.widths) == ncols and all(w > 0 for w in table.widths):
        return [float(w) for w in table.widths]
    rows = list(table.header) + list(table.rows)
    return _column_weights(_layout(rows, ncols), len(table.header), ncols, styles)


def toc_line_height(entries: int, line: float = 28.0, page: float = 637.8) -> float:
    """Line height (pt) of the contents entries: the body's 28 pt unless the title and all
    entries would then not fit one page (no last entry alone on a page of its own)."""
    room = page - 42 - 2  # the contents title with its spacing, and a little slack
    return line if entries * line <= room else max(18.0, int(room / max(entries, 1) * 2) / 2)


# A table's last rows are set as a group that does not break (the print HTML's last row
# group, the DOCX's rows kept with the next): a table continued over pages never ends on a
# page with fewer body rows (see juesuan.document.pdf.SHORT_TAIL_ROWS).
TAIL_ROWS = 6
TAIL_MAX = 12  # rows merged across the boundary may enlarge the group up to this


def tail_start(table: Table) -> int | None:
    """Where the table's unbreakable last rows begin (None: no such group: a short table, or
    merged cells that would span the boundary however it is placed)."""
    n = len(table.rows)
    if n <= TAIL_ROWS:
        return None
    start = n - TAIL_ROWS
    rows = list(table.header) + list(table.rows)
    spans = [(r - len(table.header), rs) for r, _c, rs, _cs, _cell in _layout(rows, table.columns)]
    while start >= n - TAIL_MAX:
        if not any(r < start < r + rs for r, rs in spans if r >= 0):
            return start
        start -= 1
    return None
