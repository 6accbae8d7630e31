"""A small on-disk cache of build products that are pure functions of their inputs (chart
images, the document's font subsets, a laid-out PDF): a second build of an unchanged dataset
reuses them.

The cache lives in ``$JUESUAN_CACHE_DIR`` or ``$XDG_CACHE_HOME/juesuan`` (``~/.cache/juesuan``),
one directory per kind of product; ``JUESUAN_CACHE_DIR=off`` disables it. Each kind keeps at
most a given number of files (the oldest are removed). An entry that cannot be read, or that
fails the caller's check, is simply made again; a read-only or full disk only costs the reuse.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import os
from collections.abc import Callable, Iterable
from pathlib import Path


def cache_dir(kind: str) -> Path | None:
    env = os.environ.get("JUESUAN_CACHE_DIR")
    if env is not None:
        return None if env.strip().lower() in ("", "off", "0", "no") else Path(env) / kind
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "juesuan" / kind


def versions_digest(files: Iterable[Path], dists: Iterable[str]) -> str:
    """A digest of source files and installed distribution versions: part of a key, so that
    a change of the code or of a library that shapes the product makes it again."""
    h = hashlib.sha256()
    for path in files:
        h.update(path.read_bytes())
    for dist in dists:
        try:
            h.update(f"{dist}={importlib.metadata.version(dist)}".encode())
        except importlib.metadata.PackageNotFoundError:  # pragma: no cover
            h.update(dist.encode())
    return h.hexdigest()


def get(kind: str, key: str, suffix: str, valid: Callable[[bytes], bool]) -> bytes | None:
    d = cache_dir(kind)
    if d is None:
        return None
    try:
        data = (d / f"{key}{suffix}").read_bytes()
    except OSError:
        return None
    return data if valid(data) else None


def put(kind: str, key: str, suffix: str, data: bytes, max_files: int) -> None:
    d = cache_dir(kind)
    if d is None:
        return
    try:
        d.mkdir(parents=True, exist_ok=True)
        tmp = d / f".{key}.{os.getpid()}.tmp"
        tmp.write_bytes(data)
        tmp.replace(d / f"{key}{suffix}")
        files = sorted(d.glob(f"*{suffix}"), key=lambda p: p.stat().st_mtime)
        for old in files[:-max_files]:
            old.unlink(missing_ok=True)
    except OSError:
        return
