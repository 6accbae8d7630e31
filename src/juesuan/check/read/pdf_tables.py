"""PDF tables from positioned words: our own row/column clustering.

A table starts at a title line (identified by :func:`kind_of`) and may continue over the
following pages. Rows are anchored on the classification codes (or the row labels of the
two-sided 总表); codes split over 类/款/项 columns are joined; names wrapped over lines and
numbers printed a little above or below their row go to the nearest anchor. Columns come
from the header words (matched by prefix, tolerant of headers broken over lines). The result
is a grid (:class:`RawTable`) with a synthesized header, read by :mod:`juesuan.check.read.recover`.
The other tables (明细表, 项目支出表, fund tables, 附表1/附表2) are read from their drawn cell
borders instead (:mod:`juesuan.check.read.pdf_grid`).
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field

from juesuan.check.read.kinds import COLUMNS, CORE, GRID_KINDS, LABELS, kind_of
from juesuan.check.read.reader import group_lines
from juesuan.check.read.reading import contents_pages
from juesuan.check.read.source import AMOUNT, PdfPage, RawRow, RawTable, SourceDoc, Word

CODE_WORD = re.compile(r"\d{3}(?:\d{2}){0,2}")
ORDINAL = re.compile(r"^[一二三四五六七八九十]+、")
END = re.compile(
    r"^(第[一二三四五六七八九十]部分|注[:：]|[一二三四五六七八九十]+、.{2,30}情况说明)"
)


@dataclass
class Region:
    kind: str
    title: str
    page: int
    words: list[Word] = field(default_factory=list)
    header: dict[str, float] = field(default_factory=dict)
    extra: list[tuple[int, list[Word]]] = field(default_factory=list)  # continuation pages
    head: list[str] = field(default_factory=list)  # header line texts (repeated on new pages)
    rules: dict[int, list[tuple[float, float, float]]] = field(default_factory=dict)  # page →


def _text(line: list[Word]) -> str:
    return "".join(w.text for w in line)


def _is_amount(w: Word) -> bool:
    return bool(AMOUNT.match(w.text)) and ("." in w.text or "," in w.text)


def pdf_tables(
    doc: SourceDoc, aligned: frozenset[str] = frozenset()
) -> tuple[list[RawTable], set[int]]:
    """The standard tables of a PDF as grids, and the pages they are printed on. A table may
    continue over the following pages, also onto a page on which the next table starts (as
    a browser or a word processor breaks tables): the lines above that page's first title go
    to the open table, without the header rows the producer repeats there.

    The other code tables (明细表, 项目支出表, fund tables) are read from their drawn borders
    (:mod:`juesuan.check.read.pdf_grid`); those whose titles are in ``aligned`` (no borders
    were found) are read here instead, their columns from the alignment of their amounts."""
    regions: list[Region] = []
    pages: set[int] = set()
    open_region: Region | None = None
    contents = contents_pages(doc)
    for page in doc.pages:
        if page.number in contents:
            continue
        rules = horizontal_rules(page)
        starts = []
        for i, line in enumerate(page.lines):
            t = _text(line)
            k = kind_of(t)
            if k is not None and len(t) <= 40:
                starts.append((i, k, t))
        if open_region is not None:
            lead = page.lines[: starts[0][0] if starts else len(page.lines)]
            cut = next((j for j, ln in enumerate(lead) if END.match(_text(ln))), None)
            lead = lead if cut is None else lead[:cut]
            if _looks_tabular(lead):
                _continue(open_region, page.number, lead)
                open_region.rules[page.number] = rules
                pages.add(page.number)
                if cut is not None:
                    open_region = None
            else:
                open_region = None
        if not starts:
            continue
        open_region = None
        for n, (i, k, t) in enumerate(starts):
            end = starts[n + 1][0] if n + 1 < len(starts) else len(page.lines)
            lines = page.lines[i + 1 : end]
            cut = next((j for j, ln in enumerate(lines) if END.match(_text(ln))), None)
            body = lines if cut is None else lines[:cut]
            words = [w for ln in body for w in ln]
            region = Region(k, t, page.number, words, head=_header_lines(body))
            region.rules[page.number] = rules
            if k in CORE or (k in GRID_KINDS and t in aligned):
                regions.append(region)
            pages.add(page.number)
            open_region = region if cut is None and n == len(starts) - 1 else None
    tables = []
    for region in regions:
        table = _build(region)
        if table is not None:
            table.number = len(tables) + 1
            tables.append(table)
    return tables, pages


def _header_lines(lines: list[list[Word]]) -> list[str]:
    """The texts of a table's header lines: those above its first line with an amount."""
    out = []
    for line in lines:
        if any(_is_amount(w) for w in line):
            break
        out.append(_text(line))
    return out


