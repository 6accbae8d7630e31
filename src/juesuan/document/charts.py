"""The disclosure's charts as PNG: grouped bar charts and pie charts.

:func:`chart_data` reads a :class:`~juesuan.document.model.ChartRef` against the figures;
:func:`chart_png` draws one chart; :func:`render_charts` draws several with one font set-up.
Every number printed on a chart is formatted from its ``Decimal`` (value labels through
:func:`~juesuan.document.numbers.format_figure`, pie shares through
:func:`~juesuan.core.money.largest_remainder_shares`); floats only place things on the canvas.

The charts are laid out here on a :class:`~juesuan.document.chart_canvas.Canvas` (pixels,
y down) and drawn by Pillow: no plotting library is imported. Text uses Noto Sans CJK SC from
the ``noto_cjk_sans_otc`` package (SIL OFL 1.1); no font file ships with this project.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from dataclasses import dataclass, replace
from decimal import Decimal

from juesuan.core.figures import WAN, FigureSet
from juesuan.core.money import ZERO, largest_remainder_shares
from juesuan.document.chart_canvas import CJK_FAMILY, CJK_FONT, Canvas, Shape
from juesuan.document.chart_ticks import nice_ticks, tick_labels
from juesuan.document.model import ChartRef
from juesuan.document.numbers import NumberStyle, format_figure

__all__ = ["CJK_FAMILY", "CJK_FONT", "ChartData", "chart_data", "chart_png", "render_charts"]

NO_DATA_TEXT = "本年度无此项支出"
BLANK_TEXT = "—"
UNIT_LABEL = WAN

# 15 cm x 8.5 cm: the width of an A4 text column.
FIG_SIZE_IN = (15 / 2.54, 8.5 / 2.54)
FONT_SIZE = 9.0
MIN_FONT_SIZE = 6.0
VALUE_MIN_FONT_SIZE = 5.0  # value labels of many wide bars: small rather than overlapping
_PIE_LABEL_MIN_SHARE = Decimal(12)  # % printed inside a wedge wide enough for it

_VALUE_STYLE = NumberStyle(zero_money="0.00", blank=BLANK_TEXT)
_YEAR = re.compile(r"^\d{4}年$")

_TEXT = "#262626"
_AXIS = "#7F7F7F"
_GRID = "#DADADA"
# Bars: dark solid, light hatched, mid dotted, ... (distinct in grayscale, too).
_BAR_STYLES: tuple[tuple[str, str, str], ...] = (  # face, edge (and hatch), hatch
    ("#3F5F7F", "#3F5F7F", ""),
    ("#C5D0DB", "#4F6B87", "////"),
    ("#C9A46A", "#7A5F33", ".."),
    ("#7D9270", "#4B5E40", "\\\\\\\\"),
    ("#E3DED3", "#8C8374", "xx"),
)
# Pie slices: alternating dark / light so neighbours differ in grayscale; hatched from
# the second round on.
_PIE_COLOURS: tuple[str, ...] = (
    "#3F5F7F",
    "#D9BC84",
    "#8FAAC2",
    "#7A5A44",
    "#BFCDAE",
    "#5B7553",
    "#E6DBCF",
    "#6F5E80",
    "#A8AAAD",
    "#9C5B57",
)
_PIE_HATCHES = ("", "////", "..", "\\\\\\\\")


@dataclass(frozen=True)
class ChartData:
    """A chart's numbers: ``series`` holds one value per category, in category order.

    A bar chart has one series per bar colour (``""`` names the only series of a
    single-series chart); a pie chart has one unnamed series whose categories are the
    slices. A value is ``None`` where the figure is blank or missing.
    """

    key: str
    kind: str
    caption: str
    categories: tuple[str, ...]
    series: tuple[tuple[str, tuple[Decimal | None, ...]], ...]


def chart_data(ref: ChartRef, figs: FigureSet) -> ChartData:
    """The numbers of ``ref``, read from ``figs``.

    Bar labels are ``"category/series"`` or just ``"category"``; categories and series
    keep the order they first appear in, except that year categories (``"2023年"``) are
    put in chronological order, so a change chart reads from left to right.
    """
    if ref.kind == "pie":
        categories = tuple(label for label, _ in ref.series)
        _no_duplicates(ref, categories)
        values = tuple(figs.value(fid) for _, fid in ref.series)
        return ChartData(ref.key, "pie", ref.caption, categories, (("", values),))
    if ref.kind != "bar":
        raise ValueError(f"chart {ref.key}: unknown kind {ref.kind!r} (bar | pie)")
    cells: dict[tuple[str, str], Decimal | None] = {}
    cats: list[str] = []
    names: list[str] = []
    for label, fid in ref.series:
        cat, _, name = label.partition("/")
        if (cat, name) in cells:
            raise ValueError(f"chart {ref.key}: label {label!r} appears twice")
        cells[(cat, name)] = figs.value(fid)
        if cat not in cats:
            cats.append(cat)
        if name not in names:
            names.append(name)
    if cats and all(_YEAR.match(c) for c in cats):
        cats.sort(key=lambda c: int(c[:4]))
    series = tuple((name, tuple(cells.get((cat, name)) for cat in cats)) for name in names)
    return ChartData(ref.key, "bar", ref.caption, tuple(cats), series)


def _no_duplicates(ref: ChartRef, labels: tuple[str, ...]) -> None:
    seen: set[str] = set()
    for label in labels:
        if label in seen:
            raise ValueError(f"chart {ref.key}: label {label!r} appears twice")
        seen.add(label)


def chart_png(data: ChartData, *, dpi: int = 200) -> bytes:
    """PNG of one chart, 15 x 8.5 cm; the same data always gives the same bytes."""
    return _draw(data, dpi).png()


def render_charts(refs: Iterable[ChartRef], figs: FigureSet, *, dpi: int = 200) -> dict[str, bytes]:
    """PNG of every chart, by key. Charts drawn before from the same data are taken from the
    cache (:mod:`chart_cache`)."""
    from juesuan.document import chart_cache

    out: dict[str, bytes] = {}
    todo: list[tuple[str, ChartData, str]] = []
    for ref in refs:
        data = chart_data(ref, figs)
        k = chart_cache.key(repr(data), dpi)
        png = chart_cache.get(k)
        if png is None:
            todo.append((ref.key, data, k))
        out[ref.key] = png or b""
    for name, data, k in todo:
        out[name] = _draw(data, dpi).png()
        chart_cache.put(k, out[name])
    return out


# --- drawing ---------------------------------------------------------------------------
# Positions follow the matplotlib layout these charts had: fractions of the image for the
# plot area, points for paddings and strokes.

_LEGEND_PAD_EM = 0.4  # around a legend
_HANDLE_TEXT_EM = 0.8  # between a legend's colour patch and its text
_HANDLE_HEIGHT_EM = 0.92  # a legend's colour patch, as tall as a line's ink


def _draw(data: ChartData, dpi: int = 200) -> Canvas:
    """The chart of ``data`` laid out on a canvas of 15 x 8.5 cm at ``dpi``."""
    width, height = (round(size * dpi) for size in FIG_SIZE_IN)
    canvas = Canvas(width, height, dpi)
    if data.kind == "pie":
        _draw_pie(canvas, data)
    elif data.kind == "bar":
        _draw_bar(canvas, data)
    else:
        raise ValueError(f"chart {data.key}: unknown kind {data.kind!r} (bar | pie)")
    return canvas


def _value_text(value: Decimal | None) -> str:
    return format_figure(value, WAN, _VALUE_STYLE)


@dataclass(frozen=True)
class _Plot:
    """The plot area in pixels and the data ranges it shows."""

    left: float
    top: float
    right: float
    bottom: float
    x_range: tuple[float, float]
    y_range: tuple[Decimal, Decimal]

    def x(self, value: float) -> float:
        lo, hi = self.x_range
        return self.left + (value - lo) / (hi - lo) * (self.right - self.left)

    def y(self, value: Decimal | float) -> float:
        lo, hi = (float(v) for v in self.y_range)
        return self.bottom - (float(value) - lo) / (hi - lo) * (self.bottom - self.top)


def _bar_plot(canvas: Canvas, data: ChartData) -> _Plot:
    named = len(data.series) > 1
    known = [v for _, values in data.series for v in values if v is not None]
    top = max([*known, ZERO])
    bottom = min([*known, ZERO])
    span = (top - bottom) or Decimal(1)
    margin = Decimal("0.14") * span
    w, h = canvas.width, canvas.height
    return _Plot(
        left=0.11 * w,
        top=(0.16 if named else 0.1) * h,
        right=0.97 * w,
        bottom=0.89 * h,
        x_range=(-0.6, max(len(data.categories), 1) - 0.4),
        y_range=(bottom - margin if bottom < 0 else bottom, top + margin),
    )


def _draw_bar(canvas: Canvas, data: ChartData) -> None:
    plot = _bar_plot(canvas, data)
    _draw_value_axis(canvas, plot)
    n = len(data.series)
    width = min(0.7 / max(n, 1), 0.32)
    label_size = _bar_label_size(canvas, data, (plot.x(width) - plot.x(0)))
    gap = canvas.pt(3)
    for j, (_, values) in enumerate(data.series):
        style = _bar_style(canvas, j)
        offset = (j - (n - 1) / 2) * width
        for i, value in enumerate(values):
            x = i + offset
            if value is not None:
                box = (plot.x(x - width / 2), plot.y(ZERO), plot.x(x + width / 2), plot.y(value))
                canvas.add(replace(style, points=box))
            y = plot.y(ZERO if value is None else value)
            down = value is not None and value < 0
            align, y = ("mt", y + gap) if down else ("mb", y - gap)
            canvas.text(plot.x(x), y, _value_text(value), label_size, _TEXT, align, "value")
    for side in (
        (plot.left, plot.top, plot.left, plot.bottom),
        (plot.left, plot.bottom, plot.right, plot.bottom),
    ):
        canvas.line(side, _AXIS, 0.8, "spine")
    for i, category in enumerate(data.categories):
        canvas.text(
            plot.x(i), plot.bottom + canvas.pt(6), category, FONT_SIZE, _TEXT, "mt", "category"
        )
    unit_x = plot.left - 0.02 * (plot.right - plot.left)
    unit_y = plot.top - 0.02 * (plot.bottom - plot.top)
    canvas.text(unit_x, unit_y, UNIT_LABEL, FONT_SIZE, _TEXT, "rb", "unit")
    if n > 1:
        _bar_legend(canvas, data)
    if not data.categories:
        middle = ((plot.left + plot.right) / 2, (plot.top + plot.bottom) / 2)
        canvas.text(*middle, NO_DATA_TEXT, FONT_SIZE, _TEXT, "mc", "nodata")


def _draw_value_axis(canvas: Canvas, plot: _Plot) -> None:
    """Grid lines, tick marks and plain tick labels at nice steps of the value range."""
    ticks = nice_ticks(*plot.y_range)
    tick_length = canvas.pt(3)
    for tick, label in zip(ticks, tick_labels(ticks), strict=True):
        y = plot.y(tick)
        canvas.line((plot.left, y, plot.right, y), _GRID, 0.6, "grid")
        canvas.line((plot.left - tick_length, y, plot.left, y), _AXIS, 0.8, "tick")
        x = plot.left - tick_length - canvas.pt(3.5)
        canvas.text(x, y, label, FONT_SIZE, _TEXT, "rc", "tick")


def _bar_label_size(canvas: Canvas, data: ChartData, bar_px: float) -> float:
    """Font size (pt) at which the widest value label fits over its bar's slot."""
    texts = [_value_text(v) for _, values in data.series for v in values]
    widest = max((canvas.text_width(t, FONT_SIZE) for t in texts), default=0.0)
    if widest <= 0:
        return FONT_SIZE
    fitting = FONT_SIZE * 0.95 * bar_px / widest
    return max(VALUE_MIN_FONT_SIZE, min(FONT_SIZE, fitting))


