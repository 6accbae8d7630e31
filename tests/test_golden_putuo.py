"""Golden test: the Putuo sample's 情况说明 against the published Putuo document.

``tests/golden/putuo-2024.txt`` is a verbatim copy of the text extracted from the published PDF
(shared/reference/putuo-finance-bureau-2024.txt). Its 第三部分 (决算情况说明) is rebuilt into
paragraphs (PDF line breaks joined, the extraction's few out-of-order lines put back), then
normalised (no spaces, one set of punctuation; a paragraph's last "；" — three enumerations
end so — read as "。") and cut into sentences at "。".

The section headings must match in order, and within each section both directions are checked:
every sentence of ours that states a figure appears in the published section, and every sentence
of the published section — with or without a figure — appears in ours, except those in DEVIATIONS
(the published document's own errors, where we print the value the data gives) and OMISSIONS
(what the data cannot know).
"""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

import pytest

from conftest import BASE, run
from juesuan.compose.narrative import build_narrative
from juesuan.document.markdown import paragraph_text
from juesuan.document.model import Heading, Paragraph, Table
from juesuan.pipeline import Analysis, sample_path, validate

GOLDEN = Path(__file__).parent / "golden" / "putuo-2024.txt"

# Lines the PDF text extraction printed one line too early: each belongs after the next
# non-blank line (checked against the PDF's page images).
PDF_EARLY_LINES = (
    "603.14万元，占20.51%；",
    "15.16%；",
    "449.52万元。决算数小于预算数的主要原因：因个别项目评审费未能实施或未来得及",
    "161.62万元，支出决算为160.75万元。 决算数小于预算数的主要原因：预算按充分保",
    "598.42万元；绩效跟踪评价的2024年度项目4个，涉及预算金额598.42万元；绩效自评",
    "“优”的项目4个；绩效评级为“良”的项目0个；绩效评级为“合格”的项目0个；绩效评级",
    "0个）。",
)

# Published sentence (normalised) → the sentence we print instead, and why.
DEVIATIONS: dict[str, tuple[str, str]] = {
    # 收入决算情况说明: "6.2" drops the second decimal every other amount keeps.
    "本年收入合计2946.25万元，其中：财政拨款收入2940.05万元，占99.79%；其他收入6.2万元，占0.21%。": (
        "本年收入合计2946.25万元，其中：财政拨款收入2940.05万元，占99.79%；其他收入6.20万元，占0.21%。",
        "published formatting slip (6.2 for 6.20)",
    ),
    # 财政拨款收入支出决算总表 prints 总计 2,961.68; the text's 0.3 is a typing error.
    "上海市普陀区财政局2024年度财政拨款收入支出总计0.3万元。": (
        "上海市普陀区财政局2024年度财政拨款收入支出总计2961.68万元。",
        "published error: the table's 总计 is 2,961.68",
    ),
    # 2106.66 / 2940.05 = 71.65%; the four published shares sum to 100.08%.
    "一般公共预算财政拨款支出2940.05万元，主要用于以下方面：一般公共服务支出（类）2106.66万元，"
    "占71.73%；社会保障和就业支出（类）326.72万元，占11.11%；卫生健康支出（类）60.99万元，占2.07%；"
    "住房保障支出（类）445.69万元，占15.16%。": (
        "一般公共预算财政拨款支出2940.05万元，主要用于以下方面：一般公共服务支出（类）2106.66万元，"
        "占71.65%；社会保障和就业支出（类）326.72万元，占11.11%；卫生健康支出（类）60.99万元，占2.07%；"
        "住房保障支出（类）445.69万元，占15.16%。",
        "published error: 一般公共服务支出 is 71.65% of 2940.05",
    ),
    # The text states the 年初预算 total as 2993.92 and then itemises eleven 项 budgets that sum
    # to 2993.93. A total typed into the 情况说明 is checked but never replaces the sum of its
    # parts (derive: narrative-stated totals are not substituted), so we print 2993.93.
    "一般公共预算财政拨款支出年初预算为2993.92万元，支出决算为2940.05万元，完成年初预算的98.20%。": (
        "一般公共预算财政拨款支出年初预算为2993.93万元，支出决算为2940.05万元，完成年初预算的98.20%。",
        "published total contradicts its itemised parts (2993.93)",
    ),
    # 基本支出决算表: 303 10 个人农业生产补贴 is blank; the 303 items paid are 退休费 and 奖励金.
    "其中：人员经费2152.26万元，主要包括：基本工资、津贴补贴、机关事业单位基本养老保险缴费、职业年金缴费、"
    "职工基本医疗保险缴费、其他社会保障缴费、住房公积金、其他工资福利支出、退休费、个人农业生产补贴；"
    "公用经费184.65万元，主要包括：办公费、印刷费、手续费、邮电费、差旅费、维修（护）费、培训费、劳务费、"
    "工会经费、福利费、其他交通费用、其他商品和服务支出、办公设备购置。": (
        "其中：人员经费2152.26万元，主要包括：基本工资、津贴补贴、机关事业单位基本养老保险缴费、职业年金缴费、"
        "职工基本医疗保险缴费、其他社会保障缴费、住房公积金、其他工资福利支出、退休费、奖励金；"
        "公用经费184.65万元，主要包括：办公费、印刷费、手续费、邮电费、差旅费、维修（护）费、培训费、劳务费、"
        "工会经费、福利费、其他交通费用、其他商品和服务支出、办公设备购置。",
        "published error: the table has 奖励金 0.31, no 个人农业生产补贴",
    ),
    # 因公出国（境）费 and 公务用车 have no budget (blank cells): 0 of nothing is no percentage.
    # The two real rates (0.00 of 0.95) print with two decimals like every other rate.
    "“三公”经费财政拨款支出年初预算为0.95万元，支出决算为0.00万元，完成预算的0%，其中：因公出国（境）费"
    "决算为0.00万元，完成预算的0%；公务用车购置及运行维护费支出决算为0.00万元，完成预算的0%；"
    "公务接待费支出决算为0.00万元，完成预算的0%。": (
        "“三公”经费财政拨款支出年初预算为0.95万元，支出决算为0.00万元，完成预算的0.00%，其中：因公出国（境）费"
        "决算为0.00万元，年初未安排预算；公务用车购置及运行维护费支出决算为0.00万元，年初未安排预算；"
        "公务接待费支出决算为0.00万元，完成预算的0.00%。",
        "completion of a zero budget is undefined; percentages keep two decimals",
    ),
    # 货物 4.79 + 工程 0 + 服务 246.47 = 251.26.
    "上海市普陀区财政局2024年度政府采购金额（以合同签订为准）为251.25万元，其中：货物采购金额4.79万元、"
    "工程采购金额0万元、服务采购金额246.47万元。": (
        "上海市普陀区财政局2024年度政府采购金额（以合同签订为准）为251.26万元，其中：货物采购金额4.79万元、"
        "工程采购金额0万元、服务采购金额246.47万元。",
        "published total contradicts its own parts (251.26)",
    ),
}

