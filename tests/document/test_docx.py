"""The Word writer: structure, official layout, fonts, fields, tables, determinism."""

from __future__ import annotations

import dataclasses
import io
import struct
import time
import zipfile
import zlib
from decimal import Decimal

import docx
import pytest
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

from juesuan.document.docx import write_docx
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
from juesuan.document.numbers import format_figure
from juesuan.document.ziprepack import ZIP_DATE_TIME
from juesuan.pipeline import narrative, sample_path, validate
from libreoffice import convert, soffice


def _png(width: int, height: int, rgb: tuple[int, int, int] = (200, 40, 40)) -> bytes:
    """A tiny valid PNG (8-bit RGB)."""
    raw = b"".join(b"\x00" + bytes(rgb) * width for _ in range(height))

    def chunk(kind: bytes, data: bytes) -> bytes:
        crc = zlib.crc32(kind + data) & 0xFFFFFFFF
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", crc)

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(raw))
        + chunk(b"IEND", b"")
    )


def _fig(fid: str, value: str | None) -> FigureRef:
    return FigureRef(fid, None if value is None else Decimal(value), "万元")


HAND_TABLE = Table(
    key="hand",
    number="公开01表",
    title="收入支出决算总表",
    header=(
        (Cell("项目", rowspan=2), Cell("决算数", colspan=2)),
        (Cell("本年"), Cell("上年")),
    ),
    rows=(
        (Cell("一般公共服务支出", bold=True), Cell(figure=_fig("a", "1234.5")), Cell()),
        (Cell("行政运行", indent=1), Cell(figure=_fig("b", "96.73")), Cell(figure=_fig("c", None))),
    ),
    columns=3,
    note="注：本表为测试表。",
    widths=(3, 1, 1),
)

WIDE_TABLE = Table(
    key="wide",
    number="",
    title="宽表",
    header=(tuple(Cell(f"列{i}") for i in range(9)),),
    rows=tuple(
        tuple(
            Cell(figure=_fig(f"w{r}{c}", str(r * c))) if c else Cell(f"科目{r}") for c in range(9)
        )
        for r in range(3)
    ),
    columns=9,
    empty_note="说明：本表无数据。",
)

TAIL = (
    Heading(1, "第四部分 附表"),
    HAND_TABLE,
    PageBreak(),
    Paragraph((Text("分页之后的段落。"),)),
    WIDE_TABLE,
    Heading(1, "第五部分 其他"),
    Paragraph((Text("结束。"),)),
)


@pytest.fixture(scope="module")
def analysis():
    a, _ = validate(sample_path("seed"))
    assert a is not None
    return a


@pytest.fixture(scope="module")
def model(analysis) -> Document:
    doc = narrative(analysis)
    return dataclasses.replace(doc, blocks=doc.blocks + TAIL, year=2024)


@pytest.fixture(scope="module")
def chart_keys(model) -> list[str]:
    return [b.key for b in model.blocks if isinstance(b, ChartRef)]


@pytest.fixture(scope="module")
def charts(chart_keys) -> dict[str, bytes]:
    # Distinct images (python-docx stores identical ones once); the last chart has none.
    return {key: _png(40 + i, 24, (10 * i, 80, 120)) for i, key in enumerate(chart_keys[:-1])}


@pytest.fixture(scope="module")
def data(model, analysis, charts) -> bytes:
    return write_docx(model, analysis.profile.styles, charts)


@pytest.fixture(scope="module")
def out(data):
    return docx.Document(io.BytesIO(data))


def _body_paragraphs(out):
    return list(out.paragraphs)


def _table_by_first_cell(out, text: str):
    for table in out.tables:
        if table.cell(0, 0).text == text and table.cell(1, 1).text == "本年":
            return table
    raise AssertionError("hand-made table not found")


# -- page, cover, contents ------------------------------------------------------------------


def test_a4_portrait_with_official_margins(out):
    for section in out.sections:
        if section.orientation == WD_ORIENT.LANDSCAPE:
            continue
        assert abs(section.page_width - Cm(21)) < Cm(0.01)
        assert abs(section.page_height - Cm(29.7)) < Cm(0.01)
        assert abs(section.top_margin - Cm(3.7)) < Cm(0.01)
        assert abs(section.bottom_margin - Cm(3.5)) < Cm(0.01)
        assert abs(section.left_margin - Cm(2.8)) < Cm(0.01)
        assert abs(section.right_margin - Cm(2.6)) < Cm(0.01)


