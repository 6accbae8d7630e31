"""The ``--input NAME=VALUE`` option of validate, build, score and the batch commands."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from juesuan.cli.output import fail

INPUT_HELP = "运行参数「名称=数值」，可重复，如 --input N=-4.63（区直平均人均资产变化率，%）"


def parse_inputs(items: list[str] | None) -> dict[str, Decimal]:
    """``NAME=VALUE`` pairs as Decimals (a trailing % is allowed); exits with a message."""
    out: dict[str, Decimal] = {}
    for item in items or []:
        name, sep, raw = item.partition("=")
        name, raw = name.strip(), raw.strip().removesuffix("%").strip()
        if not sep or not name.isidentifier():
            fail(f"运行参数「{item}」应写成 名称=数值，如 N=-4.63")
        try:
            value = Decimal(raw)
        except InvalidOperation:
            value = Decimal("NaN")
        if not value.is_finite() or (value and abs(value.adjusted()) > 30):
            fail(f"运行参数「{item}」的值「{raw}」不是有效的数字")
        if name in out:
            fail(f"运行参数「{name}」重复")
        out[name] = value
    return out
