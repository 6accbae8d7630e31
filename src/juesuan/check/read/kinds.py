"""Which standard table is which (from its title), and what its columns and rows mean."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from functools import lru_cache

from juesuan.check.read.source import RawTable
from juesuan.check.read.units import unit_of

# (kind, title pattern) — most specific first. Numbering (公开01表, 表一, 附表3) is ignored.
KINDS: list[tuple[str, str]] = [
    ("sangong", "三公"),
    ("gb_basic", "一般公共预算财政拨款基本支出决算"),
    ("skip", "一般公共预算财政拨款项目支出决算"),
    ("skip", "一般公共预算财政拨款支出决算明细"),
    ("gb", "一般公共预算财政拨款支出决算表"),
    ("approp_summary", "财政拨款收入支出决算总表"),
    ("gov_fund", "政府性基金预算财政拨款"),
    ("state_capital", "国有资本经营预算财政拨款"),
    ("skip", "财政拨款支出决算明细"),
    ("summary", "收入支出决算总表"),
    ("income", "收入决算表"),
    ("expenditure", "支出决算表"),
]
# the spec (profiles/_common/tables.yaml) of each recovered kind: its title is the table's
# standard title; KINDS above keeps the looser patterns other producers' titles need
SPEC_KEYS = {
    "sangong": "sangong",
    "gb_basic": "basic",
    "gb": "general_budget",
    "approp_summary": "appropriation_summary",
    "summary": "income_expenditure_summary",
    "income": "income",
    "expenditure": "expenditure",
    "gov_fund": "government_fund",
    "state_capital": "state_capital",
}


class _Titles(Mapping[str, str]):
    """kind → the standard title, read from the table specs when first used."""

    def _titles(self) -> dict[str, str]:
        from juesuan.profiles.tables import common_specs

        specs = common_specs()
        return {kind: specs[key]["title"] for kind, key in SPEC_KEYS.items()}

    def __getitem__(self, kind: str) -> str:
        return self._titles()[kind]

    def __iter__(self) -> Iterator[str]:
        return iter(SPEC_KEYS)

    def __len__(self) -> int:
        return len(SPEC_KEYS)


TITLES: Mapping[str, str] = _Titles()
# the standard tables every template has, read from PDFs by word positions
CORE = ("summary", "income", "expenditure", "approp_summary", "gb", "gb_basic", "sangong")
# the fund tables: recovered like the others, but read from PDFs as the other code tables
# are (by their drawn cell borders, else by the alignment of their amounts); a template may
# print them empty (本表无数据)
FUNDS = {"gov_fund": "government_fund", "state_capital": "state_capital"}
RECOVERED = CORE + tuple(FUNDS)
# the code tables read from PDF pages by their drawn borders (or amounts' alignment)
GRID_KINDS = ("skip", *FUNDS)


@lru_cache(maxsize=4096)
def kind_of(title: str) -> str | None:
    t = re.sub(
        r"^\s*(公开\d+表|表\d+|表[一二三四五六七八九十]+(?=[\s、.．:：])|附表\d*|[一二三四五六七八九十\d]+[、.．])",
        "",
        title,
    )
    t = re.sub(r"\s+", "", t)
    if len(t) > 40 or "说明" in t:
        return None
    if not t.endswith("表"):
        return None
    for kind, pat in KINDS:
        if pat in t:
            return kind
    return None


# column keywords (prefix match on header text, whitespace removed) → column key
COLUMNS: dict[str, list[tuple[str, tuple[str, ...]]]] = {
    "income": [
        ("total", ("本年收入合",)),
        ("appropriation", ("财政拨款收",)),
        ("superior_subsidy", ("上级补助",)),
        ("business", ("事业收",)),
        ("operating", ("经营收",)),
        ("subsidiary_remit", ("附属单",)),
        ("other", ("其他收",)),
    ],
    "expenditure": [
        ("total", ("本年支出合",)),
        ("basic", ("基本支出",)),
        ("project", ("项目支",)),
        ("remit_to_superior", ("上缴上级",)),
        ("operating", ("经营支",)),
        ("subsidiary_subsidy", ("对附属单位",)),
    ],
    "gb": [
        ("initial_budget", ("年初预算",)),
        ("adjusted_budget", ("调整预算", "全年预算")),
        ("total", ("合计", "小计")),
        ("basic", ("基本支出",)),
        ("project", ("项目支出",)),
    ],
    "gb_basic": [("amount", ("决算数", "金额"))],
    "gov_fund": [
        ("opening_balance", ("年初结转", "年初财政拨款结转")),
        ("income", ("本年收入",)),
        ("initial_budget", ("年初预算",)),
        ("adjusted_budget", ("调整预算", "全年预算")),
        ("total", ("合计", "小计", "本年支出合计")),
        ("basic", ("基本支出",)),
        ("project", ("项目支出",)),
        ("closing_balance", ("年末结转", "年末财政拨款结转")),
    ],
    "summary": [("amount", ("决算数", "金额"))],
    "approp_summary": [
        ("total", ("合计",)),
        ("general_budget", ("一般公共预算",)),
        ("government_fund", ("政府性基金",)),
        ("state_capital", ("国有资本",)),
        ("amount", ("决算数",)),
    ],
}

COLUMNS["state_capital"] = COLUMNS["gov_fund"]

# 收入支出决算总表 / 财政拨款收入支出决算总表: row labels → figure ids (income side, expenditure side)
SUMMARY_INCOME = [
    ("一般公共预算财政拨款", "income.general_budget"),
    ("政府性基金预算财政拨款", "income.government_fund"),
    ("国有资本经营预算财政拨款", "income.state_capital"),
    ("上级补助收入", "income.superior_subsidy"),
    ("事业收入", "income.business"),
    ("经营收入", "income.operating"),
    ("附属单位上缴收入", "income.subsidiary_remit"),
    ("其他收入", "income.other"),
    ("本年收入合计", "income.total"),
    ("使用非财政拨款结余", "balance.use_of_non_appropriation"),
    ("年初结转和结余", "balance.opening.total"),
    ("总计", "income.grand_total"),
]
SUMMARY_SPENDING = [
    ("本年支出合计", "expenditure.total"),
    ("结余分配", "balance.distribution"),
    ("年末结转和结余", "balance.closing.total"),
    ("总计", "expenditure.grand_total"),
]
APPROP_INCOME = [
    ("本年收入合计", "appropriation.income.total"),
    ("年初财政拨款结转和结余", "balance.opening.appropriation"),
    ("总计", "appropriation.grand_total"),
]
APPROP_SPENDING = [
    ("本年支出合计", "appropriation.expenditure.total"),
    ("年末财政拨款结转和结余", "balance.closing.appropriation"),
    ("总计", "appropriation.grand_total"),
]


def strip_ordinal(label: str) -> str:
    return re.sub(r"^[一二三四五六七八九十]+[、.．]|^\d+[、.．]|[（(]?[类款项][)）]?$", "", label)


LABELS = {
    "income": {
        "total": "本年收入合计",
        "appropriation": "财政拨款收入",
        "superior_subsidy": "上级补助收入",
        "business": "事业收入",
        "operating": "经营收入",
        "subsidiary_remit": "附属单位上缴收入",
        "other": "其他收入",
    },
    "expenditure": {
        "total": "本年支出合计",
        "basic": "基本支出",
        "project": "项目支出",
        "remit_to_superior": "上缴上级支出",
        "operating": "经营支出",
        "subsidiary_subsidy": "对附属单位补助支出",
    },
    "gb": {
        "initial_budget": "年初预算",
        "adjusted_budget": "调整预算",
        "total": "合计",
        "basic": "基本支出",
        "project": "项目支出",
    },
    "gov_fund": {
        "opening_balance": "年初结转和结余",
        "income": "本年收入",
        "initial_budget": "年初预算",
        "adjusted_budget": "调整预算",
        "total": "合计",
        "basic": "基本支出",
        "project": "项目支出",
        "closing_balance": "年末结转和结余",
    },
    "approp_summary": {
        "total": "合计",
        "general_budget": "一般公共预算财政拨款",
        "government_fund": "政府性基金预算财政拨款",
        "state_capital": "国有资本经营预算财政拨款",
        "amount": "决算数",
    },
}
LABELS["state_capital"] = LABELS["gov_fund"]


INNER_TITLE = re.compile(r"表(?:[（(][^）)]*[）)])?$")
PREPARER = re.compile(r"^(?:编制|填报|公开)单位[:：]")


def heading_rows(rows: list[list[str]]) -> int:
    """How many of a table's first rows hold its title (one text across the merged row, as
    spreadsheets and word processors export a table with its title inside it) and then its
    unit and preparer (“编制单位：某局　单位：万元”): rows of no data. 0: no title row."""
    if not rows:
        return 0
    texts = {c.strip() for c in rows[0] if c.strip()}
    if len(texts) != 1:
        return 0
    flat = "".join(next(iter(texts)).split())
    if len(flat) > 60 or "。" in flat or not (kind_of(flat) or INNER_TITLE.search(flat)):
        return 0
    n = 1
    while n < len(rows):
        line = "".join(_row_line(rows[n]).split())
        if not line or not (unit_of(line) or PREPARER.match(line)):
            break
        n += 1
    return n


def _row_line(cells: list[str]) -> str:
    """A row's text once: a merged cell repeats its text in every position it covers."""
    return " ".join(dict.fromkeys(c.strip() for c in cells if c.strip()))


def adopt_inner_title(table: RawTable) -> None:
    """A table that carries its title in its first rows (see :func:`heading_rows`, often under
    a heading that is not the title): that text is the table's title, its unit line the
    table's unit, and those rows are no data."""
    n = heading_rows([row.cells for row in table.rows])
    if not n:
        return
    table.title = next(c.strip() for c in table.rows[0].cells if c.strip())
    table.unit = " ".join(_row_line(r.cells) for r in table.rows[1:n])
    table.rows = table.rows[n:]
