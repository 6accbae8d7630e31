"""The disclosure's charts as PNG: grouped bar charts and pie charts.

:func:`chart_data` reads a :class:`~juesuan.document.model.ChartRef` against the figures;
:func:`chart_png` draws one chart; :func:`render_charts` draws several with one font set-up.
Every number printed on a chart is formatted from its ``Decimal`` (value labels through
:func:`~juesuan.document.numbers.format_figure`, pie shares through
:func:`~juesuan.core.money.largest_remainder_shares`); floats only place things on the canvas.

matplotlib is imported lazily (Agg, object-oriented API, no pyplot state) so that importing
this module costs nothing at CLI start-up. Text uses Noto Sans CJK SC from the
``noto_cjk_sans_otc`` package (SIL OFL 1.1); no font file ships with this project.
"""

from __future__ import annotations

import io
import math
import re
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import noto_cjk_sans_otc

from juesuan.core.figures import WAN, FigureSet
from juesuan.core.money import ZERO, largest_remainder_shares
from juesuan.document.model import ChartRef
from juesuan.document.numbers import NumberStyle, format_figure

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

CJK_FONT: Path = Path(str(noto_cjk_sans_otc.FONT_PATH))
# The collection holds JP/KR/SC/TC/HK faces; the SC face has the mainland glyph forms.
CJK_FAMILY = "Noto Sans CJK SC"

NO_DATA_TEXT = "本年度无此项支出"
BLANK_TEXT = "—"
UNIT_LABEL = WAN

# 15 cm x 8.5 cm: the width of an A4 text column.
FIG_SIZE_IN = (15 / 2.54, 8.5 / 2.54)
FONT_SIZE = 9.0
MIN_FONT_SIZE = 6.0
PNG_COMPRESS_LEVEL = 1  # fast zlib: ~3x quicker encoding for ~20% larger files
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
    with _drawing():
        return _png(_draw(data), dpi)


def render_charts(refs: Iterable[ChartRef], figs: FigureSet, *, dpi: int = 200) -> dict[str, bytes]:
    """PNG of every chart, by key (one font registration and style set-up for all). Charts
    drawn before from the same data are taken from the cache (:mod:`chart_cache`)."""
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
    if todo:
        with _drawing():
            for name, data, k in todo:
                out[name] = _png(_draw(data), dpi)
                chart_cache.put(k, out[name])
    return out


# --- drawing ---------------------------------------------------------------------------


@cache
def _register_font() -> str:
    """Make the Noto collection known to matplotlib (once per process); its family name."""
    from matplotlib import font_manager

    if not CJK_FONT.is_file():  # pragma: no cover - broken installation
        raise FileNotFoundError(f"图表字体缺失：{CJK_FONT}（请安装 noto-cjk-sans-otc）")
    manager = font_manager.fontManager
    ours = [e for e in manager.ttflist if Path(e.fname) == CJK_FONT]
    if not ours:
        manager.addfont(str(CJK_FONT))
        ours = [e for e in manager.ttflist if Path(e.fname) == CJK_FONT]
    if manager.ttflist[: len(ours)] != ours:
        # First in the list: matplotlib takes the first of equally good matches, and a
        # machine may have the same family installed (fonts-noto-cjk), perhaps another
        # version; the charts are drawn with the packaged face on every machine.
        manager.ttflist = ours + [e for e in manager.ttflist if Path(e.fname) != CJK_FONT]
        font_manager.FontManager._findfont_cached.cache_clear()  # type: ignore[attr-defined]
    return CJK_FAMILY


def _rc() -> dict[str, Any]:
    return {
        "font.family": [_register_font()],
        "font.size": FONT_SIZE,
        "axes.unicode_minus": False,
        "text.color": _TEXT,
        "axes.labelcolor": _TEXT,
        "xtick.color": _TEXT,
        "ytick.color": _TEXT,
        "hatch.linewidth": 0.6,
        "legend.fontsize": FONT_SIZE,
    }


@contextmanager
def _drawing() -> Iterator[None]:
    """matplotlib style for charts, restored afterwards (no global pyplot state)."""
    import matplotlib

    with matplotlib.rc_context(_rc()):
        yield


