"""The loaders' fast constructors build exactly what the dataclasses' ``__init__`` builds."""

from __future__ import annotations

from dataclasses import fields
from decimal import Decimal as D

import pytest

from juesuan.core.figures import Figure, figure
from juesuan.core.findings import Location, located
from juesuan.core.money import round_to


@pytest.mark.parametrize(
    ("file", "line", "path"),
    [("a.yaml", 3, "income.general_budget"), (None, None, None), ("", 0, "")],
)
def test_located_is_the_keyword_location(file: str | None, line: int | None, path: str | None):
    fast, slow = located(file, line, path), Location(file=file, line=line, path=path)
    assert fast == slow and hash(fast) == hash(slow) and repr(fast) == repr(slow)
    assert fast.to_dict() == slow.to_dict()
    # every field is set: one added to Location must be added to ``located`` too
    assert [getattr(fast, f.name) for f in fields(Location)] == [
        getattr(slow, f.name) for f in fields(Location)
    ]
    with pytest.raises(AttributeError):
        fast.line = 4  # type: ignore[misc]  # still frozen


def test_figure_is_the_positional_figure():
    where = located("a.yaml", 7, "x")
    args = ("func.201.expenditure.basic", D("1.50"), "万元", "input", ("a",), D("0.005"), "基本")
    fast, slow = figure(*args, where), Figure(*args, where)
    assert fast == slow and repr(fast) == repr(slow) and fast.to_dict() == slow.to_dict()
    assert figure(*args) == Figure(*args)
    assert [getattr(fast, f.name) for f in fields(Figure)] == [
        getattr(slow, f.name) for f in fields(Figure)
    ]


@pytest.mark.parametrize("places", range(10))
@pytest.mark.parametrize("value", [D("2.345"), D("-2.345"), D("1E+3"), D("0.0049999"), D("-0")])
def test_round_to_uses_the_same_quantum(value: D, places: int):
    expected = value.quantize(D(1).scaleb(-places), rounding="ROUND_HALF_UP")
    assert str(round_to(value, places)) == str(expected)
