"""The economic-classification tables (基本支出决算表…): one item per 款 code."""

from __future__ import annotations

from typing import Any

from juesuan.core.findings import Severity
from juesuan.io.workbook.cells import is_blank, norm, show, to_code, to_number, to_text
from juesuan.io.workbook.subtotals import compare_subtotal
from juesuan.io.workbook.tables import header
from juesuan.io.workbook.unread_cells import formula_text, uncached_input, unread_columns


def economic(st, sheet, r0, r1, target, catalogs, scale) -> None:
    first, cols = header(sheet, r0, r1, {"决算数", "金额", "合计"})
    st.header_end[sheet.name, r0] = first
    if first < 0:
        st.error(
            "XLS-011",
            "经济分类表的表头无法识别（应有科目编码、科目名称、决算数）",
            st.loc(sheet.name, r0, 0),
        )
        return
    groups = _economic_groups(cols)
    if groups:  # a message about a missing list names its first row
        st.blanks.setdefault(target, st.loc(sheet.name, first, groups[0]["code"], target))
    read = {c for g in groups for c in g.values() if c is not None}
    read |= {c for c, t in cols.items() if t in ("栏次", "行次")}
    amounts = {g["amount"] for g in groups if g["amount"] is not None}
    totals: list[tuple[int, list[Any]]] = []
    for r in range(first, r1):
        row = sheet.rows[r]
        unread_columns(st, sheet, r, row, read)
        if any(isinstance(v, str) and "合计" in norm(v) for v in row[:4]):
            formula_text(st, sheet, r, row, amounts)
            totals.append((r, row))
    out: list[dict[str, Any]] = []
    for group in groups:
        _economic_list(st, sheet, first, r1, group, target, catalogs, scale, out)
    if len(groups) == 1 and groups[0]["amount"] is not None:
        # the 合计 row prints the sum of the 款 rows: compared, not read (as a 类 row)
        c = groups[0]["amount"]
        parts = [item.get("amount") for item in out]
        for r, row in totals:
            if c < len(row) and not is_blank(row[c]):
                what = f"合计行列「{cols[c]}」"
                compare_subtotal(st, st.loc(sheet.name, r, c), what, row[c], parts, scale)
    if len(groups) > 1:  # side-by-side lists (301/303 | 302/310): the dataset is in code order
        order = sorted(range(len(out)), key=lambda i: out[i]["code"])
        moved = {}
        for new, old in enumerate(order):
            for k in [
                k for k in st.sources if k == f"{target}.{old}" or k.startswith(f"{target}.{old}.")
            ]:
                moved[f"{target}.{new}" + k[len(f"{target}.{old}") :]] = st.sources.pop(k)
        st.sources.update(moved)
        out = [out[i] for i in order]
    st.data[target] = out


def _economic_groups(cols: dict[int, str]) -> list[dict[str, int | None]]:
    """The code/款/name/amount columns of each economic list (exports print two side by side)."""
    groups: list[dict[str, int | None]] = []
    for c in sorted(cols):
        t = cols[c]
        if "编码" in t or t == "类":
            groups.append({"code": c, "kuan": None, "name": None, "amount": None})
        elif not groups:
            continue
        elif t == "款":
            groups[-1]["kuan"] = c
        elif "名称" in t and groups[-1]["name"] is None:
            groups[-1]["name"] = c
        elif t in ("决算数", "金额", "合计") and groups[-1]["amount"] is None:
            groups[-1]["amount"] = c
    if not groups:
        groups.append({"code": 0, "kuan": None, "name": None, "amount": None})
        for c in sorted(cols):
            if "名称" in cols[c] and groups[0]["name"] is None:
                groups[0]["name"] = c
            if cols[c] in ("决算数", "金额", "合计") and groups[0]["amount"] is None:
                groups[0]["amount"] = c
    return groups


