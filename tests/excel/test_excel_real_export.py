"""Import a workbook laid out like a 决算 software export of the Putuo tables (issue 5).

The workbook is built here with openpyxl the way real exports look: one sheet per table (and
one sheet holding two tables one below the other), a title row such as
“上海市普陀区财政局2024年度收入决算表”, a “单位：万元” line, merged multi-row headers
(项目 / 支出功能分类科目编码 / 类 款 项 / 科目名称 / amounts), a 栏次 row, a 行次 column in
the 收入支出决算总表, codes as numbers in split 类/款/项 columns (款 6 → “06”), names indented
with full-width spaces, amounts as numbers or as text with thousands separators, blanks for
absent values and the 合计 row. The figures are the Putuo sample's (read from its YAML).

Department name, region, year and profile come from a minimal 部门信息 sheet (the key-value
sheet of the fill-in template, with only those fields); the unit comes from the 单位 lines.
"""

from __future__ import annotations

from decimal import Decimal
from io import BytesIO
from pathlib import Path
from typing import Any

import openpyxl

from juesuan.catalog.catalogs import load_catalogs
from juesuan.core.findings import Severity
from juesuan.io.workbook.loader import load_workbook, load_workbook_bytes
from juesuan.io.yaml_loader import load_yaml
from juesuan.pipeline import sample_path

DEPT = "上海市普陀区财政局"
FW = "\u3000"  # full-width space used for indentation


def _sample():
    ds, findings = load_yaml(sample_path("putuo"))
    assert ds is not None, findings
    return ds


def _fmt(value: Decimal | None, text: bool = False) -> Any:
    """An amount cell: blank, a number, or text with thousands separators."""
    if value is None:
        return None
    return f"{value:,.2f}" if text else float(value)


def _title(ws, row: int, name: str, width: int) -> int:
    ws.cell(row, 1, f"{DEPT}2024年度{name}")
    ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=width)
    ws.cell(row + 1, width, "单位：万元")
    return row + 2


def _functional(ws, row, name, labels, lines, carry_class, totals_at_bottom=False, cols=None):
    """A 项-level table: 项目 over 科目编码 (类/款/项) + 科目名称, then amount columns."""
    cat = load_catalogs(2024).functional
    width = 4 + len(labels)
    row = _title(ws, row, name, width)
    h = row
    ws.cell(h, 1, "项目")
    ws.merge_cells(start_row=h, start_column=1, end_row=h, end_column=4)
    ws.cell(h + 1, 1, "支出功能分类科目编码")
    ws.merge_cells(start_row=h + 1, start_column=1, end_row=h + 1, end_column=3)
    ws.cell(h + 1, 4, "科目名称")
    ws.merge_cells(start_row=h + 1, start_column=4, end_row=h + 2, end_column=4)
    for j, k in enumerate("类款项"):
        ws.cell(h + 2, 1 + j, k)
    for j, label in enumerate(labels):
        ws.cell(h, 5 + j, label)
        ws.merge_cells(start_row=h, start_column=5 + j, end_row=h + 2, end_column=5 + j)
    row = h + 3
    ws.cell(row, 1, "栏次")
    ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=4)
    for j in range(len(labels)):
        ws.cell(row, 5 + j, j + 1)
    row += 1

    def put_total(r):
        ws.cell(r, 1, "合计")
        ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=4)
        for j, fn in enumerate(cols):
            total = sum((fn(line) or Decimal(0) for line in lines), Decimal(0))
            ws.cell(r, 5 + j, _fmt(total, text=True))

    if not totals_at_bottom:
        put_total(row)
        row += 1
    groups: dict[str, dict[str, list]] = {}
    for line in lines:
        groups.setdefault(line.code[:3], {}).setdefault(line.code[3:5], []).append(line)
    for cls, kuans in groups.items():
        ws.cell(row, 1, int(cls))
        ws.cell(row, 4, cat.get(cls).name)
        for j, fn in enumerate(cols):
            total = sum((fn(x) or Decimal(0) for k in kuans.values() for x in k), Decimal(0))
            ws.cell(row, 5 + j, _fmt(total))
        row += 1
        for kuan, items in kuans.items():
            if not carry_class:
                ws.cell(row, 1, int(cls))
            ws.cell(row, 2, int(kuan))
            ws.cell(row, 4, FW + cat.get(cls + kuan).name)
            for j, fn in enumerate(cols):
                ws.cell(row, 5 + j, _fmt(sum((fn(x) or Decimal(0) for x in items), Decimal(0))))
            row += 1
            for line in items:
                if not carry_class:
                    ws.cell(row, 1, int(cls))
                    ws.cell(row, 2, int(kuan))
                ws.cell(row, 3, int(line.code[5:]))
                ws.cell(row, 4, FW * 2 + line.name)
                for j, fn in enumerate(cols):
                    ws.cell(row, 5 + j, _fmt(fn(line), text=line.code == "2010601"))
                row += 1
    if totals_at_bottom:
        put_total(row)
        row += 1
    return row


