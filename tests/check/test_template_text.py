"""Template text left in (phrases derived from an official template) and rates without “%”."""

from __future__ import annotations

from pathlib import Path

import pytest

from juesuan.check import check_file
from juesuan.check.template_text import derive, phrases

GOLDEN = Path(__file__).parent.parent / "golden"
TEMPLATE = """与 2023 年度相比，收入支出总计增加（减少）XXX 万元，增长（下降）XX%。
“三公”经费支出决算减少（增加）XXX 万元，下降（增长）XX%。
（如持平作持平表述）决算数大于（小于）预算数的主要原因：XXXXXXXX。
教育支出（类）XXX 万元，占 XX%……（不涉及的不列）因公出国（境）费 XX 万元。
无政府性基金预算财政拨款收入支出的，仍保留该表格式，并在本表下方作下述说明："""


def test_phrases_derived_from_the_template():
    found = derive(TEMPLATE)
    for phrase in ("增加（减少）", "增长（下降）", "大于（小于）", "（如持平作持平表述）"):
        assert phrase in found
    assert "（不涉及的不列）" in found and "仍保留该表格式" in found
    assert not [p for p in found if "境" in p or "类" in p]  # names, not alternatives


def test_bundled_list_is_the_derivation():
    """The bundled list is exactly what the method derives from the official template."""
    template = (GOLDEN / "shanghai-2024-template.txt").read_text(encoding="utf-8")
    assert set(phrases()) == set(derive(template))
    assert "增加（减少）" in phrases() and "（不涉及的不列）" in phrases()
    assert "（制度名称）" in phrases()  # a fill-in label after an XX placeholder


def _codes(tmp_path, text: str) -> list[str]:
    path = tmp_path / "doc.txt"
    path.write_text("某单位2024年度部门决算\n" + text + "\n", encoding="utf-8")
    return [i.finding.code for i in check_file(path).items]


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("支出总计与上年相比增加（减少）10.00万元。", "CHK-115"),
        ("支出总计与上年相比增加10.00万元。", None),
        ("公用经费主要包括办公费（不涉及的不列）。", "CHK-115"),
        ("平均得分99分（其中，优秀4个。", "CHK-115"),
        ("建立了如下制度：XXXX（制度名称）。", "CHK-115"),
        ("建立了如下制度：《预算绩效管理办法》。", None),
        ("平均得分99分（其中，优秀4个。良好0个）。", None),
        ("收入总计100.00万元，比上年增长8.20。", "CHK-116"),
        ("收入总计100.00万元，比上年增长8.20%。", None),
        ("基本支出50.00万元，占45.10；项目支出50.00万元。", "CHK-116"),
    ],
)
def test_found_and_clean_twin_silent(tmp_path, text, code):
    codes = [c for c in _codes(tmp_path, text) if c in ("CHK-115", "CHK-116")]
    assert codes == ([code] if code else [])
