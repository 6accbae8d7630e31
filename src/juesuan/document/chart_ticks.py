"""Value-axis ticks of the bar charts: "nice" steps, plain labels, all in ``Decimal``.

Like matplotlib's default locator (``MaxNLocator`` with steps 1, 2, 2.5, 5, 10): the smallest
step of the form {1, 2, 2.5, 5} x 10^k that splits the range into at most ``bins`` parts, and
every multiple of it inside the range. Labels are plain numbers (no scientific notation, no
offset) with as many decimals as the finest tick needs, the same for all.
"""

from __future__ import annotations

from decimal import ROUND_CEILING, Decimal

# At most 9 intervals: matplotlib's cap for an axis with room for more (ours have ~10).
BINS = 9
_STEPS = (Decimal(1), Decimal(2), Decimal("2.5"), Decimal(5), Decimal(10))


def nice_step(low: Decimal, high: Decimal, bins: int = BINS) -> Decimal:
    raw = (high - low) / bins
    if raw <= 0:
        raise ValueError(f"empty axis range {low}..{high}")
    scale = Decimal(1).scaleb(raw.adjusted())  # 10^k <= raw < 10^(k+1)
    return next(step * scale for step in _STEPS if step * scale >= raw)


def nice_ticks(low: Decimal, high: Decimal, bins: int = BINS) -> list[Decimal]:
    """Every multiple of the nice step from ``low`` to ``high`` (both included)."""
    step = nice_step(low, high, bins)
    first = (low / step).to_integral_value(ROUND_CEILING)
    ticks = []
    k = first
    while k * step <= high:
        tick = k * step
        ticks.append(tick if tick else Decimal(0))  # no "-0"
        k += 1
    return ticks


def tick_labels(ticks: list[Decimal]) -> list[str]:
    """Plain labels with the decimals of the finest tick: 0.0, 2.5, 5.0."""
    places = max((max(0, -t.normalize().as_tuple().exponent) for t in ticks), default=0)
    return [f"{t:.{places}f}" for t in ticks]
