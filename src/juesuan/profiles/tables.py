"""The standard tables' specs: one vocabulary of table kinds, columns and rows, as data.

Each profile's ``tables.yaml`` lists its tables; an entry ``{ref: key, …}`` takes the common
spec of that key from ``_common/tables.yaml`` and overrides its fields. The document's tables
(:mod:`juesuan.compose.tables`), the fill-in workbook's sheets and the checker's table kinds
all read these specs.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path
from typing import Any

from juesuan.profiles.yaml_data import load

COMMON = Path(__file__).resolve().parent / "_common" / "tables.yaml"


@lru_cache(maxsize=1)
def common_specs() -> dict[str, dict[str, Any]]:
    """The common table specs by key."""
    return {t["key"]: t for t in (load(COMMON.read_text(encoding="utf-8")) or {})["tables"]}


@lru_cache(maxsize=16)
def load_specs(path: Path) -> tuple[dict[str, Any], ...]:
    """A profile's table specs, with ``{ref: key, …}`` entries resolved against the common ones."""
    common = common_specs()
    data = load(path.read_text(encoding="utf-8")) or {}
    specs = []
    for entry in data.get("tables", ()):
        if "ref" in entry:
            base = common[entry["ref"]]
            entry = {**base, **{k: v for k, v in entry.items() if k != "ref"}}
        specs.append(entry)
    return tuple(specs)


def leaf_columns(columns: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """The value columns of a spec, with grouped headers flattened."""
    out: list[dict[str, Any]] = []
    for col in columns:
        out += leaf_columns(col["columns"]) if "columns" in col else [col]
    return out
