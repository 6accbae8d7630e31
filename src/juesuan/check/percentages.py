"""Rounding-aware arithmetic of stated percentages: a percentage matches when it is the exact
value rounded at its own precision; a difference that inputs rounded to 0.01 can explain is a
rounding note, not an error."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from juesuan.check.model import dec, places_of, quantize
from juesuan.core.money import HALF_CENT, largest_remainder_shares


def percent_off(part: Decimal, whole: Decimal, stated_txt: str) -> tuple[Decimal, bool] | None:
    """None when the stated percentage is part/whole rounded at its own precision; otherwise the
    expected percentage and whether rounded inputs (±0.005 each) can explain the difference."""
    places = places_of(stated_txt)
    stated = dec(stated_txt)
    expected = quantize(part / whole * 100, places)
    if stated == expected:
        return None
    lo, hi = ratio_range(part, whole)
    unit = Decimal(1).scaleb(-places) / 2
    return expected, lo - unit <= stated <= hi + unit


def percent_finding(
    sink: Any,
    code: str,
    part: Decimal,
    whole: Decimal,
    stated_txt: str,
    lead: str,
    tail: str,
    *,
    quote: str,
    where: dict,
    also_right: Decimal | None = None,
    rounding_ok: bool = True,
) -> bool:
    """The one way a stated percentage is checked and reported: ``stated_txt`` against
    part/whole×100 at its own precision (``also_right``: another accepted value, e.g. the
    largest-remainder share). A difference that rounded inputs explain goes to the rounding
    note. The message is ``lead``, the expected percentage, “%”, ``tail``. True when something
    was reported."""
    if also_right is not None and dec(stated_txt) == also_right:
        return False
    wrong = percent_off(part, whole, stated_txt)
    if wrong is None:
        return False
    expected, rounding = wrong
    sink.add(
        code,
        f"{lead}{expected}%{tail}",
        stated=dec(stated_txt),
        expected=expected,
        quote=quote,
        rounding=rounding and rounding_ok,
        **where,
    )
    return True


def ratio_range(part: Decimal, whole: Decimal) -> tuple[Decimal, Decimal]:
    """The range of part/whole×100 when both were rounded to 0.01 before being printed."""
    lo_p, hi_p = max(part - HALF_CENT, Decimal(0)), part + HALF_CENT
    lo_w, hi_w = whole - HALF_CENT, whole + HALF_CENT
    if lo_w <= 0:
        return Decimal(0), Decimal(10**9)
    return lo_p / hi_w * 100, hi_p / lo_w * 100


def largest_remainder(parts: list[Decimal], whole: Decimal) -> list[Decimal]:
    """Shares in hundredths of a percent that sum to exactly 100.00 (remainder as one extra part)."""
    try:
        values = list(parts)
        rest = whole - sum(values, Decimal(0))
        if rest > 0:
            values.append(rest)
        return largest_remainder_shares(values, whole)[: len(parts)]
    except (InvalidOperation, ZeroDivisionError):
        return [Decimal(-1)] * len(parts)
