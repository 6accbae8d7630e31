"""Charts as PNG: data read from the figures, layout, determinism, the CJK font."""

from __future__ import annotations

import hashlib
import io
import subprocess
import sys
import time
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal
from pathlib import Path

import pytest
from PIL import Image

from juesuan.core.figures import Figure, FigureSet
from juesuan.document import charts
from juesuan.document.charts import (
    CJK_FONT,
    ChartData,
    chart_data,
    chart_png,
    render_charts,
)
from juesuan.document.model import ChartRef
from juesuan.pipeline import Analysis, narrative, sample_path, validate

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
D = Decimal


@pytest.fixture(scope="module")
def seed() -> Analysis:
    analysis, _ = validate(sample_path("seed"))
    assert analysis is not None
    return analysis


@pytest.fixture(scope="module")
def refs(seed: Analysis) -> dict[str, ChartRef]:
    doc = narrative(seed)
    return {b.key: b for b in doc.blocks if isinstance(b, ChartRef)}


@pytest.fixture(scope="module")
def pngs(seed: Analysis, refs: dict[str, ChartRef]) -> dict[str, bytes]:
    return render_charts(refs.values(), seed.figures)


@contextmanager
def drawn(data: ChartData) -> Iterator[object]:
    """The matplotlib figure of ``data``, drawn, for inspecting its artists."""
    with charts._drawing():
        fig = charts._draw(data)
        fig.canvas.draw()
        yield fig


def legend_texts(fig) -> list[str]:
    return [t.get_text() for legend in fig.legends for t in legend.get_texts()]


def axes_texts(fig) -> list[str]:
    return [t.get_text() for ax in fig.axes for t in ax.texts if t.get_text()]


def pie(*parts: tuple[str, Decimal | None]) -> ChartData:
    return ChartData(
        "p", "pie", "图", tuple(n for n, _ in parts), (("", tuple(v for _, v in parts)),)
    )


def bar(categories: tuple[str, ...], **series: tuple[Decimal | None, ...]) -> ChartData:
    return ChartData("b", "bar", "图", categories, tuple(series.items()))


# --- chart_data -------------------------------------------------------------------------


def test_seed_has_the_seven_charts(refs: dict[str, ChartRef]) -> None:
    assert list(refs) == [f"fig{i}" for i in range(1, 8)]
    assert [r.kind for r in refs.values()] == ["bar", "pie", "pie", "bar", "bar", "pie", "pie"]


def test_chart_data_values_are_the_figures(seed: Analysis, refs: dict[str, ChartRef]) -> None:
    for ref in refs.values():
        data = chart_data(ref, seed.figures)
        assert (data.key, data.kind, data.caption) == (ref.key, ref.kind, ref.caption)
        table = {
            (cat, name): value
            for name, values in data.series
            for cat, value in zip(data.categories, values, strict=True)
        }
        for label, fid in ref.series:
            if ref.kind == "pie":
                key = (label, "")
            else:
                cat, _, name = label.partition("/")
                key = (cat, name)
            assert table[key] == seed.figures.value(fid), (ref.key, label)
            assert table[key] is None or isinstance(table[key], Decimal)


def test_grouped_bar_parses_category_and_series(seed: Analysis, refs: dict[str, ChartRef]) -> None:
    data = chart_data(refs["fig1"], seed.figures)
    assert data.categories == ("2023年", "2024年")  # chronological, left to right
    assert [name for name, _ in data.series] == ["收入", "支出"]
    assert dict(data.series) == {
        "收入": (D("226.23"), D("253.87")),
        "支出": (D("226.23"), D("253.87")),
    }


def test_single_series_bar(seed: Analysis, refs: dict[str, ChartRef]) -> None:
    data = chart_data(refs["fig5"], seed.figures)
    assert data.categories == ("2023年", "2024年")
    assert data.series == (("", (D("226.23"), D("253.87"))),)


def test_pie_data_keeps_zero_parts(seed: Analysis, refs: dict[str, ChartRef]) -> None:
    data = chart_data(refs["fig7"], seed.figures)
    assert data.categories == (
        "因公出国（境）费支出",
        "公务用车购置及运行维护费支出",
        "公务接待费支出",
    )
    assert len(data.series) == 1
    assert data.series[0][0] == ""
    assert [v for v in data.series[0][1] if v is not None and v != 0] == [D("0.4610")]


