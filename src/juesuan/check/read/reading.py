"""How reliably the document was read, and what was set aside as unreadable.

A checker that misreads a page or a table must not report the misreading as the document's
error. Two self-checks decide what is trusted:

- a PDF page is readable when its text decodes (nearly all of it Chinese, digits and common
  signs: a font without a character map gives glyph numbers that read as characters of other
  scripts and control codes), its words have a plausible height (3–50 points) and its text
  falls into plausibly many lines (a page of several hundred characters in a handful of
  "lines" was not read, e.g. a font size taken without its text matrix);
- a recovered table is trusted when most of its own totals reconcile with its rows (a table
  whose 类/款/合计 rows almost all disagree with their rows, or whose detail sums to 0 under a
  non-zero total, was read wrongly — a real document has one or two such errors, not most).

An untrusted page or table is reported once, as “无法可靠读取” with the reason (an INFO item,
code CHK-006), and nothing is checked on it. The report's first line (:meth:`Reading.headline`)
says how much was read and trusted.
"""

from __future__ import annotations

import re
import statistics
from dataclasses import dataclass, field
from fractions import Fraction

from juesuan.check.read.source import PdfPage, SourceDoc, TextLine

MIN_HEIGHT, MAX_HEIGHT = 3.0, 50.0
MIN_CHARS = 200  # pages with less text (covers, blank pages) are not judged
MAX_CHARS_PER_LINE = 160  # a landscape A4 line at the smallest legible size holds fewer
MIN_DECODED = Fraction(4, 5)  # share of a page's characters that must decode (below)
# What a Chinese document's text is made of: CJK ideographs and compatibility ideographs, CJK
# and full-width punctuation, ASCII and Latin-1, general punctuation, letter-like signs,
# number forms (Ⅰ), arrows, mathematical operators, enclosed numbers (①), box drawing,
# geometric shapes and signs (□ ■ ☑ ★).
_UNDECODED = re.compile(  # what is not that
    "[^\u0020-\u007e\u00a0-\u00ff\u2000-\u206f\u2100-\u24ff\u2500-\u257f"
    "\u25a0-\u26ff\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef]"
)


@dataclass
class Reading:
    kind: str
    pages: int = 0
    unreliable_pages: dict[int, str] = field(default_factory=dict)
    tables: list[str] = field(default_factory=list)  # every table read (title, where)
    untrusted: dict[str, str] = field(default_factory=dict)  # table (title, where) → reason
    converted: dict[str, int] = field(default_factory=dict)  # unit (元…) → tables in it

    def table_read(self, name: str) -> None:
        if name not in self.tables:
            self.tables.append(name)

    def distrust(self, name: str, reason: str) -> bool:
        """Mark a table untrusted; True the first time (the caller reports it once)."""
        self.table_read(name)
        if name in self.untrusted:
            return False
        self.untrusted[name] = reason
        return True

    def headline(self) -> str:
        parts = []
        if self.kind == "pdf":
            bad = len(self.unreliable_pages)
            pages = f"读取{self.pages}页"
            if bad:
                listed = "、".join(str(p) for p in sorted(self.unreliable_pages)[:10])
                pages += f"，其中{bad}页无法可靠读取（第{listed}页，未检查）"
            parts.append(pages)
        n = len(self.tables)
        trusted = n - len(self.untrusted)
        tables = f"识别表格{n}张，可信{trusted}张"
        if self.untrusted:
            tables += f"（{len(self.untrusted)}张无法可靠读取，未检查）"
        for unit, k in self.converted.items():
            tables += f"；{k}张表以{unit}为单位，换算为万元核对"
        parts.append(tables)
        level = "可靠" if not self.unreliable_pages and not self.untrusted else "部分可靠"
        if self.kind == "pdf" and self.pages and len(self.unreliable_pages) == self.pages:
            level = "不可靠"
        return f"读取情况（{level}）：" + "；".join(parts) + "。"


