"""Locating the standard tables in a workbook: their titles, 单位 line and header rows."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from juesuan.io.workbook.cells import norm, to_code
from juesuan.io.workbook.fields import KV_SHEETS
from juesuan.io.workbook.sheets import Sheet
from juesuan.io.workbook.state import State


def find_titles(sheets: list[Sheet], specs: list[dict[str, Any]]) -> dict[str, tuple]:
    """key → (sheet, first row, end row) of each table, found by its title text."""
    wanted = {norm(s["title"].format(dept="", year="")): s["key"] for s in specs}
    hits: list[tuple[Sheet, int, str]] = []
    for sheet in sheets:
        if sheet.name in KV_SHEETS:
            continue
        for r, row in enumerate(sheet.rows[:100000]):
            for value in row[:6]:
                if not isinstance(value, str) or len(value) > 80:
                    continue
                t = norm(value)
                t = re.sub(r"^.*?\d{4}年度?", "", t) if t not in wanted else t
                t = re.sub(r"^(表\d+|公开\d+表)", "", t)
                if t in wanted:
                    hits.append((sheet, r, wanted[t]))
                    break
    out: dict[str, tuple] = {}
    for i, (sheet, r, key) in enumerate(hits):
        end = len(sheet.rows)
        for sheet2, r2, _ in hits[i + 1 :]:
            if sheet2 is sheet:
                end = r2
                break
        out.setdefault(key, (sheet, r, end))
    return out


def table_scale(st: State, sheet: Sheet, r0: int, r1: int, unit: Any) -> Decimal:
    """Factor from the table's 单位 line to the dataset unit."""
    for r in range(r0, min(r0 + 4, r1)):
        for c, value in enumerate(sheet.rows[r] if r < len(sheet.rows) else ()):
            if isinstance(value, str) and "单位" in value:
                m = re.search(r"单位[:：]\s*(万元|元)", value)
                if not m:
                    continue
                here = m.group(1)
                if unit is None:
                    st.data["unit"] = unit = here
                    st.sources["unit"] = st.loc(sheet.name, r, c)
                if here == unit:
                    return Decimal(1)
                return Decimal("0.0001") if unit == "万元" else Decimal(10000)
    return Decimal(1)


def header(sheet: Sheet, r0: int, r1: int, labels: set[str]) -> tuple[int, dict[int, str]]:
    """(first data row, column → bottom-most header text) of the table starting at r0."""
    start = None
    for r in range(r0, min(r0 + 8, r1)):
        texts = {norm(v) for v in sheet.rows[r] if isinstance(v, str)}
        if sum(1 for t in texts if t in labels) >= 1 and any(
            "编码" in t or t in ("项目", "类", "科目名称") for t in texts
        ):
            start = r
            break
    if start is None:
        return -1, {}
    cols: dict[int, str] = {}
    r = start
    while r < min(start + 5, r1):
        row = sheet.rows[r]
        if r > start and (
            any(to_code(v) and to_code(v).isdigit() and len(to_code(v)) >= 3 for v in row[:4])
            or any("合计" == norm(v) for v in row[:4])
            or (
                any(isinstance(v, (int, float)) and not isinstance(v, bool) for v in row)
                and norm(row[0] if row else "") not in ("栏次", "行次")
            )
        ):
            break  # a data row (numbers outside a 栏次 row are data, not header)
        for c, v in enumerate(row):
            if isinstance(v, str) and v.strip():
                cols[c] = norm(v)
        r += 1
        if r < r1 and sheet.rows[r] and norm(sheet.rows[r][0]) in ("栏次", "行次"):
            r += 1
            break
    return r, cols
