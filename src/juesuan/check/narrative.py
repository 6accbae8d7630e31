"""Checks of the figures stated in sentences: shares, rates, completion, listed sums, wording.

Paragraphs are rebuilt from lines (PDF text breaks sentences and numbers over lines), all
whitespace is removed, and sentences are cut at 。. Every comparison is rounding-aware: a
stated figure matches when it equals the exact value rounded at its own precision (or, for
shares, the largest-remainder share); a difference that rounded inputs can explain is only a
rounding note.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

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


class NarrativeChecker:
    def __init__(self, doc: SourceDoc, sink: Sink, year: int | None):
        self.doc = doc
        self.sink = sink
        self.year = year
        self.paras: list[Para] = []

    def run(self, paras: list[Para]) -> None:
        """Check ``paras``, the document's running text (:func:`paragraphs`)."""
        self.paras = paras
        for para in paras:
            prev_amounts: list[Decimal] = []
            for off, sent in sentences(para.text):
                self._shares(para, off, sent)
                self._rates(para, off, sent, prev_amounts)
                self._completion(para, off, sent)
                self._sums(para, off, sent, prev_amounts)
                self._wording(para, off, sent)
                self._counts(para, off, sent)
                prev_amounts = [dec(m.group(1)) for m in AMOUNT.finditer(sent)]
        if not any(self.sink.coverage[c].checked for c in ("CHK-101", "CHK-102")):
            self.sink.cannot("CHK-101", "文中没有“X万元，占Y%”形式的占比")
            self.sink.cannot("CHK-102", "文中没有同一整体的多项占比")
        for code, why in (
            ("CHK-103", "文中没有“增加X万元，增长Y%”形式的增减"),
            ("CHK-104", "文中没有上年数为0的增减率"),
            ("CHK-105", "文中没有可核对方向的比较用语"),
            ("CHK-106", "文中没有“合计…其中：各项…”形式的列举"),
            ("CHK-107", "文中没有同时列明预算数、决算数和完成率的句子"),
            ("CHK-108", "文中没有“完成预算X%”与“决算数小于/大于/等于预算数”并列的句子"),
            ("CHK-113", "文中没有“甲、乙、丙3个…”形式的列举或“N人（个、辆），其中：…”形式的数目"),
        ):
            if not self.sink.coverage[code].checked:
                self.sink.cannot(code, why)
        self._text_rules(paras)
        from juesuan.check.narrative_spans import SpanChecks

        SpanChecks(self.sink, self.year).run(paras)

    # -- shares
    def _shares(self, para: Para, off: int, sent: str) -> None:
        for m in SHARE_OF.finditer(sent):
            self._share_of_named(para, off, sent, m)
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
                self.sink.cannot("CHK-101", "有的占比所属的整体数不在同一句中")
                return
            whole = sum(amounts, Decimal(0))
        if whole == 0:
            for m in parts:
                if dec(m.group(2)) != 0:
                    w = para.where(off + m.start())
                    self.sink.add(
                        "CHK-104",
                        f"整体为0，占比不应为{m.group(2)}%",
                        stated=dec(m.group(2)),
                        expected=Decimal(0),
                        quote=sent,
                        **w,
                    )
            return
        lr = _largest_remainder(amounts, whole)
        covers = abs(sum(amounts, Decimal(0)) - whole) <= HALF * len(amounts)
        for i, m in enumerate(parts):
            self.sink.checked("CHK-101")
            stated_txt = m.group(2)
            stated = dec(stated_txt)
            p = places_of(stated_txt)
            exact = amounts[i] / whole * 100
            plain = quantize(exact, p)
            if stated == plain or (p == 2 and stated == lr[i]):
                continue
            w = para.where(off + m.start())
            lo, hi = _ratio_range(amounts[i], whole)
            unit = Decimal(1).scaleb(-p) / 2
            rounding = lo - unit <= stated <= hi + unit
            alt = f"（按最大余额法为{lr[i]}%）" if p == 2 and lr[i] != plain and lr[i] >= 0 else ""
            self.sink.add(
                "CHK-101",
                f"{m.group(1)}万元占{whole}万元的比例应为{plain}%{alt}，文中为{stated_txt}%",
                stated=stated,
                expected=plain,
                quote=sent,
                rounding=rounding,
                **w,
            )
        if len(parts) >= 2 and covers:
            self.sink.checked("CHK-102")
            total = sum((dec(m.group(2)) for m in parts), Decimal(0))
            if total != 100:
                w = para.where(off + parts[0].start())
                near = abs(total - 100) <= Decimal("0.01") * len(parts)
                self.sink.add(
                    "CHK-102",
                    f"各项之和等于整体，但所列占比之和为{total}%，不是100%",
                    stated=total,
                    expected=Decimal(100),
                    quote=sent,
                    rounding=near,
                    **w,
                )

    def _share_of_named(self, para: Para, off: int, sent: str, m: re.Match) -> None:
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
            for p in self.paras
            for w in re.finditer(rf"{re.escape(name)}(?:为|是|共计)?({NUM})万元", p.text)
        }
        w = para.where(off + m.start())
        if part == 0 or len(wholes) != 1:
            if part == 0:
                self.sink.checked("CHK-101")
                if stated != 0:
                    self.sink.add(
                        "CHK-101",
                        f"金额为0，占比应为0%，文中为{stated_txt}%",
                        stated=stated,
                        expected=Decimal(0),
                        quote=sent,
                        **w,
                    )
            else:
                self.sink.cannot("CHK-101", f"文中没有唯一列明“{name}”的金额，未核对其占比")
            return
        (whole,) = wholes
        self.sink.checked("CHK-101")
        if whole == 0:
            self.sink.checked("CHK-104")
            self.sink.add(
                "CHK-104",
                f"{name}为0万元，{part}万元不能占其{stated_txt}%",
                stated=stated,
                expected=None,
                quote=sent,
                **w,
            )
            return
        wrong = _percent_off(part, whole, stated_txt)
        if wrong is None:
            return
        expected, rounding = wrong
        self.sink.add(
            "CHK-101",
            f"{part}万元占{name}{whole}万元的比例应为{expected}%，文中为{stated_txt}%",
            stated=stated,
            expected=expected,
            quote=sent,
            rounding=rounding,
            **w,
        )

    # -- rates
    def _rates(self, para: Para, off: int, sent: str, prev: list[Decimal]) -> None:
        for m in CHANGE.finditer(sent):
            word, ctext, rword, rtext = m.groups()
            change, rate = dec(ctext), dec(rtext)
            w = para.where(off + m.start())
            self.sink.checked("CHK-105")
            up_words, down_words = ("增加", "增长"), ("减少", "下降")
            if (word in up_words and rword in down_words) or (
                word in down_words and rword in up_words
            ):
                self.sink.add("CHK-105", f"同一句中“{word}”与“{rword}”方向相反", quote=sent, **w)
                continue
            if change < 0 or rate < 0:
                self.sink.add("CHK-105", f"“{word}”后接负数，应改用相反方向的用语", quote=sent, **w)
                continue
            if change == 0:
                self.sink.add("CHK-105", f"增减额为0，应表述为“持平”而非“{word}”", quote=sent, **w)
                continue
            before = [a for a in AMOUNT.finditer(sent[: m.start()])]
            current = dec(before[-1].group(1)) if before else (prev[-1] if prev else None)
            if current is None:
                self.sink.cannot("CHK-103", "增减额所属的本年数不在同一句或前一句中")
                continue
            prior = current - change if word in up_words else current + change
            self.sink.checked("CHK-103")
            if prior == 0:
                self.sink.checked("CHK-104")
                self.sink.add(
                    "CHK-104",
                    f"上年数为0，不应计算增长率（文中为{rtext}%）",
                    stated=rate,
                    quote=sent,
                    **w,
                )
                continue
            exact = change / prior * 100
            p = places_of(rtext)
            plain = quantize(exact, p)
            if plain == rate:
                continue
            lo, hi = _ratio_range(change, prior)
            unit = Decimal(1).scaleb(-p) / 2
            rounding = lo - unit <= rate <= hi + unit
            self.sink.add(
                "CHK-103",
                f"本年{current}万元、上年{prior}万元，变动{change}万元，变动率应为{plain}%，文中为{rtext}%",
                stated=rate,
                expected=plain,
                quote=sent,
                rounding=rounding,
                **w,
            )

    # -- completion and contradictions
    def _completion(self, para: Para, off: int, sent: str) -> None:
        for clause_off, clause in _clauses_with_completion(sent):
            cm = COMPLETION.search(clause)
            if not cm:
                continue
            pct = dec(cm.group(1))
            w = para.where(off + clause_off + cm.start())
            budget = BUDGET.search(clause)
            final = FINAL.search(clause)
            less, more, equal = (
                "决算数小于预算数" in sent,
                "决算数大于预算数" in sent,
                "决算数等于预算数" in sent,
            )
            if less or more or equal:
                self.sink.checked("CHK-108")
                if pct == 100 and (less or more):
                    word = "小于" if less else "大于"
                    self.sink.add(
                        "CHK-108",
                        f"文中称完成预算100%，同时又称决算数{word}预算数，自相矛盾",
                        stated=pct,
                        quote=sent,
                        **w,
                    )
                elif equal and pct != 100:
                    self.sink.add(
                        "CHK-108",
                        f"文中称决算数等于预算数，完成率却为{cm.group(1)}%",
                        stated=pct,
                        expected=Decimal(100),
                        quote=sent,
                        **w,
                    )
            spent = list(AMOUNT.finditer(clause[: cm.start()]))
            if not budget and spent and dec(spent[-1].group(1)) == 0 and pct != 0:
                # “支出0万元，完成预算100%”: 0 is 0% of any budget, and no rate of a 0 budget
                self.sink.checked("CHK-107")
                self.sink.add(
                    "CHK-107",
                    f"支出为0万元，完成预算不应为{cm.group(1)}%（预算数为0时不计算完成率，"
                    "否则应为0%）",
                    stated=pct,
                    expected=Decimal(0),
                    quote=sent,
                    **w,
                )
                continue
            if budget and final and budget.start() < cm.start():
                b, f = dec(budget.group(1)), dec(final.group(1))
                self.sink.checked("CHK-107")
                if b == 0:
                    if pct != 0:
                        self.sink.checked("CHK-104")
                        self.sink.add(
                            "CHK-104", "预算数为0，不应计算完成率", stated=pct, quote=sent, **w
                        )
                    continue
                wrong = _percent_off(f, b, cm.group(1))
                if wrong is not None:
                    plain, rounding = wrong
                    self.sink.add(
                        "CHK-107",
                        f"决算{f}万元、预算{b}万元，完成率应为{plain}%，文中为{cm.group(1)}%",
                        stated=pct,
                        expected=plain,
                        quote=sent,
                        rounding=rounding,
                        **w,
                    )
                if (less and f >= b) or (more and f <= b) or (equal and f != b):
                    self.sink.add(
                        "CHK-105",
                        f"决算{f}万元与预算{b}万元的大小关系与文中用语不符",
                        stated=f,
                        expected=b,
                        quote=sent,
                        **w,
                    )

    # -- listed items against their total
    def _sums(self, para: Para, off: int, sent: str, prev: list[Decimal]) -> None:
        idx = sent.find("其中")
        if idx < 0:
            return
        before = [m for m in AMOUNT.finditer(sent[:idx])]
        if before:
            total_txt = before[-1].group(1)
        elif len(prev) == 1:  # “…购置支出0万元。全年购置公务用车0辆，其中：…金额0万元”
            total_txt = str(prev[0])
        else:
            return
        region = sent[idx:]
        parts: list[str] = []
        for seg in re.split(r"[；、;]", region):
            seg = re.sub(rf"占[^，；]*?{NUM}%", "", seg)
            found = AMOUNT.findall(seg)
            if len(found) > 1:
                return
            parts += found
        total = dec(total_txt)
        if len(parts) == 1 and dec(parts[0]) > total:
            self.sink.checked("CHK-106")
            w = para.where(off + idx)
            self.sink.add(
                "CHK-106",
                f"合计{total_txt}万元，而其中一项为{parts[0]}万元，大于合计",
                stated=total,
                expected=dec(parts[0]),
                quote=sent,
                **w,
            )
            return
        if len(parts) < 2:
            return
        values = [dec(p) for p in parts]
        computed = sum(values, Decimal(0))
        self.sink.checked("CHK-106")
        if computed == total:
            return
        w = para.where(off + idx)
        listed = " + ".join(parts)
        rounding = abs(computed - total) <= HALF * len(parts)
        hint = "（差额可能来自各项分别四舍五入）" if rounding else ""
        self.sink.add(
            "CHK-106",
            f"合计{total_txt}万元，而所列各项 {listed} = {computed}万元{hint}",
            stated=total,
            expected=computed,
            quote=sent,
            **w,
        )

    def _wording(self, para: Para, off: int, sent: str) -> None:
        for m in re.finditer(rf"(增加|减少)({NUM})万元", sent):
            if dec(m.group(2)) < 0:
                self.sink.checked("CHK-105")
                w = para.where(off + m.start())
                self.sink.add("CHK-105", f"“{m.group(1)}”后接负数{m.group(2)}万元", quote=sent, **w)
        if "持平" in sent:
            for m in re.finditer(rf"(?:增加|减少)({NUM})万元", sent):
                self.sink.checked("CHK-105")
                if dec(m.group(1)) != 0 and "基本持平" not in sent:
                    w = para.where(off + m.start())
                    self.sink.add(
                        "CHK-105",
                        "同一句既称“持平”又列出非零的增减额",
                        stated=dec(m.group(1)),
                        expected=Decimal(0),
                        quote=sent,
                        **w,
                    )

    # -- counts: listed names against their stated number, head counts against their parts
    def _counts(self, para: Para, off: int, sent: str) -> None:
        for m in LISTED.finditer(sent):
            if "等" in m.group(1) or m.group(2) in ("一", "1"):
                continue
            items = [i for i in m.group(1).split("、") if i]
            if len(items) < 2:
                continue
            said = _count(m.group(2))
            self.sink.checked("CHK-113")
            if said != len(items):
                w = para.where(off + m.start())
                self.sink.add(
                    "CHK-113",
                    f"列举了{len(items)}个{m.group(3)}（{'、'.join(items)}），文中称{m.group(2)}个",
                    stated=Decimal(said),
                    expected=Decimal(len(items)),
                    quote=sent,
                    **w,
                )
        for m in WHEREOF.finditer(sent):
            # the total: the nearest count before 其中 (“共有编制14人，其中：…”, “自评的项目4个，
            # 涉及…（其中，…”); the parts: the counts of the same unit up to “）” or the end
            totals = list(COUNTED.finditer(sent[max(0, m.start() - 40) : m.start()]))
            if not totals:
                continue
            total_m = totals[-1]
            word = total_m.group(2)
            rest = re.split(r"[。）)]", sent[m.end() :], maxsplit=1)[0]
            unit = SAME_UNIT[word]
            parts = [int(n) for n in re.findall(rf"(?<![\d.])(\d+)(?:{unit})(?!次)", rest)]
            if len(parts) < 2:
                continue
            total = int(total_m.group(1))
            self.sink.checked("CHK-113")
            if sum(parts) != total:
                w = para.where(off + m.start())
                listed = " + ".join(str(n) for n in parts)
                self.sink.add(
                    "CHK-113",
                    f"共{total}{word}，而其中所列 {listed} = {sum(parts)}{word}",
                    stated=Decimal(total),
                    expected=Decimal(sum(parts)),
                    quote=sent,
                    **w,
                )

    # -- text rules over whole paragraphs
    def _text_rules(self, paras: list[Para]) -> None:
        for para in paras:
            self.sink.checked("CHK-109")
            self.sink.checked("CHK-110")
            for m in PLACEHOLDER.finditer(para.text):
                w = para.where(m.start())
                what = m.group(0)
                msg = f"遗留占位符“{what}”" if m.group(2) is None else f"“{what}”之后没有内容"
                self.sink.add("CHK-109", msg, quote=_around(para.text, m.start(), m.end()), **w)
            for m in DOUBLE_PUNCT.finditer(para.text):
                w = para.where(m.start())
                self.sink.add(
                    "CHK-110",
                    f"重复标点“{m.group(0)}”",
                    quote=_around(para.text, m.start(), m.end()),
                    **w,
                )
            if self.year:
                for m in YEAR.finditer(para.text):
                    self.sink.checked("CHK-111")
                    y = int(m.group(1))
                    if y in (self.year, self.year - 1):
                        continue
                    ctx = para.text[max(0, m.start() - 1) : m.end() + 6]
                    if re.search(r"〔|\[|号|规划|印发|版", ctx):
                        continue
                    w = para.where(m.start())
                    self.sink.add(
                        "CHK-111",
                        f"年份{y}年既不是决算年度{self.year}年，也不是上年{self.year - 1}年",
                        stated=Decimal(y),
                        expected=Decimal(self.year),
                        quote=_around(para.text, m.start(), m.end()),
                        **w,
                    )
        if not self.year:
            self.sink.cannot("CHK-111", "无法确定文件的决算年度")


