"""Built PDFs of the two samples, shared by the layout and visual tests (built once)."""

from __future__ import annotations

import pytest

from juesuan.pipeline import chart_images, narrative, render, sample_path, validate


def build_pdf(sample: str) -> bytes:
    analysis, _ = validate(sample_path(sample))
    doc = narrative(analysis)
    return render(analysis, "pdf", doc, chart_images(analysis, doc))


@pytest.fixture(scope="session")
def seed_pdf() -> bytes:
    return build_pdf("seed")


@pytest.fixture(scope="session")
def putuo_pdf() -> bytes:
    return build_pdf("putuo")
