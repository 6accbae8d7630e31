"""The performance tables and what the narrative says of them: one changed number in the seed
DOCX juesuan builds is found by the rule that covers it, at its table row or paragraph."""

from __future__ import annotations

import docx
import pytest
from mutation import _docx_titles

from juesuan.check import check_file
from juesuan.core.findings import Severity


@pytest.fixture(scope="module")
def baseline(seed_docx):
    return _keys(check_file(seed_docx))


def _keys(report) -> set[tuple]:
    return {
        (i.finding.code, i.finding.location.row, i.finding.stated, i.finding.expected)
        for i in report.items
        if i.finding.severity is not Severity.INFO
    }


def _tables(d, title: str):
    return [t for t, t_title in zip(d.tables, _docx_titles(d), strict=True) if title in t_title]


def _set(d, title: str, label: str, col: int, value: str, nth: int = 0) -> None:
    table = _tables(d, title)[nth]
    for row in table.rows:
        cells = row.cells
        if any(c.text.strip() == label for c in cells[:4]):
            para = cells[col].paragraphs[0]
            para.runs[0].text = value
            for run in para.runs[1:]:
                run.text = ""
            return
    raise AssertionError(f"row {label} not found")


def _say(d, old: str, new: str) -> None:
    for p in d.paragraphs:
        if old in p.text:
            text = p.text.replace(old, new, 1)
            p.runs[0].text = text
            for run in p.runs[1:]:
                run.text = ""
            return
    raise AssertionError(f"“{old}” not in the document")


def _new(seed_docx, baseline, tmp_path, edit) -> set[tuple]:
    d = docx.Document(str(seed_docx))
    edit(d)
    out = tmp_path / "m.docx"
    d.save(str(out))
    return _keys(check_file(out)) - baseline


P2 = "项目支出绩效自评表"
P1 = "部门整体支出绩效自评表"


@pytest.mark.parametrize(
    ("edit", "expected"),
    [
        # the budget execution score of a project (the mutation the checker used to miss):
        # against the total and against 执行率 × 权重
        (lambda d: _set(d, P2, "总额", 7, "9.5"), {("CHK-202", "合计"), ("CHK-209", "总额")}),
        # an indicator score above its weight: the score and the total both disagree
        (
            lambda d: _set(d, P2, "迎接市级考核", 9, "11"),
            {("CHK-203", "迎接市级考核"), ("CHK-202", "合计")},
        ),
        # an indicator weight: the 90 points of the indicators and the 100 of the total
        (
            lambda d: _set(d, P2, "迎接市级考核", 8, "12"),
            {("CHK-201", "绩效指标"), ("CHK-201", "合计")},
        ),
        # the total score against its parts, the 评价结论's 自评总分 and the narrative's score
        (
            lambda d: _set(d, P2, "合计", 9, "97.5"),
            {("CHK-202", "合计"), ("CHK-206", "评价结论"), ("CHK-206", None)},
        ),
        # the execution rate against its amounts
        (lambda d: _set(d, P2, "总额", 5, "90"), {("CHK-204", "总额")}),
        # 附表1: one indicator score against the 合计
        (lambda d: _set(d, P1, "预算编制质量", 6, "8"), {("CHK-202", "合计")}),
    ],
)
def test_table_change_found_at_its_row(seed_docx, baseline, tmp_path, edit, expected):
    new = _new(seed_docx, baseline, tmp_path, edit)
    assert {(code, row) for code, row, *_ in new} == expected, new


@pytest.mark.parametrize(
    ("old", "new", "code", "stated", "expected"),
    [
        ("自评得分为98.6分。", "自评得分为96.8分。", "CHK-206", "96.8", "98.6"),
        (
            "专项预算项目绩效自评得分为98.5分",
            "专项预算项目绩效自评得分为95.8分",
            "CHK-206",
            "95.8",
            "98.5",
        ),
        ("结余率大于10%的项目共计0个", "结余率大于10%的项目共计1个", "CHK-207", "1", "0"),
        (
            "该类项目总数1个，涉及预算总金额0.74",
            "该类项目总数2个，涉及预算总金额0.74",
            "CHK-205",
            "0.74",
            None,
        ),
        ("共有编制14人", "共有编制15人", "CHK-113", "15", "14"),
        ("营商环境股3个股室", "营商环境股4个股室", "CHK-113", "4", "3"),
    ],
)
def test_narrative_change_found(seed_docx, baseline, tmp_path, old, new, code, stated, expected):
    found = _new(seed_docx, baseline, tmp_path, lambda d: _say(d, old, new))
    hits = [k for k in found if k[0] == code]
    assert hits, found
    assert any(str(k[2]) == stated and (expected is None or str(k[3]) == expected) for k in hits), (
        hits
    )


def test_project_counts_by_type(seed_docx, baseline, tmp_path):
    """常年 1 + 一次性 1 against the two project tables: a third one claimed is reported."""
    found = _new(
        seed_docx,
        baseline,
        tmp_path,
        lambda d: _say(d, "常年项目绩效分析。该类项目总数1个", "常年项目绩效分析。该类项目总数2个"),
    )
    counts = [k for k in found if k[0] == "CHK-207"]
    assert counts and str(counts[0][2]) == "3" and str(counts[0][3]) == "2", found


def test_every_performance_rule_checked_on_the_seed(seed_docx):
    report = check_file(seed_docx)
    status = {c.code: c for c in report.coverage}
    for code in ("CHK-113", "CHK-202", "CHK-203", "CHK-204", "CHK-205", "CHK-206", "CHK-207"):
        assert status[code].checked, (code, status[code].cannot)
