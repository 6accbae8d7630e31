"""Each rule: silent on the consistent base dataset, fires at the right place when perturbed."""

from __future__ import annotations

from decimal import Decimal

from conftest import BASE, codes, run
from juesuan.core.findings import Severity
from juesuan.rules.registry import load_rules


def line_of(text: str, needle: str) -> int:
    return next(i for i, line in enumerate(text.splitlines(), 1) if needle in line)


def test_base_is_clean() -> None:
    analysis, findings = run(BASE)
    assert analysis is not None
    assert [f for f in findings if f.severity is not Severity.INFO] == []


def test_every_rule_has_code_title_and_doc() -> None:
    for code, r in load_rules().items():
        assert code == r.code and r.title and r.doc, code


def test_the_performance_rules_are_the_scoring_checks_in_order() -> None:
    """The PERF rules are registered from the code catalog, their checks imported on use."""
    from juesuan.performance.checks import CHECKS

    registered = [code for code, r in load_rules().items() if r.family == "performance"]
    assert registered == [code for code, _ in CHECKS]


def test_tot001_stated_total_mismatch_located() -> None:
    text = BASE.replace("value: 100.00, table: 支出决算表", "value: 100.50, table: 支出决算表")
    _, findings = run(text)
    [f] = [f for f in findings if f.code == "TOT-001"]
    assert f.severity is Severity.ERROR
    assert f.location.line == line_of(text, "value: 100.50")
    assert f.location.table == "支出决算表" and f.location.row == "一般公共服务支出"
    assert f.stated == Decimal("100.50") and f.expected == Decimal("100.00")
    assert "不一致" in f.message


def test_tot001_rounding_difference_is_one_info() -> None:
    text = BASE.replace("value: 120.00, table: 支出决算表", "value: 120.01, table: 支出决算表")
    _, findings = run(text)
    tot = [f for f in findings if f.code == "TOT-001"]
    assert [f.severity for f in tot] == [Severity.INFO]


def test_tot001_unknown_figure_id() -> None:
    text = BASE.replace("figure: expenditure.total,", "figure: expenditure.totl,")
    _, findings = run(text)
    assert any(f.code == "TOT-001" and "未知的数字编号" in f.message for f in findings)


def test_tot002_same_figure_two_values() -> None:
    text = (
        BASE
        + "  - {figure: func.201.expenditure.total, value: 100.01, table: 收入支出决算总表, row: 一般公共服务支出}\n"
    )
    _, findings = run(text)
    [f] = [f for f in findings if f.code == "TOT-002"]
    assert f.location.table == "收入支出决算总表"
    assert "100.00" in f.message and "100.01" in f.message


def test_tot003_grand_totals_must_balance() -> None:
    text = BASE.replace("closing: {total: 0}", "closing: {total: 5.00}")
    _, findings = run(text)
    assert "TOT-003" in codes(findings, "error")


def test_tot003_economic_and_functional_basic_agree() -> None:
    text = BASE.replace("amount: 10.00}", "amount: 12.00}")
    _, findings = run(text)
    assert any(f.code == "TOT-003" and "经济分类" in f.message for f in findings)


def test_tot004_income_columns() -> None:
    text = BASE.replace(
        "general_budget: {adjusted_budget: 20.00, basic: 20.00}",
        "income: {appropriation: 25.00}\n    general_budget: {adjusted_budget: 20.00, basic: 20.00}",
    )
    _, findings = run(text)
    assert "TOT-004" in codes(findings, "error")


def test_tot005_fund_flow() -> None:
    text = BASE.replace("general_budget: 120.00\n", "general_budget: 130.00\n", 1)
    _, findings = run(text)
    assert "TOT-005" in codes(findings, "error")


def test_tot006_all_funds_not_below_appropriation() -> None:
    text = BASE.replace(
        "general_budget: {adjusted_budget: 20.00, basic: 20.00}",
        "expenditure: {basic: 10.00}\n    general_budget: {adjusted_budget: 20.00, basic: 20.00}",
    )
    _, findings = run(text)
    [f] = [f for f in findings if f.code == "TOT-006"]
    assert f.location.line == line_of(text, "expenditure: {basic: 10.00}")


