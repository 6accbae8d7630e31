"""表间关系: figures that different tables or sections state about the same thing."""

from __future__ import annotations

from collections.abc import Iterator

from juesuan.core.findings import Finding
from juesuan.core.money import ZERO, round2
from juesuan.rules.registry import RuleContext, rule

# Economic items that are part of a 三公 figure: (economic code, 三公 item, label).
SANGONG_PARTS = (
    ("30212", "outbound", "因公出国（境）费用"),
    ("30217", "reception", "公务接待费"),
    ("30231", "vehicle_operation", "公务用车运行维护费"),
    ("31013", "vehicle_purchase", "公务用车购置"),
)


@rule("BTW-001")
def sangong_parts(ctx: RuleContext) -> Iterator[Finding]:
    for code, item, label in SANGONG_PARTS:
        part = ctx.figs.amount(f"econ.basic.{code}") + ctx.figs.amount(f"econ.project.{code}")
        whole = ctx.figs.get(f"sangong.final.{item}")
        if part == 0 or whole is None:
            continue
        if round2(part) > round2(whole.amount):
            yield sangong_parts.finding(
                f"经济分类「{code} {label}」支出{round2(part)}万元，大于“三公”经费中的{label}{round2(whole.amount)}万元",
                ctx.where(f"sangong.final.{item}", "财政拨款“三公”经费支出决算表", label, "决算数"),
                part,
                whole.amount,
            )


@rule("BTW-002")
def reception_parts(ctx: RuleContext) -> Iterator[Finding]:
    dom, foreign = ctx.figs["sangong.reception_domestic"], ctx.figs["sangong.reception_foreign"]
    total = ctx.figs["sangong.final.reception"]
    if dom.value is None or foreign.value is None or total.value is None:
        return
    parts = dom.amount + foreign.amount
    if abs(parts - total.amount) > dom.tolerance + foreign.tolerance + total.tolerance:
        yield reception_parts.finding(
            f"国内公务接待{round2(dom.amount)}万元 + 外事接待{round2(foreign.amount)}万元 = {round2(parts)}万元，"
            f"与公务接待费决算数{round2(total.amount)}万元不一致",
            ctx.where("sangong.reception_domestic.amount", "“三公”经费", "公务接待费", "决算数"),
            parts,
            total.amount,
        )


@rule("BTW-003")
def vehicle_purchases(ctx: RuleContext) -> Iterator[Finding]:
    vehicles = ctx.ds.sangong.vehicles_purchased
    if not vehicles or all(v.amount is None for v in vehicles):
        return
    parts = sum(
        (ctx.figs.amount(f"sangong.vehicles_purchased.{i}") for i in range(len(vehicles))), ZERO
    )
    total = ctx.figs["sangong.final.vehicle_purchase"]
    tol = sum(
        (ctx.figs[f"sangong.vehicles_purchased.{i}"].tolerance for i in range(len(vehicles))), ZERO
    )
    if abs(parts - total.amount) > tol + total.tolerance:
        yield vehicle_purchases.finding(
            f"按车型列示的购置金额合计{round2(parts)}万元，与公务用车购置费{round2(total.amount)}万元不一致",
            ctx.where("sangong.vehicles_purchased", "“三公”经费", "公务用车购置费", "决算数"),
            parts,
            total.amount,
        )


@rule("BTW-004")
def procurement_parts(ctx: RuleContext) -> Iterator[Finding]:
    total, sme, micro = (ctx.figs[f"procurement.{k}"] for k in ("total", "sme", "micro"))
    if round2(sme.amount) > round2(total.amount):
        yield procurement_parts.finding(
            f"授予中小企业合同金额{round2(sme.amount)}万元大于政府采购支出总额{round2(total.amount)}万元",
            ctx.where("procurement.sme", "政府采购", "授予中小企业合同金额"),
            sme.amount,
            total.amount,
        )
    if round2(micro.amount) > round2(sme.amount):
        yield procurement_parts.finding(
            f"授予小微企业合同金额{round2(micro.amount)}万元大于授予中小企业合同金额{round2(sme.amount)}万元",
            ctx.where("procurement.micro", "政府采购", "授予小微企业合同金额"),
            micro.amount,
            sme.amount,
        )


@rule("BTW-005")
def initial_budget_total(ctx: RuleContext) -> Iterator[Finding]:
    total = ctx.figs.get("budget.initial_total")
    lines = ctx.figs["general_budget.initial_budget"]
    if total is None or lines.value is None:
        return
    if abs(total.amount - lines.amount) > total.tolerance + lines.tolerance:
        yield initial_budget_total.finding(
            f"年初预算总额{round2(total.amount)}万元，与各科目年初预算之和{round2(lines.amount)}万元不一致",
            ctx.where("initial_budget_total"),
            total.amount,
            lines.amount,
        )


@rule("BTW-006")
def office_operation(ctx: RuleContext) -> Iterator[Finding]:
    office, public = ctx.figs["office_operation"], ctx.figs.get("econ.basic.public")
    if office.value is None or public is None or public.value is None:
        return
    if round2(office.amount) > round2(public.amount):
        yield office_operation.finding(
            f"机关运行经费{round2(office.amount)}万元大于基本支出中的公用经费{round2(public.amount)}万元",
            ctx.where("office_operation", "其他重要事项", "机关运行经费"),
            office.amount,
            public.amount,
        )
