"""The key-value sheets (部门信息, 说明文字, 绩效…): one dataset field per row, path in column A."""

from __future__ import annotations

import re
from typing import Any

from juesuan.core.findings import Location
from juesuan.io.validation_messages import field_label
from juesuan.io.workbook.cells import is_blank, show, to_number, to_text
from juesuan.io.workbook.fields import entries, field_kind, model_at
from juesuan.io.workbook.sheets import Sheet
from juesuan.io.workbook.state import State
from juesuan.io.workbook.unread import (
    UNREAD_BEYOND,
    UNREAD_LABEL,
    UNREAD_OUTSIDE,
    is_label,
    kv_texts,
    kv_width,
)
from juesuan.io.workbook.unread_cells import uncached

_INDEX = re.compile(r"\.\d+(?=\.|$)")


def _known(sheet: str) -> dict[str, tuple[Any, str]]:
    """(entry, its block's path or "") of each path of a key-value sheet (without index)."""
    out: dict[str, tuple[Any, str]] = {}
    for e in entries(sheet):
        out[e.path] = (e, "")
        for child in e.children:
            out[child.path] = (child, e.path)
    return out


def _well_formed(path: str, block: str) -> bool:
    """``path`` has exactly one canonical index, right after its block's path (if any)."""
    if not block:
        return not any(p.isdigit() for p in path.split("."))
    index, _, rest = path[len(block) + 1 :].partition(".")
    return (
        path.startswith(block + ".")
        and index.isdigit()
        and len(index) <= 4
        and (index == "0" or not index.startswith("0"))
        and not any(p.isdigit() for p in rest.split("."))
    )


