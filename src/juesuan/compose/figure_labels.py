"""A Chinese name for every figure id, for listings such as ``juesuan figures``.

A figure's own ``label`` wins; otherwise the name is made from the id: a 科目 code gets its
catalog name, and the other parts are named by the dataset model's field descriptions (the
same source as :func:`juesuan.io.validation_messages.field_label`), with a few words for the
parts that only derived figures have (合计, 较上年增减, 占比…).
"""

from __future__ import annotations

from juesuan.catalog.names import Names
from juesuan.core.figures import Figure
from juesuan.io.validation_messages import field_label

#: Id parts of derived figures that are not dataset fields.
WORDS = {
    "total": "合计",
    "grand_total": "总计",
    "change": "较上年增减",
    "rate": "增减率",
    "share": "占比",
    "share_of_total": "占总支出比重",
    "share_rounded": "占比（取整）",
    "completion": "预算完成率",
    "appropriation": "财政拨款",
    "general_budget": "一般公共预算财政拨款",
    "government_fund": "政府性基金预算财政拨款",
    "state_capital": "国有资本经营预算财政拨款",
    "income": "收入",
    "expenditure": "支出",
    "basic": "基本支出",
    "project": "项目支出",
    "personnel": "人员经费",
    "public": "公用经费",
    "all": "全部",
    "balance": "结转和结余",
    "opening": "年初",
    "closing": "年末",
    "prior": "上年",
    "functional": "支出功能分类",
    "econ": "支出经济分类",
    "func": "",
    "sangong": "“三公”经费",
    "final": "决算数",
    "budget": "预算数",
    "adjusted_budget": "调整预算数",
    "initial_budget": "年初预算数",
    "outbound": "因公出国（境）费",
    "vehicle": "公务用车购置及运行维护费",
    "vehicle_purchase": "公务用车购置费",
    "vehicle_operation": "公务用车运行维护费",
    "reception": "公务接待费",
    "projects": "项目",
    "regular": "常年项目",
    "one_off": "一次性项目",
    "count": "个数",
}
#: Last id parts that qualify the figure named by the rest of the id.
QUALIFIERS = ("change", "rate", "share", "share_of_total", "share_rounded", "completion")


def _part(part: str) -> str:
    if part in WORDS:
        return WORDS[part]
    label = field_label(part)
    return "" if label == "数据" else label


def figure_label(fig: Figure, names: Names | None = None) -> str:
    """The figure's Chinese name: its own label, else one made from its id."""
    parts = fig.id.split(".")
    if len(parts) > 1 and parts[-1] in QUALIFIERS:
        parent = figure_label(Figure(".".join(parts[:-1]), None), names)
        return f"{parent}／{fig.label or WORDS[parts[-1]]}"
    if fig.label:
        return fig.label
    whole = field_label(fig.id)
    if not any(p.isdigit() for p in parts) and len(whole.split("／")) == len(parts) > 1:
        return whole
    out: list[str] = []
    for part in parts:
        if part.isdigit() and parts[0] not in ("func", "econ"):
            out.append(f"第{int(part) + 1}项")
        elif part.isdigit():
            name = ""
            if names is not None:
                name = names.functional(part) if parts[0] == "func" else names.economic(part)
            out.append(f"{name}（{part}）" if name else f"科目{part}")
        else:
            word = _part(part)
            if word:
                out.append(word)
    return "／".join(out)