def _basic(ws, row, items):
    """基本支出表: two economic lists side by side (类/款 codes, 科目名称, 决算数)."""
    cat = load_catalogs(2024).economic
    row = _title(ws, row, "一般公共预算财政拨款基本支出决算表", 8)
    for base in (1, 5):
        ws.cell(row, base, "经济分类科目编码")
        ws.merge_cells(start_row=row, start_column=base, end_row=row, end_column=base + 1)
        ws.cell(row, base + 2, "科目名称")
        ws.cell(row, base + 3, "决算数")
        for off in (2, 3):
            ws.merge_cells(
                start_row=row, start_column=base + off, end_row=row + 1, end_column=base + off
            )
        ws.cell(row + 1, base, "类")
        ws.cell(row + 1, base + 1, "款")
    row += 2
    sides = {1: ("301", "303"), 5: ("302", "310")}
    start = row
    ends = []
    for base, classes in sides.items():
        r = start
        for cls in classes:
            mine = [i for i in items if i.code.startswith(cls)]
            ws.cell(r, base, int(cls))
            ws.cell(r, base + 2, cat.get(cls).name)
            ws.cell(r, base + 3, _fmt(sum((i.amount for i in mine), Decimal(0))))
            r += 1
            if cls == "301":  # an item with a blank amount, as exports print every 款
                ws.cell(r, base, 301)
                ws.cell(r, base + 1, 3)
                ws.cell(r, base + 2, FW + "奖金")
                r += 1
            for i in mine:
                ws.cell(r, base, int(cls))
                ws.cell(r, base + 1, int(i.code[3:]))
                ws.cell(r, base + 2, FW + i.name)
                ws.cell(r, base + 3, _fmt(i.amount, text=i.amount >= 1000))
                r += 1
        ends.append(r)
    row = max(ends)
    ws.cell(row, 1, "人员经费合计")
    ws.cell(row, 5, "公用经费合计")
    return row + 1


def _two_sided(ws, name, left, right, line_numbers):
    """A 收入/支出 summary: 项目 | (行次) | 决算数 on each side."""
    step = 3 if line_numbers else 2
    row = _title(ws, 1, name, 2 * step)
    ws.cell(row, 1, "收入")
    ws.cell(row, 1 + step, "支出")
    heads = ["项目", "行次", "决算数"] if line_numbers else ["项目", "决算数"]
    for base in (1, 1 + step):
        for j, t in enumerate(heads):
            ws.cell(row + 1, base + j, t)
    row += 2
    if line_numbers:
        ws.cell(row, 1, "栏次")
        ws.cell(row, 3, 1)
        ws.cell(row, 4, "栏次")
        ws.cell(row, 6, 2)
        row += 1
    for base, items in ((1, left), (1 + step, right)):
        for k, (label, value) in enumerate(items):
            ws.cell(row + k, base, label)
            if line_numbers:
                ws.cell(row + k, base + 1, k + 1)
            ws.cell(row + k, base + step - 1, _fmt(value, text=True))


