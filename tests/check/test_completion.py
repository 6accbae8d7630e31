"""“完成年初预算的X%” read against the 年初 budget the sentence states (not the 调整/全年
budget beside it), and no completion rate of a 0 budget. Defect found, clean twin silent."""

from __future__ import annotations

import pytest

from juesuan.check import check_file

BOTH = "年初预算为100.00万元，调整预算为120.00万元，支出决算为108.00万元，"


def _found(tmp_path, text: str):
    path = tmp_path / "doc.txt"
    path.write_text("某单位2024年度部门决算\n" + text + "\n", encoding="utf-8")
    return [i.finding for i in check_file(path).items]


@pytest.mark.parametrize(
    ("text", "code", "says"),
    [
        # 90% = 108 / 120: computed against the 调整 budget, labelled 年初
        (BOTH + "完成年初预算的90.00%。", "CHK-107", "文中数按调整预算120.00万元计算"),
        (BOTH + "完成年初预算的108.00%。", None, None),
        (BOTH + "完成调整预算的90.00%。", None, None),
        (BOTH + "完成调整预算的108.00%。", "CHK-107", "完成调整预算应为90.00%"),
        (
            "年初预算为0万元，全年预算为50.00万元，支出决算为45.00万元，完成年初预算的90.00%。",
            "CHK-104",
            "年初预算为0",
        ),
        (
            "年初预算为0万元，全年预算为50.00万元，支出决算为45.00万元，完成全年预算的90.00%。",
            None,
            None,
        ),
        ("年初预算为0万元，支出决算为45.00万元，完成年初预算的100.00%。", "CHK-104", "年初预算为0"),
        ("年初预算为0万元，支出决算为0万元。", None, None),
    ],
)
def test_completion_against_its_own_budget(tmp_path, text, code, says):
    found = [f for f in _found(tmp_path, text) if f.code.startswith("CHK-10")]
    if code is None:
        assert found == [], [f.message for f in found]
    else:
        assert [f.code for f in found] == [code], [f.message for f in found]
        assert says in found[0].message
