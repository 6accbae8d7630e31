"""How other producers lay tables out on PDF pages, on small synthetic pages: a table that
continues onto the page where the next one starts (header repeated), a row broken over two
pages, columns that divide further on a later page, names wrapped with a wider leading
(LibreOffice) and drawn row borders, and look-alike radicals in the text layer (Chromium)."""

from __future__ import annotations

from decimal import Decimal

from juesuan.check.read.pdf_grid import ruled_tables
from juesuan.check.read.pdf_tables import Region, _code_table, horizontal_rules, pdf_tables
from juesuan.check.read.reader import group_lines, unify
from juesuan.check.read.source import PdfPage, SourceDoc, TextLine, Word
from juesuan.check.tables import code_rows, hierarchy_sums


def _w(text: str, x0: float, top: float, width: float | None = None) -> Word:
    return Word(text, x0, x0 + (width or 10 * len(text)), top, top + 10)


def _doc(pages: list[PdfPage]) -> SourceDoc:
    doc = SourceDoc("x.pdf", "pdf", pages=pages)
    for page in pages:
        for n, line in enumerate(page.lines, 1):
            doc.lines.append(TextLine("".join(w.text for w in line), n, page=page.number))
    return doc


def _page(number: int, words: list[Word], rules=()) -> PdfPage:
    return PdfPage(number, words, group_lines(words), list(rules))


HEADER = [("类", 40), ("款", 65), ("项", 85), ("科目名称", 110), ("本年支出合计", 300)]


def _header(top: float) -> list[Word]:
    return [_w(t, x, top) for t, x in HEADER]


def _row(top: float, code: str, name: str, value: str) -> list[Word]:
    parts = [p for p in (code[:3], code[3:5], code[5:7]) if p]
    words = [_w(p, x, top) for p, x in zip(parts, (40, 65, 85), strict=False)]
    return [*words, _w(name, 110, top), _w(value, 300, top)]


def _continued_table(last: str) -> SourceDoc:
    """支出决算表 on page 1, its last rows on page 2 under the repeated header; then 表3."""
    one = [_w("表2支出决算表", 200, 40), *_header(70), _w("合计", 40, 90), _w("30.00", 300, 90)]
    one += _row(110, "208", "社会保障和就业支出", "30.00")
    one += _row(130, "20805", "行政事业单位养老支出", "30.00")
    one += _row(150, "2080501", "行政单位离退休", "10.00")
    two = [*_header(40), *_row(60, "2080502", "事业单位离退休", last)]
    two += [_w("注：本表反映部门本年度各项支出情况。", 40, 90), _w("表3项目支出决算表", 200, 130)]
    return _doc([_page(1, one), _page(2, two)])


def _sums(doc: SourceDoc) -> list[tuple[str, Decimal | None, Decimal]]:
    tables, _pages = pdf_tables(doc)
    (table,) = [t for t in tables if "支出决算表" in t.title]
    return [
        (code, stated, total)
        for code, _r, _j, stated, total, _k in hierarchy_sums(code_rows(table))
    ]


def test_rows_continued_above_the_next_title_are_read():
    clean = _sums(_continued_table("20.00"))
    assert clean and all(stated == total for _c, stated, total in clean)
    wrong = _sums(_continued_table("21.00"))  # the continued row disagrees with its 款
    assert ("20805", Decimal("30.00"), Decimal("31.00")) in wrong


def test_repeated_header_is_not_a_row():
    tables, _ = pdf_tables(_continued_table("20.00"))
    (table,) = [t for t in tables if "支出决算表" in t.title]
    names = [r.cells[3] for r in table.rows[1:]]
    assert "事业单位离退休" in names and not any("科目名称" in n or n == "项" for n in names)


def _wrapped(rules: bool) -> list[str]:
    """LibreOffice's layout: a 14.5-point leading, a name wrapped below its centred code line,
    so its second line is nearer the next row's code line than a 12-point leading puts it."""
    words = [*_header(100), _w("合计", 40, 120), _w("20.00", 300, 120)]
    words += [_w("201", 40, 140), _w("一般公共服务支出", 110, 140), _w("20.00", 300, 140)]
    words += [_w("党委办公厅及相关机构事", 110, 155)]  # first line, above the code
    words += [_w("201", 40, 162), _w("31", 65, 162), _w("20.00", 300, 162)]
    words += [_w("务", 110, 170)]  # wrapped line, 8 points below its code line
    words += [_w("201", 40, 184), _w("31", 65, 184), _w("01", 85, 184)]
    words += [_w("行政运行", 110, 184), _w("20.00", 300, 184)]
    ys = (98, 117, 137, 152, 181, 198)
    drawn = [(30, y - 0.25, 360, y + 0.25) for y in ys] if rules else []
    page = _page(1, words, drawn)
    region = Region("expenditure", "支出决算表", 1, words)
    region.rules[1] = horizontal_rules(page)
    return [r.cells[3] for r in _code_table(region)[1:]]


