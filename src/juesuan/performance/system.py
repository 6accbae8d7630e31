"""An indicator system (绩效评价指标体系) as data: groups, indicators, weights, texts, rules.

A system file (``performance/systems/*.yaml``) lists 一级/二级 groups with their printed
weights, the 三级 indicators with 指标分值, 指标解释, 评分说明 and a machine ``rule``, and the
named ``inputs`` the rules use, each bound to where its value comes from: a 决算 figure, a
field of the dataset, the project tables, a run input (``--input N=-4.63``), or entered in the
dataset's ``evaluation`` block.
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from typing import Annotated, Literal

from pydantic import Field, PrivateAttr

from juesuan.core.findings import Location
from juesuan.model.base import Record

Direction = Literal["≥", "≤", "="]
Expr = Annotated[str, Field(min_length=1, description="表达式（输入名、数字、+ - * /、括号）")]
Edge = Decimal | str
LEVELS = ("达成", "部分达成", "未达成")
RULE_TYPES = (
    "formula",
    "bands",
    "base_plus_capped_bonus",
    "deductions",
    "completion",
    "qualitative",
    "manual",
)
PROJECT_FIELDS = ("initial_budget", "adjusted_budget", "final")


class InputSpec(Record):
    """A named input of the rules and where its value comes from (entered when unbound)."""

    label: str = Field(min_length=1, description="输入的中文名称")
    unit: str = Field("", description="单位（万元、%、人、个…）；万元的录入值按数据文件的单位换算")
    figure: str | None = Field(None, description="绑定的决算数字编号（见 docs/figures.md）")
    dataset: str | None = Field(
        None, description="绑定的数据字段（点分路径，如 department.staffing.actual.administrative）"
    )
    projects: Literal["initial_budget", "adjusted_budget", "final"] | None = Field(
        None, description="各项目支出绩效自评表预算执行情况（总额）之和"
    )
    run: bool = Field(False, description="运行参数（如全区平均值），运行时提供（--input 名称=值）")
    note: str | None = Field(None, description="说明")

    @property
    def source_kind(self) -> str:
        if self.figure:
            return "figure"
        if self.dataset:
            return "dataset"
        if self.projects:
            return "projects"
        return "run" if self.run else "entered"


class Band(Record):
    """One piece of a piecewise rule: [lower, upper] with open or closed ends → score."""

    value: str | None = Field(None, description="本区间判断的数值（不填为规则的 value）")
    lower: Edge | None = Field(None, description="下限（数字或表达式）；不填为负无穷")
    lower_inclusive: bool = Field(False, description="是否包含下限")
    upper: Edge | None = Field(None, description="上限（数字或表达式）；不填为正无穷")
    upper_inclusive: bool = Field(True, description="是否包含上限")
    score: Decimal = Field(ge=0, description="落在本区间的得分")
    text: str | None = Field(None, description="区间说明")


class FormulaRule(Record):
    type: Literal["formula"]
    expr: Expr


class BandsRule(Record):
    type: Literal["bands"]
    value: Expr
    label: str | None = Field(None, description="数值名称（如 人均资产变化率Y）")
    unit: str = Field("", description="数值单位")
    bands: list[Band] = Field(min_length=1, description="区间，按顺序取第一个符合的区间")


class BonusPart(Record):
    label: str = Field(min_length=1, description="项目（如 一般性支出财政拨款年初预算）")
    reduction: Expr = Field(description="较上年压减的百分比（表达式）")
    base: Decimal = Field(ge=0, description="实现压减的基础分值")
    per_percent: Decimal = Field(ge=0, description="每压减1%的加分")
    cap: Decimal = Field(ge=0, description="加分上限")
    whole_percent: bool = Field(False, description="只按整数个百分点计加分")


class BonusRule(Record):
    type: Literal["base_plus_capped_bonus"]
    parts: list[BonusPart] = Field(min_length=1)


class DeductionsRule(Record):
    type: Literal["deductions"]
    per: Decimal = Field(gt=0, description="每处扣分")
    count: str | None = Field(
        None, description="问题个数的输入名；不填为自评数据中该指标列出的问题（findings）个数"
    )


class CompletionRule(Record):
    type: Literal["completion"]
    direction: Direction = Field(description="指标性质：≥、≤ 或 =")
    target: Expr = Field(description="指标值（目标值）")
    actual: Expr = Field(description="完成值")


class QualitativeRule(Record):
    type: Literal["qualitative"]
    levels: dict[str, Decimal] = Field(
        default_factory=lambda: {
            "达成": Decimal(1),
            "部分达成": Decimal("0.6"),
            "未达成": Decimal(0),
        },
        description="达成情况 → 得分占分值的比例",
    )


class ManualRule(Record):
    type: Literal["manual"]


Rule = Annotated[
    FormulaRule
    | BandsRule
    | BonusRule
    | DeductionsRule
    | CompletionRule
    | QualitativeRule
    | ManualRule,
    Field(discriminator="type"),
]


class Indicator(Record):
    """A 三级 indicator: weight, texts as printed, and the rule that scores it."""

    id: str = Field(
        pattern=r"^[A-Za-z_][A-Za-z0-9_]*$", description="指标编号（英文字母、数字、下划线）"
    )
    name: str = Field(min_length=1, description="三级指标名称")
    rows: list[str] = Field(
        default_factory=list, description="一个分值下列示的多行三级指标（如五个核心职能目标）"
    )
    weight: Decimal | None = Field(None, ge=0, description="指标分值；扣分项不填")
    explanation: str | None = Field(None, description="指标解释")
    scoring: str | None = Field(None, description="评分说明（原文）")
    note: str | None = Field(None, description="规则实现说明（与评分说明的差异等）")
    rule: Rule

    @property
    def deduction(self) -> bool:
        return self.weight is None

    @property
    def printed_rows(self) -> list[str]:
        return self.rows or [self.name]


class Group(Record):
    """一级 or 二级 group with its printed weight (the "（19分）" of its label)."""

    name: str = Field(min_length=1, description="指标名称")
    weight: Decimal | None = Field(None, ge=0, description="列示的分值小计")
    groups: list[Group] = Field(default_factory=list, description="下级指标")
    indicators: list[Indicator] = Field(default_factory=list, description="三级指标")

    def walk(self) -> Iterator[Indicator]:
        yield from self.indicators
        for g in self.groups:
            yield from g.walk()


class IndicatorSystem(Record):
    system: Literal[1] = Field(1, description="文件格式版本")
    id: str = Field(min_length=1, description="指标体系编号（与文件名相同）")
    title: str = Field(min_length=1, description="表名")
    region: str | None = Field(None, description="适用地区")
    basis: str | None = Field(None, description="依据")
    total: Decimal = Field(Decimal(100), description="满分")
    inputs: dict[str, InputSpec] = Field(default_factory=dict, description="规则使用的输入")
    groups: list[Group] = Field(min_length=1, description="一级指标")

    _sources: dict[str, Location] = PrivateAttr(default_factory=dict)
    _origin: str | None = PrivateAttr(default=None)

    @property
    def origin(self) -> str | None:
        return self._origin

    def with_sources(self, origin: str | None, sources: dict[str, Location]) -> IndicatorSystem:
        self._origin = origin
        self._sources = dict(sources)
        return self

    def locate(self, path: str) -> Location:
        """Source location of ``path`` in the system file (nearest enclosing known entry)."""
        probe = path
        while probe:
            if probe in self._sources:
                return self._sources[probe]
            probe = probe.rpartition(".")[0]
        return Location(file=self._origin, line=1 if self._origin else None, path=path)

    def walk_groups(self) -> Iterator[tuple[str, Group, int]]:
        """(path, group, depth) of every group, depth 1 for 一级."""

        def visit(groups: list[Group], base: str, depth: int) -> Iterator[tuple[str, Group, int]]:
            for i, g in enumerate(groups):
                path = f"{base}.{i}" if base else f"groups.{i}"
                yield path, g, depth
                yield from visit(g.groups, f"{path}.groups", depth + 1)

        yield from visit(self.groups, "", 1)

    def walk_indicators(self) -> Iterator[tuple[str, Indicator]]:
        for path, group, _ in self.walk_groups():
            for k, ind in enumerate(group.indicators):
                yield f"{path}.indicators.{k}", ind

    def indicators(self) -> list[Indicator]:
        return [i for g in self.groups for i in g.walk()]

    def indicator(self, ind_id: str) -> Indicator | None:
        return next((i for i in self.indicators() if i.id == ind_id), None)
