"""Rules on the wording of whole paragraphs: placeholders, doubled punctuation, years, rates
without “%”."""

from __future__ import annotations

import re
from decimal import Decimal

from juesuan.check.text import (
    DOUBLE_PUNCT,
    PLACEHOLDER,
    YEAR,
    Narrative,
    Para,
    around,
)

AS_OF = re.compile(r"截[至止]\s*$")  # “截至2024年12月31日”


def text_rules(chk: Narrative, paras: list[Para]) -> None:
    for para in paras:
        chk.sink.checked("CHK-109")
        chk.sink.checked("CHK-110")
        for m in PLACEHOLDER.finditer(para.text):
            w = para.where(m.start())
            what = m.group(0)
            msg = f"遗留占位符“{what}”" if m.group(2) is None else f"“{what}”之后没有内容"
            chk.sink.add("CHK-109", msg, quote=around(para.text, m.start(), m.end()), **w)
        for m in DOUBLE_PUNCT.finditer(para.text):
            w = para.where(m.start())
            chk.sink.add(
                "CHK-110",
                f"重复标点“{m.group(0)}”",
                quote=around(para.text, m.start(), m.end()),
                **w,
            )
        if chk.year:
            # titles, the cover and “截至…年12月31日” are CHK-117's (the year exactly)
            exact = {
                (i.finding.location.line, i.page)
                for i in chk.sink.items
                if i.finding.code == "CHK-117"
            }
            for m in YEAR.finditer(para.text):
                chk.sink.checked("CHK-111")
                y = int(m.group(1))
                if y in (chk.year, chk.year - 1):
                    continue
                ctx = para.text[max(0, m.start() - 1) : m.end() + 6]
                if re.search(r"〔|\[|号|规划|印发|版", ctx):
                    continue
                w = para.where(m.start())
                as_of = AS_OF.search(para.text, max(0, m.start() - 4), m.start())
                if (w["line"], w["page"]) in exact or as_of:
                    continue
                chk.sink.add(
                    "CHK-111",
                    f"年份{y}年既不是决算年度{chk.year}年，也不是上年{chk.year - 1}年",
                    stated=Decimal(y),
                    expected=Decimal(chk.year),
                    quote=around(para.text, m.start(), m.end()),
                    **w,
                )
    if not chk.year:
        chk.sink.cannot("CHK-111", "无法确定文件的决算年度")


# a rate, share or completion whose number ends the clause without “%” (“增长8.20。”, “占45.10；”)
NO_PERCENT = re.compile(
    r"(增长|下降|占(?:比)?(?:为)?|完成(?:年初|调整|全年)?预算(?:数)?的?)(\d+(?:\.\d+)?)(?=[。；，,;）)]|$)"
)


def percent_missing(chk: Narrative, paras: list[Para]) -> None:
    """CHK-116: a rate or a share stated without “%”."""
    for para in paras:
        for m in NO_PERCENT.finditer(para.text):
            chk.sink.checked("CHK-116")
            chk.sink.add(
                "CHK-116",
                f"“{m.group(0)}”缺少“%”",
                quote=around(para.text, m.start(), m.end()),
                **para.where(m.start()),
            )
        if PERCENT_ANY.search(para.text):
            chk.sink.checked("CHK-116")


PERCENT_ANY = re.compile(r"(增长|下降|占|完成[^，。；]{0,6}预算[^，。；]{0,2})\d[\d.]*%")