def test_cat001_unknown_code_with_its_name_is_one_hint_in_bundled_catalog() -> None:
    text = BASE.replace('"2080505"', '"2089998"')
    analysis, findings = run(text)
    [f] = [f for f in findings if f.code.startswith(("CAT-", "XLS-"))]
    assert f.code == "CAT-001" and f.severity is Severity.INFO
    assert "机关事业单位基本养老保险缴费支出" in f.message
    assert f.location.line == line_of(text, '"2089998"')
    assert analysis is not None
    assert analysis.names.functional("2089998") == "机关事业单位基本养老保险缴费支出"


def test_cat001_unknown_code_without_a_name_is_an_error() -> None:
    text = BASE.replace('"2080505"', '"2089998"').replace(
        "    name: 机关事业单位基本养老保险缴费支出\n", ""
    )
    _, findings = run(text)
    [f] = [f for f in findings if f.code == "CAT-001"]
    assert f.severity is Severity.ERROR and "「2089998」的名称" in f.message


def test_cat001_unknown_kuan_named_in_code_names() -> None:
    text = BASE.replace('"2080505"', '"2089898"')
    _, findings = run(text)
    [f] = [f for f in findings if f.code == "CAT-001"]
    assert f.severity is Severity.ERROR and "「20898」" in f.message
    text += "code_names: {'20898': 新设款}\n"
    analysis, findings = run(text)
    [f] = [f for f in findings if f.code.startswith("CAT-")]
    assert f.severity is Severity.INFO and "「新设款」" in f.message
    assert analysis is not None
    assert "新设款（款）" in analysis.names.functional_path("2089898")


def test_cat002_name_mismatch() -> None:
    text = BASE.replace("name: 行政运行", "name: 行政运转")
    _, findings = run(text)
    [f] = [f for f in findings if f.code == "CAT-002"]
    assert f.severity is Severity.ERROR
    assert "行政运转" in f.message and "行政运行" in f.message
    assert f.location.line == line_of(text, "name: 行政运转")


def test_cat004_duplicate_line() -> None:
    text = BASE.replace(
        '  - {code: "30201", name: 办公费, amount: 10.00}',
        '  - {code: "30201", name: 办公费, amount: 5.00}\n  - {code: "30201", name: 办公费, amount: 5.00}',
    )
    _, findings = run(text)
    [f] = [f for f in findings if f.code == "CAT-004"]
    assert f.severity is Severity.ERROR


def test_nar001_change_without_reason_and_with_reason() -> None:
    text = BASE.replace(
        "grand_total: 120.00\n  appropriation", "grand_total: 100.00\n  appropriation"
    )
    _, findings = run(text)
    [f] = [f for f in findings if f.code == "NAR-001"]
    assert "增加20.00万元" in f.message
    fixed = text + "reasons:\n  total_change: 人员增加\n"
    _, findings = run(fixed)
    assert "NAR-001" not in codes(findings)


def test_nar002_gap_without_reason() -> None:
    text = BASE.replace("adjusted_budget: 100.00", "adjusted_budget: 110.00")
    _, findings = run(text)
    [f] = [f for f in findings if f.code == "NAR-002"]
    assert "小于预算数110.00万元" in f.message


def test_nar003_missing_comparative() -> None:
    text = BASE.replace("  office_operation: 10.00\n", "")
    _, findings = run(text)
    assert "NAR-003" in codes(findings, "warning")


def test_nar004_placeholder() -> None:
    text = BASE + "reasons:\n  sangong_gap: XX原因\n"
    _, findings = run(text)
    assert "NAR-004" in codes(findings, "error")


def test_nar005_zero_budget() -> None:
    text = BASE.replace("adjusted_budget: 20.00", "adjusted_budget: 0")
    _, findings = run(text)
    assert "NAR-005" in codes(findings, "warning")


