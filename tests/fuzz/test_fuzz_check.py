"""A fast subset of the checker fuzzer (the full run: python tests/fuzz/fuzz_check.py)."""

from __future__ import annotations

import pytest
from fuzz_check import run

pytestmark = pytest.mark.slow


def test_fuzz_subset_never_raises() -> None:
    counts = run(40, seed=1)
    assert sum(counts.values()) == 40
    assert counts["checked"] > 0