def _economic_list(st, sheet, first, r1, group, target, catalogs, scale, out) -> None:
    code_col, kuan_col = group["code"], group["kuan"]
    name_col, amount_col = group["name"], group["amount"]
    last_cls = ""
    start = len(out)
    pending: list[tuple[int, str, Any]] = []  # 类 subtotal rows with an amount
    for r in range(first, r1):
        row = sheet.rows[r]
        code = to_code(row[code_col]) if code_col < len(row) else None
        if kuan_col is not None:
            kuan = to_code(row[kuan_col]) if kuan_col < len(row) else None
            if code and code.isdigit() and len(code) == 3:
                last_cls = code
            if kuan:
                code = (code or last_cls) + (kuan.zfill(2) if kuan.isdigit() else kuan)
        raw = row[amount_col] if amount_col is not None and amount_col < len(row) else None
        name = to_text(row[name_col]) if name_col is not None and name_col < len(row) else None
        if code is None and (not is_blank(raw) or (name and name != "未知科目")):
            if not name or not ("合计" in norm(name) or "总计" in norm(name)):
                st.error(
                    "XLS-022",
                    f"第{r + 1}行有内容但没有经济分类编码，本行未读取",
                    st.loc(sheet.name, r, code_col),
                )
            continue
        if code is None or not code.isdigit() or len(code) not in (3, 5):
            if code and "合计" not in code and "总计" not in code:
                st.error(
                    "XLS-022",
                    f"经济分类编码{show(code)}格式不正确（应为5位“款”级编码）",
                    st.loc(sheet.name, r, code_col),
                )
            continue
        if not name and is_blank(raw):  # a code alone: an entry left unfinished
            st.error(
                "XLS-022",
                f"第{r + 1}行只有经济分类编码{show(code)}，没有名称和金额，本行未读取",
                st.loc(sheet.name, r, code_col),
                Severity.WARNING,
            )
            continue
        if len(code) == 3:
            # a 类 row is the subtotal of its 款 rows and is not read; a 3-digit code that
            # is no 类 the catalog knows is more likely a clerk's entry than a subtotal
            if _unknown_class(code, catalogs):
                st.error(
                    "XLS-022",
                    f"经济分类编码{show(code)}不是已知的“类”级编码，本行按小计行处理、未读取"
                    "（请填写5位“款”级编码）",
                    st.loc(sheet.name, r, code_col),
                    Severity.WARNING,
                )
            elif not is_blank(raw):  # compared with its 款 rows once they are all read
                pending.append((r, code, raw))
            continue
        if is_blank(raw):
            uncached_input(st, sheet, r, amount_col, target)
            continue  # exports print every 款 with its name; a blank amount is no data
        where = st.loc(sheet.name, r, code_col)
        if catalogs.economic.get(code) is None and catalogs.economic.complete:
            # the bundled catalog is incomplete: validation (CAT-001) reports such a code once
            st.error("XLS-020", f"经济分类编码 {code} 不在目录中", where)
        item: dict[str, Any] = {"code": code}
        idx = len(out)
        st.sources[f"{target}.{idx}"] = where
        st.sources[f"{target}.{idx}.code"] = where
        name = to_text(row[name_col]) if name_col is not None and name_col < len(row) else None
        if name and name != "未知科目":
            item["name"] = name
            entry = catalogs.economic.get(code)
            if entry is not None and norm(name) != norm(entry.name):
                st.error(
                    "XLS-021",
                    f"经济分类 {code} 的名称“{name}”与目录中的“{entry.name}”不符",
                    st.loc(sheet.name, r, name_col),
                    Severity.WARNING,
                )
        try:
            value = to_number(raw)
        except ValueError:
            st.error(
                "XLS-030",
                f"金额单元格应为数字，实际为{show(raw)}",
                st.loc(sheet.name, r, amount_col),
            )
            continue
        if value is not None:
            item["amount"] = value * scale if scale != 1 else value
            st.sources[f"{target}.{idx}.amount"] = st.loc(sheet.name, r, amount_col)
        out.append(item)
    for r, code, raw in pending:
        parts = [item.get("amount") for item in out[start:] if item["code"].startswith(code)]
        what = f"第{r + 1}行（类级小计，经济分类编码{code}）的金额"
        compare_subtotal(st, st.loc(sheet.name, r, amount_col), what, raw, parts, scale)


def _unknown_class(code: str, catalogs) -> bool:  # type: ignore[no-untyped-def]
    """A 3-digit code the economic catalog does not hold as a 类."""
    entry = catalogs.economic.get(code)
    return entry is None or entry.level != "类"
