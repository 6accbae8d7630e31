"""Read a catalog file into sheets of rows: spreadsheets via python-calamine, or CSV text.

The file type is sniffed from the first bytes (zip- or OLE-based workbooks) before the
suffix is trusted; CSV text may be UTF-8 or GBK/GB18030 with ``,``, tab or ``;``
delimiters. Problems become findings; nothing is raised for a bad file.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from juesuan.core.findings import Finding, Location, Severity

SPREADSHEET_SUFFIXES = frozenset({".xlsx", ".xlsm", ".xlsb", ".xls", ".ods"})
TEXT_SUFFIXES = frozenset({".csv", ".tsv", ".txt"})


@dataclass
class Sheet:
    """The rows of one worksheet (or of a CSV file), cells as read."""

    name: str | None  # None for CSV files
    rows: list[list[Any]]


def read_sheets(path: Path, findings: list[Finding]) -> list[Sheet] | None:
    """The sheets of the file at ``path``; None (with an error in ``findings``) if unreadable."""
    return _Reader(path, findings).read()


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

    def read(self) -> list[Sheet] | None:
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
        from juesuan.core.workbook_guard import MAX_FILE_BYTES, WorkbookRefused, check_xlsx

        if size > MAX_FILE_BYTES:
            self.error("CAT-IMP-004", "文件过大，拒绝读取")
            return None
        if head.startswith(b"PK\x03\x04"):  # bound every sheet before calamine allocates it
            try:
                check_xlsx(path.read_bytes())
            except WorkbookRefused as exc:
                self.error("CAT-IMP-004", str(exc))
                return None
            except OSError as exc:
                self.error("CAT-IMP-001", f"无法打开文件：{exc.strerror or exc}")
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

    def _read_workbook(self) -> list[Sheet] | None:
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
        sheets: list[Sheet] = []
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
            sheets.append(Sheet(name, [list(r) for r in rows]))
        if not sheets:
            self.error("CAT-IMP-004", "电子表格中没有可读取的工作表")
            return None
        return sheets

    def _read_text(self) -> list[Sheet] | None:
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
        return [Sheet(None, rows)]