def key_values(st: State, sheet: Sheet) -> None:
    known = _known(sheet.name)
    texts = kv_texts(sheet.name)
    lists: dict[str, list[Any]] = {}
    keyed: dict[str, dict[str, dict[str, Any]]] = {}  # dict_records: path → key → record
    repeat: str | None = None  # the list the previous data row belongs to (for inserted rows)
    first_row: dict[str, int] = {}  # scalar and row fields: where each was filled first
    for r, row in enumerate(sheet.rows):
        path = to_text(row[0]) if row else None
        if not path or is_label(path, texts):
            filled = [c for c, v in enumerate(row) if not is_blank(v)]
            if not filled:
                continue
            if all(is_label(row[c], texts) for c in filled):
                repeat = None  # a header or label row of the template
                continue
            if repeat is None:
                for c in filled:
                    if not is_label(row[c], texts):
                        st.error("XLS-040", UNREAD_OUTSIDE, st.loc(sheet.name, r, c))
                continue
            path = repeat  # a row the clerk inserted inside a list: one more item of it
        e, block = known.get(_INDEX.sub("", path), (None, ""))
        if e is None or not _well_formed(path, block):
            st.error(
                "XLS-041",
                f"本行隐藏的 A 列字段标识{show(path)}无法识别，本行未读取"
                "（请勿修改 A 列；新增内容请在相应列表中插入行）",
                st.loc(sheet.name, r, 0),
            )
            repeat = None
            continue
        if e.kind == "blocks":
            continue
        repeat = path if e.kind in ("list", "dict", "records", "dict_records") else None
        if len(row) > 1 and not is_blank(row[1]) and not is_label(row[1], texts):
            st.error("XLS-040", UNREAD_LABEL, st.loc(sheet.name, r, 1))
        width = kv_width(e)
        for c in range(2 + width, len(row)):
            if not is_blank(row[c]):
                st.error("XLS-040", UNREAD_BEYOND, st.loc(sheet.name, r, c))
        if e.kind in ("scalar", "row"):
            if path in first_row:
                st.error(
                    "XLS-033",
                    f"字段「{field_label(path)}」重复：已在第 {first_row[path] + 1} 行填写，"
                    "每个字段只能填写一行（请删除或合并其中一行）",
                    st.loc(sheet.name, r, 0, path),
                )
                continue
            first_row[path] = r
        cells = list(row[2:]) + [None] * (len(e.fields) + 6)
        if e.kind == "scalar":
            value = _kv_value(st, sheet, r, 2, path, cells[0])
            if value is not None:
                st.put(path, value, st.loc(sheet.name, r, 2, path))
            else:  # a message about the missing value names the cell to fill in
                st.sources.setdefault(path, st.loc(sheet.name, r, 2, path))
        elif e.kind == "list":
            value = to_text(cells[0])
            if value is not None:
                items = lists.setdefault(path, [])
                st.sources[f"{path}.{len(items)}"] = st.loc(sheet.name, r, 2)
                items.append(value)
        elif e.kind == "dict":
            k = to_text(cells[0])
            if e.fields == ("decimal",):
                v = _kv_value(st, sheet, r, 3, f"{path}.{k}", cells[1], "decimal")
            else:
                v = to_text(cells[1])
            if k is not None or v is not None:
                items = lists.setdefault(path, [])
                items.append((k or "", v if v is not None else ""))
                st.sources[f"{path}.{k}"] = st.loc(sheet.name, r, 2)
        elif e.kind == "dict_records":
            _dict_record(st, sheet, r, path, e, cells, keyed)
        elif e.kind == "row":
            values = cells[1 : 1 + len(e.fields)]
            if is_blank(cells[0]) and all(is_blank(c) for c in values):
                continue
            rec: dict[str, Any] = {}
            for j, name in enumerate(e.fields):
                sub = f"{path}.{name}"
                value = _kv_value(st, sheet, r, 3 + j, sub, values[j])
                if value is not None:
                    rec[name] = value
                st.sources[sub] = st.loc(sheet.name, r, 3 + j)
            st.put(path, rec, st.loc(sheet.name, r, 2, path))
        else:
            if all(is_blank(c) for c in cells[: len(e.fields)]):
                continue
            items = lists.setdefault(path, [])
            rec = {}
            for j, name in enumerate(e.fields):
                sub = f"{path}.{len(items)}.{name}"
                value = _kv_value(st, sheet, r, 2 + j, sub, cells[j])
                if value is not None:
                    rec[name] = value
                st.sources[sub] = st.loc(sheet.name, r, 2 + j)
            st.sources[f"{path}.{len(items)}"] = st.loc(sheet.name, r, 2)
            items.append(rec)
    for path, items in lists.items():
        e = known[_INDEX.sub("", path)][0]
        first = st.sources.get(f"{path}.0") or Location(file=st.origin, sheet=sheet.name)
        value = dict(items) if e.kind == "dict" else items
        _set(st.data, path, value)
        st.sources.setdefault(path, first)
    for path, records in keyed.items():
        _set(st.data, path, {k: v.get("", v) for k, v in records.items()})
    for e, _ in known.values():
        if e.kind == "blocks":
            _listify(st, st.data, e.path.split("."), "")


def _set(data: dict[str, Any], path: str, value: Any) -> None:
    node = data
    parts = path.split(".")
    for p in parts[:-1]:
        node = node.setdefault(p, {})
    node[parts[-1]] = value


def _listify(st: State, node: Any, parts: list[str], done: str) -> None:
    """Turn the ``{"0": …, "1": …}`` of a block list at ``parts`` into a list (in index order)."""
    if not isinstance(node, dict) or parts[0] not in node:
        return
    here = f"{done}.{parts[0]}" if done else parts[0]
    if len(parts) > 1:
        _listify(st, node[parts[0]], parts[1:], here)
        return
    value = node[parts[0]]
    if not isinstance(value, dict):
        return
    keys = sorted((k for k in value if k.isdigit()), key=int)
    node[parts[0]] = [value[k] for k in keys]
    moved: dict[str, Location] = {}
    for new, old in enumerate(keys):
        if str(new) == old:
            continue
        prefix = f"{here}.{old}"
        for k in [k for k in st.sources if k == prefix or k.startswith(prefix + ".")]:
            moved[f"{here}.{new}" + k[len(prefix) :]] = st.sources.pop(k)
    st.sources.update(moved)
    for new in range(len(keys)):  # locate a record by its first filled cell
        item = f"{here}.{new}"
        if item not in st.sources:
            first = next((v for k, v in st.sources.items() if k.startswith(item + ".")), None)
            if first is not None:
                st.sources[item] = first
    if keys:
        st.sources.setdefault(here, st.sources.get(f"{here}.0") or Location(file=st.origin))


