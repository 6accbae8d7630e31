"""Content-addressed artifact store: ``<root>/<key[:2]>/<key>``.

A file is written to a temporary name in the same directory tree, flushed to disk, and
renamed into place; only then is the database row that points at it committed. A killed
process therefore leaves at most a stray temporary file (removed on the next start) or a
complete file without a row (rebuilt byte-identical, or adopted, on the next request).
"""

from __future__ import annotations

import hashlib
import os
import uuid
from pathlib import Path


class ArtifactStore:
    def __init__(self, root: Path) -> None:
        self.root = root
        self.tmp = root / "tmp"
        self.tmp.mkdir(parents=True, exist_ok=True)

    def path(self, key: str) -> Path:
        if len(key) != 64 or any(c not in "0123456789abcdef" for c in key):
            raise ValueError("artifact key")
        return self.root / key[:2] / key

    def put(self, key: str, data: bytes) -> Path:
        final = self.path(key)
        final.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.tmp / f"{key}.{os.getpid()}.{uuid.uuid4().hex}"
        with open(tmp, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, final)
        return final

    def intact(self, key: str, sha256: str, size: int) -> bool:
        """The stored file exists with the recorded size (``verify`` also hashes it)."""
        try:
            return self.path(key).stat().st_size == size
        except OSError:
            return False

    def verify(self, key: str, sha256: str) -> bool:
        try:
            return hashlib.sha256(self.path(key).read_bytes()).hexdigest() == sha256
        except OSError:
            return False

    def clean_temporary(self) -> int:
        """Remove half-written files that a process which is no longer running left behind
        (another live process sharing the store may be writing its own)."""
        removed = 0
        for p in self.tmp.iterdir():
            parts = p.name.split(".")
            pid = int(parts[1]) if len(parts) == 3 and parts[1].isdigit() else None
            if pid is not None and _alive(pid):
                continue
            p.unlink(missing_ok=True)
            removed += 1
        return removed


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # exists, owned by someone else
        return True
    return True