def test_non_year_categories_keep_their_order() -> None:
    figs = FigureSet()
    for fid, value in (("a", "1"), ("b", "2"), ("c", "3")):
        figs.add(Figure(fid, D(value)))
    ref = ChartRef("x", "图", (("乙/收入", "a"), ("甲/收入", "b"), ("甲/支出", "c")), "bar")
    data = chart_data(ref, figs)
    assert data.categories == ("乙", "甲")
    assert data.series == (("收入", (D(1), D(2))), ("支出", (None, D(3))))


def test_missing_figure_reads_as_blank() -> None:
    data = chart_data(ChartRef("x", "图", (("2024年", "no.such.figure"),), "bar"), FigureSet())
    assert data.series == (("", (None,)),)


def test_bad_chart_refs_raise() -> None:
    with pytest.raises(ValueError, match="kind"):
        chart_data(ChartRef("x", "图", (), "line"), FigureSet())
    with pytest.raises(ValueError, match="twice"):
        chart_data(ChartRef("x", "图", (("2024年/收入", "a"), ("2024年/收入", "b"))), FigureSet())
    with pytest.raises(ValueError, match="twice"):
        chart_data(ChartRef("x", "图", (("甲", "a"), ("甲", "b")), "pie"), FigureSet())


# --- PNG ------------------------------------------------------------------------------------


def test_png_signature_and_size(pngs: dict[str, bytes]) -> None:
    assert list(pngs) == [f"fig{i}" for i in range(1, 8)]
    for key, png in pngs.items():
        assert png.startswith(PNG_SIGNATURE), key
        image = Image.open(io.BytesIO(png))
        # 15 cm x 8.5 cm at 200 dpi
        assert image.size == (1181, 669), key
        assert image.mode == "RGB"
        assert round(image.info["dpi"][0]) == 200
        # no text chunks (Software, timestamps)
        assert not {"Software", "Creation Time", "date:create"} & set(image.info)


def test_dpi_scales_the_pixels(seed: Analysis, refs: dict[str, ChartRef]) -> None:
    png = chart_png(chart_data(refs["fig1"], seed.figures), dpi=100)
    width, height = Image.open(io.BytesIO(png)).size
    assert abs(width - 591) <= 1 and abs(height - 335) <= 1


def test_same_data_gives_the_same_bytes(
    seed: Analysis, refs: dict[str, ChartRef], pngs: dict[str, bytes]
) -> None:
    for key, ref in refs.items():
        data = chart_data(ref, seed.figures)
        assert chart_png(data) == chart_png(data) == pngs[key], key
    assert render_charts(refs.values(), seed.figures) == pngs
    # the same data in the same chart, the same picture; different data, a different one
    assert pngs["fig1"] == pngs["fig4"]
    assert pngs["fig1"] != pngs["fig5"]


