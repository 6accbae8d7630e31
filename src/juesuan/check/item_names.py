"""款 and 项 names in the text against the name of the same row in the tables (CHK-112).

The narrative explains the larger 项 one by one: “5、社会保障和就业支出（类）行政事业单位养老支出
（款）行政单位离退休（项）。……支出决算为84.65万元”. The row is the one whose final amount
is the amount stated (unique in the table's 项 rows), or else the one whose name the text
prints; the text's 项 name must be that row's name, its 款 name the name of the row's 款 —
not another 款's, and not its 类's name (“社会保障和就业支出（款）”).
"""

from __future__ import annotations

import re
from decimal import Decimal

from juesuan.check.model import dec
from juesuan.check.read.kinds import strip_ordinal
from juesuan.check.sink import Sink
from juesuan.check.text import FINAL, Para

TRIPLE = re.compile(
    r"([\u4e00-\u9fff、“”]{2,24}?)（类）([^（）。；，：:]{1,30}?)（款）([^（）。；，：:]{1,40}?)（项）"
)
NEXT_ITEM = re.compile(r"\d+[、.．][^（）。；]{0,30}（类）")
FIGURES = ("general_budget.total", "appropriation.total", "expenditure.total")


def _finals(stated) -> dict[Decimal, set[str]]:
    """Final amount → the 7-digit codes printing it, from the first figure kind present."""
    for kind in FIGURES:
        out: dict[Decimal, set[str]] = {}
        for fig, value, _ in stated:
            m = re.fullmatch(rf"func\.(\d{{7}})\.{re.escape(kind)}", fig)
            if m:
                out.setdefault(value, set()).add(m.group(1))
        if out:
            return out
    return {}


def check_item_names(
    sink: Sink, paras: list[Para], names: dict[str, str], stated
) -> set[tuple[int, int]]:
    """Report each 款/项 name that differs from its row's; returns the (paragraph, offset) of
    the （款）/（项） marks read here (the shortened-name check leaves them alone)."""
    table = {code: strip_ordinal(re.sub(r"\s+", "", n)) for code, n in names.items()}
    items = {code: n for code, n in table.items() if len(code) == 7}
    if not items:
        return set()
    finals = _finals(stated)
    by_name: dict[str, list[str]] = {}
    for code, n in items.items():
        by_name.setdefault(n, []).append(code)
    read: set[tuple[int, int]] = set()
    for para in paras:
        for m in TRIPLE.finditer(para.text):
            code = _row(para.text, m, finals, by_name)
            if code is None:
                continue
            sink.checked("CHK-112")
            read.add((para.number, m.start(2)))
            read.add((para.number, m.start(3)))
            klass = strip_ordinal(m.group(1))
            said_kuan, said_xiang = m.group(2), m.group(3)
            kuan = table.get(code[:5])
            where = f"（{code}，{klass}）"
            quote = para.text[max(0, m.start() - 10) : m.end() + 30]
            if kuan and said_kuan != kuan:
                why = (
                    f"这是其类级科目“{table.get(code[:3])}”的名称"
                    if said_kuan == table.get(code[:3])
                    else "与表中同一行的款级科目名称不一致"
                )
                sink.add(
                    "CHK-112",
                    f"文中款级科目写作“{said_kuan}（款）”，{why}；表中{where}为“{kuan}”",
                    quote=quote,
                    **para.where(m.start(2)),
                )
            if said_xiang != items[code]:
                sink.add(
                    "CHK-112",
                    f"文中项级科目写作“{said_xiang}（项）”，表中同一行{where}为“{items[code]}”",
                    quote=quote,
                    **para.where(m.start(3)),
                )
    return read


def _row(text: str, m: re.Match, finals, by_name) -> str | None:
    """The 7-digit code of the row a 类/款/项 heading explains: by the final amount stated
    after it (before the next such heading), else by the 项 name when only one row has it."""
    nxt = NEXT_ITEM.search(text, m.end())
    span = text[m.end() : nxt.start() if nxt else m.end() + 400]
    final = FINAL.search(span)
    if final:
        codes = finals.get(dec(final.group(1)), set())
        if len(codes) == 1:
            return next(iter(codes))
    named = by_name.get(m.group(3), [])
    return named[0] if len(named) == 1 else None
