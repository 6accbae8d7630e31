"""The DOCX package written as text: every part is what lxml would write for the same
elements, the shared parts follow from the style definitions, the package is consistent,
and building a DOCX needs neither python-docx nor lxml."""

from __future__ import annotations

import dataclasses
import hashlib
import io
import struct
import subprocess
import sys
import zipfile
import zlib
from decimal import Decimal
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
    FigureRef,
    Heading,
    PageBreak,
    Paragraph,
    Table,
    Text,
)
from juesuan.document.numbers import NumberStyle, Styles
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


def _hand_document():
    """A small document with every feature of the writer: (document, styles, charts,
    toc_pages, tight)."""
    odd = "  a&b <c> \"d\" 'e'\t\r\n\u3000f  "
    money = FigureRef("x", Decimal("1234567.891"), "万元")
    wide = Table(
        key="wide",
        number="表1",
        title="宽表",
        header=((Cell("项目", colspan=2), Cell("金额", rowspan=2)), (Cell("类"), Cell(""))),
        rows=(
            (Cell(odd, indent=1), Cell("1\n2", align="center"), Cell(figure=money, bold=True)),
            (Cell("合计", colspan=2, bold=True),),
        ),
        columns=9,
        note="注：" + odd,
    )
    narrow = Table(
        key="narrow",
        number="",
        title="",
        header=((Cell("名称"), Cell("金额")),),
        rows=(),
        columns=2,
        unit="",
        empty_note="说明：本表无数据",
        widths=(3.0, 1.0),
    )
    inline = Table(
        key="inline",
        number="",
        title="单位构成",
        header=(),
        rows=((Cell("甲"), Cell(figure=FigureRef("y", None, "万元"))),),
        columns=2,
        inline=True,
    )
    blocks = (
        Heading(1, "第一部分 概况"),
        Heading(2, "一、职责"),
        Paragraph((Text("收入"), money, Text("万元。" + odd))),
        Paragraph((Text("单位：万元"),), style="unit"),
        ChartRef("fig1", "图1：收入"),
        ChartRef("fig2", "图2：支出 & <其他>"),
        ChartRef("fig3", "图3：无图"),
        Heading(3, "（一）细项"),
        inline,
        PageBreak(),
        Heading(1, "第二部分 附表"),
        wide,
        narrow,
        Paragraph((Text(odd),), style="note"),
        PageBreak(),
        PageBreak(),
        Heading(2, ""),
    )
    doc = Document(
        title="测试部门2024年度部门决算",
        subtitle="某区",
        blocks=blocks,
        year=2024,
        department="测试部门",
        draft=True,
    )
    styles = Styles(NumberStyle(), NumberStyle(thousands=True))
    png = _png(40, 20, struct.pack(">IIB", 3780, 3780, 1))
    charts = {"fig1": png, "fig2": png}
    return doc, styles, charts, {0: 3, 1: 3, 10: 5}, {"wide": 1}


# SHA-256 (first 16 hex digits) of each part, and of the whole file, that the former writer
# (python-docx 1.2, main cc25872) wrote for the hand document: the text writer must keep them.
_PYTHON_DOCX_PARTS = {
    "[Content_Types].xml": "4bc7164cd5e18feb",
    "_rels/.rels": "1aa88a511268d274",
    "customXml/_rels/item1.xml.rels": "1ca6c9a64edcebe2",
    "customXml/item1.xml": "a86086ffc5d8e83e",
    "customXml/itemProps1.xml": "c542307b13ec29a8",
    "docProps/app.xml": "be664981c3141cdd",
    "docProps/core.xml": "15daf0e38e94a722",
    "word/_rels/document.xml.rels": "01aaa4613054ccdd",
    "word/document.xml": "16a39ae493dbbc04",
    "word/fontTable.xml": "210806bf3fdd31cd",
    "word/footer1.xml": "47184f40afeb977d",
    "word/header1.xml": "aa594e8376579a27",
    "word/header2.xml": "aa594e8376579a27",
    "word/media/image1.png": "0c2047ba7445abd9",
    "word/numbering.xml": "70976f19cbcd896e",
    "word/settings.xml": "f0c3115cdebb7cf1",
    "word/styles.xml": "aa86045c1373040a",
    "word/theme/theme1.xml": "e3a8ab7db9ca7afc",
    "word/webSettings.xml": "349d36de7434d09f",
}
_PYTHON_DOCX_FILE = "2f9d4e810056ac4ed84f12ad72ecca6d2c47ff66e1ae5716c45bee818d91940a"


def test_parts_are_the_bytes_python_docx_wrote():
    doc, styles, charts, pages, tight = _hand_document()
    data = write_docx(doc, styles, charts, toc_pages=pages, tight=tight)
    parts = _parts(data)
    digests = {name: hashlib.sha256(payload).hexdigest()[:16] for name, payload in parts.items()}
    assert digests == _PYTHON_DOCX_PARTS
    assert hashlib.sha256(data).hexdigest() == _PYTHON_DOCX_FILE
