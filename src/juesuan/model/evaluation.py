"""The self-evaluation data of a dataset (its ``evaluation:`` block).

* ``department``: the 部门整体支出绩效自评表 — which indicator system, the entered inputs
  its rules need, the stated (printed) score of every indicator, the printed group
  subtotals and total;
* ``narrative``: facts the 绩效评价报告 states about the projects (常年项目/一次性项目);
* ``projects``: each 项目支出绩效自评表 (财预〔2020〕10号 附表2) in full.

Amounts are in the dataset's ``unit`` (万元 in the published tables).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Literal

from pydantic import BeforeValidator, Field

from juesuan.model.base import Count, OptAmount, Record

Level = Literal["达成", "部分达成", "未达成"]
Score = Annotated[Decimal | None, Field(None, description="自评得分（表中列示）")]
_NATURE_ALIASES = {"＝": "=", "==": "=", ">=": "≥", "＞＝": "≥", "<=": "≤", "＜＝": "≤"}


def _nature(value: object) -> object:
    if isinstance(value, str):
        return _NATURE_ALIASES.get(value.strip(), value.strip())
    return value


Nature = Annotated[Literal["≥", "≤", "=", "定性"], BeforeValidator(_nature)]


class EnteredInput(Record):
    value: Decimal = Field(description="数值")
    note: str | None = Field(None, description="来源或依据")
    illustrative: bool = Field(False, description="示意值：公开文件未列明，取与自评得分相符的值")


class IndicatorEntry(Record):
    """One indicator of the department table: what the table states and what was entered."""

    stated: Score
    findings: list[str] = Field(default_factory=list, description="发现的问题（扣分项逐条列示）")
    level: Level | None = Field(None, description="定性指标的达成情况")
    score: Decimal | None = Field(None, description="人工评分（manual 规则）")
    justification: str | None = Field(None, description="人工评分的理由")
    remark: str | None = Field(None, description="备注")


class DutyResult(Record):
    """One 履职效能 target as the report analyses it."""

    title: str = Field(min_length=1, description="指标名称，如“督查、督办、督导次数”")
    text: str = Field(min_length=1, description="年初指标值与完成情况的说明")


class ReportTexts(Record):
    """Texts of 第四部分 部门预算绩效评价报告 that only the department can write."""

    duties: list[DutyResult] = Field(default_factory=list, description="履职效能：逐项分析")
    budget_management: str | None = Field(None, description="预算管理情况")
    financial_management: str | None = Field(None, description="财务管理情况")
    asset_management: str | None = Field(None, description="资产管理情况")
    procurement_management: str | None = Field(None, description="采购管理情况")
    project_decision: str | None = Field(None, description="项目决策")
    project_execution: str | None = Field(None, description="项目执行")
    target_achievement: str | None = Field(None, description="目标实现")
    results_use: str | None = Field(None, description="绩效结果应用情况")


class DepartmentEvaluation(Record):
    """部门整体支出绩效自评表."""

    system: str = Field(
        "sichuan-2024-department", description="指标体系（performance/systems 下的名称）"
    )
    inputs: dict[str, Decimal | EnteredInput] = Field(
        default_factory=dict, description="录入的评分输入（名称 → 数值或 {value, note}）"
    )
    indicators: dict[str, IndicatorEntry] = Field(
        default_factory=dict, description="各指标的自评得分等（指标编号 → 内容）"
    )
    subtotals: dict[str, Decimal] = Field(
        default_factory=dict,
        description="表中列示的指标分值小计（指标名称 → 分值，如 履职效能: 19）",
    )
    total: Score
    conclusion: str | None = Field(None, description="评价结论")
    problems: str | None = Field(None, description="存在问题")
    suggestions: str | None = Field(None, description="改进建议")
    report: ReportTexts = Field(default_factory=ReportTexts, description="评价报告各部分的说明文字")


class ProjectClass(Record):
    """What the report states about one class of projects."""

    count: Count | None = Field(None, description="项目总数")
    amount: OptAmount = Field(None, description="涉及预算总金额")
    progress: Decimal | None = Field(None, description="1—12月预算执行总体进度（%）")
    over_10_percent: Count | None = Field(None, description="预算结余率大于10%的项目数")


class NarrativeFacts(Record):
    regular: ProjectClass | None = Field(None, description="常年项目")
    one_off: ProjectClass | None = Field(None, description="阶段（一次性）项目")


class FundRow(Record):
    """One row of 预算执行情况: 年初预算, 调整后预算数, 预算执行数, 预算执行率."""

    initial_budget: OptAmount = Field(None, description="年初预算")
    adjusted_budget: OptAmount = Field(None, description="调整后预算数")
    final: OptAmount = Field(None, description="预算执行数")
    rate: Decimal | None = Field(None, description="表中列示的预算执行率（%）")


class BudgetExecution(Record):
    total: FundRow = Field(description="总额")
    fiscal: FundRow | None = Field(None, description="其中：财政资金")
    special_account: FundRow | None = Field(None, description="财政专户管理资金")
    unit_funds: FundRow | None = Field(None, description="单位资金")
    other: FundRow | None = Field(None, description="其他资金")
    weight: Decimal = Field(Decimal(10), ge=0, description="权重")
    stated: Score
    reason: str | None = Field(None, description="原因")


class ProjectIndicator(Record):
    level1: str = Field(min_length=1, description="一级指标")
    level2: str = Field(min_length=1, description="二级指标")
    name: str = Field(min_length=1, description="三级指标")
    nature: Nature = Field(description="指标性质（≥、≤、=、定性）")
    target: str | Decimal = Field(description="指标值")
    unit: str | None = Field(None, description="度量单位")
    actual: str | Decimal | None = Field(None, description="完成值")
    weight: Decimal = Field(ge=0, description="权重")
    stated: Score
    reason: str | None = Field(None, description="未完成原因分析")
    achievement: Level | None = Field(
        None, description="定性指标的达成情况（不填时按完成值是否等于指标值）"
    )
    fraction: Decimal | None = Field(
        None, ge=0, le=1, description="定性指标得分占权重的比例（须在达成情况对应的区间内）"
    )


class Project(Record):
    """部门预算项目支出绩效自评表."""

    code: str | None = Field(None, description="项目编码")
    name: str = Field(min_length=1, description="项目名称")
    kind: Literal["常年", "一次性"] | None = Field(
        None, description="项目类别：常年或一次性（阶段）"
    )
    department: str | None = Field(None, description="主管部门")
    implementer: str | None = Field(None, description="实施单位")
    annual_goal: str | None = Field(None, description="项目年度目标")
    goal_result: str | None = Field(None, description="年度目标完成情况")
    process: str | None = Field(None, description="项目实施内容及过程概述")
    execution: BudgetExecution = Field(description="预算执行情况")
    indicators: list[ProjectIndicator] = Field(default_factory=list, description="绩效指标")
    total: Score
    conclusion: str | None = Field(None, description="评价结论")
    problems: str | None = Field(None, description="存在问题")
    measures: str | None = Field(None, description="改进措施")
    leader: str | None = Field(None, description="项目负责人")
    finance_leader: str | None = Field(None, description="财务负责人")

    @property
    def title(self) -> str:
        return f"{self.code}-{self.name}" if self.code else self.name


class Evaluation(Record):
    """预算绩效自评：部门整体支出绩效自评表与项目支出绩效自评表."""

    department: DepartmentEvaluation | None = Field(None, description="部门整体支出绩效自评")
    narrative: NarrativeFacts = Field(
        default_factory=NarrativeFacts, description="绩效评价报告中关于项目的陈述"
    )
    projects: list[Project] = Field(default_factory=list, description="项目支出绩效自评表")
