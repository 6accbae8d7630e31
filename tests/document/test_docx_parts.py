"""The DOCX package written as text: every part is what lxml would write for the same
elements, the shared parts follow from the style definitions, the package is consistent,
and building a DOCX needs neither python-docx nor lxml."""

from __future__ import annotations

import dataclasses
import io
import struct
import subprocess
import sys
import zipfile
import zlib
from pathlib import PurePosixPath

import docx
import pytest
from docx.image.image import Image
from docx.shared import Cm
from lxml import etree

from juesuan.document.docx import write_docx
from juesuan.document.docx_package import png_size, shared_parts
from juesuan.document.docx_template import template_parts
from juesuan.document.model import (
    Cell,
    ChartRef,
    Document,
    Heading,
    PageBreak,
    Paragraph,
    Table,
    Text,
)
from juesuan.pipeline import chart_images, narrative, sample_path, validate

_TEXT_ELEMENTS = (
    "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}t",
    "{http://purl.org/dc/elements/1.1/}title",
    "{http://purl.org/dc/elements/1.1/}description",
    "{http://schemas.openxmlformats.org/package/2006/metadata/core-properties}keywords",
    "{http://schemas.openxmlformats.org/package/2006/metadata/core-properties}category",
)
_R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


def _png(width: int, height: int, phys: bytes | None = None) -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        crc = zlib.crc32(kind + data) & 0xFFFFFFFF
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", crc)

    raw = b"".join(b"\x00" + b"\x10\x20\x30" * width for _ in range(height))
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
        + (chunk(b"pHYs", phys) if phys is not None else b"")
        + chunk(b"IDAT", zlib.compress(raw))
        + chunk(b"IEND", b"")
    )


@pytest.fixture(scope="module")
def seed():
    analysis, _ = validate(sample_path("seed"))
    doc = narrative(analysis)
    return analysis, doc, chart_images(analysis, doc)


def _odd_document(doc: Document) -> Document:
    """The seed document with text that needs escaping and white space kept, a wide table
    first in its section, a page break, a chart without an image, and a draft mark."""
    odd = "  a&b <c> \"d\" 'e'\t\r\n　f  "
    table = Table(
        key="odd",
        number="",
        title=odd,
        header=((Cell(odd, colspan=2), Cell("x", rowspan=2)), (Cell("y"), Cell(""))),
        rows=((Cell(odd, indent=1), Cell("1\n2", align="center"), Cell("", bold=True)),),
        columns=9,
        note=odd,
    )
    blocks = (
        Heading(1, odd),
        table,
        PageBreak(),
        Paragraph((Text(odd),), style="note"),
        ChartRef("none", odd),
        *doc.blocks,
    )
    return dataclasses.replace(doc, blocks=blocks, draft=True, title=odd)


def _parts(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return {name: z.read(name) for name in z.namelist()}


@pytest.mark.parametrize("variant", ["seed", "odd"])
def test_every_xml_part_is_what_lxml_writes(seed, variant):
    """Each XML part, parsed and written again by lxml as python-docx serialises a part,
    gives the same bytes: the escaping, attribute order, empty elements and declaration of
    the text writer are lxml's."""
    analysis, doc, charts = seed
    if variant == "odd":
        doc = _odd_document(doc)
    parts = _parts(write_docx(doc, analysis.profile.styles, charts, toc_pages={0: 3}))
    assert "word/header1.xml" in parts or variant == "seed"
    shared = shared_parts()
    written = [n for n in parts if n.endswith((".xml", ".rels")) and n not in shared]
    assert "word/document.xml" in written and "docProps/core.xml" in written
    for name in written:
        payload = parts[name]
        tree = etree.fromstring(payload, etree.XMLParser(remove_blank_text=True))
        for el in tree.iter(*_TEXT_ELEMENTS):
            if el.text is None:  # python-docx wrote an empty text as <w:t></w:t>
                el.text = ""
        again = etree.tostring(tree, encoding="UTF-8", standalone=True)
        assert payload == again, name


def test_package_is_consistent(seed):
    """Every relationship points at a part, every part has a content type, every
    relationship id used in the document exists, and python-docx reads the package."""
    analysis, doc, charts = seed
    data = write_docx(_odd_document(doc), analysis.profile.styles, charts)
    parts = _parts(data)
    types = etree.fromstring(parts["[Content_Types].xml"])
    defaults = {el.get("Extension") for el in types if el.tag.endswith("Default")}
    overrides = {el.get("PartName") for el in types if el.tag.endswith("Override")}
    for name in parts:
        if name != "[Content_Types].xml":
            assert f"/{name}" in overrides or name.rsplit(".", 1)[1] in defaults, name
    rels = etree.fromstring(parts["word/_rels/document.xml.rels"])
    ids = {}
    for rel in rels:
        target = str(PurePosixPath("word", rel.get("Target")))
        target = target.replace("word/../", "")
        assert target in parts, target
        ids[rel.get("Id")] = target
    document = parts["word/document.xml"].decode()
    tree = etree.fromstring(parts["word/document.xml"])
    used = set(tree.xpath("//@r:id|//@r:embed", namespaces={"r": _R}))
    assert used and used <= set(ids)
    assert {ids[i] for i in used} >= {"word/header1.xml", "word/header2.xml", "word/footer1.xml"}
    images = {ids[i] for i in used if ids[i].startswith("word/media/")}
    assert document.count("<w:drawing>") == 7  # two of the seed's charts are one image
    assert images == {n for n in parts if n.startswith("word/media/")} and len(images) == 6
    read = docx.Document(io.BytesIO(data))
    assert read.sections[0].header.paragraphs[0].text.startswith("草稿")


def test_shared_parts_follow_the_style_definitions():
    """The parts kept in juesuan/data/docx are those docx_template generates (after a
    style change: python -m juesuan.document.docx_template)."""
    assert template_parts() == shared_parts()


@pytest.mark.parametrize(
    "png",
    [
        _png(800, 453),
        _png(640, 480, struct.pack(">IIB", 11811, 11811, 1)),  # 300 dpi
        _png(640, 480, struct.pack(">IIB", 3780, 5000, 1)),  # 96 × 127 dpi
        _png(100, 30, struct.pack(">IIB", 3780, 3780, 0)),  # unit unknown: 72 dpi
    ],
)
def test_picture_size_as_word_reads_it(png):
    expected = Image.from_blob(png).scaled_dimensions(Cm(15), None)
    assert png_size(png, Cm(15)) == expected


def test_building_a_docx_imports_neither_python_docx_nor_lxml(tmp_path):
    """A fresh process building the seed DOCX (charts included) loads no python-docx and
    no lxml: the writer builds its parts as text."""
    code = (
        "import sys\n"
        "from pathlib import Path\n"
        "from juesuan.pipeline import validate, sample_path, write_outputs\n"
        "a, _ = validate(sample_path('seed'))\n"
        f"paths = write_outputs(a, Path({str(tmp_path)!r}), ('docx',))\n"
        "assert paths and paths[0].stat().st_size > 10000\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('docx', 'lxml')))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"
