"""Building blocks of the ``LOAD-xxx`` findings shared by the YAML loading modules.

The codes themselves are listed in :mod:`juesuan.core.codes`.
"""

from __future__ import annotations

import unicodedata

from juesuan.core.findings import Finding, Location, Severity


def finding(
    code: str, message: str, origin: str, line: int | None, path: str | None = None
) -> Finding:
    """An error finding at ``line`` (and dataset ``path``) of the file ``origin``."""
    return Finding(code, Severity.ERROR, message, Location(file=origin, line=line, path=path))


def not_text(origin: str, line: int, detail: str) -> Finding:
    """LOAD-003: the input is not UTF-8 text; ``detail`` says why."""
    return finding("LOAD-003", f"不是文本文件：{detail}", origin, line)


def empty_file(origin: str) -> Finding:
    """LOAD-004: the file holds no data (only blanks or comments)."""
    return finding("LOAD-004", "文件为空（没有任何数据，只有空白或注释）", origin, 1)


def clip(text: str, limit: int = 40) -> str:
    """``text`` on one line, cut to ``limit`` characters, for quoting in a message; control
    characters are shown escaped (``\\x07``), never passed through to a terminal or page."""
    text = str(text)[: limit + 1].replace("\n", "⏎")
    text = "".join(
        ch.encode("unicode_escape").decode("ascii") if unicodedata.category(ch)[0] == "C" else ch
        for ch in text
    )
    return text if len(text) <= limit else text[: limit - 1] + "…"
