"""Import a workbook (the fill-in template, or an export in the standard tables' layout).

``load_workbook(path) -> (Dataset | None, findings)``, the same contract as
:func:`juesuan.io.yaml_loader.load_yaml`: bad input never raises, every problem is a
finding located by sheet and cell (``收入决算表!E12``).

Reading uses python-calamine (see ``bench/bench_excel.py``). Before calamine sees an
``.xlsx``, the zip directory is checked (sizes, ratio) and every worksheet's XML is scanned
for its largest row and column, so zip bombs and huge dimensions are refused cheaply.
"""

from __future__ import annotations

import math
import re
import zipfile
import zlib
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from io import BytesIO
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from juesuan.catalog.catalogs import load_catalogs
from juesuan.core.findings import Finding, Location, Severity
from juesuan.core.workbook_guard import WorkbookRefused, check_xlsx
from juesuan.io.validation_messages import field_label, translate
from juesuan.io.workbook.fields import KV_SHEETS, entries, field_kind, model_at
from juesuan.io.workbook.layout import (
    ECONOMIC_INPUT,
    EXTRA_COLUMNS,
    FUNCTIONAL_INPUT,
    SCALAR_FIGURES,
    profile_specs,
)
from juesuan.io.workbook.unread import (
    CATALOG_SHEET,
    GUIDE_SHEET,
    HEAD_ROWS,
    UNREAD_BEYOND,
    UNREAD_COLUMN,
    UNREAD_FORMULA,
    UNREAD_LABEL,
    UNREAD_OUTSIDE,
    UNREAD_SHEET,
    UNREAD_TEXT,
    Layout,
    is_label,
    kv_texts,
    kv_width,
)
from juesuan.model.dataset import Dataset
from juesuan.profiles.tables import leaf_columns

__all__ = ["load_workbook", "load_workbook_bytes"]

MAX_FILE_BYTES = 50 * 1024 * 1024
MAX_UNCOMPRESSED = 400 * 1024 * 1024
MAX_RATIO = 200
MAX_CELLS = 4_000_000


Result = tuple[Dataset | None, list[Finding]]


@dataclass
class _Sheet:
    name: str
    rows: list[list[Any]]
    uncached: set[tuple[int, int]] = field(default_factory=set)  # formulas without a value

    def get(self, r: int, c: int) -> Any:
        if 0 <= r < len(self.rows) and 0 <= c < len(self.rows[r]):
            return self.rows[r][c]
        return None


@dataclass
class _State:
    origin: str
    data: dict[str, Any] = field(default_factory=dict)
    sources: dict[str, Location] = field(default_factory=dict)
    # Input cells left blank: where a message about a missing value sends the clerk.
    blanks: dict[str, Location] = field(default_factory=dict)
    findings: list[Finding] = field(default_factory=list)
    header_end: dict[tuple[str, int], int] = field(default_factory=dict)  # (sheet, r0) → first

    def loc(self, sheet: str, r: int, c: int, path: str | None = None) -> Location:
        return Location(file=self.origin, sheet=sheet, cell=_a1(r, c), path=path)

    def error(self, code: str, message: str, loc: Location, sev: Severity = Severity.ERROR):
        self.findings.append(Finding(code, sev, message, loc))

    def put(self, path: str, value: Any, loc: Location) -> None:
        parts = path.split(".")
        node = self.data
        for p in parts[:-1]:
            node = node.setdefault(p, {})
        node[parts[-1]] = value
        self.sources[path] = loc


def _a1(r: int, c: int) -> str:
    letters = ""
    c += 1
    while c:
        c, rem = divmod(c - 1, 26)
        letters = chr(65 + rem) + letters
    return f"{letters}{r + 1}"


# --- entry points -------------------------------------------------------------------------


def load_workbook(path: Path | str, layout: Layout | None = None) -> Result:
    """Load the dataset in the workbook at ``path`` (``.xlsx``/``.xlsm``/``.xls``).

    ``layout``: the template writer's fixed cells (``juesuan.excel.workbook.fixed_layout``);
    with it, a fill-in workbook's guide, summary, derived and catalog sheets are checked
    cell by cell too (every filled cell that is not the template's own is XLS-040).
    """
    origin = str(path)
    p = Path(path)
    try:
        if not p.is_file():
            return None, [_fatal(origin, f"文件不存在或不是普通文件：{origin}")]
        size = p.stat().st_size
        if size > MAX_FILE_BYTES:
            return None, [
                _fatal(origin, f"文件过大（{size / 1048576:.1f} MB），拒绝读取", "XLS-002")
            ]
        data = p.read_bytes()
    except (OSError, ValueError) as exc:
        return None, [_fatal(origin, f"无法读取文件：{origin}（{exc}）")]
    return load_workbook_bytes(data, origin, layout)


def load_workbook_bytes(data: bytes, origin: str, layout: Layout | None = None) -> Result:
    """Load a dataset from workbook bytes; ``origin`` names the file in locations."""
    try:
        sheets = _read(data, origin)
    except _Refused as exc:
        return None, [exc.finding]
    except Exception as exc:  # a damaged file must never end in a traceback
        return None, [_fatal(origin, f"Excel 工作簿已损坏，无法读取（{type(exc).__name__}）")]
    try:
        return _parse(sheets, origin, layout)
    except Exception as exc:
        return None, [_fatal(origin, f"工作簿内容无法解析（{type(exc).__name__}）")]


class _Refused(Exception):
    def __init__(self, finding: Finding) -> None:
        super().__init__(finding.message)
        self.finding = finding


def _fatal(origin: str, message: str, code: str = "XLS-001") -> Finding:
    return Finding(code, Severity.ERROR, message, Location(file=origin))


