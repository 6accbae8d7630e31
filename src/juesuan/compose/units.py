"""The 单位构成 table of the 概况 (序号、单位名称、备注), as the Shanghai template prints it."""

from __future__ import annotations

from juesuan.document.model import Cell, Table
from juesuan.model.dataset import Dataset


def units_table(ds: Dataset) -> Table:
    """The units within the department's 决算 with their notes (e.g. 预算不单列，并入本级);
    a table within the text (``inline``), placed where the narrative says ``[[units]]``."""
    structure = ds.department.structure
    rows = tuple(
        (
            Cell(str(i), align="center"),
            Cell(unit),
            Cell(structure.unit_notes.get(unit, "")),
        )
        for i, unit in enumerate(structure.included_units, 1)
    )
    header = (
        (
            Cell("序号", align="center"),
            Cell("单位名称", align="center"),
            Cell("备注", align="center"),
        ),
    )
    return Table(
        key="units",
        number="",
        title="",
        header=header,
        rows=rows,
        columns=3,
        unit="",
        widths=(1, 5, 4),
        inline=True,
    )
