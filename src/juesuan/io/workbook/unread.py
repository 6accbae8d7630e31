"""What the workbook loader does not read: nothing a clerk typed may be lost silently.

Every non-empty cell of a workbook is either read into the dataset, recognised as the
template's own text (titles, headers, labels, formulas' results), or reported as an error
naming its sheet and cell (XLS-040). This module holds the recognisers the loader uses:

- key-value sheets: the texts the template writes there (labels, headers, block titles);
  anything else in a row without a field mark is content the loader would not read;
- fixed-layout parts of the fill-in template (the guide, the summary and derived tables,
  the hidden catalog, the input lists' headers): the loader compares them with the
  template writer's :data:`Layout`, which the callers pass in.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from functools import lru_cache
from typing import Any

from juesuan.io.workbook.fields import KV_SHEETS, Entry, entries

__all__ = [
    "CATALOG_SHEET",
    "GUIDE_SHEET",
    "HEAD_ROWS",
    "UNREAD_BEYOND",
    "UNREAD_COLUMN",
    "UNREAD_FORMULA",
    "UNREAD_LABEL",
    "UNREAD_OUTSIDE",
    "UNREAD_SHEET",
    "UNREAD_TEXT",
    "Layout",
    "is_label",
    "kv_texts",
    "kv_width",
]

GUIDE_SHEET = "填表说明"
CATALOG_SHEET = "科目目录"
FIRST_DATA_ROW = 6  # the first 项/款 row of an input list (1-based); the 合计 row is above it
HEAD_ROWS = FIRST_DATA_ROW - 2  # title, unit and the two header rows of an input list

# (profile, year) → spec key / sheet → (row, column) → "" (input), "=" (formula) or its text:
# the template writer's fixed cells (``juesuan.excel.workbook.fixed_layout``), passed in by
# the callers above this layer so that the reader need not import the writer.
Layout = Callable[[str, int], dict[str, dict[tuple[int, int], str]]]

UNREAD_OUTSIDE = (
    "此单元格不在填报区，内容未被读取（列表需要更多行时，请在列表的最后一行之上插入整行）"
)
UNREAD_LABEL = "“项目”列是说明文字，不读取；请把内容填在“值”列"
UNREAD_BEYOND = "此单元格在本行填报列之外，内容未被读取"
UNREAD_COLUMN = "此列不是可识别的填报列（表头不在本表的列中），内容未被读取"
UNREAD_SHEET = "此表由程序生成或仅供说明，填写的内容不会被读取"
UNREAD_FORMULA = "此单元格是公式（合计或由其他表取数），填写的文字不会被读取"
UNREAD_TEXT = "此单元格是模板的说明文字，改写的内容不会被读取"

# Texts of the key-value sheets' fixed rows besides the fields' own labels.
_FIXED = ("字段", "项目", "值", "键", "内容", "列示", "（必填）", "（每行一条）")
_DIGITS = re.compile(r"\d+")


def _key(text: Any) -> str:
    t = re.sub(r"\s+", "", str(text))
    t = t.replace("（必填）", "").replace("（每行一条）", "")
    return _DIGITS.sub("#", t)


def _labels(items: Iterable[Entry]) -> set[str]:
    out: set[str] = set()
    for e in items:
        out.add(_key(e.label))
        out.update(_key(h) for h in e.headers)
        if e.kind == "blocks":
            out.add(_key(f"{e.item}（1）"))
            out |= _labels(e.children)
    return out


@lru_cache(maxsize=32)
def kv_texts(sheet: str) -> frozenset[str]:
    """The template's own texts on key-value sheet ``sheet`` (normalised, digits as ``#``)."""
    if sheet not in KV_SHEETS:
        return frozenset()
    return frozenset({_key(sheet), *(_key(t) for t in _FIXED), *_labels(entries(sheet))})


def is_label(value: Any, texts: frozenset[str]) -> bool:
    """Whether the cell holds one of the template's own texts (not data)."""
    return isinstance(value, str) and _key(value) in texts


def kv_width(e: Entry) -> int:
    """How many cells from column C a row of entry ``e`` uses."""
    if e.kind in ("scalar", "list"):
        return 1
    if e.kind == "dict":
        return 2
    if e.kind in ("dict_records", "row"):
        return 1 + len(e.fields)
    return len(e.fields)
