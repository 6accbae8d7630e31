"""附表1 部门整体支出绩效自评表 and 附表2 部门预算项目支出绩效自评表 as document tables,
in the seed's layout. Scores are :class:`FigureRef` cells (``perf.…`` ids, unit 分) showing the
stated score where the data states one, else the computed score."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from decimal import Decimal

from juesuan.core.figures import RATE, WAN, FigureSet
from juesuan.document.model import Cell, FigureRef, Table
from juesuan.model.dataset import Dataset
from juesuan.model.evaluation import ProjectIndicator
from juesuan.performance.department import DepartmentResult, GroupScore
from juesuan.performance.engine import EvaluationResult, score_dataset
from juesuan.performance.project import ProjectResult
from juesuan.performance.system import Indicator
from juesuan.performance.trace import Score

POINTS = "分"
C = "center"
R = "right"


def evaluation_tables(
    ds: Dataset,
    figs: FigureSet,
    run_inputs: Mapping[str, Decimal] | None = None,
    result: EvaluationResult | None = None,
) -> list[Table]:
    """附表1 (when the data has a department evaluation) and one 附表2 per project."""
    if ds.evaluation is None:
        return []
    result = result or score_dataset(ds, figs, run_inputs=run_inputs)
    tables: list[Table] = []
    if result.department is not None:
        tables.append(department_table(result.department))
    tables += [project_table(p, ds.year) for p in result.projects]
    return tables


def _n(value: Decimal | None) -> str:
    if value is None:
        return ""
    text = f"{value:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def _label(g: GroupScore) -> str:
    """A group's name with its points: the sum of its indicators' points, so that the table
    adds up (and passes ``juesuan check``). Where the indicator system declares other points
    for the group, validation warns (PERF-001, PERF-003) and the table still prints the sum."""
    return f"{g.name}（{_n(g.indicator_weight)}分）" if g.weight is not None else g.name


def _score_cell(fid: str, score: Score, rowspan: int = 1) -> Cell:
    value = score.shown
    if score.weight is None and not value:  # a deduction item with nothing deducted: blank
        return Cell("", rowspan=rowspan, align=R)
    if value is None:
        return Cell("", rowspan=rowspan, align=R)
    return Cell(figure=FigureRef(fid, value, POINTS), rowspan=rowspan, align=R)


# -- 附表1 ------------------------------------------------------------------------------------


def department_table(dept: DepartmentResult) -> Table:
    header = (
        (
            Cell("绩效指标", colspan=4, align=C, bold=True),
            Cell("指标解释", rowspan=2, align=C, bold=True),
            Cell("评分说明", rowspan=2, align=C, bold=True),
            Cell("自评得分", rowspan=2, align=C, bold=True),
            Cell("备注", rowspan=2, align=C, bold=True),
        ),
        tuple(
            Cell(t, align=C, bold=True) for t in ("一级指标", "二级指标", "三级指标", "指标分值")
        ),
    )
    indicators = {i.id: i for i in dept.system.indicators()}
    rows: list[tuple[Cell, ...]] = []
    for g1 in dept.groups:
        first1 = True
        span1 = _height(g1, indicators)
        subgroups = ([g1] if g1.scores else []) + list(g1.groups)
        for g2 in subgroups:
            span2 = _height(g2, indicators, own_only=g2 is g1)
            first2 = True
            for score in g2.scores:
                ind = indicators[score.key]
                lines = ind.printed_rows
                for k, line in enumerate(lines):
                    row: list[Cell] = []
                    if first1:
                        row.append(Cell(_label(g1), rowspan=span1, align=C))
                        first1 = False
                    merged = len(g2.scores) == 1 and ind.name == g2.name and g2 is not g1
                    if first2:
                        if merged:
                            row.append(Cell(g2.name, rowspan=span2, colspan=2, align=C))
                        else:
                            label = "" if g2 is g1 else _label(g2)
                            row.append(Cell(label, rowspan=span2, align=C))
                        first2 = False
                    if not merged:
                        row.append(Cell(line))
                    if k == 0:
                        row += _indicator_cells(ind, score, len(lines))
                    rows.append(tuple(row))
    rows.append(
        (
            Cell("分值", align=C),
            Cell(""),
            Cell("合计", align=C),
            Cell(""),
            Cell(""),
            Cell(""),
            _score_cell("perf.department.total", dept.total),
            Cell(""),
        )
    )
    return Table(
        key="performance_department",
        number="附表1",
        title=dept.system.title,
        header=header,
        rows=tuple(rows),
        columns=8,
        unit="",
        widths=(1.2, 1.2, 1.8, 0.8, 2.6, 4.6, 0.8, 0.6),
    )


def _height(g: GroupScore, indicators: dict[str, Indicator], own_only: bool = False) -> int:
    scores = g.scores if own_only else list(g.all_scores())
    return sum(len(indicators[s.key].printed_rows) for s in scores) or 1


def _indicator_cells(ind: Indicator, score: Score, span: int) -> list[Cell]:
    weight = "-" if ind.weight is None else _n(ind.weight)
    return [
        Cell(weight, rowspan=span, align=C),
        Cell(ind.explanation or "", rowspan=span),
        Cell(ind.scoring or "", rowspan=span),
        _score_cell(f"perf.department.{ind.id}", score, span),
        Cell("", rowspan=span),
    ]


# -- 附表2 ------------------------------------------------------------------------------------


def project_table(p: ProjectResult, year: int) -> Table:
    pr = p.project
    fid = f"perf.project.{p.index}"
    rows: list[tuple[Cell, ...]] = [
        (Cell("项目名称", align=C), Cell(pr.title, colspan=10)),
        (
            Cell("主管部门", align=C),
            Cell(pr.department or "", colspan=4),
            Cell("实施单位（盖章）", colspan=2, align=C),
            Cell(pr.implementer or "", colspan=4),
        ),
        (
            Cell("项目基本情况", rowspan=3, align=C),
            Cell("1.项目年度目标完成情况", rowspan=2, colspan=2),
            Cell("项目年度目标", colspan=4, align=C),
            Cell("年度目标完成情况", colspan=4, align=C),
        ),
        (Cell(pr.annual_goal or "", colspan=4), Cell(pr.goal_result or "", colspan=4)),
        (Cell("2.项目实施内容及过程概述", colspan=2), Cell(pr.process or "", colspan=8)),
    ]
    ex = pr.execution
    rows.append(
        (
            Cell(f"预算执行情况（{_n(ex.weight)}分）", rowspan=len(p.rows) + 1, align=C),
            *(
                Cell(t, align=C)
                for t in (
                    "年度预算数（万元）",
                    "年初预算",
                    "调整后预算数",
                    "预算执行数",
                    "预算执行率",
                    "权重",
                    "得分",
                )
            ),
            Cell("原因", colspan=3, align=C),
        )
    )
    for k, row in enumerate(p.rows):
        base = f"{fid}.execution.{row.key}"
        money = [
            _money(f"{base}.{attr}", getattr(row, attr))
            for attr in ("initial_budget", "adjusted_budget", "final")
        ]
        rate = row.stated_rate if row.stated_rate is not None else row.rate
        rate_cell = (
            Cell(figure=FigureRef(f"{base}.rate", rate, RATE), align=R)
            if rate is not None
            and any(getattr(row, a) is not None for a in ("adjusted_budget", "final"))
            else Cell("")
        )
        if k == 0:
            tail = [
                Cell(_n(ex.weight), align=C),
                _score_cell(f"{fid}.execution.score", p.execution),
                Cell(ex.reason or "", colspan=3),
            ]
        else:
            tail = [Cell("/", align=C), Cell("/", align=C), Cell("", colspan=3)]
        rows.append((Cell(row.label), *money, rate_cell, *tail))
    rows += _indicator_rows(p, fid)
    rows.append(
        (
            Cell("合计", colspan=8, align=C),
            Cell(_n(p.total.weight), align=C),
            _score_cell(f"{fid}.total", p.total),
            Cell(""),
        )
    )
    for label, text in (
        ("评价结论", pr.conclusion),
        ("存在问题", pr.problems),
        ("改进措施", pr.measures),
    ):
        rows.append((Cell(label, align=C), Cell(text or "", colspan=10)))
    rows.append(
        (
            Cell(f"项目负责人：{pr.leader or ''}", colspan=5),
            Cell(f"财务负责人：{pr.finance_leader or ''}", colspan=6),
        )
    )
    return Table(
        key=f"performance_project_{p.index + 1}",
        number="附表2",
        title=f"部门预算项目支出绩效自评表（{year}年度）",
        header=(),
        rows=tuple(rows),
        columns=11,
        unit="",
        widths=(1.2, 1.0, 1.2, 1.8, 0.8, 1.0, 0.8, 1.0, 0.7, 0.7, 1.6),
    )


def _money(fid: str, value: Decimal | None) -> Cell:
    if value is None:
        return Cell("")
    return Cell(figure=FigureRef(fid, value, WAN), align=R)


def _indicator_rows(p: ProjectResult, fid: str) -> list[tuple[Cell, ...]]:
    inds = p.project.indicators
    header = tuple(
        Cell(t, align=C)
        for t in (
            "一级指标",
            "二级指标",
            "三级指标",
            "指标性质",
            "指标值",
            "度量单位",
            "完成值",
            "权重",
            "得分",
            "未完成原因分析",
        )
    )
    weight = sum((s.weight or 0 for s in p.indicators), Decimal(0))
    rows: list[tuple[Cell, ...]] = [
        (Cell(f"绩效指标（{_n(weight)}分）", rowspan=len(inds) + 1, align=C), *header)
    ]
    for k, (ind, score) in enumerate(zip(inds, p.indicators, strict=True)):
        row: list[Cell] = []
        if k == 0 or inds[k - 1].level1 != ind.level1:
            span = _run(inds, k, lambda i: i.level1)
            row.append(Cell(ind.level1, rowspan=span, align=C))
        if k == 0 or (inds[k - 1].level1, inds[k - 1].level2) != (ind.level1, ind.level2):
            span = _run(inds, k, lambda i: (i.level1, i.level2))
            row.append(Cell(ind.level2, rowspan=span, align=C))
        row += [
            Cell(ind.name),
            Cell(ind.nature, align=C),
            Cell(_text(ind.target), align=C),
            Cell(ind.unit or "", align=C),
            Cell(_text(ind.actual), align=C),
            Cell(_n(ind.weight), align=C),
            _score_cell(f"{fid}.indicator.{k}.score", score),
            Cell(ind.reason or ""),
        ]
        rows.append(tuple(row))
    return rows


def _run(
    items: list[ProjectIndicator], start: int, key: Callable[[ProjectIndicator], object]
) -> int:
    """How many items from ``start`` on share ``key`` with the item at ``start``."""
    n = 1
    while start + n < len(items) and key(items[start + n]) == key(items[start]):
        n += 1
    return n


def _text(value: str | Decimal | None) -> str:
    if value is None:
        return ""
    return _n(value) if isinstance(value, Decimal) else value
