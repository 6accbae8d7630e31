"""Charts as PNG: data read from the figures, layout, the pixels, determinism, the CJK font."""

from __future__ import annotations

import hashlib
import io
import os
import subprocess
import sys
import time
from decimal import Decimal
from functools import cache
from itertools import pairwise
from pathlib import Path

import pytest
from PIL import Image

from juesuan.core.figures import Figure, FigureSet
from juesuan.document import chart_canvas, charts, pdf_images
from juesuan.document.chart_canvas import Canvas
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


def drawn(data: ChartData) -> Canvas:
    """The laid-out chart of ``data``: its shapes and texts, for inspection."""
    return charts._draw(data)


def legend_texts(canvas: Canvas) -> list[str]:
    return canvas.tagged("legend")


def axes_texts(canvas: Canvas) -> list[str]:
    """Texts in the plot: value labels, shares in slices, the no-data note."""
    return [t.text for t in canvas.texts if t.tag in ("value", "share", "nodata")]


def tagged_shapes(canvas: Canvas, tag: str) -> list[chart_canvas.Shape]:
    return [s for s in canvas.shapes if s.tag == tag]


def image(png: bytes) -> Image.Image:
    return Image.open(io.BytesIO(png)).convert("RGB")


def rgb(colour: str) -> tuple[int, int, int]:
    return tuple(int(colour[k : k + 2], 16) for k in (1, 3, 5))  # type: ignore[return-value]


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


def test_drawing_the_charts_does_not_import_matplotlib(tmp_path: Path) -> None:
    code = (
        "import sys\n"
        "from juesuan.pipeline import chart_images, narrative, sample_path, validate\n"
        "a, _ = validate(sample_path('seed'))\n"
        "pngs = chart_images(a, narrative(a))\n"
        "print(len(pngs), sorted(m for m in sys.modules if m.split('.')[0] == 'matplotlib'))\n"
    )
    env = {**os.environ, "JUESUAN_CACHE_DIR": "off"}
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env
    )
    assert out.stdout.strip() == "7 []"


def test_charts_pass_into_the_pdf_without_reencoding(pngs: dict[str, bytes]) -> None:
    for key, png in pngs.items():
        assert pdf_images.idat_data(png), key  # 8-bit RGB, not interlaced, no alpha


# --- bar charts ---------------------------------------------------------------------------


def test_bar_chart_layout(seed: Analysis, refs: dict[str, ChartRef]) -> None:
    canvas = drawn(chart_data(refs["fig1"], seed.figures))
    assert axes_texts(canvas) == ["226.23", "253.87", "226.23", "253.87"]
    assert legend_texts(canvas) == ["收入", "支出"]
    assert canvas.tagged("unit") == ["万元"]
    assert canvas.tagged("category") == ["2023年", "2024年"]
    assert canvas.tagged("tick") == ["0", "50", "100", "150", "200", "250"]
    # left and bottom spines only
    (left, bottom) = (s.points for s in tagged_shapes(canvas, "spine"))
    assert left[0] == left[2] < canvas.width * 0.2 and left[1] < left[3]
    assert bottom[1] == bottom[3] > canvas.height * 0.8 and bottom[0] == left[0]
    bars = tagged_shapes(canvas, "bar")
    assert len(bars) == 4
    assert len({b.hatch for b in bars}) == 2  # distinct without colour
    # the legend's patches look like the bars they stand for
    patches = tagged_shapes(canvas, "legend")
    assert [(p.fill, p.hatch) for p in patches] == [(b.fill, b.hatch) for b in bars[::2]]
    # category labels under their groups, the legend above the plot
    (unit,) = (t for t in canvas.texts if t.tag == "unit")
    for t in canvas.texts:
        if t.tag == "legend":
            assert t.box()[3] < unit.box()[1]
        if t.tag == "category":
            assert t.box()[1] > bottom[1]


def test_single_series_bar_has_no_legend(seed: Analysis, refs: dict[str, ChartRef]) -> None:
    canvas = drawn(chart_data(refs["fig5"], seed.figures))
    assert legend_texts(canvas) == []
    assert tagged_shapes(canvas, "legend") == []
    assert axes_texts(canvas) == ["226.23", "253.87"]


def test_blank_bar_value_draws_no_bar_and_a_dash() -> None:
    data = bar(("2023年", "2024年"), 收入=(None, D("253.87")), 支出=(D("226.23"), None))
    canvas = drawn(data)
    assert len(tagged_shapes(canvas, "bar")) == 2
    assert axes_texts(canvas) == ["—", "253.87", "226.23", "—"]
    assert chart_png(data).startswith(PNG_SIGNATURE)
    assert chart_png(bar(("2024年",), 收入=(None,))).startswith(PNG_SIGNATURE)


