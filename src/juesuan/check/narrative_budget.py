"""Budget against final in sentences: “完成预算X%” and the comparison words (大于/小于/等于/持平) of every item that states a budget and a final figure."""

from __future__ import annotations

import re
from decimal import Decimal

from juesuan.check.model import dec
from juesuan.check.percentages import percent_finding, percent_off
from juesuan.check.text import (
    AMOUNT,
    BUDGET,
    COMPLETION,
    FINAL,
    NUM,
    Narrative,
    Para,
    clauses_with_completion,
)

# the comparison of a final figure with its budget, in either order
COMPARE = re.compile(
    r"决算数?(大于|小于|等于|高于|低于|超过)(?:年初|调整|全年)?预算数?"
    r"|与(?:年初|调整|全年)?预算数?(持平|相等|一致)"
    r"|(?:年初|调整|全年)?预算数?(大于|小于|等于|高于|低于)决算数?"
)
WORD = {
    "大于": ">",
    "高于": ">",
    "超过": ">",
    "小于": "<",
    "低于": "<",
    "等于": "=",
    "持平": "=",
    "相等": "=",
    "一致": "=",
}


def _relation(m: re.Match) -> str:
    """The relation final ? budget a comparison phrase states ('>', '<' or '=')."""
    if m.group(3):  # budget first: “预算数大于决算数” is final < budget
        return {">": "<", "<": ">", "=": "="}[WORD[m.group(3)]]
    return WORD[m.group(1) or m.group(2)]


def completion(chk: Narrative, para: Para, off: int, sent: str) -> None:
    """Each item (a clause that opens with its budget) is read with its own budget, final,
    completion rate and comparison word: the rate against final/budget (CHK-107), the word
    against the two figures whether or not a rate is stated (CHK-105), and the rate against
    the word (CHK-108)."""
    for clause_off, clause in clauses_with_completion(sent):
        cm = COMPLETION.search(clause)
        budget = BUDGET.search(clause)
        final = FINAL.search(clause)
        cmp_m = COMPARE.search(clause)
        relation = _relation(cmp_m) if cmp_m else None
        if budget and final and cmp_m:
            _comparison(chk, para, off + clause_off, clause, budget, final, cmp_m, relation)
        if not cm:
            continue
        pct = dec(cm.group(1))
        w = para.where(off + clause_off + cm.start())
        if relation is not None:
            chk.sink.checked("CHK-108")
            if pct == 100 and relation in "<>":
                word = "小于" if relation == "<" else "大于"
                chk.sink.add(
                    "CHK-108",
                    f"文中称完成预算100%，同时又称决算数{word}预算数，自相矛盾",
                    stated=pct,
                    quote=sent,
                    **w,
                )
            elif relation == "=" and pct != 100:
                chk.sink.add(
                    "CHK-108",
                    f"文中称决算数等于预算数，完成率却为{cm.group(1)}%",
                    stated=pct,
                    expected=Decimal(100),
                    quote=sent,
                    **w,
                )
        spent = list(AMOUNT.finditer(clause[: cm.start()]))
        if not budget and spent and dec(spent[-1].group(1)) == 0 and pct != 0:
            # “支出0万元，完成预算100%”: 0 is 0% of any budget, and no rate of a 0 budget
            chk.sink.checked("CHK-107")
            chk.sink.add(
                "CHK-107",
                f"支出为0万元，完成预算不应为{cm.group(1)}%（预算数为0时不计算完成率，否则应为0%）",
                stated=pct,
                expected=Decimal(0),
                quote=sent,
                **w,
            )
            continue
        named = _named_budget(sent, clause_off + cm.start(), cm.group(0))
        if named is not None and final:
            # “完成年初预算的X%”: X is read against the 年初 budget the sentence states, even
            # when another budget (调整/全年) stands between them
            b_named, kind, other = named
            f = dec(final.group(1))
            chk.sink.checked("CHK-107")
            if b_named == 0:
                if pct != 0:
                    chk.sink.checked("CHK-104")
                    chk.sink.add(
                        "CHK-104",
                        f"{kind}预算为0，不应计算完成{kind}预算的比例（文中为{cm.group(1)}%）",
                        stated=pct,
                        quote=sent,
                        **w,
                    )
                continue
            other_ok = other and other[1] and percent_off(f, other[1], cm.group(1)) is None
            against = f"（文中数按{other[0]}预算{other[1]}万元计算）" if other_ok else ""
            percent_finding(
                chk.sink,
                "CHK-107",
                f,
                b_named,
                cm.group(1),
                f"决算{f}万元、{kind}预算{b_named}万元，完成{kind}预算应为",
                f"，文中为{cm.group(1)}%{against}",
                quote=sent,
                where=w,
                rounding_ok=not against,
            )
            continue
        if budget and final and budget.start() < cm.start():
            b, f = dec(budget.group(1)), dec(final.group(1))
            chk.sink.checked("CHK-107")
            if b == 0:
                if pct != 0:
                    chk.sink.checked("CHK-104")
                    chk.sink.add(
                        "CHK-104", "预算数为0，不应计算完成率", stated=pct, quote=sent, **w
                    )
                continue
            percent_finding(
                chk.sink,
                "CHK-107",
                f,
                b,
                cm.group(1),
                f"决算{f}万元、预算{b}万元，完成率应为",
                f"，文中为{cm.group(1)}%",
                quote=sent,
                where=w,
            )


NAMED = re.compile(rf"(年初|调整|全年)预算(?:数)?(?:为|是)?({NUM})万元")
KIND = re.compile(r"完成(年初|调整|全年)预算")


def _named_budget(
    sent: str, at: int, phrase: str
) -> tuple[Decimal, str, tuple[str, Decimal] | None] | None:
    """For “完成年初预算的X%” (or 调整/全年) at ``at``: the amount of that budget stated once
    before it in the sentence, its kind, and the other kind of budget stated (kind, amount)."""
    k = KIND.search(phrase)
    if k is None:
        return None
    kind = k.group(1)
    same = {"年初": ("年初",), "调整": ("调整", "全年"), "全年": ("调整", "全年")}[kind]
    mine = [m for m in NAMED.finditer(sent[:at]) if m.group(1) in same]
    others = [m for m in NAMED.finditer(sent[:at]) if m.group(1) not in same]
    if len(mine) != 1:
        return None
    other = (others[-1].group(1), dec(others[-1].group(2))) if others else None
    return dec(mine[0].group(2)), kind, other


def _comparison(chk, para, at, clause, budget, final, cmp_m, relation) -> None:
    b, f = dec(budget.group(1)), dec(final.group(1))
    chk.sink.checked("CHK-105")
    actual = ">" if f > b else "<" if f < b else "="
    if actual == relation:
        return
    chk.sink.add(
        "CHK-105",
        f"决算{f}万元与预算{b}万元的大小关系与文中“{cmp_m.group(0)}”不符",
        stated=f,
        expected=b,
        quote=clause,
        **para.where(at + cmp_m.start()),
    )