# (section heading, published sentence) we do not print, and why.
SECTION_FOUR = "四、财政拨款收入支出决算总体情况说明"
OMISSIONS: dict[tuple[str, str], str] = {
    # 四: with a 总计 of "0.3" the published comparison (持平) says nothing, and the 2023 财政拨款
    # 收入支出总计 appears nowhere in the document: there is nothing to compare with (NAR-003
    # warns), so neither the comparison nor its reason is printed.
    (SECTION_FOUR, "与2023年度相比，财政拨款收入支出总计持平。"): "prior-year total unknown",
    (
        SECTION_FOUR,
        "主要原因：基本支出中人员进出及退休变化，以及项目支出中合同支付进度条款等原因减少支付。",
    ): "prior-year total unknown",
}

HEADING = re.compile(r"^(（[一二三四五六七八九十]+）|[一二三四五六七八九十]+、)")
NOT_FIGURES = re.compile(r"\d{4}年度?|\d{1,2}月\d{1,2}日|\d+、")  # years, dates, list numbers
FULL_WIDTH = str.maketrans({":": "：", ";": "；", "(": "（", ")": "）", "!": "！", "?": "？"})


def normalise(text: str) -> str:
    text = re.sub(r"\s+", "", text).translate(FULL_WIDTH)
    return re.sub(r"(?<!\d),|,(?!\d)", "，", text)


def sentences(block: str) -> list[str]:
    return [s for s in re.findall(r"[^。]*。|[^。]+$", block) if s]


def states_figure(sentence: str) -> bool:
    return bool(re.search(r"\d", NOT_FIGURES.sub("", sentence)))