def test_cover_title_and_subtitle(out, model):
    first, second = out.paragraphs[0], out.paragraphs[1]
    assert first.style.name == "Cover Title"
    assert first.text.replace("\n", "") == model.title
    assert first.alignment is None and first.style.paragraph_format.alignment == (
        WD_ALIGN_PARAGRAPH.CENTER
    )
    assert first.style.font.size == Pt(22)
    assert first.runs[0].font.element.rPr.rFonts.get(qn("w:eastAsia")) == "方正小标宋简体"
    assert second.text == model.subtitle
    assert second.runs[0].font.element.rPr.rFonts.get(qn("w:eastAsia")) == "楷体_GB2312"
    # The contents page follows on a new page.
    toc_heading = out.paragraphs[2]
    assert toc_heading.text == "目  录"
    assert toc_heading.style.paragraph_format.page_break_before is True


def test_toc_field_with_static_fallback(out, model, data):
    body = out.element.body
    instr = [el.text for el in body.iter(qn("w:instrText"))]
    assert any(text.strip() == 'TOC \\o "1-2" \\h \\z \\u' for text in instr)
    expected = [b.text for b in model.blocks if isinstance(b, Heading) and b.level <= 2]
    entries = [p.text for p in out.paragraphs if p.style.name in ("toc 1", "toc 2")]
    assert entries == expected
    levels = {p.text: p.style.name for p in out.paragraphs if p.style.name.startswith("toc ")}
    assert levels["第一部分 部门概况"] == "toc 1"
    assert not any(
        b.text in entries for b in model.blocks if isinstance(b, Heading) and b.level == 3
    )
    settings = zipfile.ZipFile(io.BytesIO(data)).read("word/settings.xml").decode()
    assert '<w:updateFields w:val="true"/>' in settings
    kinds = [el.get(qn("w:fldCharType")) for el in body.iter(qn("w:fldChar"))]
    assert kinds[:2] == ["begin", "separate"] and kinds[2] == "end"


def test_page_numbers_in_footer_not_on_cover(out):
    front, main = out.sections[0], out.sections[1]
    assert front.different_first_page_header_footer is True
    assert front.footer.is_linked_to_previous  # no page numbers in the front matter
    assert front.first_page_footer.is_linked_to_previous
    assert not main.different_first_page_header_footer
    footer = main.footer
    assert not footer.is_linked_to_previous
    xml = footer._element.xml
    assert " PAGE " in xml and 'w:fldCharType="begin"' in xml
    text = footer.paragraphs[0].text
    assert text.startswith("— ") and text.endswith(" —")
    assert footer.paragraphs[0].style.paragraph_format.alignment == WD_ALIGN_PARAGRAPH.CENTER
    num = main._sectPr.find(qn("w:pgNumType"))
    assert num is not None and num.get(qn("w:start")) == "1"
    # Later sections share the footer and continue the numbering.
    for section in out.sections[2:]:
        assert section.footer.is_linked_to_previous
        assert section._sectPr.find(qn("w:pgNumType")) is None


# -- headings and text --------------------------------------------------------------------


def test_headings_use_builtin_styles(out, model):
    expected = [(f"Heading {b.level}", b.text) for b in model.blocks if isinstance(b, Heading)]
    got = [(p.style.name, p.text) for p in out.paragraphs if p.style.name.startswith("Heading")]
    assert got == expected
    assert ("Heading 3", "（一）一般公共预算财政拨款支出决算总体情况") in got


def test_heading_styles_restyled(out):
    h1, h2, h3 = (out.styles[f"Heading {i}"] for i in (1, 2, 3))
    for style in (h1, h2, h3):
        assert style.font.size == Pt(16)
        assert style.font.bold is False and style.font.italic is False
        assert str(style.font.color.rgb) == "000000"
        assert style.font.color.theme_color is None
    assert h1.paragraph_format.alignment == WD_ALIGN_PARAGRAPH.CENTER
    assert h1.paragraph_format.page_break_before is True
    assert h2.paragraph_format.alignment == WD_ALIGN_PARAGRAPH.LEFT
    assert h2.paragraph_format.first_line_indent == Pt(32)
    east = {s.name: s.element.rPr.rFonts.get(qn("w:eastAsia")) for s in (h1, h2, h3)}
    assert east == {"Heading 1": "黑体", "Heading 2": "黑体", "Heading 3": "楷体_GB2312"}


