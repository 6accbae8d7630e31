"""Budget against final in sentences: “完成预算X%” and the comparison words (大于/小于/等于/持平) of every item that states a budget and a final figure."""

from __future__ import annotations

from decimal import Decimal

from juesuan.check.model import dec
from juesuan.check.sentences import (
    AMOUNT,
    BUDGET,
    COMPLETION,
    FINAL,
    Narrative,
    Para,
    clauses_with_completion,
    percent_off,
)


def completion(chk: Narrative, para: Para, off: int, sent: str) -> None:
    for clause_off, clause in clauses_with_completion(sent):
        cm = COMPLETION.search(clause)
        if not cm:
            continue
        pct = dec(cm.group(1))
        w = para.where(off + clause_off + cm.start())
        budget = BUDGET.search(clause)
        final = FINAL.search(clause)
        less, more, equal = (
            "决算数小于预算数" in sent,
            "决算数大于预算数" in sent,
            "决算数等于预算数" in sent,
        )
        if less or more or equal:
            chk.sink.checked("CHK-108")
            if pct == 100 and (less or more):
                word = "小于" if less else "大于"
                chk.sink.add(
                    "CHK-108",
                    f"文中称完成预算100%，同时又称决算数{word}预算数，自相矛盾",
                    stated=pct,
                    quote=sent,
                    **w,
                )
            elif equal and pct != 100:
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
            wrong = percent_off(f, b, cm.group(1))
            if wrong is not None:
                plain, rounding = wrong
                chk.sink.add(
                    "CHK-107",
                    f"决算{f}万元、预算{b}万元，完成率应为{plain}%，文中为{cm.group(1)}%",
                    stated=pct,
                    expected=plain,
                    quote=sent,
                    rounding=rounding,
                    **w,
                )
            if (less and f >= b) or (more and f <= b) or (equal and f != b):
                chk.sink.add(
                    "CHK-105",
                    f"决算{f}万元与预算{b}万元的大小关系与文中用语不符",
                    stated=f,
                    expected=b,
                    quote=sent,
                    **w,
                )
