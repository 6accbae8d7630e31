"""A table found misread only once the rules ran on the recovered data takes back everything
said from that data: no finding of the document comes from a reading failure."""

from __future__ import annotations

import re

import pytest
from report_view import serious

from juesuan.check import check_file

pytestmark = pytest.mark.slow


def test_an_unknown_column_heading_costs_checks_not_false_findings(built, tmp_path):
    """“基本支出” headed “基本” (a wording the reader does not know): the 基本支出 column is not
    read, the tables whose totals then fail are set aside, and nothing computed from them —
    the text's figures against the tables, the totals across tables — is reported."""
    html = built[("seed", "html")].read_text("utf-8")
    renamed = re.sub(
        r"(<th[^>]*>)([^<]*)(</th>)",
        lambda m: m.group(1) + m.group(2).replace("基本支出", "基本") + m.group(3),
        html,
    )
    assert renamed != html
    (tmp_path / "renamed.html").write_text(renamed, "utf-8")
    base, report = check_file(built[("seed", "html")]), check_file(tmp_path / "renamed.html")
    assert "（部分可靠）" in report.headline and "无法可靠读取" in report.headline
    assert serious(report) == serious(base)
    coverage = {c.code: c for c in report.coverage}
    assert any("无法可靠读取" in why for why in coverage["CHK-122"].cannot)
    assert any("无法可靠读取" in why for why in coverage["TOT-001"].cannot)


def test_a_misread_fund_table_is_left_out_on_its_own(tmp_path):
    """A fund's table set aside by its own totals (its 项 rows read blank) takes out only the
    fund's figures (CHK-121 says so); the data rules still run on the other tables."""
    from pathlib import Path

    golden = Path(__file__).resolve().parents[1] / "golden" / "corpus-fund-sangong-2024.md"
    text = golden.read_text("utf-8")
    for row in (
        "| 212 | 08 | 01 | 　　征地和拆迁补偿支出 |  | 3,100.00 | 3,100.00 |  | 3,100.00 |  |",
        "| 212 | 08 | 03 | 　　城市建设支出 | 300.00 | 2,100.00 | 2,220.00 |  | 2,220.00 | 180.00 |",
    ):
        assert row in text
        name = row.split("|")[4]
        text = text.replace(row, "|".join(row.split("|")[:4]) + f"|{name}|  |  |  |  |  |  |")
    (tmp_path / "fund.md").write_text(text, "utf-8")
    report = check_file(tmp_path / "fund.md")
    assert list(report.reading.untrusted) == ["政府性基金预算财政拨款收入支出决算表（第222行）"]
    coverage = {c.code: c for c in report.coverage}
    assert coverage["TOT-003"].checked and not coverage["TOT-003"].cannot
    assert any("政府性基金" in why for why in coverage["CHK-121"].cannot)
    assert serious(report) == serious(check_file(golden))
