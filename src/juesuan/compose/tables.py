"""The standard tables (附表), built from a profile's table specs and the figures.

A profile's ``tables.yaml`` lists its tables in order. Each spec has a ``kind``:

- ``two_sided``: 收入 on the left, 支出 on the right (收入支出决算总表, 财政拨款收入支出决算总表);
  each side has columns, body rows and footer rows; the footers line up at the bottom.
- ``functional``: one row per 类/款/项 that has data, with the code in one column or split into
  类/款/项 columns, the 科目名称, and value columns (grouped headers allowed); a 合计 row.
- ``economic``: rows by economic 类/款 (a single list, or two lists side by side).
- ``grid``: explicit header rows with spans and explicit rows of figures (三公 table).

Cells hold :class:`FigureRef` s, so every number in a table keeps its figure id; writers
format them with the profile's table number style.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import zip_longest
from typing import Any

from juesuan.catalog.catalogs import Catalogs
from juesuan.catalog.names import Names
from juesuan.compose.narrative import chinese_number
from juesuan.core.figures import FigureSet
from juesuan.document.model import Cell, FigureRef, Table
from juesuan.model.dataset import Dataset
from juesuan.profiles.tables import leaf_columns

Row = tuple[Cell, ...]


@dataclass(frozen=True)
class TableContext:
    ds: Dataset
    figs: FigureSet
    names: Names
    catalogs: Catalogs

    def ref(self, fid: str) -> Cell:
        fig = self.figs.get(fid)
        if fig is None:
            return Cell(align="right")
        return Cell(figure=FigureRef(fig.id, fig.value, fig.unit), align="right")

    def has_data(self, fid: str) -> bool:
        fig = self.figs.get(fid)
        return fig is not None and fig.value is not None and fig.value != 0

    def fill(self, text: str) -> str:
        return text.format(dept=self.ds.department.name, year=self.ds.year)


def build_tables(specs: Sequence[dict[str, Any]], ctx: TableContext) -> list[Table]:
    builders = {
        "two_sided": _two_sided,
        "functional": _functional,
        "economic": _economic,
        "grid": _grid,
    }
    tables = []
    for spec in specs:
        table = builders[spec["kind"]](spec, ctx)
        empty = spec.get("empty_note")
        if empty and not _has_numbers(table):
            table = Table(**{**_fields(table), "empty_note": ctx.fill(empty)})
        tables.append(table)
    return tables


def _fields(table: Table) -> dict[str, Any]:
    return {name: getattr(table, name) for name in Table.__slots__}


def _has_numbers(table: Table) -> bool:
    return any(c.figure is not None and c.figure.value for row in table.rows for c in row)


def _table(
    spec: dict[str, Any], ctx: TableContext, header: list[Row], rows: list[Row], columns: int
) -> Table:
    return Table(
        key=spec["key"],
        number=spec.get("number", ""),
        title=ctx.fill(spec["title"]),
        header=tuple(header),
        rows=tuple(rows),
        columns=columns,
        unit=spec.get("unit", "单位：万元"),
        note=ctx.fill(spec.get("note", "")),
        widths=tuple(spec.get("widths", ())),
    )


def _head(text: str, colspan: int = 1, rowspan: int = 1) -> Cell:
    return Cell(text=text, colspan=colspan, rowspan=rowspan, align="center", bold=True)


# -- two-sided summary tables ------------------------------------------------------------


def _side_rows(side: dict[str, Any], ctx: TableContext, key: str) -> list[Row]:
    rows: list[Row] = []
    for item in side.get(key, ()):
        if isinstance(item, dict) and "classes" in item:
            rows += _class_rows(item["classes"], ctx)
        elif not item:  # a spacer row, so that footers line up
            rows.append(tuple(Cell() for _ in side["columns"]))
        else:
            label, *figures = item
            rows.append((Cell(text=ctx.fill(label)), *(ctx.ref(f) for f in figures)))
    return rows


def _class_rows(spec: dict[str, Any], ctx: TableContext) -> list[Row]:
    rows = []
    for i, code in enumerate(spec["codes"], 1):
        name = ctx.names.functional(str(code))
        label = f"{chinese_number(i)}、{name}" if spec.get("numbered", True) else name
        rows.append((Cell(text=label), *(ctx.ref(f.format(code=code)) for f in spec["figures"])))
    return rows


def _two_sided(spec: dict[str, Any], ctx: TableContext) -> Table:
    left, right = spec["left"], spec["right"]
    lcols, rcols = left["columns"], right["columns"]
    width = len(lcols) + len(rcols)
    header: list[Row] = []
    if left.get("header") or right.get("header"):
        header.append(
            (_head(left.get("header", ""), len(lcols)), _head(right.get("header", ""), len(rcols)))
        )
    header.append(tuple(_head(c) for c in lcols) + tuple(_head(c) for c in rcols))
    blank_l = tuple(Cell() for _ in lcols)
    blank_r = tuple(Cell() for _ in rcols)
    rows: list[Row] = []
    body_l, body_r = _side_rows(left, ctx, "rows"), _side_rows(right, ctx, "rows")
    for lrow, rrow in zip_longest(body_l, body_r):
        rows.append((lrow or blank_l) + (rrow or blank_r))
    foot_l, foot_r = _side_rows(left, ctx, "footer"), _side_rows(right, ctx, "footer")
    pad = len(foot_r) - len(foot_l)
    foot_l = [blank_l] * max(pad, 0) + foot_l
    foot_r = [blank_r] * max(-pad, 0) + foot_r
    for lrow, rrow in zip(foot_l, foot_r, strict=True):
        rows.append(_bold_label(lrow) + _bold_label(rrow))
    return _table(spec, ctx, header, rows, width)


def _bold_label(row: Row) -> Row:
    first, *rest = row
    if not first.text:
        return row
    return (Cell(text=first.text, bold=True, align="center"), *rest)


# -- functional tables ---------------------------------------------------------------------


def _functional_codes(ctx: TableContext, include: list[str]) -> list[str]:
    """类, 款 and 项 codes in classification order, keeping those with data in ``include``."""
    items = sorted({line.code for line in ctx.ds.functional})
    codes = sorted({c[:3] for c in items} | {c[:5] for c in items} | set(items))
    return [c for c in codes if any(ctx.has_data(f"func.{c}.{s}") for s in include)]


def _code_cells(code: str, split: bool) -> Row:
    if not split:
        return (Cell(text=code),)
    parts = (code[:3], code[3:5] if len(code) >= 5 else "", code[5:7] if len(code) >= 7 else "")
    return tuple(Cell(text=p, align="center") for p in parts)


def _functional(spec: dict[str, Any], ctx: TableContext) -> Table:
    split = spec.get("codes", "single") == "split"
    code_cols = 3 if split else 1
    leaves = leaf_columns(spec["columns"])
    include = spec.get("include") or [c["figure"] for c in leaves]
    head_rows = 3 if split else 2
    width = code_cols + 1 + len(leaves)
    code_label = spec.get("code_label", "支出功能分类科目编码")
    # 项目 spans the code and name columns; plain value columns span every header row,
    # grouped ones put the group label over their sub-columns.
    top: list[Cell] = [_head("项目", code_cols + 1)]
    second: list[Cell] = [_head(code_label, code_cols), _head("科目名称", 1, head_rows - 1)]
    for col in spec["columns"]:
        if "columns" in col:
            top.append(_head(col["group"], len(col["columns"])))
            second += [_head(sub["label"], 1, head_rows - 1) for sub in col["columns"]]
        else:
            top.append(_head(col["label"], 1, head_rows))
    third: list[Cell] = [_head(x) for x in ("类", "款", "项")] if split else []
    header: list[Row] = [tuple(top), tuple(second)]
    if third:
        header.append(tuple(third))
    total_label = spec.get("total_label", "合计")
    total: Row = (
        Cell(text=total_label, colspan=code_cols + 1, align="center", bold=True),
        *(ctx.ref(c.get("total", f"functional.{c['figure']}")) for c in leaves),
    )
    body: list[Row] = []
    for code in _functional_codes(ctx, include):
        level = {3: 0, 5: 1, 7: 2}[len(code)]
        name = Cell(text=ctx.names.functional(code), indent=level)
        values = tuple(ctx.ref(f"func.{code}.{c['figure']}") for c in leaves)
        body.append((*_code_cells(code, split), name, *values))
    rows = [total, *body] if spec.get("total_row", "top") == "top" else [*body, total]
    return _table(spec, ctx, header, rows, width)


# -- economic tables -------------------------------------------------------------------------


def _economic_rows(
    ctx: TableContext, classes: Iterable[str], values: list[str], all_items: bool
) -> list[Row]:
    """Rows of economic 类 and their 款: every catalog 款 (``all_items``) or those with data."""
    given = {line.code for line in (*ctx.ds.basic_by_economic, *ctx.ds.project_by_economic)}
    catalog = ctx.catalogs.economic
    rows: list[Row] = []
    for cls in map(str, classes):

        def has(code: str) -> bool:
            return any(ctx.has_data(v.format(code=code)) for v in values)

        if not all_items and not has(cls):
            continue
        children = {e.code for e in catalog if e.level == "款" and e.parent == cls}
        children |= {c for c in given if c[:3] == cls}
        rows.append(
            (
                Cell(text=cls),
                Cell(text=ctx.names.economic(cls), bold=True),
                *(ctx.ref(v.format(code=cls)) for v in values),
            )
        )
        for code in sorted(children):
            if all_items or has(code):
                rows.append(
                    (
                        Cell(text=code),
                        Cell(text=ctx.names.economic(code), indent=1),
                        *(ctx.ref(v.format(code=code)) for v in values),
                    )
                )
    return rows


def _economic(spec: dict[str, Any], ctx: TableContext) -> Table:
    values = spec["values"]
    figures = [v["figure"] for v in values]
    all_items = spec.get("all_items", True)
    labels = ["经济分类科目编码", "科目名称", *(v["label"] for v in values)]
    width = len(labels)
    left = _economic_rows(ctx, spec["classes"], figures, all_items)
    if "right_classes" in spec:  # two lists side by side (人员经费 | 公用经费)
        right = _economic_rows(ctx, spec["right_classes"], figures, all_items)
        blank = tuple(Cell() for _ in range(width))
        rows: list[Row] = [
            (lrow or blank) + (rrow or blank) for lrow, rrow in zip_longest(left, right)
        ]
        footer: list[Cell] = []
        for label, fid in spec.get("footer", ()):
            footer += [Cell(text=label, colspan=width - 1, align="center", bold=True), ctx.ref(fid)]
        if footer:
            rows.append(tuple(footer))
        return _table(spec, ctx, [tuple(_head(c) for c in labels * 2)], rows, width * 2)
    rows = left
    if spec.get("total"):
        total_ids = [f.replace("{code}", "total") for f in figures]
        rows = [
            (
                Cell(text=spec["total"], colspan=2, align="center", bold=True),
                *(ctx.ref(f) for f in total_ids),
            ),
            *rows,
        ]
    return _table(spec, ctx, [tuple(_head(c) for c in labels)], rows, width)


# -- explicit grids ---------------------------------------------------------------------------


def _grid(spec: dict[str, Any], ctx: TableContext) -> Table:
    header: list[Row] = []
    for row in spec["header"]:
        header.append(
            tuple(
                _head(c["text"], c.get("colspan", 1), c.get("rowspan", 1))
                if isinstance(c, dict)
                else _head(c)
                for c in row
            )
        )
    rows: list[Row] = []
    for row in spec["rows"]:
        rows.append(
            tuple(
                Cell(text=ctx.fill(c["text"])) if isinstance(c, dict) else ctx.ref(c) for c in row
            )
        )
    return _table(spec, ctx, header, rows, spec["columns"])
