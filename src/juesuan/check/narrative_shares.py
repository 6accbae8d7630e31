"""Shares in sentences: “X万元，占Y%” against its whole, and the shares of one whole summing to 100%."""

from __future__ import annotations

import re
from decimal import Decimal

from juesuan.check.model import dec, places_of, quantize
from juesuan.check.percentages import largest_remainder, percent_finding
from juesuan.check.text import (
    AMOUNT,
    NUM,
    SHARE,
    SHARE_OF,
    Narrative,
    Para,
)
from juesuan.core.money import HALF_CENT


def shares(chk: Narrative, para: Para, off: int, sent: str) -> None:
    for m in SHARE_OF.finditer(sent):
        share_of_named(chk, para, off, sent, m)
    parts = list(SHARE.finditer(sent))
    if not parts:
        return
    first = parts[0].start()
    wholes = [m for m in AMOUNT.finditer(sent[:first])]
    amounts = [dec(m.group(1)) for m in parts]
    if wholes:
        whole = dec(wholes[-1].group(1))
    else:
        # no whole stated: the parts are the whole only when their shares say so
        shares = sum((dec(m.group(2)) for m in parts), Decimal(0))
        if len(parts) < 2 or abs(shares - 100) > Decimal("0.01") * len(parts):
            chk.sink.cannot("CHK-101", "有的占比所属的整体数不在同一句中")
            return
        whole = sum(amounts, Decimal(0))
    if whole == 0:
        for m in parts:
            if dec(m.group(2)) != 0:
                w = para.where(off + m.start())
                chk.sink.add(
                    "CHK-104",
                    f"整体为0，占比不应为{m.group(2)}%",
                    stated=dec(m.group(2)),
                    expected=Decimal(0),
                    quote=sent,
                    **w,
                )
        return
    lr = largest_remainder(amounts, whole)
    covers = abs(sum(amounts, Decimal(0)) - whole) <= HALF_CENT * len(amounts)
    for i, m in enumerate(parts):
        chk.sink.checked("CHK-101")
        stated_txt = m.group(2)
        p = places_of(stated_txt)
        plain = quantize(amounts[i] / whole * 100, p)
        alt = f"（按最大余额法为{lr[i]}%）" if p == 2 and lr[i] != plain and lr[i] >= 0 else ""
        percent_finding(
            chk.sink,
            "CHK-101",
            amounts[i],
            whole,
            stated_txt,
            f"{m.group(1)}万元占{whole}万元的比例应为",
            f"{alt}，文中为{m.group(2)}%",
            quote=sent,
            where=para.where(off + m.start()),
            also_right=lr[i] if p == 2 else None,
        )
    if len(parts) >= 2 and covers:
        chk.sink.checked("CHK-102")
        total = sum((dec(m.group(2)) for m in parts), Decimal(0))
        if total != 100:
            w = para.where(off + parts[0].start())
            near = abs(total - 100) <= Decimal("0.01") * len(parts)
            chk.sink.add(
                "CHK-102",
                f"各项之和等于整体，但所列占比之和为{total}%，不是100%",
                stated=total,
                expected=Decimal(100),
                quote=sent,
                rounding=near,
                **w,
            )


def share_of_named(chk: Narrative, para: Para, off: int, sent: str, m: re.Match) -> None:
    """“X万元，占本年支出合计的Y%”: the whole is named, its amount stated elsewhere in the
    document (“本年支出合计Z万元”); checked when the document states it once."""
    name, stated_txt = m.group(1), m.group(2)
    amounts = list(AMOUNT.finditer(sent[: m.start()]))
    if not amounts:
        return
    part = dec(amounts[-1].group(1))
    stated = dec(stated_txt)
    wholes = {
        dec(w.group(1))
        for p in chk.paras
        for w in re.finditer(rf"{re.escape(name)}(?:为|是|共计)?({NUM})万元", p.text)
    }
    w = para.where(off + m.start())
    if part == 0 or len(wholes) != 1:
        if part == 0:
            chk.sink.checked("CHK-101")
            if stated != 0:
                chk.sink.add(
                    "CHK-101",
                    f"金额为0，占比应为0%，文中为{stated_txt}%",
                    stated=stated,
                    expected=Decimal(0),
                    quote=sent,
                    **w,
                )
        else:
            chk.sink.cannot("CHK-101", f"文中没有唯一列明“{name}”的金额，未核对其占比")
        return
    (whole,) = wholes
    chk.sink.checked("CHK-101")
    if whole == 0:
        chk.sink.checked("CHK-104")
        chk.sink.add(
            "CHK-104",
            f"{name}为0万元，{part}万元不能占其{stated_txt}%",
            stated=stated,
            expected=None,
            quote=sent,
            **w,
        )
        return
    percent_finding(
        chk.sink,
        "CHK-101",
        part,
        whole,
        stated_txt,
        f"{part}万元占{name}{whole}万元的比例应为",
        f"，文中为{stated_txt}%",
        quote=sent,
        where=w,
    )
