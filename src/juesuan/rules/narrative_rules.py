"""说明完整性: what the narrative needs from the data — reasons, budgets, comparatives, texts."""

from __future__ import annotations

import re
from collections.abc import Iterator

from juesuan.core.findings import Finding, Location
from juesuan.core.money import round2
from juesuan.derive import choose_bases
from juesuan.io.validation_messages import field_label
from juesuan.rules.registry import RuleContext, rule

# Year-on-year changes the narrative explains: (figure, reason field, what).
CHANGES = (
    ("income.grand_total", "total_change", "收入、支出总计"),
    ("appropriation.grand_total", "appropriation_change", "财政拨款收入、支出总计"),
    ("general_budget.expenditure.total", "general_budget_change", "一般公共预算财政拨款支出"),
    ("government_fund.expenditure.total", "government_fund_change", "政府性基金预算财政拨款支出"),
    ("state_capital.expenditure.total", "state_capital_change", "国有资本经营预算财政拨款支出"),
    ("sangong.final.total", "sangong_change", "“三公”经费"),
    ("sangong.final.outbound", "outbound_change", "因公出国（境）费"),
    ("sangong.final.vehicle", "vehicle_change", "公务用车购置及运行维护费"),
    ("sangong.final.reception", "reception_change", "公务接待费"),
    ("office_operation", "office_operation_change", "机关运行经费"),
)
# Prior-year figures the narrative compares against: (figure, prior_year field, what).
COMPARATIVES = (
    ("income.grand_total", "grand_total", "收入、支出总计"),
    ("appropriation.grand_total", "appropriation_grand_total", "财政拨款收入、支出总计"),
    ("general_budget.expenditure.total", "general_budget_expenditure", "一般公共预算财政拨款支出"),
    ("sangong.final.total", "sangong", "“三公”经费"),
    ("office_operation", "office_operation", "机关运行经费"),
)
PLACEHOLDER = re.compile(r"XX|ＸＸ|××|xx|＊＊|\*\*|…\s*$|（?待补充）?|TODO")
EMPTY_REASON = re.compile(r"^[\s，。；、,.;]*$")


@rule("NAR-001")
def change_has_reason(ctx: RuleContext) -> Iterator[Finding]:
    for fid, field, what in CHANGES:
        change = ctx.figs.get(f"{fid}.change")
        if change is None or change.value is None or round2(change.value) == 0:
            continue
        if getattr(ctx.ds.reasons, field):
            continue
        word = "增加" if change.value > 0 else "减少"
        yield change_has_reason.finding(
            f"{what}较上年{word}{abs(round2(change.value))}万元，但未填写变动原因（{field_label(f'reasons.{field}')}）",
            ctx.where(f"reasons.{field}", "情况说明", what, "变动原因"),
        )


@rule("NAR-002")
def gap_has_reason(ctx: RuleContext) -> Iterator[Finding]:
    basis = choose_bases(ctx.figs, ctx.profile.budget_basis)["general_budget"]
    for i, line in enumerate(ctx.ds.functional):
        final = ctx.figs.value(f"func.{line.code}.general_budget.total")
        budget = ctx.figs.value(f"func.{line.code}.general_budget.{basis}")
        if final is None or budget is None or round2(final) == round2(budget) or line.gap_reason:
            continue
        word = "大于" if final > budget else "小于"
        yield gap_has_reason.finding(
            f"科目{line.code}决算数{round2(final)}万元{word}预算数{round2(budget)}万元，未填写原因（{field_label(f'functional.{i}.gap_reason')}）",
            ctx.where(
                f"functional.{i}.gap_reason",
                "一般公共预算财政拨款支出决算具体情况",
                line.code,
                "原因",
            ),
        )
    final, budget = ctx.figs.value("sangong.final.total"), ctx.figs.value("sangong.budget.total")
    if (
        final is not None
        and budget is not None
        and round2(final) != round2(budget)
        and not ctx.ds.reasons.sangong_gap
    ):
        word = "大于" if final > budget else "小于"
        yield gap_has_reason.finding(
            f"“三公”经费决算数{round2(final)}万元{word}预算数{round2(budget)}万元，未填写原因（{field_label('reasons.sangong_gap')}）",
            ctx.where("reasons.sangong_gap", "“三公”经费", "合计", "原因"),
        )


