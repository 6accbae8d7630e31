"""The department's own name is the same on the cover, in part and table titles and where the
text names the department (CHK-118).

Only the places where a document names itself are read, so that other bodies the text
mentions are never taken for it: the cover; “第N部分 X概况”, “第N部分 X2024年度部门决算表”;
a table title “X2024年度收入支出决算总表”; and a line that opens with “X2024年度…” or
“说明：X本年度…”. X ends in an organisation word (局、委、办、院、中心…). A shorter form of the
same name (“普陀区财政局” for “上海市普陀区财政局”) is the same name.
"""

from __future__ import annotations

import re
from collections import Counter

from juesuan.check.read.source import SourceDoc, TextLine
from juesuan.check.sink import Sink

ORG = r"[\u4e00-\u9fff（）()]{1,30}?(?:委员会|办公室|局|委|办|院|中心|厅|署|所|站|馆|队|校|处|政府|部)"
YEAR = r"(?:20\d\d|\d{3})\s*年度?"
COVER = re.compile(rf"^({ORG})(?:{YEAR})?部门决算$")
PART = re.compile(rf"^第[一二三四五六七八九十\d]+部分\s*({ORG})(?:概况|{YEAR})")
OPENING = re.compile(rf"^(?:说明[：:])?({ORG})(?:{YEAR}|本年度)")
COVER_LINES = 8
HEADING = re.compile(
    r"^(?:第[一二三四五六七八九十\d]+部分|[（(]?[一二三四五六七八九十\d]+[）)、.．])"
)


def _starts_paragraph(prev: str | None) -> bool:
    """Whether a line after ``prev`` begins a paragraph rather than continuing a wrapped one
    (a wrapped line's text can open with any part of a word, e.g. the 绩效办 of 区委绩效办)."""
    return (
        prev is None or prev[-1] in "。；：！？;:!?" or bool(HEADING.match(prev)) or len(prev) < 20
    )


def _clean(text: str) -> str:
    return re.sub(r"\s+", "", text)


class DepartmentName:
    def __init__(self, doc: SourceDoc, sink: Sink):
        self.doc = doc
        self.sink = sink

    def cover(self) -> tuple[str | None, set[int]]:
        """The name on the cover and the indices (in ``doc.lines``) of the lines holding it."""
        seen: list[tuple[int, str]] = []
        for i, line in enumerate(self.doc.lines[:COVER_LINES]):
            t = _clean(line.text)
            if not t:
                continue
            m = COVER.match(t)
            if m:
                return m.group(1), {i}
            if re.fullmatch(rf"(?:{YEAR})部门决算", t) and seen:
                j, prev = seen[-1]
                if re.fullmatch(ORG, prev):
                    return prev, {j, i}
            seen.append((i, t))
        return None, set()

    def mentions(self, skip: set[int]) -> list[tuple[str, TextLine, str]]:
        """(name, line, kind) of every place the document names itself."""
        out = []
        prev: str | None = None
        for i, line in enumerate(self.doc.lines):
            t = _clean(line.text)
            if not t:
                continue
            before, prev = prev, t
            if i in skip:
                continue
            m = PART.match(t)
            if m:
                out.append((m.group(1), line, "部分标题"))
                continue
            m = OPENING.match(re.sub(r"^[一二三四五六七八九十\d]+[、.．]", "", t))
            if m:
                kind = "表题" if t.endswith("表") and "。" not in t else "正文"
                if kind == "正文" and not _starts_paragraph(before):
                    continue
                out.append((m.group(1), line, kind))
        return out

    def run(self) -> None:
        cover, lines = self.cover()
        mentions = self.mentions(lines)
        if cover is None:
            if not mentions:
                self.sink.cannot("CHK-118", "封面与标题中没有可识别的部门名称")
                return
            cover = Counter(n for n, _, _ in mentions).most_common(1)[0][0]
            source = "文件中多数地方"
        else:
            source = "封面"
        for name, line, kind in mentions:
            self.sink.checked("CHK-118")
            if name == cover or name.endswith(cover) or cover.endswith(name):
                continue
            self.sink.add(
                "CHK-118",
                f"{kind}中的部门名称为“{name}”，与{source}的“{cover}”不一致",
                line=line.line,
                page=line.page,
                paragraph=line.paragraph,
                quote=_clean(line.text)[:80],
            )
