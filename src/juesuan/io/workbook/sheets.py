"""Reading a workbook's bytes into sheets of cell values (refusing damaged or huge files).

Reading uses python-calamine (see ``bench/bench_excel.py``). Before calamine sees an
``.xlsx``, the zip directory is checked (sizes, ratio) and every worksheet's XML is scanned
for its largest row and column, so zip bombs and huge dimensions are refused cheaply.
"""

from __future__ import annotations

import zipfile
import zlib
from dataclasses import dataclass, field
from io import BytesIO
from typing import Any

from juesuan.core.findings import Finding, Location, Severity
from juesuan.core.workbook_guard import WorkbookRefused, check_xlsx

MAX_FILE_BYTES = 50 * 1024 * 1024
MAX_UNCOMPRESSED = 400 * 1024 * 1024
MAX_RATIO = 200
MAX_CELLS = 4_000_000


@dataclass
class Sheet:
    name: str
    rows: list[list[Any]]
    # formulas without a value: (row, column) → the start of the formula's text
    uncached: dict[tuple[int, int], str] = field(default_factory=dict)

    def get(self, r: int, c: int) -> Any:
        if 0 <= r < len(self.rows) and 0 <= c < len(self.rows[r]):
            return self.rows[r][c]
        return None


class Refused(Exception):
    def __init__(self, finding: Finding) -> None:
        super().__init__(finding.message)
        self.finding = finding


def fatal(origin: str, message: str, code: str = "XLS-001") -> Finding:
    return Finding(code, Severity.ERROR, message, Location(file=origin))


def read_sheets(data: bytes, origin: str) -> list[Sheet]:
    def refuse(message: str, code: str = "XLS-001") -> Refused:
        return Refused(fatal(origin, message, code))

    if not data:
        raise refuse("文件为空（0 字节），不是 Excel 工作簿")
    if len(data) > MAX_FILE_BYTES:
        raise refuse("文件过大，拒绝读取", "XLS-002")
    uncached: dict[str, dict[tuple[int, int], str]] = {}
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        if "EncryptedPackage".encode("utf-16-le") in data:
            raise refuse("工作簿设置了打开密码（已加密），请取消密码后另存再导入")
    elif data.startswith(b"PK"):
        _check_zip(data, refuse)
        try:  # every part, every way of writing a cell position (juesuan.core.workbook_guard)
            uncached = check_xlsx(data)
        except WorkbookRefused as exc:
            raise refuse(str(exc), exc.code) from None
    else:
        raise refuse("不是 Excel 工作簿（.xlsx/.xls）：文件内容不是 Excel 格式")
    from python_calamine import CalamineWorkbook

    try:
        wb = CalamineWorkbook.from_filelike(BytesIO(data))
        out = []
        for name in wb.sheet_names:
            sheet = wb.get_sheet_by_name(name)
            if sheet.height * max(sheet.width, 1) > MAX_CELLS:
                raise refuse(f"工作表「{name}」尺寸过大，拒绝读取", "XLS-002")
            out.append(Sheet(name, _offset(sheet), uncached.get(name, {})))
    except Refused:
        raise
    except Exception as exc:
        if "password" in str(exc).lower() or type(exc).__name__ == "PasswordError":
            raise refuse("工作簿设置了密码（已加密），请取消密码后另存再导入") from None
        raise refuse(
            f"Excel 工作簿已损坏或格式不受支持，无法读取（{type(exc).__name__}）"
        ) from None
    if not out:
        raise refuse("工作簿中没有工作表")
    return out


def _offset(sheet: Any) -> list[list[Any]]:
    """Rows from A1 (calamine starts at the first used cell)."""
    rows = sheet.to_python(skip_empty_area=False)
    start = sheet.start or (0, 0)
    r0, c0 = start
    if c0:
        rows = [[""] * c0 + list(r) for r in rows]
    if r0:
        rows = [[] for _ in range(r0)] + rows
    return rows


def _check_zip(data: bytes, refuse: Any) -> None:
    try:
        with zipfile.ZipFile(BytesIO(data)) as zf:
            infos = zf.infolist()
            names = {i.filename for i in infos}
            if "xl/workbook.xml" not in names and "xl/workbook.bin" not in names:
                raise refuse("不是 Excel 工作簿：压缩包中没有工作簿内容（可能是 Word 等其他文件）")
            total = sum(i.file_size for i in infos)
            if total > MAX_UNCOMPRESSED or len(infos) > 10_000:
                raise refuse(f"工作簿解压后过大（{total / 1048576:.0f} MB），拒绝读取", "XLS-002")
            for i in infos:
                if (
                    i.compress_size
                    and i.file_size / i.compress_size > MAX_RATIO
                    and i.file_size > 10_000_000
                ):
                    raise refuse("工作簿压缩比异常（疑似压缩炸弹），拒绝读取", "XLS-002")
    except zipfile.BadZipFile:
        raise refuse("Excel 工作簿已损坏（压缩包无法打开）") from None
    except (OSError, EOFError, ValueError, NotImplementedError, RuntimeError, zlib.error):
        raise refuse("Excel 工作簿已损坏或使用了不支持的压缩方式") from None
