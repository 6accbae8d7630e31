"""附表1/附表2 printed without ruling lines, read from word positions: columns from the header
words, rows from the lines of figures; an ambiguous geometry is not read (None)."""

from __future__ import annotations

from juesuan.check.read.pdf_aligned import aligned_performance
from juesuan.check.read.reader import group_lines
from juesuan.check.read.source import PdfPage, SourceDoc, Word

TITLE = "附表1部门整体支出绩效自评表"


def _w(text: str, x0: float, top: float) -> Word:
    return Word(text, x0, x0 + 10 * len(text), top, top + 10)


def _doc(score_x: float) -> SourceDoc:
    words = [
        _w(TITLE, 100, 40),
        _w("一级指标", 40, 70),
        _w("二级指标", 100, 70),
        _w("三级指标", 160, 70),
        _w("指标分值", 220, 70),
        _w("自评得分", 300, 70),
        _w("履职效能", 100, 96),  # a merged label, centred over its two rows
        _w("督查次数", 160, 90),
        _w("6", 250, 90),
        _w("5", 330, 90),
        _w("办理事项", 160, 104),
        _w("4", 250, 104),
        _w("4", score_x, 104),
        _w("合计", 160, 120),
        _w("9", 330, 120),
    ]
    return SourceDoc("t.pdf", "pdf", pages=[PdfPage(1, words, group_lines(words))])


def _never(_line) -> bool:
    return False


def test_rows_read_from_the_lines_of_figures():
    table = aligned_performance(_doc(330), TITLE, 1, _never)
    assert table is not None
    assert [r.cells for r in table.rows] == [
        ["一级指标", "二级指标", "三级指标", "指标分值", "自评得分"],
        ["", "", "督查次数", "6", "5"],
        ["", "", "办理事项", "4", "4"],
        ["", "", "合计", "", "9"],
    ]
    # the merged 二级 label is not placed (its rows are unknown), and that is said
    assert "合并单元格" in table.note


def test_a_figure_across_two_columns_is_not_read():
    # the second row's score printed across the edge between 指标分值 and 自评得分
    assert aligned_performance(_doc(272), TITLE, 1, _never) is None
