"""A fast subset of the workbook fuzzer (the full run: python tests/fuzz/fuzz_workbook.py)."""

from __future__ import annotations

import pytest
from fuzz_workbook import run

pytestmark = pytest.mark.slow


def test_fuzz_subset_never_tracebacks() -> None:
    counts = run(150, seed=1)
    assert sum(counts.values()) == 150
    assert counts["rejected"] > 0 and counts["ok"] > 0
