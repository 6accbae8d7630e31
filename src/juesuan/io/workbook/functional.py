"""The functional-classification tables (支出决算表…): one line per 项 code, merged by code."""

from __future__ import annotations

import re
from typing import Any

from juesuan.catalog.catalogs import scheme_of
from juesuan.core.findings import Severity
from juesuan.io.workbook.cells import is_blank, norm, show, to_code, to_number, to_text
from juesuan.io.workbook.layout import EXTRA_COLUMNS, FUNCTIONAL_INPUT
from juesuan.io.workbook.subtotals import compare_subtotal
from juesuan.io.workbook.tables import header
from juesuan.io.workbook.unread import UNREAD_OUTSIDE
from juesuan.io.workbook.unread_cells import formula_text, uncached_input, unread_columns
from juesuan.profiles.tables import leaf_columns


def functional(st, sheet, r0, r1, spec, catalogs, lines, line_src, scale) -> None:
    part = FUNCTIONAL_INPUT[spec["key"]]
    label_path: dict[str, tuple[str, str]] = {}
    for leaf in leaf_columns(spec.get("columns", ())):
        head, _, fld = leaf["figure"].partition(".")
        if head == part and fld != "total":
            label_path[norm(leaf["label"])] = (leaf["figure"], "amount")
    for label, path, kind in EXTRA_COLUMNS.get(spec["key"], ()):
        label_path[norm(f"（补充）{label}")] = (path, kind)
        label_path.setdefault(norm(label), (path, kind))
    first, cols = header(sheet, r0, r1, set(label_path) | {"科目编码"})
    st.header_end[sheet.name, r0] = first
    title = spec["title"]
    if first < 0:
        st.error(
            "XLS-011",
            f"表「{title}」的表头无法识别（应有科目编码和各金额列）",
            st.loc(sheet.name, r0, 0),
        )
        return
    code_col = next((c for c, t in cols.items() if "编码" in t), None)
    split = [next((c for c, t in cols.items() if t == k), None) for k in ("类", "款", "项")]
    name_col = next((c for c, t in cols.items() if "名称" in t or t == "项目"), None)
    value_cols = {c: label_path[t] for c, t in cols.items() if t in label_path}
    if code_col is None and None in split:
        st.error(
            "XLS-011",
            f"表「{title}」找不到科目编码列（科目编码，或类/款/项）",
            st.loc(sheet.name, r0, 0),
        )
        return
    derived = {norm(leaf["label"]) for leaf in leaf_columns(spec.get("columns", ()))} | {
        "栏次",
        "行次",
    }
    read = {code_col, *split, name_col, *value_cols}
    sums = {c for c, t in cols.items() if t in derived and c not in value_cols}
    read |= sums
    # the part's own amount columns, and the columns that print their sum (本年收入合计…)
    amounts = {
        c: path
        for c, (path, kind) in value_cols.items()
        if kind == "amount" and path.startswith(f"{part}.")
    }
    label, summed = _row_total(spec.get("columns", ()), f"{part}.total")
    row_totals = {c: summed for c in sums if label is not None and cols[c] == norm(label)}
    seen: dict[str, int] = {}
    pending: list[tuple[int, str, dict[int, Any]]] = []  # 类/款 rows with amounts
    stated_totals: list[tuple[int, str | None, list[Any]]] = []  # (row, code or 合计, row)
    last_cls = last_kuan = ""
    for r in range(first, r1):
        row = sheet.rows[r]
        unread_columns(st, sheet, r, row, read)
        total = norm(row[name_col] if name_col is not None and name_col < len(row) else "")
        total = total in ("合计", "总计") or any(
            isinstance(v, str) and norm(v) in ("合计", "总计") for v in row[:4]
        )
        formula_text(st, sheet, r, row, set(value_cols) | sums if total else sums)
        if total:  # compared with the rows below; it has no cell for texts (科目说明, 原因)
            stated_totals.append((r, None, row))
            for c, (_, kind) in value_cols.items():
                if kind == "text" and c < len(row) and not is_blank(row[c]):
                    st.error("XLS-040", UNREAD_OUTSIDE, st.loc(sheet.name, r, c))

        def get(c: int | None, row: list[Any] = row) -> Any:
            return row[c] if c is not None and c < len(row) else None

        if code_col is not None:
            code = to_code(get(code_col))
        else:
            lei, kuan, xiang = (to_code(get(c)) for c in split)
            lei = lei or (last_cls if (kuan or xiang) else None)
            if lei:
                last_cls = lei
            if kuan:
                kuan = kuan.zfill(2) if kuan.isdigit() else kuan
                last_kuan = kuan
            elif xiang:
                kuan = last_kuan
            code = (
                (lei or "")
                + (kuan or "")
                + ((xiang.zfill(2) if xiang and xiang.isdigit() else xiang) or "")
            )
            code = code or None
        name = to_text(get(name_col))
        values = {c: get(c) for c in value_cols}
        if code is None:
            if name and ("合计" in norm(name) or "总计" in norm(name)):
                continue
            # a sum column's formula reads 0 in a blank row once a spreadsheet has computed it
            if all(is_blank(v) for v in values.values()) and all(
                is_blank(get(c)) or get(c) == 0 for c in sums
            ):
                if name and name != "未知科目":
                    st.error(
                        "XLS-022",
                        f"表「{title}」第{r + 1}行有科目名称但没有科目编码，本行未读取",
                        st.loc(sheet.name, r, name_col),
                    )
                continue
            st.error(
                "XLS-022",
                f"表「{title}」第{r + 1}行有金额但没有科目编码",
                st.loc(sheet.name, r, code_col or split[0] or 0),
            )
            continue
        if norm(code) in ("合计", "总计"):
            continue
        if not code.isdigit() or len(code) not in (3, 5, 7):
            st.error(
                "XLS-022",
                f"科目编码{show(code)}格式不正确（应为7位功能分类“项”级编码）",
                st.loc(sheet.name, r, code_col if code_col is not None else split[0]),
            )
            continue
        if len(code) != 7:  # a 类/款 subtotal row: compared with its 项 rows, not read
            formula_text(st, sheet, r, row, set(value_cols))
            at = st.loc(sheet.name, r, code_col if code_col is not None else split[0])
            if scheme_of(code) != "functional":
                message = (
                    f"科目编码{show(code)}不是已知的“类”“款”级编码，本行未读取"
                    "（请填写7位功能分类“项”级编码）"
                )
                st.error("XLS-022", message, at, Severity.WARNING)
            elif any(not is_blank(values[c]) for c, (_, k) in value_cols.items() if k == "amount"):
                pending.append((r, code, values))
            elif not name or name.startswith("=") or name == "未知科目":  # an unfinished entry
                message = f"第{r + 1}行只有科目编码{show(code)}，没有名称和金额，本行未读取"
                st.error("XLS-022", message, at, Severity.WARNING)
            continue
        where = st.loc(sheet.name, r, code_col if code_col is not None else split[2])
        entry = catalogs.functional.get(code)
        if entry is None and catalogs.functional.complete:
            # the bundled catalog is incomplete: validation (CAT-001) reports such a code once
            st.error(
                "XLS-020",
                f"科目编码 {code} 不在{catalogs.functional.year}年支出功能分类科目目录中",
                where,
            )
        if code in seen:
            st.error(
                "XLS-023",
                f"科目 {code} 在表「{title}」中重复出现（另见第{seen[code] + 1}行）",
                where,
            )
            continue
        seen[code] = r
        stated_totals.append((r, code, row))
        line = lines.setdefault(code, {"code": code})
        src = line_src.setdefault(code, {"": where, "code": where})
        if name and not name.startswith("=") and name != "未知科目":
            # exports print the code before the name ("2010601 行政运行"); other digits stay
            lead = re.match(r"^(\d{3,7})\s*", name)
            clean = name[lead.end() :] if lead and code.startswith(lead.group(1)) else name
            clean = clean.strip() or name
            if entry is not None and norm(clean) != norm(entry.name):
                st.error(
                    "XLS-021",
                    f"科目 {code} 的名称“{clean}”与目录中的“{entry.name}”不符",
                    st.loc(sheet.name, r, name_col),
                    Severity.WARNING,
                )
            if "name" not in line and clean:
                line["name"] = clean
                src["name"] = st.loc(sheet.name, r, name_col)
        for c, (path, kind) in value_cols.items():
            raw = values[c]
            if is_blank(raw):  # where a message about the missing value sends the clerk
                src.setdefault(path, st.loc(sheet.name, r, c))
                uncached_input(st, sheet, r, c, path)
                continue
            loc = st.loc(sheet.name, r, c)
            if kind == "text":
                line[path] = to_text(raw)
                src[path] = loc
                continue
            try:
                value = to_number(raw)
            except ValueError:
                st.error(
                    "XLS-030",
                    f"金额单元格应为数字，实际为{show(raw)}（表「{title}」列「{cols[c]}」）",
                    loc,
                )
                continue
            sub, _, fld = path.partition(".")
            line.setdefault(sub, {})[fld] = value * scale if scale != 1 else value
            src[path] = loc
            src.setdefault(sub, loc)
    _compare_totals(st, sheet, title, cols, amounts, row_totals, stated_totals, lines, scale)
    for r, code, values in pending:
        below = [lines[c] for c in seen if c.startswith(code)]
        level = "类" if len(code) == 3 else "款"
        for c, (path, kind) in value_cols.items():
            if kind != "amount" or is_blank(values[c]):
                continue
            sub, _, fld = path.partition(".")
            parts = [line.get(sub, {}).get(fld) for line in below]
            what = f"表「{title}」第{r + 1}行（{level}级小计，科目编码{code}）列「{cols[c]}」"
            compare_subtotal(st, st.loc(sheet.name, r, c), what, values[c], parts, scale)


