"""The chart cache: a second rendering of the same charts draws nothing; other data, a
damaged entry or ``off`` draw again."""

from __future__ import annotations

from pathlib import Path

import pytest

from juesuan.document import chart_cache, charts
from juesuan.document.model import ChartRef
from juesuan.pipeline import narrative, sample_path, validate


@pytest.fixture(scope="module")
def seed_refs():
    analysis, _ = validate(sample_path("seed"))
    doc = narrative(analysis, with_tables=False)
    return [b for b in doc.blocks if isinstance(b, ChartRef)][:2], analysis.figures


def test_second_rendering_comes_from_the_cache(seed_refs, tmp_path, monkeypatch):
    refs, figs = seed_refs
    monkeypatch.setenv("JUESUAN_CACHE_DIR", str(tmp_path))
    first = charts.render_charts(refs, figs)
    assert len(list((tmp_path / "charts").glob("*.png"))) == len(refs)

    def no_drawing(data):
        raise AssertionError("drawn although cached")

    monkeypatch.setattr(charts, "_draw", no_drawing)
    assert charts.render_charts(refs, figs) == first


def test_damaged_entry_or_off_draws_again(seed_refs, tmp_path, monkeypatch):
    refs, figs = seed_refs
    monkeypatch.setenv("JUESUAN_CACHE_DIR", str(tmp_path))
    first = charts.render_charts(refs[:1], figs)
    for png in (tmp_path / "charts").glob("*.png"):
        png.write_bytes(b"not a png")
    assert charts.render_charts(refs[:1], figs) == first
    monkeypatch.setenv("JUESUAN_CACHE_DIR", "off")
    assert chart_cache.cache_dir() is None
    assert charts.render_charts(refs[:1], figs) == first


def test_key_covers_the_drawing_code_and_its_format(monkeypatch):
    here = Path(chart_cache.__file__).parent
    drawing = {p.name for p in here.glob("chart*.py")} - {"chart_cache.py"}
    assert drawing == {"charts.py", "chart_canvas.py", "chart_ticks.py"}
    assert drawing <= set(chart_cache.SOURCES)
    before = chart_cache.key("data", 200)
    monkeypatch.setattr(chart_cache, "FORMAT", "1")  # the matplotlib images' key had no "2|"
    assert chart_cache.key("data", 200) != before
