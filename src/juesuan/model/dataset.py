"""One department-year: everything the disclosure states and the standard tables need.

Amounts are ``Decimal`` in the file's declared unit until :mod:`juesuan.normalise` turns
them into exact 万元. A field left out (``None``) is *blank*, which the tables print as an
empty cell; ``0`` is an explicit zero.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any, Literal

from pydantic import Field, PrivateAttr

from juesuan.core.findings import Location
from juesuan.model.base import Amount, Code, Count, OptAmount, Record
from juesuan.model.evaluation import Evaluation

FUND_KEYS = ("general_budget", "government_fund", "state_capital")
INCOME_SOURCES = (
    "general_budget",
    "government_fund",
    "state_capital",
    "superior_subsidy",
    "business",
    "operating",
    "subsidiary_remit",
    "other",
)
SPENDING_KINDS = ("basic", "project", "remit_to_superior", "operating", "subsidiary_subsidy")
SANGONG_ITEMS = ("outbound", "vehicle_purchase", "vehicle_operation", "reception")


class Units(Record):
    administrative: Count = Field(0, description="行政单位")
    civil_servant_managed: Count = Field(0, description="参照公务员法管理的事业单位")
    other_institutional: Count = Field(0, description="其他事业单位")


class Structure(Record):
    subordinate_units: Units = Field(default_factory=Units, description="下属二级单位（按类型）")
    included_units: list[str] = Field(
        default_factory=list, description="纳入部门决算编制范围的二级预算单位"
    )
    internal_divisions: list[str] = Field(default_factory=list, description="内设机构")
    subordinate_unit_names: list[str] = Field(default_factory=list, description="下属单位名称")
    unit_notes: dict[str, str] = Field(
        default_factory=dict,
        description="纳入决算编制范围的单位的备注（单位名称 → 备注，如“预算不单列，并入本级”）",
    )


class Staff(Record):
    administrative: Count = Field(0, description="行政")
    institutional: Count = Field(0, description="事业")


class Staffing(Record):
    authorized: Staff = Field(default_factory=Staff, description="编制数")
    actual: Staff = Field(default_factory=Staff, description="年末实有人数")


class Department(Record):
    name: str = Field(min_length=1, description="部门全称")
    short_name: str | None = Field(None, description="简称，叙述中使用")
    region: str = Field(min_length=1, description="所属地区")
    year: int = Field(ge=2000, le=2100, description="决算年度")
    duties: list[str] = Field(default_factory=list, description="部门职责，每条一项")
    duties_preamble: list[str] = Field(
        default_factory=list,
        description="主要职能中列于各条职责之前的段落（如“三定”规定的前几条），每段一项；"
        "主要职能只是一段文字时，填在这里、不填各条职责",
    )
    structure: Structure = Field(default_factory=Structure)
    staffing: Staffing = Field(default_factory=Staffing)

    @property
    def display_name(self) -> str:
        return self.short_name or self.name


class Income(Record):
    """本年收入 by source (部门全部资金)."""

    general_budget: OptAmount = Field(None, description="一般公共预算财政拨款收入")
    government_fund: OptAmount = Field(None, description="政府性基金预算财政拨款收入")
    state_capital: OptAmount = Field(None, description="国有资本经营预算财政拨款收入")
    superior_subsidy: OptAmount = Field(None, description="上级补助收入")
    business: OptAmount = Field(None, description="事业收入")
    operating: OptAmount = Field(None, description="经营收入")
    subsidiary_remit: OptAmount = Field(None, description="附属单位上缴收入")
    other: OptAmount = Field(None, description="其他收入")


class FundBalance(Record):
    total: OptAmount = Field(None, description="合计（全部资金）")
    general_budget: OptAmount = Field(None, description="其中：一般公共预算财政拨款")
    government_fund: OptAmount = Field(None, description="其中：政府性基金预算财政拨款")
    state_capital: OptAmount = Field(None, description="其中：国有资本经营预算财政拨款")


class Balances(Record):
    use_of_non_appropriation_balance: OptAmount = Field(
        None, description="使用非财政拨款结余（含专用结余）"
    )
    opening: FundBalance = Field(default_factory=FundBalance, description="年初结转和结余")
    distribution: OptAmount = Field(None, description="结余分配")
    closing: FundBalance = Field(default_factory=FundBalance, description="年末结转和结余")


class LineIncome(Record):
    """收入决算表 columns for one functional code."""

    appropriation: OptAmount = Field(None, description="财政拨款收入")
    superior_subsidy: OptAmount = Field(None, description="上级补助收入")
    business: OptAmount = Field(None, description="事业收入")
    operating: OptAmount = Field(None, description="经营收入")
    subsidiary_remit: OptAmount = Field(None, description="附属单位上缴收入")
    other: OptAmount = Field(None, description="其他收入")


class LineSpending(Record):
    """支出决算表 columns for one functional code (all funds)."""

    basic: OptAmount = Field(None, description="基本支出")
    project: OptAmount = Field(None, description="项目支出")
    remit_to_superior: OptAmount = Field(None, description="上缴上级支出")
    operating: OptAmount = Field(None, description="经营支出")
    subsidiary_subsidy: OptAmount = Field(None, description="对附属单位补助支出")


class FundSpending(Record):
    """Appropriation spending of one fund type for one functional code."""

    initial_budget: OptAmount = Field(None, description="年初预算数")
    adjusted_budget: OptAmount = Field(None, description="调整预算数（全年预算数）")
    opening_balance: OptAmount = Field(None, description="年初结转和结余")
    income: OptAmount = Field(None, description="本年收入")
    basic: OptAmount = Field(None, description="基本支出决算数")
    project: OptAmount = Field(None, description="项目支出决算数")
    closing_balance: OptAmount = Field(None, description="年末结转和结余")


class FunctionalLine(Record):
    """One 项 (7-digit functional code) with all its amounts."""

    code: Code = Field(pattern=r"^\d{7}$", description="支出功能分类科目编码（项，7位）")
    name: str | None = Field(None, description="科目名称；不填则取分类目录中的名称")
    explanation: str | None = Field(None, description="名词解释中本科目的说明（主要用于…）")
    gap_reason: str | None = Field(None, description="决算数与预算数不一致的原因")
    income: LineIncome | None = Field(None, description="收入决算表本行")
    expenditure: LineSpending | None = Field(
        None, description="支出决算表本行；不填则等于各项财政拨款支出之和（无其他资金）"
    )
    general_budget: FundSpending | None = Field(None, description="一般公共预算财政拨款")
    government_fund: FundSpending | None = Field(None, description="政府性基金预算财政拨款")
    state_capital: FundSpending | None = Field(None, description="国有资本经营预算财政拨款")


class EconomicLine(Record):
    code: Code = Field(pattern=r"^\d{5}$", description="支出经济分类科目编码（款，5位）")
    name: str | None = Field(None, description="科目名称；不填则取分类目录中的名称")
    amount: Amount


class SangongItems(Record):
    outbound: OptAmount = Field(None, description="因公出国（境）费")
    vehicle_purchase: OptAmount = Field(None, description="公务用车购置费")
    vehicle_operation: OptAmount = Field(None, description="公务用车运行维护费")
    reception: OptAmount = Field(None, description="公务接待费")


class VehicleCount(Record):
    type: str = Field(min_length=1, description="车型（轿车、越野车、载客汽车…）")
    count: Count = 0
    amount: OptAmount = Field(None, description="购置金额")


class Reception(Record):
    batches: Count = Field(0, description="批次")
    persons: Count = Field(0, description="人次")
    amount: OptAmount = Field(None, description="金额")
    content: str | None = Field(None, description="具体内容")


class Sangong(Record):
    """财政拨款"三公"经费."""

    budget: SangongItems = Field(default_factory=SangongItems, description="预算数")
    final: SangongItems = Field(default_factory=SangongItems, description="决算数")
    outbound_groups: Count = Field(0, description="因公出国（境）团组数")
    outbound_persons: Count = Field(0, description="因公出国（境）人次")
    vehicles_purchased: list[VehicleCount] = Field(
        default_factory=list, description="本年购置公务用车"
    )
    vehicle_purchase_use: str | None = Field(None, description="购置车辆主要用于")
    outbound_content: str | None = Field(None, description="因公出国（境）费开支内容")
    vehicle_operation_use: str | None = Field(None, description="公务用车运行维护费主要用于")
    fleet: list[VehicleCount] = Field(default_factory=list, description="年末公务用车保有量")
    reception_domestic: Reception = Field(default_factory=Reception, description="国内公务接待")
    reception_foreign: Reception = Field(default_factory=Reception, description="外事接待")


class Procurement(Record):
    goods: OptAmount = Field(None, description="政府采购货物支出")
    works: OptAmount = Field(None, description="政府采购工程支出")
    services: OptAmount = Field(None, description="政府采购服务支出")
    sme: OptAmount = Field(None, description="授予中小企业合同金额")
    micro: OptAmount = Field(None, description="其中：授予小微企业合同金额")
    sme_reserved_budget: OptAmount = Field(None, description="面向中小企业预留政府采购项目预算金额")
    micro_reserved_budget: OptAmount = Field(
        None, description="面向小微企业预留政府采购项目预算金额"
    )
    sme_reserved_awarded: OptAmount = Field(
        None, description="面向中小企业预留的政府采购项目中，由中小企业供应商中标或成交的采购金额"
    )
    micro_reserved_awarded: OptAmount = Field(
        None, description="面向小微企业预留的政府采购项目中，由小微企业供应商中标或成交的采购金额"
    )
    sme_other_awarded: OptAmount = Field(
        None, description="其他政府采购项目中，由中小企业供应商中标或成交的采购金额"
    )


class VehiclesByUse(Record):
    leaders: Count = Field(0, description="主要领导干部用车")
    confidential: Count = Field(0, description="机要通信用车")
    emergency: Count = Field(0, description="应急保障用车")
    law_enforcement: Count = Field(0, description="执法执勤用车")
    special: Count = Field(0, description="特种专业技术用车")
    other: Count = Field(0, description="其他用车")
    ministerial: Count = Field(0, description="部级领导干部用车")
    retired_cadres: Count = Field(0, description="离退休干部用车")


class Assets(Record):
    vehicles: VehiclesByUse = Field(default_factory=VehiclesByUse, description="车辆（按用途）")
    general_equipment_over_50: Count = Field(0, description="单价50万元以上通用设备（台套）")
    special_equipment_over_100: Count = Field(0, description="单价100万元以上专用设备（台套）")
    equipment_over_100: Count | None = Field(
        None, description="单价100万元（含）以上设备（不含车辆，台套；不分通用、专用设备）"
    )
    total_assets: OptAmount = Field(None, description="资产总额（账面净值）")


class ProjectEvaluation(Record):
    name: str = Field(min_length=1, description="项目名称")
    score: Decimal | None = Field(None, ge=0, le=100, description="自评得分")
    summary: str | None = Field(None, description="绩效自评综述")


class SelfEvaluation(Record):
    """绩效自评 of the year's projects."""

    projects: Count | None = Field(None, description="绩效自评的项目数")
    amount: OptAmount = Field(None, description="绩效自评项目涉及预算金额")
    average_score: Decimal | None = Field(None, ge=0, le=100, description="绩效自评平均得分")
    excellent: Count | None = Field(None, description="绩效评级为“优”的项目数")
    good: Count | None = Field(None, description="绩效评级为“良”的项目数")
    qualified: Count | None = Field(None, description="绩效评级为“合格”的项目数")
    unqualified: Count | None = Field(None, description="绩效评级为“不合格”的项目数")
    problems: Count | None = Field(None, description="绩效自评中共发现问题数")
    rectified: Count | None = Field(None, description="已经完成整改的问题数")
    rectifying: Count | None = Field(None, description="正在整改的问题数")