def test_same_bytes_in_a_fresh_process(seed: Analysis, refs: dict[str, ChartRef]) -> None:
    here = hashlib.sha256(chart_png(chart_data(refs["fig6"], seed.figures))).hexdigest()
    code = (
        "import hashlib\n"
        "from juesuan.pipeline import validate, narrative, sample_path\n"
        "from juesuan.document.model import ChartRef\n"
        "from juesuan.document.charts import chart_data, chart_png\n"
        "a, _ = validate(sample_path('seed'))\n"
        "ref = next(b for b in narrative(a).blocks if isinstance(b, ChartRef) and b.key == 'fig6')\n"
        "print(hashlib.sha256(chart_png(chart_data(ref, a.figures))).hexdigest())\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == here


def test_render_time_of_the_seed_charts(seed: Analysis, refs: dict[str, ChartRef]) -> None:
    render_charts(refs.values(), seed.figures)  # warm (imports, font)
    start = time.perf_counter()
    out = render_charts(refs.values(), seed.figures)
    elapsed = time.perf_counter() - start
    print(f"\nrender_charts: {len(out)} seed charts in {elapsed * 1000:.0f} ms")
    assert len(out) == 7


def test_importing_charts_does_not_import_matplotlib() -> None:
    code = "import sys, juesuan.document.charts; print('matplotlib' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


# --- bar charts ---------------------------------------------------------------------------


def test_bar_chart_layout(seed: Analysis, refs: dict[str, ChartRef]) -> None:
    with drawn(chart_data(refs["fig1"], seed.figures)) as fig:
        (ax,) = fig.axes
        assert axes_texts(fig) == ["226.23", "253.87", "226.23", "253.87"]
        assert legend_texts(fig) == ["收入", "支出"]
        assert ax.get_ylabel() == "万元"
        assert [t.get_text() for t in ax.get_xticklabels()] == ["2023年", "2024年"]
        assert not ax.spines["top"].get_visible()
        assert not ax.spines["right"].get_visible()
        assert len(ax.patches) == 4
        assert len({p.get_hatch() for p in ax.patches}) == 2  # distinct without colour


def test_single_series_bar_has_no_legend(seed: Analysis, refs: dict[str, ChartRef]) -> None:
    with drawn(chart_data(refs["fig5"], seed.figures)) as fig:
        assert fig.legends == []
        assert axes_texts(fig) == ["226.23", "253.87"]


def test_blank_bar_value_draws_no_bar_and_a_dash() -> None:
    data = bar(("2023年", "2024年"), 收入=(None, D("253.87")), 支出=(D("226.23"), None))
    with drawn(data) as fig:
        (ax,) = fig.axes
        assert len(ax.patches) == 2
        assert axes_texts(fig) == ["—", "253.87", "226.23", "—"]
    assert chart_png(data).startswith(PNG_SIGNATURE)
    assert chart_png(bar(("2024年",), 收入=(None,))).startswith(PNG_SIGNATURE)


def test_bar_labels_are_formatted_from_decimals() -> None:
    # 2.675 as a float is 2.67499…; the Decimal rounds half up to 2.68
    with drawn(bar(("2024年",), 收入=(D("2.675"),))) as fig:
        assert axes_texts(fig) == ["2.68"]


def test_negative_and_large_bar_values_render() -> None:
    data = bar(
        ("2022年", "2023年", "2024年"),
        收入=(D("123456.78"), D("98765.43"), D("150000.01")),
        支出=(D("123000.78"), D("-5432.10"), D("149999.99")),
    )
    with drawn(data) as fig:
        assert "-5432.10" in axes_texts(fig)
        ymin, _ = fig.axes[0].get_ylim()
        assert ymin < -5432.10


# --- pie charts ---------------------------------------------------------------------------


def test_pie_legend_carries_amounts_and_shares(seed: Analysis, refs: dict[str, ChartRef]) -> None:
    with drawn(chart_data(refs["fig6"], seed.figures)) as fig:
        assert legend_texts(fig) == [
            "一般公共服务支出 204.53万元 80.57%",
            "社会保障和就业支出 22.32万元 8.79%",
            "卫生健康支出 11.41万元 4.49%",
            "住房保障支出 15.61万元 6.15%",
        ]
        (ax,) = fig.axes
        assert len(ax.patches) == 4
        # only wedges wide enough carry their share inside
        assert axes_texts(fig) == ["80.57%"]


def test_pie_shares_sum_to_one_hundred() -> None:
    data = pie(("甲", D(1)), ("乙", D(1)), ("丙", D(1)))
    with drawn(data) as fig:
        shares = [D(t.rsplit(" ", 1)[1].rstrip("%")) for t in legend_texts(fig)]
    assert shares == [D("33.34"), D("33.33"), D("33.33")]
    assert sum(shares) == 100


def test_zero_parts_are_listed_but_not_drawn(seed: Analysis, refs: dict[str, ChartRef]) -> None:
    with drawn(chart_data(refs["fig7"], seed.figures)) as fig:
        assert legend_texts(fig) == [
            "因公出国（境）费支出 0.00万元 0%",
            "公务用车购置及运行维护费支出 0.00万元 0%",
            "公务接待费支出 0.46万元 100.00%",
        ]
        (ax,) = fig.axes
        assert len(ax.patches) == 1  # the one 100% slice
        assert axes_texts(fig) == ["100.00%"]


def test_all_zero_pie_shows_a_placeholder() -> None:
    data = pie(
        ("因公出国（境）费支出", D(0)),
        ("公务用车购置及运行维护费支出", None),
        ("公务接待费支出", D("0.00")),
    )
    with drawn(data) as fig:
        assert axes_texts(fig) == ["本年度无此项支出"]
        assert legend_texts(fig) == [
            "因公出国（境）费支出 0.00万元 0%",
            "公务用车购置及运行维护费支出 0.00万元 0%",
            "公务接待费支出 0.00万元 0%",
        ]
    png = chart_png(data)
    assert png.startswith(PNG_SIGNATURE)
    assert png == chart_png(data)
    assert chart_png(pie()).startswith(PNG_SIGNATURE)  # no parts at all


def test_blank_pie_part_reads_as_zero() -> None:
    with drawn(pie(("甲", None), ("乙", D("12.5")))) as fig:
        assert legend_texts(fig) == ["甲 0.00万元 0%", "乙 12.50万元 100.00%"]
        assert len(fig.axes[0].patches) == 1


def test_many_parts_keep_the_legend_inside_the_figure() -> None:
    parts = tuple((f"第{i}类灾害防治及应急管理支出", D(1000 - 40 * i)) for i in range(20))
    with drawn(pie(*parts)) as fig:
        (legend,) = fig.legends
        box = legend.get_window_extent(fig.canvas.get_renderer())
        assert box.y0 >= 0
        assert box.y1 <= fig.bbox.y1
        assert box.x1 <= fig.bbox.x1
        assert len(legend.get_texts()) == 20


# --- font -----------------------------------------------------------------------------------


def test_font_is_the_packaged_noto_cjk() -> None:
    import noto_cjk_sans_otc

    assert CJK_FONT.is_file()
    assert CJK_FONT.suffix == ".ttc"
    assert CJK_FONT == Path(str(noto_cjk_sans_otc.FONT_PATH))
    repo = Path(__file__).resolve().parents[2]
    assert repo not in CJK_FONT.resolve().parents  # the full face comes from its package
    # The only fonts in the repository are the reduced open faces of the 公文 scheme
    # (docs/typography.md), each under the SIL Open Font License shipped beside them.
    shipped = [p for p in (repo / "src").rglob("*") if p.suffix.lower() in {".ttf", ".otf", ".ttc"}]
    fonts_dir = repo / "src" / "juesuan" / "data" / "fonts"
    assert shipped and all(p.parent == fonts_dir for p in shipped)
    assert "SIL OPEN FONT LICENSE" in (fonts_dir / "OFL.txt").read_text(encoding="utf-8").upper()


def test_font_family_resolves_to_the_noto_file() -> None:
    from matplotlib import font_manager, ft2font

    family = charts._register_font()
    prop = font_manager.FontProperties(family=family)
    found = font_manager.findfont(prop, fallback_to_default=False)
    assert Path(found) == CJK_FONT
    # the text renderer's path: the same font object Agg draws glyphs with
    font = font_manager.get_font(font_manager.fontManager._find_fonts_by_props(prop))
    assert Path(font.fname) == CJK_FONT
    assert font.family_name == "Noto Sans CJK SC"
    # loading the file by name works, too
    by_file = font_manager.FontProperties(fname=CJK_FONT)
    assert Path(by_file.get_file()) == CJK_FONT
    assert font_manager.get_font(by_file.get_file()).family_name.startswith("Noto Sans CJK")
    # and it has a glyph for every character the seed charts print
    sc = ft2font.FT2Font(str(CJK_FONT), face_index=getattr(found, "face_index", 2))
    text = "收入支出万元年本年度无此项支出因公出国（境）费公务用车购置及运行维护接待一般服务—%.0123456789"
    assert all(sc.get_char_index(ord(c)) for c in text)


def test_every_text_uses_the_cjk_font(seed: Analysis, refs: dict[str, ChartRef]) -> None:
    import matplotlib
    from matplotlib import font_manager, ft2font
    from matplotlib.text import Text

    before = dict(matplotlib.rcParams)
    sc = None
    for ref in refs.values():
        with drawn(chart_data(ref, seed.figures)) as fig:
            texts = [t for t in fig.findobj(Text) if t.get_text()]
            assert texts
            for t in texts:
                found = font_manager.findfont(t.get_fontproperties(), fallback_to_default=False)
                assert Path(found) == CJK_FONT, (ref.key, t.get_text())
                sc = sc or ft2font.FT2Font(found, face_index=found.face_index)
                missing = [c for c in t.get_text() if not sc.get_char_index(ord(c))]
                assert missing == [], (ref.key, t.get_text())
    assert dict(matplotlib.rcParams) == before  # the chart style does not leak


def test_no_missing_glyph_warnings(seed: Analysis, refs: dict[str, ChartRef]) -> None:
    extra = [
        pie(("因公出国（境）费支出", D(0)), ("公务接待费支出", None)),
        bar(("2023年", "2024年"), 收入=(None, D("-1.5")), 支出=(D(3), D(4))),
    ]
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        render_charts(refs.values(), seed.figures)
        for data in extra:
            chart_png(data)
    glyphs = [str(w.message) for w in caught if "missing from" in str(w.message)]
    assert glyphs == []


def test_missing_glyphs_would_be_caught() -> None:
    """The check above can fail: Chinese text in a Latin-only font does warn."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure as MplFigure

    fig = MplFigure(figsize=(2, 1))
    FigureCanvasAgg(fig)
    fig.text(0.1, 0.5, "本年度", family="DejaVu Sans")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        fig.canvas.draw()
    assert any("missing from" in str(w.message) for w in caught)