def test_bar_labels_are_formatted_from_decimals() -> None:
    # 2.675 as a float is 2.67499…; the Decimal rounds half up to 2.68
    assert axes_texts(drawn(bar(("2024年",), 收入=(D("2.675"),)))) == ["2.68"]


def three_series_with_a_negative() -> ChartData:
    return bar(
        ("2022年", "2023年", "2024年"),
        收入=(D("123456.78"), D("98765.43"), D("150000.01")),
        支出=(D("123000.78"), D("-5432.10"), D("149999.99")),
        结转=(D("3000.5"), None, D("12000")),
    )


def test_negative_and_large_bar_values_render() -> None:
    canvas = drawn(three_series_with_a_negative())
    assert "-5432.10" in axes_texts(canvas)
    ticks = [D(t) for t in canvas.tagged("tick")]
    assert ticks[0] < D("-5432.10") and ticks[-1] == 150000
    assert all(b - a == 25000 for a, b in pairwise(ticks))
    assert len({s.hatch for s in tagged_shapes(canvas, "bar")}) == 3
    # the negative bar hangs below the zero line, its label below it
    zero_y = [s.points[1] for s in tagged_shapes(canvas, "grid")][ticks.index(D(0))]
    negative = tagged_shapes(canvas, "bar")[4]  # 支出 2023年
    assert negative.points[1] == pytest.approx(zero_y) and negative.points[3] > zero_y
    (label,) = (t for t in canvas.texts if t.text == "-5432.10")
    assert label.box()[1] > negative.points[3]


def test_value_labels_fit_their_bars() -> None:
    canvas = drawn(three_series_with_a_negative())
    boxes = sorted((t.box() for t in canvas.texts if t.tag == "value"), key=lambda b: b[0])
    for a, b in pairwise(boxes):
        overlap_x = a[2] > b[0]
        overlap_y = a[1] < b[3] and b[1] < a[3]
        assert not (overlap_x and overlap_y), (a, b)


def test_bar_heights_are_proportional_to_the_values(
    seed: Analysis, refs: dict[str, ChartRef], pngs: dict[str, bytes]
) -> None:
    """Measured on the PNG: bar tops against the zero line and the tick grid lines."""
    picture = image(pngs["fig5"])
    canvas = drawn(chart_data(refs["fig5"], seed.figures))
    face = rgb(charts._BAR_STYLES[0][0])
    heights = []
    for shape in tagged_shapes(canvas, "bar"):
        x = round((shape.points[0] + shape.points[2]) / 2)
        rows = [y for y in range(picture.height) if picture.getpixel((x, y)) == face]
        heights.append((min(rows), max(rows)))
    (top1, bottom1), (top2, bottom2) = heights
    assert abs(bottom1 - bottom2) <= 1
    h1, h2 = bottom1 - top1 + 1, bottom2 - top2 + 1
    assert h1 / h2 == pytest.approx(226.23 / 253.87, abs=2 / h2)
    # the grid line of the tick 250 sits where a bar of 250 would end
    grid = rgb(charts._GRID)
    x = round(canvas.width * 0.11) + 8
    lines = [y for y in range(picture.height) if picture.getpixel((x, y)) == grid]
    assert lines, "no grid line found"
    top_line = min(lines)  # 250
    assert (bottom2 - top_line) / h2 == pytest.approx(250 / 253.87, abs=2 / h2)


def test_hatches_are_drawn_inside_the_bars(
    seed: Analysis, refs: dict[str, ChartRef], pngs: dict[str, bytes]
) -> None:
    picture = image(pngs["fig1"])
    canvas = drawn(chart_data(refs["fig1"], seed.figures))
    bars = tagged_shapes(canvas, "bar")  # series by series: 收入 2023, 2024, 支出 2023, 2024
    solid, hatched = bars[0], bars[2]

    def colours(shape: chart_canvas.Shape) -> int:
        x0, _, x1, _ = shape.points
        y0, y1 = picture.height * 0.5, picture.height * 0.8  # well inside both bars
        inner = picture.crop((round(x0) + 4, round(y0), round(x1) - 4, round(y1)))
        return len(inner.getcolors(1 << 16) or [])

    assert colours(solid) == 1  # flat
    assert colours(hatched) > 4  # lines in the edge colour, anti-aliased


def test_hatch_lines_are_clipped_to_their_bar() -> None:
    data = bar(("2024年",), 甲=(D(1),), 乙=(D(1),))
    canvas = drawn(data)
    picture = image(canvas.png())
    hatched = tagged_shapes(canvas, "bar")[1]
    _, y0, x1, y1 = hatched.points
    edge = rgb(hatched.edge or "")
    outside = picture.crop((round(x1) + 3, round(y1) + 3, round(x1) + 40, round(y0) - 3))
    assert edge not in {c for _, c in outside.getcolors(1 << 16) or []}