def published() -> tuple[list[str], list[str]]:
    """Headings of the published 第三部分 and the text under each (normalised)."""
    text = GOLDEN.read_text(encoding="utf-8")
    part = text[text.rindex("第三部分") : text.rindex("第四部分")]
    lines = [line.strip() for line in part.splitlines() if line.strip()]
    for early in PDF_EARLY_LINES:
        i = lines.index(early)
        lines[i], lines[i + 1] = lines[i + 1], lines[i]
    headings: list[str] = []
    blocks: list[str] = []
    for line in lines:
        if HEADING.match(line):
            headings.append(normalise(line))
            blocks.append("")
        elif headings:  # skip the part title (broken over two lines)
            blocks[-1] += normalise(line)
    return headings, [re.sub("；$", "。", b) for b in blocks]


def ours(analysis: Analysis) -> tuple[list[str], list[str]]:
    """Headings of our 第三部分 and the text under each (normalised)."""
    doc = build_narrative(analysis.dataset, analysis.figures, analysis.profile, analysis.names)
    headings: list[str] = []
    blocks: list[str] = []
    inside = False
    for block in doc.blocks:
        if isinstance(block, Heading) and block.level == 1:
            inside = block.text.startswith("第三部分")
        elif not inside:
            continue
        elif isinstance(block, Heading):
            headings.append(normalise(block.text))
            blocks.append("")
        elif isinstance(block, Paragraph) and blocks:
            blocks[-1] += normalise(paragraph_text(block, analysis.profile.numbers))
    return headings, blocks


@pytest.fixture(scope="module")
def putuo() -> Analysis:
    analysis, findings = validate(sample_path("putuo"))
    assert analysis is not None, findings
    return analysis


@pytest.fixture(scope="module")
def generated(putuo: Analysis) -> tuple[list[str], list[str]]:
    return ours(putuo)


def published_sentences() -> list[tuple[int, str, str]]:
    """(section index, heading, sentence) of every published sentence."""
    headings, blocks = published()
    return [(i, headings[i], s) for i, block in enumerate(blocks) for s in sentences(block)]


def test_extraction_finds_the_whole_part() -> None:
    headings, _ = published()
    assert len(headings) == 19
    found = published_sentences()
    assert len(found) == 76
    assert len([s for _, _, s in found if states_figure(s)]) == 31
    for sentence in DEVIATIONS:
        assert sentence in [s for _, _, s in found]
    for heading, sentence in OMISSIONS:
        assert (heading, sentence) in [(h, s) for _, h, s in found]


def test_sections_in_the_published_order(generated: tuple[list[str], list[str]]) -> None:
    assert generated[0] == published()[0]


@pytest.mark.parametrize(("index", "heading", "sentence"), published_sentences())
def test_published_sentence_reproduced(
    index: int, heading: str, sentence: str, generated: tuple[list[str], list[str]]
) -> None:
    assert generated[0][index] == heading
    section = generated[1][index]
    if sentence in DEVIATIONS:
        replacement, _why = DEVIATIONS[sentence]
        assert sentence not in section
        assert replacement in sentences(section)
    elif (heading, sentence) in OMISSIONS:
        assert sentence not in section
    else:
        assert sentence in section


def test_every_figure_sentence_of_ours_is_published(
    generated: tuple[list[str], list[str]],
) -> None:
    headings, blocks = published()
    assert generated[0] == headings
    replacements = {replacement for replacement, _ in DEVIATIONS.values()}
    checked, missing = 0, []
    for published_block, block in zip(blocks, generated[1], strict=True):
        for sentence in sentences(block):
            if not states_figure(sentence):
                continue
            checked += 1
            if sentence not in published_block and sentence not in replacements:
                missing.append(sentence)
    assert checked == 31
    assert missing == []


def test_number_style_is_the_documents(generated: tuple[list[str], list[str]]) -> None:
    text = "\n".join(generated[1])
    assert "2940.05万元" in text and "2,940.05" not in text  # no thousands separator in text
    assert "占本年支出合计的100.00%" in text  # two decimals, also for whole numbers
    assert "工程采购金额0万元" in text  # an explicit zero
    assert "支出决算为0.00万元" in text  # a blank 三公 决算


