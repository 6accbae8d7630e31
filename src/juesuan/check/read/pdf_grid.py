"""Tables drawn with cell borders (ruled tables) on PDF pages.

The drawn rules give a lattice: the distinct x of the vertical rules and y of the horizontal
ones. Two neighbouring lattice cells with no rule between them belong to one merged cell.
Each merged cell's text (its words, line by line) goes to its top-left lattice position, as
the DOCX reader gives a merged cell; in the first three rows (the header) a cell merged over
columns repeats its text in each of them, again as in the DOCX reader. A table continued on
the following pages is read on the first page's columns, without the repeated header rows.

Used for the tables whose layout varies too much for the word clustering of
:mod:`juesuan.check.read.pdf_tables`: the 明细表 and 项目支出表 (codes and amounts under a header
of merged cells), the fund tables and the performance self-evaluation tables 附表1/附表2.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from juesuan.check.read.kinds import GRID_KINDS, kind_of
from juesuan.check.read.reader import group_lines
from juesuan.check.read.reading import contents_pages
from juesuan.check.read.source import PdfPage, RawRow, RawTable, SourceDoc, Word

TOL = 2.0  # points: rules closer than this are the same line
PERFORMANCE = ("部门整体支出绩效自评表", "项目支出绩效自评表")
HEADER_ROWS = 3


@dataclass
class _Rules:
    horizontal: list[tuple[float, float, float]]  # (y, x0, x1)
    vertical: list[tuple[float, float, float]]  # (x, y0, y1)


@dataclass
class _Open:
    table: RawTable
    xs: list[float]
    header: list[list[str]] = field(default_factory=list)


@lru_cache(maxsize=4096)
def is_ruled_title(text: str) -> bool:
    """Titles of the tables read by their borders."""
    t = re.sub(r"\s+", "", text)
    if len(t) > 40 or "说明" in t or t.endswith(("。", "：", ":")):
        return False
    if any(p in t for p in PERFORMANCE):
        return not t.startswith(("附表：", "附表:"))
    return kind_of(t) in GRID_KINDS


def ruled_tables(
    doc: SourceDoc, unread: list[tuple[str, int]] | None = None
) -> tuple[list[RawTable], set[int]]:
    """Every ruled table of the document under a title :func:`is_ruled_title` accepts; the
    titles under which no ruled grid was found go to ``unread`` as (title, page)."""
    tables: list[RawTable] = []
    pages: set[int] = set()
    current: _Open | None = None
    pending: tuple[str, int] | None = None  # a title at the foot of a page, its grid below
    contents = contents_pages(doc)
    for page in doc.pages:
        if page.number in contents:
            continue
        rules = _rules(page)
        titles = [
            (i, "".join(w.text for w in ln))
            for i, ln in enumerate(page.lines)
            if _is_title_line(ln)
        ]
        # the grid above the page's first title continues the open table (or opens the
        # table whose title ended the previous page)
        first_top = page.lines[titles[0][0]][0].top if titles else 1e9
        if (current is not None or pending is not None) and _starts_with_grid(page, rules):
            if current is not None:
                _widen(current, [v[0] for v in rules.vertical if (v[1] + v[2]) / 2 < first_top])
                rows = _grid_rows(page, rules, 0, first_top, current.xs)
                if (
                    rows
                    and current.table.rows
                    and _opens_on_a_broken_row(rules, first_top, current.xs)
                    and _is_rest_of(rows[0][0], current.table.rows[-1])
                ):
                    _join(current.table.rows[-1], rows.pop(0)[0])
                _append(current, rows, continued=True)
            else:
                assert pending is not None
                xs = _lattice([v[0] for v in rules.vertical if (v[1] + v[2]) / 2 < first_top])
                rows = _grid_rows(page, rules, 0, first_top, xs)
                if rows:
                    table = RawTable(pending[0], [], page=page.number, number=len(tables) + 1)
                    tables.append(table)
                    current = _Open(table, xs)
                    _append(current, rows, continued=False)
                    pending = None
            pages.add(page.number)
        if pending is not None and unread is not None:
            unread.append(pending)
        pending = None
        if not titles:
            if current is None or not _starts_with_grid(page, rules):
                current = None
            continue
        current = None
        for n, (i, title) in enumerate(titles):
            top = page.lines[i][0].bottom
            bottom = page.lines[titles[n + 1][0]][0].top if n + 1 < len(titles) else 1e9
            if not is_ruled_title(title):
                continue
            xs = _lattice(
                [v[0] for v in rules.vertical if top < (v[1] + v[2]) / 2 < bottom],
            )
            rows = _grid_rows(page, rules, top, bottom, xs)
            pages.add(page.number)
            last = n == len(titles) - 1
            if not rows:
                if last and not _below(page, i):  # the grid starts on the next page
                    pending = (title, page.number)
                elif unread is not None and i + 1 < len(page.lines):  # not a 目录 line
                    unread.append((title, page.number))
                continue
            table = RawTable(title, [], page=page.number, number=len(tables) + 1)
            tables.append(table)
            opened = _Open(table, xs)
            _append(opened, rows, continued=False)
            current = opened if last else None
    if pending is not None and unread is not None:
        unread.append(pending)
    return tables, pages


def _below(page: PdfPage, i: int) -> bool:
    """Whether anything but a unit line (单位：万元) follows line ``i`` of the page."""
    rest = ["".join(w.text for w in ln) for ln in page.lines[i + 1 :]]
    return any(t and not t.startswith(("单位", "金额单位")) for t in rest)


def page_bottom(page: PdfPage) -> float:
    return max((w.bottom for w in page.words), default=0) + 1


def _is_title_line(line: list[Word]) -> bool:
    text = "".join(w.text for w in line)
    return len(text) <= 40 and (kind_of(text) is not None or is_ruled_title(text))


def _starts_with_grid(page: PdfPage, rules: _Rules) -> bool:
    """A continuation page: its first text line sits inside the drawn grid."""
    if not page.lines or not rules.horizontal:
        return False
    first = page.lines[0][0]
    top_rule = min(h[0] for h in rules.horizontal)
    if top_rule <= first.yc + 1:
        return True
    # the rest of a row broken at the previous page's foot: inside the borders, above any rule
    return any(v[1] - TOL <= first.yc <= v[2] + TOL for v in rules.vertical)


def _widen(current: _Open, xs: list[float]) -> None:
    """A continued table whose columns divide further on the new page (a part of the table
    with more columns than the part on the first page): the columns of both pages, the rows
    read so far re-placed on them (each cell at its first column, as a merged cell)."""
    lo, hi = current.xs[0] - TOL, current.xs[-1] + TOL
    union = _lattice([*current.xs, *(x for x in xs if lo < x < hi)])
    if len(union) == len(current.xs):
        return
    at = [min(range(len(union)), key=lambda k: abs(union[k] - x)) for x in current.xs[:-1]]
    for row in current.table.rows:
        cells = [""] * (len(union) - 1)
        for c, text in enumerate(row.cells):
            if c < len(at):
                cells[at[c]] = text
        row.cells = cells
    current.header = [
        [full[c] if c < len(full) else "" for c in range(len(union) - 1)] for full in current.header
    ]
    current.xs = union


def _is_rest_of(rest: RawRow, row: RawRow) -> bool:
    """Whether a page's first row can be the rest of the previous page's last row: it fills
    fewer cells, and only cells that row fills (a whole row fills as many)."""
    filled = {c for c, t in enumerate(row.cells) if t}
    more = {c for c, t in enumerate(rest.cells) if t}
    return bool(more) and more <= filled and len(more) < len(filled)


def _join(row: RawRow, rest: RawRow) -> None:
    """The two parts of a row broken over two pages, as one row."""
    n = max(len(row.cells), len(rest.cells))
    a = row.cells + [""] * (n - len(row.cells))
    b = rest.cells + [""] * (n - len(rest.cells))
    row.cells = [x + y for x, y in zip(a, b, strict=True)]


def _append(current: _Open, rows: list[tuple[RawRow, list[str]]], continued: bool) -> None:
    """Rows come as (row, its cells with merged header texts repeated)."""
    table = current.table
    if not continued:
        current.header = [full for _, full in rows[:HEADER_ROWS]]
        for row, full in rows[:HEADER_ROWS]:
            row.cells = full
    else:
        while rows and rows[0][1] in current.header:
            rows = rows[1:]  # the header repeated on the new page
    for row, _ in rows:
        row.index = len(table.rows) + 1
        table.rows.append(row)


def _rules(page: PdfPage) -> _Rules:
    horizontal, vertical = [], []
    for x0, top, x1, bottom in page.rules:
        w, h = x1 - x0, bottom - top
        if h <= 3 and w > 3:
            horizontal.append(((top + bottom) / 2, x0, x1))
        elif w <= 3 and h > 3:
            vertical.append(((x0 + x1) / 2, top, bottom))
    return _Rules(horizontal, vertical)


def _lattice(values: list[float]) -> list[float]:
    out: list[float] = []
    for v in sorted(values):
        if out and v - out[-1] < TOL:
            continue
        out.append(v)
    return out


def _left_edge(rules: _Rules, top: float, bottom: float, xs: list[float]) -> tuple[float, float]:
    """The extent (y0, y1) of the table's left border between ``top`` and ``bottom``."""
    spans = [
        (max(v[1], top), min(v[2], bottom))
        for v in rules.vertical
        if abs(v[0] - xs[0]) < TOL and v[2] > top and v[1] < bottom
    ]
    if not spans:
        return 0.0, 0.0
    return min(a for a, _ in spans), max(b for _, b in spans)


