"""类/款 subtotal rows of the classification tables: not read as data, but never dropped.

Exports from the 决算 software print a subtotal row for every 类 and 款 above its 项 rows
(经济分类: every 类 above its 款 rows). The document's subtotals are computed from the detail
rows, so a subtotal row is not read; its amounts are compared with the sum of the detail rows
below it, and a difference larger than the rounding of those rows is reported at its cell.
(A code that cannot be a subtotal is reported by the table's reader, as an unfinished entry.)
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from juesuan.core.findings import Location
from juesuan.io.workbook.cells import show, to_number
from juesuan.io.workbook.state import State

ROUNDING = Decimal("0.005")  # half a cent of the sheet's unit: one rounded detail row's error


def compare_subtotal(
    st: State, where: Location, what: str, raw: Any, parts: list[Any], scale: Decimal
) -> None:
    """Compare a subtotal cell (``raw``, in the sheet's unit) with the detail amounts below
    it (``parts``, already in 万元; None for a blank cell). ``what`` names the row and column."""
    try:
        stated = to_number(raw)
    except ValueError:
        st.error("XLS-030", f"金额单元格应为数字，实际为{show(raw)}（{what}）", where)
        return
    if stated is None:
        return
    values = [p for p in parts if p is not None]
    total = sum(values, Decimal(0))
    tolerance = ROUNDING * max(len(values), 1) * scale
    if abs(stated * scale - total) <= tolerance:
        return
    st.error(
        "XLS-024",
        f"{what}为{_cents(stated)}，按明细计算为{_cents(total / scale)}；此数不读取，"
        "公开文件按明细计算列示，请核对（合计公式是否包括了插入的行，是否改写了公式）",
        where,
    )


def _cents(value: Decimal) -> Decimal:
    """``value`` with at least two decimals (99999 -> 99999.00), more if it has them."""
    exponent = value.as_tuple().exponent
    return value.quantize(Decimal("0.01")) if isinstance(exponent, int) and exponent > -2 else value
