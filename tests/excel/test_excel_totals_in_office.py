"""A workbook made by ``convert`` shows the right totals once an office suite computes it.

The 支出决算表 lines of a dataset without other funds are formulas over the fund tables
(blank when no fund has an amount), so 收入支出决算总表 shows the spending, not 0.00.
Opened and saved by LibreOffice Calc (where installed), the computed workbook still loads.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from juesuan.excel.fill import fill_template
from juesuan.excel.workbook import fixed_layout
from juesuan.io.workbook.loader import load_workbook
from juesuan.io.workbook.sheets import read_sheets
from juesuan.pipeline import analyse, load, sample_path
from libreoffice import convert, soffice

SOFFICE = soffice("calc")


def test_expenditure_lines_are_formulas_over_the_fund_tables() -> None:
    import io

    import openpyxl

    ds, _ = load(sample_path("seed"))
    assert ds.functional[0].expenditure is None  # the seed gives appropriation spending only
    ws = openpyxl.load_workbook(io.BytesIO(fill_template(ds)))["支出决算表"]
    basic = ws["D6"].value
    assert basic.startswith("=IF(COUNTIFS(") and "SUMIF(" in basic
    assert "一般公共预算财政拨款支出决算表" in basic


@pytest.mark.skipif(SOFFICE is None, reason="LibreOffice Calc is not installed")
def test_totals_after_libreoffice_recalculates(tmp_path: Path) -> None:
    ds, _ = load(sample_path("seed"))
    book = tmp_path / "seed.xlsx"
    book.write_bytes(fill_template(ds))
    convert(SOFFICE, book, "ods", tmp_path)
    out = tmp_path / "saved"
    out.mkdir()
    convert(SOFFICE, tmp_path / "seed.ods", "xlsx", out)
    sheets = {s.name: s for s in read_sheets((out / "seed.xlsx").read_bytes(), "x")}
    summary = sheets["收入支出决算总表"].rows
    total = next(row for row in summary if row and row[0] == "总计")
    assert Decimal(str(total[1])) == Decimal(str(total[3])) == Decimal("253.87")
    spending = sheets["支出决算表"].rows[4]
    assert spending[1] == "合计" and Decimal(str(spending[2])) == Decimal("253.87")
    again, findings = load_workbook(out / "seed.xlsx", fixed_layout)
    assert again is not None, [f.render() for f in findings]
    a, _ = analyse(ds)
    b, more = analyse(again)
    # the totals the office suite computed are compared with juesuan's figures: all agree
    assert {"income.grand_total", "func.201.expenditure.total"} <= {p.figure for p in again.printed}
    assert not [f.render() for f in findings + more if f.code in ("TOT-001", "XLS-024")]
    assert a.figures["expenditure.total"].value == b.figures["expenditure.total"].value
    assert (
        a.figures["func.201.expenditure.total"].value
        == b.figures["func.201.expenditure.total"].value
    )
