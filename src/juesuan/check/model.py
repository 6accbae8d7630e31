"""Check results: findings with their quoted source, and per-rule coverage."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from juesuan.core.findings import Finding, Location, Severity

# Rule catalog of the checker's own checks (the shared rule catalog adds TOT/BTW/CAT/...).
CHECK_RULES: dict[str, tuple[Severity, str]] = {
    "CHK-101": (Severity.ERROR, "占比与其部分、整体一致"),
    "CHK-102": (Severity.WARNING, "同一整体的各项占比之和为100%"),
    "CHK-103": (Severity.ERROR, "增减率与增减额、上年数一致"),
    "CHK-104": (Severity.ERROR, "增长率不以0为基数"),
    "CHK-105": (Severity.ERROR, "比较用语与数字方向一致（增加/减少/持平）"),
    "CHK-106": (Severity.WARNING, "列举各项之和等于所述合计"),
    "CHK-107": (Severity.ERROR, "完成预算百分比与决算数、预算数一致"),
    "CHK-108": (Severity.ERROR, "完成预算100%与“决算数小于/大于预算数”不矛盾"),
    "CHK-109": (Severity.ERROR, "无遗留占位符或空白内容（XX、××、“主要原因是。”）"),
    "CHK-110": (Severity.WARNING, "无重复标点（。。）"),
    "CHK-111": (Severity.WARNING, "年份为本年度或上年度"),
    "CHK-112": (Severity.WARNING, "文中类、款、项级科目名称与表中（或科目表）名称一致"),
    "CHK-113": (Severity.WARNING, "列举的名目个数、其中各项人数（个数、车辆数）之和与文中所述一致"),
    "CHK-114": (Severity.ERROR, "同一项目在文中前后列示的金额一致"),
    "CHK-120": (Severity.ERROR, "明细表中类、款、项逐级合计一致（空白不作0）"),
    "CHK-121": (Severity.ERROR, "文中列明的非零数字在表中不是空白（空白不作0）"),
    "CHK-122": (Severity.ERROR, "文中数字与按本文件报表数据计算的数字一致"),
    "CHK-201": (Severity.ERROR, "绩效指标分值之和等于所属指标的分值"),
    "CHK-202": (Severity.ERROR, "自评得分之和等于合计得分"),
    "CHK-203": (Severity.WARNING, "自评得分在0与指标分值之间"),
    "CHK-204": (Severity.WARNING, "项目支出绩效自评表：预算执行率与执行数、预算数一致"),
    "CHK-205": (Severity.ERROR, "说明中的项目预算金额与项目支出绩效自评表一致"),
    "CHK-206": (Severity.ERROR, "说明与评价结论中的自评得分与自评表合计得分一致"),
    "CHK-207": (
        Severity.ERROR,
        "说明中的项目个数、执行进度、结余率超10%的项目数与项目支出绩效自评表一致",
    ),
    "CHK-208": (Severity.ERROR, "项目支出绩效自评表：各资金来源之和等于总额"),
    "CHK-209": (Severity.WARNING, "项目支出绩效自评表：预算执行得分与“执行率×权重”一致"),
    "CHK-301": (Severity.INFO, "识别出的标准表"),
    "CHK-302": (Severity.ERROR, "公开文件包含规定的各部分和各张表"),
    "CHK-303": (Severity.WARNING, "无数据的政府性基金、国有资本经营预算表注明“本表无数据”"),
}

# Codes of the checker's reading problems and of its rounding note (not rules: no coverage)
READ_CODES: dict[str, str] = {
    "CHK-001": "文件不存在或不是文件",
    "CHK-002": "不支持的文件类型（可检查 .txt、.md、.docx、.pdf、.html）",
    "CHK-003": "文件为空或没有可检查的文字",
    "CHK-004": "文件损坏、格式不符或文本编码无法识别",
    "CHK-005": "PDF没有文字层（扫描件）",
    "CHK-006": "页面或表格无法可靠读取（读取自检未通过），未检查",
    "CHK-900": "仅差舍入误差的数字，汇总为一条提示",
}


@dataclass
class Item:
    """One finding with where it came from in the document."""

    finding: Finding
    quote: str = ""
    page: int | None = None
    paragraph: int | None = None

    def to_dict(self) -> dict[str, Any]:
        out = self.finding.to_dict()
        if self.page is not None:
            out["location"]["page"] = self.page
        if self.paragraph is not None:
            out["location"]["paragraph"] = self.paragraph
        if self.quote:
            out["quote"] = self.quote
        return out

    def where(self) -> str:
        loc = self.finding.location
        parts = []
        if self.page is not None:
            parts.append(f"第{self.page}页")
        if self.paragraph is not None:
            parts.append(f"第{self.paragraph}段")
        elif loc.line is not None:
            parts.append(f"第{loc.line}行")
        logical = Location(table=loc.table, row=loc.row, column=loc.column).describe()
        if logical != "（无位置）":
            parts.append(logical)
        return "，".join(parts) if parts else "（全文）"


@dataclass
class Coverage:
    code: str
    title: str
    checked: int = 0
    findings: int = 0
    cannot: list[str] = field(default_factory=list)

    @property
    def status(self) -> str:
        if self.findings:
            return "发现问题"
        if self.checked:
            return "已检查"
        return "无法检查"


def quantize(value: Decimal, places: int) -> Decimal:
    return value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def places_of(text: str) -> int:
    return len(text.split(".", 1)[1]) if "." in text else 0


def dec(text: str) -> Decimal:
    return Decimal(text.replace(",", "").replace("，", ""))
