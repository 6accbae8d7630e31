"""The performance self-evaluation tables (附表1/附表2) of a PDF printed without ruling lines,
read from word positions.

Without borders the cells are found as the unruled code tables are: columns from the header
words, rows from the lines that carry figures. A section header (the line naming 三级指标 or
年初预算, with the lines of its wrapped labels, a fraction of a line apart) gives the columns:
its words grouped by horizontal overlap, the lowest line first, so that a label spanning
several columns above them (“绩效指标” over 一级/二级/三级指标) is no column of its own. Each line
with a figure (an amount, a rate, a weight or score, “/”, “-”) or a 合计 opens a row; the other
words of the section join the row whose line is nearest, when it lies within a line and a half
(a name wrapped over lines, printed centred on its row). Lines outside the sections are
label–value rows (项目名称, 评价结论…): the label in the table's first column, the text nearest
to it as its value.

What cannot be placed without borders is left out and said: the labels of cells merged over
several rows (一级/二级 indicators, centred over rows whose extent no line marks) are not read,
so their points (CHK-201) are not checked (:attr:`RawTable.note`). A figure outside every
column, or a section without the columns the checks need, makes the table unreadable (None):
it is then reported once as 无法可靠读取.
"""

from __future__ import annotations

import re
from itertools import pairwise

from juesuan.check.read.reader import group_lines
from juesuan.check.read.source import RawRow, RawTable, SourceDoc, Word

FIGURE = re.compile(r"-?[\d,]*\.?\d+%?|[/／\-－]")
SECTION_WORDS = ("三级指标", "年初预算")
TOTAL_WORDS = ("合计", "总计", "总分")
FOOTER = re.compile(r"[—\-－\s]*\d+[—\-－\s]*")
NEEDED = {"三级指标": ("指标分值", "权重", "分值"), "年初预算": ("权重",)}
MERGED_NOTE = "无表格线：一级、二级指标的合并单元格跨越哪些行无法确定，其分值未核对"


def _text(line: list[Word]) -> str:
    return "".join(w.text for w in line)


