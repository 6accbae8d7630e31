"""Tables printed in 元 (or 千元, 亿元): read in 万元, as the text states its amounts."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from report_view import serious

from juesuan.check import check_file
from juesuan.check.read.units import unit_of

AMOUNT = re.compile(r"(?<![\d.,])(\d[\d,]*\.\d\d)(?![\d%])")


@pytest.mark.parametrize(
    ("text", "unit"),
    [
        ("单位：元", "元"),
        ("金额单位：万元", "万元"),
        ("（单位：千元）", "千元"),
        ("单位: 亿元", "亿元"),
        ("编制单位：某某区财政局", None),
        ("编制单位：某某局  单位：元", "元"),
        ("附属单位上缴收入", None),
    ],
)
def test_the_unit_line_is_read_and_the_preparer_is_not_a_unit(text, unit):
    assert unit_of(text) == unit


def in_yuan(markdown: str, extra: dict[str, str] | None = None) -> str:
    """The document with every table under “单位：万元” printed in 元 (×10,000, thousands
    separators); the text, the 附表 (no unit line) and rates stay as they were. ``extra``:
    cells (as printed in 元) replaced afterwards."""
    out, scale = [], False
    for line in markdown.splitlines(keepends=True):
        if "单位：万元" in line and not line.startswith("|"):
            scale, line = True, line.replace("单位：万元", "单位：元")
        elif line.startswith("|") and scale:
            line = AMOUNT.sub(
                lambda m: f"{Decimal(m.group(1).replace(',', '')) * 10000:,.2f}", line
            )
            for old, new in (extra or {}).items():
                line = line.replace(old, new)
        elif line.strip():
            scale = False
        out.append(line)
    return "".join(out)


@pytest.mark.slow
@pytest.mark.parametrize("name", ["seed", "putuo"])
def test_a_document_with_its_tables_in_yuan_reads_as_in_wan(built, tmp_path, name):
    base = check_file(built[(name, "md")])
    yuan = tmp_path / "yuan.md"
    yuan.write_text(in_yuan(built[(name, "md")].read_text("utf-8")), "utf-8")
    assert "单位：元" in yuan.read_text("utf-8")
    report = check_file(yuan)
    assert "张表以元为单位，换算为万元核对" in report.headline
    assert report.tables_found == base.tables_found
    assert serious(report) == serious(base)


@pytest.mark.slow
def test_a_yuan_figure_the_text_rounds_to_wan_is_the_same_figure(built, tmp_path):
    """The seed's totals 253.87 万元 printed as 2,538,737.00 元: the text's “253.87万元” is
    that figure rounded, not a different one."""
    text = in_yuan(built[("seed", "md")].read_text("utf-8"), {"2,538,700.00": "2,538,737.00"})
    assert "2,538,737.00" in text
    (tmp_path / "yuan.md").write_text(text, "utf-8")
    report = check_file(tmp_path / "yuan.md")
    assert not [i for i in report.items if i.finding.code in ("TOT-002", "CHK-122")]
    assert not [i for i in report.items if i.finding.severity.value == "error"]


def test_amounts_are_converted_and_quoted_as_printed():
    from juesuan.check.read.source import RawRow, RawTable, SourceDoc, TextLine
    from juesuan.check.read.units import in_wan

    doc = SourceDoc(
        "x.md", "md", lines=[TextLine("表1 收入支出决算总表", 3), TextLine("单位：元", 4)]
    )
    table = RawTable(
        "表1 收入支出决算总表",
        [
            RawRow(["项目", "决算数"], 1),
            RawRow(["208", "一般公共服务支出", "2,538,737.00", "3"], 2),
        ],
        line=5,
    )
    wan, unit = in_wan(doc, table)
    assert unit == "元"
    assert wan.rows[1].cells == ["208", "一般公共服务支出", "253.87", "3"]  # codes, counts kept
    assert wan.rows[1].quote() == "208 一般公共服务支出 2,538,737.00 3"
    assert in_wan(SourceDoc("x.md", "md", lines=[TextLine("单位：万元", 4)]), table) == (
        table,
        None,
    )
