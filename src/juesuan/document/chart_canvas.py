"""A small vector canvas for the charts, rasterised with Pillow.

A :class:`Canvas` records shapes (rectangles, wedges, circles, lines) and texts in pixels of
the final image (floats, y down); :meth:`Canvas.png` draws the shapes at
:data:`SUPERSAMPLE` times the size and reduces the image (a box filter: each pixel gets the
share of it a shape covers), then sets the texts at the final size, anti-aliased by FreeType,
so that they stay crisp. Hatches (``/``, ``\\``, ``x``, ``.`` as in matplotlib, repeated for
density) are drawn as lines or dots clipped to their shape, anchored to the image, so series
stay distinct in grayscale print. The recorded items are kept for tests to inspect.

Text uses the Noto Sans CJK SC face of the ``noto_cjk_sans_otc`` collection (SIL OFL 1.1),
chosen by its family name.
"""

from __future__ import annotations

import math
import struct
import zlib
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import noto_cjk_sans_otc
from PIL import Image, ImageChops, ImageDraw, ImageFont

CJK_FONT: Path = Path(str(noto_cjk_sans_otc.FONT_PATH))
# The collection holds JP/KR/SC/TC/HK faces; the SC face has the mainland glyph forms.
CJK_FAMILY = "Noto Sans CJK SC"

SUPERSAMPLE = 3
PNG_COMPRESS_LEVEL = 1  # fast zlib: ~3x quicker encoding for ~20% larger files
HATCH_WIDTH_PT = 0.6
_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
_HATCH_LINES_PER_INCH = 3  # per hatch character: "////" is 12 lines an inch, ".." 6 rows
# The ideographic em box of Noto Sans CJK runs from 0.12 em below the baseline to 0.88 above.
_EM_BOX_MIDDLE = 0.38


@cache
def _sc_index() -> int:
    """Index of the SC face in the collection, found by its family name."""
    if not CJK_FONT.is_file():  # pragma: no cover - broken installation
        raise FileNotFoundError(f"图表字体缺失：{CJK_FONT}（请安装 noto-cjk-sans-otc）")
    with CJK_FONT.open("rb") as f:
        head = f.read(12)
    count = struct.unpack(">I", head[8:12])[0] if head[:4] == b"ttcf" else 1
    for index in range(count):
        if ImageFont.truetype(str(CJK_FONT), 10, index=index).getname()[0] == CJK_FAMILY:
            return index
    raise LookupError(f"{CJK_FONT} has no face {CJK_FAMILY!r}")  # pragma: no cover


@cache
def font(size_px: float) -> ImageFont.FreeTypeFont:
    """The chart face at ``size_px`` pixels per em (basic layout: the same on every machine)."""
    return ImageFont.truetype(
        str(CJK_FONT), size_px, index=_sc_index(), layout_engine=ImageFont.Layout.BASIC
    )


@dataclass(frozen=True)
class Text:
    x: float
    y: float
    text: str
    size: float  # px per em
    colour: str
    anchor: str  # Pillow text anchor, e.g. "md" = centred over its bottom
    tag: str

    def box(self) -> tuple[float, float, float, float]:
        """The ink's bounding box on the image."""
        x0, y0, x1, y1 = font(self.size).getbbox(self.text, anchor=self.anchor)
        return (x0 + self.x, y0 + self.y, x1 + self.x, y1 + self.y)


@dataclass(frozen=True)
class Shape:
    kind: str  # rect | wedge | circle | line
    points: tuple[float, ...]  # rect: x0 y0 x1 y1; wedge: cx cy r start end; circle: cx cy r
    fill: str | None
    edge: str | None = None
    edge_width: float = 0.0  # px, centred on the outline (line: its width)
    hatch: str = ""
    hatch_colour: str = ""
    tag: str = ""


