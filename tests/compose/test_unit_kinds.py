"""What the document says for a unit without 三公 spending and for a new unit (prior year 0)."""

from __future__ import annotations

from public_text import problems

from conftest import BASE, codes, run
from juesuan.document.markdown import paragraph_text
from juesuan.document.model import Heading, Paragraph
from juesuan.pipeline import narrative, tables


def _section(analysis, heading_start: str) -> list[str]:
    """The paragraphs of the level-2 section whose heading starts with ``heading_start``."""
    doc = narrative(analysis, with_tables=False)
    style = analysis.profile.styles.text
    out: list[str] = []
    inside = False
    for block in doc.blocks:
        if isinstance(block, Heading):
            if block.level <= 2:
                inside = block.text.startswith(heading_start)
            continue
        if inside and isinstance(block, Paragraph):
            out.append(paragraph_text(block, style))
    return out


def test_no_sangong_is_one_sentence_and_an_empty_table_note():
    analysis, _ = run(BASE)  # BASE has no 三公 at all
    assert _section(analysis, "七、") == ["2024年度测试办无“三公”经费财政拨款支出。"]
    (table,) = [t for t in tables(analysis) if t.key == "sangong"]
    assert table.empty_note == "说明：测试部门本年度没有财政拨款“三公”经费支出，故本表无数据。"


def test_no_sangong_in_shanghai_profile_is_one_sentence():
    analysis, _ = run(BASE.replace("profile: sichuan-2024", "profile: shanghai-2024"))
    assert _section(analysis, "七、") == ["测试办2024年度无“三公”经费财政拨款支出。"]
    assert problems(narrative(analysis, with_tables=False), analysis.profile.styles.text) == []


def test_sangong_dropped_to_zero_says_by_how_much():
    text = BASE.replace(
        "sangong: {outbound: 0, vehicle_purchase: 0, vehicle_operation: 0, reception: 0}",
        "sangong: {outbound: 0, vehicle_purchase: 0, vehicle_operation: 0, reception: 1.50}",
    )
    text += (
        "reasons:\n  sangong_change: 本年未发生公务接待\n  reception_change: 本年未发生公务接待\n"
    )
    analysis, _ = run(text)
    (sentence,) = _section(analysis, "七、")
    assert sentence.startswith("2024年度测试办无“三公”经费财政拨款支出。较上年减少1.50万元")
    assert "本年未发生公务接待" in sentence


def test_new_item_says_no_prior_spending_instead_of_a_rate():
    text = BASE.replace("  office_operation: 10.00\n", "  office_operation: 0\n")
    text += "reasons:\n  office_operation_change: 新增机关运行经费\n"
    analysis, findings = run(text)
    assert "NAR-006" not in codes(findings, "error")
    paragraphs = _section(analysis, "十、")
    (sentence,) = [p for p in paragraphs if "机关运行经费支出" in p]
    assert "增加10.00万元（上年无此项支出）" in sentence
    assert "增长" not in sentence and "%" not in sentence
