"""The document's year where it must be exactly that year (CHK-117): the cover, every part
title, every table title and “截至…年12月31日”; and years written incompletely (“202 年度”).

The document's year is the one it names most (:func:`juesuan.check.document_year`). The
running text may name the previous year (CHK-111 reads it); these places may not: a 2024
决算 has a 2024 cover, “第三部分 2024年度部门决算情况说明”, “2024年度收入支出决算总表” and
“截至2024年12月31日”.
"""

from __future__ import annotations

import re
from decimal import Decimal

from juesuan.check.read.source import SourceDoc, TextLine
from juesuan.check.sink import Sink

YEAR_IN_TITLE = re.compile(r"(?<!\d)(20\d\d)\s*年")
AS_OF = re.compile(r"截[至止]\s*(\d+)\s*年\s*12\s*月\s*31\s*日")
# a year of 3 or 5+ digits before 年度 or before a month (“202 年度”, “截至202 年12月31日”)
MALFORMED = re.compile(r"(?<![\d.,])(\d{3}|\d{5,})\s*年(?:度|(?=\s*\d{1,2}\s*月))")
COVER_LINES = 15


def _clean(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _cover(lines: list[TextLine]) -> list[int]:
    """Indices of the cover: the first lines, up to 目录, a part heading or running text."""
    out = []
    for i, line in enumerate(lines[:COVER_LINES]):
        t = _clean(line.text)
        if t == "目录" or t.startswith("第一部分") or "。" in t:
            break
        if line.page is not None and line.page > 1:
            break
        out.append(i)
    return out


class YearChecks:
    def __init__(self, doc: SourceDoc, sink: Sink, year: int | None):
        self.doc = doc
        self.sink = sink
        self.year = year

    def run(self) -> None:
        if not self.year:
            self.sink.cannot("CHK-117", "无法确定文件的决算年度")
            return
        from juesuan.check.structure import _part_number, layouts, title_of

        titles = sorted({t for lay in layouts() for _, t, _ in lay.tables}, key=len)
        cover = set(_cover(self.doc.lines))
        for i, line in enumerate(self.doc.lines):
            text = line.text
            flat = _clean(text)
            if not flat:
                continue
            self._malformed(line)
            self._as_of(line)
            if len(flat) > 60 or "。" in flat:
                continue
            if i in cover:
                kind = "封面"
            elif _part_number(text) is not None:
                kind = "部分标题"
            elif title_of(text, titles):
                kind = "表题"
            else:
                continue
            self._title_years(line, kind)

    def _title_years(self, line: TextLine, kind: str) -> None:
        for m in YEAR_IN_TITLE.finditer(line.text):
            if AS_OF.search(line.text[max(0, m.start() - 3) :]):
                continue  # read by _as_of
            self.sink.checked("CHK-117")
            y = int(m.group(1))
            if y == self.year:
                continue
            self._add(line, f"{kind}中的年份为{y}年，与决算年度{self.year}年不符", y)

    def _as_of(self, line: TextLine) -> None:
        for m in AS_OF.finditer(line.text):
            self.sink.checked("CHK-117")
            digits = m.group(1)
            if len(digits) != 4:
                continue  # read by _malformed
            y = int(digits)
            if y != self.year:
                self._add(
                    line,
                    f"“{_clean(m.group(0))}”应为决算年度末（截至{self.year}年12月31日）",
                    y,
                )

    def _malformed(self, line: TextLine) -> None:
        for m in MALFORMED.finditer(line.text):
            self.sink.checked("CHK-117")
            self.sink.add(
                "CHK-117",
                f"年份“{_clean(m.group(0))}”书写不完整（应为四位年份，如{self.year}年）",
                line=line.line,
                page=line.page,
                paragraph=line.paragraph,
                quote=_clean(line.text)[:80],
            )

    def _add(self, line: TextLine, message: str, y: int) -> None:
        self.sink.add(
            "CHK-117",
            message,
            line=line.line,
            page=line.page,
            paragraph=line.paragraph,
            stated=Decimal(y),
            expected=Decimal(self.year or 0),
            quote=_clean(line.text)[:80],
        )
