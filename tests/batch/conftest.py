"""Synthetic departments shared by the batch tests (generated once per session)."""

from __future__ import annotations

from pathlib import Path

import pytest

from juesuan.synth import SynthOptions, write_synth


@pytest.fixture(scope="session")
def synth_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Six synthetic departments, two with planted errors (an inconsistent total, a change
    without a reason)."""
    out = tmp_path_factory.mktemp("synth")
    list(write_synth(SynthOptions(count=6, seed=7, errors=2), out))
    return out
