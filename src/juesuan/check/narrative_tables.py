"""Narrative against tables: each number the profile's narrative prints from the document's
own tables, compared with the number the document prints in the same place (CHK-122).

The recovered tables make a Dataset; the profile's narrative template renders it, and every
rendered number keeps its figure id. A number of the document and a rendered number are the
same place when the text just before them (numbers masked) and the unit just after agree: the
longest context that is unique on both sides, so that department names and the wording
around it may differ. Figures that need what the tables do not show (the prior year, budgets
where the tables have no budget columns, counts, …) are not rendered, so not compared.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from juesuan.check.model import dec, places_of, quantize
from juesuan.check.sink import Sink
from juesuan.check.text import Para

NUMBER = re.compile(r"-?\d[\d,]*(?:\.\d+)?")
CONTEXTS = (32, 24, 16, 12, 9, 6)
UNIT = re.compile(r"^(万元|%|分|个|人)")


@dataclass
class Slot:
    before: str  # the text before the number, numbers masked as #
    unit: str
    text: str  # the number as printed
    figure: str = ""  # rendered side: the figure id
    value: Decimal | None = None  # rendered side: the exact value
    tolerance: Decimal = Decimal(0)
    para: Para | None = None  # document side
    offset: int = 0


def _mask(text: str) -> str:
    return NUMBER.sub("#", text)


def rendered_slots(analysis) -> list[Slot]:
    """The numbers the profile's narrative prints for the recovered dataset."""
    from juesuan.document.model import FigureRef, Paragraph
    from juesuan.document.numbers import format_figure
    from juesuan.pipeline import narrative

    doc = narrative(analysis, with_tables=False)
    style = analysis.profile.styles.text
    slots = []
    for block in doc.blocks:
        if not isinstance(block, Paragraph):
            continue
        text = ""
        pending: list[tuple[int, FigureRef, str]] = []
        for run in block.runs:
            if isinstance(run, FigureRef):
                printed = format_figure(run.value, run.unit, style, run.absolute)
                if run.value is not None:
                    pending.append((len(text), run, printed))
                text += printed
            else:
                text += run.text
        text = re.sub(r"\s+", "", text)
        for at, ref, printed in pending:
            fig = analysis.figures.get(ref.id)
            value = abs(ref.value) if ref.absolute and ref.value is not None else ref.value
            slots.append(
                Slot(
                    _mask(text[:at]),
                    _unit(text[at + len(printed) :]),
                    printed,
                    ref.id,
                    value,
                    fig.tolerance if fig else Decimal(0),
                )
            )
    return slots


def document_slots(paras: list[Para]) -> list[Slot]:
    slots = []
    for para in paras:
        for m in NUMBER.finditer(para.text):
            unit = _unit(para.text[m.end() :])
            if not unit:
                continue
            slots.append(
                Slot(_mask(para.text[: m.start()]), unit, m.group(0), para=para, offset=m.start())
            )
    return slots


def _unit(after: str) -> str:
    m = UNIT.match(after)
    return m.group(1) if m else ""


def pairs(rendered: list[Slot], stated: list[Slot]) -> list[tuple[Slot, Slot]]:
    """Rendered and stated numbers at the same place: for each rendered number, the longest
    context (of :data:`CONTEXTS`) that is unique among the rendered numbers and finds exactly
    one stated number."""
    out = []
    used: set[int] = set()
    for r in rendered:
        for n in CONTEXTS:
            if len(r.before) < n:
                continue
            key = (r.before[-n:], r.unit)
            same_r = sum(1 for x in rendered if (x.before[-n:], x.unit) == key)
            same_s = [
                i for i, s in enumerate(stated) if (s.before[-n:], s.unit) == key and i not in used
            ]
            if same_r == 1 and len(same_s) == 1:
                used.add(same_s[0])
                out.append((r, stated[same_s[0]]))
                break
    return out


def check_against_tables(
    analysis, paras: list[Para], sink: Sink, unread_funds: list[str] | None = None
) -> None:
    """``unread_funds``: funds whose table was not read; the numbers rendered from their
    figures (or from the 财政拨款 totals adding them up) are not compared."""
    from juesuan.check.tables import fund_dependent

    rendered = rendered_slots(analysis)
    if unread_funds:
        rendered = [r for r in rendered if not fund_dependent(r.figure, unread_funds)]
    stated = document_slots(paras)
    found = pairs(rendered, stated)
    if not found:
        sink.cannot("CHK-122", "文中没有与按报表数据生成的说明同一位置的数字")
        return
    already = {(i.finding.location.line, i.page, i.paragraph, i.finding.stated) for i in sink.items}
    for r, s in found:
        sink.checked("CHK-122")
        said = dec(s.text)
        printed = dec(r.text)
        if said == printed or r.value is None:
            continue
        places = places_of(s.text)
        if said == quantize(r.value, places):
            continue
        assert s.para is not None
        where = s.para.where(s.offset)
        if (where["line"], where["page"], where["paragraph"], said) in already:
            continue  # reported by a more specific rule at the same place
        unit_step = Decimal(1).scaleb(-places) / 2
        rounding = abs(said - r.value) <= r.tolerance + unit_step
        start = max(0, s.offset - 24)
        context = s.para.text[start : s.offset + len(s.text) + len(s.unit)]
        sink.add(
            "CHK-122",
            f"文中「{context}」为{s.text}{s.unit}，按本文件报表数据应为{r.text}{r.unit}",
            **where,
            stated=said,
            expected=printed,
            quote=s.para.text[start : s.offset + 40],
            rounding=rounding,
        )
