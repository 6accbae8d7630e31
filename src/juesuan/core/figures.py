"""Derived figures: every number a document states, with its id, formula and inputs."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from juesuan.core.findings import Location
from juesuan.core.money import ZERO

WAN = "万元"
PCT = "%"
# A percentage printed with two decimals and its sign, as the self-evaluation tables print
# rates ("100.00%"), whatever the profile's style for percentages in running text.
RATE = "%（表）"
SCORE = "分"
COUNT = "个"


@dataclass(frozen=True, slots=True)
class Figure:
    """One number: ``value`` is exact (万元 for money, percent for rates and shares).

    ``tolerance`` bounds how far the exact value may be from the truth because inputs were
    stated rounded (e.g. 万元 with two decimals); rules use it for rounding-aware comparison.
    """

    id: str
    value: Decimal | None
    unit: str = WAN
    formula: str = "input"
    inputs: tuple[str, ...] = ()
    tolerance: Decimal = ZERO
    label: str = ""
    source: Location | None = None
    computed: Decimal | None = None  # the detail's sum, when a stated total replaced it

    @property
    def from_detail(self) -> Decimal:
        """The value the detail gives (blank as zero), even where a stated total is shown."""
        return self.computed if self.computed is not None else self.amount

    @property
    def blank(self) -> bool:
        return self.value is None

    @property
    def amount(self) -> Decimal:
        """Value with blank read as zero (for arithmetic)."""
        return ZERO if self.value is None else self.value

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "id": self.id,
            "value": None if self.value is None else str(self.value),
            "unit": self.unit,
            "formula": self.formula,
            "inputs": list(self.inputs),
        }
        if self.label:
            out["label"] = self.label
        if self.tolerance:
            out["tolerance"] = str(self.tolerance)
        if self.source is not None:
            out["source"] = self.source.to_dict()
        if self.computed is not None:
            out["computed"] = str(self.computed)
        return out


_new_figure = object.__new__
_FIGURE_SETTERS = tuple(getattr(Figure, name).__set__ for name in Figure.__slots__)
(
    _set_id,
    _set_value,
    _set_unit,
    _set_formula,
    _set_inputs,
    _set_tolerance,
    _set_label,
    _set_source,
    _set_computed,
) = _FIGURE_SETTERS


def figure(
    fid: str,
    value: Decimal | None,
    unit: str,
    formula: str,
    inputs: tuple[str, ...],
    tolerance: Decimal,
    label: str,
    source: Location | None = None,
) -> Figure:
    """``Figure(fid, value, unit, formula, inputs, tolerance, label, source)`` without the
    frozen dataclass's ``__init__`` (a department derives ~1,000 figures)."""
    fig = _new_figure(Figure)
    _set_id(fig, fid)
    _set_value(fig, value)
    _set_unit(fig, unit)
    _set_formula(fig, formula)
    _set_inputs(fig, inputs)
    _set_tolerance(fig, tolerance)
    _set_label(fig, label)
    _set_source(fig, source)
    _set_computed(fig, None)
    return fig


@dataclass
class FigureSet:
    """All figures of one department-year, keyed by id (insertion-ordered)."""

    figures: dict[str, Figure] = field(default_factory=dict)

    def add(self, figure: Figure) -> Figure:
        self.figures[figure.id] = figure
        return figure

    def __contains__(self, fid: object) -> bool:
        return fid in self.figures

    def __getitem__(self, fid: str) -> Figure:
        return self.figures[fid]

    def __iter__(self) -> Iterator[Figure]:
        return iter(self.figures.values())

    def __len__(self) -> int:
        return len(self.figures)

    def get(self, fid: str) -> Figure | None:
        return self.figures.get(fid)

    def value(self, fid: str) -> Decimal | None:
        fig = self.figures.get(fid)
        return None if fig is None else fig.value

    def amount(self, fid: str) -> Decimal:
        """Value with missing or blank read as zero."""
        fig = self.figures.get(fid)
        return ZERO if fig is None else fig.amount

    def sum(self, fid: str, inputs: Iterable[str], label: str = "") -> Figure:
        """Add a figure that is the sum of ``inputs`` (blank when every input is blank)."""
        figures = self.figures
        get = figures.get
        ids: list[str] = []
        value: Decimal | None = None
        tolerance = ZERO
        for i in inputs:  # one pass: this runs ~600 times per department
            part = get(i)
            if part is None:
                continue
            ids.append(i)
            part_value = part.value
            if part_value is not None:
                # the same additions, in the same order, as sum(values, ZERO)
                value = (ZERO + part_value) if value is None else value + part_value
            tolerance += part.tolerance
        fig = figure(fid, value, WAN, "sum", tuple(ids), tolerance, label)
        figures[fid] = fig  # self.add
        return fig

    def difference(self, fid: str, minuend: str, subtrahend: str, label: str = "") -> Figure:
        a, b = self.figures[minuend], self.figures[subtrahend]
        value = None if a.value is None or b.value is None else a.value - b.value
        return self.add(
            Figure(
                fid, value, a.unit, "a - b", (minuend, subtrahend), a.tolerance + b.tolerance, label
            )
        )
