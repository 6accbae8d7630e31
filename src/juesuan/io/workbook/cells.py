"""Cell values of a workbook: blank, number, text, code; A1 names and label matching."""

from __future__ import annotations

import math
import re
from decimal import Decimal, InvalidOperation
from typing import Any


def a1(r: int, c: int) -> str:
    letters = ""
    c += 1
    while c:
        c, rem = divmod(c - 1, 26)
        letters = chr(65 + rem) + letters
    return f"{letters}{r + 1}"


_THOUSANDS = re.compile(r"^[+-]?\d{1,3}(,\d{3})+(\.\d+)?$")
_PLAIN = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)$")


def is_blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def to_number(value: Any) -> Decimal | None:
    """The cell as a Decimal; raises ValueError for text that is not a number."""
    if is_blank(value):
        return None
    if isinstance(value, bool):
        raise ValueError(str(value))
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError(str(value))
        return Decimal(format(value, ".15g")).normalize() + 0 if value else Decimal(0)
    if isinstance(value, str):
        text = value.strip().replace("\u3000", "").replace(" ", "")
        text = text.translate(_FULLWIDTH)
        if _THOUSANDS.match(text):
            text = text.replace(",", "")
        if _PLAIN.match(text):
            try:
                return Decimal(text)
            except InvalidOperation:
                pass
    raise ValueError(str(value))


_FULLWIDTH = str.maketrans("０１２３４５６７８９．，－", "0123456789.,-")


def to_text(value: Any) -> str | None:
    if is_blank(value):
        return None
    if isinstance(value, float) and math.isfinite(value) and value == int(value):
        return str(int(value))
    return str(value).strip()


def to_code(value: Any) -> str | None:
    text = to_text(value)
    if text is None:
        return None
    return text.replace(" ", "").replace("\u3000", "")


def show(value: Any) -> str:
    text = str(value)
    return f"“{text[:30]}”"


_SPACE = re.compile(r"\s+")


def norm(text: Any) -> str:
    t = _SPACE.sub("", str(text or ""))
    return t.replace("“", '"').replace("”", '"')


_NUMBERED = re.compile(r"^[一二三四五六七八九十]+、")


def label_key(text: Any) -> str:
    return _NUMBERED.sub("", norm(text))