def _bar_style(canvas: Canvas, series: int) -> Shape:
    """The look of a series' bars (a rectangle without its place)."""
    face, edge, hatch = _BAR_STYLES[series % len(_BAR_STYLES)]
    return Shape("rect", (), face, edge, canvas.pt(0.6), hatch, edge, "bar")


def _legend_patch(
    canvas: Canvas, x: float, y: float, length_em: float, size: float, style: Shape
) -> None:
    """A legend's patch in ``style``, starting at ``x`` and centred on ``y``."""
    em = canvas.pt(size)
    half = _HANDLE_HEIGHT_EM * em / 2
    box = (x, y - half, x + length_em * em, y + half)
    canvas.add(replace(style, points=box, tag="legend"))


def _bar_legend(canvas: Canvas, data: ChartData) -> None:
    """One row above the plot, centred a little right of the middle as before."""
    em = canvas.pt(FONT_SIZE)
    entries = [(name, canvas.text_width(name, FONT_SIZE)) for name, _ in data.series]
    handle = 1.6 * em
    total = sum(handle + _HANDLE_TEXT_EM * em + w for _, w in entries)
    total += 2.0 * em * (len(entries) - 1)
    x = 0.54 * canvas.width - total / 2
    y = 0.01 * canvas.height + 1.4 * em
    for j, (name, w) in enumerate(entries):
        _legend_patch(canvas, x, y, 1.6, FONT_SIZE, _bar_style(canvas, j))
        x += handle + _HANDLE_TEXT_EM * em
        canvas.text(x, y, name, FONT_SIZE, _TEXT, "lc", "legend")
        x += w + 2.0 * em


