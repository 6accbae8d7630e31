"""The running text of a document: paragraphs rebuilt from lines, sentences, and the
patterns of the figures stated in them (shared by every check of the narrative)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Protocol

from juesuan.check.read.source import SourceDoc, TextLine
from juesuan.check.sink import Sink

# starts only where a number starts (never inside a run of digits): linear on long digit runs
NUM = r"(?<![\d,])-?\d[\d,]*(?:\.\d+)?"
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
# LISTED tried only where its first group can begin (see listed_counts): keeps finditer linear
_LISTED_START = re.compile(
    r"(?<![^，。；：:\d（）()])([^，。；：:\d（）()]{2,}?)(\d+|[两二三四五六七八九十])个([^\d，。；、及和]{1,4})"
)


def listed_counts(text: str) -> Iterator[re.Match[str]]:
    """``LISTED.finditer(text)`` in linear time. A start inside a run of prefix characters
    can only match if the run's first character (or the resume point) matches, so only
    those are tried: the resume point with ``match``, run starts with ``search``."""
    pos = 0
    while pos < len(text):
        m = LISTED.match(text, pos) or _LISTED_START.search(text, pos)
        if m is None:
            return
        yield m
        pos = m.end()


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


def paragraphs(
    doc: SourceDoc,
    skip_pages: set[int] | None = None,
    skip_lines: set[tuple[int | None, int]] | None = None,
) -> list[Para]:
    """The running text as paragraphs; ``skip_pages`` (whole pages) and ``skip_lines``
    ((page, line) of a table's body) are left out."""
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
        if skip_lines and (line.page, line.line) in skip_lines:
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
        if sent[start : m.start()].strip():
            out.append((start, sent[start : m.end()]))
        start = m.end()
    if start < len(sent):
        out.append((start, sent[start:]))
    return out or [(0, sent)]


def clauses_with_completion(sent: str) -> list[tuple[int, str]]:
    """Split at the start of each budget phrase and after each “；” so that each completion
    rate and comparison word is read with its own budget and final amounts."""
    out = []
    starts = (
        [0]
        + [m.start() for m in re.finditer(r"[，；：:](?=[^，；]*?(?:年初)?预算(?:数)?为)", sent)]
        + [m.end() for m in re.finditer(r"[；;]", sent)]
    )
    starts = sorted(set(starts))
    for i, s in enumerate(starts):
        e = starts[i + 1] if i + 1 < len(starts) else len(sent)
        if s < e:
            out.append((s, sent[s:e]))
    if len(out) > 1:
        return out
    return [(0, sent)]


def count_of(text: str) -> int:
    return int(text) if text.isdigit() else CN_COUNT[text]


def around(text: str, start: int, end: int, pad: int = 30) -> str:
    return text[max(0, start - pad) : end + pad]
