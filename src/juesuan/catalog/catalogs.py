"""Classification catalogs (政府收支分类科目), one per scheme and year.

Two schemes are supported:

* ``functional`` -- 支出功能分类科目: 类 (3 digits) / 款 (5) / 项 (7), e.g. 201 / 20131 / 2013101;
* ``economic``   -- 部门预算支出经济分类科目: 类 (3) / 款 (5), e.g. 301 / 30101.

Codes roll up by prefix, so the parents of a code are its 3- and 5-digit prefixes.

Catalogs come from two places: the lists bundled in ``juesuan/data/catalogs/<year>/`` (not
complete: a code missing from them is only a warning) and catalogs the user imported with
:func:`juesuan.catalog.importer.import_catalog`, stored under
``$JUESUAN_HOME/catalogs/<year>/`` (default ``~/.local/share/juesuan``). A user catalog
is merged over the bundled list of the same (or the nearest) year and scheme: its codes are
added, its names replace the bundled ones, every other bundled code stays.
"""

from __future__ import annotations

import csv
import io
import json
import os
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from juesuan.core.findings import Finding, JuesuanError, Location, Severity

SCHEMES: tuple[str, ...] = ("functional", "economic")
SCHEME_LABELS: dict[str, str] = {"functional": "支出功能分类", "economic": "部门预算支出经济分类"}
LEVELS: tuple[str, ...] = ("类", "款", "项")
BUNDLED = "bundled"
CSV_COLUMNS: tuple[str, ...] = ("code", "name", "level", "parent", "source")
META_FILE = "catalog.json"

_LEVEL_BY_LENGTH: dict[str, dict[int, str]] = {
    "functional": {3: "类", 5: "款", 7: "项"},
    "economic": {3: "类", 5: "款"},
}
_FIRST_DIGIT: dict[str, str] = {"functional": "2", "economic": "3"}


@dataclass(frozen=True, slots=True)
class CatalogEntry:
    code: str
    name: str
    level: str  # "类" | "款" | "项"
    parent: str | None
    source: str


def _check_scheme(scheme: str) -> None:
    if scheme not in SCHEMES:
        raise ValueError(f"未知的分类方案：{scheme!r}（应为 functional 或 economic）")


def level_of(code: str, scheme: str) -> str | None:
    """The level (类/款/项) a code has in ``scheme`` judged by its length, or None if invalid."""
    _check_scheme(scheme)
    if not (isinstance(code, str) and code.isascii() and code.isdigit()):
        return None
    return _LEVEL_BY_LENGTH[scheme].get(len(code))


def scheme_of(code: str) -> str | None:
    """Guess the scheme of a code: 2xx -> functional, 3xx -> economic (None otherwise)."""
    for scheme, digit in _FIRST_DIGIT.items():
        if code.startswith(digit) and level_of(code, scheme) is not None:
            return scheme
    return None


def parent_codes(code: str, scheme: str) -> list[str]:
    """Structural parents of a code, outermost first ("2013101" -> ["201", "20131"])."""
    if level_of(code, scheme) is None:
        return []
    return [code[:n] for n in (3, 5) if n < len(code)]


class Catalog:
    """One scheme of the classification for one year."""

    __slots__ = ("_complete", "_entries", "_imported_from", "_origin", "_scheme", "_year")

    def __init__(
        self,
        scheme: str,
        year: int,
        entries: dict[str, CatalogEntry],
        *,
        complete: bool,
        origin: str,
        imported_from: str | None = None,
    ) -> None:
        _check_scheme(scheme)
        self._scheme = scheme
        self._year = year
        self._complete = complete
        self._origin = origin
        self._imported_from = imported_from
        self._entries = dict(sorted(entries.items()))

    @property
    def scheme(self) -> str:
        """ "functional" or "economic"."""
        return self._scheme

    @property
    def year(self) -> int:
        """The catalog year (may differ from the year requested from load_catalogs)."""
        return self._year

    @property
    def complete(self) -> bool:
        """True if this is a full official catalog: a code missing from it is an error."""
        return self._complete

    @property
    def origin(self) -> str:
        """ "bundled", or the path of the user catalog file that was loaded."""
        return self._origin

    @property
    def imported_from(self) -> str | None:
        """For a user catalog: the spreadsheet it was imported from."""
        return self._imported_from

    def get(self, code: str) -> CatalogEntry | None:
        return self._entries.get(code)

    def name(self, code: str) -> str | None:
        entry = self._entries.get(code)
        return entry.name if entry else None

    def parents(self, code: str) -> list[str]:
        """Parent codes of ``code`` by prefix, outermost first (whether or not they are listed)."""
        return parent_codes(code, self.scheme)

    def __contains__(self, code: object) -> bool:
        return isinstance(code, str) and code in self._entries

    def __len__(self) -> int:
        return len(self._entries)

    def __iter__(self) -> Iterator[CatalogEntry]:
        """Entries in code order."""
        return iter(self._entries.values())

    def __repr__(self) -> str:
        return (
            f"Catalog(scheme={self.scheme!r}, year={self.year}, entries={len(self)}, "
            f"complete={self.complete}, origin={self.origin!r})"
        )