def _draw(data: ChartData) -> Figure:
    """The matplotlib figure of ``data`` (call inside :func:`_drawing`)."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    fig = Figure(figsize=FIG_SIZE_IN, facecolor="white")
    FigureCanvasAgg(fig)
    if data.kind == "pie":
        _draw_pie(fig, data)
    elif data.kind == "bar":
        _draw_bar(fig, data)
    else:
        raise ValueError(f"chart {data.key}: unknown kind {data.kind!r} (bar | pie)")
    return fig


def _png(fig: Figure, dpi: int) -> bytes:
    """Rasterise with Agg and encode as RGB PNG: no alpha, no text chunks, no timestamp."""
    from PIL import Image

    fig.set_dpi(dpi)
    canvas = fig.canvas
    canvas.draw()
    width, height = canvas.get_width_height(physical=True)
    image = Image.frombuffer("RGBA", (width, height), canvas.buffer_rgba(), "raw", "RGBA", 0, 1)
    buf = io.BytesIO()
    image.convert("RGB").save(buf, format="PNG", dpi=(dpi, dpi), compress_level=PNG_COMPRESS_LEVEL)
    return buf.getvalue()


def _value_text(value: Decimal | None) -> str:
    return format_figure(value, WAN, _VALUE_STYLE)


def _draw_bar(fig: Figure, data: ChartData) -> None:
    from matplotlib.patches import Patch
    from matplotlib.ticker import ScalarFormatter

    named = len(data.series) > 1
    fig.subplots_adjust(left=0.11, right=0.97, bottom=0.11, top=0.84 if named else 0.9)
    ax = fig.add_subplot()
    _style_axes(ax)
    n = len(data.series)
    width = min(0.7 / max(n, 1), 0.32)
    known = [v for _, values in data.series for v in values if v is not None]
    top = max([*known, ZERO])
    bottom = min([*known, ZERO])
    label_size = _bar_label_size(data, width)
    handles = []
    for j, (name, values) in enumerate(data.series):
        face, edge, hatch = _BAR_STYLES[j % len(_BAR_STYLES)]
        offset = (j - (n - 1) / 2) * width
        for i, value in enumerate(values):
            x = i + offset
            if value is not None:
                ax.bar(
                    x, float(value), width, color=face, edgecolor=edge, hatch=hatch,
                    linewidth=0.6, zorder=2,
                )  # fmt: skip
            down = value is not None and value < 0
            ax.annotate(
                _value_text(value),
                (x, 0.0 if value is None else float(value)),
                xytext=(0, -3 if down else 3),
                textcoords="offset points",
                ha="center",
                va="top" if down else "bottom",
                fontsize=label_size,
            )
        handles.append(
            Patch(facecolor=face, edgecolor=edge, hatch=hatch, linewidth=0.6, label=name)
        )
    ax.set_xticks(range(len(data.categories)), list(data.categories))
    ax.tick_params(axis="x", length=0, pad=6)
    ax.set_xlim(-0.6, max(len(data.categories), 1) - 0.4)
    span = float(top - bottom) or 1.0
    ax.set_ylim(float(bottom) - (0.14 * span if bottom < 0 else 0), float(top) + 0.14 * span)
    formatter = ScalarFormatter(useOffset=False)
    formatter.set_scientific(False)
    ax.yaxis.set_major_formatter(formatter)
    ax.set_ylabel(UNIT_LABEL, rotation=0, loc="top", labelpad=4)
    ax.yaxis.set_label_coords(-0.02, 1.02)
    ax.yaxis.label.set_horizontalalignment("right")
    ax.yaxis.label.set_verticalalignment("bottom")
    if named:
        fig.legend(
            handles=handles,
            loc="upper center",
            bbox_to_anchor=(0.54, 0.99),
            ncols=len(handles),
            frameon=False,
            handlelength=1.6,
            handleheight=1.0,
            columnspacing=2.0,
        )
    if not data.categories:
        ax.text(0.5, 0.5, NO_DATA_TEXT, transform=ax.transAxes, ha="center", va="center")


def _bar_label_size(data: ChartData, width: float) -> float:
    """Font size at which the widest value label fits over its bar's slot."""
    texts = [_value_text(v) for _, values in data.series for v in values]
    longest = max((len(t) for t in texts), default=1)
    slot_in = FIG_SIZE_IN[0] * 0.86 * width / (max(len(data.categories), 1) + 0.2)
    # A digit of Noto Sans CJK is about 0.55 em wide.
    fitting = slot_in * 72 / (0.55 * longest)
    return max(MIN_FONT_SIZE, min(FONT_SIZE, fitting))


