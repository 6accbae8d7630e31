"""Listed items against their total (“合计X万元，其中：甲Y万元、乙Z万元”) and counts (“甲、乙2个”, “共N人，其中…”)."""

from __future__ import annotations

import re
from decimal import Decimal

from juesuan.check.model import dec
from juesuan.check.sentences import (
    AMOUNT,
    COUNTED,
    HALF,
    LISTED,
    NUM,
    SAME_UNIT,
    WHEREOF,
    Narrative,
    Para,
    count_of,
)


def sums(chk: Narrative, para: Para, off: int, sent: str, prev: list[Decimal]) -> None:
    idx = sent.find("其中")
    if idx < 0:
        return
    before = [m for m in AMOUNT.finditer(sent[:idx])]
    if before:
        total_txt = before[-1].group(1)
    elif len(prev) == 1:  # “…购置支出0万元。全年购置公务用车0辆，其中：…金额0万元”
        total_txt = str(prev[0])
    else:
        return
    region = sent[idx:]
    parts: list[str] = []
    for seg in re.split(r"[；、;]", region):
        seg = re.sub(rf"占[^，；]*?{NUM}%", "", seg)
        found = AMOUNT.findall(seg)
        if len(found) > 1:
            return
        parts += found
    total = dec(total_txt)
    if len(parts) == 1 and dec(parts[0]) > total:
        chk.sink.checked("CHK-106")
        w = para.where(off + idx)
        chk.sink.add(
            "CHK-106",
            f"合计{total_txt}万元，而其中一项为{parts[0]}万元，大于合计",
            stated=total,
            expected=dec(parts[0]),
            quote=sent,
            **w,
        )
        return
    if len(parts) < 2:
        return
    values = [dec(p) for p in parts]
    computed = sum(values, Decimal(0))
    chk.sink.checked("CHK-106")
    if computed == total:
        return
    w = para.where(off + idx)
    listed = " + ".join(parts)
    rounding = abs(computed - total) <= HALF * len(parts)
    hint = "（差额可能来自各项分别四舍五入）" if rounding else ""
    chk.sink.add(
        "CHK-106",
        f"合计{total_txt}万元，而所列各项 {listed} = {computed}万元{hint}",
        stated=total,
        expected=computed,
        quote=sent,
        **w,
    )


def counts(chk: Narrative, para: Para, off: int, sent: str) -> None:
    for m in LISTED.finditer(sent):
        if "等" in m.group(1) or m.group(2) in ("一", "1"):
            continue
        items = [i for i in m.group(1).split("、") if i]
        if len(items) < 2:
            continue
        said = count_of(m.group(2))
        chk.sink.checked("CHK-113")
        if said != len(items):
            w = para.where(off + m.start())
            chk.sink.add(
                "CHK-113",
                f"列举了{len(items)}个{m.group(3)}（{'、'.join(items)}），文中称{m.group(2)}个",
                stated=Decimal(said),
                expected=Decimal(len(items)),
                quote=sent,
                **w,
            )
    for m in WHEREOF.finditer(sent):
        # the total: the nearest count before 其中 (“共有编制14人，其中：…”, “自评的项目4个，
        # 涉及…（其中，…”); the parts: the counts of the same unit up to “）” or the end
        totals = list(COUNTED.finditer(sent[max(0, m.start() - 40) : m.start()]))
        if not totals:
            continue
        total_m = totals[-1]
        word = total_m.group(2)
        rest = re.split(r"[。）)]", sent[m.end() :], maxsplit=1)[0]
        unit = SAME_UNIT[word]
        parts = [int(n) for n in re.findall(rf"(?<![\d.])(\d+)(?:{unit})(?!次)", rest)]
        if len(parts) < 2:
            continue
        total = int(total_m.group(1))
        chk.sink.checked("CHK-113")
        if sum(parts) != total:
            w = para.where(off + m.start())
            listed = " + ".join(str(n) for n in parts)
            chk.sink.add(
                "CHK-113",
                f"共{total}{word}，而其中所列 {listed} = {sum(parts)}{word}",
                stated=Decimal(total),
                expected=Decimal(sum(parts)),
                quote=sent,
                **w,
            )
