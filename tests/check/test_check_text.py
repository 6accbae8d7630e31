"""Checker on text: the seed's acceptance findings and the narrative rules one by one."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from juesuan.check import check_file
from juesuan.core.findings import Severity

GOLDEN = Path(__file__).parent.parent / "golden"


@pytest.fixture(scope="module")
def seed():
    return check_file(GOLDEN / "seed-2024.txt")


def _by(report, code):
    return [i for i in report.items if i.finding.code == code]


def test_seed_indicator_group_subtotals(seed):
    got = {
        (i.finding.location.row, i.finding.stated, i.finding.expected)
        for i in _by(seed, "CHK-201")
        if i.finding.severity is Severity.ERROR
    }
    assert got == {
        ("预算管理", Decimal(21), Decimal(31)),
        ("项目执行", Decimal(12), Decimal(15)),
        ("目标实现", Decimal(11), Decimal(17)),
    }
    quotes = " ".join(i.quote for i in _by(seed, "CHK-201"))
    assert "预算编制质量 8、支出执行进度 9、预算年终结余 8、严控一般性支出 6" in quotes


def test_seed_sangong_completion_contradiction(seed):
    (item,) = _by(seed, "CHK-108")
    assert "完成预算100%" in item.quote and "决算数小于预算数" in item.quote
    assert item.finding.location.line == 92


def test_seed_recurring_project_total(seed):
    (item,) = _by(seed, "CHK-205")
    assert item.finding.stated == Decimal("41.47")
    assert item.finding.expected == Decimal("40.73")
    assert item.finding.difference == Decimal("0.74")


def test_seed_does_not_flag_correct_shares(seed):
    assert not _by(seed, "CHK-101")
    assert not _by(seed, "CHK-102")
    assert not any("80.57" in i.finding.message for i in seed.items + seed.rounding)
    cov = {c.code: c for c in seed.coverage}
    assert cov["CHK-101"].checked >= 8


def test_seed_placeholder_and_rounding_note(seed):
    (item,) = _by(seed, "CHK-109")
    assert "主要用于" in item.finding.message and "主要用于。" in item.quote
    # 53.53% of 0.53/0.99 is explained by rounded inputs: one informational note, not errors
    assert len(seed.rounding) == 2
    assert not _by(seed, "CHK-103")
    note = [f for f in seed.findings if f.code == "CHK-900"]
    assert len(note) == 1 and note[0].severity is Severity.INFO


def test_seed_coverage_is_honest(seed):
    cov = {c.code: c for c in seed.coverage}
    assert cov["TOT-001"].status == "无法检查"  # the seed text has no standard tables
    assert cov["CHK-201"].cannot  # 履职效能 weights are blank in the seed
    assert cov["NAR-001"].cannot


def _check_text(tmp_path, text: str):
    p = tmp_path / "doc.txt"
    p.write_text("2024年度部门决算\n" + text + "\n", encoding="utf-8")
    return check_file(p)


@pytest.mark.parametrize(
    ("text", "code"),
    [
        (
            "支出合计100.00万元，其中：基本支出60.00万元，占60.00%；项目支出40.00万元，占41.00%。",
            "CHK-101",
        ),
        ("支出合计100.00万元，其中：基本支出60.00万元、项目支出30.00万元。", "CHK-106"),
        ("本年支出110.00万元，比2023年增加10.00万元，增长20.00%。", "CHK-103"),
        ("本年支出10.00万元，比2023年增加10.00万元，增长100.00%。", "CHK-104"),
        ("本年支出110.00万元，比2023年增加10.00万元，下降9.09%。", "CHK-105"),
        ("本年支出100.00万元，比2023年增加0万元，增长0%。", "CHK-105"),
        ("本年支出100.00万元，与2023年持平，增加5.00万元。", "CHK-105"),
        ("年初预算为100.00万元，支出决算为90.00万元，完成年初预算的95.00%。", "CHK-107"),
        ("支出决算为90.00万元，完成预算100%，决算数大于预算数的主要原因是增人。", "CHK-108"),
        ("XX局2024年度部门决算。", "CHK-109"),
        ("决算数小于预算数的主要原因是。", "CHK-109"),
        ("本年支出100.00万元。。", "CHK-110"),
        ("2021年本部门支出100.00万元。", "CHK-111"),
        ("内设综合股、财务股、办公室4个股室。", "CHK-113"),
        ("共有编制14人，其中：行政编制7名，事业编制6名。", "CHK-113"),
        ("共有车辆2辆，其中：轿车1辆、越野车0辆。", "CHK-113"),
        ("本年收入合计100.00万元，其中：财政拨款收入101.00万元，占100%。", "CHK-106"),
        (
            "本年支出合计200.00万元。一般公共预算财政拨款支出100.00万元，占本年支出合计的60%。",
            "CHK-101",
        ),
        (
            "政府采购支出总额0万元。授予中小企业合同金额1.00万元，占政府采购支出总额的5%。",
            "CHK-104",
        ),
        ("2024年公务接待费支出0.46万元。3.公务接待费支出0.56万元。", "CHK-114"),
        (
            "支出（类）行政事业单位养老支出（款）机关事业单位基本养老保险缴费（项）：支出决算为1.00万元。",
            "CHK-112",
        ),
        (
            "一般公共服务支出（类）财政事务（款）行政运行（项）：支出决算为1.00万元。因公出国（境）费用支出0万元，完成预算100%。",
            "CHK-107",
        ),
        (
            "自评的项目4个，涉及预算金额598.42万元，平均得分99.43分（其中，评级为“优”的项目3个；"
            "评级为“良”的项目0个）。",
            "CHK-113",
        ),
        # a total and its numbered items in the paragraphs that follow
        (
            "支出年初预算为100.00万元，支出决算为90.00万元。其中：\n\n"
            "1、甲（项）。年初预算为60.00万元，支出决算为50.00万元。\n\n"
            "2、乙（项）。年初预算为30.00万元，支出决算为40.00万元。",
            "CHK-106",
        ),
        # labelled items under a numbered total
        (
            "\n3.公务接待费支出0.46万元，完成预算100%。公务接待费支出决算比2023年减少0.53万元。其中：\n\n"
            "国内公务接待支出0.46万元，主要用于执行公务。\n\n外事接待支出0.10万元，外事接待0批次。",
            "CHK-106",
        ),
    ],
)
def test_narrative_rule_fires(tmp_path, text, code):
    report = _check_text(tmp_path, text)
    assert code in {i.finding.code for i in report.items}, [
        i.finding.render() for i in report.items
    ]


@pytest.mark.parametrize(
    "text",
    [
        # largest-remainder shares (80.57% is not the plain rounding 80.56%)
        "支出253.87万元，主要用于：甲204.53万元，占80.57%；乙22.32万元，占8.79%；丙11.41万元，占4.49%；丁15.61万元，占6.15%。",
        "本年支出110.00万元，比2023年增加10.00万元，增长10.00%。",
        "年初预算为100.00万元，支出决算为90.00万元，完成年初预算的90.00%。决算数小于预算数的主要原因是节约。",
        "支出合计100.00万元，其中：基本支出60.00万元、项目支出40.00万元。",
        "截至2024年12月31日，共有车辆0辆。2023年度相比持平。",
        "内设综合股、财务股、办公室3个股室及中心、站等2个下属单位。",
        "共有编制14人，其中：行政编制7名，事业编制7名。",
        "本年支出合计200.00万元。一般公共预算财政拨款支出100.00万元，占本年支出合计的50%。",
        "自评的项目4个，涉及预算金额598.42万元（其中，评级为“优”的项目4个；评级为“良”的项目0个）。",
        "支出年初预算为100.00万元，支出决算为90.00万元。其中：\n\n"
        "1、甲（项）。年初预算为70.00万元，支出决算为50.00万元。\n\n"
        "2、乙（项）。年初预算为30.00万元，支出决算为40.00万元。",
        "支出（类）行政事业单位养老支出（款）机关事业单位基本养老保险缴费支出（项）：支出决算为1.00万元。",
        "因公出国（境）经费支出0万元，预算数为0万元。",
        "\n3.公务接待费支出0.46万元，完成预算100%。公务接待费支出决算比2023年减少0.53万元。其中：\n\n"
        "国内公务接待支出0.46万元，主要用于执行公务。\n\n外事接待支出0万元，外事接待0批次。",
        # the prior year's figure of the same item is another figure
        "2024年公务接待费支出0.46万元。2023年公务接待费支出0.99万元。",
    ],
)
def test_narrative_no_false_alarm(tmp_path, text):
    report = _check_text(tmp_path, text)
    assert not report.items, [i.finding.render() for i in report.items]


def _full_width(text: str) -> str:
    """Digits, decimal points between digits and percent signs typed full-width."""
    import re

    text = re.sub(r"(?<=\d)\.(?=\d)", "．", text)
    return text.translate(str.maketrans("0123456789%", "０１２３４５６７８９％"))


def _places(report):
    return sorted((i.finding.code, i.where(), str(i.finding.stated)) for i in report.items)


def test_full_width_digits_read_as_digits(tmp_path, seed):
    """“２９４６．２５万元，占９９．７９％” (a full-width input mode) is the same figure: the
    seed's text typed so gives the same findings on the same lines, none from misreading."""
    wide = tmp_path / "wide.txt"
    wide.write_text(_full_width((GOLDEN / "seed-2024.txt").read_text("utf-8")), "utf-8")
    assert "２０２４" in wide.read_text("utf-8")
    report = check_file(wide)
    assert _places(report) == _places(seed) and len(seed.items) > 5


@pytest.mark.slow
def test_full_width_digits_in_tables_read_as_digits(tmp_path, built):
    base = check_file(built[("putuo", "md")])
    wide = tmp_path / "wide.md"
    wide.write_text(_full_width(built[("putuo", "md")].read_text("utf-8")), "utf-8")
    report = check_file(wide)
    assert report.tables_found == base.tables_found and len(base.tables_found) >= 9
    assert _places(report) == _places(base)