def _read(data: bytes, origin: str) -> list[_Sheet]:
    def refuse(message: str, code: str = "XLS-001") -> _Refused:
        return _Refused(_fatal(origin, message, code))

    if not data:
        raise refuse("文件为空（0 字节），不是 Excel 工作簿")
    if len(data) > MAX_FILE_BYTES:
        raise refuse("文件过大，拒绝读取", "XLS-002")
    uncached: dict[str, set[tuple[int, int]]] = {}
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
            out.append(_Sheet(name, _offset(sheet), uncached.get(name, set())))
    except _Refused:
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


# --- values -------------------------------------------------------------------------------

_THOUSANDS = re.compile(r"^[+-]?\d{1,3}(,\d{3})+(\.\d+)?$")
_PLAIN = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)$")


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _number(value: Any) -> Decimal | None:
    """The cell as a Decimal; raises ValueError for text that is not a number."""
    if _blank(value):
        return None
    if isinstance(value, bool):
        raise ValueError(str(value))
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError(str(value))
        return Decimal(format(value, ".15g")).normalize() + 0 if value else Decimal(0)
    if isinstance(value, str):
        text = value.strip().replace("\u3000", "").replace(" ", "")
        text = text.translate(_FULLWIDTH)
        if _THOUSANDS.match(text):
            text = text.replace(",", "")
        if _PLAIN.match(text):
            try:
                return Decimal(text)
            except InvalidOperation:
                pass
    raise ValueError(str(value))


_FULLWIDTH = str.maketrans("０１２３４５６７８９．，－", "0123456789.,-")


def _text(value: Any) -> str | None:
    if _blank(value):
        return None
    if isinstance(value, float) and math.isfinite(value) and value == int(value):
        return str(int(value))
    return str(value).strip()


def _code(value: Any) -> str | None:
    text = _text(value)
    if text is None:
        return None
    return text.replace(" ", "").replace("\u3000", "")


def _show(value: Any) -> str:
    text = str(value)
    return f"“{text[:30]}”"


def _norm(text: Any) -> str:
    t = re.sub(r"\s+", "", str(text or ""))
    return t.replace("“", '"').replace("”", '"')


# --- parsing ------------------------------------------------------------------------------


def _parse(sheets: list[_Sheet], origin: str, layout: Layout | None = None) -> Result:
    st = _State(origin)
    by_name = {s.name: s for s in sheets}
    info = by_name.get("部门信息")
    for name in KV_SHEETS:
        sheet = by_name.get(name)
        if sheet is not None:
            _key_values(st, sheet)
    if info is None:
        st.error(
            "XLS-010", "缺少工作表「部门信息」（部门名称、年度、金额单位等）", Location(file=origin)
        )
    profile = st.data.get("profile") or "sichuan-2024"
    unit = st.data.get("unit")
    try:
        specs = profile_specs(str(profile))
    except (OSError, KeyError):
        specs = profile_specs("sichuan-2024")
    year = (st.data.get("department") or {}).get("year")
    try:
        catalogs = load_catalogs(int(year) if isinstance(year, (int, Decimal)) else 2024)
    except Exception:
        catalogs = load_catalogs(2024)
    titles = _find_titles(sheets, specs)
    lines: dict[str, dict[str, Any]] = {}
    line_src: dict[str, dict[str, Location]] = {}
    for spec in specs:
        found = titles.get(spec["key"])
        key = spec["key"]
        needed = key in FUNCTIONAL_INPUT or key in ECONOMIC_INPUT or spec["kind"] == "two_sided"
        if found is None:
            if needed and info is not None:
                # a table the profile does not print is optional: real exports lack it
                optional = spec.get("added")
                st.error(
                    "XLS-010",
                    f"缺少表格「{spec['title'].format(dept='', year='')}」（按表标题查找）"
                    + ("，相应数据按空白处理" if optional else ""),
                    Location(file=origin),
                    Severity.WARNING if optional else Severity.ERROR,
                )
            continue
        sheet, r0, r1 = found
        scale = _scale(st, sheet, r0, r1, unit)
        if key in FUNCTIONAL_INPUT:
            _functional(st, sheet, r0, r1, spec, catalogs, lines, line_src, scale)
        elif key in ECONOMIC_INPUT:
            _economic(st, sheet, r0, r1, ECONOMIC_INPUT[key], catalogs, scale)
        elif spec["kind"] == "two_sided":
            _two_sided(st, sheet, r0, r1, spec, scale)
        elif spec["kind"] == "grid" and key == "sangong":
            _grid(st, sheet, r0, r1, spec, scale)
    if layout is not None and GUIDE_SHEET in by_name:  # the fill-in template: cell by cell
        _unread_fixed(st, sheets, titles, layout, str(profile), catalogs.functional.year)
    st.data["functional"] = []
    for i, (_code_, line) in enumerate(lines.items()):
        st.data["functional"].append(line)
        for sub, loc in line_src[_code_].items():
            st.sources[f"functional.{i}{'.' + sub if sub else ''}"] = loc
    st.findings = _cap_unread(st.findings)
    for path, loc in st.blanks.items():
        st.sources.setdefault(path, loc)
    if any(f.severity is Severity.ERROR for f in st.findings):
        return None, st.findings
    try:
        ds = Dataset.model_validate(st.data)
    except ValidationError as exc:
        out = []
        for f in translate(exc, st.sources, set(), origin):
            src = _nearest(f.location.path or "", st.sources)
            loc = Location(
                file=origin,
                sheet=src.sheet if src else None,
                cell=src.cell if src else None,
                path=f.location.path,
            )
            out.append(Finding(f.code, f.severity, f.message, loc))
        return None, st.findings + out
    return ds.with_sources(origin, st.sources), st.findings


MAX_UNREAD = 20  # XLS-040 findings listed per sheet; the rest are counted