# --- axis ticks -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("low", "high", "labels"),
    [
        ("0", "289.4118", ["0", "50", "100", "150", "200", "250"]),
        ("0", "0.14", ["0.00", "0.02", "0.04", "0.06", "0.08", "0.10", "0.12", "0.14"]),
        ("0", "20.5", ["0.0", "2.5", "5.0", "7.5", "10.0", "12.5", "15.0", "17.5", "20.0"]),
        ("-8.2", "3.1", ["-8", "-6", "-4", "-2", "0", "2"]),
        ("0", "1234567.8", ["0", "200000", "400000", "600000", "800000", "1000000", "1200000"]),
    ],
)
def test_ticks_are_nice_plain_numbers(low: str, high: str, labels: list[str]) -> None:
    from juesuan.document.chart_ticks import nice_ticks, tick_labels

    assert tick_labels(nice_ticks(D(low), D(high))) == labels


# --- pie charts ---------------------------------------------------------------------------


def test_pie_legend_carries_amounts_and_shares(seed: Analysis, refs: dict[str, ChartRef]) -> None:
    canvas = drawn(chart_data(refs["fig6"], seed.figures))
    assert legend_texts(canvas) == [
        "一般公共服务支出 204.53万元 80.57%",
        "社会保障和就业支出 22.32万元 8.79%",
        "卫生健康支出 11.41万元 4.49%",
        "住房保障支出 15.61万元 6.15%",
    ]
    assert len(tagged_shapes(canvas, "wedge")) == 4
    # only wedges wide enough carry their share inside, in a colour that stands out
    assert axes_texts(canvas) == ["80.57%"]
    (share,) = (t for t in canvas.texts if t.tag == "share")
    assert share.colour == "white"  # on the dark first slice


def test_pie_slices_start_at_twelve_and_run_clockwise(
    seed: Analysis, refs: dict[str, ChartRef], pngs: dict[str, bytes]
) -> None:
    picture = image(pngs["fig6"])
    canvas = drawn(chart_data(refs["fig6"], seed.figures))
    cx, cy, r = tagged_shapes(canvas, "wedge")[0].points[:3]
    first, last = rgb(charts._PIE_COLOURS[0]), rgb(charts._PIE_COLOURS[3])
    assert picture.getpixel((round(cx + 12), round(cy - r + 20))) == first
    assert picture.getpixel((round(cx - 12), round(cy - r + 20))) == last


def test_pie_areas_are_proportional_to_the_shares(
    seed: Analysis, refs: dict[str, ChartRef], pngs: dict[str, bytes]
) -> None:
    picture = image(pngs["fig6"])
    counts = {colour: n for n, colour in picture.getcolors(1 << 20) or []}
    areas = [counts.get(rgb(c), 0) for c in charts._PIE_COLOURS[:4]]
    shares = [80.57, 8.79, 4.49, 6.15]
    for area, share in zip(areas, shares, strict=True):
        assert 100 * area / sum(areas) == pytest.approx(share, abs=0.6)


def test_pie_shares_sum_to_one_hundred() -> None:
    canvas = drawn(pie(("甲", D(1)), ("乙", D(1)), ("丙", D(1))))
    shares = [D(t.rsplit(" ", 1)[1].rstrip("%")) for t in legend_texts(canvas)]
    assert shares == [D("33.34"), D("33.33"), D("33.33")]
    assert sum(shares) == 100


def test_zero_parts_are_listed_but_not_drawn(seed: Analysis, refs: dict[str, ChartRef]) -> None:
    canvas = drawn(chart_data(refs["fig7"], seed.figures))
    assert legend_texts(canvas) == [
        "因公出国（境）费支出 0.00万元 0%",
        "公务用车购置及运行维护费支出 0.00万元 0%",
        "公务接待费支出 0.46万元 100.00%",
    ]
    assert len(tagged_shapes(canvas, "wedge")) == 1  # the one 100% slice
    assert tagged_shapes(canvas, "separator") == []
    assert axes_texts(canvas) == ["100.00%"]


