"""The cache of laid-out PDFs: a PDF is a pure function of the print HTML, the chart images,
the bundled faces and the code and libraries that lay it out, so a second build of an
unchanged dataset takes the PDF — with the page numbers of its headings and the tables set
tighter, which the DOCX's contents and tables follow — from the cache instead of laying it
out again. Stored by :mod:`juesuan.document.disk_cache` under ``pdf``.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from functools import cache
from pathlib import Path

from juesuan.document import disk_cache
from juesuan.document.fonts import FACES

_KIND = "pdf"
_MAX_FILES = 32
_SUFFIX = ".pdfcache"


@cache
def _code_version() -> str:
    """The layout code, the bundled faces and the libraries that shape the PDF's bytes."""
    here = Path(__file__).resolve().parent
    code = [
        here / n
        for n in (
            "pdf.py",
            "pdf_fonts.py",
            "pdf_images.py",
            "pdf_split.py",
            "pdf_join.py",
            "fonts.py",
        )
    ]
    faces = [path for family in FACES.values() for path, _weight in family]
    return disk_cache.versions_digest(
        code + faces,
        (
            "weasyprint",
            "pydyf",
            "fonttools",
            "pillow",
            "tinycss2",
            "tinyhtml5",
            "cssselect2",
            "pikepdf",
        ),
    )


def key(html: str, images: Mapping[str, bytes], variant: str = "") -> str:
    """The cache key of a PDF of ``html`` with ``images``, laid out as ``variant`` says."""
    h = hashlib.sha256(_code_version().encode())
    h.update(variant.encode() + b"\0")
    h.update(html.encode("utf-8"))
    for name in sorted(images):
        h.update(name.encode() + b"\0" + hashlib.sha256(images[name]).digest())
    return h.hexdigest()


def get(k: str) -> tuple[bytes, dict[int, int], dict[str, int]] | None:
    """(PDF, heading block index -> page number, table key -> tightness) or None."""
    data = disk_cache.get(_KIND, k, _SUFFIX, lambda d: b"\n%PDF-" in d[:65536])
    if data is None:
        return None
    head, _, pdf = data.partition(b"\n")
    try:
        meta = json.loads(head)
        pages = {int(n): int(p) for n, p in meta["heading_pages"].items()}
        tight = {str(t): int(s) for t, s in meta["tight"].items()}
    except (ValueError, KeyError, TypeError, AttributeError):
        return None
    return pdf, pages, tight


def put(k: str, pdf: bytes, heading_pages: Mapping[int, int], tight: Mapping[str, int]) -> None:
    meta = {"heading_pages": {str(n): p for n, p in heading_pages.items()}, "tight": dict(tight)}
    head = json.dumps(meta, ensure_ascii=False, separators=(",", ":")).encode()
    disk_cache.put(_KIND, k, _SUFFIX, head + b"\n" + pdf, _MAX_FILES)