class Canvas:
    """Shapes and texts of one image, in the order they are painted (texts last)."""

    def __init__(self, width: int, height: int, dpi: int) -> None:
        self.width, self.height, self.dpi = width, height, dpi
        self.shapes: list[Shape] = []
        self.texts: list[Text] = []

    def pt(self, points: float) -> float:
        """Points in pixels."""
        return points * self.dpi / 72

    def add(self, shape: Shape) -> None:
        self.shapes.append(shape)

    def line(self, points: tuple[float, ...], colour: str, width_pt: float, tag: str = "") -> None:
        self.shapes.append(Shape("line", points, None, colour, self.pt(width_pt), tag=tag))

    def text(
        self, x: float, y: float, text: str, size_pt: float, colour: str, align: str, tag: str
    ) -> Text:
        """Set ``text`` at (x, y); ``align`` is horizontal (l, m, r) then vertical: b puts the
        baseline at y, or the ink's bottom if it reaches below (as matplotlib's "bottom"), t
        the top of the ink, c the middle of the ideographic em box (the same for every line,
        so rows and numbers line up)."""
        size = self.pt(size_pt)
        anchor = align[0] + "s"
        if align[1] == "c":
            baseline = y + _EM_BOX_MIDDLE * size
        else:
            _, top, _, bottom = font(size).getbbox(text, anchor=anchor)
            baseline = y - top if align[1] == "t" else y - max(bottom, 0)
        item = Text(x, baseline, text, size, colour, anchor, tag)
        self.texts.append(item)
        return item

    def text_width(self, text: str, size_pt: float) -> float:
        return font(self.pt(size_pt)).getlength(text)

    def tagged(self, tag: str) -> list[str]:
        return [t.text for t in self.texts if t.tag == tag]

    def image(self) -> Image.Image:
        s = SUPERSAMPLE
        big = Image.new("RGB", (self.width * s, self.height * s), "white")
        draw = ImageDraw.Draw(big)
        cell = self.dpi * s / _HATCH_LINES_PER_INCH
        for shape in self.shapes:
            _paint(big, draw, shape, s, cell, self.pt(HATCH_WIDTH_PT) * s)
        image = big.reduce(s)
        draw = ImageDraw.Draw(image)
        for t in self.texts:
            draw.text((t.x, t.y), t.text, fill=t.colour, font=font(t.size), anchor=t.anchor)
        return image

    def png(self) -> bytes:
        return png_bytes(self.image(), self.dpi)


def png_bytes(image: Image.Image, dpi: int) -> bytes:
    """``image`` as an 8-bit RGB PNG with its resolution and nothing else (no alpha, no text,
    no time). Rows are stored unfiltered: for these flat-coloured pictures that deflates
    about as small as Pillow's adaptive filters and four times faster."""
    width, height = image.size
    raw = image.convert("RGB").tobytes()
    stride = 3 * width
    rows = b"".join(b"\0" + raw[i : i + stride] for i in range(0, len(raw), stride))
    per_metre = round(dpi / 0.0254)
    return b"".join(
        (
            _PNG_SIGNATURE,
            _chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)),
            _chunk(b"pHYs", struct.pack(">IIB", per_metre, per_metre, 1)),
            _chunk(b"IDAT", zlib.compress(rows, PNG_COMPRESS_LEVEL)),
            _chunk(b"IEND", b""),
        )
    )


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def _paint(
    big: Image.Image, draw: ImageDraw.ImageDraw, shape: Shape, s: int, cell: float, hatch_w: float
) -> None:
    p = [v * s for v in shape.points]
    half = shape.edge_width * s / 2
    if shape.kind == "line":
        draw.line(p, fill=shape.edge, width=max(1, round(shape.edge_width * s)))
        return
    if shape.kind == "wedge":
        cx, cy, r = p[0], p[1], p[2]
        box = (cx - r, cy - r, cx + r, cy + r)
        draw.pieslice(box, shape.points[3], shape.points[4], fill=shape.fill)
        if shape.hatch:
            _hatch(big, box, shape.points[3:], shape.hatch, shape.hatch_colour, cell, hatch_w)
        return
    if shape.kind == "rect":
        x0, y0, x1, y1 = min(p[0], p[2]), min(p[1], p[3]), max(p[0], p[2]), max(p[1], p[3])
        outline, inside = draw.rectangle, (x0 + half, y0 + half, x1 - half, y1 - half)
    else:  # circle
        x0, y0, x1, y1 = p[0] - p[2], p[1] - p[2], p[0] + p[2], p[1] + p[2]
        outline, inside = draw.ellipse, (x0 + half, y0 + half, x1 - half, y1 - half)
    outer = (x0 - half, y0 - half, x1 + half, y1 + half)
    if shape.fill is None:  # a ring
        outline(outer, outline=shape.edge, width=max(1, round(2 * half)))
        return
    if shape.edge and half:
        outline(outer, fill=shape.edge)
    if inside[2] > inside[0] and inside[3] > inside[1]:
        outline(inside, fill=shape.fill)
        if shape.hatch:
            _hatch(big, inside, None, shape.hatch, shape.hatch_colour, cell, hatch_w)


