"""Visual regression: the first page of each part and of each kind of table of the built
seed PDF, rendered with pypdfium2, compared with reviewed reference images within a
tolerance (anti-aliasing may differ by a few levels; a moved line or another face does not
pass).

After an intended change of the look, regenerate the references and LOOK at them:
    JUESUAN_UPDATE_VISUAL=1 python -m pytest tests/document/test_visual.py
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pypdfium2 as pdfium
import pytest
from PIL import Image, ImageChops

REFERENCE = Path(__file__).parent / "visual"
SCALE = 0.5  # 36 dpi: ~298 x 421 px, enough to see faces, sizes and layout
MAX_MEAN_DIFF = 1.5  # mean absolute grey-level difference (0-255)
MAX_CHANGED = 0.004  # share of pixels differing by more than CHANGED_LEVEL
CHANGED_LEVEL = 64

# name -> how to find the page: the first page whose first text line matches.
PAGES = {
    "cover": r"^中共遂宁市安居区委目标绩效管理办公室$",
    "contents": r"^目\s*录$",
    "part1": r"^第一部分",
    "part2-charts": r"^第二部分",
    "part3-glossary": r"^第三部分",
    "part4-evaluation": r"^第四部分",
    "performance-department-table": r"^附表1",
    "performance-project-table": r"^附表2",
    "part5-summary-table": r"^第五部分",
    "landscape-table": r"^表2\u3000",
    "portrait-table": r"^表6\u3000",
    "empty-table": r"^表10\u3000",
}


def _first_lines(pdf: pdfium.PdfDocument) -> list[str]:
    out = []
    for i in range(len(pdf)):
        text = pdf[i].get_textpage().get_text_range()
        lines = [ln.strip() for ln in text.splitlines() if ln.strip()]
        out.append(lines[0] if lines else "")
    return out


@pytest.fixture(scope="module")
def rendered(seed_pdf) -> dict[str, Image.Image]:
    pdf = pdfium.PdfDocument(seed_pdf)
    try:
        firsts = _first_lines(pdf)
        images = {}
        for name, pattern in PAGES.items():
            index = next((i for i, ln in enumerate(firsts) if re.search(pattern, ln)), None)
            assert index is not None, f"no page for {name} ({pattern})"
            images[name] = pdf[index].render(scale=SCALE, grayscale=True).to_pil().convert("L")
        return images
    finally:
        pdf.close()


@pytest.mark.parametrize("name", list(PAGES))
def test_page_looks_like_the_reference(rendered, name):
    image = rendered[name]
    path = REFERENCE / f"{name}.png"
    if os.environ.get("JUESUAN_UPDATE_VISUAL") == "1":
        REFERENCE.mkdir(exist_ok=True)
        image.save(path, optimize=True)
        pytest.skip(f"reference written: {path.name} (look at it before committing)")
    assert path.is_file(), f"no reference image {path.name}; see the module docstring"
    reference = Image.open(path).convert("L")
    assert image.size == reference.size, f"{name}: page size {image.size} != {reference.size}"
    diff = ImageChops.difference(image, reference)
    histogram = diff.histogram()
    pixels = image.size[0] * image.size[1]
    mean = sum(level * n for level, n in enumerate(histogram)) / pixels
    changed = sum(histogram[CHANGED_LEVEL:]) / pixels
    assert mean <= MAX_MEAN_DIFF and changed <= MAX_CHANGED, (
        f"{name}: mean difference {mean:.2f}, {changed:.2%} of pixels changed — compare with {path}"
    )
