"""Writing files whose names or contents come from untrusted data.

* :func:`safe_stem` turns a department name into a file-name stem: no path separators, no
  control or markup characters, no leading dots, bounded length.
* :func:`write_set` writes a set of files into one folder all-or-nothing: every file goes to
  a fresh temporary file in the target folder (created exclusively, so a planted symlink is
  never followed), and the final names are replaced only after every file was written.
* :func:`write_file` is the one-file case (``template``, ``convert``, ``schema``).
"""

from __future__ import annotations

import os
import re
import tempfile
import unicodedata
from collections.abc import Mapping
from pathlib import Path

__all__ = ["MAX_STEM_BYTES", "safe_stem", "same_file", "write_file", "write_set"]

MAX_STEM_BYTES = 120  # well under the 255-byte name limit, with room for "-2024.docx"
# Separators, Windows-reserved characters, and markup: none of them belongs in a file name.
_UNSAFE = re.compile(r'[/\\:*?"<>|\'`&;$%{}\[\]#~^]')
_SPACES = re.compile(r"[\s_]+")


def safe_stem(name: str, fallback: str = "部门") -> str:
    """A file-name stem from ``name``: letters (any script), digits, dashes, dots, parentheses
    and single underscores; everything else becomes ``_``; at most ``MAX_STEM_BYTES`` bytes of
    UTF-8; never empty, never starting with a dot."""
    text = unicodedata.normalize("NFC", str(name))
    text = "".join("_" if unicodedata.category(ch)[0] in "CZ" and ch != " " else ch for ch in text)
    text = _UNSAFE.sub("_", text)
    text = _SPACES.sub("_", text).strip("._- ")
    out = ""
    for ch in text:
        if len((out + ch).encode("utf-8")) > MAX_STEM_BYTES:
            break
        out += ch
    out = out.rstrip("._- ")
    return out or fallback


def same_file(a: Path, b: Path) -> bool:
    """Whether ``a`` and ``b`` name the same existing file (through links, case, ``..``)."""
    try:
        return a.exists() and b.exists() and os.path.samefile(a, b)
    except OSError:
        return False


def _temp_in(folder: Path, name: str) -> tuple[int, str]:
    # mkstemp: O_CREAT | O_EXCL (| O_NOFOLLOW): a random name that nobody can pre-plant.
    return tempfile.mkstemp(prefix=f".{name}.", suffix=".part", dir=folder)


def write_set(folder: Path, files: Mapping[str, bytes]) -> list[Path]:
    """Write ``files`` (plain file name → bytes) into ``folder``, all or nothing.

    Names must be plain names (no separators, not ``.``/``..``): ``ValueError`` otherwise.
    An existing final name that is a symlink is replaced by the new file, never followed.
    On any error every temporary file is removed and the old files stay as they were
    (the renames come last; they are atomic and do not fail for lack of space)."""
    for name in files:
        if not name or name in (".", "..") or "/" in name or "\\" in name or "\0" in name:
            raise ValueError(f"not a plain file name: {name!r}")
    folder.mkdir(parents=True, exist_ok=True)
    temps: list[tuple[str, Path]] = []
    try:
        for name, data in files.items():
            target = folder / name
            if target.is_dir() and not target.is_symlink():
                raise IsADirectoryError(21, "输出文件名已是一个文件夹", str(target))
            fd, tmp = _temp_in(folder, name)
            temps.append((name, Path(tmp)))
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
                fh.flush()
                os.fsync(fh.fileno())
            os.chmod(tmp, 0o644)
        written = []
        for name, tmp in temps:
            os.replace(tmp, folder / name)  # rename(2): replaces a symlink, never follows it
            written.append(folder / name)
        temps.clear()
        return written
    finally:
        for _, tmp in temps:
            tmp.unlink(missing_ok=True)


def write_file(path: Path, data: bytes) -> Path:
    """Replace ``path`` atomically through a unique temporary file in its folder."""
    return write_set(path.parent, {path.name: data})[0]
