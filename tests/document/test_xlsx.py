"""XLSX writer: layout, numeric cells, formula safety, sheet names, determinism."""

from __future__ import annotations

import csv
import hashlib
import os
import re
import subprocess
import sys
import time
import zipfile
from decimal import Decimal
from io import BytesIO
from pathlib import Path

import openpyxl
import pytest
from python_calamine import CalamineWorkbook

from juesuan.document.model import Cell, FigureRef, Table
from juesuan.document.xlsx import write_xlsx
from libreoffice import soffice

TITLE_A = "收入决算表"
# Two titles that differ only after Excel's 31-character limit.
LONG = "一般公共预算财政拨款基本支出决算表按经济分类科目反映的明细情况表"
assert len(LONG) > 31
TITLE_B = LONG + "甲"
TITLE_C = LONG + "乙"


def money(value: str | None, fid: str = "f") -> Cell:
    return Cell(figure=FigureRef(fid, None if value is None else Decimal(value), "万元"))


def pct(value: str | None, fid: str = "p") -> Cell:
    return Cell(figure=FigureRef(fid, None if value is None else Decimal(value), "%"))


def income_table() -> Table:
    """Seven columns; a two-level header where the second row must skip the rowspans."""
    header = (
        (
            Cell("科目编码", rowspan=2),
            Cell("科目名称", rowspan=2),
            Cell("本年收入合计", rowspan=2),
            Cell("其中", colspan=3),
            Cell("财政拨款占比（%）", rowspan=2),
        ),
        (Cell("财政拨款收入"), Cell("事业收入"), Cell("其他收入")),
    )
    rows = (
        (
            Cell("合计", colspan=2, align="center", bold=True),
            money("1266.12"),
            money("1154.12"),
            money("112.00"),
            money("0"),  # a zero: shown as 0.00, not blank
            pct("91.15"),
        ),
        (
            Cell("205"),
            Cell("教育支出"),
            money("1000.25"),
            money("900.25"),
            money("100.00"),
            money(None),  # blank: an empty cell, not zero
            pct("90.00"),
        ),
        (
            Cell("20502"),
            Cell("普通教育", indent=1),
            money("1000.25"),
            money("900.25"),
            money("100.00"),
            money(None),
            pct("80.57"),
        ),
        (
            Cell("2050205"),
            Cell("高等教育", indent=2),
            money("1000.25"),
            money("900.25"),
            money("100.00"),
            money(None),
            pct(None),
        ),
        (
            Cell("208"),
            Cell("社会保障和就业支出"),
            money("253.87"),
            money("253.87"),
            money("0"),
            money(None),
            pct("100"),
        ),
        (
            Cell("-1"),
            Cell("=SUM(A1)"),
            money("12.00"),
            money("0.00"),
            money("12"),
            money(None),
            pct(None),
        ),
        (Cell("+1"), Cell("@cmd"), money(None), money(None), money(None), money(None), pct(None)),
    )
    return Table(
        key="income",
        number="公开02表",
        title=TITLE_A,
        header=header,
        rows=rows,
        columns=7,
        note="注：本表反映部门本年度取得的各项收入情况。",
        widths=(1.2, 3.0, 1.2, 1.2, 1.2, 1.2, 1.0),
    )


def small_table(title: str, *, empty: bool = False) -> Table:
    header = ((Cell("项目"), Cell("决算数")),)
    rows = () if empty else ((Cell("合计", bold=True), money("5.50")),)
    return Table(
        key=title,
        number="",
        title=title,
        header=header,
        rows=rows,
        columns=2,
        note="注：本表反映…",
        empty_note="说明：本年度没有相关收支，故本表无数据。" if empty else "",
    )


def all_tables() -> list[Table]:
    return [
        income_table(),
        small_table(TITLE_B),
        small_table(TITLE_C),
        small_table("收入/支出[总]:表*?\\", empty=True),
    ]


@pytest.fixture(scope="module")
def data() -> bytes:
    return write_xlsx(all_tables(), title="测试部门2024年度部门决算")


