"""Pages whose text runs sideways or upside down: read in the text's own frame.

A producer may set a landscape table on a portrait page by turning its content a quarter
turn (a rotation in the content stream, not the page's /Rotate), or print a page upside
down. Banding such characters into lines by their page y would read every column as a
"line". The turn is read off the characters' matrices (which include the page's current
transformation); the page's characters and ruling lines are then turned back, so that the
rest of the reader sees upright text.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable

SAMPLES = 16  # characters whose matrix decides a page's turn

Point = Callable[[float, float], tuple[float, float]]


def page_turn(handle, count: int) -> int:  # type: ignore[no-untyped-def]
    """The quarter turn (0, 90, 180 or 270 degrees, counter-clockwise) of most of the page's
    text, from the matrices of up to :data:`SAMPLES` characters spread over the page."""
    import ctypes

    import pypdfium2.raw as raw

    if count <= 0:
        return 0
    matrix = raw.FS_MATRIX()
    ref = ctypes.byref(matrix)
    votes: Counter[int] = Counter()
    step = max(1, count // SAMPLES)
    for i in range(0, count, step):
        if raw.FPDFText_IsGenerated(handle, i) == 1 or not raw.FPDFText_GetMatrix(handle, i, ref):
            continue
        if matrix.a == 0 and matrix.b == 0:
            continue
        votes[round(math.degrees(math.atan2(matrix.b, matrix.a)) / 90) % 4 * 90] += 1
    return votes.most_common(1)[0][0] if votes else 0


def upright(turn: int, width: float, height: float) -> tuple[Point, float]:
    """The map from page space (y up) to the upright text's space (y up), and the upright
    page's height."""
    if turn == 90:  # reading upwards
        return (lambda x, y: (y, width - x)), width
    if turn == 180:
        return (lambda x, y: (width - x, height - y)), height
    if turn == 270:  # reading downwards
        return (lambda x, y: (height - y, x)), width
    return (lambda x, y: (x, y)), height


def turned_chars(handle, count: int, text: str, turn: int, width: float, height: float):  # type: ignore[no-untyped-def]
    """The page's characters as (char, left, right, baseline from the top, size) in the
    upright frame (see :func:`juesuan.check.read.reader.words_from_chars`)."""
    import ctypes

    import pypdfium2.raw as raw

    to_up, up_height = upright(turn, width, height)
    left, bottom, right, top = (ctypes.c_double() for _ in range(4))
    ox, oy = ctypes.c_double(), ctypes.c_double()
    matrix = raw.FS_MATRIX()
    chars = []
    for i in range(count):
        ch = text[i] if i < len(text) else ""
        if not ch.strip() and raw.FPDFText_IsGenerated(handle, i) == 1:
            continue
        raw.FPDFText_GetCharBox(handle, i, *(ctypes.byref(v) for v in (left, right, bottom, top)))
        raw.FPDFText_GetCharOrigin(handle, i, ctypes.byref(ox), ctypes.byref(oy))
        size = raw.FPDFText_GetFontSize(handle, i) or 10.0
        if raw.FPDFText_GetMatrix(handle, i, ctypes.byref(matrix)):
            scale = math.hypot(matrix.c, matrix.d)
            if scale > 0:
                size *= scale
        (x0, _), (x1, _) = to_up(left.value, bottom.value), to_up(right.value, top.value)
        _, base = to_up(ox.value, oy.value)
        chars.append((ch, min(x0, x1), max(x0, x1), up_height - base, size))
    return chars


def turned_rules(
    rules: list[tuple[float, float, float, float]], turn: int, width: float, height: float
) -> list[tuple[float, float, float, float]]:
    """Ruling lines (x0, top, x1, bottom; y down) turned into the upright frame."""
    to_up, up_height = upright(turn, width, height)
    out = []
    for x0, t, x1, b in rules:
        (ax, ay), (bx, by) = to_up(x0, height - b), to_up(x1, height - t)
        out.append((min(ax, bx), up_height - max(ay, by), max(ax, bx), up_height - min(ay, by)))
    return out