def test_parts_one_and_four(putuo: Analysis) -> None:
    doc = build_narrative(putuo.dataset, putuo.figures, putuo.profile, putuo.names)
    lines = [
        b.text if isinstance(b, Heading) else paragraph_text(b, putuo.profile.numbers)
        for b in doc.blocks
        if isinstance(b, Heading | Paragraph)
    ]
    parts = [b.text for b in doc.blocks if isinstance(b, Heading) and b.level == 1]
    assert parts == [
        "第一部分 上海市普陀区财政局概况",
        "第二部分 上海市普陀区财政局2024年度部门决算表",
        "第三部分 上海市普陀区财政局2024年度部门决算情况说明",
        "第四部分 名词解释",
    ]
    template = (putuo.profile.directory / "narrative.md.j2").read_text(encoding="utf-8")
    assert "年度部门决算表\n[[tables]]\n" in template  # where the nine tables go
    golden = normalise(GOLDEN.read_text(encoding="utf-8"))
    part_one = lines[lines.index(parts[0]) + 1 : lines.index(parts[1])]
    assert part_one[0] == "一、主要职能"
    assert "二、部门决算单位构成" in part_one
    for line in part_one:
        if line.startswith("（"):  # the twelve duties
            assert normalise(line) in golden
    # the 单位构成 table (序号、单位名称、备注), as the published document prints it
    [units] = [b for b in doc.blocks if isinstance(b, Table) and b.inline]
    assert [[c.text for c in row] for row in units.rows][1] == [
        "2",
        "上海市普陀区财政局财政所",
        "预算不单列，并入本级",
    ]
    assert "2上海市普陀区财政局财政所预算不单列，并入本级" in golden
    glossary = lines[lines.index(parts[3]) + 1 :]
    assert [g.split("：")[0] for g in glossary] == [
        "一、财政拨款收入",
        "二、事业收入",
        "三、经营收入",
        "四、其他收入",
        "五、年初结转和结余",
        "六、年末结转和结余",
        "七、基本支出",
        "八、项目支出",
        "九、经营支出",
        "十、“三公”经费",
        "十一、机关运行经费",
    ]
    published_glossary = golden[golden.rindex("第四部分名词解释") :]
    for entry in glossary:
        assert normalise(entry) in published_glossary


# -- derive: which stated totals replace the sum of their parts ---------------------------


def test_narrative_stated_totals_are_not_substituted(putuo: Analysis) -> None:
    figs = putuo.figures
    assert figs["procurement.total"].value == Decimal("251.26")
    assert figs["procurement.total"].formula == "sum"
    assert figs["general_budget.initial_budget"].value == Decimal("2993.93")
    # tables' totals still are: the 基本支出决算表 prints 2,082.85 for parts summing to 2,082.86
    assert figs["econ.basic.301"].value == Decimal("2082.85")
    assert figs["econ.basic.301"].computed == Decimal("2082.86")


@pytest.mark.parametrize(
    ("table", "expected"), [("支出决算表", Decimal("120.01")), ("情况说明", Decimal("120.00"))]
)
def test_stated_total_substitution_rule(table: str, expected: Decimal) -> None:
    text = BASE + (
        f"  - {{figure: expenditure.total, value: 120.01, table: {table}, "
        "row: 合计, column: 本年支出合计}\n"
    )
    text = text.replace(
        "  - {figure: expenditure.total, value: 120.00, table: 支出决算表, row: 合计, column: 本年支出合计}\n",
        "",
    )
    analysis, findings = run(text)
    assert analysis is not None, findings
    assert analysis.figures["expenditure.total"].value == expected
    assert analysis.figures["expenditure.total"].from_detail == Decimal("120.00")


def test_rounded_shares_are_each_rounded(putuo: Analysis) -> None:
    figs = putuo.figures
    # 60.99 / 2940.05 = 2.0744…%: rounded on its own 2.07 (as published); the largest-remainder
    # share, which makes the four sum to 100.00, is 2.08.
    assert figs["func.210.general_budget.total.share_rounded"].value == Decimal("2.07")
    assert figs["func.210.general_budget.total.share"].value == Decimal("2.08")
    assert figs["income.appropriation.share_rounded"].value == Decimal("99.79")


# -- the template's other branches ------------------------------------------------------


def test_shanghai_template_renders_a_department_with_sangong_and_changes() -> None:
    """The seed (四川) data rendered with the Shanghai profile: 三公 spending, year-on-year
    changes, no 年初预算 — the branches the Putuo document does not exercise."""
    analysis, findings = validate(sample_path("seed"))
    assert analysis is not None, findings
    ds = analysis.dataset.model_copy(update={"profile": "shanghai-2024"})
    from juesuan.pipeline import analyse

    shanghai, findings = analyse(ds)
    assert shanghai is not None, findings
    headings, blocks = ours(shanghai)
    assert headings == published()[0]
    text = "\n".join(blocks)
    assert "“三公”经费财政拨款支出决算中，因公出国（境）费支出决算0万元" in text
    assert "比2023年度减少0.53万元，下降53.53%" in text
    assert "具体情况如下：" in text