class PerformanceManagement(Record):
    """预算绩效管理情况."""

    prior_assessment_projects: list[str] = Field(
        default_factory=list, description="开展事前绩效评估的项目"
    )
    with_targets: Count | None = Field(None, description="编制绩效目标的项目数")
    monitored: Count | None = Field(None, description="开展绩效监控的项目数")
    department_score: Decimal | None = Field(None, ge=0, le=100, description="部门整体绩效自评得分")
    department_summary: str | None = Field(None, description="部门整体绩效自评综述")
    projects: list[ProjectEvaluation] = Field(default_factory=list, description="项目绩效自评")
    framework: str | None = Field(
        None,
        description="预算绩效管理制度、工作机制与全过程绩效管理的说明"
        "（“预算绩效管理工作开展情况如下：”之后、“编报绩效目标的…”之前的文字，不含末尾冒号）",
    )
    with_targets_amount: OptAmount = Field(None, description="编报绩效目标的项目涉及预算金额")
    monitored_amount: OptAmount = Field(
        None, description="开展绩效监控（跟踪评价）的项目涉及预算金额"
    )
    self_evaluation: SelfEvaluation | None = Field(None, description="绩效自评情况")


class PriorYear(Record):
    """The prior-year figures the document compares against (万元 or the file's unit)."""

    file: str | None = Field(
        None,
        description="上年完整数据文件（同一部门上一年度，路径相对本文件）；填写后本块未填的上年数从该文件计算",
    )
    year: int | None = Field(None, description="上年年度；不填为本年减一")
    grand_total: OptAmount = Field(None, description="收入、支出总计")
    income_total: OptAmount = Field(None, description="本年收入合计")
    expenditure_total: OptAmount = Field(None, description="本年支出合计")
    appropriation_grand_total: OptAmount = Field(None, description="财政拨款收入、支出总计")
    general_budget_expenditure: OptAmount = Field(None, description="一般公共预算财政拨款支出")
    government_fund_expenditure: OptAmount = Field(None, description="政府性基金预算财政拨款支出")
    state_capital_expenditure: OptAmount = Field(None, description="国有资本经营预算财政拨款支出")
    basic_expenditure: OptAmount = Field(None, description="一般公共预算财政拨款基本支出")
    sangong: SangongItems | None = Field(None, description='"三公"经费决算数')
    office_operation: OptAmount = Field(None, description="机关运行经费")


