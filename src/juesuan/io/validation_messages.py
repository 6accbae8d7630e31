"""Explain pydantic validation errors of a dataset in Chinese, as ``LOAD-1xx`` findings.

Each error is located at the nearest line known for its path and described with the
human names of the fields involved (their descriptions in the model, or fallback names).
"""

from __future__ import annotations

import difflib
import re
import types
import typing
from decimal import Decimal
from typing import Any

from pydantic import BaseModel, ValidationError
from pydantic.fields import FieldInfo

from juesuan.core.findings import Finding, Location, Severity
from juesuan.io.load_findings import clip
from juesuan.model.dataset import Dataset

_NUMBER_TYPES = {
    "decimal_parsing",
    "decimal_type",
    "float_parsing",
    "float_type",
    "int_parsing",
    "int_type",
    "int_from_float",
    "int_parsing_size",
    "finite_number",
    "decimal_max_digits",
    "decimal_max_places",
    "decimal_whole_digits",
}
_RANGE_TYPES = {"greater_than_equal", "greater_than", "less_than_equal", "less_than"}
_CONTAINER_TYPES = {
    "list_type": "列表（每项以「- 」开头）",
    "tuple_type": "列表（每项以「- 」开头）",
    "set_type": "列表（每项以「- 」开头）",
    "dict_type": "映射（「键: 值」）",
    "model_type": "映射（「键: 值」）",
    "model_attributes_type": "映射（「键: 值」）",
    "dataclass_type": "映射（「键: 值」）",
    "string_type": "文本",
    "bool_type": "是/否（true/false）",
    "bool_parsing": "是/否（true/false）",
}

# Names for fields the model leaves without a description.
_FALLBACK_NAMES = {
    "department": "部门基本情况",
    "structure": "机构设置",
    "staffing": "人员编制",
    "income": "本年收入",
    "balances": "结转结余",
    "sangong": '"三公"经费',
    "procurement": "政府采购",
    "assets": "国有资产占用",
    "performance": "预算绩效管理",
    "prior_year": "上年数",
    "reasons": "变动原因",
    "count": "数量",
}

_CODE_KINDS = {
    "functional": "功能分类项级",
    "basic_by_economic": "经济分类款级",
    "project_by_economic": "经济分类款级",
}


def translate(
    exc: ValidationError, sources: dict[str, Location], poisoned: set[str], origin: str
) -> list[Finding]:
    """Findings for the errors in ``exc``, located by ``sources``.

    Errors at or below a ``poisoned`` path (already reported while reading the YAML) are
    left out, and so are repeats of the same message at the same path.
    """
    out: list[Finding] = []
    seen: set[tuple[str, str]] = set()
    for err in exc.errors(include_url=False):
        loc = tuple(item for item in err.get("loc", ()) if item != "[key]")
        path = ".".join(str(item) for item in loc)
        if any(path == p or path.startswith(p + ".") for p in poisoned):
            continue
        code, message = _explain(err, loc, path)
        if (path, message) in seen:
            continue
        seen.add((path, message))
        out.append(Finding(code, Severity.ERROR, message, _nearest(path, sources, origin)))
    return out


def _nearest(path: str, sources: dict[str, Location], origin: str) -> Location:
    probe = path
    while probe:
        if probe in sources:
            found = sources[probe]
            return Location(file=origin, line=found.line, path=path)
        probe = probe.rpartition(".")[0]
    return Location(file=origin, line=1, path=path)


