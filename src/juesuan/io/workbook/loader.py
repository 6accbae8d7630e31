"""Import a workbook (the fill-in template, or an export in the standard tables' layout).

``load_workbook(path) -> (Dataset | None, findings)``, the same contract as
:func:`juesuan.io.yaml_loader.load_yaml`: bad input never raises, every problem is a
finding located by sheet and cell (``收入决算表!E12``).

The parts: :mod:`.sheets` reads the bytes, :mod:`.tables` finds the standard tables, and
:mod:`.functional`, :mod:`.economic`, :mod:`.scalars` and :mod:`.key_values` read them;
:mod:`.unread_cells` reports what none of them reads.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from juesuan.catalog.catalogs import load_catalogs
from juesuan.core.findings import Finding, Location, Severity
from juesuan.io.validation_messages import translate
from juesuan.io.workbook.economic import economic
from juesuan.io.workbook.fields import KV_SHEETS
from juesuan.io.workbook.functional import functional
from juesuan.io.workbook.key_values import key_values
from juesuan.io.workbook.layout import ECONOMIC_INPUT, FUNCTIONAL_INPUT, profile_specs
from juesuan.io.workbook.scalars import grid, two_sided
from juesuan.io.workbook.sheets import MAX_FILE_BYTES, Refused, Sheet, fatal, read_sheets
from juesuan.io.workbook.state import State
from juesuan.io.workbook.tables import find_titles, table_scale
from juesuan.io.workbook.unread import GUIDE_SHEET, Layout
from juesuan.io.workbook.unread_cells import cap_unread, unread_fixed
from juesuan.model.dataset import Dataset

__all__ = ["load_workbook", "load_workbook_bytes", "parse"]


Result = tuple[Dataset | None, list[Finding]]


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
            return None, [fatal(origin, f"文件不存在或不是普通文件：{origin}")]
        size = p.stat().st_size
        if size > MAX_FILE_BYTES:
            return None, [
                fatal(origin, f"文件过大（{size / 1048576:.1f} MB），拒绝读取", "XLS-002")
            ]
        data = p.read_bytes()
    except (OSError, ValueError) as exc:
        return None, [fatal(origin, f"无法读取文件：{origin}（{exc}）")]
    return load_workbook_bytes(data, origin, layout)


def load_workbook_bytes(data: bytes, origin: str, layout: Layout | None = None) -> Result:
    """Load a dataset from workbook bytes; ``origin`` names the file in locations."""
    try:
        sheets = read_sheets(data, origin)
    except Refused as exc:
        return None, [exc.finding]
    except Exception as exc:  # a damaged file must never end in a traceback
        return None, [fatal(origin, f"Excel 工作簿已损坏，无法读取（{type(exc).__name__}）")]
    try:
        return parse(sheets, origin, layout)
    except Exception as exc:
        return None, [fatal(origin, f"工作簿内容无法解析（{type(exc).__name__}）")]


def parse(sheets: list[Sheet], origin: str, layout: Layout | None = None) -> Result:
    st = State(origin)
    by_name = {s.name: s for s in sheets}
    info = by_name.get("部门信息")
    for name in KV_SHEETS:
        sheet = by_name.get(name)
        if sheet is not None:
            key_values(st, sheet)
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
    titles = find_titles(sheets, specs)
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
        scale = table_scale(st, sheet, r0, r1, unit)
        if key in FUNCTIONAL_INPUT:
            functional(st, sheet, r0, r1, spec, catalogs, lines, line_src, scale)
        elif key in ECONOMIC_INPUT:
            economic(st, sheet, r0, r1, ECONOMIC_INPUT[key], catalogs, scale)
        elif spec["kind"] == "two_sided":
            two_sided(st, sheet, r0, r1, spec, scale, catalogs)
        elif spec["kind"] == "grid" and key == "sangong":
            grid(st, sheet, r0, r1, spec, scale)
    if layout is not None and GUIDE_SHEET in by_name:  # the fill-in template: cell by cell
        unread_fixed(st, sheets, titles, layout, str(profile), catalogs.functional.year)
    st.data["functional"] = []
    for i, (_code_, line) in enumerate(lines.items()):
        st.data["functional"].append(line)
        for sub, loc in line_src[_code_].items():
            st.sources[f"functional.{i}{'.' + sub if sub else ''}"] = loc
    st.findings = cap_unread(st.findings)
    for path, loc in st.blanks.items():  # where a message about a missing value points
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
    return ds.with_sources(origin, st.sources).with_printed(st.printed), st.findings


def _nearest(path: str, sources: dict[str, Location]) -> Location | None:
    probe = path
    while probe:
        if probe in sources:
            return sources[probe]
        probe = probe.rpartition(".")[0]
    return None