def test_wrapped_name_stays_in_its_row():
    for rules in (True, False):
        names = _wrapped(rules)
        assert names[2] == "党委办公厅及相关机构事务", (rules, names)
        assert names[3] == "行政运行", (rules, names)


def _ruled_page(number: int, rows: list[tuple[float, float, list[str]]], xs, rules_y, left):
    words, rules = [], []
    for top, _bottom, cells in rows:
        for text, x0 in zip(cells, xs, strict=False):
            if text:
                words.append(_w(text, x0 + 3, top, 8 * len(text)))
    for y in rules_y:
        rules.append((xs[0], y - 0.25, xs[-1], y + 0.25))
    y0, y1 = left
    for x in xs:
        rules.append((x - 0.25, y0, x + 0.25, y1))
    return words, rules


def test_row_broken_over_two_pages_is_one_row():
    """A browser breaks a tall row at the page's foot: the part on each page has no border
    where the page cuts it. The two parts make one row again (score 5 in its row)."""
    xs = [40, 140, 240, 340]
    title = [_w("附表1部门整体支出绩效自评表", 100, 20)]
    w1, r1 = _ruled_page(
        1,
        [
            (52, 70, ["一级指标", "指标分值", "自评得分"]),
            (75, 90, ["预算编制", "8", "7"]),
            (95, 110, ["资产管理说明很长", "5", "5"]),
        ],
        xs,
        (50, 72, 92),
        (50, 112),  # the left border runs on past the last rule: the row is cut
    )
    w2, r2 = _ruled_page(
        2,
        [(22, 35, ["的前半部分", "", ""]), (45, 60, ["采购管理", "3", "3"])],
        xs,
        (40, 62),
        (20, 62),
    )
    doc = _doc([_page(1, title + w1, r1), _page(2, w2, r2)])
    (table,) = ruled_tables(doc)[0]
    rows = [r.cells for r in table.rows]
    assert ["资产管理说明很长的前半部分", "5", "5"] in rows
    assert ["采购管理", "3", "3"] in rows and len(rows) == 4


def test_whole_first_row_of_a_page_is_not_joined():
    """A whole row at the top of a page (the page cut between rows, the top border not drawn)
    fills as many cells as the row before: it stays a row of its own."""
    xs = [40, 140, 240, 340]
    title = [_w("附表1部门整体支出绩效自评表", 100, 20)]
    w1, r1 = _ruled_page(
        1,
        [(52, 70, ["一级指标", "指标分值", "自评得分"]), (75, 90, ["预算编制", "8", "7"])],
        xs,
        (50, 72, 92),
        (50, 112),
    )
    w2, r2 = _ruled_page(2, [(22, 35, ["资产管理", "5", "5"])], xs, (40,), (20, 40))
    doc = _doc([_page(1, title + w1, r1), _page(2, w2, r2)])
    (table,) = ruled_tables(doc)[0]
    assert [r.cells for r in table.rows][-2:] == [["预算编制", "8", "7"], ["资产管理", "5", "5"]]


def test_columns_that_divide_on_a_later_page():
    xs1 = [40, 140, 340]
    title = [_w("附表1部门整体支出绩效自评表", 100, 20)]
    w1, r1 = _ruled_page(
        1, [(52, 70, ["指标", "分值与得分"]), (75, 90, ["编制", "8"])], xs1, (50, 72, 92), (50, 92)
    )
    xs2 = [40, 140, 240, 340]
    w2, r2 = _ruled_page(2, [(22, 35, ["执行", "5", "4"])], xs2, (20, 40), (20, 40))
    doc = _doc([_page(1, title + w1, r1), _page(2, w2, r2)])
    (table,) = ruled_tables(doc)[0]
    rows = [r.cells for r in table.rows]
    assert rows[-1] == ["执行", "5", "4"] and rows[-2] == ["编制", "8", ""]


def test_look_alike_radicals_read_as_ideographs():
    assert unify("财政拨款收⼊⽀出") == "财政拨款收入支出"
    assert unify("（一）支出：100.00万元") == "（一）支出：100.00万元"  # nothing else changes
