"""合计与勾稽: stated totals against the detail, and the accounting identities."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from decimal import Decimal

from juesuan.core.figures import Figure
from juesuan.core.findings import Finding, Location, Severity
from juesuan.core.money import round2, to_wan
from juesuan.derive import NARRATIVE_TABLE
from juesuan.model.dataset import FUND_KEYS, StatedFigure
from juesuan.rules.registry import RuleContext, allowed_gap, rule

# Identities checked between two derived figures: (left, right, table, row, message, path).
# ``path`` is where the left side is filled in (the message names its cell or line). In the
# first three a blank left side against a non-zero right side is a difference too (the data
# left out what the document prints); the 项目支出 economic table is optional.
IDENTITIES = (
    (
        "income.grand_total",
        "expenditure.grand_total",
        "收入支出决算总表",
        "总计",
        "收入总计与支出总计应相等",
        "income.general_budget",
    ),
    (
        "appropriation.grand_total",
        "appropriation.grand_total.expenditure",
        "财政拨款收入支出决算总表",
        "总计",
        "财政拨款收入总计与支出总计应相等",
        "income.general_budget",
    ),
    (
        "econ.basic.total",
        "general_budget.expenditure.basic",
        "一般公共预算财政拨款基本支出决算表",
        "合计",
        "按经济分类的基本支出合计应等于按功能分类的一般公共预算财政拨款基本支出",
        "basic_by_economic",
    ),
    (
        "econ.project.total",
        "general_budget.expenditure.project",
        "一般公共预算财政拨款项目支出决算表",
        "合计",
        "按经济分类的项目支出合计应等于按功能分类的一般公共预算财政拨款项目支出",
        "project_by_economic",
    ),
)
_BLANK_IS_ZERO = {"income.grand_total", "appropriation.grand_total", "econ.basic.total"}


def _stated(ctx: RuleContext) -> Iterator[tuple[StatedFigure, Location, bool]]:
    """The stated figures of the data, then those a workbook printed as formulas (True)."""
    for key, figures in (("stated", ctx.ds.stated), ("printed", ctx.ds.printed)):
        for i, s in enumerate(figures):
            yield s, ctx.where(f"{key}.{i}", s.table, s.row, s.column), key == "printed"


@rule("TOT-001")
def stated_against_detail(ctx: RuleContext) -> Iterator[Finding]:
    rounding: list[str] = []
    for s, loc, printed in _stated(ctx):
        fig = ctx.figs.get(s.figure)
        if fig is None and printed:  # a 类 the data have no line of: its sum is nothing
            if s.value != 0:
                yield stated_against_detail.finding(
                    f"列示数{round2(to_wan(s.value, ctx.ds.unit))}万元，而明细中没有此行的数"
                    "（按明细计算为空白）",
                    loc,
                    to_wan(s.value, ctx.ds.unit),
                )
            continue
        if fig is None:
            yield stated_against_detail.finding(
                f"未知的数字编号「{s.figure}」，无法核对（见 docs/figures.md）", loc
            )
            continue
        if fig.value is None and s.value == 0:
            continue
        stated = to_wan(s.value, ctx.ds.unit)
        if s.table == NARRATIVE_TABLE:
            # A sentence states a figure the tables (or its own listed parts) give: it must
            # print the same two-decimal value, rounding is no excuse there.
            shown = round2(fig.amount)
            if round2(stated) != shown:
                yield stated_against_detail.finding(
                    f"情况说明列示{round2(stated)}万元，按报表及分项应为{shown}万元"
                    f"（差额{round2(stated - shown)}万元）",
                    loc,
                    stated,
                    shown,
                    severity=Severity.WARNING,
                )
            continue
        detail = fig.from_detail
        gap = allowed_gap(fig)
        if abs(stated - detail) <= gap:
            if round2(stated) != round2(detail):
                rounding.append(f"{loc.describe()} 列示{round2(stated)}、明细合计{round2(detail)}")
            continue
        yield stated_against_detail.finding(
            f"列示数{round2(stated)}万元与明细计算数{round2(detail)}万元不一致"
            f"（差额{round2(stated - detail)}万元，超出舍入容差{round2(gap)}万元）",
            loc,
            stated,
            detail,
        )
    if rounding:
        yield stated_against_detail.finding(
            f"{len(rounding)}处列示数与明细合计仅差舍入误差（四舍五入后分项之和与合计数可相差0.01），"
            "不视为错误：" + "；".join(rounding),
            Location(file=ctx.ds.origin),
            severity=Severity.INFO,
        )


@rule("TOT-002")
def same_figure_same_value(ctx: RuleContext) -> Iterator[Finding]:
    seen: dict[str, list[int]] = defaultdict(list)
    for i, s in enumerate(ctx.ds.stated):
        seen[s.figure].append(i)
    for fid, indexes in seen.items():
        values = {ctx.ds.stated[i].value for i in indexes}
        if len(values) < 2:
            continue
        first = ctx.ds.stated[indexes[0]]
        for i in indexes[1:]:
            s = ctx.ds.stated[i]
            if s.value != first.value:
                yield same_figure_same_value.finding(
                    f"「{first.row or fid}」在{first.table or '前表'}列示为{first.value}，"
                    f"在{s.table or '此处'}列示为{s.value}，同一数字前后不一致",
                    ctx.where(f"stated.{i}", s.table, s.row, s.column),
                    s.value,
                    first.value,
                )


@rule("TOT-003")
def identities(ctx: RuleContext) -> Iterator[Finding]:
    for left, right, table, row, message, path in IDENTITIES:
        a, b = ctx.figs.get(left), ctx.figs.get(right)
        if a is None or b is None or b.value is None:
            continue
        if a.value is None and left not in _BLANK_IS_ZERO:
            continue
        if abs(a.amount - b.amount) > a.tolerance + b.tolerance:
            yield identities.finding(
                f"{message}：{round2(a.amount)}万元 ≠ {round2(b.amount)}万元",
                ctx.where(path, table, row),
                a.amount,
                b.amount,
            )


@rule("TOT-004")
def income_columns(ctx: RuleContext) -> Iterator[Finding]:
    if not any(line.income for line in ctx.ds.functional):
        return
    pairs = [("functional.income.appropriation", "income.appropriation", "财政拨款收入")]
    pairs += [
        (f"functional.income.{k}", f"income.{k}", label)
        for k, label in (
            ("superior_subsidy", "上级补助收入"),
            ("business", "事业收入"),
            ("operating", "经营收入"),
            ("subsidiary_remit", "附属单位上缴收入"),
            ("other", "其他收入"),
        )
    ]
    for by_code, total, label in pairs:
        a, b = ctx.figs[by_code], ctx.figs[total]
        if _differ(a, b):
            yield income_columns.finding(
                f"收入决算表「{label}」各科目合计{round2(a.amount)}万元，与本年{label}{round2(b.amount)}万元不一致",
                ctx.where("income", "收入决算表", "合计", label),
                a.amount,
                b.amount,
            )


@rule("TOT-005")
def fund_flow(ctx: RuleContext) -> Iterator[Finding]:
    labels = {
        "general_budget": "一般公共预算财政拨款",
        "government_fund": "政府性基金预算财政拨款",
        "state_capital": "国有资本经营预算财政拨款",
    }
    for fund in FUND_KEYS:
        income = ctx.figs[f"income.{fund}"]
        if income.value is None:
            continue
        opening, closing = ctx.figs[f"balance.opening.{fund}"], ctx.figs[f"balance.closing.{fund}"]
        spent = ctx.figs[f"{fund}.expenditure.total"]
        expected = opening.amount + income.amount - spent.amount
        tol = opening.tolerance + income.tolerance + spent.tolerance + closing.tolerance
        if abs(expected - closing.amount) > tol:
            yield fund_flow.finding(
                f"{labels[fund]}：年初结转和结余{round2(opening.amount)} + 本年收入{round2(income.amount)} − "
                f"本年支出{round2(spent.amount)} = {round2(expected)}万元，但年末结转和结余为{round2(closing.amount)}万元",
                ctx.where(
                    f"balances.closing.{fund}",
                    "财政拨款收入支出决算总表",
                    "年末财政拨款结转和结余",
                    labels[fund],
                ),
                closing.amount,
                expected,
            )


@rule("TOT-006")
def spending_covers_appropriation(ctx: RuleContext) -> Iterator[Finding]:
    for i, line in enumerate(ctx.ds.functional):
        if line.expenditure is None:
            continue
        for kind, label in (("basic", "基本支出"), ("project", "项目支出")):
            total = ctx.figs[f"func.{line.code}.expenditure.{kind}"]
            funds = sum(
                (ctx.figs.amount(f"func.{line.code}.{f}.{kind}") for f in FUND_KEYS), Decimal(0)
            )
            if round2(total.amount) < round2(funds):
                yield spending_covers_appropriation.finding(
                    f"科目{line.code}{label}{round2(total.amount)}万元小于其财政拨款{label}{round2(funds)}万元",
                    ctx.where(f"functional.{i}.expenditure.{kind}", "支出决算表", line.code, label),
                    total.amount,
                    funds,
                )


def _differ(a: Figure, b: Figure) -> bool:
    if a.value is None and b.value is None:
        return False
    return abs(a.amount - b.amount) > a.tolerance + b.tolerance
