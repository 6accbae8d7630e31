"""A few examples of bench/fuzz_untrusted.py's strategies in the normal run (the full
10,000-case run per target is the benchmark script)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))
from fuzz_untrusted import TARGETS


@pytest.mark.parametrize("target", sorted(TARGETS))
def test_fuzz_target_never_raises(target: str) -> None:
    count, errors = TARGETS[target](25)
    assert count == 25
    assert errors == []
