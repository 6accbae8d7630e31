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


def place(rows: Sequence[Sequence[Cell]], columns: int) -> list[Placed]:
    """Grid positions of every cell: each cell takes the first column of its row not
    covered by a cell above that spans rows down into it."""
    covered: set[tuple[int, int]] = set()
    placed: list[Placed] = []
    for r, row in enumerate(rows):
        col = 0
        for cell in row:
            while (r, col) in covered:
                col += 1
            placed.append(Placed(cell, r, col))
            for dr in range(cell.rowspan):
                for dc in range(cell.colspan):
                    covered.add((r + dr, col + dc))
            col += cell.colspan
        if col > columns:
            raise ValueError(f"row {r} has {col} columns, table has {columns}")
    return placed


def text_grid(
    rows: Sequence[Sequence[Cell]], columns: int, text: Callable[[Cell], str]
) -> list[list[str]]:
    """A rectangular grid of cell texts (``text(cell)``); covered positions are empty."""
    grid = [["" for _ in range(columns)] for _ in rows]
    for p in place(rows, columns):
        grid[p.row][p.col] = text(p.cell)
    return grid
