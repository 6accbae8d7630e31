"""Totals stated in the narrative, as figure ids, so that the shared rule catalog compares
them with the same figures printed in the tables (TOT-002) and with the detail (TOT-001)."""

from __future__ import annotations

import re

from juesuan.check.model import dec
from juesuan.check.read.kinds import strip_ordinal
from juesuan.check.read.recover import Origin
from juesuan.check.text import Para

NUM = r"(-?\d[\d,]*(?:\.\d+)?)"
# (pattern, figure id) — from the two profiles' sentence templates; first match per sentence
PATTERNS: list[tuple[re.Pattern[str], str]] = [
    (
        re.compile(rf"财政拨款收入[、]?支出总计(?:均为|各为|为)?{NUM}万元"),
        "appropriation.grand_total",
    ),
    (
        re.compile(rf"(?<!财政拨款)收入[、]?支出总计(?:均为|各为|为)?{NUM}万元"),
        "income.grand_total",
    ),
    (re.compile(rf"本年收入合计{NUM}万元"), "income.total"),
    (re.compile(rf"本年支出合计{NUM}万元"), "expenditure.total"),
    (re.compile(rf"一般公共预算财政拨款基本支出{NUM}万元"), "econ.basic.total"),
    (re.compile(rf"人员经费{NUM}万元"), "econ.basic.personnel"),
    (re.compile(rf"(?:日常)?公用经费{NUM}万元"), "econ.basic.public"),
    (re.compile(rf"一般公共预算财政拨款支出{NUM}万元"), "general_budget.expenditure.total"),
    (re.compile(rf"“三公”经费财政拨款支出决算为{NUM}万元"), "sangong.final.total"),
    (
        re.compile(rf"政府性基金预算(?:财政)?拨款支出(?:决算)?(?:为)?{NUM}万元"),
        "government_fund.expenditure.total",
    ),
    (
        re.compile(rf"国有资本经营预算(?:财政)?拨款支出(?:决算)?(?:为)?{NUM}万元"),
        "state_capital.expenditure.total",
    ),
]
# the 三公 items as the text names them → figure id suffix; each item's final and budget
# figures bind to the 三公 table's cells (a blank cell whose figure the text states is found)
SANGONG_ITEMS = (
    ("因公出国（境）(?:经)?费", "outbound"),
    ("公务用车购置及运行(?:维护)?费", "vehicle"),
    ("公务用车购置(?:费|支出)", "vehicle_purchase"),
    ("公务用车运行(?:维护)?费", "vehicle_operation"),
    ("公务接待费", "reception"),
)
SANGONG_FIGURES: list[tuple[re.Pattern[str], str]] = [
    pattern
    for name, key in SANGONG_ITEMS
    for pattern in (
        (
            re.compile(rf"{name}(?:支出)?(?:决算)?(?:数)?(?:为|是)?{NUM}万元"),
            f"sangong.final.{key}",
        ),
        (
            re.compile(rf"{name}[^。；]*?(?:年初)?预算(?:数)?(?:为|是)?{NUM}万元"),
            f"sangong.budget.{key}",
        ),
    )
]
CLASS_AMOUNT = re.compile(rf"([\u4e00-\u9fff]{{2,16}}?支出)(?:（类）)?{NUM}万元，占")
# “…（款）行政运行（项）。……支出决算为X万元”: the 项 named before its final amount
ITEM_FINAL = re.compile(
    rf"（款）([^（）。；]{{2,40}}?)（项）[^。]*?(?:。[^。]*?){{0,3}}(?:支出决算|决算数)(?:为|是)?{NUM}万元"
)


def narrative_stated(
    paras: list[Para], class_names: dict[str, str], item_names: dict[str, str] | None = None
) -> list[tuple[str, object, Origin]]:
    """``item_names``: 项 name → code, from the tables (names printed once only)."""
    out = []
    for para in paras:
        for m in ITEM_FINAL.finditer(para.text):
            code = (item_names or {}).get(m.group(1))
            if code:
                fig = f"func.{code}.general_budget.total"
                label = f"{m.group(1)}（项）支出决算{m.group(2)}万元"
                out.append((fig, dec(m.group(2)), _origin(para, m, fig, label)))
        for pattern, fig in PATTERNS + SANGONG_FIGURES:
            for m in pattern.finditer(para.text):
                out.append((fig, dec(m.group(1)), _origin(para, m, fig)))
        if "主要用于以下方面" in para.text:
            for m in CLASS_AMOUNT.finditer(para.text):
                name = strip_ordinal(m.group(1))
                code = class_names.get(name)
                if code:
                    fig = f"func.{code}.general_budget.total"
                    out.append((fig, dec(m.group(2)), _origin(para, m, fig)))
    return out


def _origin(para: Para, m: re.Match, fig: str, label: str = "") -> Origin:
    line = para.at(m.start())
    quote = para.text[max(0, m.start() - 20) : m.end() + 20]
    return Origin("情况说明", label or m.group(0), "文中数字", line.line, line.page, None, quote)
