"""The one timing loop the bench scripts share."""

from __future__ import annotations

import resource
import time
from collections.abc import Callable


def cpu_seconds() -> float:
    """CPU seconds (user + system) of this process and of its children that ended and were
    waited for (the PDF writer's helper process)."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


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
    """(wall seconds, CPU seconds of the process and its helper processes) per call of ``fn``
    over ``runs`` calls, after one warm-up call. CPU time is what other processes on a shared
    machine disturb least."""
    fn()
    wall, cpu = [], []
    for _ in range(runs):
        t0, c0 = time.perf_counter(), cpu_seconds()
        fn()
        wall.append(time.perf_counter() - t0)
        cpu.append(cpu_seconds() - c0)
    return wall, cpu
