"""Import an official classification catalog (政府收支分类科目) from a spreadsheet or CSV.

The official catalog of a year is distributed as a spreadsheet (with the 决算 software or by
the finance bureau). :func:`import_catalog` reads such a file (.xlsx/.xlsm/.xlsb/.xls/.ods via
python-calamine, or .csv/.tsv/.txt), finds the code and name columns by their header text,
and stores the entries as the user's catalog of that year (see :mod:`juesuan.catalog.catalogs`).

Tolerated layouts: one code column (科目编码/编码/代码) holding numbers or text, or codes
split into 类/款/项 columns (款/项 as "06" or 6, parents repeated or inherited from the
rows above); names indented with spaces or wrapped inside the cell; several sheets (e.g. one
per scheme); several code/name blocks side by side. Problems are returned as findings with
file/sheet/cell locations; nothing is raised for a bad file, and nothing is written unless
the whole import succeeds (temporary files, then atomic renames).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from juesuan.catalog.catalogs import LEVELS, SCHEME_LABELS, SCHEMES, level_of, user_catalog_dir
from juesuan.catalog.headers import HEADER_SCAN_ROWS
from juesuan.catalog.rows import RowParser, resolve_candidates
from juesuan.catalog.sheets import SPREADSHEET_SUFFIXES, TEXT_SUFFIXES, read_sheets
from juesuan.catalog.store import store_catalog
from juesuan.core.findings import Finding, Location, Severity, has_errors

__all__ = [
    "HEADER_SCAN_ROWS",
    "SPREADSHEET_SUFFIXES",
    "TEXT_SUFFIXES",
    "ImportResult",
    "import_catalog",
]


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

    sheets = read_sheets(path, findings)
    if sheets is None:
        return done()

    parser = RowParser(path, scheme, findings)
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

    resolved = resolve_candidates(parser, findings)
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
        written = store_catalog(path, year, resolved, counts, complete)
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