def _unread_fixed(
    st: _State, sheets: list[_Sheet], titles: dict, fixed: Layout, profile: str, year: int
) -> None:
    """Report the filled cells of the template's fixed-layout sheets that are not its own."""
    try:
        layout = fixed(profile, year)
    except (OSError, KeyError, ValueError):
        return
    where: dict[str, list[tuple[int, int, dict[tuple[int, int], str] | None]]] = {}
    for key, (sheet, r0, r1) in titles.items():
        if key in FUNCTIONAL_INPUT or key in ECONOMIC_INPUT:
            where.setdefault(sheet.name, []).append((r0, r1, None))
            head = layout.get(key, {})
            end = max(st.header_end.get((sheet.name, r0), -1), r0 + HEAD_ROWS)
            for r in range(r0, min(end, r1)):
                for c, value in enumerate(sheet.rows[r]):  # title, unit and header rows
                    _unread_cell(st, sheet, r, c, value, head.get((r - r0, c)), r == r0)
        elif key in layout:
            where.setdefault(sheet.name, []).append((r0, r1, layout[key]))
    for name in (GUIDE_SHEET, CATALOG_SHEET):
        where.setdefault(name, []).append((0, 1 << 30, layout.get(name, {})))
    for sheet in sheets:
        if sheet.name in KV_SHEETS:
            continue
        spans = where.get(sheet.name)
        for r, row in enumerate(sheet.rows):
            span = next(((r0, cells) for r0, r1, cells in spans or () if r0 <= r < r1), None)
            if span is not None and span[1] is None:
                continue  # an input list: read (or reported) by the table reader
            for c, value in enumerate(row):
                if _blank(value):
                    continue
                if span is None:
                    message = UNREAD_OUTSIDE if spans else UNREAD_SHEET
                    st.error("XLS-040", message, st.loc(sheet.name, r, c))
                else:
                    kind = span[1].get((r - span[0], c))
                    _unread_cell(st, sheet, r, c, value, kind, r == span[0])


def _unread_cell(
    st: _State, sheet: _Sheet, r: int, c: int, value: Any, kind: str | None, title: bool
) -> None:
    """Report ``value`` at (r, c) unless the template holds it there (``kind``: see
    :data:`~juesuan.io.workbook.unread.Layout`); a title row's text may differ."""
    if _blank(value) or kind == "":
        return
    if kind is None:
        st.error("XLS-040", UNREAD_OUTSIDE, st.loc(sheet.name, r, c))
    elif kind == "=":
        if isinstance(value, str) and value.strip():  # a formula's result is a number
            st.error("XLS-040", UNREAD_FORMULA, st.loc(sheet.name, r, c))
    elif _norm(value) != _norm(kind) and not title and "单位" not in kind:
        st.error("XLS-040", UNREAD_TEXT, st.loc(sheet.name, r, c))


def _cap_unread(findings: list[Finding]) -> list[Finding]:
    """At most :data:`MAX_UNREAD` XLS-040 findings per sheet, then one that counts the rest."""
    out: list[Finding] = []
    count: dict[str, int] = {}
    for f in findings:
        if f.code != "XLS-040":
            out.append(f)
            continue
        sheet = f.location.sheet or ""
        count[sheet] = count.get(sheet, 0) + 1
        if count[sheet] <= MAX_UNREAD:
            out.append(f)
    for sheet, n in count.items():
        if n > MAX_UNREAD:
            out.append(
                Finding(
                    "XLS-040",
                    Severity.ERROR,
                    f"工作表「{sheet}」另有 {n - MAX_UNREAD} 个单元格有内容但未被读取",
                    Location(file=findings[0].location.file, sheet=sheet),
                )
            )
    return out


def _nearest(path: str, sources: dict[str, Location]) -> Location | None:
    probe = path
    while probe:
        if probe in sources:
            return sources[probe]
        probe = probe.rpartition(".")[0]
    return None


_INDEX = re.compile(r"\.\d+(?=\.|$)")


def _known(sheet: str) -> dict[str, tuple[Any, str]]:
    """(entry, its block's path or "") of each path of a key-value sheet (without index)."""
    out: dict[str, tuple[Any, str]] = {}
    for e in entries(sheet):
        out[e.path] = (e, "")
        for child in e.children:
            out[child.path] = (child, e.path)
    return out


def _well_formed(path: str, block: str) -> bool:
    """``path`` has exactly one canonical index, right after its block's path (if any)."""
    if not block:
        return not any(p.isdigit() for p in path.split("."))
    index, _, rest = path[len(block) + 1 :].partition(".")
    return (
        path.startswith(block + ".")
        and index.isdigit()
        and len(index) <= 4
        and (index == "0" or not index.startswith("0"))
        and not any(p.isdigit() for p in rest.split("."))
    )


