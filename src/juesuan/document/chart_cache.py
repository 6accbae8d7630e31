"""The cache of chart PNGs: a chart is a pure function of its data, the drawing code and the
matplotlib version, so a second build of an unchanged dataset reuses the images (and does not
import matplotlib at all). Stored by :mod:`juesuan.document.disk_cache` under ``charts``
(at most :data:`MAX_FILES` images); a damaged entry is simply drawn again.
"""

from __future__ import annotations

import hashlib
from functools import cache
from pathlib import Path

from juesuan.document import disk_cache

MAX_FILES = 256
_PNG = b"\x89PNG\r\n\x1a\n"
_KIND = "charts"


def cache_dir() -> Path | None:
    return disk_cache.cache_dir(_KIND)


@cache
def _code_version() -> str:
    """The drawing code and the libraries that shape its pixels."""
    here = Path(__file__).resolve().parent
    return disk_cache.versions_digest(
        (here / "charts.py", here / "numbers.py"), ("matplotlib", "pillow", "noto-cjk-sans-otc")
    )


def key(data_repr: str, dpi: int) -> str:
    return hashlib.sha256(f"{_code_version()}|{dpi}|{data_repr}".encode()).hexdigest()


def get(k: str) -> bytes | None:
    return disk_cache.get(_KIND, k, ".png", lambda data: data.startswith(_PNG))


def put(k: str, png: bytes) -> None:
    disk_cache.put(_KIND, k, ".png", png, MAX_FILES)