class Reasons(Record):
    """Free texts: reasons for changes and for budget gaps."""

    total_change: str | None = Field(None, description="收入、支出总计变动原因")
    appropriation_change: str | None = Field(None, description="财政拨款收入、支出总计变动原因")
    general_budget_change: str | None = Field(None, description="一般公共预算财政拨款支出变动原因")
    sangong_change: str | None = Field(None, description='"三公"经费变动原因')
    sangong_gap: str | None = Field(None, description='"三公"经费决算数与预算数不一致的原因')
    general_budget_gap: str | None = Field(
        None, description="一般公共预算财政拨款支出决算数（合计）与预算数不一致的原因"
    )
    reception_change: str | None = Field(None, description="公务接待费变动原因")
    outbound_change: str | None = Field(None, description="因公出国（境）费变动原因")
    vehicle_change: str | None = Field(None, description="公务用车购置及运行维护费变动原因")
    government_fund_change: str | None = Field(None, description="政府性基金预算支出变动原因")
    state_capital_change: str | None = Field(None, description="国有资本经营预算支出变动原因")
    office_operation_change: str | None = Field(None, description="机关运行经费变动原因")


class StatedFigure(Record):
    """A figure as printed in a published or exported table, checked against the detail."""

    figure: str = Field(min_length=1, description="数字编号（见 docs/figures.md）")
    value: Decimal = Field(description="表中所列数值")
    table: str | None = Field(None, description="表名")
    row: str | None = Field(None, description="行")
    column: str | None = Field(None, description="列")