def _key_values(st: _State, sheet: _Sheet) -> None:
    known = _known(sheet.name)
    texts = kv_texts(sheet.name)
    lists: dict[str, list[Any]] = {}
    keyed: dict[str, dict[str, dict[str, Any]]] = {}  # dict_records: path → key → record
    repeat: str | None = None  # the list the previous data row belongs to (for inserted rows)
    first_row: dict[str, int] = {}  # scalar and row fields: where each was filled first
    for r, row in enumerate(sheet.rows):
        path = _text(row[0]) if row else None
        if not path or is_label(path, texts):
            filled = [c for c, v in enumerate(row) if not _blank(v)]
            if not filled:
                continue
            if all(is_label(row[c], texts) for c in filled):
                repeat = None  # a header or label row of the template
                continue
            if repeat is None:
                for c in filled:
                    if not is_label(row[c], texts):
                        st.error("XLS-040", UNREAD_OUTSIDE, st.loc(sheet.name, r, c))
                continue
            path = repeat  # a row the clerk inserted inside a list: one more item of it
        e, block = known.get(_INDEX.sub("", path), (None, ""))
        if e is None or not _well_formed(path, block):
            st.error(
                "XLS-041",
                f"本行隐藏的 A 列字段标识{_show(path)}无法识别，本行未读取"
                "（请勿修改 A 列；新增内容请在相应列表中插入行）",
                st.loc(sheet.name, r, 0),
            )
            repeat = None
            continue
        if e.kind == "blocks":
            continue
        repeat = path if e.kind in ("list", "dict", "records", "dict_records") else None
        if len(row) > 1 and not _blank(row[1]) and not is_label(row[1], texts):
            st.error("XLS-040", UNREAD_LABEL, st.loc(sheet.name, r, 1))
        width = kv_width(e)
        for c in range(2 + width, len(row)):
            if not _blank(row[c]):
                st.error("XLS-040", UNREAD_BEYOND, st.loc(sheet.name, r, c))
        if e.kind in ("scalar", "row"):
            if path in first_row:
                st.error(
                    "XLS-033",
                    f"字段「{field_label(path)}」重复：已在第 {first_row[path] + 1} 行填写，"
                    "每个字段只能填写一行（请删除或合并其中一行）",
                    st.loc(sheet.name, r, 0, path),
                )
                continue
            first_row[path] = r
        cells = list(row[2:]) + [None] * (len(e.fields) + 6)
        if e.kind == "scalar":
            value = _kv_value(st, sheet, r, 2, path, cells[0])
            if value is not None:
                st.put(path, value, st.loc(sheet.name, r, 2, path))
            else:  # a message about the missing value names the cell to fill in
                st.sources.setdefault(path, st.loc(sheet.name, r, 2, path))
        elif e.kind == "list":
            value = _text(cells[0])
            if value is not None:
                items = lists.setdefault(path, [])
                st.sources[f"{path}.{len(items)}"] = st.loc(sheet.name, r, 2)
                items.append(value)
            else:
                st.blanks.setdefault(path, st.loc(sheet.name, r, 2, path))
        elif e.kind == "dict":
            k = _text(cells[0])
            if e.fields == ("decimal",):
                v = _kv_value(st, sheet, r, 3, f"{path}.{k}", cells[1], "decimal")
            else:
                v = _text(cells[1])
            if k is not None or v is not None:
                items = lists.setdefault(path, [])
                items.append((k or "", v if v is not None else ""))
                st.sources[f"{path}.{k}"] = st.loc(sheet.name, r, 2)
        elif e.kind == "dict_records":
            _dict_record(st, sheet, r, path, e, cells, keyed)
        elif e.kind == "row":
            values = cells[1 : 1 + len(e.fields)]
            if _blank(cells[0]) and all(_blank(c) for c in values):
                st.blanks.setdefault(path, st.loc(sheet.name, r, 3, path))
                continue
            rec: dict[str, Any] = {}
            for j, name in enumerate(e.fields):
                sub = f"{path}.{name}"
                value = _kv_value(st, sheet, r, 3 + j, sub, values[j])
                if value is not None:
                    rec[name] = value
                st.sources[sub] = st.loc(sheet.name, r, 3 + j)
            st.put(path, rec, st.loc(sheet.name, r, 2, path))
        else:
            if all(_blank(c) for c in cells[: len(e.fields)]):
                continue
            items = lists.setdefault(path, [])
            rec = {}
            for j, name in enumerate(e.fields):
                sub = f"{path}.{len(items)}.{name}"
                value = _kv_value(st, sheet, r, 2 + j, sub, cells[j])
                if value is not None:
                    rec[name] = value
                st.sources[sub] = st.loc(sheet.name, r, 2 + j)
            st.sources[f"{path}.{len(items)}"] = st.loc(sheet.name, r, 2)
            items.append(rec)
    for path, items in lists.items():
        e = known[_INDEX.sub("", path)][0]
        first = st.sources.get(f"{path}.0") or Location(file=st.origin, sheet=sheet.name)
        value = dict(items) if e.kind == "dict" else items
        _set(st.data, path, value)
        st.sources.setdefault(path, first)
    for path, records in keyed.items():
        _set(st.data, path, {k: v.get("", v) for k, v in records.items()})
    for e, _ in known.values():
        if e.kind == "blocks":
            _listify(st, st.data, e.path.split("."), "")


def _set(data: dict[str, Any], path: str, value: Any) -> None:
    node = data
    parts = path.split(".")
    for p in parts[:-1]:
        node = node.setdefault(p, {})
    node[parts[-1]] = value


def _listify(st: _State, node: Any, parts: list[str], done: str) -> None:
    """Turn the ``{"0": …, "1": …}`` of a block list at ``parts`` into a list (in index order)."""
    if not isinstance(node, dict) or parts[0] not in node:
        return
    here = f"{done}.{parts[0]}" if done else parts[0]
    if len(parts) > 1:
        _listify(st, node[parts[0]], parts[1:], here)
        return
    value = node[parts[0]]
    if not isinstance(value, dict):
        return
    keys = sorted((k for k in value if k.isdigit()), key=int)
    node[parts[0]] = [value[k] for k in keys]
    moved: dict[str, Location] = {}
    for new, old in enumerate(keys):
        if str(new) == old:
            continue
        prefix = f"{here}.{old}"
        for k in [k for k in st.sources if k == prefix or k.startswith(prefix + ".")]:
            moved[f"{here}.{new}" + k[len(prefix) :]] = st.sources.pop(k)
    st.sources.update(moved)
    for new in range(len(keys)):  # locate a record by its first filled cell
        item = f"{here}.{new}"
        if item not in st.sources:
            first = next((v for k, v in st.sources.items() if k.startswith(item + ".")), None)
            if first is not None:
                st.sources[item] = first
    if keys:
        st.sources.setdefault(here, st.sources.get(f"{here}.0") or Location(file=st.origin))