def test_first_part_does_not_add_a_blank_page(out):
    h1 = [p for p in out.paragraphs if p.style.name == "Heading 1"]
    # Right after the contents section break: no extra page break of its own.
    assert h1[0].paragraph_format.page_break_before is False
    assert all(p.paragraph_format.page_break_before is None for p in h1[1:3])


def test_body_paragraph_format(out, model, analysis):
    normal = out.styles["Normal"]
    pf = normal.paragraph_format
    assert normal.font.size == Pt(16)
    assert pf.first_line_indent == Pt(32)
    assert pf.line_spacing == Pt(28) and pf.line_spacing_rule == WD_LINE_SPACING.EXACTLY
    assert pf.alignment == WD_ALIGN_PARAGRAPH.JUSTIFY
    assert pf.space_before == 0 and pf.space_after == 0
    ind = normal.element.pPr.find(qn("w:ind"))
    assert ind.get(qn("w:firstLineChars")) == "200"
    # Numbers are formatted with the running-text style.
    para = next(
        b
        for b in model.blocks
        if isinstance(b, Paragraph) and any(isinstance(r, FigureRef) for r in b.runs)
    )
    expected = "".join(
        format_figure(r.value, r.unit, analysis.profile.styles.text, r.absolute)
        if isinstance(r, FigureRef)
        else r.text
        for r in para.runs
    )
    found = [p for p in out.paragraphs if p.text == expected]
    assert found and found[0].style.name == "Normal"


def test_unit_and_note_paragraph_styles(out):
    unit = out.styles["Unit Line"]
    assert unit.paragraph_format.alignment == WD_ALIGN_PARAGRAPH.RIGHT
    assert unit.font.size == Pt(12)
    assert out.styles["Note"].font.size == Pt(12)
    assert any(p.style.name == "Unit Line" and p.text == "单位：万元" for p in out.paragraphs)


def test_page_break_block_breaks_before_next_paragraph(out):
    para = next(p for p in out.paragraphs if p.text == "分页之后的段落。")
    assert para.paragraph_format.page_break_before is True


# -- fonts --------------------------------------------------------------------------------


def _runs_with_text(element):
    for r in element.iter(qn("w:r")):
        if r.find(qn("w:t")) is not None:
            yield r


def test_every_run_names_all_three_font_slots(out):
    parts = [out.element.body] + [s.footer._element for s in out.sections[1:2]]
    count = 0
    for part in parts:
        for r in _runs_with_text(part):
            fonts = r.find(qn("w:rPr")).find(qn("w:rFonts"))
            for slot in ("w:ascii", "w:hAnsi", "w:eastAsia"):
                assert fonts.get(qn(slot)), (slot, r.xml[:200])
            assert fonts.get(qn("w:asciiTheme")) is None
            count += 1
    assert count > 100


def test_styles_and_defaults_name_east_asian_fonts(out):
    for name in ("Normal", "Heading 1", "Heading 2", "Heading 3", "Caption", "Table Text"):
        fonts = out.styles[name].element.rPr.rFonts
        assert fonts.get(qn("w:eastAsia")), name
        assert fonts.get(qn("w:ascii")) and fonts.get(qn("w:hAnsi")), name
        assert fonts.get(qn("w:eastAsiaTheme")) is None, name
    normal = out.styles["Normal"].element.rPr.rFonts
    assert normal.get(qn("w:eastAsia")) == "仿宋_GB2312"
    assert normal.get(qn("w:ascii")) == "Times New Roman"
    defaults = out.styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault"))
    fonts = defaults.find(qn("w:rPr")).find(qn("w:rFonts"))
    assert fonts.get(qn("w:eastAsia")) == "仿宋_GB2312"
    assert fonts.get(qn("w:asciiTheme")) is None


def test_font_table_offers_substitutes(data):
    fonts = zipfile.ZipFile(io.BytesIO(data)).read("word/fontTable.xml").decode()
    assert '<w:font w:name="仿宋_GB2312"><w:altName w:val="仿宋"/>' in fonts


# -- charts -------------------------------------------------------------------------------