def _pie_parts(values: tuple[Decimal | None, ...]) -> tuple[list[Decimal], list[Decimal]]:
    """Amounts (blank as zero) and shares in percent (negative parts take no share)."""
    amounts = [ZERO if v is None else v for v in values]
    shares = largest_remainder_shares([max(a, ZERO) for a in amounts])
    return amounts, shares


def _share_text(amount: Decimal, share: Decimal) -> str:
    if amount < 0:
        return BLANK_TEXT
    if amount == 0:
        return "0%"
    return f"{share:.2f}%"


def _draw_pie(canvas: Canvas, data: ChartData) -> None:
    """Slices clockwise from 12 o'clock with white separators; the legend on the right."""
    values = data.series[0][1] if data.series else ()
    amounts, shares = _pie_parts(values)
    w, h = canvas.width, canvas.height
    cx, cy = 0.23 * w, 0.5 * h
    radius = min(0.42 * w, 0.88 * h) / 2.08
    drawn = [i for i, a in enumerate(amounts) if a > 0]
    styles: dict[int, tuple[str, str]] = {}
    for k, i in enumerate(drawn):
        colour = _PIE_COLOURS[k % len(_PIE_COLOURS)]
        hatch = _PIE_HATCHES[(k // len(_PIE_COLOURS)) % len(_PIE_HATCHES)]
        styles[i] = (colour, hatch)
    total = float(sum(amounts[i] for i in drawn))
    start = -90.0  # degrees clockwise from 3 o'clock (y down)
    bounds = []
    for i in drawn:
        end = start + 360.0 * float(amounts[i]) / total
        colour, hatch = styles[i]
        canvas.add(
            Shape("wedge", (cx, cy, radius, start, end), colour, None, 0.0, hatch, "white", "wedge")
        )
        if shares[i] >= _PIE_LABEL_MIN_SHARE:
            middle = math.radians((start + end) / 2)
            far = 0.0 if len(drawn) == 1 else 0.64 * radius
            x, y = cx + far * math.cos(middle), cy + far * math.sin(middle)
            canvas.text(x, y, f"{shares[i]:.2f}%", FONT_SIZE, _contrast(colour), "mc", "share")
        bounds.append(start)
        start = end
    separator = canvas.pt(1.2)
    if len(drawn) > 1:
        for angle in map(math.radians, bounds):
            edge = (cx + radius * math.cos(angle), cy + radius * math.sin(angle))
            canvas.line((cx, cy, *edge), "white", 1.2, "separator")
    if drawn:  # the inner half of the white edge round the pie (the outer half is on white)
        ring = Shape("circle", (cx, cy, radius - separator / 4), None, "white", separator / 2)
        canvas.add(ring)
    else:
        canvas.add(
            Shape("circle", (cx, cy, radius), "#F2F2F2", "#BFBFBF", canvas.pt(1.0), tag="nodata")
        )
        canvas.text(cx, cy, NO_DATA_TEXT, 10.0, "#595959", "mc", "nodata")
    entries = []
    for i, name in enumerate(data.categories):
        colour, hatch = styles.get(i, ("white", ""))
        text = f"{name} {format_figure(amounts[i], WAN, _VALUE_STYLE)}万元 {_share_text(amounts[i], shares[i])}"
        edge = "white" if i in styles else "#A6A6A6"
        entries.append((text, Shape("rect", (), colour, edge, canvas.pt(0.8), hatch, "white")))
    if entries:
        _pie_legend(canvas, entries)


def _contrast(colour: str) -> str:
    """White text on dark slices, dark text on light ones."""
    r, g, b = (int(colour[k : k + 2], 16) for k in (1, 3, 5))
    return "white" if 0.299 * r + 0.587 * g + 0.114 * b < 140 else _TEXT


def _pie_legend(canvas: Canvas, entries: list[tuple[str, Shape]]) -> None:
    """Legend right of the pie, centred vertically, its font shrinking until it fits."""
    left = 0.47 * canvas.width
    size = FONT_SIZE
    while True:
        em = canvas.pt(size)
        text_x = left + (_LEGEND_PAD_EM + 1.4 + _HANDLE_TEXT_EM) * em
        widest = max(canvas.text_width(text, size) for text, _ in entries)
        right = text_x + widest + _LEGEND_PAD_EM * em
        pitch = 1.7 * em
        height = len(entries) * pitch - 0.7 * em + 2 * _LEGEND_PAD_EM * em
        fits = right <= canvas.width - canvas.pt(3) and height <= canvas.height - canvas.pt(3)
        if fits or size <= MIN_FONT_SIZE:
            break
        size -= 0.5
    y = canvas.height / 2 - height / 2 + (_LEGEND_PAD_EM + 0.5) * em
    for text, style in entries:
        _legend_patch(canvas, left + _LEGEND_PAD_EM * em, y, 1.4, size, style)
        canvas.text(text_x, y, text, size, _TEXT, "lc", "legend")
        y += pitch