@dataclass(frozen=True)
class Catalogs:
    """The functional and economic catalogs used for one requested year.

    ``year`` is the catalog year actually used (that of the functional catalog; each
    ``Catalog.year`` is authoritative if the schemes came from different years) and
    ``requested_year`` the year that was asked for.
    """

    functional: Catalog
    economic: Catalog
    year: int
    requested_year: int

    @property
    def exact(self) -> bool:
        """True when both catalogs are of the requested year."""
        return self.functional.year == self.economic.year == self.requested_year

    def by_scheme(self, scheme: str) -> Catalog:
        _check_scheme(scheme)
        return self.functional if scheme == "functional" else self.economic


# --------------------------------------------------------------------------- locations


def juesuan_home() -> Path:
    """The user data directory: ``$JUESUAN_HOME`` or ``~/.local/share/juesuan``."""
    env = os.environ.get("JUESUAN_HOME")
    return Path(env).expanduser() if env else Path.home() / ".local" / "share" / "juesuan"


def user_catalog_dir(year: int | None = None) -> Path:
    base = juesuan_home() / "catalogs"
    return base if year is None else base / str(year)


def _bundled_root() -> Any:  # importlib.resources Traversable
    return resources.files("juesuan") / "data" / "catalogs"


def _year_dirs(root: Any) -> dict[int, Any]:
    out: dict[int, Any] = {}
    try:
        if not root.is_dir():
            return out
        children = list(root.iterdir())
    except OSError:
        return out
    for child in children:
        if child.is_dir() and child.name.isdigit():
            out[int(child.name)] = child
    return out


def _available(scheme: str) -> dict[int, tuple[str, Any]]:
    """year -> (kind, directory) holding a catalog of ``scheme``; user beats bundled."""
    found: dict[int, tuple[str, Any]] = {}
    for year, d in _year_dirs(_bundled_root()).items():
        if (d / f"{scheme}.csv").is_file():
            found[year] = (BUNDLED, d)
    for year, d in _year_dirs(user_catalog_dir()).items():
        if (d / f"{scheme}.csv").is_file():
            found[year] = ("user", d)
    return found


def _pick_year(requested: int, years: list[int]) -> int | None:
    """The requested year if present, else the nearest earlier, else the nearest later."""
    if requested in years:
        return requested
    earlier = [y for y in years if y < requested]
    if earlier:
        return max(earlier)
    later = [y for y in years if y > requested]
    return min(later) if later else None


# --------------------------------------------------------------------------- reading