class Dataset(Record):
    """部门决算 data of one department for one year."""

    juesuan: Literal[1] = Field(1, description="文件格式版本")
    profile: str = Field("sichuan-2024", description="地区模板（profile）")
    unit: Literal["元", "万元"] = Field(description="本文件金额单位")
    catalog_year: int | None = Field(None, description="分类科目目录年度；不填为决算年度")
    illustrative: list[str] = Field(
        default_factory=list, description="示意性数据说明（公开文件未列明、为满足报表而拆分的数字）"
    )
    department: Department
    income: Income = Field(default_factory=Income)
    balances: Balances = Field(default_factory=Balances)
    initial_budget_total: OptAmount = Field(None, description="年初预算收入（支出）总额")
    functional: list[FunctionalLine] = Field(
        default_factory=list, description="支出功能分类（项）明细"
    )
    basic_by_economic: list[EconomicLine] = Field(
        default_factory=list, description="一般公共预算财政拨款基本支出（经济分类款）"
    )
    project_by_economic: list[EconomicLine] = Field(
        default_factory=list, description="一般公共预算财政拨款项目支出（经济分类款）"
    )
    sangong: Sangong = Field(default_factory=Sangong)
    office_operation: OptAmount = Field(None, description="机关运行经费支出")
    procurement: Procurement = Field(default_factory=Procurement)
    assets: Assets = Field(default_factory=Assets)
    performance: PerformanceManagement = Field(default_factory=PerformanceManagement)
    prior_year: PriorYear = Field(default_factory=PriorYear)
    reasons: Reasons = Field(default_factory=Reasons)
    glossary: dict[str, str] = Field(
        default_factory=dict, description="名词解释覆盖（词条 → 解释）"
    )
    stated: list[StatedFigure] = Field(default_factory=list, description="报表中列示的合计等数字")
    code_names: dict[str, str] = Field(
        default_factory=dict,
        description="分类科目名称（编码 → 名称）：分类目录中没有的类、款、项或经济分类科目，"
        "文件中印这里的名称（项级和经济分类科目也可在各行的“科目名称”中填写）",
    )
    evaluation: Evaluation | None = Field(None, description="预算绩效自评（部门整体与项目）")

    _sources: dict[str, Location] = PrivateAttr(default_factory=dict)
    _origin: str | None = PrivateAttr(default=None)
    # Figures a workbook prints as formulas over other tables (not data): see ``printed``.
    _printed: list[StatedFigure] = PrivateAttr(default_factory=list)
    # first located descendant of every dotted prefix, in reading order (built with the sources)
    _first_child: dict[str, Location] = PrivateAttr(default_factory=dict)

    @property
    def year(self) -> int:
        return self.department.year

    @property
    def origin(self) -> str | None:
        """File the dataset was loaded from."""
        return self._origin

    def locate(self, path: str) -> Location:
        """Source location of the record at ``path`` (dotted, e.g. ``functional.2.expenditure``).

        Falls back to the first part of it that has a known position (a record made of
        several cells: its first cell), then to the nearest enclosing record.
        """
        # straight from pydantic's private store: ``self._sources`` goes through a slow
        # ``__getattr__`` (derive locates ~400 figures per department)
        private = self.__pydantic_private__ or {}
        sources: dict[str, Location] = private.get("_sources", {})
        if path and path not in sources:
            child = private.get("_first_child", {}).get(path)
            if child is not None:
                return child
        probe = path
        while True:
            found = sources.get(probe)
            if found is not None:
                return found
            if not probe:
                return Location(file=self._origin, path=path)
            probe = probe.rpartition(".")[0]

    @property
    def printed(self) -> list[StatedFigure]:
        """The figures a workbook printed as sums over other tables (a summary's 总计, its 类
        rows), with the number its formula showed; located at ``printed.N``. Not data: they
        are compared with the computed figures (TOT-001) and never written out."""
        return self._printed

    def with_printed(self, printed: list[dict[str, Any]]) -> Dataset:
        self._printed = [StatedFigure.model_validate(p) for p in printed]
        return self

    def with_sources(self, origin: str | None, sources: dict[str, Location]) -> Dataset:
        self._origin = origin
        self._sources = dict(sources)
        first: dict[str, Location] = {}
        for key, where in self._sources.items():
            # every proper prefix, longest first; once one is known, so are all shorter ones
            # (the key that set it set them too)
            end = key.rfind(".")
            while end >= 0:
                prefix = key[:end]
                if prefix in first:
                    break
                first[prefix] = where
                end = key.rfind(".", 0, end)
        self._first_child = first
        return self