def _dict_record(st, sheet, r, path, e, cells, keyed) -> None:
    """One row of a mapping to records: the key in C, the fields in D…."""
    key = to_text(cells[0])
    values = cells[1 : 1 + len(e.fields)]
    if key is None:
        if not all(is_blank(c) for c in values):
            st.error("XLS-022", "缺少键（名称或编号）", st.loc(sheet.name, r, 2, path))
        return
    where = f"{path}.{key}"
    records = keyed.setdefault(path, {})
    seen = key in records
    rec = records.setdefault(key, {})
    generic = _INDEX.sub("", path)
    if not seen:
        st.sources[where] = st.loc(sheet.name, r, 2, where)
    filled = [j for j, c in enumerate(values) if not is_blank(c)]
    if e.bare and not seen and filled == [0]:
        # only the first field: the bare number (``inputs: {name: 5}``)
        value = _kv_value(
            st, sheet, r, 3, f"{where}.{e.fields[0]}", values[0], lookup=f"{generic}.{e.fields[0]}"
        )
        if value is not None:
            rec[""] = value
        return
    rec.pop("", None)
    for j, name in enumerate(e.fields):
        if is_blank(values[j]):
            continue
        sub = f"{where}.{name}"
        value = _kv_value(st, sheet, r, 3 + j, sub, values[j], lookup=f"{generic}.{name}")
        if value is None:
            continue
        model, field_name = model_at(f"{generic}.{name}")
        if field_kind(model.model_fields[field_name].annotation) == "list":
            items = rec.setdefault(name, [])
            st.sources[f"{sub}.{len(items)}"] = st.loc(sheet.name, r, 3 + j, sub)
            st.sources.setdefault(sub, st.loc(sheet.name, r, 3 + j, sub))
            items.append(value)
        elif name in rec:
            st.error(
                "XLS-023",
                f"“{key}”的{model.model_fields[field_name].description or name}重复填写",
                st.loc(sheet.name, r, 3 + j, sub),
            )
        else:
            rec[name] = value
            st.sources[sub] = st.loc(sheet.name, r, 3 + j, sub)


def _kv_value(
    st: State,
    sheet: Sheet,
    r: int,
    c: int,
    path: str,
    raw: Any,
    kind: str | None = None,
    lookup: str | None = None,
) -> Any:
    """The cell's value for field ``path`` (its model field at ``lookup``, default ``path``)."""
    if is_blank(raw):
        uncached(st, sheet, r, c, path)
        return None
    if kind is None:
        model, name = model_at(lookup or _INDEX.sub("", path))
        kind = field_kind(model.model_fields[name].annotation)
        what = model.model_fields[name].description or name
    else:
        what = path.rpartition(".")[2]
    if kind == "mixed":  # text or number: a number cell is a number
        if isinstance(raw, (int, float)) and not isinstance(raw, bool):
            kind = "decimal"
        else:
            return to_text(raw)
    if kind == "bool":
        if isinstance(raw, bool):
            return raw
        text = to_text(raw)
        return {"是": True, "否": False}.get(text or "", text)
    if kind in ("decimal", "int"):
        try:
            value = to_number(raw)
        except ValueError:
            st.error(
                "XLS-030",
                f"应为数字，实际为{show(raw)}（{what}）",
                st.loc(sheet.name, r, c, path),
            )
            return None
        if kind == "int" and value is not None and value == value.to_integral_value():
            return int(value)
        return value
    return to_text(raw)
