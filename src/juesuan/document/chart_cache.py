"""A small on-disk cache of chart PNGs: a chart is a pure function of its data, the drawing
code and the matplotlib version, so a second build of an unchanged dataset reuses the images
(and does not import matplotlib at all).

The cache lives in ``$JUESUAN_CACHE_DIR`` or ``$XDG_CACHE_HOME/juesuan`` (``~/.cache/juesuan``);
``JUESUAN_CACHE_DIR=off`` disables it. It keeps at most :data:`MAX_FILES` images (the oldest
are removed), and a damaged or unreadable entry is simply drawn again.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import os
from functools import cache
from pathlib import Path

MAX_FILES = 256
_PNG = b"\x89PNG\r\n\x1a\n"


def cache_dir() -> Path | None:
    env = os.environ.get("JUESUAN_CACHE_DIR")
    if env is not None:
        return None if env.strip().lower() in ("", "off", "0", "no") else Path(env) / "charts"
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "juesuan" / "charts"


@cache
def _code_version() -> str:
    """The drawing code and the libraries that shape its pixels."""
    h = hashlib.sha256()
    here = Path(__file__).resolve().parent
    for name in ("charts.py", "numbers.py"):
        h.update((here / name).read_bytes())
    for dist in ("matplotlib", "pillow", "noto-cjk-sans-otc"):
        try:
            h.update(importlib.metadata.version(dist).encode())
        except importlib.metadata.PackageNotFoundError:  # pragma: no cover
            h.update(dist.encode())
    return h.hexdigest()


def key(data_repr: str, dpi: int) -> str:
    return hashlib.sha256(f"{_code_version()}|{dpi}|{data_repr}".encode()).hexdigest()


def get(k: str) -> bytes | None:
    d = cache_dir()
    if d is None:
        return None
    try:
        data = (d / f"{k}.png").read_bytes()
    except OSError:
        return None
    return data if data.startswith(_PNG) else None


def put(k: str, png: bytes) -> None:
    d = cache_dir()
    if d is None:
        return
    try:
        d.mkdir(parents=True, exist_ok=True)
        tmp = d / f".{k}.{os.getpid()}.tmp"
        tmp.write_bytes(png)
        tmp.replace(d / f"{k}.png")
        files = sorted(d.glob("*.png"), key=lambda p: p.stat().st_mtime)
        for old in files[:-MAX_FILES]:
            old.unlink(missing_ok=True)
    except OSError:  # a read-only or full disk only costs the reuse
        return