def _dict_record(st, sheet, r, path, e, cells, keyed) -> None:
    """One row of a mapping to records: the key in C, the fields in D…."""
    key = _text(cells[0])
    values = cells[1 : 1 + len(e.fields)]
    if key is None:
        if not all(_blank(c) for c in values):
            st.error("XLS-022", "缺少键（名称或编号）", st.loc(sheet.name, r, 2, path))
        return
    where = f"{path}.{key}"
    records = keyed.setdefault(path, {})
    seen = key in records
    rec = records.setdefault(key, {})
    generic = _INDEX.sub("", path)
    if not seen:
        st.sources[where] = st.loc(sheet.name, r, 2, where)
    filled = [j for j, c in enumerate(values) if not _blank(c)]
    if e.bare and not seen and filled == [0]:
        # only the first field: the bare number (``inputs: {name: 5}``)
        value = _kv_value(
            st, sheet, r, 3, f"{where}.{e.fields[0]}", values[0], lookup=f"{generic}.{e.fields[0]}"
        )
        if value is not None:
            rec[""] = value
        return
    rec.pop("", None)
    for j, name in enumerate(e.fields):
        if _blank(values[j]):
            continue
        sub = f"{where}.{name}"
        value = _kv_value(st, sheet, r, 3 + j, sub, values[j], lookup=f"{generic}.{name}")
        if value is None:
            continue
        model, field_name = model_at(f"{generic}.{name}")
        if field_kind(model.model_fields[field_name].annotation) == "list":
            items = rec.setdefault(name, [])
            st.sources[f"{sub}.{len(items)}"] = st.loc(sheet.name, r, 3 + j, sub)
            st.sources.setdefault(sub, st.loc(sheet.name, r, 3 + j, sub))
            items.append(value)
        elif name in rec:
            st.error(
                "XLS-023",
                f"“{key}”的{model.model_fields[field_name].description or name}重复填写",
                st.loc(sheet.name, r, 3 + j, sub),
            )
        else:
            rec[name] = value
            st.sources[sub] = st.loc(sheet.name, r, 3 + j, sub)


def _kv_value(
    st: _State,
    sheet: _Sheet,
    r: int,
    c: int,
    path: str,
    raw: Any,
    kind: str | None = None,
    lookup: str | None = None,
) -> Any:
    """The cell's value for field ``path`` (its model field at ``lookup``, default ``path``)."""
    if _blank(raw):
        _uncached(st, sheet, r, c, path)
        return None
    if kind is None:
        model, name = model_at(lookup or _INDEX.sub("", path))
        kind = field_kind(model.model_fields[name].annotation)
        what = model.model_fields[name].description or name
    else:
        what = path.rpartition(".")[2]
    if kind == "mixed":  # text or number: a number cell is a number
        if isinstance(raw, (int, float)) and not isinstance(raw, bool):
            kind = "decimal"
        else:
            return _text(raw)
    if kind == "bool":
        if isinstance(raw, bool):
            return raw
        text = _text(raw)
        return {"是": True, "否": False}.get(text or "", text)
    if kind in ("decimal", "int"):
        try:
            value = _number(raw)
        except ValueError:
            st.error(
                "XLS-030",
                f"应为数字，实际为{_show(raw)}（{what}）",
                st.loc(sheet.name, r, c, path),
            )
            return None
        if kind == "int" and value is not None and value == value.to_integral_value():
            return int(value)
        return value
    return _text(raw)


def _find_titles(sheets: list[_Sheet], specs: list[dict[str, Any]]) -> dict[str, tuple]:
    """key → (sheet, first row, end row) of each table, found by its title text."""
    wanted = {_norm(s["title"].format(dept="", year="")): s["key"] for s in specs}
    hits: list[tuple[_Sheet, int, str]] = []
    for sheet in sheets:
        if sheet.name in KV_SHEETS:
            continue
        for r, row in enumerate(sheet.rows[:100000]):
            for value in row[:6]:
                if not isinstance(value, str) or len(value) > 80:
                    continue
                t = _norm(value)
                t = re.sub(r"^.*?\d{4}年度?", "", t) if t not in wanted else t
                t = re.sub(r"^(表\d+|公开\d+表)", "", t)
                if t in wanted:
                    hits.append((sheet, r, wanted[t]))
                    break
    out: dict[str, tuple] = {}
    for i, (sheet, r, key) in enumerate(hits):
        end = len(sheet.rows)
        for sheet2, r2, _ in hits[i + 1 :]:
            if sheet2 is sheet:
                end = r2
                break
        out.setdefault(key, (sheet, r, end))
    return out


def _scale(st: _State, sheet: _Sheet, r0: int, r1: int, unit: Any) -> Decimal:
    """Factor from the table's 单位 line to the dataset unit."""
    for r in range(r0, min(r0 + 4, r1)):
        for c, value in enumerate(sheet.rows[r] if r < len(sheet.rows) else ()):
            if isinstance(value, str) and "单位" in value:
                m = re.search(r"单位[:：]\s*(万元|元)", value)
                if not m:
                    continue
                here = m.group(1)
                if unit is None:
                    st.data["unit"] = unit = here
                    st.sources["unit"] = st.loc(sheet.name, r, c)
                if here == unit:
                    return Decimal(1)
                return Decimal("0.0001") if unit == "万元" else Decimal(10000)
    return Decimal(1)


