"""Reporting the filled cells the loader does not read (XLS-040) and uncalculated formulas."""

from __future__ import annotations

from typing import Any

from juesuan.core.findings import Finding, Location, Severity
from juesuan.io.workbook.cells import is_blank, norm, to_number
from juesuan.io.workbook.fields import KV_SHEETS
from juesuan.io.workbook.layout import ECONOMIC_INPUT, FUNCTIONAL_INPUT, is_line_sum
from juesuan.io.workbook.sheets import Sheet
from juesuan.io.workbook.state import State
from juesuan.io.workbook.unread import (
    CATALOG_SHEET,
    GUIDE_SHEET,
    HEAD_ROWS,
    UNREAD_COLUMN,
    UNREAD_FORMULA,
    UNREAD_OUTSIDE,
    UNREAD_SHEET,
    UNREAD_TEXT,
    Layout,
)

MAX_UNREAD = 20  # XLS-040 findings listed per sheet; the rest are counted


def unread_fixed(
    st: State, sheets: list[Sheet], titles: dict, fixed: Layout, profile: str, year: int
) -> None:
    """Report the filled cells of the template's fixed-layout sheets that are not its own."""
    try:
        layout = fixed(profile, year)
    except (OSError, KeyError, ValueError):
        return
    where: dict[str, list[tuple[int, int, dict[tuple[int, int], str] | None]]] = {}
    for key, (sheet, r0, r1) in titles.items():
        if key in FUNCTIONAL_INPUT or key in ECONOMIC_INPUT:
            where.setdefault(sheet.name, []).append((r0, r1, None))
            head = layout.get(key, {})
            end = max(st.header_end.get((sheet.name, r0), -1), r0 + HEAD_ROWS)
            for r in range(r0, min(end, r1)):
                for c, value in enumerate(sheet.rows[r]):  # title, unit and header rows
                    unread_cell(st, sheet, r, c, value, head.get((r - r0, c)), r == r0)
        elif key in layout:
            where.setdefault(sheet.name, []).append((r0, r1, layout[key]))
    for name in (GUIDE_SHEET, CATALOG_SHEET):
        where.setdefault(name, []).append((0, 1 << 30, layout.get(name, {})))
    for sheet in sheets:
        if sheet.name in KV_SHEETS:
            continue
        spans = where.get(sheet.name)
        for r, row in enumerate(sheet.rows):
            span = next(((r0, cells) for r0, r1, cells in spans or () if r0 <= r < r1), None)
            if span is not None and span[1] is None:
                continue  # an input list: read (or reported) by the table reader
            for c, value in enumerate(row):
                if is_blank(value):
                    continue
                if span is None:
                    message = UNREAD_OUTSIDE if spans else UNREAD_SHEET
                    st.error("XLS-040", message, st.loc(sheet.name, r, c))
                else:
                    kind = span[1].get((r - span[0], c))
                    unread_cell(st, sheet, r, c, value, kind, r == span[0])


def unread_cell(
    st: State, sheet: Sheet, r: int, c: int, value: Any, kind: str | None, title: bool
) -> None:
    """Report ``value`` at (r, c) unless the template holds it there (``kind``: see
    :data:`~juesuan.io.workbook.unread.Layout`); a title row's text may differ."""
    if is_blank(value) or kind == "":
        return
    if kind is None:
        st.error("XLS-040", UNREAD_OUTSIDE, st.loc(sheet.name, r, c))
    elif kind == "=":
        if isinstance(value, str) and value.strip():  # a formula's result is a number
            st.error("XLS-040", UNREAD_FORMULA, st.loc(sheet.name, r, c))
    elif norm(value) != norm(kind) and not title and "单位" not in kind:
        st.error("XLS-040", UNREAD_TEXT, st.loc(sheet.name, r, c))


def cap_unread(findings: list[Finding]) -> list[Finding]:
    """At most :data:`MAX_UNREAD` XLS-040 findings per sheet, then one that counts the rest."""
    out: list[Finding] = []
    count: dict[str, int] = {}
    for f in findings:
        if f.code != "XLS-040":
            out.append(f)
            continue
        sheet = f.location.sheet or ""
        count[sheet] = count.get(sheet, 0) + 1
        if count[sheet] <= MAX_UNREAD:
            out.append(f)
    for sheet, n in count.items():
        if n > MAX_UNREAD:
            out.append(
                Finding(
                    "XLS-040",
                    Severity.ERROR,
                    f"工作表「{sheet}」另有 {n - MAX_UNREAD} 个单元格有内容但未被读取",
                    Location(file=findings[0].location.file, sheet=sheet),
                )
            )
    return out


def formula_text(st: State, sheet: Sheet, r: int, row: list[Any], cols: set) -> None:
    """Report text typed over the formulas (totals) of row ``r`` in columns ``cols``."""
    for c in cols:
        value = row[c] if c < len(row) else None
        if isinstance(value, str) and value.strip():
            try:
                to_number(value)
            except ValueError:
                st.error("XLS-040", UNREAD_FORMULA, st.loc(sheet.name, r, c))


def unread_columns(st: State, sheet: Sheet, r: int, row: list[Any], read: set) -> None:
    """Report the filled cells of data row ``r`` in columns the loader does not read."""
    for c, value in enumerate(row):
        if c not in read and not is_blank(value):
            st.error("XLS-040", UNREAD_COLUMN, st.loc(sheet.name, r, c))


def uncached(st: State, sheet: Sheet, r: int, c: int, path: str) -> None:
    """A blank cell that holds a formula never calculated (saved by a program, not Excel)."""
    if (r, c) in sheet.uncached:
        st.error(
            "XLS-032",
            "单元格中的公式没有计算结果（读作空白），请在 Excel 中打开并保存后再导入",
            st.loc(sheet.name, r, c, path),
        )


def uncached_input(st: State, sheet: Sheet, r: int, c: int | None, path: str) -> None:
    """A blank amount cell of a code table that holds a formula never calculated — other than
    the template's own line sums (:func:`~juesuan.io.workbook.layout.is_line_sum`)."""
    formula = sheet.uncached.get((r, c)) if c is not None else None
    if formula is not None and not is_line_sum(formula):
        uncached(st, sheet, r, c, path)
