"""Checks across sentences and paragraphs: a total and the items listed under it (“其中：”,
numbered or labelled, over several paragraphs), and the same item stated twice with different
amounts (CHK-106, CHK-114)."""

from __future__ import annotations

import re
from decimal import Decimal

from juesuan.check.model import dec
from juesuan.check.sink import Sink
from juesuan.check.text import BUDGET, FINAL, ITEM, NUM, Para, sentences
from juesuan.core.money import HALF_CENT

STATED_ITEM = re.compile(
    rf"([\u4e00-\u9fff“”]{{2,14}}?(?:支出|收入|经费|合计|总计|总额))(?:决算数?)?(?:为|是|共计|达)?({NUM})万元"
)
GENERIC = ("共计", "其中", "合计", "总计", "支出", "收入")
LABELLED = re.compile(rf"^([\u4e00-\u9fff“”（）]{{2,20}}?(?:支出|费))(?:决算)?(?:为)?({NUM})万元")
ITEM_SPLIT = re.compile(r"(?<=[。；])(?=\d+[、.．](?!\d)|（\d+）)")


class SpanChecks:
    def __init__(self, sink: Sink, year: int | None) -> None:
        self.sink = sink
        self.year = year

    def run(self, paras: list[Para]) -> None:
        self._repeated(paras)
        self._item_lists(paras)

    # -- a total and the numbered items listed under it, over several paragraphs
    def _item_lists(self, paras: list[Para]) -> None:
        """A total and the items listed under it (“其中：”), over several paragraphs:
        numbered items (“…年初预算为2993.93万元，支出决算为2940.05万元。其中：” then “1、…年初预算
        为X万元，支出决算为Y万元。”, “2、…”): their budgets and finals add up to the total's;
        labelled items (“3.公务接待费支出0.46万元。其中：” then “国内公务接待支出0.46万元…”,
        “外事接待支出0万元…”): their amounts add up to the total's first amount."""
        for i, para in enumerate(paras):
            at = para.text.rfind("其中：")
            if at < 0:
                continue
            head = para.text[:at] or (paras[i - 1].text if i else "")
            where = para if para.text[:at] or not i else paras[i - 1]
            rest = para.text[at + 3 :]
            start = rest or (paras[i + 1].text if i + 1 < len(paras) else "")
            kind = ITEM if ITEM.match(start) else LABELLED if LABELLED.match(start) else None
            if kind is None:
                continue
            tail = rest
            for nxt in paras[i + 1 :]:
                if not kind.match(nxt.text):
                    break
                tail += nxt.text
            if kind is ITEM:
                numbered = [t for t in ITEM_SPLIT.split(tail) if ITEM.match(t)]
                for word, pattern in (("年初预算", BUDGET), ("决算", FINAL)):
                    totals = list(pattern.finditer(head))
                    found = [pattern.search(item) for item in numbered]
                    if len(numbered) >= 2 and totals and all(found):
                        values = [dec(f.group(1)) for f in found if f is not None]
                        self._list_total(where, head, totals[-1], word, values, numbered)
                continue
            labelled = [m for _, sent in sentences(tail) if (m := LABELLED.match(sent))]
            # the total: the last sentence before 其中 that states a labelled amount the same
            # way (“3.公务接待费支出0.46万元，…”), not a change (“…比2023年减少0.53万元”)
            stated = [
                (o + len(t) - len(bare), m)
                for o, t in sentences(head)
                if (m := LABELLED.match(bare := ITEM.sub("", t)))
            ]
            if len(labelled) >= 2 and stated:
                at_total, first = stated[-1]
                values = [dec(m.group(2)) for m in labelled]
                items = [m.group(0) for m in labelled]
                self._list_total(where, head, first, "", values, items, at_total, group=2)

    def _list_total(
        self,
        para: Para,
        head: str,
        total_m: re.Match,
        kind: str,
        values: list[Decimal],
        items: list[str],
        start: int | None = None,
        group: int = 1,
    ) -> None:
        total = dec(total_m.group(group))
        computed = sum(values, Decimal(0))
        self.sink.checked("CHK-106")
        if computed == total:
            return
        w = para.where(total_m.start() if start is None else start)
        said = [
            i
            for i in self.sink.items + self.sink.rounding
            if i.finding.code == "CHK-106" and i.finding.stated == total
        ]
        if any(i.finding.location.line == w["line"] for i in said):
            return  # the same list, read within one paragraph by _sums
        self.sink.add(
            "CHK-106",
            f"{kind}合计{total}万元，而其下所列{len(values)}项之和为{computed}万元",
            stated=total,
            expected=computed,
            quote=head[-60:] + "其中：" + "；".join(it[:24] + "…" for it in items[:3]),
            rounding=abs(computed - total) <= HALF_CENT * len(values),
            **w,
        )

    # -- the same item stated twice with different values
    def _repeated(self, paras: list[Para]) -> None:
        """“公务接待费支出0.46万元” here and “公务接待费支出0.56万元” there. The year is part of
        the item: a sentence about the prior year (“2023年…”, “上年…”) states another figure."""
        first: dict[tuple[str, str], tuple[Decimal, str, Para, int]] = {}
        prior = str(self.year - 1) if self.year else "上年"
        for para in paras:
            for off, sent in sentences(para.text):
                for m in STATED_ITEM.finditer(sent):
                    label = re.sub(r"^(年度|年|月|日)", "", m.group(1))
                    if len(label) < 5 or label.startswith(GENERIC):
                        continue
                    before = sent[: m.start()]
                    period = "prior" if re.search(rf"{prior}|上年|上一年", before) else "current"
                    if self.year and f"{self.year}年" in before[-14:]:
                        period = "current"
                    value = dec(m.group(2))
                    key = (period, label)
                    self.sink.checked("CHK-114")
                    if key not in first:
                        first[key] = (value, sent, para, off + m.start())
                        continue
                    was, was_sent, _, _ = first[key]
                    if was != value:
                        w = para.where(off + m.start())
                        self.sink.add(
                            "CHK-114",
                            f"「{label}」前文为{was}万元，此处为{value}万元",
                            stated=value,
                            expected=was,
                            quote=f"前文：{was_sent}；此处：{sent}",
                            **w,
                        )
        if not self.sink.coverage["CHK-114"].checked:
            self.sink.cannot("CHK-114", "文中没有重复列示金额的项目")
