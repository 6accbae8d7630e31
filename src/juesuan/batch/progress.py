"""A one-line progress bar on a terminal (items done/failed and rate); silent otherwise."""

from __future__ import annotations

import time
from typing import TextIO


class Progress:
    def __init__(self, total: int, stream: TextIO, enabled: bool | None = None) -> None:
        self.total = total
        self.stream = stream
        self.enabled = stream.isatty() if enabled is None else enabled
        self.done = 0
        self.failed = 0
        self.started = time.perf_counter()
        self._shown = 0.0

    def advance(self, done: int, failed: int) -> None:
        self.done += done
        self.failed += failed
        now = time.perf_counter()
        if self.enabled and (now - self._shown > 0.2 or self.done >= self.total):
            self._shown = now
            self._draw(now)

    def _draw(self, now: float) -> None:
        width = 30
        frac = self.done / self.total if self.total else 1.0
        bar = "█" * int(frac * width) + "·" * (width - int(frac * width))
        rate = self.done / max(now - self.started, 1e-9)
        self.stream.write(
            f"\r[{bar}] {self.done}/{self.total} 失败 {self.failed}  {rate:.1f} 项/秒 "
        )
        self.stream.flush()

    def close(self) -> None:
        if self.enabled:
            self._draw(time.perf_counter())
            self.stream.write("\n")
            self.stream.flush()