def build(ds) -> openpyxl.Workbook:
    wb = openpyxl.Workbook()
    info = wb.active
    info.title = "部门信息"
    for r, (path, value) in enumerate(
        [
            ("profile", "shanghai-2024"),
            ("department.name", DEPT),
            ("department.region", "上海市普陀区"),
            ("department.year", 2024),
        ],
        start=1,
    ):
        info.cell(r, 1, path)
        info.cell(r, 3, value)
    lines = ds.functional
    inc, bal = ds.income, ds.balances
    _two_sided(
        wb.create_sheet("表1"),
        "收入支出决算总表",
        [
            ("一、一般公共预算财政拨款收入", inc.general_budget),
            ("二、政府性基金预算财政拨款收入", None),
            ("八、其他收入", inc.other),
            ("本年收入合计", inc.general_budget + inc.other),
            ("年初结转和结余", bal.opening.total),
        ],
        [
            ("一、一般公共服务支出", Decimal("2106.66")),
            ("本年支出合计", Decimal("2940.05")),
            ("年末结转和结余", bal.closing.total),
        ],
        line_numbers=True,
    )
    ws = wb.create_sheet("表2")
    _functional(
        ws,
        1,
        "收入决算表",
        [
            "本年收入合计",
            "财政拨款收入",
            "上级补助收入",
            "事业收入",
            "经营收入",
            "附属单位上缴收入",
            "其他收入",
        ],
        lines,
        carry_class=False,
        cols=[
            lambda x: (x.income.appropriation or Decimal(0)) + (x.income.other or Decimal(0)),
            lambda x: x.income.appropriation,
            lambda x: None,
            lambda x: None,
            lambda x: None,
            lambda x: None,
            lambda x: x.income.other,
        ],
    )
    ws = wb.create_sheet("表3")
    _functional(
        ws,
        1,
        "支出决算表",
        ["本年支出合计", "基本支出", "项目支出", "上缴上级支出", "经营支出", "对附属单位补助支出"],
        lines,
        carry_class=True,
        cols=[
            lambda x: (x.expenditure.basic or Decimal(0)) + (x.expenditure.project or Decimal(0)),
            lambda x: x.expenditure.basic,
            lambda x: x.expenditure.project,
            lambda x: None,
            lambda x: None,
            lambda x: None,
        ],
    )
    _two_sided(
        wb.create_sheet("表4"),
        "财政拨款收入支出决算总表",
        [
            ("一、一般公共预算财政拨款", inc.general_budget),
            ("本年收入合计", inc.general_budget),
            ("年初财政拨款结转和结余", bal.opening.general_budget),
            ("一、一般公共预算财政拨款", bal.opening.general_budget),
        ],
        [("本年支出合计", Decimal("2940.05"))],
        line_numbers=False,
    )
    ws = wb.create_sheet("表5-6")  # two tables one below the other
    end = _functional(
        ws,
        1,
        "一般公共预算财政拨款支出决算表",
        ["合计", "基本支出", "项目支出"],
        lines,
        carry_class=False,
        totals_at_bottom=True,
        cols=[
            lambda x: (
                (x.general_budget.basic or Decimal(0)) + (x.general_budget.project or Decimal(0))
            ),
            lambda x: x.general_budget.basic,
            lambda x: x.general_budget.project,
        ],
    )
    _basic(ws, end + 2, ds.basic_by_economic)
    ws = wb.create_sheet("表8-9")  # the two empty fund tables
    for name in ("政府性基金预算财政拨款收入支出决算表", "国有资本经营预算财政拨款收入支出决算表"):
        row = ws.max_row + 3 if ws.max_row > 1 else 1
        _functional(
            ws,
            row,
            name,
            ["年初结转和结余", "本年收入", "合计", "基本支出", "项目支出", "年末结转和结余"],
            [],
            carry_class=False,
            cols=[lambda x: None] * 6,
        )
    return wb


def _bytes(wb: openpyxl.Workbook) -> bytes:
    out = BytesIO()
    wb.save(out)
    return out.getvalue()


def test_real_export_layout_imports_putuo_figures(tmp_path: Path) -> None:
    sample = _sample()
    path = tmp_path / "putuo-export.xlsx"
    build(sample).save(path)
    ds, findings = load_workbook(path)
    errors = [f for f in findings if f.severity is Severity.ERROR]
    assert ds is not None, errors
    assert not errors
    assert ds.unit == "万元"
    assert ds.department.name == DEPT and ds.department.year == 2024

    def key(lines):
        return [
            (
                x.code,
                x.name,
                x.income.model_dump(),
                x.expenditure.model_dump(),
                x.general_budget.basic,
                x.general_budget.project,
            )
            for x in lines
        ]

    assert key(ds.functional) == key(sample.functional)
    assert [(i.code, i.name, i.amount) for i in ds.basic_by_economic if i.amount is not None] == [
        (i.code, i.name, i.amount) for i in sample.basic_by_economic
    ]
    # the right-hand list (302/310) is read too, and its cells are the items' sources
    ws = build(sample)["表5-6"]
    office = next(r for r in ws.iter_rows() if r[6].value == FW + "办公费")
    idx = [i.code for i in ds.basic_by_economic].index("30201")
    assert ds.locate(f"basic_by_economic.{idx}.amount").cell == office[7].coordinate
    assert ds.income.general_budget == sample.income.general_budget
    assert ds.income.other == sample.income.other
    assert ds.balances.opening.total == sample.balances.opening.total
    assert ds.balances.closing.total == sample.balances.closing.total


def test_wrong_amount_located_at_sheet_and_cell() -> None:
    wb = build(_sample())
    ws = wb["表3"]
    target = None
    for row in ws.iter_rows():
        if row[2].value == 1 and isinstance(row[3].value, str) and "行政运行" in row[3].value:
            target = row[5]  # 基本支出
    assert target is not None
    target.value = "abc"
    ds, findings = load_workbook_bytes(_bytes(wb), "export.xlsx")
    assert ds is None
    bad = [f for f in findings if f.code == "XLS-030"]
    assert len(bad) == 1
    assert bad[0].location.sheet == "表3"
    assert bad[0].location.cell == target.coordinate
    assert "abc" in bad[0].message
