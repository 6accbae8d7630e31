"""CHK-117: the cover, part titles, table titles and “截至…年12月31日” name the document's
year, written in full. Each defect found on a small document, the clean twin silent."""

from __future__ import annotations

import pytest

from juesuan.check import check_file

BODY = (
    "第一部分 部门概况\n\n"
    "本部门2024年度决算收入100.00万元。本部门2024年度决算支出100.00万元。\n\n"
    "第二部分 {part}年度部门决算表\n\n"
    "{table}年度收入支出决算总表\n\n"
    "第三部分 2024年度部门决算情况说明\n\n"
    "{as_of}，本部门共有车辆2辆。\n"
)


def _doc(cover="2024", part="2024", table="2024", as_of="截至2024年12月31日") -> str:
    return f"某某局\n{cover}年度部门决算\n\n" + BODY.format(part=part, table=table, as_of=as_of)


def _found(tmp_path, text: str):
    path = tmp_path / "doc.txt"
    path.write_text(text, encoding="utf-8")
    report = check_file(path)
    return [i for i in report.items if i.finding.code in ("CHK-117", "CHK-111")]


@pytest.mark.parametrize(
    ("kwargs", "line", "says"),
    [
        ({"cover": "2023"}, 2, "封面中的年份为2023年"),
        ({"part": "2023"}, 8, "部分标题中的年份为2023年"),
        ({"table": "2023"}, 10, "表题中的年份为2023年"),
        ({"as_of": "截至2023年12月31日"}, 14, "截至2024年12月31日"),
        ({"cover": "202 "}, 2, "“202年度”书写不完整"),
        ({"as_of": "截至202 年12月31日"}, 14, "书写不完整"),
    ],
)
def test_wrong_year_found(tmp_path, kwargs, line, says):
    found = _found(tmp_path, _doc(**kwargs))
    assert [(i.finding.code, i.finding.location.line) for i in found] == [("CHK-117", line)]
    assert says in found[0].finding.message


def test_clean_twin_silent(tmp_path):
    assert _found(tmp_path, _doc()) == []


def test_running_text_may_name_the_previous_year(tmp_path):
    text = _doc().replace("共有车辆2辆。", "共有车辆2辆，与2023年度持平。")
    assert _found(tmp_path, text) == []
