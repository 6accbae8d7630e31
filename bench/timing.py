"""The one timing loop the bench scripts share."""

from __future__ import annotations

import time
from collections.abc import Callable


def timed(fn: Callable[[], object], runs: int) -> list[float]:
    """Seconds per call of ``fn`` over ``runs`` calls, after one warm-up call (imports, caches)."""
    fn()
    out = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        out.append(time.perf_counter() - t0)
    return out


def timed_cpu(fn: Callable[[], object], runs: int) -> tuple[list[float], list[float]]:
    """(wall seconds, process CPU seconds) per call of ``fn`` over ``runs`` calls, after one
    warm-up call. CPU time is what other processes on a shared machine disturb least."""
    fn()
    wall, cpu = [], []
    for _ in range(runs):
        t0, c0 = time.perf_counter(), time.process_time()
        fn()
        wall.append(time.perf_counter() - t0)
        cpu.append(time.process_time() - c0)
    return wall, cpu
