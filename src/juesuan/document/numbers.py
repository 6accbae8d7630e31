"""The one place numbers become text."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from juesuan.core.figures import COUNT, PCT, RATE, SCORE
from juesuan.core.money import fmt_money, fmt_percent


@dataclass(frozen=True, slots=True)
class NumberStyle:
    thousands: bool = False
    zero_money: str = "0"
    trim_integer_percent: bool = True
    blank: str = "0"  # how a blank figure reads in running text


def format_figure(
    value: Decimal | None, unit: str, style: NumberStyle, absolute: bool = False
) -> str:
    """Text of a figure: 万元 with two decimals, percentages without the % sign (rates of
    the self-evaluation tables with it)."""
    if value is None:
        return style.blank
    if absolute:
        value = abs(value)
    if unit == PCT:
        return fmt_percent(value, trim_integer=style.trim_integer_percent)
    if unit == RATE:
        return fmt_percent(value, trim_integer=False) + "%"
    if unit == COUNT:
        return str(int(value))
    if unit == SCORE:  # scores print as stated: 98.6, 100, 8.5
        return format(value.normalize(), "f") if value else "0"
    return fmt_money(value, thousands=style.thousands, zero=style.zero_money)


@dataclass(frozen=True, slots=True)
class Styles:
    """Number styles of one profile (running text and table cells) and its page layout."""

    text: NumberStyle
    table: NumberStyle
    # Every table (附表) starts on a new page (unless right under its part heading), in the
    # PDF and the DOCX alike; False lets short tables share a page with what precedes them.
    table_new_page: bool = True
