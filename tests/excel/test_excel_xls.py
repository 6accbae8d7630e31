"""Legacy .xls workbooks import like .xlsx (the .xls is made by LibreOffice where installed)."""

from __future__ import annotations

from pathlib import Path

import pytest

from juesuan.excel.fill import fill_template
from juesuan.io.workbook.loader import load_workbook
from juesuan.io.yaml_loader import load_yaml
from juesuan.pipeline import sample_path
from libreoffice import convert, soffice

SOFFICE = soffice("calc")


@pytest.mark.skipif(SOFFICE is None, reason="LibreOffice Calc is not installed")
def test_xls_made_by_libreoffice_imports_like_the_xlsx(tmp_path: Path) -> None:
    ds, _ = load_yaml(sample_path("putuo"))
    xlsx = tmp_path / "putuo.xlsx"
    xlsx.write_bytes(fill_template(ds))
    done = convert(SOFFICE, xlsx, "xls", tmp_path)
    assert done.returncode == 0, done.stderr
    from_xls, findings = load_workbook(tmp_path / "putuo.xls")
    assert from_xls is not None, [f.render() for f in findings]
    assert [line.code for line in from_xls.functional] == [line.code for line in ds.functional]
    for a, b in zip(from_xls.functional, ds.functional, strict=True):
        assert (
            a.income == b.income
            and a.expenditure == b.expenditure
            and a.general_budget == b.general_budget
        )
    assert from_xls.basic_by_economic == ds.basic_by_economic or [
        (e.code, e.amount) for e in from_xls.basic_by_economic
    ] == [(e.code, e.amount) for e in ds.basic_by_economic]
    assert from_xls.stated == ds.stated
