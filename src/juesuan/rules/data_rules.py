"""数据合理性: amounts that cannot be right for any department, such as a wrong unit."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

from juesuan.core.findings import Finding
from juesuan.rules.registry import RuleContext, rule

# 1万亿元 in 万元: more than any single department spends in a year.
IMPLAUSIBLY_LARGE = Decimal(10) ** 8
# 1,000元 in 万元: a department that spends something spends more than this.
IMPLAUSIBLY_SMALL = Decimal("0.1")


@rule("DAT-001")
def unit_magnitude(ctx: RuleContext) -> Iterator[Finding]:
    for fid, what in (("income.total", "本年收入合计"), ("expenditure.total", "本年支出合计")):
        value = ctx.figs.value(fid)
        if value is None or value == 0:
            continue
        if value > IMPLAUSIBLY_LARGE:
            hint = "超过1万亿元"
        elif value < IMPLAUSIBLY_SMALL:
            hint = "不足1000元"
        else:
            continue
        yield unit_magnitude.finding(
            f"按单位「{ctx.ds.unit}」换算，{what}为{value}万元，{hint}，请检查 unit 是否填错（元/万元）",
            ctx.where("unit", None, what),
        )