def read_meta(directory: Any) -> dict[str, Any]:
    meta_path = directory / META_FILE
    try:
        if not meta_path.is_file():
            return {}
        data = json.loads(meta_path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def _scheme_meta(meta: dict[str, Any], scheme: str) -> dict[str, Any]:
    schemes = meta.get("schemes")
    if isinstance(schemes, dict) and isinstance(schemes.get(scheme), dict):
        return dict(schemes[scheme])
    return {}


def parse_catalog_csv(text: str, scheme: str, file: str) -> dict[str, CatalogEntry]:
    """Parse the stored catalog format (``code,name,level,parent,source``).

    Raises :class:`JuesuanError` (with located findings) if the file is not valid.
    """
    findings: list[Finding] = []
    entries: dict[str, CatalogEntry] = {}
    reader = csv.reader(io.StringIO(text.lstrip("\ufeff")))
    header = next(reader, None)
    if header is None or [h.strip() for h in header[: len(CSV_COLUMNS)]] != list(CSV_COLUMNS):
        raise JuesuanError(
            [
                Finding(
                    "CAT-LOAD-001",
                    Severity.ERROR,
                    f"分类科目目录文件表头应为 {','.join(CSV_COLUMNS)}",
                    Location(file=file, line=1),
                )
            ]
        )
    for line_no, row in enumerate(reader, start=2):
        if not any(cell.strip() for cell in row):
            continue
        cells = [*row, "", "", "", "", ""][:5]
        code, name, _level, _parent, source = (c.strip() for c in cells)
        level = level_of(code, scheme)
        if level is None or not code.startswith(_FIRST_DIGIT[scheme]) or not name:
            findings.append(
                Finding(
                    "CAT-LOAD-002",
                    Severity.ERROR,
                    f"无效的{SCHEME_LABELS[scheme]}科目行：编码「{code}」名称「{name}」",
                    Location(file=file, line=line_no),
                )
            )
            continue
        parents = parent_codes(code, scheme)
        entries[code] = CatalogEntry(
            code=code,
            name=name,
            level=level,
            parent=parents[-1] if parents else None,
            source=source,
        )
    if findings:
        raise JuesuanError(findings)
    return entries


def _bundled_entries(scheme: str, year: int) -> dict[str, CatalogEntry]:
    """The bundled list nearest ``year``: a user catalog is merged over it, so importing a
    few codes adds them (or renames them) instead of replacing every other code."""
    dirs = {y: d for y, d in _year_dirs(_bundled_root()).items() if (d / f"{scheme}.csv").is_file()}
    near = _pick_year(year, sorted(dirs))
    if near is None:
        return {}
    text = (dirs[near] / f"{scheme}.csv").read_text(encoding="utf-8")
    return parse_catalog_csv(text, scheme, f"juesuan/data/catalogs/{near}/{scheme}.csv")


def _load_scheme(scheme: str, requested: int) -> Catalog:
    available = _available(scheme)
    year = _pick_year(requested, sorted(available))
    if year is None:
        return Catalog(scheme, requested, {}, complete=False, origin=BUNDLED)
    kind, directory = available[year]
    csv_file = directory / f"{scheme}.csv"
    file_label = str(csv_file) if kind != BUNDLED else f"juesuan/data/catalogs/{year}/{scheme}.csv"
    try:
        text = csv_file.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise JuesuanError(
            [
                Finding(
                    "CAT-LOAD-003",
                    Severity.ERROR,
                    f"无法读取分类科目目录文件：{exc}",
                    Location(file=file_label),
                )
            ]
        ) from exc
    entries = parse_catalog_csv(text, scheme, file_label)
    if kind != BUNDLED:
        entries = {**_bundled_entries(scheme, year), **entries}
    meta = read_meta(directory)
    scheme_meta = _scheme_meta(meta, scheme)
    complete = bool(scheme_meta.get("complete", meta.get("complete", False)))
    imported_from = scheme_meta.get("imported_from")
    return Catalog(
        scheme,
        year,
        entries,
        complete=complete,
        origin=BUNDLED if kind == BUNDLED else str(csv_file),
        imported_from=str(imported_from) if imported_from else None,
    )


_Signature = tuple[str, tuple[tuple[str, int, int, int], ...]]


def _user_signature() -> _Signature:
    """Stat of every user catalog file, so the cache notices imports (also by other processes)."""
    base = user_catalog_dir()
    stats: list[tuple[str, int, int, int]] = []
    for d in _year_dirs(base).values():
        try:
            for f in Path(d).iterdir():
                if f.suffix in (".csv", ".json") and f.is_file():
                    st = f.stat()
                    stats.append((str(f), st.st_ino, st.st_mtime_ns, st.st_size))
        except OSError:
            continue
    return (str(base), tuple(sorted(stats)))


@lru_cache(maxsize=32)
def _load_catalogs_cached(year: int, _signature: _Signature) -> Catalogs:
    functional = _load_scheme("functional", year)
    economic = _load_scheme("economic", year)
    return Catalogs(
        functional=functional, economic=economic, year=functional.year, requested_year=year
    )


def load_catalogs(year: int) -> Catalogs:
    """Catalogs for ``year`` (cached; user-imported catalogs override bundled ones).

    If no catalog exists for ``year`` the nearest earlier year is used, else the nearest
    later one; ``Catalogs.year`` / ``Catalog.year`` say which. Raises
    :class:`JuesuanError` if a stored user catalog file is unreadable or malformed.
    """
    return _load_catalogs_cached(int(year), _user_signature())


def clear_cache() -> None:
    _load_catalogs_cached.cache_clear()