def _hatch(
    big: Image.Image,
    box: tuple[float, float, float, float],
    wedge: tuple[float, ...] | None,
    pattern: str,
    colour: str,
    cell: float,
    width: float,
) -> None:
    """Paint ``pattern`` in ``colour`` inside ``box`` (or inside the pie slice inscribed in
    ``box`` between the ``wedge`` angles)."""
    x0, y0 = math.floor(box[0]), math.floor(box[1])
    x1, y1 = math.ceil(box[2]), math.ceil(box[3])
    x0, y0, x1, y1 = max(x0, 0), max(y0, 0), min(x1, big.width), min(y1, big.height)
    if x1 <= x0 or y1 <= y0:
        return
    w, h = x1 - x0, y1 - y0
    layer = Image.new("L", (w, h), 0)
    draw = ImageDraw.Draw(layer)
    lw = max(1, round(width))
    for mark, step in _marks(pattern, cell):
        if mark == "/":  # x + y = k * step
            for k in range(math.floor((x0 + y0) / step), math.ceil((x1 + y1) / step) + 1):
                c = k * step - x0 - y0
                draw.line((c + 1, -1, c - h - 1, h + 1), fill=255, width=lw)
        elif mark == "\\":  # x - y = k * step
            for k in range(math.floor((x0 - y1) / step), math.ceil((x1 - y0) / step) + 1):
                c = k * step - x0 + y0
                draw.line((c - 1, -1, c + h + 1, h + 1), fill=255, width=lw)
        else:  # dots on staggered rows, twice as dense as lines
            step /= 2
            r = 0.1 * step + width / 2
            for row in range(math.floor(y0 / step), math.ceil(y1 / step) + 1):
                y = row * step - y0
                shift = step / 2 if row % 2 else 0.0
                for col in range(math.floor(x0 / step) - 1, math.ceil(x1 / step) + 1):
                    x = col * step + shift - x0
                    draw.ellipse((x - r, y - r, x + r, y + r), fill=255)
    if wedge is not None:
        clip = Image.new("L", (w, h), 0)
        inscribed = (box[0] - x0, box[1] - y0, box[2] - x0, box[3] - y0)
        ImageDraw.Draw(clip).pieslice(inscribed, wedge[0], wedge[1], fill=255)
        layer = ImageChops.multiply(layer, clip)
    big.paste(colour, (x0, y0, x1, y1), layer)


def _marks(pattern: str, cell: float) -> list[tuple[str, float]]:
    """(mark, spacing) pairs of a matplotlib-style hatch string."""
    out = []
    for mark, names in (("/", "/x"), ("\\", "\\x"), (".", ".")):
        n = sum(pattern.count(c) for c in names)
        if n:
            out.append((mark, cell / n))
    return out
