"""类/款 subtotal rows of the classification tables: not read as data, but never dropped.

Exports from the 决算 software print a subtotal row for every 类 and 款 above its 项 rows
(经济分类: every 类 above its 款 rows). The document's subtotals are computed from the detail
rows, so a subtotal row is not read; its amounts are compared with the sum of the detail rows
below it, and a difference larger than the rounding of those rows is reported at its cell. A
code that cannot be a subtotal (no such 类/款, or a code with nothing else on its row) is
reported too: it is more likely an entry the clerk did not finish than a subtotal.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from juesuan.core.findings import Location, Severity
from juesuan.io.workbook.cells import is_blank, show, to_number
from juesuan.io.workbook.state import State

ROUNDING = Decimal("0.005")  # half a cent of the sheet's unit: one rounded detail row's error


def subtotal_kind(code: str, scheme_ok: bool, name: str | None, amounts: list[Any]) -> str:
    """What a 类/款 row holding ``code`` is: "subtotal" (compare its amounts), "empty" (a
    subtotal row without amounts), "unknown" (no 类/款 of the classification) or "alone" (a
    code with neither a name nor an amount: an unfinished entry)."""
    if not scheme_ok:
        return "unknown"
    if all(is_blank(v) for v in amounts):
        return "empty" if name else "alone"
    return "subtotal"


def report_not_subtotal(st: State, kind: str, where: Location, row: int, code: str, want: str):
    """Report a 类/款 row that is no subtotal (``kind`` from :func:`subtotal_kind`)."""
    if kind == "unknown":
        message = f"科目编码{show(code)}不是已知的“类”“款”级编码，本行未读取（请填写{want}）"
    else:
        message = f"第{row + 1}行只有科目编码{show(code)}，没有名称和金额，本行未读取"
    st.error("XLS-022", message, where, Severity.WARNING)


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
        f"{what}为{_cents(stated)}，其下各明细行之和为{_cents(total / scale)}；小计行不读取，"
        "公开文件按明细行之和列示，请核对",
        where,
    )


def _cents(value: Decimal) -> Decimal:
    """``value`` with at least two decimals (99999 -> 99999.00), more if it has them."""
    exponent = value.as_tuple().exponent
    return value.quantize(Decimal("0.01")) if isinstance(exponent, int) and exponent > -2 else value