def _count(text: str) -> int:
    return int(text) if text.isdigit() else CN_COUNT[text]


def _around(text: str, start: int, end: int, pad: int = 30) -> str:
    return text[max(0, start - pad) : end + pad]


def _clauses_with_completion(sent: str) -> list[tuple[int, str]]:
    """Split at the start of each budget phrase so that each completion rate is read with
    its own budget and final amounts."""
    out = []
    starts = [0] + [
        m.start() for m in re.finditer(r"[，；：:](?=[^，；]*?(?:年初)?预算(?:数)?为)", sent)
    ]
    starts = sorted(set(starts))
    for i, s in enumerate(starts):
        e = starts[i + 1] if i + 1 < len(starts) else len(sent)
        out.append((s, sent[s:e]))
    if len(out) > 1:
        return out
    return [(0, sent)]


def _percent_off(part: Decimal, whole: Decimal, stated_txt: str) -> tuple[Decimal, bool] | None:
    """None when the stated percentage is part/whole rounded at its own precision; otherwise the
    expected percentage and whether rounded inputs (±0.005 each) can explain the difference."""
    places = places_of(stated_txt)
    stated = dec(stated_txt)
    expected = quantize(part / whole * 100, places)
    if stated == expected:
        return None
    lo, hi = _ratio_range(part, whole)
    unit = Decimal(1).scaleb(-places) / 2
    return expected, lo - unit <= stated <= hi + unit


def _ratio_range(part: Decimal, whole: Decimal) -> tuple[Decimal, Decimal]:
    """The range of part/whole×100 when both were rounded to 0.01 before being printed."""
    lo_p, hi_p = max(part - HALF, Decimal(0)), part + HALF
    lo_w, hi_w = whole - HALF, whole + HALF
    if lo_w <= 0:
        return Decimal(0), Decimal(10**9)
    return lo_p / hi_w * 100, hi_p / lo_w * 100


def _largest_remainder(parts: list[Decimal], whole: Decimal) -> list[Decimal]:
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