def _style_axes(ax: Axes) -> None:
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    for side in ("left", "bottom"):
        ax.spines[side].set_color(_AXIS)
        ax.spines[side].set_linewidth(0.8)
    ax.tick_params(axis="y", color=_AXIS, length=3, width=0.8)
    ax.grid(axis="y", color=_GRID, linewidth=0.6)
    ax.set_axisbelow(True)


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


def _draw_pie(fig: Figure, data: ChartData) -> None:
    from matplotlib.patches import Circle, Patch

    values = data.series[0][1] if data.series else ()
    amounts, shares = _pie_parts(values)
    ax = fig.add_axes((0.02, 0.06, 0.42, 0.88))
    ax.set_aspect("equal")
    ax.set_axis_off()

    drawn = [i for i, a in enumerate(amounts) if a > 0]
    styles: dict[int, tuple[str, str]] = {}
    for k, i in enumerate(drawn):
        colour = _PIE_COLOURS[k % len(_PIE_COLOURS)]
        hatch = _PIE_HATCHES[(k // len(_PIE_COLOURS)) % len(_PIE_HATCHES)]
        styles[i] = (colour, hatch)
    if drawn:
        wedges, _ = ax.pie(
            [float(amounts[i]) for i in drawn],
            colors=[styles[i][0] for i in drawn],
            hatch=[styles[i][1] for i in drawn],
            startangle=90,
            counterclock=False,
            radius=1.0,
            wedgeprops={"edgecolor": "white", "linewidth": 1.2},
        )
        for wedge, i in zip(wedges, drawn, strict=True):
            if shares[i] < _PIE_LABEL_MIN_SHARE:
                continue
            x, y = _wedge_label_point(wedge, single=len(drawn) == 1)
            ax.text(
                x, y, f"{shares[i]:.2f}%", ha="center", va="center",
                color=_contrast(styles[i][0]), fontsize=FONT_SIZE,
            )  # fmt: skip
    else:
        ax.add_patch(Circle((0, 0), 1.0, facecolor="#F2F2F2", edgecolor="#BFBFBF", linewidth=1.0))
        ax.text(0, 0, NO_DATA_TEXT, ha="center", va="center", color="#595959", fontsize=10)
    ax.set_xlim(-1.04, 1.04)  # after ax.pie, which sets its own limits
    ax.set_ylim(-1.04, 1.04)

    handles = []
    for i, name in enumerate(data.categories):
        colour, hatch = styles.get(i, ("white", ""))
        text = f"{name} {format_figure(amounts[i], WAN, _VALUE_STYLE)}万元 {_share_text(amounts[i], shares[i])}"
        edge = "white" if i in styles else "#A6A6A6"
        handles.append(
            Patch(facecolor=colour, edgecolor=edge, hatch=hatch, linewidth=0.8, label=text)
        )
    if handles:
        _fit_legend(fig, handles)


def _wedge_label_point(wedge: Any, *, single: bool) -> tuple[float, float]:
    if single:
        return 0.0, 0.0
    angle = math.radians((wedge.theta1 + wedge.theta2) / 2)
    return 0.64 * math.cos(angle), 0.64 * math.sin(angle)


def _contrast(colour: str) -> str:
    """White text on dark slices, dark text on light ones."""
    r, g, b = (int(colour[k : k + 2], 16) for k in (1, 3, 5))
    return "white" if 0.299 * r + 0.587 * g + 0.114 * b < 140 else _TEXT


def _fit_legend(fig: Figure, handles: list[Any]) -> None:
    """Legend right of the pie, shrinking its font until it fits the figure."""
    size = FONT_SIZE
    while True:
        legend = fig.legend(
            handles=handles,
            loc="center left",
            bbox_to_anchor=(0.47, 0.5),
            frameon=False,
            fontsize=size,
            handlelength=1.4,
            handleheight=1.0,
            labelspacing=0.7,
            borderaxespad=0,
        )
        box = legend.get_window_extent(fig.canvas.get_renderer())
        fits = box.x1 <= fig.bbox.x1 - 4 and box.y0 >= 2 and box.y1 <= fig.bbox.y1 - 2
        if fits or size <= MIN_FONT_SIZE:
            return
        legend.remove()
        size -= 0.5
