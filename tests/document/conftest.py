"""Built PDFs of the two samples, shared by the layout and visual tests (built once)."""

from __future__ import annotations

import pytest
from pdf_pages import build_pdf


@pytest.fixture(scope="session")
def seed_pdf() -> bytes:
    return build_pdf("seed")


@pytest.fixture(scope="session")
def putuo_pdf() -> bytes:
    return build_pdf("putuo")
