"""Tables of single figures: the two-sided summaries (收入支出决算总表…) and the 三公 grid."""

from __future__ import annotations

from decimal import Decimal

from juesuan.io.workbook.cells import label_key, norm, show, to_number
from juesuan.io.workbook.layout import SCALAR_FIGURES
from juesuan.io.workbook.sheets import Sheet
from juesuan.io.workbook.state import State


def put_amount(st: State, sheet: Sheet, r: int, c: int, path: str, scale: Decimal) -> None:
    raw = sheet.get(r, c)
    try:
        value = to_number(raw)
    except ValueError:
        st.error(
            "XLS-030", f"金额单元格应为数字，实际为{show(raw)}", st.loc(sheet.name, r, c, path)
        )
        return
    if value is not None:
        st.put(path, value * scale if scale != 1 else value, st.loc(sheet.name, r, c, path))
    else:
        st.blanks.setdefault(path, st.loc(sheet.name, r, c, path))


def two_sided(st, sheet, r0, r1, spec, scale, catalogs) -> None:
    left, right = spec["left"], spec["right"]
    lw = len(left["columns"])
    starts, skip = [0, lw], set()
    # exports add a 行次 column to each side: locate 项目 and skip 行次 (template layout otherwise)
    for r in range(r0 + 1, min(r0 + 7, r1)):
        row = sheet.rows[r] if r < len(sheet.rows) else []
        heads = [c for c, v in enumerate(row) if norm(v) == "项目"]
        numbers = {c for c, v in enumerate(row) if norm(v) in ("行次", "栏次")}
        if len(heads) >= 2 and numbers:
            starts, skip = heads[:2], numbers
            break
    for side, col in ((left, starts[0]), (right, starts[1])):
        value_cols = [
            c for c in range(col + 1, col + 1 + 2 * len(side["columns"])) if c not in skip
        ]
        pointer = r0 + 1
        items = [
            i
            for i in [*side.get("rows", ()), *side.get("footer", ())]
            if i and not isinstance(i, dict)
        ]
        for label, *figures in items:
            want = label_key(label)
            for r in range(pointer, r1):
                if label_key(sheet.get(r, col)) == want:
                    pointer = r + 1
                    for j, fid in enumerate(figures):
                        path = SCALAR_FIGURES.get(fid)
                        if path and path not in st.sources:
                            put_amount(st, sheet, r, value_cols[j], path, scale)
                        elif not path:
                            printed(st, sheet, r, value_cols[j], fid, spec, label, scale)
                    break
        for item in side.get("rows", ()):
            if isinstance(item, dict) and "classes" in item:
                rows = (r0, r1, col, value_cols)
                _class_rows(st, sheet, rows, spec, item["classes"], catalogs, scale)


def printed(st, sheet, r, c, fid, spec, label, scale) -> None:
    """A figure the summary prints but the data do not hold (a sum over other tables): its
    number, if any, is kept for validation to compare with the computed figure."""
    raw = sheet.get(r, c)
    try:
        value = to_number(raw)
    except ValueError:
        st.error("XLS-030", f"金额单元格应为数字，实际为{show(raw)}", st.loc(sheet.name, r, c))
        return
    if value is not None:
        title = spec["title"].format(dept="", year="")
        st.print_figure(fid, value * scale, st.loc(sheet.name, r, c), title, norm(label))


def _class_rows(st, sheet, rows, spec, classes, catalogs, scale) -> None:
    """The 类 rows of a summary's expenditure side (一、一般公共服务支出 …), found by name."""
    r0, r1, col, value_cols = rows
    entries = [(str(code), catalogs.functional.get(str(code))) for code in classes["codes"]]
    by_name = {label_key(e.name): code for code, e in entries if e is not None}
    for r in range(r0 + 1, r1):
        label = sheet.get(r, col)
        code = by_name.get(label_key(label))
        if code is None:
            continue
        for j, template in enumerate(classes["figures"]):
            printed(st, sheet, r, value_cols[j], template.format(code=code), spec, label, scale)


def grid(st, sheet, r0, r1, spec, scale) -> None:
    r = r0 + 1 + len(spec["header"]) + 1
    # the data row: first row below the header rows
    for k, row in enumerate(spec["rows"]):
        for j, fid in enumerate(row):
            path = SCALAR_FIGURES.get(fid)
            if path and r + k < r1:
                put_amount(st, sheet, r + k, j, path, scale)
