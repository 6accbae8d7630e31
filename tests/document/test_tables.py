"""Standard tables: layouts from the profiles, values from the figures."""

from __future__ import annotations

from decimal import Decimal

import pytest

from juesuan.document.grid import place, text_grid
from juesuan.document.model import Cell, Table
from juesuan.pipeline import sample_path, tables, validate


@pytest.fixture(scope="module")
def seed_tables() -> dict[str, Table]:
    analysis, _ = validate(sample_path("seed"))
    return {t.key: t for t in tables(analysis)}


@pytest.fixture(scope="module")
def putuo_tables() -> dict[str, Table]:
    analysis, _ = validate(sample_path("putuo"))
    return {t.key: t for t in tables(analysis)}


def test_seed_has_the_13_sichuan_tables_in_order(seed_tables: dict[str, Table]) -> None:
    titles = [t.title for t in seed_tables.values()]
    assert titles == [
        "收入支出决算总表",
        "收入决算表",
        "支出决算表",
        "财政拨款收入支出决算总表",
        "财政拨款支出决算明细表",
        "一般公共预算财政拨款支出决算表",
        "一般公共预算财政拨款支出决算明细表",
        "一般公共预算财政拨款基本支出决算表",
        "一般公共预算财政拨款项目支出决算表",
        "政府性基金预算财政拨款收入支出决算表",
        "国有资本经营预算财政拨款收入支出决算表",
        "国有资本经营预算财政拨款支出决算表",
        "财政拨款“三公”经费支出决算表",
    ]


def test_every_table_is_rectangular(
    seed_tables: dict[str, Table], putuo_tables: dict[str, Table]
) -> None:
    for table in [*seed_tables.values(), *putuo_tables.values()]:
        for rows in (table.header, table.rows):
            placed = place(rows, table.columns)
            covered = {
                (p.row + dr, p.col + dc)
                for p in placed
                for dr in range(p.cell.rowspan)
                for dc in range(p.cell.colspan)
            }
            assert covered == {(r, c) for r in range(len(rows)) for c in range(table.columns)}, (
                table.title
            )


def test_seed_summary_table(seed_tables: dict[str, Table]) -> None:
    t = seed_tables["income_expenditure_summary"]
    grid = text_grid(
        t.rows,
        t.columns,
        lambda c: (
            c.text or (str(c.figure.value) if c.figure and c.figure.value is not None else "")
        ),
    )
    assert grid[0][:2] == ["一、一般公共预算财政拨款收入", "253.87"]
    assert grid[0][2:] == ["一、一般公共服务支出", "204.53"]
    assert grid[-1] == ["总计", "253.87", "总计", "253.87"]


def test_functional_rows_roll_up(seed_tables: dict[str, Table]) -> None:
    t = seed_tables["general_budget"]
    texts = [[c.text for c in row] for row in t.rows]
    assert texts[0][:4] == ["201", "", "", "一般公共服务支出"]
    assert texts[1][:4] == ["201", "31", "", "党委办公厅（室）及相关机构事务"]
    assert texts[2][:4] == ["201", "31", "01", "行政运行"]
    assert texts[-1][0] == "合计"  # 合计 at the bottom in this layout
    assert [c.figure.value for c in t.rows[-1] if c.figure] == [
        Decimal("253.87"),
        Decimal("212.40"),
        Decimal("41.47"),
    ]


def test_empty_fund_tables_keep_layout_with_note(seed_tables: dict[str, Table]) -> None:
    for key in ("government_fund", "state_capital", "state_capital_expenditure"):
        t = seed_tables[key]
        assert t.empty and "故本表无数据" in t.empty_note
        assert len(t.header) == 3 and t.rows  # layout and the 合计 row remain
    assert not seed_tables["general_budget"].empty


def test_sangong_table(seed_tables: dict[str, Table]) -> None:
    t = seed_tables["sangong"]
    assert t.columns == 12 and len(t.header) == 4
    values = [c.figure.value for c in t.rows[0]]
    assert values[:2] == [Decimal("0.4610"), Decimal("0.4610")]
    assert values[-2:] == [Decimal("0.4610"), Decimal("0.4610")]


