"""No data is lost silently: every value typed into the workbook reaches the dataset or is reported.

The property tests work on the sheets as the loader sees them (rows of cell values after the
zip/XML layer), so each example costs one parse, not one xlsx write and read:

- a value typed into a random empty cell of a random sheet (inside or just outside the used
  area) either changes the loaded dataset or is reported by a finding on that sheet and row;
- a row inserted anywhere in a sheet (column A blank, as Excel leaves it) with values in
  random columns: each value reaches the dataset or is reported on that row.
"""

from __future__ import annotations

import copy
import functools
import io
import os
from decimal import Decimal

import openpyxl
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from juesuan.excel.fill import fill_template
from juesuan.excel.workbook import fixed_layout, template_bytes
from juesuan.io.workbook.loader import parse
from juesuan.io.workbook.sheets import read_sheets
from juesuan.pipeline import load, sample_path

_SETTINGS = settings(
    max_examples=int(os.environ.get("JUESUAN_EXAMPLES", "30")),
    deadline=None,
    phases=(Phase.explicit, Phase.reuse, Phase.generate),
    suppress_health_check=[HealthCheck.too_slow],
)


@functools.lru_cache(maxsize=1)
def _base():
    ds, findings = load(sample_path("putuo"))
    assert ds is not None, findings
    data = fill_template(ds)
    sheets = read_sheets(data, "x.xlsx")
    loaded, findings = parse(copy.deepcopy(sheets), "x.xlsx", fixed_layout)
    assert loaded is not None, [f.render() for f in findings]
    # formula cells read as empty (no cached value) but are not empty: a clerk cannot type
    # into them without overwriting the formula, which the sheet protection prevents
    book = openpyxl.load_workbook(io.BytesIO(data))
    formulas = {
        (ws.title, cell.row - 1, cell.column - 1)
        for ws in book.worksheets
        for row in ws.iter_rows()
        for cell in row
        if isinstance(cell.value, str) and cell.value.startswith("=")
    }
    return sheets, loaded.model_dump(), formulas


values = st.one_of(
    st.text(alphabet="职责项目数据说明原因甲乙丙丁0123456789", min_size=1, max_size=12).map(
        lambda t: "填" + t
    ),
    st.integers(min_value=1, max_value=10**9),
    st.decimals(min_value=Decimal("0.01"), max_value=Decimal(10**6), places=2).map(float),
)


def _copy_one(sheets, i):
    """The sheets with sheet ``i`` copied (the others are not modified by the loader)."""
    out = list(sheets)
    out[i] = copy.deepcopy(sheets[i])
    return out, out[i]


def _outcome(sheets, base_dump):
    ds, findings = parse(sheets, "x.xlsx", fixed_layout)
    changed = ds is None or ds.model_dump() != base_dump
    return ds, findings, changed


def _reported(findings, sheet: str, row: int) -> bool:
    """A finding on ``sheet`` whose cell is on 1-based ``row``."""
    for f in findings:
        cell = f.location.cell or ""
        digits = "".join(ch for ch in cell if ch.isdigit())
        if f.location.sheet == sheet and digits and int(digits) == row:
            return True
    return False


@_SETTINGS
@given(data=st.data())
def test_a_value_typed_anywhere_is_read_or_reported(data) -> None:
    sheets0, base_dump, formulas = _base()
    sheets, sheet = _copy_one(sheets0, data.draw(st.integers(0, len(sheets0) - 1), label="sheet"))
    height = len(sheet.rows)
    width = max((len(r) for r in sheet.rows), default=1)
    r = data.draw(st.integers(0, height + 3), label="row")
    c = data.draw(st.integers(0, width + 2), label="column")
    while len(sheet.rows) <= r:
        sheet.rows.append([])
    row = sheet.rows[r]
    if (c < len(row) and row[c] not in (None, "")) or (sheet.name, r, c) in formulas:
        return  # only empty cells: a filled one is the template's or the data's own
    row.extend([""] * (c + 1 - len(row)))
    row[c] = data.draw(values, label="value")
    ds, findings, changed = _outcome(sheets, base_dump)
    if ds is not None and not changed:
        assert _reported(findings, sheet.name, r + 1), (sheet.name, r + 1, c + 1, row[c])
    elif ds is None:
        assert any(f.severity.name == "ERROR" for f in findings)


@_SETTINGS
@given(data=st.data())
def test_an_inserted_row_is_read_or_reported(data) -> None:
    sheets0, base_dump, _ = _base()
    sheets, sheet = _copy_one(sheets0, data.draw(st.integers(0, len(sheets0) - 1), label="sheet"))
    r = data.draw(st.integers(0, len(sheet.rows)), label="row")
    width = max((len(x) for x in sheet.rows), default=1)
    cols = data.draw(st.sets(st.integers(1, width + 1), min_size=1, max_size=3), label="cols")
    row: list = [""] * (max(cols) + 1)
    for c in cols:
        row[c] = data.draw(values, label=f"value{c}")
    sheet.rows.insert(r, row)
    _ds, findings, changed = _outcome(sheets, base_dump)
    if not changed:
        assert _reported(findings, sheet.name, r + 1), (sheet.name, r + 1, row)