def test_chart_images_inline_with_captions(out, data, model, charts, chart_keys):
    assert len(chart_keys) >= 5
    assert len(out.inline_shapes) == len(charts)
    for shape in out.inline_shapes:
        assert abs(shape.width - Cm(15)) < Cm(0.01)
    names = zipfile.ZipFile(io.BytesIO(data)).namelist()
    media = sorted(n for n in names if n.startswith("word/media/"))
    assert media == [f"word/media/image{i}.png" for i in range(1, len(charts) + 1)]

    captions = {b.key: b.caption for b in model.blocks if isinstance(b, ChartRef)}
    paragraphs = out.paragraphs
    for key, caption in captions.items():
        index = next(i for i, p in enumerate(paragraphs) if p.text == caption)
        cap = paragraphs[index]
        assert cap.style.name == "Caption"
        before = paragraphs[index - 1]
        has_picture = bool(before._p.findall(".//" + qn("w:drawing")))
        assert has_picture == (key in charts), key
        if has_picture:
            assert before.style.paragraph_format.alignment == WD_ALIGN_PARAGRAPH.CENTER
            doc_pr = before._p.find(".//" + qn("wp:docPr"))
            assert doc_pr.get("descr") == caption
    assert out.styles["Caption"].paragraph_format.alignment == WD_ALIGN_PARAGRAPH.CENTER
    assert out.styles["Caption"].font.size == Pt(12)


def test_invalid_chart_bytes_raise(analysis):
    doc = Document(title="t", blocks=(ChartRef("fig1", "图1"),))
    with pytest.raises(ValueError, match="fig1"):
        write_docx(doc, analysis.profile.styles, {"fig1": b"not a png"})


# -- tables -------------------------------------------------------------------------------


def test_table_count(out, model):
    assert len(out.tables) == sum(isinstance(b, Table) for b in model.blocks)


def test_table_title_and_unit_above(out):
    paragraphs = [p.text for p in out.paragraphs]
    index = paragraphs.index("公开01表  收入支出决算总表")
    assert paragraphs[index + 1] == "单位：万元"
    assert out.paragraphs[index].style.name == "Table Title"
    assert out.paragraphs[index + 1].style.paragraph_format.alignment == WD_ALIGN_PARAGRAPH.RIGHT
    assert "宽表" in paragraphs  # no number: the title alone
    assert "注：本表为测试表。" in paragraphs
    assert "说明：本表无数据。" in paragraphs


def test_merged_cells(out):
    table = _table_by_first_cell(out, "项目")
    assert table.cell(0, 0)._tc is table.cell(1, 0)._tc  # rowspan 2
    assert table.cell(0, 1)._tc is table.cell(0, 2)._tc  # colspan 2
    assert table.cell(0, 1).text == "决算数"
    assert table.cell(1, 2).text == "上年"
    assert table.rows[0]._tr.tc_lst[1].grid_span == 2


def test_header_rows_repeat_and_rows_do_not_split(out):
    table = _table_by_first_cell(out, "项目")
    flags = []
    for row in table.rows:
        trPr = row._tr.trPr
        assert trPr.find(qn("w:cantSplit")) is not None
        flags.append(trPr.find(qn("w:tblHeader")) is not None)
    assert flags == [True, True, False, False]


def test_cell_text_alignment_and_numbers(out, analysis):
    style = analysis.profile.styles.table
    table = _table_by_first_cell(out, "项目")
    amount = table.cell(2, 1)
    assert amount.text == format_figure(Decimal("1234.5"), "万元", style)
    assert amount.paragraphs[0].alignment == WD_ALIGN_PARAGRAPH.RIGHT
    assert table.cell(2, 2).text == ""  # blank cell
    assert table.cell(3, 2).text == format_figure(None, "万元", style)
    name = table.cell(3, 0).paragraphs[0]
    assert name.text == "行政运行"
    assert name.alignment == WD_ALIGN_PARAGRAPH.LEFT
    assert name.paragraph_format.left_indent == Pt(10)
    assert name._p.pPr.find(qn("w:ind")).get(qn("w:leftChars")) == "100"
    assert table.cell(2, 0).paragraphs[0].runs[0].bold is True
    header = table.cell(0, 0).paragraphs[0]
    assert header.style.name == "Table Header"
    assert header.runs[0].bold is True
    assert header.style.paragraph_format.alignment == WD_ALIGN_PARAGRAPH.CENTER
    assert header.style.font.size == Pt(10.5)
    assert out.styles["Table Text"].font.size == Pt(10)