def _header(sheet: _Sheet, r0: int, r1: int, labels: set[str]) -> tuple[int, dict[int, str]]:
    """(first data row, column → bottom-most header text) of the table starting at r0."""
    start = None
    for r in range(r0, min(r0 + 8, r1)):
        texts = {_norm(v) for v in sheet.rows[r] if isinstance(v, str)}
        if sum(1 for t in texts if t in labels) >= 1 and any(
            "编码" in t or t in ("项目", "类", "科目名称") for t in texts
        ):
            start = r
            break
    if start is None:
        return -1, {}
    cols: dict[int, str] = {}
    r = start
    while r < min(start + 5, r1):
        row = sheet.rows[r]
        if r > start and (
            any(_code(v) and _code(v).isdigit() and len(_code(v)) >= 3 for v in row[:4])
            or any("合计" == _norm(v) for v in row[:4])
            or (
                any(isinstance(v, (int, float)) and not isinstance(v, bool) for v in row)
                and _norm(row[0] if row else "") not in ("栏次", "行次")
            )
        ):
            break  # a data row (numbers outside a 栏次 row are data, not header)
        for c, v in enumerate(row):
            if isinstance(v, str) and v.strip():
                cols[c] = _norm(v)
        r += 1
        if r < r1 and sheet.rows[r] and _norm(sheet.rows[r][0]) in ("栏次", "行次"):
            r += 1
            break
    return r, cols


def _functional(st, sheet, r0, r1, spec, catalogs, lines, line_src, scale) -> None:
    part = FUNCTIONAL_INPUT[spec["key"]]
    label_path: dict[str, tuple[str, str]] = {}
    for leaf in leaf_columns(spec.get("columns", ())):
        head, _, fld = leaf["figure"].partition(".")
        if head == part and fld != "total":
            label_path[_norm(leaf["label"])] = (leaf["figure"], "amount")
    for label, path, kind in EXTRA_COLUMNS.get(spec["key"], ()):
        label_path[_norm(f"（补充）{label}")] = (path, kind)
        label_path.setdefault(_norm(label), (path, kind))
    first, cols = _header(sheet, r0, r1, set(label_path) | {"科目编码"})
    st.header_end[sheet.name, r0] = first
    title = spec["title"]
    if first < 0:
        st.error(
            "XLS-011",
            f"表「{title}」的表头无法识别（应有科目编码和各金额列）",
            st.loc(sheet.name, r0, 0),
        )
        return
    code_col = next((c for c, t in cols.items() if "编码" in t), None)
    split = [next((c for c, t in cols.items() if t == k), None) for k in ("类", "款", "项")]
    name_col = next((c for c, t in cols.items() if "名称" in t or t == "项目"), None)
    value_cols = {c: label_path[t] for c, t in cols.items() if t in label_path}
    if code_col is None and None in split:
        st.error(
            "XLS-011",
            f"表「{title}」找不到科目编码列（科目编码，或类/款/项）",
            st.loc(sheet.name, r0, 0),
        )
        return
    derived = {_norm(leaf["label"]) for leaf in leaf_columns(spec.get("columns", ()))} | {
        "栏次",
        "行次",
    }
    read = {code_col, *split, name_col, *value_cols}
    sums = {c for c, t in cols.items() if t in derived and c not in value_cols}
    read |= sums
    seen: dict[str, int] = {}
    last_cls = last_kuan = ""
    for r in range(first, r1):
        row = sheet.rows[r]
        _unread_columns(st, sheet, r, row, read)
        total = _norm(row[name_col] if name_col is not None and name_col < len(row) else "")
        total = total in ("合计", "总计") or any(
            isinstance(v, str) and _norm(v) in ("合计", "总计") for v in row[:4]
        )
        _formula_text(st, sheet, r, row, set(value_cols) | sums if total else sums)
        if total:  # the 合计 row has no cell for texts (科目说明, 原因)
            for c, (_, kind) in value_cols.items():
                if kind == "text" and c < len(row) and not _blank(row[c]):
                    st.error("XLS-040", UNREAD_OUTSIDE, st.loc(sheet.name, r, c))

        def get(c: int | None, row: list[Any] = row) -> Any:
            return row[c] if c is not None and c < len(row) else None

        if code_col is not None:
            code = _code(get(code_col))
        else:
            lei, kuan, xiang = (_code(get(c)) for c in split)
            lei = lei or (last_cls if (kuan or xiang) else None)
            if lei:
                last_cls = lei
            if kuan:
                kuan = kuan.zfill(2) if kuan.isdigit() else kuan
                last_kuan = kuan
            elif xiang:
                kuan = last_kuan
            code = (
                (lei or "")
                + (kuan or "")
                + ((xiang.zfill(2) if xiang and xiang.isdigit() else xiang) or "")
            )
            code = code or None
        name = _text(get(name_col))
        values = {c: get(c) for c in value_cols}
        if code is None:
            if name and ("合计" in _norm(name) or "总计" in _norm(name)):
                continue
            # a sum column's formula reads 0 in a blank row once a spreadsheet has computed it
            if all(_blank(v) for v in values.values()) and all(
                _blank(get(c)) or get(c) == 0 for c in sums
            ):
                if name and name != "未知科目":
                    st.error(
                        "XLS-022",
                        f"表「{title}」第{r + 1}行有科目名称但没有科目编码，本行未读取",
                        st.loc(sheet.name, r, name_col),
                    )
                continue
            st.error(
                "XLS-022",
                f"表「{title}」第{r + 1}行有金额但没有科目编码",
                st.loc(sheet.name, r, code_col or split[0] or 0),
            )
            continue
        if _norm(code) in ("合计", "总计"):
            continue
        if not code.isdigit() or len(code) not in (3, 5, 7):
            st.error(
                "XLS-022",
                f"科目编码{_show(code)}格式不正确（应为7位功能分类“项”级编码）",
                st.loc(sheet.name, r, code_col if code_col is not None else split[0]),
            )
            continue
        if len(code) != 7:
            _formula_text(st, sheet, r, row, set(value_cols))
            continue  # 类/款 subtotal rows
        where = st.loc(sheet.name, r, code_col if code_col is not None else split[2])
        entry = catalogs.functional.get(code)
        if entry is None:
            sev = Severity.ERROR if catalogs.functional.complete else Severity.WARNING
            st.error(
                "XLS-020",
                f"科目编码 {code} 不在{catalogs.functional.year}年支出功能分类科目目录中",
                where,
                sev,
            )
        if code in seen:
            st.error(
                "XLS-023",
                f"科目 {code} 在表「{title}」中重复出现（另见第{seen[code] + 1}行）",
                where,
            )
            continue
        seen[code] = r
        line = lines.setdefault(code, {"code": code})
        src = line_src.setdefault(code, {"": where, "code": where})
        if name and not name.startswith("=") and name != "未知科目":
            # exports print the code before the name ("2010601 行政运行"); other digits stay
            lead = re.match(r"^(\d{3,7})\s*", name)
            clean = name[lead.end() :] if lead and code.startswith(lead.group(1)) else name
            clean = clean.strip() or name
            if entry is not None and _norm(clean) != _norm(entry.name):
                st.error(
                    "XLS-021",
                    f"科目 {code} 的名称“{clean}”与目录中的“{entry.name}”不符",
                    st.loc(sheet.name, r, name_col),
                    Severity.WARNING,
                )
            if "name" not in line and clean:
                line["name"] = clean
                src["name"] = st.loc(sheet.name, r, name_col)
        for c, (path, kind) in value_cols.items():
            raw = values[c]
            if _blank(raw):  # where a message about the missing value sends the clerk
                src.setdefault(path, st.loc(sheet.name, r, c))
                continue
            loc = st.loc(sheet.name, r, c)
            if kind == "text":
                line[path] = _text(raw)
                src[path] = loc
                continue
            try:
                value = _number(raw)
            except ValueError:
                st.error(
                    "XLS-030",
                    f"金额单元格应为数字，实际为{_show(raw)}（表「{title}」列「{cols[c]}」）",
                    loc,
                )
                continue
            sub, _, fld = path.partition(".")
            line.setdefault(sub, {})[fld] = value * scale if scale != 1 else value
            src[path] = loc
            src.setdefault(sub, loc)


