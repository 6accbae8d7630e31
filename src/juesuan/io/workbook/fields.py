"""The non-table parts of a dataset as "key-value" sheets of the workbook.

Every dataset field that the standard tables do not hold gets one row on one of the
sheets below: column A holds the field's dotted path (hidden; it is what the importer
reads), B its Chinese label, C (and D…) the value(s).

- scalar fields: one row, value in C;
- lists of text (职责…): several rows with the same path, one item each in C;
- mappings (名词解释…): several rows, the key in C and the text in D;
- lists of records (车辆、项目、报表数…): a header row naming the record's fields, then one
  row per record with the fields in C, D, E…;
- mappings to records (绩效指标编号 → 得分…, 评分输入 → 数值…): like lists of records, the
  key in C and the fields in D, E…; a list-valued field (发现的问题) takes one row per item,
  the key repeated; where the value may also be a bare number (``Decimal | EnteredInput``),
  a row with only the first field filled is the bare number;
- flat sub-records of the self-evaluation (预算执行情况各行, 常年项目…): one row, a 列示
  mark in C (the row is present even if its amounts are blank) and the fields in D, E…;
- lists of nested records (项目支出绩效自评表): one block per record, its fields as above
  with the index in the path (``evaluation.projects.0.name``).
"""

from __future__ import annotations

import types
import typing
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from typing import Any, Literal

from pydantic import BaseModel

from juesuan.model.dataset import Dataset

__all__ = ["KV_SHEETS", "Entry", "entries", "field_kind", "model_at"]

_FALLBACK = {
    "department": "部门基本情况",
    "structure": "机构设置",
    "staffing": "人员编制",
    "sangong": "“三公”经费",
    "procurement": "政府采购",
    "assets": "国有资产占用",
    "performance": "预算绩效管理",
    "prior_year": "上年数",
    "reasons": "变动原因",
    "profile": "地区模板（profile）",
    "unit": "金额单位（元 或 万元）",
    "catalog_year": "分类科目目录年度",
    "glossary": "名词解释覆盖（词条 → 解释）",
    "stated": "报表中列示的合计等数字",
    "code_names": "分类科目名称（编码 → 名称）",
    "evaluation": "预算绩效自评",
}

# sheet name → the dataset paths it holds (fields or whole sub-records), in order.
KV_SHEETS: dict[str, tuple[str, ...]] = {
    "部门信息": (
        "profile",
        "unit",
        "catalog_year",
        "department",
        "initial_budget_total",
        "office_operation",
        "illustrative",
    ),
    "上年数": ("prior_year",),
    "变动原因": ("reasons",),
    "三公明细": (
        "sangong.outbound_groups",
        "sangong.outbound_persons",
        "sangong.outbound_content",
        "sangong.vehicle_purchase_use",
        "sangong.vehicle_operation_use",
        "sangong.reception_domestic",
        "sangong.reception_foreign",
        "sangong.vehicles_purchased",
        "sangong.fleet",
    ),
    "政府采购": ("procurement",),
    "国有资产": ("assets",),
    "预算绩效管理": ("performance",),
    "名词解释与报表数": ("glossary", "stated", "code_names"),
    "绩效自评（部门）": ("evaluation.department", "evaluation.narrative"),
    "绩效自评（项目）": ("evaluation.projects",),
}


@dataclass(frozen=True)
class Entry:
    """One field of a key-value sheet."""

    path: str
    label: str
    kind: str  # "scalar" | "list" | "dict" | "records" | "dict_records" | "row" | "blocks"
    fields: tuple[str, ...] = ()  # records/row: the record's field names
    headers: tuple[str, ...] = ()  # records/row: their labels
    required: bool = False
    bare: bool = False  # dict_records: a value may be a bare number (the first field)
    children: tuple[Entry, ...] = ()  # blocks: the item's entries (paths without the index)
    item: str = ""  # blocks: the item's label (项目)


def _unwrap(annotation: Any) -> tuple[Any, bool]:
    """The annotation without ``None``/``Annotated``; and whether ``None`` was allowed."""
    optional = False
    while True:
        origin = typing.get_origin(annotation)
        if origin is typing.Annotated:
            annotation = typing.get_args(annotation)[0]
            continue
        if origin in (typing.Union, types.UnionType):
            args = [a for a in typing.get_args(annotation) if a is not type(None)]
            optional = optional or len(args) < len(typing.get_args(annotation))
            if len(args) == 1:
                annotation = args[0]
                continue
        return annotation, optional