@pytest.fixture(scope="module")
def book(data: bytes) -> openpyxl.Workbook:
    return openpyxl.load_workbook(BytesIO(data))


def sheet_xml(data: bytes, index: int) -> str:
    with zipfile.ZipFile(BytesIO(data)) as z:
        return z.read(f"xl/worksheets/sheet{index}.xml").decode("utf-8")


def merged(ws) -> set[str]:
    return {str(r) for r in ws.merged_cells.ranges}


# --- sheets ------------------------------------------------------------------------------


def test_one_sheet_per_table_in_order_with_valid_unique_names(book):
    names = book.sheetnames
    assert len(names) == 4
    assert names[0] == TITLE_A
    assert names[1] == LONG[:31]
    assert names[2] == LONG[:28] + "(2)"
    assert names[3] == "收入支出总表"
    for name in names:
        assert len(name) <= 31
        assert not set(name) & set("[]:*?/\\")


def test_workbook_title_in_document_properties(book):
    assert book.properties.title == "测试部门2024年度部门决算"


# --- layout ------------------------------------------------------------------------------


def test_title_and_unit_rows(book):
    ws = book[TITLE_A]
    assert ws["A1"].value == TITLE_A
    assert ws["A1"].font.b
    assert ws["A1"].font.sz > 11
    assert ws["A1"].alignment.horizontal == "center"
    assert "A1:G1" in merged(ws)
    # The table number on the left, the unit right-aligned across the rest.
    assert ws["A2"].value == "公开02表"
    assert ws["B2"].value == "单位：万元"
    assert ws["B2"].alignment.horizontal == "right"
    assert "B2:G2" in merged(ws)
    # Without a number the unit spans the whole row.
    small = book[LONG[:31]]
    assert small["A2"].value == "单位：万元"
    assert "A1:B1" in merged(small) and "A2:B2" in merged(small)


def test_header_cells_placed_around_rowspans(book):
    ws = book[TITLE_A]
    assert [ws.cell(3, c).value for c in range(1, 8)] == [
        "科目编码",
        "科目名称",
        "本年收入合计",
        "其中",
        None,
        None,
        "财政拨款占比（%）",
    ]
    # Second header row: the cells land in columns D–F, after the three rowspans.
    assert [ws.cell(4, c).value for c in range(4, 7)] == ["财政拨款收入", "事业收入", "其他收入"]
    assert {"A3:A4", "B3:B4", "C3:C4", "D3:F3", "G3:G4", "A5:B5"} <= merged(ws)
    for c in range(1, 8):
        cell = ws.cell(3, c)
        if cell.value is None:
            continue
        assert cell.font.b
        assert cell.alignment.horizontal == "center"
        assert cell.alignment.wrap_text
        assert cell.fill.fill_type == "solid"


def test_exact_merged_ranges(book):
    assert merged(book[TITLE_A]) == {
        "A1:G1",
        "B2:G2",
        "A3:A4",
        "B3:B4",
        "C3:C4",
        "D3:F3",
        "G3:G4",
        "A5:B5",
        "A12:G12",
    }


def test_thin_borders_on_every_header_and_body_cell(book):
    """Every grid cell is outlined; a merged region at least along its outline.

    (openpyxl re-creates the covered cells of a merged region on loading and keeps only
    the sides on the region's edge, so inner sides cannot be checked after a round trip.)
    """
    ws = book[TITLE_A]
    regions = [r for r in ws.merged_cells.ranges if r.min_row >= 3]
    for row in range(3, 12):  # 2 header rows + 7 body rows from row 3
        for col in range(1, 8):
            border = ws.cell(row, col).border
            region = next(
                (
                    r
                    for r in regions
                    if r.min_row <= row <= r.max_row and r.min_col <= col <= r.max_col
                ),
                None,
            )
            edges = {
                "left": region is None or col == region.min_col,
                "right": region is None or col == region.max_col,
                "top": region is None or row == region.min_row,
                "bottom": region is None or row == region.max_row,
            }
            for side, on_edge in edges.items():
                if on_edge:
                    assert getattr(border, side).style == "thin", (row, col, side)
    assert ws["A1"].border.left.style is None


