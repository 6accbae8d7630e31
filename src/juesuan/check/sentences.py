"""Sentences of the running text and the patterns the narrative rules read in them.

Paragraphs are rebuilt from lines (PDF text breaks sentences and numbers over lines), all
whitespace is removed, and sentences are cut at 。. :func:`clauses` cuts a sentence further, at
“；” and at “其中：”, so that each change, rate or comparison word is read with the amounts of
its own item. Every comparison is rounding-aware: a stated figure matches when it equals the
exact value rounded at its own precision (or, for shares, the largest-remainder share); a
difference that rounded inputs can explain is only a rounding note.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Protocol

from juesuan.check.model import dec, places_of, quantize
from juesuan.check.read.reader import SourceDoc, TextLine
from juesuan.check.sink import Sink

NUM = r"-?\d[\d,]*(?:\.\d+)?"
AMOUNT = re.compile(rf"({NUM})万元")
PERCENT = re.compile(rf"({NUM})%")
SHARE = re.compile(rf"({NUM})万元[，,、]?(?:占(?:比)?(?:为)?)({NUM})%")
SHARE_OF = re.compile(rf"占([^，。；%\d]{{2,20}}?)的({NUM})%")
CHANGE = re.compile(
    rf"(增加|减少|增长|下降)({NUM})万元[，、,]?(?:[^，。；]{{0,4}})?(增长|下降|增加|减少)({NUM})%"
)
COMPLETION = re.compile(rf"完成(?:年初|调整|全年)?预算(?:数)?的?({NUM})%")
BUDGET = re.compile(rf"(?:年初|调整|全年)?预算(?:数)?(?:为|是)?({NUM})万元")
FINAL = re.compile(rf"决算(?:数)?(?:为|是)?({NUM})万元")
HEADING = re.compile(
    r"^\s*(第[一二三四五六七八九十\d]+部分|[一二三四五六七八九十]+、|（[一二三四五六七八九十]+）|\d+、\s*\S{0,20}$|附表)"
)
PLACEHOLDER = re.compile(
    r"(XX|ＸＸ|××|xx)(?=[局办委单部门中心公司区县市省处科股])|××|(主要(?:用于|原因(?:是|为)?|变动原因(?:是|为)?|包括)[：:]?)(?=[。；])"
)
DOUBLE_PUNCT = re.compile(r"([。，；、：！？])\1+")
YEAR = re.compile(r"(?<![\d〔\[（(])(20\d\d)(?=年)")
HALF = Decimal("0.005")
CN_COUNT = {
    "两": 2,
    "二": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
    "十": 10,
}
LISTED = re.compile(
    r"([^，。；：:\d（）()]{2,}?)(\d+|[两二三四五六七八九十])个([^\d，。；、及和]{1,4})"
)
PAGE_NUMBER = re.compile(r"^([—\-–－]*\d{1,4}[—\-–－]*|第\d{1,4}页(共\d{1,4}页)?)$")
ITEM = re.compile(r"^(\d+[、.．](?!\d)|（\d+）)")
WHEREOF = re.compile(r"其中[：:，,]?")
COUNTED = re.compile(r"(?<![\d.])(\d+)(人|名|个|辆)(?!次)")
SAME_UNIT = {"人": "人|名", "名": "人|名", "个": "个", "辆": "辆"}


@dataclass
class Para:
    text: str
    spans: list[tuple[int, TextLine]]
    number: int

    def at(self, offset: int) -> TextLine:
        found = self.spans[0][1]
        for start, line in self.spans:
            if start > offset:
                break
            found = line
        return found

    def where(self, offset: int) -> dict:
        """The location of ``offset`` as keyword arguments of :meth:`Sink.add` (line and page;
        the paragraph number where the reader gives one, i.e. in a DOCX)."""
        line = self.at(offset)
        return {"line": line.line, "page": line.page, "paragraph": line.paragraph}


def paragraphs(doc: SourceDoc, skip_pages: set[int] | None = None) -> list[Para]:
    out: list[Para] = []
    cur_text = ""
    spans: list[tuple[int, TextLine]] = []

    def flush() -> None:
        nonlocal cur_text, spans
        if cur_text:
            out.append(Para(cur_text, spans, len(out) + 1))
        cur_text, spans = "", []

    for line in doc.lines:
        if skip_pages and line.page in skip_pages:
            continue
        text = re.sub(r"\s+", "", line.text)
        if doc.kind == "pdf" and PAGE_NUMBER.match(text):
            continue  # a page's running number (“—22—”, “- 22 -”, “第22页”) is not text
        if not text:
            if doc.kind != "pdf":
                flush()
            continue
        heading = bool(HEADING.match(line.text)) and len(text) <= 40 and "。" not in text
        if heading or (cur_text and cur_text[-1] in "。" and doc.kind in ("docx", "html")):
            flush()
        spans.append((len(cur_text), line))
        cur_text += text
        if heading:
            flush()
    flush()
    return out


def sentences(text: str) -> list[tuple[int, str]]:
    out, start = [], 0
    for m in re.finditer(r"。", text):
        out.append((start, text[start : m.end()]))
        start = m.end()
    if start < len(text):
        out.append((start, text[start:]))
    return out


class Narrative(Protocol):
    """What the narrative rules need from the checker running them."""

    sink: Sink
    year: int | None
    paras: list[Para]


def clauses(sent: str) -> list[tuple[int, str]]:
    """A sentence cut at “；” and after “其中：” (offsets within the sentence): each clause
    holds one item's amounts, change, rate and comparison words."""
    out, start = [], 0
    for m in re.finditer(r"；|;|其中[：:，,]", sent):
        if m.end() - start > 0 and sent[start : m.start()].strip():
            out.append((start, sent[start : m.end()]))
        start = m.end()
    if start < len(sent):
        out.append((start, sent[start:]))
    return out or [(0, sent)]


