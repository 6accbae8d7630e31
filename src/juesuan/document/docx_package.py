"""The DOCX package: the parts every document shares (``juesuan/data/docx/``, see
:mod:`juesuan.document.docx_template`), the parts a document adds (headers, footer, chart
images), their relationships and content types, the core properties, and the zip."""

from __future__ import annotations

import struct
from collections.abc import Sequence
from datetime import datetime
from functools import lru_cache
from pathlib import Path

from juesuan.document.wordprocessingml import XML_DECLARATION, xml_text
from juesuan.document.ziprepack import pack

_DATA = Path(__file__).resolve().parent.parent / "data" / "docx"
_RELS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_RELS_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
_CT_NS = "http://schemas.openxmlformats.org/package/2006/content-types"
_OFFICE = "application/vnd.openxmlformats-officedocument"
_WML = f"{_OFFICE}.wordprocessingml"
# The shared parts' relationships from the main document, in the template's order.
_SHARED_RELS = (
    ("rId3", "styles", "styles.xml"),
    ("rId5", "settings", "settings.xml"),
    ("rId6", "webSettings", "webSettings.xml"),
    ("rId7", "fontTable", "fontTable.xml"),
    ("rId8", "theme", "theme/theme1.xml"),
    ("rId1", "customXml", "../customXml/item1.xml"),
    ("rId2", "numbering", "numbering.xml"),
)
_SHARED_TYPES = {
    "/customXml/itemProps1.xml": f"{_OFFICE}.customXmlProperties+xml",
    "/docProps/app.xml": f"{_OFFICE}.extended-properties+xml",
    "/docProps/core.xml": "application/vnd.openxmlformats-package.core-properties+xml",
    "/word/document.xml": f"{_WML}.document.main+xml",
    "/word/fontTable.xml": f"{_WML}.fontTable+xml",
    "/word/numbering.xml": f"{_WML}.numbering+xml",
    "/word/settings.xml": f"{_WML}.settings+xml",
    "/word/styles.xml": f"{_WML}.styles+xml",
    "/word/theme/theme1.xml": f"{_OFFICE}.theme+xml",
    "/word/webSettings.xml": f"{_WML}.webSettings+xml",
}
_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
# The package's relationships (kept here: a file named ".rels" would not be packaged).
_PACKAGE_RELS = (
    ("rId3", f"{_RELS_NS}/metadata/core-properties", "docProps/core.xml"),
    ("rId4", f"{_RELS}/extended-properties", "docProps/app.xml"),
    ("rId1", f"{_RELS}/officeDocument", "word/document.xml"),
)


# The parts every document shares, kept in juesuan/data/docx/ (zip member names).
_SHARED_PARTS = (
    "customXml/_rels/item1.xml.rels",
    "customXml/item1.xml",
    "customXml/itemProps1.xml",
    "docProps/app.xml",
    "word/fontTable.xml",
    "word/numbering.xml",
    "word/settings.xml",
    "word/styles.xml",
    "word/theme/theme1.xml",
    "word/webSettings.xml",
)


@lru_cache(maxsize=1)
def shared_parts() -> dict[str, bytes]:
    """The parts every document shares (zip member name -> bytes)."""
    return {name: (_DATA / name).read_bytes() for name in _SHARED_PARTS}


def png_size(png: bytes, width: int) -> tuple[int, int]:
    """(cx, cy) EMU of a PNG shown ``width`` EMU wide, its aspect ratio kept; the image's
    own size from its pixels and resolution (72 dpi when it states none), as Word reads it.
    Raises ValueError when the bytes are not a PNG image."""
    if not png.startswith(_PNG_SIGNATURE) or png[12:16] != b"IHDR":
        raise ValueError("the bytes are not a PNG image")
    px_width, px_height = struct.unpack(">II", png[16:24])
    dpi_x = dpi_y = 72
    at = 8
    while at + 8 <= len(png):
        length, kind = struct.unpack(">I4s", png[at : at + 8])
        if kind == b"pHYs" and length >= 9:
            per_x, per_y, unit = struct.unpack(">IIB", png[at + 8 : at + 17])
            if unit == 1:
                dpi_x = round(per_x * 0.0254) if per_x else 72
                dpi_y = round(per_y * 0.0254) if per_y else 72
            break
        if kind in (b"IDAT", b"IEND"):
            break
        at += length + 12
    native_width = int(px_width / dpi_x * 914400)
    native_height = int(px_height / dpi_y * 914400)
    return width, round(native_height * (float(width) / float(native_width)))


