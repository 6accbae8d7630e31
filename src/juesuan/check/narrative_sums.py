"""Listed items against their total (“合计X万元，其中：甲Y万元、乙Z万元”) and counts (“甲、乙2个”, “共N人，其中…”)."""

from __future__ import annotations

import re
from decimal import Decimal

from juesuan.check.model import dec
from juesuan.check.text import (
    AMOUNT,
    COUNTED,
    NUM,
    SAME_UNIT,
    WHEREOF,
    Narrative,
    Para,
    count_of,
    listed_counts,
)
from juesuan.core.money import HALF_CENT


def sums(chk: Narrative, para: Para, off: int, sent: str, prev: list[Decimal]) -> None:
    idx = sent.find("其中")
    if idx < 0:
        return
    before = [m for m in AMOUNT.finditer(sent[:idx])]
    total_sign = 1
    if before:
        total_txt = before[-1].group(1)
        total_sign = _sign(sent[: before[-1].start()])
    elif len(prev) == 1:  # “…购置支出0万元。全年购置公务用车0辆，其中：…金额0万元”
        total_txt = str(prev[0])
    else:
        return
    region = sent[idx:]
    parts: list[str] = []
    signs: list[int] = []
    for seg in re.split(r"[；、;]", region):
        seg = re.sub(rf"占[^，；]*?{NUM}%", "", seg)
        found = list(AMOUNT.finditer(seg))
        if len(found) > 1:
            return
        parts += [f.group(1) for f in found]
        signs += [_sign(seg[: f.start()]) for f in found]
    total = dec(total_txt)
    if total_sign < 0 or any(x < 0 for x in signs):
        # changes: “减少10万元，其中：甲增加5万元，乙减少15万元” sums with their signs
        _signed(chk, para, off + idx, sent, total_txt, total_sign, parts, signs)
        return
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
    rounding = abs(computed - total) <= HALF_CENT * len(parts)
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
    for m in listed_counts(sent):
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


DOWN = re.compile(r"(减少|下降|降低)[了]?$")


def _sign(before: str) -> int:
    """-1 when the amount is a decrease (“减少X万元”), else 1."""
    return -1 if DOWN.search(before) else 1


def _signed(chk, para, at, sent, total_txt, total_sign, parts, signs) -> None:
    if len(parts) < 2:
        return
    total = dec(total_txt) * total_sign
    computed = sum((dec(p) * s for p, s in zip(parts, signs, strict=True)), Decimal(0))
    chk.sink.checked("CHK-106")
    if computed == total:
        return
    listed = " ".join(("-" if s < 0 else "+") + p for p, s in zip(parts, signs, strict=True))
    chk.sink.add(
        "CHK-106",
        f"合计变动{total}万元，而所列各项变动 {listed.lstrip('+')} = {computed}万元",
        stated=total,
        expected=computed,
        quote=sent,
        rounding=abs(computed - total) <= HALF_CENT * len(parts),
        **para.where(at),
    )
