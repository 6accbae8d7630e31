"""Changes in sentences: “增加X万元，增长Y%” against the current and prior figures, and the direction words (增加/减少/持平) against the signs of the amounts of their own clause."""

from __future__ import annotations

import re
from decimal import Decimal

from juesuan.check.model import dec
from juesuan.check.percentages import percent_finding
from juesuan.check.text import (
    AMOUNT,
    CHANGE,
    NUM,
    Narrative,
    Para,
    clauses,
)


def rates(chk: Narrative, para: Para, off: int, sent: str, prev_sentence: str) -> None:
    for m in CHANGE.finditer(sent):
        word, ctext, rword, rtext = m.groups()
        change, rate = dec(ctext), dec(rtext)
        w = para.where(off + m.start())
        chk.sink.checked("CHK-105")
        up_words, down_words = ("增加", "增长"), ("减少", "下降")
        if (word in up_words and rword in down_words) or (word in down_words and rword in up_words):
            chk.sink.add("CHK-105", f"同一句中“{word}”与“{rword}”方向相反", quote=sent, **w)
            continue
        if change < 0 or rate < 0:
            chk.sink.add("CHK-105", f"“{word}”后接负数，应改用相反方向的用语", quote=sent, **w)
            continue
        if change == 0:
            chk.sink.add("CHK-105", f"增减额为0，应表述为“持平”而非“{word}”", quote=sent, **w)
            continue
        current = _current(sent, m.start())
        if current is None:  # “…支出0.46万元。…比上年减少0.53万元”: the previous sentence's
            current = _current(prev_sentence, len(prev_sentence)) if prev_sentence else None
        if current is None:
            chk.sink.cannot("CHK-103", "增减额所属的本年数不在同一句或前一句中")
            continue
        prior = current - change if word in up_words else current + change
        chk.sink.checked("CHK-103")
        if prior == 0:
            chk.sink.checked("CHK-104")
            chk.sink.add(
                "CHK-104",
                f"上年数为0，不应计算增长率（文中为{rtext}%）",
                stated=rate,
                quote=sent,
                **w,
            )
            continue
        percent_finding(
            chk.sink,
            "CHK-103",
            change,
            prior,
            rtext,
            f"本年{current}万元、上年{prior}万元，变动{change}万元，变动率应为",
            f"，文中为{rtext}%",
            quote=sent,
            where=w,
        )


def wording(chk: Narrative, para: Para, off: int, sent: str) -> None:
    for m in re.finditer(rf"(增加|减少)({NUM})万元", sent):
        if dec(m.group(2)) < 0:
            chk.sink.checked("CHK-105")
            w = para.where(off + m.start())
            chk.sink.add("CHK-105", f"“{m.group(1)}”后接负数{m.group(2)}万元", quote=sent, **w)
    for c_off, clause in clauses(sent):
        if "持平" not in clause or "基本持平" in clause:
            continue
        for m in re.finditer(rf"(?:增加|减少|增长|下降)({NUM})万元", clause):
            chk.sink.checked("CHK-105")
            if dec(m.group(1)) != 0:
                w = para.where(off + c_off + m.start())
                chk.sink.add(
                    "CHK-105",
                    "同一分句既称“持平”又列出非零的增减额",
                    stated=dec(m.group(1)),
                    expected=Decimal(0),
                    quote=sent,
                    **w,
                )


CHANGED = re.compile(r"(增加|减少|增长|下降|增减|变动|相比|较上年)[了]?$")


def _clause_before(sent: str, at: int) -> str:
    """The text of the change's own clause before it (from the last “；” or “其中：”)."""
    start = 0
    for c_off, _ in clauses(sent):
        if c_off <= at:
            start = c_off
    return sent[start:at]


def _current(sent: str, at: int) -> Decimal | None:
    """The current-year amount a change at ``at`` belongs to: the last amount of the change's
    own clause that is not itself a change (“减少0.42万元” of another item is not it)."""
    clause = _clause_before(sent, at)
    for a in reversed(list(AMOUNT.finditer(clause))):
        if not CHANGED.search(clause[: a.start()]):
            return dec(a.group(1))
    return None
