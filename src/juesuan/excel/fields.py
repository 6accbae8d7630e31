"""The non-table parts of a dataset as "key-value" sheets of the workbook.

Every dataset field that the standard tables do not hold gets one row on one of the
sheets below: column A holds the field's dotted path (hidden; it is what the importer
reads), B its Chinese label, C (and D…) the value(s).

- scalar fields: one row, value in C;
- lists of text (职责…): several rows with the same path, one item each in C;
- mappings (名词解释…): several rows, the key in C and the text in D;
- lists of records (车辆、项目、报表数…): a header row naming the record's fields, then one
  row per record with the fields in C, D, E….
"""

from __future__ import annotations

import types
import typing
from dataclasses import dataclass
from decimal import Decimal
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
    "名词解释与报表数": ("glossary", "stated"),
}


@dataclass(frozen=True)
class Entry:
    """One field of a key-value sheet."""

    path: str
    label: str
    kind: str  # "scalar" | "list" | "dict" | "records"
    fields: tuple[str, ...] = ()  # records: the record's field names
    headers: tuple[str, ...] = ()  # records: their labels
    required: bool = False


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
    """``decimal`` | ``int`` | ``str`` | ``literal`` | ``model`` | ``list`` | ``dict``."""
    inner, _ = _unwrap(annotation)
    origin = typing.get_origin(inner)
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
            return "str"
        if issubclass(inner, int):
            return "int"
        if issubclass(inner, Decimal):
            return "decimal"
    return "str"


def model_at(path: str) -> tuple[type[BaseModel], str]:
    """The model class that owns the last field of ``path``, and that field's name."""
    model: type[BaseModel] = Dataset
    parts = path.split(".")
    for part in parts[:-1]:
        inner, _ = _unwrap(model.model_fields[part].annotation)
        if typing.get_origin(inner) is list:
            inner = typing.get_args(inner)[0]
        model = inner
    return model, parts[-1]


def _label(model: type[BaseModel], name: str) -> str:
    info = model.model_fields[name]
    return info.description or _FALLBACK.get(name, name)


def _walk(model: type[BaseModel], name: str, path: str, prefix: str) -> list[Entry]:
    info = model.model_fields[name]
    label = f"{prefix}·{_label(model, name)}" if prefix else _label(model, name)
    inner, _ = _unwrap(info.annotation)
    kind = field_kind(info.annotation)
    if kind == "model":
        if path == "evaluation":
            return []
        out: list[Entry] = []
        for sub in inner.model_fields:
            out += _walk(inner, sub, f"{path}.{sub}", label)
        return out
    if kind == "list":
        (item,) = typing.get_args(inner)
        if isinstance(item, type) and issubclass(item, BaseModel):
            names = tuple(item.model_fields)
            heads = tuple(_label(item, n) for n in names)
            return [Entry(path, label, "records", names, heads)]
        return [Entry(path, label, "list")]
    if kind == "dict":
        return [Entry(path, label, "dict")]
    return [Entry(path, label, "scalar", required=info.is_required())]


def entries(sheet: str) -> list[Entry]:
    """The fields of a key-value sheet, in order."""
    out: list[Entry] = []
    for path in KV_SHEETS[sheet]:
        model, name = model_at(path)
        prefix = ""
        if "." in path:
            parent_model, parent = model_at(path.rpartition(".")[0])
            prefix = _label(parent_model, parent)
        out += _walk(model, name, path, prefix)
    return out
