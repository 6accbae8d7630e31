"""Forked helper processes (the checker's reading ahead, the PDF writer's second half): a
helper has the kernel end it when its parent ends."""

from __future__ import annotations

import os
import signal


def die_with(parent: int) -> None:  # pragma: no cover - runs in a forked helper
    """Have the kernel kill this process when its parent ``parent`` ends
    (``PR_SET_PDEATHSIG``); end now if it has ended already."""
    import ctypes

    libc = ctypes.CDLL(None, use_errno=True)
    libc.prctl(1, signal.SIGKILL)  # 1 = PR_SET_PDEATHSIG
    if os.getppid() != parent:  # the parent ended before the line above
        os._exit(0)
