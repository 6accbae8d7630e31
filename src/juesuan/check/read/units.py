"""The unit a table is printed in, and its amounts in 万元.

The text of a disclosure states amounts in 万元, and so do most tables; some departments'
tables are printed in 元 (or 千元, 亿元), declared by a line under the title (“单位：元”,
“金额单位：元”) or by a cell in the table's first rows. Read as 万元, every figure of such a
table would differ from the text by a factor of 10,000: the amounts are converted before any
rule sees them, rounded half up to two decimals — the table a 万元 export of the same data
would print, against which the text (which rounds its 万元 figures the same way) is compared
with the rules' usual rounding tolerances. (Kept exact, 253.8737 万元 would be “not the same
figure” as the text's correct 253.87.) A difference within a 元 table smaller than the
rounding of its items is therefore a rounding hint, as in a 万元 table.

Only amounts are converted: cells with a decimal point or thousands separators. Codes
(208, 2080501) and counts (车辆数, 人次) are integers without separators and stay as printed.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import replace
from decimal import ROUND_HALF_UP, Decimal

from juesuan.check.read.source import RawTable, SourceDoc, TextLine

# “单位：元”, “金额单位：万元”, “（单位：元）”; not “编制单位：某某局” nor “填报单位：…”
UNIT = re.compile(r"(?<!编制)(?<!填报)(?<!公开)(?:金额)?单位\s*[:：]\s*(亿元|万元|千元|元)")
FACTOR = {
    "元": Decimal("0.0001"),
    "千元": Decimal("0.1"),
    "万元": Decimal(1),
    "亿元": Decimal(10000),
}
AMOUNT = re.compile(r"^-?(?:\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+\.\d+)$")
CENT = Decimal("0.01")
LOOK = 4  # lines between a table's title and its first row where its unit may be declared


def unit_of(text: str) -> str | None:
    m = UNIT.search("".join(text.split()))
    return m.group(1) if m else None


def _flat(text: str) -> str:
    return "".join(text.split())


def _declared(lines: list[TextLine]) -> str | None:
    for ln in lines:
        unit = unit_of(ln.text)
        if unit is not None:
            return unit
    return None


class LineIndex:
    """A document's lines by page (PDF) and by position (the others), built once for all its
    tables, so that finding each table's unit line costs no pass over the whole document."""

    def __init__(self, doc: SourceDoc):
        self.by_page: dict[int, list[TextLine]] = {}
        self.flowing: list[TextLine] = []
        for ln in doc.lines:
            if ln.page is not None:
                self.by_page.setdefault(ln.page, []).append(ln)
            elif ln.text.strip():
                self.flowing.append(ln)
        self.keys = [ln.paragraph or ln.line for ln in self.flowing]
        self.ordered = all(a <= b for a, b in zip(self.keys, self.keys[1:], strict=False))


def table_unit(doc: SourceDoc, table: RawTable, index: LineIndex | None = None) -> str | None:
    """The unit ``table`` declares (元, 千元, 万元 or 亿元), or None when it declares none."""
    if table.unit:
        return unit_of(table.unit)
    for row in table.rows[:3]:
        for cell in row.cells:
            unit = unit_of(cell)
            if unit is not None:
                return unit
    index = index or LineIndex(doc)
    title = _flat(table.title)
    if table.page is not None:  # a PDF table: the lines under its title on its page
        lines = index.by_page.get(table.page, [])
        at = next((i for i, ln in enumerate(lines) if title and _flat(ln.text) == title), None)
        return None if at is None else _declared(lines[at : at + LOOK])
    if table.line is None or not index.ordered:
        return None
    end = bisect_right(index.keys, table.line)
    before = index.flowing[max(0, end - LOOK) : end]
    at = next((i for i in range(len(before) - 1, -1, -1) if _flat(before[i].text) == title), 0)
    return _declared(before[at:])


def _scaled(cell: str, factor: Decimal) -> str:
    t = "".join(cell.split())
    if not AMOUNT.match(t):
        return cell
    wan = (Decimal(t.replace(",", "")) * factor).quantize(CENT, ROUND_HALF_UP)
    return format(wan, "f")


def in_wan(
    doc: SourceDoc, table: RawTable, index: LineIndex | None = None
) -> tuple[RawTable, str | None]:
    """``table`` with its amounts in 万元 (a copy when it was printed in another unit), and
    the unit it was printed in when that was not 万元. ``index``: the document's
    :class:`LineIndex`, when several tables are converted."""
    unit = table_unit(doc, table, index)
    if unit is None or unit == "万元":
        return table, None
    factor = FACTOR[unit]
    rows = [
        replace(row, cells=[_scaled(c, factor) for c in row.cells], printed=row.cells)
        for row in table.rows
    ]
    return replace(table, rows=rows), unit