def test_all_zero_pie_shows_a_placeholder() -> None:
    data = pie(
        ("因公出国（境）费支出", D(0)),
        ("公务用车购置及运行维护费支出", None),
        ("公务接待费支出", D("0.00")),
    )
    canvas = drawn(data)
    assert axes_texts(canvas) == ["本年度无此项支出"]
    assert tagged_shapes(canvas, "wedge") == []
    assert len(tagged_shapes(canvas, "nodata")) == 1  # the grey circle
    assert legend_texts(canvas) == [
        "因公出国（境）费支出 0.00万元 0%",
        "公务用车购置及运行维护费支出 0.00万元 0%",
        "公务接待费支出 0.00万元 0%",
    ]
    png = chart_png(data)
    assert png.startswith(PNG_SIGNATURE)
    assert png == chart_png(data)
    assert chart_png(pie()).startswith(PNG_SIGNATURE)  # no parts at all


def test_blank_pie_part_reads_as_zero() -> None:
    canvas = drawn(pie(("甲", None), ("乙", D("12.5"))))
    assert legend_texts(canvas) == ["甲 0.00万元 0%", "乙 12.50万元 100.00%"]
    assert len(tagged_shapes(canvas, "wedge")) == 1


def legend_box(canvas: Canvas) -> tuple[float, float, float, float]:
    boxes = [t.box() for t in canvas.texts if t.tag == "legend"]
    boxes += [s.points for s in tagged_shapes(canvas, "legend")]  # type: ignore[misc]
    return (
        min(b[0] for b in boxes),
        min(b[1] for b in boxes),
        max(b[2] for b in boxes),
        max(b[3] for b in boxes),
    )


def test_many_parts_keep_the_legend_inside_the_figure() -> None:
    parts = tuple((f"第{i}类灾害防治及应急管理支出", D(1000 - 40 * i)) for i in range(20))
    canvas = drawn(pie(*parts))
    x0, y0, x1, y1 = legend_box(canvas)
    assert 0 <= y0 and y1 <= canvas.height and x1 <= canvas.width
    assert x0 > max(s.points[0] + s.points[2] for s in tagged_shapes(canvas, "wedge"))
    texts = [t for t in canvas.texts if t.tag == "legend"]
    assert len(texts) == 20
    assert texts[0].size < canvas.pt(charts.FONT_SIZE)  # shrunk to fit
    assert len({t.size for t in texts}) == 1
    # rows do not overlap
    for a, b in pairwise(texts):
        assert a.box()[3] < b.box()[1]
    # a short legend keeps the full size
    short = drawn(pie(("甲", D(1)), ("乙", D(2))))
    assert {t.size for t in short.texts if t.tag == "legend"} == {short.pt(charts.FONT_SIZE)}


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


def test_the_sc_face_is_chosen_by_name() -> None:
    from fontTools.ttLib import TTCollection

    face = chart_canvas.font(25.0)
    assert Path(face.path) == CJK_FONT
    assert face.getname() == ("Noto Sans CJK SC", "Regular")
    names = [f["name"].getDebugName(1) for f in TTCollection(str(CJK_FONT), lazy=True).fonts]
    assert names.index("Noto Sans CJK SC") == face.index == chart_canvas._sc_index()


@cache
def sc_cmap() -> dict[int, str]:
    from fontTools.ttLib import TTCollection

    collection = TTCollection(str(CJK_FONT), lazy=True)
    return collection.fonts[chart_canvas._sc_index()].getBestCmap()


def missing_glyphs(text: str) -> list[str]:
    return [c for c in text if ord(c) not in sc_cmap()]


def test_every_text_has_its_glyphs(seed: Analysis, refs: dict[str, ChartRef]) -> None:
    extra = [
        pie(("因公出国（境）费支出", D(0)), ("公务接待费支出", None)),
        bar(("2023年", "2024年"), 收入=(None, D("-1.5")), 支出=(D(3), D(4))),
    ]
    datas = [chart_data(ref, seed.figures) for ref in refs.values()] + extra
    for data in datas:
        canvas = drawn(data)
        assert canvas.texts
        for t in canvas.texts:
            assert missing_glyphs(t.text) == [], (data.key, t.text)


def test_missing_glyphs_would_be_caught() -> None:
    """The check above can fail: a character outside the face is reported."""
    assert missing_glyphs("本年度\U0001f600") == ["\U0001f600"]


def test_text_is_crisp(pngs: dict[str, bytes], seed: Analysis, refs: dict[str, ChartRef]) -> None:
    """Set at the final size (not scaled down): strokes of a label reach the full text colour."""
    picture = image(pngs["fig6"])
    canvas = drawn(chart_data(refs["fig6"], seed.figures))
    first = next(t for t in canvas.texts if t.tag == "legend")
    x0, y0, x1, y1 = (round(v) for v in first.box())
    darkest = min(sum(c) for _, c in picture.crop((x0, y0, x1, y1)).getcolors(1 << 16) or [])
    assert darkest == sum(rgb(charts._TEXT))
