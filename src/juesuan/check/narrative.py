"""The checks of the figures stated in the running text, sentence by sentence.

The rules live in modules named for what they check: :mod:`~juesuan.check.narrative_shares`,
:mod:`~juesuan.check.narrative_changes`, :mod:`~juesuan.check.narrative_budget`,
:mod:`~juesuan.check.narrative_sums`, :mod:`~juesuan.check.narrative_text` and (across
paragraphs) :mod:`~juesuan.check.narrative_spans`; sentences, clauses and the shared patterns
in :mod:`~juesuan.check.text` (rounding-aware percentages in
:mod:`~juesuan.check.percentages`).
"""

from __future__ import annotations

from decimal import Decimal

from juesuan.check.model import dec
from juesuan.check.narrative_budget import completion
from juesuan.check.narrative_changes import rates, wording
from juesuan.check.narrative_shares import shares
from juesuan.check.narrative_spans import SpanChecks
from juesuan.check.narrative_sums import counts, sums
from juesuan.check.narrative_text import percent_missing, text_rules
from juesuan.check.read.source import SourceDoc
from juesuan.check.sink import Sink
from juesuan.check.template_text import template_left
from juesuan.check.text import (
    AMOUNT,
    Para,
    paragraphs,
    sentences,
)

__all__ = ["NarrativeChecker", "Para", "paragraphs", "sentences"]


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
            prev_sentence = ""
            for off, sent in sentences(para.text):
                shares(self, para, off, sent)
                rates(self, para, off, sent, prev_sentence)
                completion(self, para, off, sent)
                sums(self, para, off, sent, prev_amounts)
                wording(self, para, off, sent)
                counts(self, para, off, sent)
                prev_amounts = [dec(m.group(1)) for m in AMOUNT.finditer(sent)]
                prev_sentence = sent
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
        text_rules(self, paras)
        percent_missing(self, paras)
        template_left(self, paras)
        SpanChecks(self.sink, self.year).run(paras)
