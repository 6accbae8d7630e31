"""Place table rows with colspan/rowspan on a rectangular grid (as HTML does)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from juesuan.document.model import Cell


@dataclass(frozen=True, slots=True)
class Placed:
    cell: Cell
    row: int
    col: int


def place(rows: Sequence[Sequence[Cell]], columns: int, name: str = "table") -> list[Placed]:
    """Grid positions of every cell: each cell takes the first column of its row not
    covered by a cell above that spans rows down into it. Raises ``ValueError`` (naming
    ``name``) for a row wider than ``columns``, a span past the last row, or overlapping cells."""
    if columns < 1:
        raise ValueError(f"{name}: columns must be at least 1")
    covered: set[tuple[int, int]] = set()
    placed: list[Placed] = []
    for r, row in enumerate(rows):
        col = 0
        for cell in row:
            while (r, col) in covered:
                col += 1
            colspan, rowspan = max(cell.colspan, 1), max(cell.rowspan, 1)
            if col + colspan > columns:
                raise ValueError(f"{name}: row {r + 1} has more cells than its {columns} columns")
            if r + rowspan > len(rows):
                raise ValueError(f"{name}: a cell in row {r + 1} spans past the end")
            for dr in range(rowspan):
                for dc in range(colspan):
                    if (r + dr, col + dc) in covered:
                        raise ValueError(
                            f"{name}: overlapping cells at row {r + dr + 1}, column {col + dc + 1}"
                        )
                    covered.add((r + dr, col + dc))
            placed.append(Placed(cell, r, col))
            col += colspan
    return placed


def text_grid(
    rows: Sequence[Sequence[Cell]],
    columns: int,
    text: Callable[[Cell], str],
    across: bool = False,
) -> list[list[str]]:
    """A rectangular grid of cell texts (``text(cell)``); covered positions are empty, except
    with ``across``: then a cell's text fills every column it spans (a header whose columns
    each carry their whole heading)."""
    grid = [["" for _ in range(columns)] for _ in rows]
    for p in place(rows, columns):
        value = text(p.cell)
        for dc in range(max(p.cell.colspan, 1) if across else 1):
            grid[p.row][p.col + dc] = value
    return grid
