"""Store imported catalog entries as the user's catalog of a year (see :mod:`juesuan.catalog.catalogs`).

All files are written to temporary files first and then renamed into place, so a failed
import leaves the previous catalog untouched.
"""

from __future__ import annotations

import csv
import io
import json
import os
import tempfile
from datetime import datetime
from pathlib import Path

from juesuan.catalog.catalogs import (
    CSV_COLUMNS,
    META_FILE,
    clear_cache,
    level_of,
    parent_codes,
    read_meta,
    user_catalog_dir,
)
from juesuan.catalog.rows import Candidate


def _csv_text(entries: dict[str, Candidate], scheme: str) -> str:
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


def store_catalog(
    path: Path,
    year: int,
    resolved: dict[str, dict[str, Candidate]],
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