def _formula_text(st: _State, sheet: _Sheet, r: int, row: list[Any], cols: set) -> None:
    """Report text typed over the formulas (totals) of row ``r`` in columns ``cols``."""
    for c in cols:
        value = row[c] if c < len(row) else None
        if isinstance(value, str) and value.strip():
            try:
                _number(value)
            except ValueError:
                st.error("XLS-040", UNREAD_FORMULA, st.loc(sheet.name, r, c))


def _unread_columns(st: _State, sheet: _Sheet, r: int, row: list[Any], read: set) -> None:
    """Report the filled cells of data row ``r`` in columns the loader does not read."""
    for c, value in enumerate(row):
        if c not in read and not _blank(value):
            st.error("XLS-040", UNREAD_COLUMN, st.loc(sheet.name, r, c))


def _economic(st, sheet, r0, r1, target, catalogs, scale) -> None:
    first, cols = _header(sheet, r0, r1, {"决算数", "金额", "合计"})
    st.header_end[sheet.name, r0] = first
    if first < 0:
        st.error(
            "XLS-011",
            "经济分类表的表头无法识别（应有科目编码、科目名称、决算数）",
            st.loc(sheet.name, r0, 0),
        )
        return
    groups = _economic_groups(cols)
    if groups:  # a message about a missing list names its first row
        st.blanks.setdefault(target, st.loc(sheet.name, first, groups[0]["code"], target))
    read = {c for g in groups for c in g.values() if c is not None}
    read |= {c for c, t in cols.items() if t in ("栏次", "行次")}
    amounts = {g["amount"] for g in groups if g["amount"] is not None}
    for r in range(first, r1):
        row = sheet.rows[r]
        _unread_columns(st, sheet, r, row, read)
        if any(isinstance(v, str) and "合计" in _norm(v) for v in row[:4]):
            _formula_text(st, sheet, r, row, amounts)
    out: list[dict[str, Any]] = []
    for group in groups:
        _economic_list(st, sheet, first, r1, group, target, catalogs, scale, out)
    if len(groups) > 1:  # side-by-side lists (301/303 | 302/310): the dataset is in code order
        order = sorted(range(len(out)), key=lambda i: out[i]["code"])
        moved = {}
        for new, old in enumerate(order):
            for k in [
                k for k in st.sources if k == f"{target}.{old}" or k.startswith(f"{target}.{old}.")
            ]:
                moved[f"{target}.{new}" + k[len(f"{target}.{old}") :]] = st.sources.pop(k)
        st.sources.update(moved)
        out = [out[i] for i in order]
    st.data[target] = out


def _economic_groups(cols: dict[int, str]) -> list[dict[str, int | None]]:
    """The code/款/name/amount columns of each economic list (exports print two side by side)."""
    groups: list[dict[str, int | None]] = []
    for c in sorted(cols):
        t = cols[c]
        if "编码" in t or t == "类":
            groups.append({"code": c, "kuan": None, "name": None, "amount": None})
        elif not groups:
            continue
        elif t == "款":
            groups[-1]["kuan"] = c
        elif "名称" in t and groups[-1]["name"] is None:
            groups[-1]["name"] = c
        elif t in ("决算数", "金额", "合计") and groups[-1]["amount"] is None:
            groups[-1]["amount"] = c
    if not groups:
        groups.append({"code": 0, "kuan": None, "name": None, "amount": None})
        for c in sorted(cols):
            if "名称" in cols[c] and groups[0]["name"] is None:
                groups[0]["name"] = c
            if cols[c] in ("决算数", "金额", "合计") and groups[0]["amount"] is None:
                groups[0]["amount"] = c
    return groups


