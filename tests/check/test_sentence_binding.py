"""Sentence binding: each change, rate and comparison word is read with its own item's amounts
(clauses cut at “；” and “其中：”). Every rule: the defect found, the clean twin silent."""

from __future__ import annotations

import pytest

from juesuan.check import check_file
from juesuan.core.findings import Severity

HEAD = "某单位2024年度部门决算\n"


def _codes(tmp_path, text: str) -> list[str]:
    path = tmp_path / "doc.txt"
    path.write_text(HEAD + text + "\n", encoding="utf-8")
    report = check_file(path)
    return [i.finding.code for i in report.items if i.finding.severity is not Severity.INFO]


@pytest.mark.parametrize(
    ("text", "code"),
    [
        # the rate of an item whose own current figure is not stated is not read against the
        # change of the previous clause (“减少0.42万元” is no current-year figure)
        ("项目支出较上年减少0.42万元；基本支出增加10.00万元，增长25.00%。", None),
        ("基本支出50.00万元，较上年增加10.00万元，增长30.00%。", "CHK-103"),
        ("基本支出50.00万元，较上年增加10.00万元，增长25.00%。", None),
        # 持平 binds to its own clause
        ("一般公共服务支出与上年持平；教育支出增加5.00万元，增长10.00%，本年55.00万元。", None),
        ("一般公共服务支出与上年持平，增加5.00万元。", "CHK-105"),
        # the comparison word is checked for every item with a budget and a final, rate or not
        ("公务接待费年初预算为10.00万元，支出决算为12.00万元，决算数小于预算数。", "CHK-105"),
        ("公务接待费年初预算为10.00万元，支出决算为12.00万元，决算数大于预算数。", None),
        (
            "公务接待费年初预算为10.00万元，支出决算为12.00万元，决算数大于预算数；"
            "公务用车运行费年初预算为8.00万元，支出决算为6.00万元，决算数大于预算数。",
            "CHK-105",
        ),
        (
            "公务接待费年初预算为10.00万元，支出决算为12.00万元，决算数大于预算数；"
            "公务用车运行费年初预算为8.00万元，支出决算为6.00万元，决算数小于预算数。",
            None,
        ),
        # signed changes add with their signs
        ("支出较上年减少10.00万元，其中：基本支出增加5.00万元；项目支出减少15.00万元。", None),
        ("支出较上年减少10.00万元，其中：基本支出增加5.00万元；项目支出减少16.00万元。", "CHK-106"),
    ],
)
def test_bound_to_its_own_item(tmp_path, text, code):
    codes = _codes(tmp_path, text)
    if code is None:
        assert not [c for c in codes if c.startswith("CHK-10")], codes
    else:
        assert code in codes
