"""Which standard table holds which dataset field: shared by the template writer and the loader.

The officer enters each value once. The *input* tables are the 项-level tables that own a
part of every :class:`~juesuan.model.dataset.FunctionalLine` (收入决算表 → ``income``,
支出决算表 → ``expenditure``, the fund tables → ``general_budget`` / ``government_fund`` /
``state_capital``), the two economic tables (基本支出 → ``basic_by_economic``, 项目支出 →
``project_by_economic``), the two summary tables (本年收入 by source and 结转结余) and the
三公 table (预算数/决算数). Every other standard table is derived by the program.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from juesuan.profiles import profile_dir
from juesuan.profiles.tables import common_specs, load_specs

__all__ = [
    "ECONOMIC_INPUT",
    "EXTRA_COLUMNS",
    "FUNCTIONAL_INPUT",
    "SCALAR_FIGURES",
    "SUM_FIGURES",
    "profile_specs",
]

# functional table key → the FunctionalLine part it owns
FUNCTIONAL_INPUT: dict[str, str] = {
    "income": "income",
    "expenditure": "expenditure",
    "general_budget": "general_budget",
    "government_fund": "government_fund",
    "state_capital": "state_capital",
}
# economic table key → dataset list
ECONOMIC_INPUT: dict[str, str] = {
    "basic": "basic_by_economic",
    "project_economic": "project_by_economic",
}

# Columns after the official ones, for line fields no table prints (label, line field, kind).
EXTRA_COLUMNS: dict[str, tuple[tuple[str, str, str], ...]] = {
    "general_budget": (
        ("年初预算数", "general_budget.initial_budget", "amount"),
        ("调整预算数（全年预算数）", "general_budget.adjusted_budget", "amount"),
        ("年初结转和结余", "general_budget.opening_balance", "amount"),
        ("本年收入", "general_budget.income", "amount"),
        ("年末结转和结余", "general_budget.closing_balance", "amount"),
        ("科目说明（主要用于…）", "explanation", "text"),
        ("决算数与预算数不一致的原因", "gap_reason", "text"),
    ),
    "government_fund": (
        ("年初预算数", "government_fund.initial_budget", "amount"),
        ("调整预算数（全年预算数）", "government_fund.adjusted_budget", "amount"),
    ),
    "state_capital": (
        ("年初预算数", "state_capital.initial_budget", "amount"),
        ("调整预算数（全年预算数）", "state_capital.adjusted_budget", "amount"),
    ),
}

# Figures of the summary and 三公 tables that are dataset fields (figure id → dataset path).
SCALAR_FIGURES: dict[str, str] = {
    **{
        f"income.{k}": f"income.{k}"
        for k in (
            "general_budget",
            "government_fund",
            "state_capital",
            "superior_subsidy",
            "business",
            "operating",
            "subsidiary_remit",
            "other",
        )
    },
    "balance.use_of_non_appropriation": "balances.use_of_non_appropriation_balance",
    "balance.opening.total": "balances.opening.total",
    "balance.distribution": "balances.distribution",
    "balance.closing.total": "balances.closing.total",
    **{
        f"balance.{side}.{fund}": f"balances.{side}.{fund}"
        for side in ("opening", "closing")
        for fund in ("general_budget", "government_fund", "state_capital")
    },
    **{
        f"sangong.{kind}.{item}": f"sangong.{kind}.{item}"
        for kind in ("budget", "final")
        for item in ("outbound", "vehicle_purchase", "vehicle_operation", "reception")
    },
}

_INCOME = [f for f in SCALAR_FIGURES if f.startswith("income.")]
# Figures shown as formulas: the sum of other figures placed in the workbook.
SUM_FIGURES: dict[str, list[str]] = {
    "income.total": _INCOME,
    "income.grand_total": [
        "income.total",
        "balance.use_of_non_appropriation",
        "balance.opening.total",
    ],
    "expenditure.grand_total": [
        "expenditure.total",
        "balance.distribution",
        "balance.closing.total",
    ],
    "appropriation.income.total": _INCOME[:3],
    **{
        f"balance.{side}.appropriation": [
            f"balance.{side}.{fund}"
            for fund in ("general_budget", "government_fund", "state_capital")
        ]
        for side in ("opening", "closing")
    },
    "appropriation.grand_total": ["appropriation.income.total", "balance.opening.appropriation"],
    "appropriation.grand_total.expenditure": [
        "appropriation.expenditure.total",
        "balance.closing.appropriation",
    ],
    "appropriation.expenditure.total": [
        "general_budget.expenditure.total",
        "government_fund.expenditure.total",
        "state_capital.expenditure.total",
    ],
    **{
        f"{fund}.grand_total.expenditure": [
            f"{fund}.expenditure.total",
            f"balance.closing.{fund}",
        ]
        for fund in ("general_budget", "government_fund", "state_capital")
    },
    **{
        f"sangong.{kind}.vehicle": [
            f"sangong.{kind}.vehicle_purchase",
            f"sangong.{kind}.vehicle_operation",
        ]
        for kind in ("budget", "final")
    },
    **{
        f"sangong.{kind}.total": [
            f"sangong.{kind}.outbound",
            f"sangong.{kind}.vehicle",
            f"sangong.{kind}.reception",
        ]
        for kind in ("budget", "final")
    },
}


def profile_specs(profile: str) -> list[dict[str, Any]]:
    """The profile's table specs, plus the common input tables the profile does not print."""
    path = profile_dir(profile) / "tables.yaml"  # KeyError unless a registered profile
    specs = list(load_specs(Path(path)))
    keys = {s["key"] for s in specs}
    missing = [k for k in (*FUNCTIONAL_INPUT, *ECONOMIC_INPUT) if k not in keys]
    if missing:
        common = common_specs()
        # marked ``added``: the loader treats them as optional (exports of the profile lack them)
        specs += [{**common[k], "added": True} for k in missing]
    return specs


def is_line_sum(formula: str) -> bool:
    """Whether ``formula`` is the template's own in a 支出决算表 amount cell: the line's
    fiscal-fund amounts summed by code (``=IF(COUNTIFS(…)=0,"",SUMIF(…)+…)``, written by
    ``juesuan.excel.workbook._Book.resolve_line_sums``). Left uncalculated, the loader
    takes the same amounts from the fund tables; any other formula's lost result is reported."""
    return formula.lstrip("=").replace(" ", "").startswith("IF(COUNTIFS(")