def core_properties(title: str, year: int) -> bytes:
    """``docProps/core.xml``: title, subject, author, the 31 December of ``year`` as every
    date (the same input gives the same bytes)."""
    if len(title) > 255:
        raise ValueError(f"exceeded 255 char limit for property, got:\n\n'{title}'")
    stamp = datetime(year if 1900 < year < 10000 else 2000, 12, 31).strftime("%Y-%m-%dT%H:%M:%SZ")
    date = f' xsi:type="dcterms:W3CDTF">{stamp}</dcterms:'
    return (
        f"{XML_DECLARATION}<cp:coreProperties "
        'xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" '
        'xmlns:dcmitype="http://purl.org/dc/dcmitype/" '
        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
        f"<dc:title>{xml_text(title)}</dc:title><dc:subject>部门决算</dc:subject>"
        "<dc:creator>juesuan</dc:creator><cp:keywords></cp:keywords>"
        "<dc:description></dc:description><cp:lastModifiedBy>juesuan</cp:lastModifiedBy>"
        f"<cp:revision>1</cp:revision><dcterms:created{date}created>"
        f"<dcterms:modified{date}modified><cp:category></cp:category>"
        f"<dc:language>zh-CN</dc:language><cp:lastPrinted>{stamp}</cp:lastPrinted>"
        "</cp:coreProperties>"
    ).encode()


def _relationships(rels: Sequence[tuple[str, str, str]]) -> bytes:
    xml = "".join(
        f'<Relationship Id="{rid}" Type="{kind}" Target="{target}"/>' for rid, kind, target in rels
    )
    return f'{XML_DECLARATION}<Relationships xmlns="{_RELS_NS}">{xml}</Relationships>'.encode()


class Package:
    """The parts a document adds to the shared ones, with the main document's
    relationships (ids numbered as python-docx numbered them: the first free number)."""

    def __init__(self) -> None:
        self.parts: dict[str, bytes] = {}
        self.types: dict[str, str] = {}
        self._rels = [(rid, f"{_RELS}/{kind}", target) for rid, kind, target in _SHARED_RELS]
        self._used = {int(rid[3:]) for rid, _, _ in _SHARED_RELS}
        self._images: dict[bytes, str] = {}

    def _relate(self, kind: str, target: str) -> str:
        n = 1
        while n in self._used:
            n += 1
        self._used.add(n)
        rid = f"rId{n}"
        self._rels.append((rid, f"{_RELS}/{kind}", target))
        return rid

    def _numbered(self, stem: str, ext: str) -> str:
        n = 1
        while f"word/{stem}{n}.{ext}" in self.parts:
            n += 1
        return f"{stem}{n}.{ext}"

    def add_story(self, kind: str, xml: str) -> str:
        """A header or footer part (``kind``) holding ``xml``; its relationship id."""
        name = self._numbered(kind, "xml")
        self.parts[f"word/{name}"] = xml.encode("utf-8")
        self.types[f"/word/{name}"] = f"{_WML}.{kind}+xml"
        return self._relate(kind, name)

    def add_image(self, png: bytes) -> str:
        """A PNG image part, once per distinct image; its relationship id."""
        rid = self._images.get(png)
        if rid is None:
            name = self._numbered("media/image", "png")
            self.parts[f"word/{name}"] = png
            rid = self._images[png] = self._relate("image", name)
        return rid

    def _relationships(self) -> bytes:
        rels = "".join(
            f'<Relationship Id="{rid}" Type="{kind}" Target="{target}"/>'
            for rid, kind, target in self._rels
        )
        return (
            f'{XML_DECLARATION}<Relationships xmlns="{_RELS_NS}">{rels}</Relationships>'
        ).encode()

    def _content_types(self) -> bytes:
        defaults = {"rels": "application/vnd.openxmlformats-package.relationships+xml"}
        defaults["xml"] = "application/xml"
        if self._images:
            defaults["png"] = "image/png"
        overrides = {**_SHARED_TYPES, **self.types}
        xml = [f'{XML_DECLARATION}<Types xmlns="{_CT_NS}">']
        xml += (f'<Default Extension="{e}" ContentType="{defaults[e]}"/>' for e in sorted(defaults))
        xml += (
            f'<Override PartName="{p}" ContentType="{overrides[p]}"/>' for p in sorted(overrides)
        )
        xml.append("</Types>")
        return "".join(xml).encode("utf-8")

    def zip(self, document: str, core: bytes) -> bytes:
        """The package with the main document ``document`` and core properties ``core``,
        zipped deterministically (see :mod:`juesuan.document.ziprepack`)."""
        entries = dict(shared_parts())
        entries.update(self.parts)
        entries["word/document.xml"] = document.encode("utf-8")
        entries["_rels/.rels"] = _relationships(_PACKAGE_RELS)
        entries["word/_rels/document.xml.rels"] = _relationships(self._rels)
        entries["docProps/core.xml"] = core
        entries["[Content_Types].xml"] = self._content_types()
        return pack(entries)