def test_nar007_missing_budget() -> None:
    text = BASE.replace("adjusted_budget: 20.00, ", "")
    _, findings = run(text)
    assert "NAR-007" in codes(findings, "error")


def test_nar008_required_parts() -> None:
    text = BASE.replace("  duties: [负责测试工作。]\n", "")
    _, findings = run(text)
    assert "NAR-008" in codes(findings, "error")


def test_btw001_sangong_part_above_whole() -> None:
    text = BASE.replace(
        '  - {code: "30201", name: 办公费, amount: 10.00}',
        '  - {code: "30201", name: 办公费, amount: 9.00}\n  - {code: "30217", name: 公务接待费, amount: 1.00}',
    )
    text += "sangong:\n  final: {reception: 0.50}\n  budget: {reception: 0.50}\n"
    _, findings = run(text)
    assert "BTW-001" in codes(findings, "warning")


def test_btw002_reception_parts() -> None:
    text = (
        BASE + "sangong:\n  final: {reception: 0.50}\n  budget: {reception: 0.50}\n"
        "  reception_domestic: {batches: 1, persons: 2, amount: 0.30}\n  reception_foreign: {amount: 0}\n"
    )
    _, findings = run(text)
    assert "BTW-002" in codes(findings, "error")


def test_btw004_procurement_parts() -> None:
    text = BASE + "procurement: {goods: 1.00, works: 0, services: 0, sme: 2.00, micro: 3.00}\n"
    _, findings = run(text)
    assert len([f for f in findings if f.code == "BTW-004"]) == 2


def test_btw006_office_operation_above_public() -> None:
    text = BASE.replace("office_operation: 10.00\nprior", "office_operation: 11.00\nprior")
    _, findings = run(text)
    assert "BTW-006" in codes(findings, "warning")


def test_cat001_unknown_class_is_error_even_in_bundled_catalog() -> None:
    text = BASE.replace('"2080505"', '"2990505"')
    _, findings = run(text)
    [f] = [f for f in findings if f.code == "CAT-001"]
    assert f.severity is Severity.ERROR and "类「299」" in f.message


def test_cat002_spelling_variant_is_warning() -> None:
    text = BASE.replace(
        "name: 机关事业单位基本养老保险缴费支出", "name: 机关事业单位基本养老保险缴费"
    )
    _, findings = run(text)
    [f] = [f for f in findings if f.code == "CAT-002"]
    assert f.severity is Severity.WARNING


def test_dat001_unit_magnitude() -> None:
    # amounts in 元 declared as 万元
    text = (
        BASE.replace("100.00", "1000000000.00")
        .replace("120.00", "1000200000.00")
        .replace("20.00", "200000.00")
    )
    _, findings = run(text)
    assert any(f.code == "DAT-001" and "超过1万亿元" in f.message for f in findings)
    # amounts in 万元 declared as 元
    _, findings = run(BASE.replace("unit: 万元", "unit: 元"))
    assert any(f.code == "DAT-001" and "不足1000元" in f.message for f in findings)


def test_btw003_vehicle_purchases() -> None:
    text = (
        BASE + "sangong:\n  final: {vehicle_purchase: 20.00}\n  budget: {vehicle_purchase: 20.00}\n"
        "  vehicles_purchased:\n    - {type: 轿车, count: 1, amount: 15.00}\n"
    )
    _, findings = run(text)
    assert "BTW-003" in codes(findings, "error")


def test_btw005_initial_budget_total() -> None:
    text = (
        BASE.replace(
            "adjusted_budget: 100.00", "initial_budget: 90.00, adjusted_budget: 100.00"
        ).replace("adjusted_budget: 20.00", "initial_budget: 20.00, adjusted_budget: 20.00")
        + "initial_budget_total: 120.00\n"
    )
    _, findings = run(text)
    assert "BTW-005" in codes(findings, "error")


def test_nar006_zero_base() -> None:
    text = BASE.replace("  office_operation: 10.00\n", "  office_operation: 0\n")
    _, findings = run(text + "reasons:\n  office_operation_change: 新设机构\n")
    assert "NAR-006" in codes(findings, "warning")
