"""Deterministic re-packing of the zip containers (DOCX, XLSX): the same content always
gives the same bytes — fixed timestamps and attributes, a stable entry order."""

from __future__ import annotations

import zipfile
from collections.abc import Callable
from io import BytesIO

ZIP_DATE_TIME = (2000, 1, 1, 0, 0, 0)
FIRST = ("[Content_Types].xml", "_rels/.rels")


def repack(data: bytes, transform: Callable[[str, bytes], bytes] | None = None) -> bytes:
    """``data`` re-zipped deterministically; ``transform(name, payload)`` may rewrite parts."""
    with zipfile.ZipFile(BytesIO(data)) as src:
        entries = {name: src.read(name) for name in src.namelist()}
    return pack(entries, transform)


def pack(
    entries: dict[str, bytes], transform: Callable[[str, bytes], bytes] | None = None
) -> bytes:
    """The parts ``entries`` (zip member name -> payload) zipped deterministically, each
    compressed once; ``transform(name, payload)`` may rewrite parts."""
    if transform is not None:
        entries = {name: transform(name, payload) for name, payload in entries.items()}
    first = [n for n in FIRST if n in entries]
    order = first + sorted(n for n in entries if n not in first)
    out = BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for name in order:
            info = zipfile.ZipInfo(name, date_time=ZIP_DATE_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 0
            info.external_attr = 0
            dst.writestr(info, entries[name], compresslevel=6)
    return out.getvalue()
