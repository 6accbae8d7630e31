"""Import an official classification catalog (政府收支分类科目) from a spreadsheet or CSV.

The official catalog of a year is distributed as a spreadsheet (with the 决算 software or by
the finance bureau). :func:`import_catalog` reads such a file (.xlsx/.xlsm/.xlsb/.xls/.ods via
python-calamine, or .csv/.tsv/.txt), finds the code and name columns by their header text,
and stores the entries as the user's catalog of that year (see :mod:`juesuan.catalog`).

Tolerated layouts: one code column (科目编码/编码/代码) holding numbers or text, or codes
split into 类/款/项 columns (款/项 as "06" or 6, parents repeated or inherited from the
rows above); names indented with spaces or wrapped inside the cell; several sheets (e.g. one
per scheme); several code/name blocks side by side. Problems are returned as findings with
file/sheet/cell locations; nothing is raised for a bad file, and nothing is written unless
the whole import succeeds (temporary files, then atomic renames).
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import tempfile
import unicodedata
from dataclasses import dataclass, field
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

from juesuan.catalog import (
    CSV_COLUMNS,
    LEVELS,
    META_FILE,
    SCHEME_LABELS,
    SCHEMES,
    clear_cache,
    level_of,
    parent_codes,
    read_meta,
    scheme_of,
    user_catalog_dir,
)
from juesuan.findings import Finding, Location, Severity, has_errors

IMPORT_CODES: dict[str, str] = {
    "CAT-IMP-000": "年度或科目体系参数无效",
    "CAT-IMP-001": "文件不存在、是目录或无法打开",
    "CAT-IMP-002": "文件为空",
    "CAT-IMP-003": "不支持的文件类型",
    "CAT-IMP-004": "文件损坏、有密码保护、不是电子表格或编码无法识别",
    "CAT-IMP-005": "找不到可识别的表头（科目编码、科目名称）",
    "CAT-IMP-006": "无法识别的科目编码",
    "CAT-IMP-007": "科目编码没有名称",
    "CAT-IMP-008": "跳过其他科目体系的编码",
    "CAT-IMP-009": "同一编码有不同名称（保留第一个）",
    "CAT-IMP-010": "上级科目缺失",
    "CAT-IMP-011": "工作表有表头但没有数据行",
    "CAT-IMP-012": "没有找到任何科目",
    "CAT-IMP-013": "分列编码无法确定所属类、款",
    "CAT-IMP-014": "保存失败",
    "CAT-LOAD-001": "已导入的目录文件表头或说明文件（catalog.json）格式错误",
    "CAT-LOAD-002": "已导入的目录文件中有无效的科目行",
    "CAT-LOAD-003": "已导入的目录文件无法读取",
}

SPREADSHEET_SUFFIXES = frozenset({".xlsx", ".xlsm", ".xlsb", ".xls", ".ods"})
TEXT_SUFFIXES = frozenset({".csv", ".tsv", ".txt"})
HEADER_SCAN_ROWS = 40
_SKIP_CODE_TEXTS = frozenset({"栏次", "合计", "总计", "小计", "行次", "-", "—", "…", "……"})
_CODE_AND_NAME = re.compile(r"^(\d{3}(?:\d{2}){0,2})\s*([^\d\s].*)$", re.S)
_WS = re.compile(r"\s+")


@dataclass(frozen=True)
class ImportResult:
    """Outcome of :func:`import_catalog`."""

    source: Path
    year: int
    findings: list[Finding] = field(default_factory=list)
    counts: dict[str, dict[str, int]] = field(default_factory=dict)  # scheme -> level -> n
    written: dict[str, Path] = field(default_factory=dict)  # scheme -> stored catalog file

    @property
    def ok(self) -> bool:
        return not has_errors(self.findings)


# --------------------------------------------------------------------------- reading


@dataclass
class _Sheet:
    name: str | None  # None for CSV files
    rows: list[list[Any]]


class _Reader:
    """Reads a file into sheets of rows; collects findings instead of raising."""

    def __init__(self, path: Path, findings: list[Finding]) -> None:
        self.path = path
        self.file = str(path)
        self.findings = findings

    def error(self, code: str, message: str, sheet: str | None = None) -> None:
        self.findings.append(
            Finding(code, Severity.ERROR, message, Location(file=self.file, sheet=sheet))
        )

    def read(self) -> list[_Sheet] | None:
        path = self.path
        try:
            if not path.exists():
                self.error("CAT-IMP-001", "文件不存在")
                return None
            if not path.is_file():
                self.error("CAT-IMP-001", "不是文件（可能是目录）")
                return None
            with path.open("rb") as fh:
                head = fh.read(8)
            size = path.stat().st_size
        except OSError as exc:
            self.error("CAT-IMP-001", f"无法打开文件：{exc.strerror or exc}")
            return None
        if size == 0:
            self.error("CAT-IMP-002", "文件为空（0 字节）")
            return None
        suffix = path.suffix.lower()
        is_zip = head.startswith(b"PK\x03\x04")
        is_ole = head.startswith(b"\xd0\xcf\x11\xe0")
        if is_zip or is_ole:
            return self._read_workbook()
        if suffix in SPREADSHEET_SUFFIXES:
            self.error(
                "CAT-IMP-004",
                f"文件内容不是有效的电子表格（扩展名为 {suffix}，但文件已损坏或不是该格式）",
            )
            return None
        if suffix in TEXT_SUFFIXES:
            return self._read_text()
        self.error(
            "CAT-IMP-003",
            f"不支持的文件类型「{suffix or '无扩展名'}」：请提供 xlsx、xls、ods 或 csv 文件",
        )
        return None

    def _read_workbook(self) -> list[_Sheet] | None:
        import python_calamine

        try:
            workbook = python_calamine.CalamineWorkbook.from_path(self.file)
            names = list(workbook.sheet_names)
        except python_calamine.PasswordError:
            self.error("CAT-IMP-004", "电子表格有密码保护，无法读取；请去除密码后再导入")
            return None
        except Exception as exc:  # calamine raises several types for corrupt files
            self.error("CAT-IMP-004", f"无法读取电子表格，文件可能已损坏：{exc}")
            return None
        sheets: list[_Sheet] = []
        for name in names:
            try:
                rows = workbook.get_sheet_by_name(name).to_python(skip_empty_area=False)
            except Exception as exc:  # one unreadable sheet should not stop the others
                self.findings.append(
                    Finding(
                        "CAT-IMP-004",
                        Severity.WARNING,
                        f"工作表无法读取，已跳过：{exc}",
                        Location(file=self.file, sheet=name),
                    )
                )
                continue
            sheets.append(_Sheet(name, [list(r) for r in rows]))
        if not sheets:
            self.error("CAT-IMP-004", "电子表格中没有可读取的工作表")
            return None
        return sheets

    def _read_text(self) -> list[_Sheet] | None:
        try:
            data = self.path.read_bytes()
        except OSError as exc:
            self.error("CAT-IMP-001", f"无法读取文件：{exc.strerror or exc}")
            return None
        if b"\x00" in data:
            self.error("CAT-IMP-004", "文件不是文本 CSV（含有二进制内容），可能已损坏")
            return None
        text: str | None = None
        for encoding in ("utf-8-sig", "gb18030"):
            try:
                text = data.decode(encoding)
                break
            except UnicodeDecodeError:
                continue
        if text is None:
            self.error("CAT-IMP-004", "无法识别文件编码（应为 UTF-8 或 GBK/GB18030）")
            return None
        if not text.strip():
            self.error("CAT-IMP-002", "文件没有内容")
            return None
        delimiter = ","
        try:
            delimiter = csv.Sniffer().sniff(text[:8192], delimiters=",\t;").delimiter
        except csv.Error:
            if self.path.suffix.lower() == ".tsv":
                delimiter = "\t"
        try:
            rows = [list(r) for r in csv.reader(io.StringIO(text), delimiter=delimiter)]
        except csv.Error as exc:
            self.error("CAT-IMP-004", f"CSV 格式错误：{exc}")
            return None
        return [_Sheet(None, rows)]


# --------------------------------------------------------------------------- cells


def _column_letter(index: int) -> str:
    letters = ""
    n = index + 1
    while n:
        n, rem = divmod(n - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def _header_text(value: Any) -> str:
    if not isinstance(value, str):
        return ""
    return _WS.sub("", unicodedata.normalize("NFKC", value)).lower()


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


def _is_code_header(text: str) -> bool:
    if text in ("code", "科目编码", "编码", "代码", "科目代码", "编号"):
        return True
    return len(text) <= 12 and ("编码" in text or "代码" in text)


def _is_name_header(text: str) -> bool:
    if text in ("name", "名称", "科目名称"):
        return True
    return len(text) <= 12 and "名称" in text


# --------------------------------------------------------------------------- headers


@dataclass(frozen=True)
class _Block:
    """One code/name column group of a header."""

    name_col: int
    code_col: int | None = None  # single code column
    split_cols: tuple[int | None, int | None, int | None] | None = None  # 类, 款, 项


@dataclass(frozen=True)
class _Header:
    data_start: int
    blocks: tuple[_Block, ...]


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


def _find_header(rows: list[list[Any]]) -> _Header | None:
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
                    blocks.append(_Block(name_col=name_col, split_cols=(lei, kuan, xiang)))
            if blocks:
                return _Header(data_start=rr + 1, blocks=tuple(blocks))
        code_cols = [i for i, t in enumerate(texts[r]) if _is_code_header(t)]
        if code_cols:
            blocks = []
            for k, code_col in enumerate(code_cols):
                nxt = code_cols[k + 1] if k + 1 < len(code_cols) else None
                candidates = [c for c in name_cols if c > code_col and (nxt is None or c < nxt)]
                if candidates:
                    blocks.append(_Block(name_col=candidates[0], code_col=code_col))
            if not blocks:  # name column left of the code column
                blocks = [_Block(name_col=name_cols[0], code_col=code_cols[0])]
            return _Header(data_start=r + 1, blocks=tuple(blocks))
    return None


# --------------------------------------------------------------------------- parsing


@dataclass(frozen=True)
class _Candidate:
    code: str
    name: str
    location: Location
    origin: str  # "file#sheet!B12"


class _Parser:
    def __init__(self, path: Path, scheme: str | None, findings: list[Finding]) -> None:
        self.file = str(path)
        self.file_name = path.name
        self.scheme = scheme
        self.findings = findings
        self.candidates: dict[str, list[_Candidate]] = {s: [] for s in SCHEMES}

    def _loc(self, sheet: _Sheet, row: int, col: int) -> Location:
        cell = f"{_column_letter(col)}{row + 1}"
        if sheet.name is None:
            return Location(file=self.file, line=row + 1, cell=cell)
        return Location(file=self.file, sheet=sheet.name, cell=cell)

    def _origin(self, sheet: _Sheet, row: int, col: int) -> str:
        where = f"#{sheet.name}" if sheet.name is not None else ""
        return f"{self.file_name}{where}!{_column_letter(col)}{row + 1}"

    def warn(self, code: str, message: str, location: Location) -> None:
        self.findings.append(Finding(code, Severity.WARNING, message, location))

    def parse(self, sheets: list[_Sheet]) -> bool:
        """Collect candidates from all sheets; False if no sheet had a recognisable header."""
        any_header = False
        headerless: list[_Sheet] = []
        for sheet in sheets:
            if not any(_code_text(c) or _name_text(c) for row in sheet.rows for c in row):
                continue  # empty sheet
            header = _find_header(sheet.rows)
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

    def _parse_sheet(self, sheet: _Sheet, header: _Header) -> None:
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
                    _Candidate(code, name, self._loc(sheet, r, col), self._origin(sheet, r, col))
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
        sheet: _Sheet,
        r: int,
        row: list[Any],
        block: _Block,
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
        sheet: _Sheet,
        r: int,
        cell: Any,
        block: _Block,
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


def _resolve(parser: _Parser, findings: list[Finding]) -> dict[str, dict[str, _Candidate]]:
    """Deduplicate candidates per scheme and check that parents exist."""
    result: dict[str, dict[str, _Candidate]] = {}
    for scheme, candidates in parser.candidates.items():
        entries: dict[str, _Candidate] = {}
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


# --------------------------------------------------------------------------- writing


def _csv_text(entries: dict[str, _Candidate], scheme: str) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for code in sorted(entries):
        cand = entries[code]
        parents = parent_codes(code, scheme)
        writer.writerow(
            [code, cand.name, level_of(code, scheme), parents[-1] if parents else "", cand.origin]
        )
    return buffer.getvalue()


def _write_temp(directory: Path, prefix: str, text: str) -> Path:
    fd, tmp_name = tempfile.mkstemp(dir=directory, prefix=prefix, suffix=".tmp")
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return tmp


def _store(
    path: Path,
    year: int,
    resolved: dict[str, dict[str, _Candidate]],
    counts: dict[str, dict[str, int]],
    complete: bool,
) -> dict[str, Path]:
    """Write all catalog files to temporary files first, then rename them into place."""
    directory = user_catalog_dir(year)
    directory.mkdir(parents=True, exist_ok=True)
    meta = read_meta(directory)
    schemes_meta = meta.get("schemes") if isinstance(meta.get("schemes"), dict) else {}
    meta = {"year": year, "schemes": dict(schemes_meta)}
    now = datetime.now().astimezone().isoformat(timespec="seconds")
    for scheme in resolved:
        meta["schemes"][scheme] = {
            "complete": complete,
            "imported_from": str(path.resolve()),
            "imported_at": now,
            "counts": counts[scheme],
        }
    pending: list[tuple[Path, Path]] = []
    try:
        for scheme, entries in resolved.items():
            tmp = _write_temp(directory, f".{scheme}.", _csv_text(entries, scheme))
            pending.append((tmp, directory / f"{scheme}.csv"))
        meta_text = json.dumps(meta, ensure_ascii=False, indent=2) + "\n"
        pending.append((_write_temp(directory, ".catalog.", meta_text), directory / META_FILE))
        for tmp, target in pending:
            os.replace(tmp, target)
    finally:
        for tmp, _target in pending:
            tmp.unlink(missing_ok=True)
    clear_cache()
    return {scheme: directory / f"{scheme}.csv" for scheme in resolved}


# --------------------------------------------------------------------------- API


def import_catalog(
    path: Path, year: int, *, complete: bool = True, scheme: str | None = None
) -> ImportResult:
    """Import the official catalog in ``path`` as the user's catalog for ``year``.

    ``scheme`` ("functional"/"economic") restricts the import to one scheme; by default
    each code's scheme is detected from its first digit (2xx functional, 3xx economic) and
    both schemes found in the file are stored. ``complete=False`` marks the stored lists as
    partial (a code missing from them is then only a warning). Never raises for a bad file:
    check ``ImportResult.ok`` / ``findings``. Nothing is written if there are errors.
    """
    path = Path(path)
    findings: list[Finding] = []

    def done() -> ImportResult:
        return ImportResult(source=path, year=year, findings=findings)

    if scheme is not None and scheme not in SCHEMES:
        findings.append(
            Finding(
                "CAT-IMP-000",
                Severity.ERROR,
                f"未知的分类方案「{scheme}」：应为 functional（支出功能分类）"
                "或 economic（部门预算支出经济分类）",
            )
        )
    if isinstance(year, bool) or not isinstance(year, int) or not 1990 <= year <= 2100:
        findings.append(
            Finding("CAT-IMP-000", Severity.ERROR, f"年度「{year}」无效：应为四位数年份")
        )
    if findings:
        return done()

    sheets = _Reader(path, findings).read()
    if sheets is None:
        return done()

    parser = _Parser(path, scheme, findings)
    if not parser.parse(sheets):
        findings.append(
            Finding(
                "CAT-IMP-005",
                Severity.ERROR,
                "未找到可识别的表头：需要「科目编码」（或「编码」「代码」，或分列的「类」「款」「项」）"
                "和「科目名称」（或「名称」）两列",
                Location(file=str(path), sheet=sheets[0].name if len(sheets) == 1 else None),
            )
        )
        return done()

    resolved = _resolve(parser, findings)
    if not resolved:
        wanted = SCHEME_LABELS[scheme] if scheme else "支出功能分类或部门预算支出经济分类"
        findings.append(
            Finding(
                "CAT-IMP-012",
                Severity.ERROR,
                f"文件中没有找到任何{wanted}科目",
                Location(file=str(path)),
            )
        )
        return done()

    counts = {
        s: {
            level: sum(1 for c in entries if level_of(c, s) == level)
            for level in (LEVELS if s == "functional" else LEVELS[:2])
        }
        for s, entries in resolved.items()
    }
    if has_errors(findings):
        return ImportResult(source=path, year=year, findings=findings, counts=counts)

    try:
        written = _store(path, year, resolved, counts, complete)
    except OSError as exc:
        findings.append(
            Finding(
                "CAT-IMP-014",
                Severity.ERROR,
                f"无法保存分类科目目录（原有目录未改动）：{exc.strerror or exc}",
                Location(file=str(user_catalog_dir(year))),
            )
        )
        return ImportResult(source=path, year=year, findings=findings, counts=counts)
    return ImportResult(source=path, year=year, findings=findings, counts=counts, written=written)