def _explain(err: Any, loc: tuple[Any, ...], path: str) -> tuple[str, str]:
    kind: str = err.get("type", "")
    ctx: dict[str, Any] = err.get("ctx") or {}
    value = err.get("input")
    info = _field_at(loc)
    label = _label(loc, path, info)
    name = str(loc[-1]) if loc else ""
    parent = ".".join(str(item) for item in loc[:-1])

    if kind == "missing":  # named in Chinese only: the location says where it goes
        return "LOAD-101", f"缺少必填项「{field_label(path)}」"

    if kind == "extra_forbidden":
        allowed = _allowed_fields(loc[:-1])
        where = f"「{field_label(parent)}」下" if parent else "文件顶层"
        message = f"未知字段「{name}」，可能拼写错误"
        close = difflib.get_close_matches(name, allowed, n=1, cutoff=0.6)
        if close:
            message += f"（是否应为「{close[0]}」）"
        if allowed:
            message += f"；{where}允许的字段：{'、'.join(allowed)}"
        return "LOAD-102", message

    if kind in _NUMBER_TYPES:
        integer = kind.startswith("int") or _base_type(info) is int
        want = "整数" if integer else "数字"
        message = f"{label} 应为{want}，实际为{_show(value)}"
        if kind == "finite_number":
            message = f"{label} 应为有限的数字，实际为{_show(value)}"
        elif kind == "int_from_float":
            message = f"{label} 应为整数，不能有小数，实际为{_show(value)}"
        message += _number_hint(value)
        return "LOAD-103", message

    if kind in _RANGE_TYPES:
        bound = next((ctx[k] for k in ("ge", "gt", "le", "lt") if k in ctx), None)
        if kind == "greater_than_equal" and bound is not None and Decimal(str(bound)) == 0:
            what = "数量" if _base_type(info) is int else "金额"
            if name in ("score", "department_score"):
                what = "得分"
            return "LOAD-104", f"{label}：{what}不能为负数，实际为{_show(value)}"
        relation = {
            "greater_than_equal": "应不小于",
            "greater_than": "应大于",
            "less_than_equal": "应不大于",
            "less_than": "应小于",
        }[kind]
        return "LOAD-104", f"{label} {relation} {bound}，实际为{_show(value)}"

    if kind == "string_pattern_mismatch":
        pattern = str(ctx.get("pattern", ""))
        digits = re.search(r"\\d\{(\d+)\}", pattern)
        if name == "code" and loc:
            kind_name = _CODE_KINDS.get(str(loc[0]), "科目编码")
            need = f"应为{digits.group(1)}位数字" if digits else f"应符合格式 {pattern}"
            return "LOAD-105", f"科目编码{_show(value)}格式不正确，{kind_name}{need}"
        return "LOAD-105", f"{label} 格式不正确，实际为{_show(value)}，应符合 {pattern}"

    if kind == "string_too_short":
        if ctx.get("min_length") == 1:
            return "LOAD-106", f"{label} 不能为空"
        return "LOAD-106", f"{label} 至少应有 {ctx.get('min_length')} 个字符，实际为{_show(value)}"

    if kind == "literal_error":
        options = _literal_options(info) or [str(ctx.get("expected", ""))]
        choices = "或".join(f"「{o}」" for o in options)
        if name == "unit" and len(loc) == 1:
            return "LOAD-107", f"单位应为{choices}，实际为{_show(value)}"
        return "LOAD-107", f"{label} 应为{choices}，实际为{_show(value)}"

    if kind in _CONTAINER_TYPES:
        message = f"{label} 应为{_CONTAINER_TYPES[kind]}，实际为{_show(value)}"
        if kind == "string_type" and name == "code" and isinstance(value, int):
            message += f'；科目编码请加引号写成文本，如 code: "{value}"'
        elif kind == "string_type" and isinstance(value, int | Decimal):
            message += "；如需按原样保留数字，请加引号"
        return "LOAD-108", message

    if kind == "juesuan_text":
        return "LOAD-109", f"{label} {err.get('msg', '')}"

    msg = err.get("msg", "")
    return "LOAD-199", f"{label} 数据不符合要求：{msg}（{kind}）"


def _number_hint(value: Any) -> str:
    if not isinstance(value, str):
        return ""
    text = value.strip()
    if not text:
        return "；不填请整行删除或写 null"
    if "," in text or "，" in text:
        return "；请去掉千位分隔符（逗号），如 2,940.05 写成 2940.05"
    if re.search(r"万?元|%", text):
        return "；请只写数字，不要带单位（单位由文件顶层的 unit 统一规定）"
    if re.search(r"[０-９．]", text):
        return "；请使用半角数字"
    if " " in text:
        return "；数字中不能有空格"
    return ""


