"""The faces the PDF writer hands to WeasyPrint, and who subsets them.

With the system's harfbuzz-subset library, WeasyPrint subsets the bundled faces itself, in a
few milliseconds. Without it WeasyPrint falls back to fontTools with options that are slow on
large faces (every glyph slot is kept and every outline's bounds recomputed: about a second
per face). Then this module subsets each face once per document instead, to the characters of
the document's HTML (text, generated content and all), with options that are fast on the
TrueType faces we ship, and WeasyPrint embeds these small faces as they are
(``full_fonts``). The subsets are cached on disk by face and character set
(:mod:`juesuan.document.disk_cache`, kind ``fonts``), so a second build reuses them.
"""

from __future__ import annotations

import hashlib
import io
import string
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from juesuan.document import disk_cache
from juesuan.document.fonts import FACES, full_cjk_font

# The faces are served to WeasyPrint from memory under this scheme.
FONT_SCHEME = "juesuan-font:"
_KIND = "fonts"
_MAX_FILES = 64
_FULL_FAMILY = "JS Full"
_FULL_FACE = "Noto Sans CJK SC"


@dataclass(frozen=True)
class PrintFaces:
    """``@font-face`` rules, the font files they name by :data:`FONT_SCHEME` URL, and whether
    the files are subsets already (to be embedded as they are)."""

    css: str
    files: Mapping[str, bytes] = field(default_factory=dict)
    subset: bool = False


def weasyprint_subsets_fast() -> bool:
    """True if WeasyPrint subsets with the system's harfbuzz-subset (>= 4.1)."""
    from weasyprint.pdf import fonts
    from weasyprint.text.ffi import harfbuzz

    if not getattr(fonts, "harfbuzz_subset", None):
        return False
    return bool(harfbuzz.hb_version_atleast(4, 1, 0))


def _rule(family: str, url: str, weight: str | None = None) -> str:
    weight_css = f" font-weight: {weight};" if weight else ""
    return f'@font-face {{ font-family: "{family}"; src: url("{url}");{weight_css} }}'


def file_faces(html: str) -> PrintFaces:
    """The bundled faces by file URL (WeasyPrint subsets), and the full fallback collection
    only if ``html`` has a character no bundled face has: registering the 19 MB collection
    with Fontconfig (a copy and a scan of its ten faces) was paid on every PDF."""
    rules = [
        _rule(family, path.as_uri(), weight)
        for family, faces in FACES.items()
        for path, weight in faces
    ]
    if _rare(document_chars(html)):
        rules.append(_rule(_FULL_FAMILY, full_cjk_font().as_uri()))
    return PrintFaces("\n".join(rules) + "\n")


def document_chars(html: str) -> str:
    """Every character the laid-out document can show: those of its HTML (the text, and the
    generated content of the style sheet: page numbers, leaders, the draft note) and ASCII."""
    return "".join(sorted(set(html) | set(string.printable)))


@cache
def _file_digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@cache
def _fonttools_version() -> str:
    return disk_cache.versions_digest((), ("fonttools",))


def _subset(path: Path, chars: str, face_name: str | None = None) -> bytes | None:
    """``path`` (the face named ``face_name`` of a collection) cut down to ``chars``;
    None if it has none of them."""
    key = hashlib.sha256(
        f"{_fonttools_version()}|{_file_digest(path)}|{face_name}|{chars}".encode()
    ).hexdigest()
    cached = disk_cache.get(_KIND, key, ".ttf", lambda data: len(data) > 12)
    if cached is not None:
        return cached
    from fontTools import subset
    from fontTools.ttLib import TTFont

    number = 0
    if face_name is not None:
        from fontTools.ttLib import TTCollection

        names = [f["name"].getDebugName(1) for f in TTCollection(str(path), lazy=True).fonts]
        number = names.index(face_name) if face_name in names else 0
    # No timestamp or bounds recomputed: same bytes every time, and no outline is decoded.
    font = TTFont(
        str(path), fontNumber=number, lazy=True, recalcTimestamp=False, recalcBBoxes=False
    )
    cmap = font.getBestCmap()
    wanted = [ord(c) for c in chars if ord(c) in cmap]
    if not wanted:
        return None
    options = subset.Options()
    options.layout_features = ["*"]  # the same shaping as the bundled face
    options.name_IDs = ["*"]
    options.notdef_outline = True
    options.hinting = False
    options.desubroutinize = True
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=wanted)
    subsetter.subset(font)
    out = io.BytesIO()
    font.save(out)
    data = out.getvalue()
    disk_cache.put(_KIND, key, ".ttf", data, _MAX_FILES)
    return data


@cache
def _coverage(path: Path) -> frozenset[int]:
    from fontTools.ttLib import TTFont

    return frozenset(TTFont(str(path), lazy=True).getBestCmap())


@cache
def _common_coverage() -> frozenset[int]:
    """The characters every bundled face has."""
    paths = [path for faces in FACES.values() for path, _weight in faces]
    return frozenset.intersection(*(_coverage(path) for path in paths))


def _rare(chars: str) -> str:
    """The characters of ``chars`` some bundled face lacks (the whitespace controls of the
    HTML are not drawn)."""
    common = _common_coverage()
    return "".join(c for c in chars if c.isprintable() and ord(c) not in common)


def subset_faces(html: str) -> PrintFaces:
    """The bundled faces cut down to the characters of ``html``, by :data:`FONT_SCHEME` URL;
    the full fallback collection only for characters no bundled face has."""
    chars = document_chars(html)
    rules: list[str] = []
    files: dict[str, bytes] = {}
    for family, faces in FACES.items():
        for path, weight in faces:
            data = _subset(path, chars)
            if data is None:
                continue
            url = f"{FONT_SCHEME}{path.stem}"
            files[url] = data
            rules.append(_rule(family, url, weight))
    rare = _rare(chars)
    if rare:
        data = _subset(full_cjk_font(), rare, _FULL_FACE)
        if data is not None:
            url = f"{FONT_SCHEME}full"
            files[url] = data
            rules.append(_rule(_FULL_FAMILY, url))
    return PrintFaces("\n".join(rules) + "\n", files, subset=True)
