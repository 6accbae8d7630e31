"""derive: the dataset's detail → every figure the disclosure states.

Leaf figures come straight from the data (converted to exact 万元, with the rounding
tolerance their stated precision implies); everything else is a sum, difference, rate,
share or completion of other figures, recorded with its formula and inputs.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import replace
from decimal import Decimal

from juesuan.core.figures import COUNT, PCT, WAN, Figure, FigureSet, figure
from juesuan.core.money import (
    HALF_CENT,
    ZERO,
    largest_remainder_shares,
    percent,
    rate,
    to_wan,
    tolerance_of,
)
from juesuan.model.dataset import (
    FUND_KEYS,
    INCOME_SOURCES,
    SANGONG_ITEMS,
    SPENDING_KINDS,
    Dataset,
    FunctionalLine,
)

LINE_INCOME = (
    "appropriation",
    "superior_subsidy",
    "business",
    "operating",
    "subsidiary_remit",
    "other",
)
FUND_FIELDS = (
    "initial_budget",
    "adjusted_budget",
    "opening_balance",
    "income",
    "basic",
    "project",
    "closing_balance",
)
PERSONNEL_CLASSES = ("301", "303")
# The two budgets a 决算 is compared with: 年初预算 and 全年预算 (调整预算).
BUDGET_BASES = ("initial_budget", "adjusted_budget")
# Which budget a fund's sentences compare with: one basis for every fund, a preference order
# (the first whose fund total is not zero: a unit founded during the year has 年初预算 0), or
# per fund (``{"general_budget": ["initial_budget", "adjusted_budget"], …}``).
BasisSpec = str | Sequence[str] | Mapping[str, str | Sequence[str]]
# ``stated`` entries with this table name were printed in the 情况说明 (the narrative), not in a
# table: they are checked against the detail but never replace a computed total (see _Builder.sum).
NARRATIVE_TABLE = "情况说明"
PROCUREMENT_DETAIL = (
    "sme_reserved_budget",
    "micro_reserved_budget",
    "sme_reserved_awarded",
    "micro_reserved_awarded",
    "sme_other_awarded",
)

# Pairs (current, prior) compared year on year; the prior figure id is ``prior.<current>``.
PRIOR_FIELDS = {
    "grand_total": "income.grand_total",
    "income_total": "income.total",
    "expenditure_total": "expenditure.total",
    "appropriation_grand_total": "appropriation.grand_total",
    "general_budget_expenditure": "general_budget.expenditure.total",
    "government_fund_expenditure": "government_fund.expenditure.total",
    "state_capital_expenditure": "state_capital.expenditure.total",
    "basic_expenditure": "econ.basic.total",
    "office_operation": "office_operation",
}


def basis_preferences(spec: BasisSpec) -> dict[str, tuple[str, ...]]:
    """fund → the budgets its sentences may compare with, in order of preference."""

    def order(value: str | Sequence[str]) -> tuple[str, ...]:
        prefs = (value,) if isinstance(value, str) else tuple(value)
        bad = [b for b in prefs if b not in BUDGET_BASES]
        if not prefs or bad:
            raise ValueError(f"budget basis must be one of {BUDGET_BASES}: {value!r}")
        return prefs

    if isinstance(spec, Mapping):
        default = order(spec.get("default", "adjusted_budget"))
        return {fund: order(spec[fund]) if fund in spec else default for fund in FUND_KEYS}
    return {fund: order(spec) for fund in FUND_KEYS}


def choose_bases(figs: FigureSet, spec: BasisSpec) -> dict[str, str]:
    """fund → the budget its sentences compare with: the first preferred basis whose fund
    total is a non-zero figure (else the first preferred)."""
    out = {}
    for fund, prefs in basis_preferences(spec).items():
        out[fund] = next((b for b in prefs if figs.value(f"{fund}.{b}")), prefs[0])
    return out


class _Builder:
    def __init__(self, ds: Dataset, completion_basis: BasisSpec, prior: FigureSet | None = None):
        self.ds = ds
        self.prior_figs = prior
        self.unit = ds.unit
        self.basis = completion_basis
        self.figs = FigureSet()
        self.stated = _unique_stated(ds)

    # -- leaves -------------------------------------------------------------------------
    def leaf(self, fid: str, raw: Decimal | None, path: str, label: str = "") -> Figure:
        if raw is None:
            value, tol = None, ZERO
        else:
            value, tol = to_wan(raw, self.unit), tolerance_of(raw, self.unit)
        fig = figure(fid, value, WAN, "input", (), tol, label, self.ds.locate(path))
        self.figs.figures[fid] = fig  # self.figs.add
        return fig

    def sum(self, fid: str, inputs: Iterable[str], label: str = "") -> Figure:
        """A sum of other figures. Where the tables state this total (one value everywhere)
        and it differs from the sum of the rounded parts only by their rounding, the stated
        total is the better figure: it was rounded once, from exact amounts.

        Only totals printed in a table count: a table's cells are each rounded once from the
        accounts, so its total may legitimately differ from the sum of its rounded parts. A
        total typed into the 情况说明 (``table: 情况说明``) next to parts that do not add up
        to it is a slip of the text, not a better figure; it is checked (TOT-001), never
        substituted, so the narrative prints the parts' sum (e.g. 政府采购 251.26, not 251.25)."""
        fig = self.figs.sum(fid, inputs, label)
        stated = self.stated.get(fid)
        if stated is None or fig.value is None or stated == fig.value:
            return fig
        if abs(stated - fig.value) > fig.tolerance + HALF_CENT:
            return fig
        return self.figs.add(
            replace(
                fig, value=stated, formula="stated total (sum within rounding)", computed=fig.value
            )
        )

    # -- functional lines ---------------------------------------------------------------
    def functional(self) -> None:
        ds = self.ds
        codes: list[str] = []
        for i, line in enumerate(ds.functional):
            self.line(i, line)
            codes.append(line.code)
        kuan = sorted({c[:5] for c in codes})
        lei = sorted({c[:3] for c in codes})
        self.functional_codes = {"项": codes, "款": kuan, "类": lei}
        suffixes = self.line_suffixes()
        for parents, width in ((kuan, 5), (lei, 3)):
            for parent in parents:
                children = [c for c in (codes if width == 5 else kuan) if c[:width] == parent]
                heads = [f"func.{c}." for c in children]
                head = f"func.{parent}."
                for suffix in suffixes:
                    self.sum(head + suffix, [h + suffix for h in heads])
        heads = [f"func.{c}." for c in lei]
        for suffix in suffixes:
            self.sum(f"functional.{suffix}", [h + suffix for h in heads])

    @staticmethod
    def line_suffixes() -> list[str]:
        out = [f"expenditure.{k}" for k in SPENDING_KINDS] + ["expenditure.total"]
        out += [f"income.{k}" for k in LINE_INCOME] + ["income.total"]
        for fund in FUND_KEYS:
            out += [f"{fund}.{f}" for f in FUND_FIELDS] + [f"{fund}.total"]
        out.append("appropriation.total")
        return out

    def line(self, i: int, line: FunctionalLine) -> None:
        c, base = line.code, f"functional.{i}"
        for fund in FUND_KEYS:
            block = getattr(line, fund)
            for f in FUND_FIELDS:
                raw = None if block is None else getattr(block, f)
                self.leaf(f"func.{c}.{fund}.{f}", raw, f"{base}.{fund}.{f}")
            self.sum(
                f"func.{c}.{fund}.total", (f"func.{c}.{fund}.basic", f"func.{c}.{fund}.project")
            )
        self.sum(f"func.{c}.appropriation.total", (f"func.{c}.{fund}.total" for fund in FUND_KEYS))
        if line.expenditure is not None:
            for k in SPENDING_KINDS:
                self.leaf(
                    f"func.{c}.expenditure.{k}",
                    getattr(line.expenditure, k),
                    f"{base}.expenditure.{k}",
                )
        else:  # no other funds: the line's spending is its appropriation spending
            for k in SPENDING_KINDS:
                if k in ("basic", "project"):
                    self.sum(
                        f"func.{c}.expenditure.{k}", (f"func.{c}.{fund}.{k}" for fund in FUND_KEYS)
                    )
                else:
                    self.figs.add(Figure(f"func.{c}.expenditure.{k}", None))
        self.sum(
            f"func.{c}.expenditure.total", (f"func.{c}.expenditure.{k}" for k in SPENDING_KINDS)
        )
        for k in LINE_INCOME:
            raw = None if line.income is None else getattr(line.income, k)
            self.leaf(f"func.{c}.income.{k}", raw, f"{base}.income.{k}")
        self.sum(f"func.{c}.income.total", (f"func.{c}.income.{k}" for k in LINE_INCOME))

    # -- totals -------------------------------------------------------------------------
    def totals(self) -> None:
        ds = self.ds
        for src in INCOME_SOURCES:
            self.leaf(f"income.{src}", getattr(ds.income, src), f"income.{src}")
        self.sum("income.total", (f"income.{s}" for s in INCOME_SOURCES), "本年收入合计")
        self.sum("income.appropriation", (f"income.{s}" for s in FUND_KEYS), "财政拨款收入")
        b = ds.balances
        self.leaf(
            "balance.use_of_non_appropriation",
            b.use_of_non_appropriation_balance,
            "balances.use_of_non_appropriation_balance",
        )
        self.leaf("balance.distribution", b.distribution, "balances.distribution")
        for side in ("opening", "closing"):
            block = getattr(b, side)
            self.leaf(f"balance.{side}.total", block.total, f"balances.{side}.total")
            for fund in FUND_KEYS:
                self.leaf(f"balance.{side}.{fund}", getattr(block, fund), f"balances.{side}.{fund}")
            self.sum(f"balance.{side}.appropriation", (f"balance.{side}.{fd}" for fd in FUND_KEYS))
        self.sum(
            "income.grand_total",
            ("income.total", "balance.use_of_non_appropriation", "balance.opening.total"),
            "收入总计",
        )
        for k in SPENDING_KINDS:
            self.sum(
                f"expenditure.{k}",
                (f"func.{c}.expenditure.{k}" for c in self.functional_codes["类"]),
            )
        self.sum("expenditure.total", (f"expenditure.{k}" for k in SPENDING_KINDS), "本年支出合计")
        self.sum(
            "expenditure.grand_total",
            ("expenditure.total", "balance.distribution", "balance.closing.total"),
            "支出总计",
        )
        lei = self.functional_codes["类"]
        for fund in FUND_KEYS:
            for part in ("basic", "project"):
                self.sum(f"{fund}.expenditure.{part}", (f"func.{c}.{fund}.{part}" for c in lei))
            self.sum(
                f"{fund}.expenditure.total",
                (f"{fund}.expenditure.basic", f"{fund}.expenditure.project"),
            )
            for fld in (
                "initial_budget",
                "adjusted_budget",
                "opening_balance",
                "income",
                "closing_balance",
            ):
                self.sum(f"{fund}.{fld}", (f"func.{c}.{fund}.{fld}" for c in lei))
        for fund in FUND_KEYS:  # 财政拨款收入支出决算总表 总计 row, by fund
            self.sum(
                f"{fund}.grand_total.expenditure",
                (f"{fund}.expenditure.total", f"balance.closing.{fund}"),
            )
        self.sum(
            "appropriation.income.total", (f"income.{s}" for s in FUND_KEYS), "财政拨款本年收入合计"
        )
        self.sum(
            "appropriation.expenditure.total",
            (f"{fd}.expenditure.total" for fd in FUND_KEYS),
            "财政拨款本年支出合计",
        )
        self.sum(
            "appropriation.grand_total",
            ("appropriation.income.total", "balance.opening.appropriation"),
            "财政拨款收入总计",
        )
        self.sum(
            "appropriation.grand_total.expenditure",
            ("appropriation.expenditure.total", "balance.closing.appropriation"),
            "财政拨款支出总计",
        )
        if ds.initial_budget_total is not None:
            self.leaf("budget.initial_total", ds.initial_budget_total, "initial_budget_total")

    # -- economic classification ----------------------------------------------------------
    def economic(self) -> None:
        for kind, lines in (
            ("basic", self.ds.basic_by_economic),
            ("project", self.ds.project_by_economic),
        ):
            codes = []
            for i, line in enumerate(lines):
                self.leaf(f"econ.{kind}.{line.code}", line.amount, f"{kind}_by_economic.{i}.amount")
                codes.append(line.code)
            classes = sorted({c[:3] for c in codes})
            for cls in classes:
                self.sum(f"econ.{kind}.{cls}", (f"econ.{kind}.{c}" for c in codes if c[:3] == cls))
            self.sum(f"econ.{kind}.total", (f"econ.{kind}.{c}" for c in classes))
            if kind == "basic":
                self.sum(
                    "econ.basic.personnel",
                    (f"econ.basic.{c}" for c in classes if c in PERSONNEL_CLASSES),
                    "人员经费",
                )
                self.sum(
                    "econ.basic.public",
                    (f"econ.basic.{c}" for c in classes if c not in PERSONNEL_CLASSES),
                    "公用经费",
                )
            setattr(self, f"{kind}_econ_codes", codes)
        # 基本 + 项目 by economic code (一般公共预算财政拨款支出决算明细表)
        both = sorted(set(self.basic_econ_codes) | set(self.project_econ_codes))
        for code in both:
            self.sum(f"econ.all.{code}", (f"econ.basic.{code}", f"econ.project.{code}"))
        classes = sorted({c[:3] for c in both})
        for cls in classes:
            self.sum(f"econ.all.{cls}", (f"econ.all.{c}" for c in both if c[:3] == cls))
        self.sum("econ.all.total", (f"econ.all.{c}" for c in classes))

    # -- other blocks -------------------------------------------------------------------
    def sangong(self) -> None:
        sg = self.ds.sangong
        for phase in ("budget", "final"):
            items = getattr(sg, phase)
            for it in SANGONG_ITEMS:
                self.leaf(f"sangong.{phase}.{it}", getattr(items, it), f"sangong.{phase}.{it}")
            self.sum(
                f"sangong.{phase}.vehicle",
                (f"sangong.{phase}.vehicle_purchase", f"sangong.{phase}.vehicle_operation"),
            )
            self.sum(f"sangong.{phase}.total", (f"sangong.{phase}.{it}" for it in SANGONG_ITEMS))
        for kind in ("domestic", "foreign"):
            rec = getattr(sg, f"reception_{kind}")
            self.leaf(f"sangong.reception_{kind}", rec.amount, f"sangong.reception_{kind}.amount")
        for i, v in enumerate(sg.vehicles_purchased):
            self.leaf(
                f"sangong.vehicles_purchased.{i}",
                v.amount,
                f"sangong.vehicles_purchased.{i}.amount",
            )

    def others(self) -> None:
        ds = self.ds
        self.leaf("office_operation", ds.office_operation, "office_operation", "机关运行经费")
        p = ds.procurement
        for k in ("goods", "works", "services", "sme", "micro"):
            self.leaf(f"procurement.{k}", getattr(p, k), f"procurement.{k}")
        self.sum(
            "procurement.total",
            ("procurement.goods", "procurement.works", "procurement.services"),
            "政府采购支出总额",
        )
        self.leaf("assets.total", ds.assets.total_assets, "assets.total_assets")
        for k in PROCUREMENT_DETAIL:
            self.leaf(f"procurement.{k}", getattr(p, k), f"procurement.{k}")
        pm = ds.performance
        self.leaf(
            "performance.with_targets_amount",
            pm.with_targets_amount,
            "performance.with_targets_amount",
        )
        self.leaf(
            "performance.monitored_amount", pm.monitored_amount, "performance.monitored_amount"
        )
        se = pm.self_evaluation
        self.leaf(
            "performance.self_evaluation.amount",
            None if se is None else se.amount,
            "performance.self_evaluation.amount",
        )

    # -- comparisons --------------------------------------------------------------------
    def from_prior_dataset(self, fid: str) -> bool:
        """Take ``prior.<fid>`` from the prior year's full dataset, when there is one."""
        fig = None if self.prior_figs is None else self.prior_figs.get(fid)
        if fig is None or fig.value is None:
            return False
        self.figs.add(
            Figure(
                f"prior.{fid}",
                fig.value,
                fig.unit,
                "prior-year dataset",
                (fid,),
                fig.tolerance,
                fig.label,
                fig.source,
            )
        )
        return True

    def projects(self) -> None:
        """Project classes of the self-evaluation (常年 / 一次性): count, adjusted budget,
        final and 1—12月 progress, from the project tables (the report states them)."""
        ev = self.ds.evaluation
        if ev is None or not ev.projects:
            return
        for kind, key in (("常年", "regular"), ("一次性", "one_off")):
            members = [(i, p) for i, p in enumerate(ev.projects) if p.kind == kind]
            self.figs.add(
                Figure(
                    f"projects.{key}.count",
                    Decimal(len(members)),
                    "个",
                    "count of projects",
                    (),
                    ZERO,
                    "项目数",
                )
            )
            for fld in ("adjusted_budget", "final"):
                ids = []
                for i, p in members:
                    fid = f"projects.{i}.{fld}"
                    self.leaf(
                        fid,
                        getattr(p.execution.total, fld),
                        f"evaluation.projects.{i}.execution.total.{fld}",
                    )
                    ids.append(fid)
                self.sum(f"projects.{key}.{fld}", ids)
            over = [
                p
                for _, p in members
                if p.execution.total.adjusted_budget
                and (p.execution.total.adjusted_budget - (p.execution.total.final or ZERO))
                > p.execution.total.adjusted_budget / 10
            ]
            self.figs.add(
                Figure(
                    f"projects.{key}.over_10_percent",
                    Decimal(len(over)),
                    COUNT,
                    "count of projects with balance rate > 10%",
                    (),
                    ZERO,
                    "预算结余率大于10%的项目数",
                )
            )
            budget = self.figs.amount(f"projects.{key}.adjusted_budget")
            final = self.figs.amount(f"projects.{key}.final")
            self.figs.add(
                Figure(
                    f"projects.{key}.progress",
                    percent(final, budget),
                    PCT,
                    "round2(final / adjusted_budget × 100)",
                    (f"projects.{key}.final", f"projects.{key}.adjusted_budget"),
                    ZERO,
                    "预算执行进度",
                )
            )

    def prior(self) -> None:
        py = self.ds.prior_year
        for fld, cur in PRIOR_FIELDS.items():
            raw = getattr(py, fld)
            if raw is not None:
                self.leaf(f"prior.{cur}", raw, f"prior_year.{fld}")
            else:
                self.from_prior_dataset(cur)
        items = [f"prior.sangong.final.{it}" for it in SANGONG_ITEMS]
        if py.sangong is not None:
            for it, fid in zip(SANGONG_ITEMS, items, strict=True):
                self.leaf(fid, getattr(py.sangong, it), f"prior_year.sangong.{it}")
        else:
            found = [self.from_prior_dataset(f"sangong.final.{it}") for it in SANGONG_ITEMS]
            for fid, ok in zip(items, found, strict=True):
                if any(found) and not ok:
                    self.figs.add(Figure(fid, None))
        if items[0] in self.figs:
            self.sum(
                "prior.sangong.final.vehicle",
                ("prior.sangong.final.vehicle_purchase", "prior.sangong.final.vehicle_operation"),
            )
            self.sum("prior.sangong.final.total", items)
        for cur in list(self.figs.figures):
            if cur.startswith("prior."):
                target = cur.removeprefix("prior.")
                if target in self.figs:
                    self.change(target)

    def change(self, fid: str) -> None:
        cur, pri = self.figs[fid], self.figs[f"prior.{fid}"]
        # A blank current figure (no such money this year) compares as zero.
        change = None if pri.value is None else cur.amount - pri.amount
        ch = self.figs.add(
            Figure(
                f"{fid}.change",
                change,
                WAN,
                "current - prior",
                (fid, pri.id),
                cur.tolerance + pri.tolerance,
                "增减额",
            )
        )
        value = None if change is None else rate(change, pri.amount)
        self.figs.add(
            Figure(
                f"{fid}.rate",
                value,
                PCT,
                "round2(change / prior × 100)",
                (ch.id, pri.id),
                ZERO,
                "增减率",
            )
        )

    def shares(self, ids: list[str], whole: str) -> None:
        """Largest-remainder shares of ``ids`` in ``whole`` (blank parts count as zero)."""
        parts = [self.figs.amount(i) for i in ids]
        total = self.figs.amount(whole)
        for fid, share in zip(ids, largest_remainder_shares(parts, total), strict=True):
            value = share if total != 0 else None
            self.figs.add(
                Figure(
                    f"{fid}.share",
                    value,
                    PCT,
                    f"largest remainder of part / {whole}",
                    (fid, whole),
                    ZERO,
                    "占比",
                )
            )

    def rounded_shares(self, ids: list[str], whole: str) -> None:
        """``<id>.share_rounded``: each part's share of ``whole`` rounded on its own (half
        up), as documents that do not force the shares to sum to 100.00 print them."""
        total = self.figs.amount(whole)
        for fid in ids:
            self.figs.add(
                Figure(
                    f"{fid}.share_rounded",
                    percent(self.figs.amount(fid), total),
                    PCT,
                    f"round2(part / {whole} × 100)",
                    (fid, whole),
                    ZERO,
                    "占比",
                )
            )

    def completion(self, fid: str, budget_id: str, label: str = "完成预算") -> None:
        final, budget = self.figs.get(fid), self.figs.get(budget_id)
        if final is None or budget is None or budget.value is None:
            return
        self.figs.add(
            Figure(
                f"{fid}.completion",
                percent(final.amount, budget.value),
                PCT,
                "round2(final / budget × 100)",
                (fid, budget_id),
                ZERO,
                label,
            )
        )

    def structure(self) -> None:
        f = self.figs
        self.shares(
            [f"income.{s}" for s in INCOME_SOURCES] + ["balance.use_of_non_appropriation"],
            "income.total",
        )
        self.shares([f"expenditure.{k}" for k in SPENDING_KINDS], "expenditure.total")
        lei = self.functional_codes["类"]
        self.shares(
            [f"func.{c}.general_budget.total" for c in lei], "general_budget.expenditure.total"
        )
        for fund in FUND_KEYS:
            self.figs.add(
                Figure(
                    f"{fund}.expenditure.total.share_of_total",
                    percent(f.amount(f"{fund}.expenditure.total"), f.amount("expenditure.total")),
                    PCT,
                    "round2(part / expenditure.total × 100)",
                    (f"{fund}.expenditure.total", "expenditure.total"),
                    ZERO,
                    "占本年支出合计",
                )
            )
        self.shares(
            [f"sangong.final.{it}" for it in ("outbound", "vehicle", "reception")],
            "sangong.final.total",
        )
        self.shares(["econ.basic.personnel", "econ.basic.public"], "econ.basic.total")
        for k in ("sme", "micro"):
            self.figs.add(
                Figure(
                    f"procurement.{k}.share",
                    percent(f.amount(f"procurement.{k}"), f.amount("procurement.total")),
                    PCT,
                    "round2(part / procurement.total × 100)",
                    (f"procurement.{k}", "procurement.total"),
                    ZERO,
                    "占政府采购支出总额",
                )
            )
        self.rounded_shares(
            ["income.appropriation"]
            + [f"income.{s}" for s in INCOME_SOURCES]
            + ["balance.use_of_non_appropriation"],
            "income.total",
        )
        self.rounded_shares([f"expenditure.{k}" for k in SPENDING_KINDS], "expenditure.total")
        self.rounded_shares(
            [f"func.{c}.general_budget.total" for c in lei], "general_budget.expenditure.total"
        )
        self.rounded_shares(
            [f"sangong.final.{it}" for it in ("outbound", "vehicle", "reception")],
            "sangong.final.total",
        )
        bases = choose_bases(self.figs, self.basis)
        for fund in FUND_KEYS:
            basis = bases[fund]
            label = "完成年初预算" if basis == "initial_budget" else "完成全年预算"
            codes = self.functional_codes["项"] + self.functional_codes["款"] + lei
            if fund != "general_budget":  # only where the data has the fund's lines
                codes = [c for c in codes if self.figs.value(f"func.{c}.{fund}.total") is not None]
            for c in codes:
                self.completion(f"func.{c}.{fund}.total", f"func.{c}.{fund}.{basis}", label)
            if fund == "general_budget" or codes:
                self.completion(f"{fund}.expenditure.total", f"{fund}.{basis}", label)
        for it in (*SANGONG_ITEMS, "vehicle", "total"):
            self.completion(f"sangong.final.{it}", f"sangong.budget.{it}")


def _unique_stated(ds: Dataset) -> dict[str, Decimal]:
    """Stated figures (万元) that every table states with the same value (the 情况说明's
    figures are not tables: see :meth:`_Builder.sum`)."""
    values: dict[str, set[Decimal]] = {}
    for s in ds.stated:
        if s.table == NARRATIVE_TABLE:
            continue
        values.setdefault(s.figure, set()).add(to_wan(s.value, ds.unit))
    return {fid: next(iter(v)) for fid, v in values.items() if len(v) == 1}


def derive(
    ds: Dataset, completion_basis: BasisSpec = "adjusted_budget", prior: FigureSet | None = None
) -> FigureSet:
    """Compute every figure of ``ds``. ``completion_basis`` names the budget that
    "完成预算X%" compares with (``adjusted_budget`` in Sichuan, ``initial_budget`` in Shanghai),
    per fund and with fallbacks: see :func:`choose_bases`."""
    b = _Builder(ds, completion_basis, prior)
    b.functional()
    b.totals()
    b.economic()
    b.sangong()
    b.others()
    b.projects()
    b.prior()
    b.structure()
    return b.figs