def _show(value: Any) -> str:
    if value is None:
        return "空值"
    if isinstance(value, bool):
        return "「true」" if value else "「false」"
    if isinstance(value, dict):
        return "映射"
    if isinstance(value, list):
        return "列表"
    if isinstance(value, str):
        return f"空文本「{clip(value)}」" if not value.strip() else f"「{clip(value)}」"
    return f"「{clip(str(value))}」"


def _label(loc: tuple[Any, ...], path: str, info: FieldInfo | None) -> str:
    desc = _describe(info)
    if loc and isinstance(loc[-1], int):
        list_desc = _describe(_field_at(loc[:-1]))
        base = f"「{list_desc}」" if list_desc else "列表"
        return f"{base}第 {loc[-1] + 1} 项"
    if desc:
        return f"「{desc}」"
    return f"「{field_label(path)}」" if path else "文件顶层"


def _describe(info: FieldInfo | None) -> str | None:
    if info is None:
        return None
    if info.description:
        return info.description.split("；")[0]
    return None


# -- walking the model along a pydantic loc -------------------------------------------------


def _unwrap(tp: Any) -> Any:
    """Strip Annotated / Optional so that what remains is a model, list, dict or scalar type."""
    while True:
        origin = typing.get_origin(tp)
        if origin is typing.Annotated:
            tp = typing.get_args(tp)[0]
        elif origin in (typing.Union, types.UnionType):
            args = [a for a in typing.get_args(tp) if a is not type(None)]
            if len(args) != 1:
                return tp
            tp = args[0]
        else:
            return tp


def _walk(loc: tuple[Any, ...]) -> tuple[Any, FieldInfo | None]:
    """(type at ``loc``, FieldInfo of the field it belongs to); list indices keep the field."""
    tp: Any = Dataset
    info: FieldInfo | None = None
    for item in loc:
        tp = _unwrap(tp)
        origin = typing.get_origin(tp)
        args = typing.get_args(tp)
        if isinstance(item, int) and origin in (list, tuple, set):
            tp = args[0] if args else Any
        elif origin is dict:
            tp, info = (args[1] if len(args) == 2 else Any), None
        elif isinstance(tp, type) and issubclass(tp, BaseModel) and isinstance(item, str):
            found = tp.model_fields.get(item)
            if found is None:
                return None, None
            info = found
            if not found.description and item in _FALLBACK_NAMES:
                info = FieldInfo(annotation=found.annotation, description=_FALLBACK_NAMES[item])
            tp = found.annotation
        else:
            return None, None
    return _unwrap(tp), info


def _field_at(loc: tuple[Any, ...]) -> FieldInfo | None:
    return _walk(loc)[1]


def _model_at(loc: tuple[Any, ...]) -> type[BaseModel] | None:
    tp = _walk(loc)[0]
    return tp if isinstance(tp, type) and issubclass(tp, BaseModel) else None


def _allowed_fields(loc: tuple[Any, ...]) -> list[str]:
    model = _model_at(loc)
    return list(model.model_fields) if model is not None else []


def _base_type(info: FieldInfo | None) -> Any:
    return _unwrap(info.annotation) if info is not None else None


def _literal_options(info: FieldInfo | None) -> list[str]:
    tp = _base_type(info)
    if typing.get_origin(tp) is typing.Literal:
        return [str(a) for a in typing.get_args(tp)]
    return []


def field_label(path: str) -> str:
    """The Chinese name of a dataset path for a user message, from the model's field descriptions.

    ``prior_year.appropriation_grand_total`` → ``上年数／财政拨款收入、支出总计``;
    ``functional.0.gap_reason`` → ``支出功能分类（项）明细第1项／决算数与预算数不一致的原因``.
    Parts without a description are left out; the dotted path itself stays in
    ``Location.path`` for machines and never appears in the text.
    """
    loc = tuple(int(p) if p.isdigit() else p for p in path.split(".") if p)
    parts: list[str] = []
    for i, item in enumerate(loc):
        if isinstance(item, int):
            if parts:
                parts[-1] += f"第{item + 1}项"
            continue
        desc = _describe(_field_at(loc[: i + 1]))
        if desc:
            cut = r"[，,；（(]" if i < len(loc) - 1 else r"[，,；]"
            parts.append(re.split(cut, desc, maxsplit=1)[0])
    return "／".join(parts) or "数据"
