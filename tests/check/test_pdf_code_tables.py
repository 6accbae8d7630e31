"""Code tables read from word positions: codes over 类/款/项 columns or whole in one column."""

from __future__ import annotations

from decimal import Decimal

import pytest

from juesuan.check.read.pdf_tables import Region, _code_table
from juesuan.check.read.recover import Recovered, recover_table
from juesuan.check.read.source import Word


def _w(text: str, x0: float, top: float, width: float | None = None) -> Word:
    return Word(text, x0, x0 + (width or 6 * len(text)), top, top + 10)


def _table(whole_codes: bool) -> list[Word]:
    words = [
        _w("科目编码" if whole_codes else "类", 40, 100),
        _w("科目名称", 110, 100),
        _w("本年支出合计", 300, 100),
        _w("基本支出", 400, 100),
        _w("项目支出", 480, 100),
        _w("合计", 40, 120),
    ]
    rows = [
        ("208", "社会保障和就业支出", ("100.00", "60.00", "40.00")),
        ("20805", "行政事业单位养老支出", ("100.00", "60.00", "40.00")),
        ("2080501", "行政单位离退休", ("70.00", "60.00", "10.00")),
        ("2080502", "事业单位离退休", ("30.00", "", "30.00")),
    ]
    for v, x in zip(("100.00", "60.00", "40.00"), (300, 400, 480), strict=True):
        words.append(_w(v, x, 120))
    for n, (code, name, values) in enumerate(rows):
        top = 140 + 20 * n
        if whole_codes:
            words.append(_w(code, 40, top))
        else:
            for part, x in zip((code[:3], code[3:5], code[5:7]), (40, 65, 85), strict=False):
                if part:
                    words.append(_w(part, x, top))
        words.append(_w(name, 110, top))
        for v, x in zip(values, (300, 400, 480), strict=True):
            if v:
                words.append(_w(v, x, top))
    return words


@pytest.mark.parametrize("whole_codes", [False, True])
def test_every_level_read_whichever_way_codes_print(whole_codes):
    from juesuan.check.read.source import RawTable

    rows = _code_table(Region("expenditure", "支出决算表", 1, _table(whole_codes)))
    table = RawTable("支出决算表", rows, page=1)
    rec = Recovered()
    recover_table("expenditure", table, rec, {"社会保障和就业支出": "208"})
    assert set(rec.lines) == {"2080501", "2080502"}
    assert rec.lines["2080502"]["expenditure"]["project"] == Decimal("30.00")
    assert "basic" not in rec.lines["2080502"]["expenditure"]  # blank is not 0
    stated = {fig for fig, _, _ in rec.stated}
    assert {"func.208.expenditure.total", "func.20805.expenditure.total"} <= stated
    assert rec.names["2080501"] == "行政单位离退休"
