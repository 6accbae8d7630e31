"""The cache of chart PNGs: a chart is a pure function of its data, the drawing code and the
versions of Pillow and the font, so a second build of an unchanged dataset reuses the images
(and draws nothing). Stored by :mod:`juesuan.document.disk_cache` under ``charts``
(at most :data:`MAX_FILES` images); a damaged entry is simply drawn again.
"""

from __future__ import annotations

import hashlib
from functools import cache
from pathlib import Path

from juesuan.document import disk_cache

MAX_FILES = 256
# Raised when the drawing changes in a way the sources below do not show (2: drawn with
# Pillow instead of matplotlib).
FORMAT = "2"
SOURCES = ("charts.py", "chart_canvas.py", "chart_ticks.py", "numbers.py")
_PNG = b"\x89PNG\r\n\x1a\n"
_KIND = "charts"


def cache_dir() -> Path | None:
    return disk_cache.cache_dir(_KIND)


@cache
def _code_version() -> str:
    """The drawing code and the libraries that shape its pixels."""
    here = Path(__file__).resolve().parent
    return disk_cache.versions_digest(
        [here / name for name in SOURCES], ("pillow", "noto-cjk-sans-otc")
    )


def key(data_repr: str, dpi: int) -> str:
    text = f"{FORMAT}|{_code_version()}|{dpi}|{data_repr}"
    return hashlib.sha256(text.encode()).hexdigest()


def get(k: str) -> bytes | None:
    return disk_cache.get(_KIND, k, ".png", lambda data: data.startswith(_PNG))


def put(k: str, png: bytes) -> None:
    disk_cache.put(_KIND, k, ".png", png, MAX_FILES)
