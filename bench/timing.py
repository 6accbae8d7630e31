"""The one timing loop the bench scripts share."""

from __future__ import annotations

import resource
import time
from collections.abc import Callable


def cpu_seconds(who: int = resource.RUSAGE_SELF) -> float:
    """CPU seconds (user + system) of this process, or of its children that ended and were
    waited for (``RUSAGE_CHILDREN``: the PDF writer's helper process)."""
    usage = resource.getrusage(who)
    return usage.ru_utime + usage.ru_stime


def timed(fn: Callable[[], object], runs: int) -> list[float]:
    """Seconds per call of ``fn`` over ``runs`` calls, after one warm-up call (imports, caches)."""
    fn()
    out = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        out.append(time.perf_counter() - t0)
    return out


def timed_cpu(
    fn: Callable[[], object], runs: int, helpers: list[float] | None = None
) -> tuple[list[float], list[float]]:
    """(wall seconds, CPU seconds of the process and its helper processes) per call of ``fn``
    over ``runs`` calls, after one warm-up call; the helpers' share is appended to ``helpers``
    if given. CPU time is what other processes on a shared machine disturb least."""
    fn()
    wall, cpu = [], []
    for _ in range(runs):
        t0, c0 = time.perf_counter(), cpu_seconds()
        h0 = cpu_seconds(resource.RUSAGE_CHILDREN)
        fn()
        wall.append(time.perf_counter() - t0)
        helper = cpu_seconds(resource.RUSAGE_CHILDREN) - h0
        cpu.append(cpu_seconds() - c0 + helper)
        if helpers is not None:
            helpers.append(helper)
    return wall, cpu