def test_table_borders_and_widths(out):
    table = _table_by_first_cell(out, "项目")
    assert table.style.name == "Table Grid"
    borders = table._tbl.tblPr.find(qn("w:tblBorders"))
    assert {b.tag.split("}")[1] for b in borders} == {
        "top",
        "left",
        "bottom",
        "right",
        "insideH",
        "insideV",
    }
    assert all(b.get(qn("w:val")) == "single" for b in borders)
    widths = [col.w for col in table._tbl.tblGrid.gridCol_lst]
    text_width = Cm(21) - Cm(2.8) - Cm(2.6)
    assert abs(sum(widths) - text_width) < Cm(0.01)
    assert abs(widths[0] - 3 * widths[1]) < Cm(0.01)


def test_wide_table_on_landscape_pages(out):
    wide = next(t for t in out.tables if t.cell(0, 0).text == "列0")
    # The section that holds the table is the one whose sectPr follows it.
    following = wide._tbl.getnext()
    while following is not None and not following.findall(".//" + qn("w:sectPr")):
        following = following.getnext()
    sect = following.find(".//" + qn("w:sectPr"))
    size = sect.find(qn("w:pgSz"))
    assert size.get(qn("w:orient")) == "landscape"
    assert int(size.get(qn("w:w"))) > int(size.get(qn("w:h")))
    widths = sum(col.w for col in wide._tbl.tblGrid.gridCol_lst)
    assert abs(widths - (Cm(29.7) - Cm(3.7) - Cm(3.5))) < Cm(0.01)
    # Back to portrait afterwards.
    assert out.sections[-1].orientation == WD_ORIENT.PORTRAIT
    assert any(s.orientation == WD_ORIENT.LANDSCAPE for s in out.sections)


def test_layout_honours_rowspans_from_above(analysis):
    table = Table(
        key="k",
        number="",
        title="",
        header=((Cell("A", rowspan=2), Cell("B"), Cell("C", rowspan=2)), (Cell("D"),)),
        rows=((Cell("x"), Cell("y"), Cell("z")),),
        columns=3,
        unit="",
    )
    doc = Document(title="t", blocks=(table,))
    out = docx.Document(io.BytesIO(write_docx(doc, analysis.profile.styles, {})))
    t = out.tables[0]
    assert [t.cell(1, c).text for c in range(3)] == ["A", "D", "C"]
    assert [t.cell(2, c).text for c in range(3)] == ["x", "y", "z"]


# -- reproducibility ----------------------------------------------------------------------


def test_same_input_same_bytes(model, analysis, charts, data, monkeypatch):
    real = time.localtime
    monkeypatch.setattr(time, "localtime", lambda *a: real(2_000_000_000))
    again = write_docx(model, analysis.profile.styles, charts)
    assert again == data


def test_zip_entries_are_stable(data, out):
    z = zipfile.ZipFile(io.BytesIO(data))
    infos = z.infolist()
    assert infos[0].filename == "[Content_Types].xml"
    assert [i.filename for i in infos[1:]] == sorted(i.filename for i in infos[1:])
    assert {i.date_time for i in infos} == {ZIP_DATE_TIME}
    assert {i.compress_type for i in infos} == {zipfile.ZIP_DEFLATED}
    assert not any("thumbnail" in i.filename or "stylesWithEffects" in i.filename for i in infos)
    props = out.core_properties
    assert props.author == "juesuan"
    assert props.revision == 1
    assert props.created.year == 2024 and props.created == props.modified


# -- a real renderer ------------------------------------------------------------------------


@pytest.mark.skipif(soffice("writer") is None, reason="LibreOffice Writer not installed")
def test_libreoffice_converts_to_pdf(data, tmp_path):
    exe = soffice("writer")
    source = tmp_path / "juesuan.docx"
    source.write_bytes(data)
    result = convert(exe, source, "pdf", tmp_path)
    pdf = tmp_path / "juesuan.pdf"
    assert result.returncode == 0, result.stderr
    assert pdf.is_file() and pdf.read_bytes().startswith(b"%PDF")