def test_merged_regions_carry_the_borders_in_the_file(data):
    """In the XML itself every cell of the header and body, covered ones too, has a style
    with a full thin border."""
    with zipfile.ZipFile(BytesIO(data)) as z:
        styles = z.read("xl/styles.xml").decode()
    borders = re.search(r"<borders[^>]*>(.*?)</borders>", styles, re.S).group(1)
    border_list = re.findall(r"<border>.*?</border>|<border/>", borders, re.S)
    xfs = re.search(r"<cellXfs[^>]*>(.*?)</cellXfs>", styles, re.S).group(1)
    xf_border = [int(b) for b in re.findall(r'<xf [^>]*borderId="(\d+)"', xfs)]
    xml = sheet_xml(data, 1)
    for row in range(3, 12):
        for col in "ABCDEFG":
            m = re.search(rf'<c r="{col}{row}"(?: s="(\d+)")?', xml)
            assert m is not None and m.group(1), f"{col}{row}"
            border = border_list[xf_border[int(m.group(1))]]
            assert border.count('style="thin"') == 4, f"{col}{row}"


def test_notes_below_the_table(book):
    ws = book[TITLE_A]
    assert ws["A12"].value == "注：本表反映部门本年度取得的各项收入情况。"
    assert ws["A12"].alignment.wrap_text
    empty = book["收入支出总表"]
    # Header in row 3, no body, then the note and the 说明 line.
    assert empty["A4"].value == "注：本表反映…"
    assert empty["A5"].value == "说明：本年度没有相关收支，故本表无数据。"
    assert {"A4:B4", "A5:B5"} <= merged(empty)


def test_indent_and_bold(book):
    ws = book[TITLE_A]
    assert ws["A5"].value == "合计" and ws["A5"].font.b
    assert ws["B6"].value == "教育支出" and not ws["B6"].font.b
    assert ws["B7"].alignment.indent == 1
    assert ws["B8"].alignment.indent == 2
    assert ws["B6"].alignment.indent == 0


def test_column_widths_follow_relative_widths(book):
    ws = book[TITLE_A]
    widths = [ws.column_dimensions[c].width for c in "ABCDEFG"]
    assert widths[1] / widths[0] == pytest.approx(3.0 / 1.2, rel=0.01)
    assert 60 <= sum(widths) <= 200


def test_default_widths_give_text_columns_room(book):
    ws = book[LONG[:31]]
    assert ws.column_dimensions["A"].width >= 10
    assert ws.column_dimensions["B"].width >= 10


def test_freeze_and_print_setup(book):
    ws = book[TITLE_A]
    assert ws.freeze_panes == "A5"
    assert int(ws.page_setup.paperSize) == 9  # A4
    assert ws.page_setup.orientation == "landscape"  # seven columns
    assert ws.sheet_properties.pageSetUpPr.fitToPage
    assert ws.page_setup.fitToWidth == 1
    assert ws.page_setup.fitToHeight == 0
    assert ws.print_title_rows.replace("$", "") == "3:4"
    assert ws.print_options.horizontalCentered
    small = book[LONG[:31]]
    assert small.page_setup.orientation == "portrait"
    assert small.freeze_panes == "A4"
    assert small.print_title_rows.replace("$", "") == "3:3"


# --- numbers -----------------------------------------------------------------------------


def test_figures_are_numbers_with_two_decimals(book):
    ws = book[TITLE_A]
    assert ws["C5"].value == pytest.approx(1266.12)
    for ref in ("C5", "D6", "E9", "F5"):
        cell = ws[ref]
        assert cell.data_type == "n", ref
        assert isinstance(cell.value, int | float), ref
        assert cell.number_format in ("#,##0.00", "0.00"), ref
        assert cell.alignment.horizontal == "right", ref