def _edges(rules: _Rules, top: float, bottom: float, xs: list[float]) -> list[float]:
    """The y of the row borders. A row broken over two pages (as a browser breaks a tall
    row) has no border where the page cuts it: the table's left border, running on past the
    last rule (or starting above the first), closes it there."""
    ys = _lattice([h[0] for h in rules.horizontal if top - TOL < h[0] < bottom + TOL])
    if not ys or not xs:
        return ys
    y0, y1 = _left_edge(rules, top - TOL, bottom + TOL, xs)
    if y1 > ys[-1] + 3 * TOL:
        ys.append(y1)
    if y0 < ys[0] - 3 * TOL:
        ys.insert(0, y0)
    return ys


def _opens_on_a_broken_row(rules: _Rules, bottom: float, xs: list[float]) -> bool:
    """The page's grid starts with the rest of a row broken at the previous page's foot."""
    ys = _lattice([h[0] for h in rules.horizontal if h[0] < bottom + TOL])
    if not ys or not xs:
        return False
    y0, _ = _left_edge(rules, -1e9, bottom + TOL, xs)
    return y0 < ys[0] - 3 * TOL


def _grid_rows(
    page: PdfPage, rules: _Rules, top: float, bottom: float, xs: list[float]
) -> list[tuple[RawRow, list[str]]]:
    if len(xs) < 2:
        return []
    ys = _edges(rules, top, bottom, xs)
    if len(ys) < 2:
        return []

    # the spans of the rules drawn along each lattice line, looked up for every cell edge
    v_spans = {x: [(v[1], v[2]) for v in rules.vertical if abs(v[0] - x) < TOL] for x in xs}
    h_spans = {y: [(h[1], h[2]) for h in rules.horizontal if abs(h[0] - y) < TOL] for y in ys}

    def vertical_at(x: float, y: float) -> bool:
        return any(a - TOL <= y <= b + TOL for a, b in v_spans[x])

    def horizontal_at(y: float, x: float) -> bool:
        return any(a - TOL <= x <= b + TOL for a, b in h_spans[y])

    def drawn_at(y: float) -> bool:
        return bool(h_spans[y])

    ncols = len(xs) - 1
    # lattice rows inside the table: the band has the table's left edge drawn
    bands = [r for r in range(len(ys) - 1) if vertical_at(xs[0], (ys[r] + ys[r + 1]) / 2)]
    if not bands:
        return []
    parent = {(r, c): (r, c) for r in bands for c in range(ncols)}

    def find(a: tuple[int, int]) -> tuple[int, int]:
        while parent[a] != a:
            parent[a] = parent[parent[a]]
            a = parent[a]
        return a

    def union(a: tuple[int, int], b: tuple[int, int]) -> None:
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)

    band_set = set(bands)
    for r in bands:
        ymid = (ys[r] + ys[r + 1]) / 2
        for c in range(ncols):
            xmid = (xs[c] + xs[c + 1]) / 2
            if c + 1 < ncols and not vertical_at(xs[c + 1], ymid):
                union((r, c), (r, c + 1))
            if r + 1 in band_set and not horizontal_at(ys[r + 1], xmid):
                union((r, c), (r + 1, c))
    groups: dict[tuple[int, int], list[tuple[int, int]]] = {}
    for cell in parent:
        groups.setdefault(find(cell), []).append(cell)
    texts: dict[tuple[int, int], str] = {}
    spans: dict[tuple[int, int], list[int]] = {}
    for root, cells in groups.items():
        r0 = min(r for r, _ in cells)
        r1 = max(r for r, _ in cells) + 1
        c0 = min(c for _, c in cells)
        c1 = max(c for _, c in cells) + 1
        x0, x1, y0, y1 = xs[c0], xs[c1], ys[r0], ys[r1]
        words = [w for w in page.words if x0 < w.xc < x1 and y0 < w.yc < y1]
        texts[root] = "".join(w.text for ln in group_lines(words) for w in ln)
        spans[root] = [c for r, c in cells if r == r0]
    rows = []
    for r in bands:
        cells, full = [], []
        starts = False  # a cell of the row begins in this band (a row of its own)
        for c in range(ncols):
            root = find((r, c))
            starts = starts or root[0] == r
            cells.append(texts[root] if root == (r, c) else "")
            full.append(texts[root] if root[0] == r and c in spans[root] else "")
        # an all-blank row drawn between two rules is recorded, its cells blank (blank is not
        # 0); a band whose every cell continues a cell merged from above is no row, nor is a
        # blank band that only the page's cut closes (the left border running on)
        closed = drawn_at(ys[r]) and drawn_at(ys[r + 1])
        if any(cells) or (starts and closed):
            rows.append((RawRow(cells, 0, page=page.number), full))
    return rows
