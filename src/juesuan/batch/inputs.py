"""Which files a batch works on: files, directories (searched recursively) and list files.

A list file is named with a leading ``@`` (``@departments.txt``) or has the suffix ``.lst`` /
``.list``: one path per line, relative to the list file, ``#`` starts a comment. Inputs are
deduplicated and sorted by their display path, so the order of the summary (and everything
else) does not depend on the order given or on the file system.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

DATASET_SUFFIXES = (".yaml", ".yml", ".xlsx", ".xlsm")
DOCUMENT_SUFFIXES = (".pdf", ".docx", ".html", ".htm", ".md", ".txt")
LIST_SUFFIXES = (".lst", ".list")
MAX_LIST_BYTES = 16 * 1024 * 1024
MAX_LIST_DEPTH = 4


@dataclass(frozen=True, order=True)
class Item:
    """One input: the path shown in the summary and used to read it."""

    display: str
    path: Path

    @cached_property
    def slug(self) -> str:
        """The item's directory under OUT: readable stem plus a hash of the display path."""
        stem = re.sub(r"[^\w\-]+", "_", self.path.stem, flags=re.UNICODE).strip("_")[:60] or "item"
        digest = hashlib.sha256(self.display.encode("utf-8")).hexdigest()[:10]
        return f"{stem}-{digest}"


@dataclass(frozen=True)
class Missing:
    """An input that does not exist or cannot be read: it becomes a failed row."""

    display: str
    reason: str


def suffixes_for(kind: str) -> tuple[str, ...]:
    return DOCUMENT_SUFFIXES if kind == "check" else DATASET_SUFFIXES


def discover(inputs: list[str], kind: str) -> tuple[list[Item], list[Missing]]:
    """Expand ``inputs`` into the sorted, deduplicated list of items for ``kind``."""
    wanted = suffixes_for(kind)
    found: dict[str, Item] = {}
    missing: list[Missing] = []
    for raw in inputs:
        _expand(raw, wanted, found, missing, depth=0, base=None)
    seen = set(found)
    return sorted(found.values()), [m for m in missing if m.display not in seen]


def _display(path: Path) -> str:
    return path.as_posix()


def _expand(
    raw: str,
    wanted: tuple[str, ...],
    found: dict[str, Item],
    missing: list[Missing],
    depth: int,
    base: Path | None,
) -> None:
    is_list = raw.startswith("@")
    text = raw[1:] if is_list else raw
    path = Path(text)
    if base is not None and not path.is_absolute():
        path = base / path
    shown = _display(path)
    if path.is_dir():
        for child in sorted(path.rglob("*")):
            if (
                child.is_file()
                and child.suffix.lower() in wanted
                and not child.name.startswith(".")
            ):
                found.setdefault(_display(child), Item(_display(child), child))
        return
    if not path.is_file():
        missing.append(Missing(shown, "文件或目录不存在"))
        return
    if is_list or path.suffix.lower() in LIST_SUFFIXES:
        if depth >= MAX_LIST_DEPTH:
            missing.append(Missing(shown, "列表文件嵌套过深"))
            return
        try:
            if path.stat().st_size > MAX_LIST_BYTES:
                missing.append(Missing(shown, "列表文件过大"))
                return
            lines = path.read_text(encoding="utf-8").splitlines()
        except (OSError, UnicodeDecodeError):
            missing.append(Missing(shown, "列表文件无法读取（应为 UTF-8 文本，每行一个路径）"))
            return
        for line in lines:
            entry = line.split("#", 1)[0].strip()
            if entry:
                _expand(entry, wanted, found, missing, depth + 1, path.parent)
        return
    if path.suffix.lower() not in wanted:
        missing.append(Missing(shown, f"不支持的文件类型「{path.suffix or '无扩展名'}」"))
        return
    found.setdefault(shown, Item(shown, path))
