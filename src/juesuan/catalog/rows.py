"""Interpret the rows of catalog sheets: codes and names, per classification scheme.

Below the header found by :mod:`juesuan.catalog.headers`, each row gives a code (numbers or
text, "2010101 行政运行" in one cell, or split 类/款/项 columns with 款/项 as "06" or 6 and
parents repeated or inherited from the rows above) and a name (indentation and line wraps
removed). Codes are sorted into schemes by their first digit; duplicates and missing
parents are reported as warnings.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

from juesuan.catalog.catalogs import LEVELS, SCHEME_LABELS, SCHEMES, parent_codes, scheme_of
from juesuan.catalog.headers import Block, Header, find_header
from juesuan.catalog.sheets import Sheet
from juesuan.core.findings import Finding, Location, Severity

_SKIP_CODE_TEXTS = frozenset({"栏次", "合计", "总计", "小计", "行次", "-", "—", "…", "……"})
_CODE_AND_NAME = re.compile(r"^(\d{3}(?:\d{2}){0,2})\s*([^\d\s].*)$", re.S)
_WS = re.compile(r"\s+")

# --------------------------------------------------------------------------- cells


def _column_letter(index: int) -> str:
    letters = ""
    n = index + 1
    while n:
        n, rem = divmod(n - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def _code_text(value: Any) -> str:
    """A code cell as text: 2010101.0 -> "2010101", " 201 01 01 " -> "2010101"."""
    if value is None or isinstance(value, bool):
        return ""
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() and value >= 0 else repr(value)
    if isinstance(value, (datetime, date, time)):
        return str(value)
    text = _WS.sub("", unicodedata.normalize("NFKC", str(value)))
    if re.fullmatch(r"\d+\.0+", text):
        text = text.split(".", 1)[0]
    return text


def _name_text(value: Any) -> str:
    """A name cell: indentation, line wraps and stray spaces removed; characters kept as is."""
    if value is None or isinstance(value, bool):
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return _WS.sub("", str(value))


# --------------------------------------------------------------------------- parsing


@dataclass(frozen=True)
class Candidate:
    """A code and name read from one cell, with where it came from."""

    code: str
    name: str
    location: Location
    origin: str  # "file#sheet!B12"


class RowParser:
    """Collects candidate entries per scheme from the rows below each sheet's header."""

    def __init__(self, path: Path, scheme: str | None, findings: list[Finding]) -> None:
        self.file = str(path)
        self.file_name = path.name
        self.scheme = scheme
        self.findings = findings
        self.candidates: dict[str, list[Candidate]] = {s: [] for s in SCHEMES}

    def _loc(self, sheet: Sheet, row: int, col: int) -> Location:
        cell = f"{_column_letter(col)}{row + 1}"
        if sheet.name is None:
            return Location(file=self.file, line=row + 1, cell=cell)
        return Location(file=self.file, sheet=sheet.name, cell=cell)

    def _origin(self, sheet: Sheet, row: int, col: int) -> str:
        where = f"#{sheet.name}" if sheet.name is not None else ""
        return f"{self.file_name}{where}!{_column_letter(col)}{row + 1}"

    def warn(self, code: str, message: str, location: Location) -> None:
        self.findings.append(Finding(code, Severity.WARNING, message, location))

    def parse(self, sheets: list[Sheet]) -> bool:
        """Collect candidates from all sheets; False if no sheet had a recognisable header."""
        any_header = False
        headerless: list[Sheet] = []
        for sheet in sheets:
            if not any(_code_text(c) or _name_text(c) for row in sheet.rows for c in row):
                continue  # empty sheet
            header = find_header(sheet.rows)
            if header is None:
                headerless.append(sheet)
                continue
            any_header = True
            self._parse_sheet(sheet, header)
        if any_header:
            for sheet in headerless:
                self.findings.append(
                    Finding(
                        "CAT-IMP-005",
                        Severity.INFO,
                        "工作表中未找到「科目编码」「科目名称」表头，已跳过",
                        Location(file=self.file, sheet=sheet.name),
                    )
                )
        return any_header

    def _parse_sheet(self, sheet: Sheet, header: Header) -> None:
        skipped_other = 0
        found = 0
        for block in header.blocks:
            context: list[str | None] = [None, None]  # current 类, 款 (split layout)
            for r in range(header.data_start, len(sheet.rows)):
                row = sheet.rows[r]
                got = self._parse_row(sheet, r, row, block, context)
                if got is None:
                    continue
                code, name, col = got
                target = scheme_of(code)
                if target is None or (self.scheme is not None and target != self.scheme):
                    skipped_other += 1
                    continue
                if not name:
                    self.warn(
                        "CAT-IMP-007",
                        f"编码 {code} 没有科目名称，已跳过",
                        self._loc(sheet, r, block.name_col),
                    )
                    continue
                found += 1
                self.candidates[target].append(
                    Candidate(code, name, self._loc(sheet, r, col), self._origin(sheet, r, col))
                )
        if skipped_other:
            wanted = (
                SCHEME_LABELS[self.scheme]
                if self.scheme
                else "支出功能分类（2 开头）或部门预算支出经济分类（3 开头）"
            )
            self.findings.append(
                Finding(
                    "CAT-IMP-008",
                    Severity.INFO,
                    f"跳过 {skipped_other} 个不属于{wanted}的编码",
                    Location(file=self.file, sheet=sheet.name),
                )
            )
        if not found:
            self.findings.append(
                Finding(
                    "CAT-IMP-011",
                    Severity.INFO,
                    "表头下没有可导入的科目行",
                    Location(file=self.file, sheet=sheet.name),
                )
            )

    def _parse_row(
        self,
        sheet: Sheet,
        r: int,
        row: list[Any],
        block: Block,
        context: list[str | None],
    ) -> tuple[str, str, int] | None:
        def cell(col: int | None) -> Any:
            return row[col] if col is not None and col < len(row) else None

        name = _name_text(cell(block.name_col))
        if block.code_col is not None:
            raw = _code_text(cell(block.code_col))
            if not raw or raw in _SKIP_CODE_TEXTS:
                return None
            if not name and (m := _CODE_AND_NAME.match(_name_text(cell(block.code_col)))):
                raw, name = m.group(1), m.group(2)  # "2010101 行政运行" in one cell
            if not raw.isdigit() or len(raw) not in (3, 5, 7, 9):
                self.warn(
                    "CAT-IMP-006",
                    f"无法识别的科目编码「{raw}」，已跳过",
                    self._loc(sheet, r, block.code_col),
                )
                return None
            return raw, name, block.code_col
        return self._parse_split(sheet, r, cell, block, name, context)

    def _parse_split(
        self,
        sheet: Sheet,
        r: int,
        cell: Any,
        block: Block,
        name: str,
        context: list[str | None],
    ) -> tuple[str, str, int] | None:
        """Codes split into 类/款/项 columns; 款/项 may be relative ("06") or full codes.

        ``context`` holds the current 类 and 款 codes, for rows that leave them blank.
        """
        assert block.split_cols is not None
        cols = block.split_cols
        parts = [_code_text(cell(c)) for c in cols]
        present = [p for p in parts if p]
        if not present:
            return None
        if not all(p.isdigit() for p in present):
            if not all(p in _SKIP_CODE_TEXTS for p in present if not p.isdigit()):
                first_col = next(c for c, p in zip(cols, parts, strict=True) if p)
                self.warn(
                    "CAT-IMP-006",
                    f"无法识别的科目编码「{' '.join(present)}」，已跳过",
                    self._loc(sheet, r, first_col if first_col is not None else 0),
                )
            return None
        code: str | None = None
        col = 0
        for idx, (part, c) in enumerate(zip(parts, cols, strict=True)):
            if not part or c is None:
                continue
            col = c
            if len(part) in (3, 5, 7) and len(part) >= 3 + 2 * idx:  # a full code
                code = part
                context[0] = part[:3]
                context[1] = part[:5] if len(part) >= 5 else None
            elif idx > 0 and len(part) <= 2 and context[idx - 1]:
                code = f"{context[idx - 1]}{part.zfill(2)}"
                if idx == 1:
                    context[1] = code
            else:
                level = LEVELS[idx]
                self.warn(
                    "CAT-IMP-013",
                    f"「{level}」列的编码「{part}」无法确定完整科目编码，已跳过",
                    self._loc(sheet, r, c),
                )
                return None
        if code is None:
            return None
        return code, name, col


