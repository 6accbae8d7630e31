"""The reading self-check: implausible pages and untrusted tables are set aside, said once."""

from __future__ import annotations

from juesuan.check.read.reader import (
    PdfPage,
    RawRow,
    RawTable,
    SourceDoc,
    TextLine,
    Word,
    group_lines,
)
from juesuan.check.read.reading import Reading, contents_lines, page_problem, screen_pages
from juesuan.check.sink import Sink
from juesuan.check.tables import TableChecker, code_rows, distrust_reason


def _page(number: int, size: float, n_words: int = 60) -> PdfPage:
    words = []
    for k in range(n_words):
        x0, top = 10 + (k % 6) * 90, 20 + (k // 6) * size * 1.5
        words.append(Word("预算支出情况说明", x0, x0 + 80, top, top + size))
    return PdfPage(number, words, group_lines(words))


def test_plausible_page_passes_and_a_300_point_page_does_not():
    assert page_problem(_page(1, 10.5)) is None
    why = page_problem(_page(2, 300.0))
    assert why is not None and "文字高度" in why


def test_glued_lines_are_implausible():
    page = _page(1, 10.5)
    glued = PdfPage(1, page.words, [page.words])  # every word on one "line"
    assert "分行不可信" in (page_problem(glued) or "")


def test_unreliable_page_removed_and_counted():
    doc = SourceDoc("x.pdf", "pdf", pages=[_page(1, 10.5), _page(2, 300.0)])
    doc.lines = [TextLine("甲", 1, page=1), TextLine("乙", 1, page=2)]
    reading = Reading("pdf")
    screen_pages(doc, reading)
    assert list(reading.unreliable_pages) == [2]
    assert [ln.page for ln in doc.lines] == [1]
    assert "1页无法可靠读取" in reading.headline() and "部分可靠" in reading.headline()


def _code_table(values: list[tuple[str, str]]) -> RawTable:
    rows = [RawRow(["类", "款", "项", "科目名称", "合计"], 1)]
    for code, value in values:
        parts = [code[:3], code[3:5], code[5:7]]
        rows.append(RawRow([*parts, "名称", value], len(rows) + 1, page=3))
    return RawTable("支出决算明细表", rows, page=3)


GOOD = [
    ("208", "10.00"),
    ("20805", "10.00"),
    ("2080501", "4.00"),
    ("2080502", "6.00"),
    ("201", "5.00"),
    ("20101", "5.00"),
    ("2010101", "5.00"),
]


def test_table_with_one_wrong_total_is_trusted():
    bad = [("208", "11.00"), *GOOD[1:]]
    assert distrust_reason(code_rows(_code_table(GOOD))) is None
    assert distrust_reason(code_rows(_code_table(bad))) is None


def test_table_with_details_read_as_blank_is_not_trusted():
    misread = [(c, v) for c, v in GOOD if len(c) < 7] + [("2080501", ""), ("2010101", "")]
    rows = code_rows(_code_table(misread))
    why = distrust_reason(rows)
    assert why is not None


def test_untrusted_table_reported_once_and_not_checked():
    misread = [(c, v) for c, v in GOOD if len(c) < 7] + [("2080501", ""), ("2010101", "")]
    table = _code_table(misread)
    table.title = "一般公共预算财政拨款支出决算明细表"
    doc = SourceDoc("x.pdf", "pdf")
    sink = Sink("x.pdf")
    reading = Reading("pdf")
    TableChecker(doc, sink, 2024, [], [table, table], reading=reading)._hierarchies([table, table])
    items = [i for i in sink.items if i.finding.code == "CHK-006"]
    assert len(items) == 1 and "无法可靠读取" in items[0].finding.message
    assert not [i for i in sink.items if i.finding.code == "CHK-120"]
    assert len(reading.untrusted) == 1


def test_contents_lines_end_where_the_body_starts():
    texts = ["目录", "第一部分 概况", "一、收入支出决算总表……3", "第一部分 概况", "正文"]
    lines = [TextLine(t, i + 1) for i, t in enumerate(texts)]
    assert contents_lines(lines) == {0, 1, 2}


def test_an_empty_contents_list_does_not_swallow_the_body():
    """LibreOffice exports a DOCX's contents field as nothing: “目录” is followed by the body,
    whose first heading never recurs. The contents end at the first sentence; the tables'
    titles further on are the tables', not contents entries."""
    texts = [
        "目 录",
        "第一部分 部门概况",
        "一、部门职责",
        "（一）负责全区目标绩效管理工作。",
        "表10 政府性基金预算财政拨款收入支出决算表",
        "说明：本单位本年度没有政府性基金预算财政拨款收入和支出，故本表无数据。",
    ]
    lines = [TextLine(t, i + 1) for i, t in enumerate(texts)]
    assert contents_lines(lines) == {0, 1, 2}
    entries = ["目录", "第一部分 部门概况……1", "表1 收入支出决算总表  33", "", "正文。"]
    lines = [TextLine(t, i + 1) for i, t in enumerate(entries)]
    assert contents_lines(lines) == {0, 1, 2}


def test_only_the_table_body_is_left_out_of_the_running_text():
    from juesuan.check import _table_body
    from juesuan.check.text import paragraphs

    texts = [
        "第二部分 XX局2023年度部门决算表",
        "收入决算表",
        "单位：万元",
        "合计 100.00 60.00",
        "注：本表无其他收入。",
    ]
    words = [Word(t, 50, 50 + 10 * len(t), 100 + 30 * n, 110 + 30 * n) for n, t in enumerate(texts)]
    page = PdfPage(5, words, group_lines(words))
    doc = SourceDoc("x.pdf", "pdf", pages=[page])
    doc.lines = [TextLine(t, n, page=5) for n, t in enumerate(texts, 1)]
    body = _table_body(doc, {5})
    assert body == {(5, 3), (5, 4)}
    text = "".join(p.text for p in paragraphs(doc, skip_lines=body))
    assert "XX局2023年度" in text and "收入决算表" in text and "注：" in text
    assert "100.00" not in text


def _text_page(number: int, text: str) -> PdfPage:
    words = [
        Word(
            text[k : k + 8],
            10 + (k // 8 % 6) * 90,
            90 + (k // 8 % 6) * 90,
            20 + k // 48 * 16,
            31 + k // 48 * 16,
        )
        for k in range(0, len(text), 8)
    ]
    return PdfPage(number, words, group_lines(words))


# What a font without a character map reads as: glyph numbers taken for characters of other
# scripts and for control codes (here "2024" is \x13\x11\x13\x15).
GARBLED = "ᮙੳ\u0b4a\u0a79\u0ad2ݤ\u0a04ܳکઋ\x13\x11\x13\x15୲ஏᯠᴙۏᔔ࣮ଦᎥ᮳\u0a61\u0b3a੧ીݍ" * 10
PLAIN = "2024年度一般公共预算财政拨款支出123.45万元，占45.10%；□是 ■否 √ ① Ⅱ “完成”。" * 6


def test_a_page_whose_text_does_not_decode_is_set_aside():
    assert page_problem(_text_page(1, PLAIN)) is None
    why = page_problem(_text_page(2, GARBLED))
    assert why is not None and "乱码" in why and "字符映射" in why


def test_a_pdf_that_decodes_nowhere_is_not_checked_and_says_why():
    from juesuan.check.read.reading import nothing_readable

    mixed = SourceDoc("x.pdf", "pdf", pages=[_text_page(1, PLAIN), _text_page(2, GARBLED)])
    reading = Reading("pdf")
    screen_pages(mixed, reading)
    assert list(reading.unreliable_pages) == [2] and nothing_readable(mixed, reading) is None
    cover = _text_page(1, "部门决算")  # too short to judge
    garbled = SourceDoc("x.pdf", "pdf", pages=[cover, _text_page(2, GARBLED)])
    reading = Reading("pdf")
    screen_pages(garbled, reading)
    assert "乱码" in (nothing_readable(garbled, reading) or "")


def test_a_published_pdf_without_character_maps_is_refused_not_passed(tmp_path):
    """The Putuo PDF with its fonts' ToUnicode maps removed looks the same but its text layer
    no longer decodes: the check refuses it (CHK-007) instead of reporting nothing found."""
    from pathlib import Path

    import pikepdf

    from juesuan.check import check_file

    golden = Path(__file__).resolve().parents[1] / "golden" / "putuo-2024.pdf"
    with pikepdf.open(golden) as pdf:
        removed = 0
        for page in pdf.pages:
            for _, font in page.Resources.get("/Font", {}).items():
                if "/ToUnicode" in font:
                    del font["/ToUnicode"]
                    removed += 1
        assert removed
        pdf.save(tmp_path / "maps-removed.pdf")
    report = check_file(tmp_path / "maps-removed.pdf")
    assert [f.code for f in report.fatal] == ["CHK-007"]
    assert "无法检查" in report.fatal[0].message
    assert not check_file(golden).fatal