@rule("NAR-003")
def comparatives_present(ctx: RuleContext) -> Iterator[Finding]:
    for fid, field, what in COMPARATIVES:
        if ctx.figs.value(fid) is not None and ctx.figs.value(f"prior.{fid}") is None:
            yield comparatives_present.finding(
                f"缺少上年{what}（{field_label(f'prior_year.{field}')}），说明中无法与上年比较",
                ctx.where(f"prior_year.{field}", "上年比较数", what),
            )


@rule("NAR-004")
def no_placeholders(ctx: RuleContext) -> Iterator[Finding]:
    texts: list[tuple[str, str]] = [(f"reasons.{k}", v) for k, v in ctx.ds.reasons if v is not None]
    texts += [
        (f"functional.{i}.gap_reason", line.gap_reason)
        for i, line in enumerate(ctx.ds.functional)
        if line.gap_reason is not None
    ]
    texts += [
        (f"functional.{i}.explanation", line.explanation)
        for i, line in enumerate(ctx.ds.functional)
        if line.explanation is not None
    ]
    texts += [(f"department.duties.{i}", d) for i, d in enumerate(ctx.ds.department.duties)]
    for path, text in texts:
        if EMPTY_REASON.match(text):
            yield no_placeholders.finding("文字为空或只有标点", ctx.where(path))
        elif m := PLACEHOLDER.search(text):
            yield no_placeholders.finding(
                f"文字含占位符「{m.group(0)}」：{text[:40]}", ctx.where(path)
            )


@rule("NAR-005")
def zero_budget(ctx: RuleContext) -> Iterator[Finding]:
    basis = choose_bases(ctx.figs, ctx.profile.budget_basis)["general_budget"]
    for i, line in enumerate(ctx.ds.functional):
        final = ctx.figs.value(f"func.{line.code}.general_budget.total")
        budget = ctx.figs.value(f"func.{line.code}.general_budget.{basis}")
        if budget is not None and budget == 0 and final:
            yield zero_budget.finding(
                f"科目{line.code}预算数为0，决算数{round2(final)}万元，无法计算完成预算比例",
                ctx.where(
                    f"functional.{i}.general_budget.{basis}",
                    "一般公共预算财政拨款支出",
                    line.code,
                    "预算数",
                ),
            )


@rule("NAR-006")
def zero_base(ctx: RuleContext) -> Iterator[Finding]:
    for fid, field, what in COMPARATIVES:
        prior = ctx.figs.value(f"prior.{fid}")
        current = ctx.figs.value(fid)
        if prior is not None and prior == 0 and current:
            yield zero_base.finding(
                f"上年{what}为0，本年{round2(current)}万元，不计算增长率",
                ctx.where(f"prior_year.{field}", "上年比较数", what),
            )


SANGONG_ITEMS = (
    ("outbound", "因公出国（境）费"),
    ("vehicle_purchase", "公务用车购置费"),
    ("vehicle_operation", "公务用车运行维护费"),
    ("reception", "公务接待费"),
)


@rule("NAR-007")
def budget_present(ctx: RuleContext) -> Iterator[Finding]:
    basis = choose_bases(ctx.figs, ctx.profile.budget_basis)["general_budget"]
    label = "调整预算数" if basis == "adjusted_budget" else "年初预算数"
    for i, line in enumerate(ctx.ds.functional):
        if line.general_budget is None or getattr(line.general_budget, basis) is not None:
            continue
        yield budget_present.finding(
            f"科目{line.code}未填报{label}，说明无法列示完成预算情况",
            ctx.where(
                f"functional.{i}.general_budget.{basis}",
                "一般公共预算财政拨款支出",
                line.code,
                label,
            ),
        )
    sg = ctx.ds.sangong
    for key, what in SANGONG_ITEMS:
        if getattr(sg.final, key) and getattr(sg.budget, key) is None:
            yield budget_present.finding(
                f"{what}有支出{round2(getattr(sg.final, key))}万元，未填报预算数，"
                "说明无法列示完成预算情况",
                ctx.where(f"sangong.budget.{key}", "“三公”经费", what, "预算数"),
            )


@rule("NAR-008")
def required_parts(ctx: RuleContext) -> Iterator[Finding]:
    if not ctx.ds.department.duties and not ctx.ds.department.duties_preamble:
        yield required_parts.finding(
            f"未填写部门职责（{field_label('department.duties')}），第一部分无法生成",
            ctx.where("department.duties", "部门概况", "部门职责"),
        )
    if not ctx.ds.functional:
        yield required_parts.finding(
            f"未填写{field_label('functional')}，决算情况说明无法生成",
            Location(file=ctx.ds.origin, path="functional"),
        )
