"""The safe Decimal expression evaluator (simpleeval, never eval)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from juesuan.performance.expr import FormulaError, MissingName, check_expression, evaluate, names_in

D = Decimal


def test_literals_are_exact_decimals() -> None:
    value = evaluate("0.1 + 0.2", {})
    assert value == D("0.3") and isinstance(value, Decimal)
    assert evaluate("0.8 * N", {"N": D("-4.63")}) == D("-3.704")


def test_seed_budget_quality_formula() -> None:
    names = {"final": D("253.87"), "adjusted_budget": D("221.43")}
    value = evaluate("(1 - abs(final - adjusted_budget) / adjusted_budget) * 8", names)
    assert value.quantize(D("0.01")) == D("6.83")


def test_division_by_zero_is_a_message_not_a_crash() -> None:
    with pytest.raises(FormulaError) as exc:
        evaluate("a / (b - b)", {"a": D(1), "b": D(2)})
    assert "除数为零" in exc.value.message and "「b - b」的值为0" in exc.value.message


def test_ratio_takes_its_default_for_a_zero_denominator_and_notes_it() -> None:
    notes: list[str] = []
    assert evaluate("ratio(a, b, 1) * 3", {"a": D(0), "b": D(0)}, notes) == D(3)
    assert notes == ["「b」为0，按规则取1"]
    assert evaluate("ratio(a, b, 1)", {"a": D(1), "b": D(4)}) == D("0.25")


def test_functions_work_on_decimals() -> None:
    names = {"x": D("2.345")}
    assert evaluate("round(x, 2)", names) == D("2.35")  # half up, not banker's
    assert evaluate("min(1, x) + max(x, 3) + abs(-x)", names) == D("1") + D(3) + D("2.345")


@pytest.mark.parametrize(
    ("expr", "fragment"),
    [
        ('__import__("os")', "不允许调用函数「__import__」"),
        ("a.real", "属性访问"),
        ("a ** 2", "乘方"),
        ("a // 2", "整除"),
        ("a if a else 1", "条件表达式"),
        ("a > 1", "比较运算"),
        ("[a][0]", "不允许使用"),
        ('"text"', "只能使用数字常量"),
        ("True + a", "只能使用数字常量"),
        ("a +", "语法错误"),
        ("c + 1", "「c」不是已声明的输入"),
        ("", "公式为空"),
    ],
)
def test_everything_but_arithmetic_is_refused(expr: str, fragment: str) -> None:
    problems = check_expression(expr, {"a"})
    assert any(fragment in p for p in problems), problems
    with pytest.raises(FormulaError):
        evaluate(expr, {"a": D(1)})


def test_missing_name_is_reported_by_name() -> None:
    def lookup(name: str) -> Decimal:
        raise MissingName(name, f"没有{name}")

    with pytest.raises(MissingName) as exc:
        evaluate("a + 1", lookup)
    assert exc.value.name == "a"


def test_huge_literals_are_refused() -> None:
    with pytest.raises(FormulaError):
        evaluate("1e400000 * a", {"a": D(1)})


def test_names_in() -> None:
    assert set(names_in("ratio(a, b, 1) + min(c, a)")) == {"a", "b", "c"}