def _continue(region: Region, page_no: int, lines: list[list[Word]]) -> None:
    """Lines of a following page that continue ``region``. When the title's page held no
    row of the table (a title at the foot of a page), the table starts here, header and all;
    otherwise the header rows repeated at the top of the page are dropped."""
    if not region.extra and not any(_is_amount(w) for w in region.words):
        region.page, region.words = page_no, [w for ln in lines for w in ln]
        region.head = _header_lines(lines)
        return
    head = set(region.head)
    k = 0
    while k < len(lines) and _text(lines[k]) in head:
        k += 1
    region.extra.append((page_no, [w for ln in lines[k:] for w in ln]))


def _looks_tabular(lines: list[list[Word]]) -> bool:
    if not lines:
        return False
    head = [_text(ln) for ln in lines[:3]]
    if any(END.match(t) or "。" in t for t in head):
        return False
    return any(_is_amount(w) for ln in lines for w in ln)


def _build(region: Region) -> RawTable | None:
    builder = {
        "income": _code_table,
        "expenditure": _code_table,
        "gb": _code_table,
        "summary": _two_sided,
        "approp_summary": _two_sided,
        "gb_basic": _economic,
        "sangong": _sangong,
        "skip": _code_table,
        "gov_fund": _code_table,
        "state_capital": _code_table,
    }[region.kind]
    rows = builder(region)
    if not rows and region.kind in GRID_KINDS:
        rows = _printed_empty(region)
    if not rows:
        return None
    return RawTable(region.title, rows, page=region.page)


EMPTY_HEADER = ("科目名称", "科目编码", "项目")


def _printed_empty(region: Region) -> list[RawRow]:
    """A code table printed without ruling lines and without any amount (本表无数据): its
    header and notes as rows of one cell each, so that it counts as present and empty. A
    title with nothing under it, or with amounts that could not be aligned, is not this."""
    words = [w for _p, ws in _pages_words(region) for w in ws]
    if any(re.fullmatch(r"-?[\d,]+(?:\.\d+)?", w.text) for w in words):
        return []  # a code or an amount: not empty, only unreadable
    if not any(w.text.startswith(EMPTY_HEADER) for w in words):
        return []
    lines = group_lines(words)
    return [RawRow([_text(ln)], i + 1, page=region.page) for i, ln in enumerate(lines)]


def _columns(kind: str, header: list[Word]) -> list[tuple[str, str, float]]:
    """(key, label, x-center) of each value column found in the header words."""
    found = []
    for key, prefixes in COLUMNS.get(kind, []):
        for w in sorted(header, key=lambda w: (w.top, w.x0)):
            if any(
                w.text.startswith(p) or (p.startswith(w.text) and len(w.text) >= 3)
                for p in prefixes
            ):
                if not any(abs(w.xc - x) < 5 for _, _, x in found):
                    found.append((key, LABELS.get(kind, {}).get(key, prefixes[0]), w.xc))
                    break
    return sorted(found, key=lambda c: c[2])


def _nearest(value: float, options: list[float], limit: float) -> int | None:
    best, dist = None, limit
    for i, o in enumerate(options):
        d = abs(value - o)
        if d < dist:
            best, dist = i, d
    return best


def _name_anchor(w: Word, ys: list[float], rules: list[float]) -> int | None:
    """The row a name fragment belongs to. Where horizontal rules cross the names' column
    (``rules``: their y, sorted), the rows they draw decide: the anchor in the same band (a
    band without one is a header or a note: None). Otherwise the nearest anchor line: a
    cell's text is centred on its row or starts at its top, so a wrapped line is nearer its
    own row's anchor than the next row's."""
    k = bisect.bisect_left(rules, w.yc)
    if 0 < k < len(rules):
        top, bottom = rules[k - 1], rules[k]
        inside = [i for i, y in enumerate(ys) if top < y < bottom]
        if not inside:
            return None
        return min(inside, key=lambda i: abs(ys[i] - w.yc))
    best, dist = None, 20.0
    for i, y in enumerate(ys):
        if abs(y - w.yc) < dist:
            best, dist = i, abs(y - w.yc)
    return best


def _column_rules(rules: list[tuple[float, float, float]], x: float) -> list[float]:
    """The y of the horizontal rules crossing ``x``, sorted."""
    return sorted(y for y, x0, x1 in rules if x0 - 2 <= x <= x1 + 2)


