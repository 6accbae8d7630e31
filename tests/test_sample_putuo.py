"""The Shanghai Putuo finance bureau 2024 sample transcribes the published document faithfully."""

from __future__ import annotations

from decimal import Decimal
from importlib.resources import files

import pytest
import yaml

from juesuan.model import Dataset


@pytest.fixture(scope="module")
def putuo() -> Dataset:
    text = files("juesuan").joinpath("samples/putuo-2024.yaml").read_text(encoding="utf-8")
    return Dataset.model_validate(yaml.safe_load(text))


def stated(ds: Dataset, figure: str, table: str | None = None) -> list[Decimal]:
    return [
        s.value for s in ds.stated if s.figure == figure and (table is None or s.table == table)
    ]


def test_header(putuo: Dataset) -> None:
    assert putuo.profile == "shanghai-2024"
    assert putuo.unit == "万元"
    assert putuo.illustrative == []
    assert putuo.department.name == "上海市普陀区财政局"
    assert putuo.year == 2024
    assert len(putuo.department.duties) == 12
    assert len(putuo.department.structure.included_units) == 3


def test_functional_lines(putuo: Dataset) -> None:
    codes = [line.code for line in putuo.functional]
    assert len(codes) == 11
    assert len(set(codes)) == 11
    admin = next(line for line in putuo.functional if line.code == "2010601")
    assert admin.income.appropriation == Decimal("1511.89")
    assert admin.income.other == Decimal("0.01")
    assert admin.general_budget.basic == Decimal("1503.52")
    assert admin.general_budget.project == Decimal("8.37")
    assert admin.general_budget.initial_budget == Decimal("1560.05")


def test_income_components(putuo: Dataset) -> None:
    inc = putuo.income
    assert inc.general_budget == Decimal("2940.05")
    assert inc.other == Decimal("6.20")
    assert inc.government_fund is None and inc.business is None
    assert inc.general_budget + inc.other == Decimal("2946.25")
    assert stated(putuo, "income.total", "收入支出决算总表") == [Decimal("2946.25")]
    assert putuo.balances.opening.total + Decimal("2946.25") == Decimal("2995.39")


def test_stated_keeps_printed_inconsistency(putuo: Dataset) -> None:
    assert stated(putuo, "func.208.expenditure.total", "收入支出决算总表") == [Decimal("326.71")]
    assert stated(putuo, "func.208.appropriation.total", "财政拨款收入支出决算总表") == [
        Decimal("326.71")
    ]
    assert stated(putuo, "func.208.expenditure.total", "支出决算表") == [Decimal("326.72")]
    assert stated(putuo, "func.208.general_budget.total", "一般公共预算财政拨款支出决算表") == [
        Decimal("326.72")
    ]
    assert stated(putuo, "procurement.total") == [Decimal("251.25")]
    p = putuo.procurement
    assert p.goods + p.works + p.services == Decimal("251.26")


def test_stated_totals(putuo: Dataset) -> None:
    assert set(stated(putuo, "appropriation.grand_total", "财政拨款收入支出决算总表")) == {
        Decimal("2961.68")
    }
    assert stated(putuo, "econ.basic.personnel", "一般公共预算财政拨款基本支出决算表") == [
        Decimal("2152.26")
    ]
    assert stated(putuo, "econ.basic.public", "一般公共预算财政拨款基本支出决算表") == [
        Decimal("184.65")
    ]
    sangong_table = "财政拨款“三公”经费支出决算表"
    assert stated(putuo, "sangong.budget.total", sangong_table) == [Decimal("0.95")]
    assert sum(e.amount for e in putuo.basic_by_economic) == Decimal("2336.94")


def test_prior_year(putuo: Dataset) -> None:
    prior = putuo.prior_year
    assert prior.grand_total == Decimal("3052.34")
    assert prior.general_budget_expenditure == Decimal("3003.19")
    assert prior.office_operation == Decimal("182.10")
    assert putuo.office_operation == Decimal("184.65")
