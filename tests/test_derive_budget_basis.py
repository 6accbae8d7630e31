"""Which budget the 决算 is compared with: per fund, with a fallback for a zero 年初预算."""

from __future__ import annotations

from decimal import Decimal

import pytest

from conftest import BASE, run
from juesuan.derive import basis_preferences, choose_bases, derive
from juesuan.profiles import load_profile


def test_preferences_from_one_basis_a_list_or_per_fund() -> None:
    assert basis_preferences("initial_budget")["government_fund"] == ("initial_budget",)
    prefs = basis_preferences(
        {"default": ["initial_budget", "adjusted_budget"], "state_capital": "adjusted_budget"}
    )
    assert prefs["general_budget"] == ("initial_budget", "adjusted_budget")
    assert prefs["state_capital"] == ("adjusted_budget",)
    with pytest.raises(ValueError):
        basis_preferences("final")


def _dataset(initial: str):
    text = BASE.replace(
        "general_budget: {adjusted_budget: 100.00, basic: 100.00}",
        f"general_budget: {{initial_budget: {initial}, adjusted_budget: 100.00, basic: 100.00}}",
    ).replace(
        "general_budget: {adjusted_budget: 20.00, basic: 20.00}",
        f"general_budget: {{initial_budget: {initial}, adjusted_budget: 20.00, basic: 20.00}}",
    )
    analysis, _ = run(text)
    assert analysis is not None
    return analysis.dataset


def test_zero_initial_budget_falls_back_to_the_full_year_budget() -> None:
    spec = {"default": ["initial_budget", "adjusted_budget"]}
    figs = derive(_dataset("0"), spec)
    assert choose_bases(figs, spec)["general_budget"] == "adjusted_budget"
    done = figs["general_budget.expenditure.total.completion"]
    assert done.value == Decimal("100.00") and done.label == "完成全年预算"
    assert done.inputs[1] == "general_budget.adjusted_budget"
    item = figs["func.2013101.general_budget.total.completion"]
    assert item.inputs[1] == "func.2013101.general_budget.adjusted_budget"


def test_a_non_zero_initial_budget_is_kept() -> None:
    spec = {"default": ["initial_budget", "adjusted_budget"]}
    figs = derive(_dataset("80.00"), spec)
    assert choose_bases(figs, spec)["general_budget"] == "initial_budget"
    done = figs["general_budget.expenditure.total.completion"]
    assert done.label == "完成年初预算" and done.value == Decimal("75.00")  # 120 / 160


def test_profiles_name_each_basis() -> None:
    shanghai, sichuan = load_profile("shanghai-2024"), load_profile("sichuan-2024")
    assert shanghai.budget_name("adjusted_budget") == "全年预算"
    assert shanghai.budget_name("initial_budget") == "年初预算"
    assert sichuan.budget_name("adjusted_budget") == "预算"  # as Sichuan's documents print it