def test_inserted_duty_row_is_an_item() -> None:
    """A 职责 row inserted inside the list (column A blank) becomes one more duty."""
    ds, _ = load(sample_path("putuo"))
    sheets = read_sheets(fill_template(ds), "x.xlsx")
    info = next(s for s in sheets if s.name == "部门信息")
    at = next(i for i, row in enumerate(info.rows) if row and row[0] == "department.duties")
    info.rows.insert(at + 1, ["", "", "新增的一条职责"])
    loaded, findings = parse(sheets, "x.xlsx", fixed_layout)
    assert loaded is not None, [f.render() for f in findings]
    assert loaded.department.duties[1] == "新增的一条职责"
    assert loaded.department.duties[2:] == ds.department.duties[1:]


def test_text_outside_the_input_area_names_the_cell() -> None:
    ds, _ = load(sample_path("putuo"))
    sheets = read_sheets(fill_template(ds), "x.xlsx")
    info = next(s for s in sheets if s.name == "部门信息")
    row = next(row for row in info.rows if row and row[0] == "department.name")
    row.extend([""] * 6)
    row[5] = "写在旁边的备注"
    loaded, findings = parse(sheets, "x.xlsx", fixed_layout)
    assert loaded is None
    f = next(f for f in findings if f.code == "XLS-040")
    assert f.location.sheet == "部门信息" and f.location.cell.startswith("F")
    assert "未被读取" in f.message


def test_blank_template_offers_room_and_allows_inserting_rows() -> None:
    import io

    import openpyxl

    wb = openpyxl.load_workbook(io.BytesIO(template_bytes("sichuan-2024")))
    ws = wb["部门信息"]
    duties = [r for r in ws.iter_rows() if r[0].value == "department.duties"]
    assert len(duties) >= 12  # the seed department has 12 duties
    assert ws.protection.insertRows is False  # inserting rows is allowed
    blocks = [c for c in wb["绩效自评（项目）"]["B"] if str(c.value or "").startswith("项目")]
    assert len(blocks) >= 5


def test_typed_text_in_a_derived_table_is_reported() -> None:
    ds, _ = load(sample_path("seed"))
    sheets = read_sheets(fill_template(ds), "x.xlsx")
    derived = next(s for s in sheets if s.name == "财政拨款支出决算明细表")
    derived.rows.append(["", "我填了这里"])
    loaded, findings = parse(sheets, "x.xlsx", fixed_layout)
    assert loaded is None
    f = next(f for f in findings if f.code == "XLS-040")
    assert (f.location.sheet, f.location.cell) == (derived.name, f"B{len(derived.rows)}")


def test_an_uncalculated_formula_in_a_table_is_reported_not_read_as_blank() -> None:
    """A workbook saved by a program (not an office suite) keeps a formula typed into an amount
    cell without its result: it reads as blank, so the loss is reported at that cell (XLS-032)
    in every code table, functional (项 rows) and economic (款 rows) alike. The template's own
    line sums (支出决算表), left uncalculated, are taken from the fund tables: not reported."""
    import re

    from juesuan.io.workbook.layout import is_line_sum

    sheets, _, formulas = _base()
    tried = 0
    for i, sheet in enumerate(sheets):
        at = next(
            (
                (r, c)
                for r, row in enumerate(sheet.rows)
                if any(isinstance(v, str) and re.fullmatch(r"\d{5}|\d{7}", v) for v in row[:4])
                for c, v in enumerate(row)
                if isinstance(v, int | float | Decimal)
                and not isinstance(v, bool)
                and v
                and (sheet.name, r, c) not in formulas
            ),
            None,
        )
        if at is None:
            continue
        changed, edited = _copy_one(sheets, i)
        edited.rows[at[0]][at[1]] = None
        edited.uncached = {at: "D7*2"}
        _, findings = parse(changed, "x.xlsx", fixed_layout)
        cell = f"{openpyxl.utils.get_column_letter(at[1] + 1)}{at[0] + 1}"
        found = [(f.location.sheet, f.location.cell) for f in findings if f.code == "XLS-032"]
        assert found == [(sheet.name, cell)]
        edited.uncached = {
            at: 'IF(COUNTIFS(\'一般公共预算财政拨款支出决算表\'!$A$6:$A$44,$A6,"<>")=0,"",0)'
        }
        _, findings = parse(changed, "x.xlsx", fixed_layout)
        assert not [f for f in findings if f.code == "XLS-032"]
        tried += 1
    assert tried >= 4  # the functional tables and the economic one
    assert is_line_sum('=IF(COUNTIFS(a,b)=0,"",SUMIF(a,b,c))') and not is_line_sum("=D7*2")


def test_the_templates_line_sums_are_what_the_loader_knows_as_its_own() -> None:
    from juesuan.io.workbook.layout import is_line_sum

    book = openpyxl.load_workbook(io.BytesIO(fill_template(load(sample_path("seed"))[0])))
    ws = book["支出决算表"]
    sums = [
        cell.value
        for row in ws.iter_rows(min_row=6)
        if isinstance(row[0].value, str) and len(row[0].value) == 7
        for cell in row[3:5]
        if isinstance(cell.value, str) and cell.value.startswith("=")
    ]
    assert len(sums) >= 5 and all(is_line_sum(f) for f in sums)
