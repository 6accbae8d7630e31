"""附表2 prints its rates as the published tables do: two decimals and the % sign."""

from __future__ import annotations

from decimal import Decimal

from juesuan.compose.evaluation import evaluation_tables
from juesuan.core.figures import RATE
from juesuan.document.numbers import NumberStyle, format_figure
from juesuan.pipeline import sample_path, validate


def test_rate_prints_two_decimals_and_sign_whatever_the_style():
    for style in (NumberStyle(trim_integer_percent=True), NumberStyle(trim_integer_percent=False)):
        assert format_figure(Decimal(100), RATE, style) == "100.00%"
        assert format_figure(Decimal(0), RATE, style) == "0.00%"
        assert format_figure(Decimal("98.456"), RATE, style) == "98.46%"


def test_project_table_rates_of_the_seed():
    analysis, _ = validate(sample_path("seed"))
    style = analysis.profile.styles.table
    tables = evaluation_tables(analysis.dataset, analysis.figures, analysis.run_inputs)
    projects = [t for t in tables if t.number == "附表2"]
    assert projects
    rates = [
        format_figure(c.figure.value, c.figure.unit, style, c.figure.absolute)
        for t in projects
        for row in t.rows
        for c in row
        if c.figure is not None and c.figure.id.endswith(".rate")
    ]
    assert rates and "100.00%" in rates
    assert all(r.endswith("%") and len(r.split(".")[1]) == 3 for r in rates), rates
