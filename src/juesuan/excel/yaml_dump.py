"""A dataset as plain YAML (no comments); Decimals written as numbers."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import yaml

from juesuan.model.dataset import Dataset

__all__ = ["dump_yaml"]


def _plain(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return value


class _Dumper(yaml.SafeDumper):
    pass


def _float(dumper: yaml.SafeDumper, value: float) -> yaml.Node:
    return dumper.represent_scalar("tag:yaml.org,2002:float", format(value, ".15g"))


_Dumper.add_representer(float, _float)


def dump_yaml(ds: Dataset) -> str:
    """YAML text of ``ds`` (fields left blank are omitted)."""
    data = _plain(ds.model_dump(mode="python", exclude_none=True))
    return yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False)
