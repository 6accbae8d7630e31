"""outline: the narrative's headings as a reader sees them — no empty section, no gap in the
numbering.

A profile's template prints some headings only when the data has content for them (（一）机构组成
only with 内设机构) and some sections can be empty in a draft (一、部门职责 without duties).
Public text never shows a heading with nothing under it, nor （二） without （一）: empty
sections are dropped and the remaining headings renumbered in order, at each level.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from juesuan.document.model import Block, Heading

_CN = "零一二三四五六七八九十"
# Numbering forms by heading level: 第一部分 (parts), 一、 (sections), （一） (subsections).
_FORMS = {
    1: re.compile(r"^第([一二三四五六七八九十]+)部分"),
    2: re.compile(r"^([一二三四五六七八九十]+)、"),
    3: re.compile(r"^（([一二三四五六七八九十]+)）"),
}


def _cn(n: int) -> str:
    if n <= 10:
        return _CN[n]
    tens, ones = divmod(n, 10)
    return ("" if tens == 1 else _CN[tens]) + "十" + ("" if ones == 0 else _CN[ones])


def drop_empty_sections(blocks: Sequence[Block]) -> list[Block]:
    """Leave out every heading that has no content before the next heading of the same or a
    higher level (a section whose subsections are all empty is empty too)."""
    kept: list[Block] = []  # reversed
    for block in reversed(blocks):
        if isinstance(block, Heading):
            following = kept[-1] if kept else None
            if following is None or (
                isinstance(following, Heading) and following.level <= block.level
            ):
                continue
        kept.append(block)
    kept.reverse()
    return kept


def renumber(blocks: Sequence[Block]) -> list[Block]:
    """Number the headings of each level 1, 2, 3, … within their parent, in the form they
    already have (a heading without a numbering form keeps its text and does not count)."""
    counters: dict[int, int] = {}
    out: list[Block] = []
    for block in blocks:
        if not isinstance(block, Heading):
            out.append(block)
            continue
        for deeper in [lv for lv in counters if lv > block.level]:
            del counters[deeper]
        form = _FORMS.get(block.level)
        m = form.match(block.text) if form else None
        if m is None:
            out.append(block)
            continue
        counters[block.level] = n = counters.get(block.level, 0) + 1
        text = block.text[: m.start(1)] + _cn(n) + block.text[m.end(1) :]
        out.append(block if text == block.text else Heading(block.level, text))
    return out


def tidy(blocks: Sequence[Block]) -> list[Block]:
    return renumber(drop_empty_sections(blocks))
