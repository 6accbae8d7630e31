"""Re-encode a PDF so that it looks the same but is written the way other producers write it.

The producer matrix of the checker's tests (tests/check/test_producer_matrix.py) builds the
bundled samples as PDF with WeasyPrint and derives these variants with pikepdf:

- ``matrix``: the font size moved into the text matrix (``Tf`` size ×20, every ``Tm`` ÷20), as
  WPS writes text (a nominal size of hundreds of points scaled down by the matrix);
- ``glyphs``: every glyph in a text object (``BT … ET``) of its own, placed by its own ``Tm``;
- ``shuffled``: ``glyphs`` with the text objects of each original block in a random (seeded)
  order, so that the content-stream order says nothing about the reading order;
- ``norules``: every path (the tables' ruling lines and boxes) removed;
- ``turned``: every landscape page set on portrait paper, its content turned a quarter turn
  (alternately counter-clockwise and clockwise) by a ``cm`` in the content stream, as some
  producers print wide tables.

Only what the WeasyPrint writer uses is handled (``Tm``, ``Tf``, ``TJ``/``Tj``; no ``Tc``/``Tw``/
``Tz``/``TL``/``Td`` in its text objects): this is a test tool for our own documents, not a
general PDF rewriter. The glyph advance comes from the font widths read by
:mod:`pdf_edit` (``_Font``).
"""

from __future__ import annotations

import random
from collections.abc import Callable
from pathlib import Path

import pikepdf
from pdf_edit import _Font

SCALE = 20.0
PATH_OPS = {
    "m",
    "l",
    "c",
    "v",
    "y",
    "h",
    "re",
    "S",
    "s",
    "f",
    "F",
    "f*",
    "B",
    "B*",
    "b",
    "b*",
    "n",
    "W",
    "W*",
}


def _op(name: str, *operands) -> tuple[list, pikepdf.Operator]:
    return (list(operands), pikepdf.Operator(name))


def _fonts(page: pikepdf.Page) -> dict[str, _Font]:
    res = page.obj.get("/Resources", {})
    return {str(k): _Font(v) for k, v in res.get("/Font", {}).items()}


def _matrix(ops: list, page: pikepdf.Page) -> list:
    out = []
    for operands, op in ops:
        name = str(op)
        if name == "Tf":
            operands = [operands[0], float(operands[1]) * SCALE]
        elif name == "Tm":
            vals = [float(v) for v in operands]
            operands = [*(v / SCALE for v in vals[:4]), vals[4], vals[5]]
        out.append((operands, op))
        if name == "BT":  # text matrix reset to identity: identity ÷ SCALE
            out.append(_op("Tm", 1 / SCALE, 0, 0, 1 / SCALE, 0, 0))
    return out


def _glyph_objects(ops: list, page: pikepdf.Page, rng: random.Random | None) -> list:
    fonts = _fonts(page)
    out: list = []
    block: list[list] | None = None
    font, size = None, 0.0
    tm = [1.0, 0.0, 0.0, 1.0, 0.0, 0.0]
    for operands, op in ops:
        name = str(op)
        if name == "BT":
            block = []
            tm = [1.0, 0.0, 0.0, 1.0, 0.0, 0.0]
            continue
        if name == "ET" and block is not None:
            if rng is not None:
                rng.shuffle(block)
            for obj in block:
                out.extend(obj)
            block = None
            continue
        if block is None:
            out.append((operands, op))
            continue
        if name == "Tf":
            font, size = str(operands[0]), float(operands[1])
        elif name == "Tm":
            tm = [float(v) for v in operands]
        elif name in ("TJ", "Tj"):
            items = list(operands[0]) if name == "TJ" else [operands[0]]
            f = fonts[font]
            tx = 0.0
            for item in items:
                if isinstance(item, pikepdf.String):
                    for code in f.split(bytes(item)):
                        a, b, c, d, e, g = tm
                        block.append(
                            [
                                _op("BT"),
                                _op("Tf", pikepdf.Name(font), size),
                                _op("Tm", a, b, c, d, e + a * tx, g + b * tx),
                                _op("Tj", pikepdf.String(code)),
                                _op("ET"),
                            ]
                        )
                        tx += f.width(code) / 1000 * size
                else:
                    tx -= float(item) / 1000 * size
        else:
            raise ValueError(f"unsupported operator in a text object: {name}")
    return out


def _norules(ops: list, page: pikepdf.Page) -> list:
    return [(operands, op) for operands, op in ops if str(op) not in PATH_OPS]


def _turned(ops: list, page: pikepdf.Page) -> list:
    x0, y0, x1, y1 = (float(v) for v in page.obj.MediaBox)
    w, h = x1 - x0, y1 - y0
    if w <= h:
        return ops
    for box in ("/CropBox", "/TrimBox", "/BleedBox", "/ArtBox"):
        if box in page.obj:
            del page.obj[box]
    page.obj.MediaBox = [0, 0, h, w]
    if page.obj.objgen[0] % 2:  # counter-clockwise: (x, y) → (h − y, x)
        turn = _op("cm", 0, 1, -1, 0, h, 0)
    else:  # clockwise: (x, y) → (y, w − x)
        turn = _op("cm", 0, -1, 1, 0, 0, w)
    return [_op("q"), turn, *ops, _op("Q")]


VARIANTS: dict[str, Callable[[list, pikepdf.Page], list]] = {
    "matrix": _matrix,
    "glyphs": lambda ops, page: _glyph_objects(ops, page, None),
    "shuffled": lambda ops, page: _glyph_objects(ops, page, random.Random(13)),
    "norules": _norules,
    "turned": _turned,
}


def reencode(src: Path, dst: Path, variant: str) -> Path:
    """Write ``src`` re-encoded as ``variant`` (see the module docstring) to ``dst``."""
    transform = VARIANTS[variant]
    with pikepdf.open(src) as pdf:
        for page in pdf.pages:
            ops = pikepdf.parse_content_stream(page)
            page.obj.Contents = pdf.make_stream(
                pikepdf.unparse_content_stream(transform(ops, page))
            )
        pdf.save(dst)
    return dst
