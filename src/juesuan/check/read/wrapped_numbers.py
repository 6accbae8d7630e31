"""Amounts wrapped inside a narrow table cell, joined again.

A word processor wraps a long amount in a narrow column (“2,538,70” above “0.00”, or
“223,200.” above “00”). Read as two words, the first is no amount at all and the second is a
wrong one (0.00), and the table's row is misread. Two stacked fragments are one amount when
they lie in the same column (their x ranges overlap), the lower starts within half a line
under the upper, one of them is not an amount on its own and together they are one.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right

from juesuan.check.read.source import AMOUNT, Word

FRAGMENT = re.compile(r"^-?[\d,.]*\d[\d,.]*$")
MAX_BROKEN = 300  # more pieces on one page than a table wraps: left as they are (bounded work)


def _stacked(upper: Word, lower: Word) -> bool:
    height = min(upper.bottom - upper.top, lower.bottom - lower.top) or 1.0
    gap = lower.top - upper.bottom
    overlap = min(upper.x1, lower.x1) - max(upper.x0, lower.x0)
    return -0.3 * height <= gap <= 0.5 * height and overlap > 0


def join_wrapped_numbers(words: list[Word]) -> list[Word]:
    """``words`` with each amount wrapped over two lines of a cell as one word (spanning
    both lines); every other word as it was."""
    parts = [w for w in words if w.text[-1:].isdigit() or w.text[-1:] in ".,"]
    parts = [w for w in parts if FRAGMENT.match(w.text)]
    # a piece of a wrapped amount has a separator or a point in it (“2,538,70”, “223,200.”);
    # whole numbers without one (codes, counts) are no such piece
    broken = [w for w in parts if ("," in w.text or "." in w.text) and not AMOUNT.match(w.text)]
    if not broken or len(broken) > MAX_BROKEN:
        return words
    # the candidates of a piece lie within a line above or below it: found by bisection on the
    # pieces' tops, so that a page of many pieces costs n log n, not n²
    parts.sort(key=lambda w: w.top)
    tops = [w.top for w in parts]
    gone: set[int] = set()
    joined: dict[int, Word] = {}
    for w in broken:
        if id(w) in gone:
            continue
        height = w.bottom - w.top or 1.0
        lo = bisect_left(tops, w.top - 2 * height)
        hi = bisect_right(tops, w.bottom + 0.5 * height)
        for other in parts[lo:hi]:
            if other is w or id(other) in gone:
                continue
            if _stacked(w, other):
                upper, lower = w, other
            elif _stacked(other, w):
                upper, lower = other, w
            else:
                continue
            text = upper.text + lower.text
            if not AMOUNT.match(text):
                continue
            word = Word(
                text, min(upper.x0, lower.x0), max(upper.x1, lower.x1), upper.top, lower.bottom
            )
            gone.update((id(upper), id(lower)))
            joined[id(upper)] = word
            break
    if not joined:
        return words
    out = []
    for w in words:
        if id(w) in joined:
            out.append(joined[id(w)])
        elif id(w) not in gone:
            out.append(w)
    return out