def _code_parts(text: str) -> list[str]:
    """A code word as its 类/款/项 parts: “2080501” → 208, 05, 01; “208” → 208."""
    return [text[:3], *(text[k : k + 2] for k in range(3, len(text), 2))]


def _pages_words(region: Region) -> list[tuple[int, list[Word]]]:
    return [(region.page, region.words), *region.extra]


def horizontal_rules(page: PdfPage) -> list[tuple[float, float, float]]:
    """The page's horizontal rules as (y, x0, x1)."""
    return [
        ((top + bottom) / 2, x0, x1)
        for x0, top, x1, bottom in page.rules
        if bottom - top <= 3 and x1 - x0 > 3
    ]


# ---------------------------------------------------------------- code tables


def _code_table(region: Region) -> list[RawRow]:
    first_words = region.words
    codes = [w for w in first_words if CODE_WORD.fullmatch(w.text)]
    first_anchor_top = min((w.top for w in codes), default=1e9)
    header = [w for w in first_words if w.top < first_anchor_top - 3 and not _is_amount(w)]
    if region.kind in GRID_KINDS:
        cols = _aligned_columns(region, header, codes)
    else:
        cols = _columns(region.kind, header)
    if not cols:
        return []
    name_hdr = next((w for w in header if w.text.startswith("科目名称")), None)
    first_col = cols[0][2]
    head = RawRow(["类", "款", "项", "科目名称", *[c[1] for c in cols]], 1)
    rows = [head]
    for page_no, words in _pages_words(region):
        code_limit = name_hdr.x0 if name_hdr else first_col - 150
        # codes print over 类/款/项 columns (208 | 05 | 01) or whole in one (2080501)
        anchors = [
            w
            for w in words
            if (CODE_WORD.fullmatch(w.text) and w.x1 <= code_limit + 5)
            or (w.text == "合计" and w.xc < first_col - 40)
        ]
        anchors.sort(key=lambda w: w.top)
        if not anchors:
            continue
        cells: list[dict] = [
            {"code": _code_parts(a.text), "name": [], "values": {}, "top": a.top} for a in anchors
        ]
        ys = [a.yc for a in anchors]
        anchor_ids = {id(a) for a in anchors}
        x_names = (code_limit + first_col) / 2  # inside the names' column
        col_rules = _column_rules(region.rules.get(page_no, []), x_names)
        for w in words:
            if id(w) in anchor_ids:
                continue
            if re.fullmatch(r"\d{2}", w.text) and w.x1 <= code_limit + 5:
                i = _nearest(w.yc, ys, 6)
                if i is not None and len(cells[i]["code"]) < 3 and len(cells[i]["code"][0]) == 3:
                    cells[i]["code"].append(w.text)
            elif _is_amount(w) and w.xc > first_col - 60:
                i = _nearest(w.yc, ys, 16)
                j = _nearest(w.xc, [c[2] for c in cols], 45)
                if i is not None and j is not None:
                    cells[i]["values"][j] = w.text
            elif not AMOUNT.match(w.text) and w.x1 < first_col - 20 and w.x0 >= code_limit - 80:
                i = _name_anchor(w, ys, col_rules)
                if i is not None and w.top >= anchors[0].top - 20:
                    cells[i]["name"].append(w)
        _attach_wrapped(cells)
        for c in cells:
            code = c["code"]
            is_total = code == ["合计"]
            name = (
                "合计"
                if is_total
                else "".join(w.text for w in sorted(c["name"], key=lambda w: (w.top, w.x0)))
            )
            codes = ["合计", "", ""] if is_total else ([*code, "", ""])[:3]
            values = [c["values"].get(j, "") for j in range(len(cols))]
            rows.append(RawRow([*codes, name, *values], len(rows) + 1, page=page_no))
    return rows