def page_problem(page: PdfPage) -> str | None:
    """Why a PDF page's reading is implausible, or None."""
    chars = sum(len(w.text) for w in page.words)
    if chars < MIN_CHARS or not page.lines:
        return None
    text = "".join("".join(w.text.split()) for w in page.words)
    decoded = len(text) - len(_UNDECODED.findall(text))
    if decoded < MIN_DECODED * len(text):
        return (
            f"提取出的文字只有{100 * decoded // len(text)}%是汉字、数字或常用符号，其余是乱码："
            "字体缺少字符映射，文字层无法解码"
        )
    height = statistics.median(w.bottom - w.top for w in page.words)
    if not MIN_HEIGHT <= height <= MAX_HEIGHT:
        return f"文字高度约{height:.0f}点，不合常理（字号或文字矩阵无法正确解析）"
    per_line = chars / len(page.lines)
    if per_line > MAX_CHARS_PER_LINE:
        return f"{chars}个字符只分成{len(page.lines)}行，分行不可信"
    return None


def screen_pages(doc: SourceDoc, reading: Reading) -> None:
    """Set aside the PDF pages whose reading is implausible: their words, lines and text
    lines are removed, so that no rule sees them."""
    if doc.kind != "pdf":
        return
    reading.pages = len(doc.pages)
    bad: set[int] = set()
    for page in doc.pages:
        why = page_problem(page)
        if why is not None:
            reading.unreliable_pages[page.number] = why
            bad.add(page.number)
            page.words, page.lines, page.rules = [], [], []
    if bad:
        doc.lines = [ln for ln in doc.lines if ln.page not in bad]


def nothing_readable(doc: SourceDoc, reading: Reading) -> str | None:
    """Why the whole PDF cannot be checked — every page with text set aside as unreadable,
    what is left too little to read — or None."""
    if doc.kind != "pdf" or not reading.unreliable_pages:
        return None
    if any(sum(len(w.text) for w in page.words) >= MIN_CHARS for page in doc.pages):
        return None
    return next(iter(reading.unreliable_pages.values()))


def _entry_like(text: str) -> bool:
    """Whether a line can be an entry of a contents list: a short heading, or a line ending
    in its page number. (An office suite may export an empty contents field: the body then
    follows “目录” at once, and its first sentence ends the contents.)"""
    t = text.strip()
    if not t:
        return False
    return bool(re.search(r"[.·…．\s]\d+$", t)) or (len(t) <= 40 and not re.search(r"[。；]", t))


def _clean(text: str) -> str:
    return re.sub(r"[\s.·…．_\-—]+|\d+$", "", text)


def contents_lines(lines: list[TextLine]) -> set[int]:
    """Indices (in ``lines``) of the table of contents: from a line “目录” up to where its first
    entry appears again as a heading (the body starts), or, in a PDF, to the end of the page.
    A 目录 line naming a table does not make the table present."""
    out: set[int] = set()
    i = 0
    while i < len(lines):
        if _clean(lines[i].text) != "目录":
            i += 1
            continue
        first = next((j for j in range(i + 1, len(lines)) if _clean(lines[j].text)), None)
        if first is None:
            break
        head = _clean(lines[first].text)
        end = next((j for j in range(first + 1, len(lines)) if _clean(lines[j].text) == head), None)
        if end is None:  # a PDF: the contents page; otherwise only the entries up to a blank
            page = lines[i].page
            end = first
            while end < len(lines) and (
                (page is not None and lines[end].page == page)
                or (page is None and _entry_like(lines[end].text))
            ):
                end += 1
        out.update(range(i, end))
        i = end
    return out


def contents_pages(doc: SourceDoc) -> set[int]:
    """The PDF pages holding only the table of contents."""
    index = contents_lines(doc.lines)
    by_page: dict[int, list[int]] = {}
    for i, line in enumerate(doc.lines):
        if line.page is not None:
            by_page.setdefault(line.page, []).append(i)
    return {p for p, idx in by_page.items() if idx and all(i in index for i in idx)}