# --------------------------------------------------------------------------- checks


def _short(loc: Location) -> str:
    if loc.sheet:
        return f"工作表「{loc.sheet}」{loc.cell}"
    return f"第 {loc.line} 行" if loc.line else loc.describe()


def resolve_candidates(
    parser: RowParser, findings: list[Finding]
) -> dict[str, dict[str, Candidate]]:
    """Deduplicate candidates per scheme and check that parents exist."""
    result: dict[str, dict[str, Candidate]] = {}
    for scheme, candidates in parser.candidates.items():
        entries: dict[str, Candidate] = {}
        for cand in candidates:
            first = entries.get(cand.code)
            if first is None:
                entries[cand.code] = cand
            elif first.name != cand.name:
                findings.append(
                    Finding(
                        "CAT-IMP-009",
                        Severity.WARNING,
                        f"编码 {cand.code} 重复且名称不同：「{cand.name}」与"
                        f"{_short(first.location)}的「{first.name}」；保留先出现的名称",
                        cand.location,
                    )
                )
        for code, cand in entries.items():
            missing = [p for p in parent_codes(code, scheme) if p not in entries]
            if missing:
                findings.append(
                    Finding(
                        "CAT-IMP-010",
                        Severity.WARNING,
                        f"编码 {code}「{cand.name}」的上级科目 {'、'.join(missing)} 不在导入文件中",
                        cand.location,
                    )
                )
        if entries:
            result[scheme] = entries
    return result