def _height(lines: list[list[Word]]) -> float:
    hs = sorted(w.bottom - w.top for ln in lines for w in ln)
    return hs[len(hs) // 2] if hs else 10.0


def aligned_performance(doc: SourceDoc, title: str, page_no: int, is_title) -> RawTable | None:
    """The table titled ``title`` on page ``page_no`` as a grid, or None when its geometry is
    ambiguous. ``is_title(line)``: whether a line is a table title (the table ends there)."""
    lines = _region(doc, title, page_no, is_title)
    if not lines:
        return None
    flat = [ln for _p, ln in lines]
    height = _height(flat)
    heads = [
        i
        for i, (_p, ln) in enumerate(lines)
        if any(_is_section(w) for w in ln) and not any(FIGURE.fullmatch(w.text) for w in ln)
    ]
    if not heads:
        return None
    outer = _label_edge(flat)
    rows: list[RawRow] = []
    blocks = [_header_block(lines, i, height) for i in heads]
    note = ""
    start = 0
    for n, (top, bottom) in enumerate(blocks):
        rows += _label_rows(lines[start:top], outer, height)
        end = blocks[n + 1][0] if n + 1 < len(blocks) else len(lines)
        section = _section(lines[top:end], bottom - top, outer, height)
        if section is None:
            return None
        grid, used, merged = section
        if any(r.cells == grid[0].cells for r in rows):
            grid = grid[1:]  # the header repeated on a new page
        rows += grid
        note = note or merged
        start = top + used
    rows += _label_rows(lines[start:], outer, height)
    for k, row in enumerate(rows, 1):
        row.index = k
    return RawTable(title, rows, page=page_no, note=note)


def _label_edge(lines: list[list[Word]]) -> float | None:
    """The right edge of the table's first column of labels (附表2: 项目名称, 预算执行情况,
    绩效指标, 评价结论…): half way from the 项目名称 label to its value; None without one."""
    for ln in lines:
        for k, w in enumerate(ln):
            if w.text.startswith("项目名称") and k + 1 < len(ln):
                return (w.x1 + ln[k + 1].x0) / 2
    return None


def _is_section(w: Word) -> bool:
    return w.text.startswith(SECTION_WORDS)


def _region(doc: SourceDoc, title: str, page_no: int, is_title) -> list[tuple[int, list[Word]]]:
    """The lines under the title, on its page and the following pages, up to the next title
    (page numbers at the foot left out)."""
    out: list[tuple[int, list[Word]]] = []
    inside = False
    for page in doc.pages:
        if page.number < page_no:
            continue
        for line in page.lines:
            text = _text(line)
            if not inside:
                inside = page.number == page_no and "".join(title.split()) == text
                continue
            if is_title(line):
                return out
            if line is page.lines[-1] and FOOTER.fullmatch(text):
                continue  # the page number
            out.append((page.number, line))
    return out


def _header_block(lines: list[tuple[int, list[Word]]], i: int, height: float) -> tuple[int, int]:
    """The lines [top, bottom) of the header around line ``i``: the lines of labels wrapped
    in their cells, each less than a line below the one above it (cells of different line
    counts centred on one row), none with a figure."""

    def close(a: int, b: int) -> bool:
        pa, la = lines[a]
        pb, lb = lines[b]
        gap = min(w.top for w in lb) - min(w.top for w in la)
        return pa == pb and gap < height and not any(FIGURE.fullmatch(w.text) for w in lb + la)

    top = i
    while top > 0 and close(top - 1, top):
        top -= 1
    bottom = i + 1
    while bottom < len(lines) and close(bottom - 1, bottom):
        bottom += 1
    return top, bottom


def _columns(words: list[Word]) -> list[list[Word]]:
    """Header words grouped into columns by horizontal overlap, lowest line first; a word
    over two or more columns spans them and is no column."""
    cols: list[list[Word]] = []
    spans: list[tuple[float, float]] = []
    for w in sorted(words, key=lambda w: (-w.bottom, w.x0)):
        hit = [k for k, (a, b) in enumerate(spans) if w.x0 < b and w.x1 > a]
        if len(hit) > 1:
            continue
        if hit:
            k = hit[0]
            cols[k].append(w)
            spans[k] = (min(spans[k][0], w.x0), max(spans[k][1], w.x1))
        else:
            cols.append([w])
            spans.append((w.x0, w.x1))
    order = sorted(range(len(cols)), key=lambda k: spans[k][0])
    return [cols[k] for k in order]


def _under(w: Word, spans: list[tuple[float, float]]) -> list[int]:
    """The columns whose label a word lies under (a figure set flush right may end a point or
    two right of a centred label)."""
    return [k for k, (a, b) in enumerate(spans) if w.x0 < b + 2 and w.x1 > a - 2]


def _label(col: list[Word]) -> str:
    return "".join(w.text for ln in group_lines(col) for w in ln)


def _section(
    lines: list[tuple[int, list[Word]]], header_n: int, outer: float | None, height: float
) -> tuple[list[RawRow], int, str] | None:
    """A section's rows (its header first), how many of ``lines`` it used (up to its 合计
    row), and what could not be read (a note), or None when a figure falls outside every
    column or the columns the checks need are missing."""
    head = [w for _p, ln in lines[:header_n] for w in ln if outer is None or w.x1 > outer]
    outer_words = [w for _p, ln in lines[:header_n] for w in ln if w not in head]
    cols = _columns(head)
    labels = [_label(c) for c in cols]
    spans = [(min(w.x0 for w in c), max(w.x1 for w in c)) for c in cols]
    # each column reaches half way to its neighbours (cell text is wider than its label)
    edges = [-1e9, *((a[1] + b[0]) / 2 for a, b in pairwise(spans)), 1e9]
    name_col = next((k for k, t in enumerate(labels) if t.startswith(SECTION_WORDS)), None)
    if name_col is None:
        return None
    needed = NEEDED["三级指标" if labels[name_col].startswith("三级指标") else "年初预算"]
    if not any(t.startswith(needed) for t in labels):
        return None
    # rows of an indicator section left of its 三级指标 column are merged over rows
    merged = labels[name_col].startswith("三级指标")
    first = 1 if outer is not None else 0
    ncols = first + len(cols)

    def column(w: Word) -> int | None:
        """The column whose label a word lies under; else, a text between two labels to the
        nearer one (half way), a figure only when it crosses no half-way edge; None when
        ambiguous."""
        under = _under(w, spans)
        if len(under) == 1:
            return under[0]
        if under:
            return None
        if FIGURE.fullmatch(w.text):
            hit = [k for k in range(len(spans)) if w.x0 < edges[k + 1] and w.x1 > edges[k]]
            return hit[0] if len(hit) == 1 else None
        return next(k for k in range(len(spans)) if w.xc < edges[k + 1])

    body = lines[header_n:]
    anchors: list[int] = []
    used = len(lines)
    for i, (_p, ln) in enumerate(body):
        inner = [w for w in ln if outer is None or w.x0 > outer]
        if any(FIGURE.fullmatch(w.text) for w in inner) or any(
            w.text in TOTAL_WORDS for w in inner
        ):
            anchors.append(i)
            if any(w.text in TOTAL_WORDS for w in inner):
                used = header_n + i + 1
                break
    if not anchors:
        return None
    # figures are set flush right in their cells, texts flush left: a column whose figures
    # end right of its label ends there (the next cell's text starts after them)
    for i in anchors:
        for w in body[i][1]:
            k = column(w) if FIGURE.fullmatch(w.text) else None
            if k is not None and w.x1 > spans[k][1]:
                edges[k + 1] = max(min(edges[k + 1], w.x1 + 3), spans[k][1])
    # the columns that hold only figures on the rows' own lines (weights, scores, amounts)
    # (the words right under each label: texts of the neighbouring cells may reach its sides)
    seen: dict[int, set[bool]] = {}
    for i in anchors:
        for w in body[i][1]:
            under = _under(w, spans)
            if len(under) == 1:
                seen.setdefault(under[0], set()).add(bool(FIGURE.fullmatch(w.text)))
    numeric = {k for k, kinds in seen.items() if kinds == {True}}
    cells: list[list[list[Word]]] = [[[] for _ in range(ncols)] for _ in anchors]
    ys = [(body[i][0], sum(w.yc for w in body[i][1]) / len(body[i][1])) for i in anchors]
    for i, (page, ln) in enumerate(body[: used - header_n]):
        for w in ln:
            if outer is not None and w.x1 <= outer:
                outer_words.append(w)
                continue
            k = column(w)
            if k is None:
                if FIGURE.fullmatch(w.text) and i in anchors:
                    return None  # a figure outside every column: ambiguous
                continue
            if merged and k < name_col and w.text not in TOTAL_WORDS:
                continue  # a label merged over rows: its rows are not known
            if k in numeric and not FIGURE.fullmatch(w.text):
                continue  # the end of a neighbouring cell's text, reaching under the label
            near = [(abs(y - w.yc), r) for r, (p, y) in enumerate(ys) if p == page]
            if not near:
                continue
            d, r = min(near)
            if i in anchors and anchors.index(i) != r:
                r = anchors.index(i)
            elif d > 1.5 * height:
                continue
            cells[r][first + k].append(w)
    header = ([_label(outer_words)] if outer is not None else []) + labels
    rows = [RawRow(header, 0, page=lines[0][0])]
    for (page, _y), row in zip(ys, cells, strict=True):
        texts = ["".join(w.text for ln in group_lines(c) for w in ln) for c in row]
        rows.append(RawRow(texts, 0, page=page))
    return rows, used, MERGED_NOTE if merged else ""


def _label_rows(
    lines: list[tuple[int, list[Word]]], outer: float | None, height: float
) -> list[RawRow]:
    """Label–value rows: each label in the first column with the text nearest to it."""
    if outer is None or not lines:
        return []
    labels: list[tuple[int, float, list[Word]]] = []
    for page, ln in lines:
        left = [w for w in ln if w.x1 <= outer]
        if left:
            labels.append((page, sum(w.yc for w in left) / len(left), left))
    if not labels:
        return []
    values: list[list[Word]] = [[] for _ in labels]
    for page, ln in lines:
        for w in ln:
            if w.x1 <= outer:
                continue
            near = [(abs(y - w.yc), k) for k, (p, y, _l) in enumerate(labels) if p == page]
            if near:
                values[min(near)[1]].append(w)
    return [
        RawRow(
            ["".join(w.text for w in left), "".join(w.text for c in group_lines(v) for w in c)],
            0,
            page=page,
        )
        for (page, _y, left), v in zip(labels, values, strict=True)
    ]