def _aligned_columns(
    region: Region, header: list[Word], codes: list[Word]
) -> list[tuple[str, str, float]]:
    """Value columns found by geometry, without ruling lines or known header words: amounts
    right of the codes, grouped by their right edge (figures are set flush right in their
    cells); each column is labelled by the header words above it."""
    left = max((w.x1 for w in codes), default=0.0) + 20
    amounts = sorted(
        (w for _p, words in _pages_words(region) for w in words if _is_amount(w) and w.x0 > left),
        key=lambda w: w.x1,
    )
    groups: list[list[Word]] = []
    for w in amounts:
        if groups and w.x1 - groups[-1][-1].x1 <= 4:
            groups[-1].append(w)
        else:
            groups.append([w])
    cols = []
    for k, group in enumerate(g for g in groups if len(g) >= 2):
        x0, x1 = min(w.x0 for w in group), max(w.x1 for w in group)
        above = sorted(
            (w for w in header if w.x1 > x0 - 4 and w.x0 < x1 + 4), key=lambda w: (w.top, w.x0)
        )
        label = "".join(w.text for w in above) or f"第{k + 1}列"
        cols.append((f"col{k}", label, sum(w.xc for w in group) / len(group)))
    return cols


# ---------------------------------------------------------------- 总表 (two sides)

LEFT_LABELS = (
    "本年收入合计",
    "使用非财政拨款结余",
    "年初结转和结余",
    "年初财政拨款结转和结余",
    "总计",
)
RIGHT_LABELS = ("本年支出合计", "结余分配", "年末结转和结余", "年末财政拨款结转和结余", "总计")


def _two_sided(region: Region) -> list[RawRow]:
    first = region.words
    heads = sorted([w for w in first if w.text == "项目"], key=lambda w: w.x0)
    if len(heads) < 2:
        return []
    header_bottom = max(h.bottom for h in heads) + 30
    header = [w for w in first if w.top <= header_bottom and not _is_amount(w)]
    left_val = next(
        (w.xc for w in header if w.text.startswith("决算数") and w.xc < heads[1].x0), None
    )
    if region.kind == "summary":
        right_cols = [
            ("amount", "决算数", w.xc)
            for w in header
            if w.text.startswith("决算数") and w.xc > heads[1].x0
        ]
    else:
        right_cols = [
            c
            for c in _columns("approp_summary", [w for w in header if w.xc > heads[1].x0])
            if c[0] != "amount"
        ]
    if left_val is None or not right_cols:
        return []
    ncols = 3 + len(right_cols)
    out = [RawRow(["项目", "决算数", "项目", *[c[1] for c in right_cols]], 1)]
    lefts: list[RawRow] = []
    rights: list[RawRow] = []
    for page_no, words in _pages_words(region):
        top = min(h.top for h in heads) + 5 if page_no == region.page else -1
        label_words = [w for w in words if not AMOUNT.match(w.text) and w.top > top]
        left_rows = _labels([w for w in label_words if w.x1 < left_val - 30], LEFT_LABELS)
        right_rows = _labels(
            [w for w in label_words if w.x0 > left_val + 20 and w.x1 < right_cols[0][2] - 25],
            RIGHT_LABELS,
        )
        ly = [r[1] for r in left_rows]
        ry = [r[1] for r in right_rows]
        lvals: dict[int, str] = {}
        rvals: dict[tuple[int, int], str] = {}
        for w in words:
            if not _is_amount(w):
                continue
            if abs(w.xc - left_val) < 60:
                i = _nearest(w.yc, ly, 14)
                if i is not None:
                    lvals[i] = w.text
            else:
                j = _nearest(w.xc, [c[2] for c in right_cols], 50)
                i = _nearest(w.yc, ry, 14)
                if i is not None and j is not None:
                    rvals[(i, j)] = w.text
        for i, (label, _) in enumerate(left_rows):
            lefts.append(
                RawRow([label, lvals.get(i, ""), "", *[""] * len(right_cols)], 0, page=page_no)
            )
        for i, (label, _) in enumerate(right_rows):
            vals = [rvals.get((i, j), "") for j in range(len(right_cols))]
            rights.append(RawRow(["", "", label, *vals], 0, page=page_no))
    for r in lefts + rights:
        r.index = len(out) + 1
        r.cells += [""] * (ncols - len(r.cells))
        out.append(r)
    return out


def _labels(words: list[Word], known: tuple[str, ...]) -> list[tuple[str, float]]:
    """Row labels: a line starting with an ordinal or a known label opens a row; other lines
    continue the label above (names wrapped over lines)."""
    rows: list[list] = []
    for line in group_lines(words):
        text = "".join(w.text for w in line).replace("—", "").replace("－", "")
        if not text:
            continue
        yc = sum(w.yc for w in line) / len(line)
        if ORDINAL.match(text) or any(text.startswith(k[:5]) for k in known) or not rows:
            rows.append([text, yc])
        else:
            rows[-1][0] += text
    return [(t, y) for t, y in rows]


# ---------------------------------------------------------------- 基本支出表 (economic, two sides)