def _row_total(columns: Any, figure: str) -> tuple[str | None, list[str]]:
    """The label of the column printing ``figure`` (a row's 合计) and the figures it sums: the
    other columns beside it under the same header (本年支出: 合计 = 基本支出 + 项目支出)."""
    for col in columns:
        if col.get("figure") == figure:
            return col["label"], [c["figure"] for c in columns if "figure" in c and c is not col]
        if "columns" in col:
            label, summed = _row_total(col["columns"], figure)
            if label is not None:
                return label, summed
    return None, []


def _compare_totals(st, sheet, title, cols, amounts, row_totals, stated, lines, scale) -> None:
    """The figures a table prints as sums of others (the 合计 row, the 本年…合计 column) are not
    read: each is compared with the sum of what was read (as a subtotal row is), so that a
    number typed over a formula, or a total whose formula misses an inserted row, is reported."""

    def read(code: str, path: str) -> Any:
        sub, _, fld = path.partition(".")
        return lines.get(code, {}).get(sub, {}).get(fld)

    codes = [code for _, code, _ in stated if code is not None]
    for r, code, row in stated:
        where = (
            f"表「{title}」合计行" if code is None else f"表「{title}」第{r + 1}行（科目{code}）"
        )
        mine = codes if code is None else [code]
        checks = [(c, [read(k, p) for k in mine for p in paths]) for c, paths in row_totals.items()]
        if code is None:  # the 合计 row: each column's sum, too
            checks += [(c, [read(k, path) for k in mine]) for c, path in amounts.items()]
        for c, parts in checks:
            if c < len(row) and not is_blank(row[c]):
                what = f"{where}列「{cols[c]}」"
                compare_subtotal(st, st.loc(sheet.name, r, c), what, row[c], parts, scale)