def field_kind(annotation: Any) -> str:
    """``decimal`` | ``int`` | ``bool`` | ``str`` | ``literal`` | ``model`` | ``list`` | ``dict``
    | ``mixed``.

    ``mixed``: text or number (``str | Decimal``): a number cell is a number, text stays text.
    """
    inner, _ = _unwrap(annotation)
    origin = typing.get_origin(inner)
    if origin in (typing.Union, types.UnionType):
        args = set(typing.get_args(inner))
        if str in args and Decimal in args:
            return "mixed"
    if origin is Literal:
        return "literal"
    if origin is list:
        return "list"
    if origin is dict:
        return "dict"
    if isinstance(inner, type):
        if issubclass(inner, BaseModel):
            return "model"
        if issubclass(inner, bool):
            return "bool"
        if issubclass(inner, int):
            return "int"
        if issubclass(inner, Decimal):
            return "decimal"
    return "str"


@lru_cache(maxsize=4096)
def model_at(path: str) -> tuple[type[BaseModel], str]:
    """The model class that owns the last field of ``path``, and that field's name (cached:
    it depends on the model classes only, and a workbook asks for each path many times)."""
    model: type[BaseModel] = Dataset
    parts = [p for p in path.split(".") if not p.isdigit()]
    for part in parts[:-1]:
        inner, _ = _unwrap(model.model_fields[part].annotation)
        if typing.get_origin(inner) is list:
            inner = typing.get_args(inner)[0]
        elif typing.get_origin(inner) is dict:
            inner = _record(typing.get_args(inner)[1]) or inner
        model = inner
    return model, parts[-1]


def _label(model: type[BaseModel], name: str) -> str:
    info = model.model_fields[name]
    return info.description or _FALLBACK.get(name, name)


def _record(annotation: Any) -> type[BaseModel] | None:
    """The record class in ``annotation`` (``X``, ``X | None``, ``Decimal | X``), if any."""
    inner, _ = _unwrap(annotation)
    candidates = (
        typing.get_args(inner)
        if typing.get_origin(inner) in (typing.Union, types.UnionType)
        else (inner,)
    )
    for c in candidates:
        if isinstance(c, type) and issubclass(c, BaseModel):
            return c
    return None


def _flat(model: type[BaseModel]) -> bool:
    """Whether every field of ``model`` is a single value."""
    return all(
        field_kind(f.annotation) not in ("model", "list", "dict")
        for f in model.model_fields.values()
    )


def _columns(model: type[BaseModel]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    names = tuple(model.model_fields)
    return names, tuple(_label(model, n) for n in names)


def _walk(model: type[BaseModel], name: str, path: str, prefix: str) -> list[Entry]:
    info = model.model_fields[name]
    label = f"{prefix}·{_label(model, name)}" if prefix else _label(model, name)
    inner, _ = _unwrap(info.annotation)
    kind = field_kind(info.annotation)
    if kind == "model":
        if path.startswith("evaluation.") and _flat(inner):
            return [Entry(path, label, "row", *_columns(inner))]
        out: list[Entry] = []
        for sub in inner.model_fields:
            out += _walk(inner, sub, f"{path}.{sub}", label)
        return out
    if kind == "list":
        (item,) = typing.get_args(inner)
        if isinstance(item, type) and issubclass(item, BaseModel):
            if not _flat(item):
                children: list[Entry] = []
                for sub in item.model_fields:
                    children += _walk(item, sub, f"{path}.{sub}", "")
                doc = (item.__doc__ or "").strip().splitlines()
                return [Entry(path, label, "blocks", children=tuple(children), item=_item(doc))]
            return [Entry(path, label, "records", *_columns(item))]
        return [Entry(path, label, "list")]
    if kind == "dict":
        _, value = typing.get_args(inner)
        record = _record(value)
        if record is not None:
            bare = record is not _unwrap(value)[0]
            return [Entry(path, label, "dict_records", *_columns(record), bare=bare)]
        return [Entry(path, label, "dict", fields=(field_kind(value),))]
    return [Entry(path, label, "scalar", required=info.is_required())]


def _item(doc: list[str]) -> str:
    return doc[0].rstrip(".。") if doc else "记录"


def entries(sheet: str) -> list[Entry]:
    """The fields of a key-value sheet, in order."""
    out: list[Entry] = []
    for path in KV_SHEETS[sheet]:
        model, name = model_at(path)
        prefix = ""
        if "." in path and not path.startswith("evaluation."):
            parent_model, parent = model_at(path.rpartition(".")[0])
            prefix = _label(parent_model, parent)
        out += _walk(model, name, path, prefix)
    return out