def test_blank_is_empty_and_zero_is_zero(book):
    ws = book[TITLE_A]
    assert ws["F6"].value is None  # blank figure
    assert ws["F5"].value == 0  # zero figure
    assert ws["E9"].value == 0
    assert ws["C11"].value is None


def test_percent_cells(book):
    ws = book[TITLE_A]
    assert ws["G7"].value == pytest.approx(80.57)
    assert ws["G7"].number_format == '0.00"%"'
    assert ws["G8"].value is None


def test_numbers_exact_in_the_xml(data):
    xml = sheet_xml(data, 1)
    for text in ("253.87", "80.57", "1266.12", "91.15", "12"):
        assert f"<v>{text}</v>" in xml
    assert "9999999" not in xml
    assert "<v>-0</v>" not in xml


def test_body_sums_to_the_total_row(book):
    """The 类-level rows (no indent) add up to 合计, as numbers read back from the file."""
    ws = book[TITLE_A]
    total_row = 5
    assert ws.cell(total_row, 1).value == "合计"
    for col in (3, 4, 5, 6):
        total = ws.cell(total_row, col).value
        parts = []
        for row in range(total_row + 1, 12):
            value = ws.cell(row, col).value
            if ws.cell(row, 2).alignment.indent == 0 and value is not None:
                assert isinstance(value, int | float)
                parts.append(Decimal(str(value)))
        assert sum(parts, Decimal(0)) == Decimal(str(total)), col


# --- formula safety ----------------------------------------------------------------------


def test_text_that_looks_like_a_formula_stays_text(book, data):
    ws = book[TITLE_A]
    assert ws["B10"].value == "=SUM(A1)"
    assert ws["B10"].data_type == "s"
    assert ws["A10"].value == "-1" and ws["A10"].data_type == "s"
    assert ws["A11"].value == "+1" and ws["A11"].data_type == "s"
    assert ws["B11"].value == "@cmd" and ws["B11"].data_type == "s"
    assert ws["B10"].quotePrefix
    xml = sheet_xml(data, 1)
    assert "<f>" not in xml and "<f " not in xml
    cell = re.search(r'<c r="B10"[^>]*>(.*?)</c>', xml)
    assert cell is not None
    assert 't="inlineStr"' in cell.group(0) or 't="s"' in cell.group(0)
    assert "=SUM(A1)" in cell.group(1)


# --- other readers -----------------------------------------------------------------------


def test_calamine_reads_values_and_merges(data):
    wb = CalamineWorkbook.from_filelike(BytesIO(data))
    assert wb.sheet_names[0] == TITLE_A
    sheet = wb.get_sheet_by_name(TITLE_A)
    rows = sheet.to_python(skip_empty_area=False)
    assert rows[0][0] == TITLE_A
    assert rows[4][0] == "合计"
    assert rows[4][2] == pytest.approx(1266.12)
    assert isinstance(rows[4][2], float)
    assert rows[5][5] == ""  # blank
    assert rows[4][5] == 0
    assert rows[9][1] == "=SUM(A1)"
    assert rows[9][0] == "-1"
    ranges = {(a, b) for a, b in sheet.merged_cell_ranges}
    assert ((2, 3), (2, 5)) in ranges  # 其中 over D–F
    assert ((2, 0), (3, 0)) in ranges  # 科目编码 over two header rows
    assert ((4, 0), (4, 1)) in ranges  # 合计 over code and name