def test_putuo_tables_print_its_published_figures(putuo_tables: dict[str, Table]) -> None:
    assert list(putuo_tables) == [
        "income_expenditure_summary",
        "income",
        "expenditure",
        "appropriation_summary",
        "general_budget",
        "basic",
        "sangong",
        "government_fund",
        "state_capital",
    ]
    summary = putuo_tables["income_expenditure_summary"]
    grid = text_grid(
        summary.rows,
        summary.columns,
        lambda c: (
            c.text or (str(c.figure.value) if c.figure and c.figure.value is not None else "")
        ),
    )
    rows = {r[0]: r for r in grid if r[0]}
    assert rows["本年收入合计"][1] == "2946.25"
    assert rows["总计"][1] == "2995.39" and rows["总计"][3] == "2995.39"
    # the published 合计 (2,940.05) is kept: the 项 lines sum to 2,940.06 only by rounding
    assert rows["本年收入合计"][3] == "2940.05"
    basic = putuo_tables["basic"]
    foot = [c for c in basic.rows[-1]]
    assert foot[0].text == "人员经费合计" and foot[1].figure.value == Decimal("2152.26")
    assert foot[2].text == "公用经费合计" and foot[3].figure.value == Decimal("184.65")


def test_table_cells_keep_figure_ids(seed_tables: dict[str, Table]) -> None:
    ids = {c.figure.id for t in seed_tables.values() for row in t.rows for c in row if c.figure}
    assert {"income.total", "func.2013101.general_budget.total", "econ.basic.personnel"} <= ids


def test_place_rejects_overfull_rows() -> None:
    with pytest.raises(ValueError):
        place([(Cell("a", colspan=2), Cell("b"))], 2)


def _long_table(rows: int, merged_at: int | None = None) -> Table:
    body = []
    for r in range(rows):
        if merged_at is not None and r == merged_at:
            body.append((Cell(text="合并", rowspan=4), Cell(text=f"行{r}")))
        elif merged_at is not None and merged_at < r < merged_at + 4:
            body.append((Cell(text=f"行{r}"),))
        else:
            body.append((Cell(text=f"名{r}"), Cell(text=f"行{r}")))
    return Table("t", "", "表", ((Cell(text="项目"), Cell(text="金额")),), tuple(body), 2)


def test_a_tables_last_rows_are_one_group_unless_merged_cells_cross_it() -> None:
    """The last rows of a long table do not break over a page (print HTML: a row group that
    does not break; DOCX: rows kept with the next); the group starts above merged cells that
    would span its boundary, and short tables have none."""
    import re

    from juesuan.document.docx_table import table_xml
    from juesuan.document.html import _table
    from juesuan.document.numbers import NumberStyle, Styles
    from juesuan.document.widths import _layout, tail_start

    assert tail_start(_long_table(6)) is None
    assert tail_start(_long_table(30)) == 24
    assert tail_start(_long_table(30, merged_at=22)) == 22  # 22–25 merged: the group takes them
    assert tail_start(_long_table(30, merged_at=12)) == 24
    html = _table(_long_table(30), Styles(NumberStyle(), NumberStyle()))
    assert html.count("<tbody") == 2 and re.search(
        r'<tbody class="tail">(<tr>.*?</tr>){6}</tbody>', html
    )
    t = _long_table(30)
    rows = list(t.header) + list(t.rows)
    xml = table_xml(
        _layout(rows, 2),
        len(rows),
        1,
        2,
        [1000, 1000],
        line=13.5,
        margin=1.5,
        keep_last=False,
        cell_text=lambda c: c.text,
        keep_from=1 + 24,
    )
    kept = [("<w:keepNext/>" in tr) for tr in xml.split("<w:tr>")[1:]]
    assert kept == [False] * 25 + [True] * 5 + [False]  # the last row ends the table