def _economic_list(st, sheet, first, r1, group, target, catalogs, scale, out) -> None:
    code_col, kuan_col = group["code"], group["kuan"]
    name_col, amount_col = group["name"], group["amount"]
    last_cls = ""
    for r in range(first, r1):
        row = sheet.rows[r]
        code = _code(row[code_col]) if code_col < len(row) else None
        if kuan_col is not None:
            kuan = _code(row[kuan_col]) if kuan_col < len(row) else None
            if code and code.isdigit() and len(code) == 3:
                last_cls = code
            if kuan:
                code = (code or last_cls) + (kuan.zfill(2) if kuan.isdigit() else kuan)
        raw = row[amount_col] if amount_col is not None and amount_col < len(row) else None
        name = _text(row[name_col]) if name_col is not None and name_col < len(row) else None
        if code is None and (not _blank(raw) or (name and name != "未知科目")):
            if not name or not ("合计" in _norm(name) or "总计" in _norm(name)):
                st.error(
                    "XLS-022",
                    f"第{r + 1}行有内容但没有经济分类编码，本行未读取",
                    st.loc(sheet.name, r, code_col),
                )
            continue
        if code is None or not code.isdigit() or len(code) != 5:
            bad = code and (not code.isdigit() or len(code) != 3)
            if bad and "合计" not in code and "总计" not in code:
                st.error(
                    "XLS-022",
                    f"经济分类编码{_show(code)}格式不正确（应为5位“款”级编码）",
                    st.loc(sheet.name, r, code_col),
                )
            continue
        if _blank(raw):
            continue  # exports print every 款; a blank amount is no data
        where = st.loc(sheet.name, r, code_col)
        if catalogs.economic.get(code) is None:
            sev = Severity.ERROR if catalogs.economic.complete else Severity.WARNING
            st.error("XLS-020", f"经济分类编码 {code} 不在目录中", where, sev)
        item: dict[str, Any] = {"code": code}
        idx = len(out)
        st.sources[f"{target}.{idx}"] = where
        st.sources[f"{target}.{idx}.code"] = where
        name = _text(row[name_col]) if name_col is not None and name_col < len(row) else None
        if name and name != "未知科目":
            item["name"] = name
            entry = catalogs.economic.get(code)
            if entry is not None and _norm(name) != _norm(entry.name):
                st.error(
                    "XLS-021",
                    f"经济分类 {code} 的名称“{name}”与目录中的“{entry.name}”不符",
                    st.loc(sheet.name, r, name_col),
                    Severity.WARNING,
                )
        try:
            value = _number(raw)
        except ValueError:
            st.error(
                "XLS-030",
                f"金额单元格应为数字，实际为{_show(raw)}",
                st.loc(sheet.name, r, amount_col),
            )
            continue
        if value is not None:
            item["amount"] = value * scale if scale != 1 else value
            st.sources[f"{target}.{idx}.amount"] = st.loc(sheet.name, r, amount_col)
        out.append(item)


def _uncached(st: _State, sheet: _Sheet, r: int, c: int, path: str) -> None:
    """A blank cell that holds a formula never calculated (saved by a program, not Excel)."""
    if (r, c) in sheet.uncached:
        st.error(
            "XLS-032",
            "单元格中的公式没有计算结果（读作空白），请在 Excel 中打开并保存后再导入",
            st.loc(sheet.name, r, c, path),
        )


def _put_amount(st: _State, sheet: _Sheet, r: int, c: int, path: str, scale: Decimal) -> None:
    raw = sheet.get(r, c)
    try:
        value = _number(raw)
    except ValueError:
        st.error(
            "XLS-030", f"金额单元格应为数字，实际为{_show(raw)}", st.loc(sheet.name, r, c, path)
        )
        return
    if value is not None:
        st.put(path, value * scale if scale != 1 else value, st.loc(sheet.name, r, c, path))
    else:
        st.blanks.setdefault(path, st.loc(sheet.name, r, c, path))


def _label_key(text: Any) -> str:
    return re.sub(r"^[一二三四五六七八九十]+、", "", _norm(text))


def _two_sided(st, sheet, r0, r1, spec, scale) -> None:
    left, right = spec["left"], spec["right"]
    lw = len(left["columns"])
    starts, skip = [0, lw], set()
    # exports add a 行次 column to each side: locate 项目 and skip 行次 (template layout otherwise)
    for r in range(r0 + 1, min(r0 + 7, r1)):
        row = sheet.rows[r] if r < len(sheet.rows) else []
        heads = [c for c, v in enumerate(row) if _norm(v) == "项目"]
        numbers = {c for c, v in enumerate(row) if _norm(v) in ("行次", "栏次")}
        if len(heads) >= 2 and numbers:
            starts, skip = heads[:2], numbers
            break
    for side, col in ((left, starts[0]), (right, starts[1])):
        value_cols = [
            c for c in range(col + 1, col + 1 + 2 * len(side["columns"])) if c not in skip
        ]
        pointer = r0 + 1
        items = [
            i
            for i in [*side.get("rows", ()), *side.get("footer", ())]
            if i and not isinstance(i, dict)
        ]
        for label, *figures in items:
            want = _label_key(label)
            for r in range(pointer, r1):
                if _label_key(sheet.get(r, col)) == want:
                    pointer = r + 1
                    for j, fid in enumerate(figures):
                        path = SCALAR_FIGURES.get(fid)
                        if path and path not in st.sources:
                            _put_amount(st, sheet, r, value_cols[j], path, scale)
                    break


def _grid(st, sheet, r0, r1, spec, scale) -> None:
    r = r0 + 1 + len(spec["header"]) + 1
    # the data row: first row below the header rows
    for k, row in enumerate(spec["rows"]):
        for j, fid in enumerate(row):
            path = SCALAR_FIGURES.get(fid)
            if path and r + k < r1:
                _put_amount(st, sheet, r + k, j, path, scale)