@pytest.mark.skipif(soffice("calc") is None, reason="LibreOffice Calc not installed")
def test_libreoffice_opens_the_workbook(data, tmp_path: Path):
    exe = soffice("calc")
    assert exe is not None
    src = tmp_path / "tables.xlsx"
    src.write_bytes(data)
    # CSV in UTF-8, numbers as shown, every sheet to its own file (tables-<sheet>.csv).
    options = "44,34,76,1,,0,false,true,true,false,false,-1"
    done = subprocess.run(
        [
            exe,
            "--headless",
            f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}",
            "--convert-to",
            f"csv:Text - txt - csv (StarCalc):{options}",
            "--outdir",
            str(tmp_path / "out"),
            str(src),
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    files = sorted((tmp_path / "out").glob("*.csv"))
    assert len(files) == 4, done.stdout + done.stderr
    out = tmp_path / "out" / f"tables-{TITLE_A}.csv"
    rows = list(csv.reader(out.read_text(encoding="utf-8-sig").splitlines()))
    assert rows[0][0] == TITLE_A
    assert rows[4][0] == "合计"
    assert rows[4][2:7] == ["1,266.12", "1,154.12", "112.00", "0.00", "91.15%"]
    assert rows[5][5] == ""  # blank stays blank
    assert rows[8][2] == "253.87"
    assert rows[9][:2] == ["-1", "=SUM(A1)"]
    assert rows[10][:2] == ["+1", "@cmd"]


# --- determinism -------------------------------------------------------------------------


def test_same_tables_same_bytes(monkeypatch):
    first = write_xlsx(all_tables(), title="t")
    later = time.time() + 400 * 86400 + 3
    monkeypatch.setattr(time, "time", lambda: later)
    second = write_xlsx(all_tables(), title="t")
    assert first == second
    with zipfile.ZipFile(BytesIO(first)) as z:
        assert z.namelist()[0] == "[Content_Types].xml"
        assert {info.date_time for info in z.infolist()} == {(2000, 1, 1, 0, 0, 0)}
        core = z.read("docProps/core.xml").decode()
    # Neither stamp carries the time of writing (openpyxl would put "now" in both).
    stamps = re.findall(r"<dcterms:(created|modified)[^>]*>([^<]*)<", core)
    assert sorted(stamps) == [
        ("created", "2000-01-01T00:00:00Z"),
        ("modified", "2000-01-01T00:00:00Z"),
    ]


def test_same_bytes_across_processes():
    code = (
        "import hashlib, sys\n"
        f"sys.path[:0] = [{str(Path(__file__).parent)!r}, {str(Path(__file__).parents[1])!r}]\n"
        "import test_xlsx as t\n"
        "from juesuan.document.xlsx import write_xlsx\n"
        "print(hashlib.sha256(write_xlsx(t.all_tables(), title='t')).hexdigest())\n"
    )
    digests = set()
    for seed in ("1", "2"):
        done = subprocess.run(
            [sys.executable, "-c", code],
            check=True,
            capture_output=True,
            text=True,
            env={**os.environ, "PYTHONHASHSEED": seed},
        )
        digests.add(done.stdout.strip())
    here = hashlib.sha256(write_xlsx(all_tables(), title="t")).hexdigest()
    assert digests == {here}


# --- errors ------------------------------------------------------------------------------


def test_row_wider_than_the_table_is_an_error():
    bad = Table(
        key="bad",
        number="",
        title="坏表",
        header=((Cell("a", colspan=2), Cell("b")),),
        rows=(),
        columns=2,
    )
    with pytest.raises(ValueError, match="more cells"):
        write_xlsx([bad])


def test_writing_imports_no_spreadsheet_library():
    """The workbook is written as SpreadsheetML directly: building an XLSX does not import
    openpyxl (its import alone cost more than writing the whole workbook)."""
    code = (
        "import sys\n"
        "from decimal import Decimal\n"
        "from juesuan.document.model import Cell, FigureRef, Table\n"
        "from juesuan.document.xlsx import write_xlsx\n"
        "cells = (Cell('一'), Cell(figure=FigureRef('f', Decimal('1.5'), '万元')))\n"
        "table = Table(key='t', number='', title='表', header=((Cell('a'), Cell('b')),),\n"
        "              rows=(cells,), columns=2)\n"
        "assert write_xlsx([table], title='t').startswith(b'PK')\n"
        "print(sorted(m for m in ('openpyxl', 'numpy', 'PIL') if m in sys.modules))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True)
    assert done.stdout.strip() == "[]"
