"""FigureSet.sum: the figure's value, exponent, tolerance and inputs."""

from __future__ import annotations

from decimal import Decimal as D

from hypothesis import given
from hypothesis import strategies as st

from juesuan.core.figures import Figure, FigureSet
from juesuan.core.money import ZERO

amounts = st.one_of(
    st.none(),
    st.decimals(min_value=-(10**6), max_value=10**6, places=2, allow_nan=False),
    st.decimals(min_value=-(10**6), max_value=10**6, places=5, allow_nan=False),
    st.sampled_from([D("0"), D("-0"), D("0.00"), D("5E+2"), D("1.500")]),
)


@given(st.lists(st.tuples(amounts, st.sampled_from([ZERO, D("0.005"), D("0.0005")])), max_size=8))
def test_sum_is_the_sum_of_known_parts_from_zero(parts: list[tuple[D | None, D]]) -> None:
    figs = FigureSet()
    ids = []
    for i, (value, tol) in enumerate(parts):
        figs.add(Figure(f"p{i}", value, tolerance=tol))
        ids.append(f"p{i}")
    fig = figs.sum("total", [*ids, "missing"], "合计")
    known = [v for v, _ in parts if v is not None]
    expected = sum(known, ZERO) if known else None
    assert (fig.value is None) == (expected is None)
    if expected is not None:  # the same number *and* the same exponent (as printed)
        assert str(fig.value) == str(expected)
    assert str(fig.tolerance) == str(sum((t for _, t in parts), ZERO))
    assert fig.inputs == tuple(ids)
    assert figs["total"] is fig and fig.label == "合计" and fig.formula == "sum"
