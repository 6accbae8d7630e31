"""Names: a 款/项 the text names against the same row in the tables (CHK-112), and the
department's own name on the cover, in titles and in the text (CHK-118). Each defect found,
the clean twin silent."""

from __future__ import annotations

from pathlib import Path

import pytest

from juesuan.check import check_file

pytestmark = pytest.mark.slow  # the built Putuo document


def _check(tmp_path: Path, source: Path, old: str | None = None, new: str = ""):
    text = source.read_text(encoding="utf-8")
    if old is not None:
        assert old in text
        text = text.replace(old, new, 1)
    path = tmp_path / source.name
    path.write_text(text, encoding="utf-8")
    return check_file(path)


def _found(report, code: str):
    return [i.finding for i in report.items if i.finding.code == code]


@pytest.mark.parametrize(
    ("old", "new", "says"),
    [
        # another 项 name for the row whose final is 1511.89 (行政运行)
        ("财政事务（款）行政运行（项）", "财政事务（款）行政管理（项）", "“行政管理（项）”"),
        # the 款 called by its 类's name
        (
            "（类）行政事业单位养老支出（款）行政单位离退休（项）",
            "（类）社会保障和就业支出（款）行政单位离退休（项）",
            "这是其类级科目“社会保障和就业支出”的名称",
        ),
        # another 款's name
        (
            "（类）财政事务（款）信息化建设（项）",
            "（类）税收事务（款）信息化建设（项）",
            "税收事务",
        ),
    ],
)
def test_item_name_against_its_row(tmp_path, built, old, new, says):
    found = _found(_check(tmp_path, built[("putuo", "md")], old, new), "CHK-112")
    assert len(found) == 1, [f.message for f in found]
    assert says in found[0].message


@pytest.mark.parametrize(
    ("old", "new", "kind"),
    [
        ("## 第一部分 上海市普陀区财政局概况", "## 第一部分 上海市普陀区税务局概况", "部分标题"),
        (
            "上海市普陀区财政局2024年度财政拨款收入支出总计",
            "上海市普陀区财务局2024年度财政拨款收入支出总计",
            "正文",
        ),
    ],
)
def test_department_name_differs(tmp_path, built, old, new, kind):
    found = _found(_check(tmp_path, built[("putuo", "md")], old, new), "CHK-118")
    assert len(found) == 1, [f.message for f in found]
    assert (
        found[0].message.startswith(kind)
        and "与封面的“上海市普陀区财政局”不一致" in found[0].message
    )


def test_clean_twin_silent(tmp_path, built):
    report = _check(tmp_path, built[("putuo", "md")])
    assert not _found(report, "CHK-112") and not _found(report, "CHK-118")
    cov = {c.code: c for c in report.coverage}
    assert cov["CHK-112"].checked and cov["CHK-118"].checked