def count_of(text: str) -> int:
    return int(text) if text.isdigit() else CN_COUNT[text]


def around(text: str, start: int, end: int, pad: int = 30) -> str:
    return text[max(0, start - pad) : end + pad]


def clauses_with_completion(sent: str) -> list[tuple[int, str]]:
    """Split at the start of each budget phrase so that each completion rate is read with
    its own budget and final amounts."""
    out = []
    starts = (
        [0]
        + [m.start() for m in re.finditer(r"[，；：:](?=[^，；]*?(?:年初)?预算(?:数)?为)", sent)]
        + [m.end() for m in re.finditer(r"[；;]", sent)]
    )
    starts = sorted(set(starts))
    for i, s in enumerate(starts):
        e = starts[i + 1] if i + 1 < len(starts) else len(sent)
        out.append((s, sent[s:e]))
    if len(out) > 1:
        return out
    return [(0, sent)]


def percent_off(part: Decimal, whole: Decimal, stated_txt: str) -> tuple[Decimal, bool] | None:
    """None when the stated percentage is part/whole rounded at its own precision; otherwise the
    expected percentage and whether rounded inputs (±0.005 each) can explain the difference."""
    places = places_of(stated_txt)
    stated = dec(stated_txt)
    expected = quantize(part / whole * 100, places)
    if stated == expected:
        return None
    lo, hi = ratio_range(part, whole)
    unit = Decimal(1).scaleb(-places) / 2
    return expected, lo - unit <= stated <= hi + unit


def ratio_range(part: Decimal, whole: Decimal) -> tuple[Decimal, Decimal]:
    """The range of part/whole×100 when both were rounded to 0.01 before being printed."""
    lo_p, hi_p = max(part - HALF, Decimal(0)), part + HALF
    lo_w, hi_w = whole - HALF, whole + HALF
    if lo_w <= 0:
        return Decimal(0), Decimal(10**9)
    return lo_p / hi_w * 100, hi_p / lo_w * 100


def largest_remainder(parts: list[Decimal], whole: Decimal) -> list[Decimal]:
    """Shares in hundredths of a percent that sum to exactly 100.00 (remainder as one extra part)."""
    try:
        values = list(parts)
        rest = whole - sum(values, Decimal(0))
        if rest > 0:
            values.append(rest)
        exact = [v / whole * 10000 for v in values]
        floors = [int(e) for e in exact]
        short = 10000 - sum(floors)
        order = sorted(range(len(exact)), key=lambda i: exact[i] - floors[i], reverse=True)
        for i in order[: max(short, 0)]:
            floors[i] += 1
        return [Decimal(f) / 100 for f in floors[: len(parts)]]
    except (InvalidOperation, ZeroDivisionError):
        return [Decimal(-1)] * len(parts)
