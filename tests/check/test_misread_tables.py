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
