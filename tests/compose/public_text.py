"""What public text never contains: placeholders, internal notes, dangling punctuation, a
sentence promising a list that does not follow, a heading with nothing under it, a gap in the
heading numbering."""

from __future__ import annotations

import re

from juesuan.document.markdown import paragraph_text
from juesuan.document.model import Document, Heading, Paragraph, Table
from juesuan.document.numbers import NumberStyle

PLACEHOLDERS = re.compile(
    r"未填报|未填写|待补充|占位|TODO|XX|××|None|null|nan\b|\{\{|\}\}|\[\[|\]\]"
    r"|[，、；：]。|，，|；；|：，|，；"
)
_CN = "一二三四五六七八九十"
_NUMBERED = {
    2: re.compile(r"^([一二三四五六七八九十]+)、"),
    3: re.compile(r"^（([一二三四五六七八九十]+)）"),
}


def _n(text: str) -> int:
    if text == "十":
        return 10
    if text.startswith("十"):
        return 10 + _CN.index(text[1]) + 1
    if "十" in text:
        tens, _, ones = text.partition("十")
        return (_CN.index(tens) + 1) * 10 + (_CN.index(ones) + 1 if ones else 0)
    return _CN.index(text) + 1


def problems(doc: Document, style: NumberStyle) -> list[str]:
    """Every place where ``doc``'s narrative would print something a reader must not see."""
    found: list[str] = []
    blocks = list(doc.blocks)
    counters: dict[int, int] = {}
    for i, block in enumerate(blocks):
        following = blocks[i + 1] if i + 1 < len(blocks) else None
        if isinstance(block, Heading):
            if following is None or (
                isinstance(following, Heading) and following.level <= block.level
            ):
                found.append(f"empty section: {block.text}")
            for deeper in [lv for lv in counters if lv > block.level]:
                del counters[deeper]
            form = _NUMBERED.get(block.level)
            m = form.match(block.text) if form else None
            if m:
                want = counters.get(block.level, 0) + 1
                if _n(m.group(1)) != want:
                    found.append(f"numbering gap: {block.text} (expected {want})")
                counters[block.level] = _n(m.group(1))
            if m := PLACEHOLDERS.search(block.text):
                found.append(f"placeholder {m.group(0)!r} in heading: {block.text}")
        elif isinstance(block, Paragraph):
            text = paragraph_text(block, style)
            if m := PLACEHOLDERS.search(text):
                found.append(f"placeholder {m.group(0)!r}: {text}")
            after = next(
                (b for b in blocks[i + 1 :] if isinstance(b, Heading | Paragraph | Table)), None
            )
            if text.endswith("：") and not isinstance(after, Paragraph | Table):
                found.append(f"a list is promised but none follows: {text}")
            if not text.strip():
                found.append("empty paragraph")
    return found
