"""Reviewer checks beyond arithmetic: 类 names against the table, blank cells the text gives a
value for, missing parts and tables, and empty fund tables without their 本表无数据 note."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from docx import Document

from juesuan.check import check_file
from juesuan.check.structure import layouts

GOLDEN = Path(__file__).parent.parent / "golden"

SHANGHAI_PARTS = [
    "第一部分 某局概况",
    "第二部分 某局2024年度部门决算表",
    "第三部分 某局2024年度部门决算情况说明",
    "第四部分 名词解释",
]
SHANGHAI_TABLES = [
    "收入支出决算总表",
    "收入决算表",
    "支出决算表",
    "财政拨款收入支出决算总表",
    "一般公共预算财政拨款支出决算表",
    "一般公共预算财政拨款基本支出决算表",
    "财政拨款“三公”经费支出决算表",
    "政府性基金预算财政拨款收入支出决算表",
    "国有资本经营预算财政拨款收入支出决算表",
]
HEADER = [
    ["项目", "项目", "项目", "项目", "合计", "基本支出", "项目支出"],
    [
        "支出功能分类科目编码",
        "支出功能分类科目编码",
        "支出功能分类科目编码",
        "科目名称",
        "",
        "",
        "",
    ],
    ["类", "款", "项", "", "", "", ""],
]


def _codes(report, code):
    return [i for i in report.items if i.finding.code == code]


def _txt(tmp_path, text: str):
    p = tmp_path / "doc.txt"
    p.write_text("某局2024年度部门决算\n" + text + "\n", encoding="utf-8")
    return check_file(p)


def _docx(tmp_path, blocks) -> Path:
    """A small DOCX: strings are paragraphs, lists of rows are tables."""
    d = Document()
    for block in blocks:
        if isinstance(block, str):
            d.add_paragraph(block)
        else:
            table = d.add_table(rows=len(block), cols=len(block[0]))
            for r, row in enumerate(block):
                for c, text in enumerate(row):
                    table.cell(r, c).text = text
    p = tmp_path / "doc.docx"
    d.save(p)
    return p


# ------------------------------------------------------------------ layouts from the profiles
def test_layouts_come_from_the_profiles():
    got = {lay.profile: lay for lay in layouts()}
    sichuan = next(v for k, v in got.items() if "四川" in k)
    shanghai = next(v for k, v in got.items() if "上海" in k)
    assert [n for n, _, _ in sichuan.parts] == [1, 2, 3, 4, 5]
    assert [n for n, _, _ in shanghai.parts] == [1, 2, 3, 4]
    assert len(sichuan.tables) == 13 and len(shanghai.tables) == 9
    assert ("表10", "政府性基金预算财政拨款收入支出决算表", True) in sichuan.tables


# ------------------------------------------------------------------ CHK-112 类 names
def test_class_name_differs_from_catalog(tmp_path):
    report = _txt(
        tmp_path,
        "1.一般公共服务支出（类）行政运行（项）：反映行政单位的基本支出。\n\n"
        "2.一般公共服务（类）事业运行（项）：反映事业单位的基本支出。",
    )
    (item,) = _codes(report, "CHK-112")
    assert "一般公共服务（类）" in item.finding.message
    assert "一般公共服务支出" in item.finding.message
    assert item.finding.location.line == 4
    assert "2.一般公共服务（类）" in item.quote


def test_class_name_differs_from_table(tmp_path):
    p = _docx(
        tmp_path,
        [
            "某局2024年度部门决算",
            "2024年一般公共预算财政拨款支出100.00万元，主要用于以下方面："
            "一般公共服务（类）100.00万元，占100%。",
            "一般公共预算财政拨款支出决算表",
            [
                *HEADER,
                ["201", "", "", "一般公共服务支出", "100.00", "100.00", ""],
                ["合计", "", "", "", "100.00", "100.00", ""],
            ],
        ],
    )
    items = _codes(check_file(p), "CHK-112")
    assert len(items) == 1
    assert "表中为“一般公共服务支出”" in items[0].finding.message
    assert items[0].paragraph == 2


def test_seed_text_class_names():
    report = check_file(GOLDEN / "seed-2024.txt")
    items = _codes(report, "CHK-112")
    got = [([p.finding.location.line for p in i.places], i.finding.message) for i in items]
    # the same finding on lines 138 and 139 is one item with both places
    assert [lines for lines, _ in got] == [[137], [138, 139], [80]]
    assert "一般公共服务（类）" in got[0][1] and "社会保障和就业（类）" in got[1][1]
    # and the 项 the seed names without its catalog name's last word (its own tables print both)
    assert "机关事业单位基本养老保险缴费（项）" in got[2][1] and "缴费支出" in got[2][1]


# ------------------------------------------------------------------ CHK-121 blank cells
def test_blank_cell_where_text_states_a_value(tmp_path):
    p = _docx(
        tmp_path,
        [
            "某局2024年度部门决算",
            "2024年一般公共预算财政拨款支出100.00万元，占本年支出合计的100%。",
            "一般公共预算财政拨款支出决算表",
            [
                *HEADER,
                ["201", "", "", "一般公共服务支出", "100.00", "60.00", "40.00"],
                ["201", "01", "", "人大事务", "100.00", "60.00", "40.00"],
                ["201", "01", "01", "行政运行", "100.00", "60.00", "40.00"],
                ["合计", "", "", "", "", "60.00", "40.00"],
            ],
        ],
    )
    (item,) = _codes(check_file(p), "CHK-121")
    f = item.finding
    assert f.location.row == "合计" and f.location.column == "合计"
    assert f.expected == Decimal("100.00") and f.stated is None
    assert "空白" in f.message and "100.00万元" in item.quote


def test_zero_stated_against_blank_is_fine(tmp_path):
    p = _docx(
        tmp_path,
        [
            "某局2024年度部门决算",
            "2024年一般公共预算财政拨款支出0万元。",
            "一般公共预算财政拨款支出决算表",
            [*HEADER, ["合计", "", "", "", "", "0.00", ""]],
        ],
    )
    assert not _codes(check_file(p), "CHK-121")


def test_blank_cell_in_built_docx(tmp_path, seed_docx):
    d = Document(seed_docx)
    table = next(
        t
        for t in d.tables
        if len(t.columns) == 7
        and [c.text for c in t.rows[0].cells[4:]] == ["合计", "基本支出", "项目支出"]
    )
    row = next(r for r in table.rows if r.cells[0].text == "208" and not r.cells[1].text)
    row.cells[4].text = ""  # 社会保障和就业支出 合计: the text states 22.32万元
    p = tmp_path / "blank.docx"
    d.save(p)
    items = _codes(check_file(p), "CHK-121")
    assert [(i.finding.location.row[:3], i.finding.expected) for i in items] == [
        ("208", Decimal("22.32"))
    ]
    assert items[0].finding.location.table == "一般公共预算财政拨款支出决算表"


# ------------------------------------------------------------------ CHK-302 parts and tables
def test_missing_table_and_part_shanghai(tmp_path):
    lines = SHANGHAI_PARTS[:3] + [f"{i}、{t}" for i, t in enumerate(SHANGHAI_TABLES[:-1], 1)]
    report = _txt(tmp_path, "\n".join(lines))
    msgs = [i.finding.message for i in _codes(report, "CHK-302")]
    assert len(msgs) == 2, msgs
    assert any("第四部分 名词解释" in m for m in msgs)
    assert any("国有资本经营预算财政拨款收入支出决算表" in m for m in msgs)
    assert all("上海" in m for m in msgs)


def test_missing_part_sichuan(tmp_path):
    parts = [
        "第一部分 部门概况",
        "第二部分 2024年度部门决算情况说明",
        "第三部分 名词解释",
        "第五部分 附表",
    ]
    sichuan = next(lay for lay in layouts() if "四川" in lay.profile)
    titles = [f"{n} {t}" for n, t, _ in sichuan.tables]
    report = _txt(tmp_path, "\n".join(parts + titles))
    msgs = [i.finding.message for i in _codes(report, "CHK-302")]
    assert msgs == [
        "按四川省2024年度部门决算公开模板应有“第四部分 部门预算绩效评价报告”，文件中没有找到"
    ]


def test_structure_cannot_check_without_tables(tmp_path):
    report = _txt(tmp_path, "本年支出100.00万元。")
    cov = {c.code: c for c in report.coverage}
    assert cov["CHK-302"].status == "无法检查" and cov["CHK-302"].cannot
    assert cov["CHK-303"].status == "无法检查"


def test_seed_and_putuo_have_all_parts_and_tables():
    for name in ("seed-2024.txt", "putuo-2024.pdf"):
        report = check_file(GOLDEN / name)
        assert not _codes(report, "CHK-302"), name
        assert {c.code: c for c in report.coverage}["CHK-302"].checked >= 13


# ------------------------------------------------------------------ CHK-303 empty fund tables
def _fund_doc(tmp_path, note: str | None, value: str = ""):
    rows = [
        [
            "项目",
            "项目",
            "项目",
            "项目",
            "年初结转和结余",
            "本年收入",
            "本年支出",
            "年末结转和结余",
        ],
        ["类", "款", "项", "科目名称", "", "", "", ""],
        ["合计", "", "", "", "", value, value, ""],
    ]
    blocks = ["某局2024年度部门决算", *SHANGHAI_PARTS]
    for t in SHANGHAI_TABLES[:-2]:
        blocks.append(t)
    blocks += ["政府性基金预算财政拨款收入支出决算表", rows]
    if note:
        blocks.append(note)
    blocks += [
        "国有资本经营预算财政拨款收入支出决算表",
        rows,
        "注：某局无国有资本经营预算财政拨款支出，故本表无数据。",
    ]
    return check_file(_docx(tmp_path, blocks))


def test_empty_fund_table_without_note(tmp_path):
    report = _fund_doc(tmp_path, None)
    (item,) = _codes(report, "CHK-303")
    assert item.finding.location.table == "政府性基金预算财政拨款收入支出决算表"
    assert "本表无数据" in item.finding.message
    assert not _codes(report, "CHK-302")


def test_empty_fund_table_with_note_or_data(tmp_path):
    noted = _fund_doc(tmp_path, "注：某局无政府性基金预算财政拨款收入和支出，故本表无数据。")
    assert not _codes(noted, "CHK-303")
    assert {c.code: c for c in noted.coverage}["CHK-303"].checked == 2
    assert not _codes(_fund_doc(tmp_path, None, value="5.00"), "CHK-303")


def test_fund_note_removed_from_built_docx(tmp_path, seed_docx):
    d = Document(seed_docx)
    para = next(p for p in d.paragraphs if "国有资本经营预算财政拨款支出，故本表无数据" in p.text)
    para._element.getparent().remove(para._element)
    p = tmp_path / "nonote.docx"
    d.save(p)
    (item,) = _codes(check_file(p), "CHK-303")
    assert item.finding.location.table == "国有资本经营预算财政拨款支出决算表"
    assert item.paragraph is not None