def _economic(region: Region) -> list[RawRow]:
    first = region.words
    heads = sorted([w for w in first if w.text.startswith("经济分")], key=lambda w: w.x0)
    vals = sorted([w for w in first if w.text.startswith("决算数")], key=lambda w: w.x0)
    if not heads or not vals:
        return []
    sides = [(h.x0, v.xc) for h, v in zip(heads, vals, strict=False)]
    rows = [RawRow(["经济分类科目编码", "科目名称", "决算数"], 1)]
    for page_no, words in _pages_words(region):
        for s, (x_code, x_val) in enumerate(sides):
            x_hi = sides[s + 1][0] - 5 if s + 1 < len(sides) else 1e9
            side = [w for w in words if x_code - 25 <= w.x0 < x_hi]
            anchors = sorted(
                [
                    w
                    for w in side
                    if re.fullmatch(r"\d{3}|\d{5}", w.text) and abs(w.x0 - x_code) < 25
                ],
                key=lambda w: w.top,
            )
            totals = [w for w in side if "合计" in w.text and not AMOUNT.match(w.text)]
            allanchors = anchors + totals
            ys = [a.yc for a in allanchors]
            coded = {id(a) for a in anchors}
            all_ids = {id(a) for a in allanchors}
            if not ys:
                continue
            data = [
                {
                    "code": [a.text] if id(a) in coded else [],
                    "name": [] if id(a) in coded else [a],
                    "value": "",
                }
                for a in allanchors
            ]
            first_top = min(a.top for a in allanchors)
            for w in side:
                if id(w) in all_ids or w.top < first_top - 12:  # a header repeated on the page
                    continue
                if _is_amount(w) and abs(w.xc - x_val) < 50:
                    i = _nearest(w.yc, ys, 16)
                    if i is not None:
                        data[i]["value"] = w.text
                elif re.fullmatch(r"\d{2}", w.text):
                    i = _nearest(w.yc, ys, 12)
                    if i is not None:
                        data[i]["code"].append(w.text)
                elif not AMOUNT.match(w.text) and w.x1 < x_val - 20:
                    i = _nearest(w.yc, ys, 22)
                    if i is not None:
                        data[i]["name"].append(w)
            _attach_wrapped(data)
            for d in data:
                name = "".join(w.text for w in sorted(d["name"], key=lambda w: (w.top, w.x0)))
                code = "".join(d["code"])
                if code:
                    rows.append(RawRow([code, name, d["value"]], len(rows) + 1, page=page_no))
                else:
                    rows.append(RawRow([name, d["value"]], len(rows) + 1, page=page_no))
    return rows


def _attach_wrapped(data: list[dict]) -> None:
    """A short name fragment just below a long name is the end of that name (wrapped)."""
    owner: list[tuple[Word, int]] = [(w, i) for i, d in enumerate(data) for w in d["name"]]
    owner.sort(key=lambda t: t[0].top)
    for w, i in owner:
        if len(w.text) > 3:
            continue
        above = [
            (v, k)
            for v, k in owner
            if len(v.text) >= 8 and 0 < w.top - v.top <= 18 and abs(v.x0 - w.x0) < 6
        ]
        if above:
            _v, k = above[-1]
            if k != i:
                data[i]["name"].remove(w)
                data[k]["name"].append(w)


# ---------------------------------------------------------------- 三公


SANGONG_ITEMS = ("合计", "因公出国", "小计", "公务用车购置费", "公务用车运行", "公务接待费")


def _sangong(region: Region) -> list[RawRow]:
    words = region.words
    phases = sorted([w for w in words if w.text in ("预算数", "决算数")], key=lambda w: w.x0)
    if not phases:
        return []
    phase_top = min(w.top for w in phases)
    items = [
        w
        for w in words
        if w.top < phase_top - 3 and any(w.text.startswith(i) for i in SANGONG_ITEMS)
    ]
    if not items:
        return []
    top_row, phase_row = [], []
    for p in phases:
        it = min(items, key=lambda w: abs(w.xc - p.xc))
        top_row.append(it.text)
        phase_row.append(p.text)
    data = [""] * len(phases)
    for w in words:
        if _is_amount(w) and w.top > phase_top:
            j = _nearest(w.xc, [p.xc for p in phases], 30)
            if j is not None:
                data[j] = w.text
    return [
        RawRow(["财政拨款“三公”经费"] * len(phases), 1),
        RawRow(top_row, 2),
        RawRow(phase_row, 3),
        RawRow(data, 4, page=region.page),
    ]
