"""Decimal arithmetic for money and percentages: rounding, shares, rates, display.

No float ever enters these functions; amounts are ``Decimal`` in 万元 unless noted.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal
from functools import lru_cache

CENT = Decimal("0.01")
HALF_CENT = Decimal("0.005")  # the most a figure published with two decimals can be off by
HUNDRED = Decimal(100)
WAN = Decimal(10000)
ZERO = Decimal(0)


def round_to(value: Decimal, places: int) -> Decimal:
    """Round to ``places`` decimals, half up (the publication rule): the only rounding."""
    quantum = _QUANTA.get(places)
    if quantum is None:
        quantum = Decimal(1).scaleb(-places)
    return value.quantize(quantum, rounding=ROUND_HALF_UP)


_QUANTA = {places: Decimal(1).scaleb(-places) for places in range(7)}  # 1, 0.1 … 0.000001


def round2(value: Decimal) -> Decimal:
    """Round to two decimals, half up."""
    return round_to(value, 2)


def to_wan(value: Decimal, unit: str) -> Decimal:
    """Convert an amount stated in ``unit`` (元 or 万元) to exact 万元."""
    if unit == "元":
        return value / WAN
    return value


def rate(change: Decimal, base: Decimal) -> Decimal | None:
    """Percentage change / base × 100, rounded to 2 decimals; None when the base is zero."""
    if base == 0:
        return None
    return round2(change / base * HUNDRED)


def percent(part: Decimal, whole: Decimal) -> Decimal | None:
    """part / whole × 100 rounded to 2 decimals; None when the whole is zero."""
    if whole == 0:
        return None
    return round2(part / whole * HUNDRED)


def largest_remainder_shares(
    parts: Sequence[Decimal], total: Decimal | None = None
) -> list[Decimal]:
    """Shares in percent with two decimals that sum to exactly 100.00.

    Largest-remainder (Hamilton) method on hundredths of a percent: floor every share,
    then give the missing hundredths to the parts with the largest remainders (ties go
    to the earlier part). With a zero total every share is zero.
    """
    whole = sum(parts, ZERO) if total is None else total
    if whole == 0:
        return [ZERO for _ in parts]
    exact = [p / whole * HUNDRED for p in parts]
    floors = [e.quantize(CENT, rounding=ROUND_DOWN) for e in exact]
    missing = int(((HUNDRED - sum(floors, ZERO)) / CENT).to_integral_value(rounding=ROUND_HALF_UP))
    order = sorted(range(len(parts)), key=lambda i: (-(exact[i] - floors[i]), i))
    result = list(floors)
    for i in order[: max(missing, 0)]:
        result[i] += CENT
    return result


def fmt_money(value: Decimal, *, thousands: bool = False, zero: str = "0") -> str:
    """万元 with two decimals (ROUND_HALF_UP); exact zero prints as ``zero``."""
    if value == 0:
        return zero
    q = round2(value)
    return f"{q:,.2f}" if thousands else f"{q:.2f}"


def fmt_percent(value: Decimal, *, trim_integer: bool = True) -> str:
    """Percentage number (without the % sign): 12.22, and 100 / 0 for whole numbers."""
    q = round2(value)
    if trim_integer and q == q.to_integral_value():
        return str(q.to_integral_value())
    return f"{q:.2f}"


def tolerance_of(value: Decimal, unit: str) -> Decimal:
    """Half a unit of the last place the input states: the most its rounding can hide.

    An amount in 万元 written with two decimals (253.87) was rounded from 元 and may be off
    by 0.005万元; more decimals narrow that. Amounts in 元 are exact to the fen. Zero is exact.
    """
    if value == 0:
        return ZERO
    if unit == "元":
        return Decimal("0.005") / WAN
    exponent = value.as_tuple().exponent
    places = max(-exponent if isinstance(exponent, int) else 0, 2)
    return _half_unit(places)


@lru_cache(maxsize=64)
def _half_unit(places: int) -> Decimal:
    """5 × 10^-(places + 1): half a unit of the ``places``-th decimal."""
    return Decimal(5) / (Decimal(10) ** (places + 1))
