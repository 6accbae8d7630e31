"""Find the header of a catalog sheet: which columns hold the codes and the names.

Codes are either in one column (科目编码/编码/代码) or split into 类/款/项 columns, possibly
in several code/name blocks side by side; the header may span up to three rows.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Any

HEADER_SCAN_ROWS = 40
_WS = re.compile(r"\s+")


def _header_text(value: Any) -> str:
    if not isinstance(value, str):
        return ""
    return _WS.sub("", unicodedata.normalize("NFKC", value)).lower()


def _is_code_header(text: str) -> bool:
    if text in ("code", "科目编码", "编码", "代码", "科目代码", "编号"):
        return True
    return len(text) <= 12 and ("编码" in text or "代码" in text)


def _is_name_header(text: str) -> bool:
    if text in ("name", "名称", "科目名称"):
        return True
    return len(text) <= 12 and "名称" in text


@dataclass(frozen=True)
class Block:
    """One code/name column group of a header."""

    name_col: int
    code_col: int | None = None  # single code column
    split_cols: tuple[int | None, int | None, int | None] | None = None  # 类, 款, 项


@dataclass(frozen=True)
class Header:
    """Where the data rows start and the code/name column groups of a sheet."""

    data_start: int
    blocks: tuple[Block, ...]


def _split_positions(texts: list[str]) -> list[tuple[int, int | None, int | None]]:
    """Groups of 类/款(/项) columns in a header row, left to right."""
    groups: list[tuple[int, int | None, int | None]] = []
    for i, t in enumerate(texts):
        if t != "类":
            continue
        kuan = next((j for j in range(i + 1, min(i + 3, len(texts))) if texts[j] == "款"), None)
        if kuan is None:
            continue
        xiang = next(
            (j for j in range(kuan + 1, min(kuan + 3, len(texts))) if texts[j] == "项"), None
        )
        groups.append((i, kuan, xiang))
    return groups


def find_header(rows: list[list[Any]]) -> Header | None:
    """The header of a sheet, searched in its first :data:`HEADER_SCAN_ROWS` rows; None if absent.

    A header row names a name column and code columns, or has 类/款/项 columns in it or in
    one of the two rows below it.
    """
    limit = min(len(rows), HEADER_SCAN_ROWS)
    texts = [[_header_text(c) for c in row] for row in rows[:limit]]
    for r in range(limit):
        name_cols = [i for i, t in enumerate(texts[r]) if _is_name_header(t)]
        if not name_cols:
            continue
        # codes split into 类/款/项 columns: in this row or one of the two below
        for rr in range(r, min(r + 3, limit)):
            groups = _split_positions(texts[rr])
            if not groups:
                continue
            blocks = []
            for lei, kuan, xiang in groups:
                last = max(c for c in (lei, kuan, xiang) if c is not None)
                # the name column of a group: first name header right of it, else left of it
                right = [c for c in name_cols if c > last]
                left = [c for c in name_cols if c < lei]
                name_col = right[0] if right else (left[-1] if left else None)
                if name_col is not None:
                    blocks.append(Block(name_col=name_col, split_cols=(lei, kuan, xiang)))
            if blocks:
                return Header(data_start=rr + 1, blocks=tuple(blocks))
        code_cols = [i for i, t in enumerate(texts[r]) if _is_code_header(t)]
        if code_cols:
            blocks = []
            for k, code_col in enumerate(code_cols):
                nxt = code_cols[k + 1] if k + 1 < len(code_cols) else None
                candidates = [c for c in name_cols if c > code_col and (nxt is None or c < nxt)]
                if candidates:
                    blocks.append(Block(name_col=candidates[0], code_col=code_col))
            if not blocks:  # name column left of the code column
                blocks = [Block(name_col=name_cols[0], code_col=code_cols[0])]
            return Header(data_start=r + 1, blocks=tuple(blocks))
    return None
