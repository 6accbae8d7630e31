from decimal import Decimal as D

import pytest
from hypothesis import given
from hypothesis import strategies as st

from juesuan.core.money import (
    fmt_money,
    fmt_percent,
    largest_remainder_shares,
    percent,
    rate,
    round2,
    tolerance_of,
)


def test_largest_remainder_reproduces_seed_class_shares() -> None:
    parts = [D("204.53"), D("22.32"), D("11.41"), D("15.61")]
    assert largest_remainder_shares(parts) == [D("80.57"), D("8.79"), D("4.49"), D("6.15")]
    # plain rounding would give 80.56 and a total of 99.99
    assert round2(parts[0] / D("253.87") * 100) == D("80.56")


def test_largest_remainder_two_parts() -> None:
    assert largest_remainder_shares([D("212.40"), D("41.47")]) == [D("83.66"), D("16.34")]


def test_largest_remainder_zero_total_and_zero_parts() -> None:
    assert largest_remainder_shares([D(0), D(0)]) == [D(0), D(0)]
    assert largest_remainder_shares([D(0), D(0), D("0.46")]) == [D(0), D(0), D(100)]


def test_largest_remainder_ties_go_to_earlier_part() -> None:
    assert largest_remainder_shares([D(1), D(1), D(1)]) == [D("33.34"), D("33.33"), D("33.33")]


@given(st.lists(st.decimals(min_value=0, max_value=10**7, places=2), min_size=1, max_size=30))
def test_shares_always_sum_to_100(parts: list[D]) -> None:
    shares = largest_remainder_shares(parts)
    if sum(parts) == 0:
        assert all(s == 0 for s in shares)
    else:
        assert sum(shares) == D(100)
        for p, s in zip(parts, shares, strict=True):
            assert abs(s - p / sum(parts) * 100) < D("0.01") + D("1e-20")


def test_rate_and_percent() -> None:
    assert rate(D("27.64"), D("226.23")) == D("12.22")
    assert rate(D("1.28"), D("20.20")) == D("6.34")
    assert rate(D("-0.5310"), D("0.9920")) == D("-53.53")
    assert rate(D(1), D(0)) is None
    assert percent(D(1), D(0)) is None
    assert percent(D("0.005"), D(1)) == D("0.50")


def test_round_half_up() -> None:
    assert round2(D("0.125")) == D("0.13")
    assert round2(D("-0.125")) == D("-0.13")
    assert round2(D("2.675")) == D("2.68")


@pytest.mark.parametrize(
    ("value", "kw", "text"),
    [
        (D("212.4"), {}, "212.40"),
        (D(0), {}, "0"),
        (D("2940.05"), {"thousands": True}, "2,940.05"),
        (D("0.004"), {}, "0.00"),
        (D(0), {"zero": "0.00"}, "0.00"),
    ],
)
def test_fmt_money(value: D, kw: dict, text: str) -> None:
    assert fmt_money(value, **kw) == text


def test_fmt_percent() -> None:
    assert fmt_percent(D("100.00")) == "100"
    assert fmt_percent(D("0")) == "0"
    assert fmt_percent(D("12.2177")) == "12.22"
    assert fmt_percent(D("6.30")) == "6.30"
    assert fmt_percent(D("100.00"), trim_integer=False) == "100.00"


def test_tolerance_follows_stated_precision() -> None:
    assert tolerance_of(D("253.87"), "万元") == D("0.005")
    assert tolerance_of(D("253"), "万元") == D("0.005")
    assert tolerance_of(D("0.4610"), "万元") == D("0.00005")
    assert tolerance_of(D(0), "万元") == 0
    assert tolerance_of(D("4610.00"), "元") == D("0.0000005")


def test_tolerance_of_half_unit_of_last_place() -> None:
    assert tolerance_of(D("253.87"), "万元") == D("0.005")
    assert tolerance_of(D("253.875"), "万元") == D("0.0005")
    assert tolerance_of(D("253"), "万元") == D("0.005")
    assert str(tolerance_of(D("1.2345678"), "万元")) == str(D(5) / D(10) ** 8)
    assert tolerance_of(D("0"), "万元") == 0
