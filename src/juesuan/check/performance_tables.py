"""Checks of the performance self-evaluation tables and of what the narrative says of them.

附表1 (部门整体支出绩效自评表): the indicator weights against the points their group states, the
groups against their top level and the stated total, the scores against the 合计 score, each
score within its weight. 附表2 (项目支出绩效自评表): the same for the budget execution row and
the indicators, the execution rate against its amounts, its 总额 against its fund sources, its
预算执行 score against 执行率 × 权重, and the total score its 评价结论 states. What the narrative
says of these tables is checked in :mod:`juesuan.check.performance_claims`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal

from juesuan.check.model import dec, quantize
from juesuan.check.performance_model import SAID_SCORE, Project, Scored, points_text
from juesuan.check.read.recover import number
from juesuan.check.read.source import RawRow, RawTable
from juesuan.check.sink import Sink
from juesuan.core.findings import Severity

POINTS = re.compile(r"[（(](\d+(?:\.\d+)?)分[)）]")
TOTAL_WORDS = ("合计", "总分", "总计")


def _clean(row: RawRow) -> list[str]:
    return ["".join(c.split()) for c in row.cells]


def _col(cells: list[str], *prefixes: str) -> int | None:
    return next((i for i, c in enumerate(cells) if c.startswith(prefixes)), None)


def _cell(row: RawRow, table: str, label: str, column: str) -> dict:
    """A table cell's location as keyword arguments of :meth:`Sink.add`."""
    return {"line": row.line, "page": row.page, "table": table, "row": label, "column": column}


def _quote(row: RawRow) -> str:
    return row.quote()


@dataclass
class _Line:
    """One weighted line of a table: its name, weight and score, where printed."""

    name: str
    weight: Decimal | None
    score: Decimal | None
    row: RawRow
    blank_weight: bool = False


@dataclass
class _Group:
    name: str
    points: Decimal
    row: RawRow
    lines: list[_Line] = field(default_factory=list)
    groups: list[_Group] = field(default_factory=list)


class PerformanceChecker:
    def __init__(self, sink: Sink, paras: list) -> None:
        self.sink = sink
        self.paras = paras

    def run(self, grids: list[RawTable]) -> None:
        overall: Scored | None = None
        found = False
        for table in grids:
            if table.note:
                self.sink.cannot("CHK-201", table.note)
            header_i = next(
                (i for i, r in enumerate(table.rows) if {"三级指标", "指标分值"} <= set(_clean(r))),
                None,
            )
            if header_i is not None:
                found = True
                overall = self._overall(table, header_i) or overall
        if not found:
            for code in ("CHK-201", "CHK-202", "CHK-203"):
                self.sink.cannot(code, "文件中没有可读取的部门整体支出绩效自评表（附表1）")
        projects = [p for p in (self._project(t) for t in grids) if p is not None]
        from juesuan.check.performance_claims import PerformanceClaims

        claims = PerformanceClaims(self.sink, self.paras)
        if projects:
            claims.project_claims(projects)
        else:
            why = "文件中没有可读取的项目支出绩效自评表"
            for code in ("CHK-204", "CHK-205", "CHK-207"):
                self.sink.cannot(code, why)
        claims.stated_scores(overall, projects)

    # ------------------------------------------------------------ 附表1
    def _overall(self, table: RawTable, header_i: int) -> Scored | None:
        title = table.title or "部门整体支出绩效自评表"
        header = _clean(table.rows[header_i])
        ncols = len(header)
        w_col = header.index("指标分值")
        score_col = ncols - 2
        for r in table.rows[:header_i]:
            cells = _clean(r)
            if "自评得分" in cells and len(cells) == ncols:
                score_col = cells.index("自评得分")
        tops: list[_Group] = []
        groups: list[_Group] = []
        lines: list[_Line] = []
        group: _Group | None = None
        top: _Group | None = None
        total: tuple[Decimal | None, Decimal | None, RawRow] | None = None
        for row in table.rows[header_i + 1 :]:
            cells = _clean(row)
            if any(c in TOTAL_WORDS for c in cells[: max(3, w_col)]):
                if len(cells) == ncols:
                    total = (number(cells[w_col]), number(cells[score_col]), row)
                else:  # a text export keeps only the filled cells
                    nums = [n for n in (number(c) for c in cells) if n is not None]
                    total = (None, nums[-1] if nums else None, row)
                break
            if len(cells) != ncols:
                continue
            m = POINTS.search(cells[0])
            if m and (top is None or top.name != POINTS.sub("", cells[0])):
                top = _Group(POINTS.sub("", cells[0]), dec(m.group(1)), row)
                tops.append(top)
            elif cells[0] and not m:
                top = None  # a top level without points (扣分项)
            m = POINTS.search(cells[1])
            if m and (group is None or group.name != POINTS.sub("", cells[1])):
                group = _Group(POINTS.sub("", cells[1]), dec(m.group(1)), row)
                groups.append(group)
                if top is not None:
                    top.groups.append(group)
            elif cells[1] and not m:
                group = None  # a group without stated points (扣分项)
            name = cells[2] or cells[1]
            if not name:
                continue
            weight = number(cells[w_col])
            score = number(cells[score_col]) if score_col < len(cells) else None
            line = _Line(name, weight, score, row, blank_weight=not cells[w_col])
            lines.append(line)
            if group is not None and cells[2]:
                group.lines.append(line)
            self._within(line, title, "自评得分")
        self._group_weights(groups, title)
        self._top_points(tops, title)
        if total is None:
            self.sink.cannot("CHK-202", f"{title}没有合计行")
            return None
        weight_total, score_total, total_row = total
        if weight_total is not None and tops:
            self._compare(
                "CHK-201",
                weight_total,
                sum((t.points for t in tops), Decimal(0)),
                f"合计分值{points_text(weight_total)}，各一级指标分值之和为",
                title,
                total_row,
                "指标分值",
            )
        if score_total is None:
            self.sink.cannot("CHK-202", f"{title}的合计得分空白")
            return None
        self._score_sum(lines, score_total, title, title, total_row, "自评得分")
        return Scored(score_total, total_row, table)

    def _group_weights(self, groups: list[_Group], title: str) -> None:
        for g in groups:
            weights = [(ln.name, ln.weight) for ln in g.lines if ln.weight is not None]
            if any(ln.blank_weight for ln in g.lines) or not weights:
                self.sink.cannot("CHK-201", f"「{g.name}」下有指标分值空白，无法核对其小计")
                continue
            quote = f"{g.name}（{points_text(g.points)}分）：" + "、".join(
                f"{n} {points_text(w)}" for n, w in weights
            )
            self._subtotal(g, [w for _, w in weights], "各指标分值", title, quote)

    def _top_points(self, tops: list[_Group], title: str) -> None:
        for t in tops:
            if t.groups:
                quote = "、".join(f"{g.name}（{points_text(g.points)}分）" for g in t.groups)
                points = [g.points for g in t.groups]
                self._subtotal(t, points, "各二级指标分值", title, quote, Severity.WARNING)

    def _subtotal(
        self,
        group: _Group,
        parts: list[Decimal],
        what: str,
        title: str,
        quote: str,
        severity: Severity | None = None,
    ) -> None:
        """The points a group states against the sum of its parts' points."""
        self.sink.checked("CHK-201")
        total = sum(parts, Decimal(0))
        if total == group.points:
            return
        listed = "+".join(points_text(p) for p in parts)
        self.sink.add(
            "CHK-201",
            f"「{group.name}」标明{points_text(group.points)}分，其下{what} {listed} = {points_text(total)}分",
            **_cell(group.row, title, group.name, "指标分值"),
            stated=group.points,
            expected=total,
            severity=severity,
            quote=quote,
        )

    # ------------------------------------------------------------ shared arithmetic
    def _within(self, line: _Line, title: str, column: str) -> None:
        if line.score is None or line.weight is None:
            return
        self.sink.checked("CHK-203")
        if line.score > line.weight or line.score < 0 <= line.weight:
            self.sink.add(
                "CHK-203",
                f"「{line.name}」得分{points_text(line.score)}不在0与分值{points_text(line.weight)}之间",
                **_cell(line.row, title, line.name, column),
                stated=line.score,
                expected=line.weight,
                quote=_quote(line.row),
            )

    def _score_sum(
        self,
        lines: list[_Line],
        stated: Decimal,
        label: str,
        title: str,
        row: RawRow,
        column: str,
    ) -> None:
        blank = [ln.name for ln in lines if ln.score is None and ln.weight]
        if blank:
            self.sink.cannot(
                "CHK-202", f"{label}中「{'、'.join(blank[:3])}」有分值而得分空白，无法核对合计"
            )
            return
        scores = [ln.score for ln in lines if ln.score is not None]
        if not scores:
            self.sink.cannot("CHK-202", f"{label}中没有各项得分")
            return
        self._compare(
            "CHK-202",
            stated,
            sum(scores, Decimal(0)),
            f"{label}合计得分{{s}}，各项得分之和为",
            title,
            row,
            column,
        )

    def _compare(
        self,
        code: str,
        stated: Decimal,
        computed: Decimal,
        lead: str,
        title: str,
        row: RawRow,
        column: str,
        row_label: str = "合计",
    ) -> None:
        self.sink.checked(code)
        if stated == computed:
            return
        self.sink.add(
            code,
            f"{lead.format(s=points_text(stated))}{points_text(computed)}",
            **_cell(row, title, row_label, column),
            stated=stated,
            expected=computed,
            quote=_quote(row),
        )

    # ------------------------------------------------------------ 附表2
    def _project(self, table: RawTable) -> Project | None:
        rows = [(_clean(r), r) for r in table.rows]
        name = next((c[1] for c, _ in rows if len(c) > 1 and c[0] == "项目名称"), None)
        if not name:
            return None
        title = table.title or "项目支出绩效自评表"
        project = Project(name, table)
        budget_line = self._budget_section(project, rows, title)
        lines, ind_points, total = self._indicators(rows, title)
        if budget_line is not None:
            self._within(budget_line, title, "得分")
        for line in lines:
            self._within(line, title, "得分")
        if ind_points is not None and lines:
            weights = [ln.weight for ln in lines if ln.weight is not None]
            if len(weights) == len(lines):
                pts, row = ind_points
                self._compare(
                    "CHK-201",
                    pts,
                    sum(weights, Decimal(0)),
                    f"项目「{name}」绩效指标标明{{s}}分，各指标权重之和为",
                    title,
                    row,
                    "权重",
                    row_label="绩效指标",
                )
        if total is None:
            self.sink.cannot("CHK-202", f"项目「{name}」的自评表没有合计行")
            return project
        weight_total, score_total, total_row = total
        everything = ([budget_line] if budget_line is not None else []) + lines
        if weight_total is not None and all(ln.weight is not None for ln in everything):
            self._compare(
                "CHK-201",
                weight_total,
                sum((ln.weight for ln in everything if ln.weight is not None), Decimal(0)),
                f"项目「{name}」合计权重{{s}}，预算执行与各指标权重之和为",
                title,
                total_row,
                "权重",
            )
        if score_total is not None:
            self._score_sum(everything, score_total, f"项目「{name}」", title, total_row, "得分")
            project.total = Scored(score_total, total_row, table)
            self._conclusion(project, rows, title)
        return project

    def _budget_section(
        self, project: Project, rows: list[tuple[list[str], RawRow]], title: str
    ) -> _Line | None:
        head = next((i for i, (c, _) in enumerate(rows) if _col(c, "年初预算") is not None), None)
        if head is None:
            return None
        cells = rows[head][0]
        cols = {
            "initial": _col(cells, "年初预算"),
            "adjusted": _col(cells, "调整后预算", "全年预算"),
            "executed": _col(cells, "预算执行数", "执行数", "全年执行数"),
            "rate": _col(cells, "预算执行率", "执行率"),
            "weight": _col(cells, "权重", "分值"),
            "score": _col(cells, "得分"),
        }
        m = POINTS.search(cells[0])
        at = next(
            (i for i in range(head + 1, len(rows)) if "总额" in rows[i][0][:3]),
            None,
        )
        if at is None:
            return None
        values, row = rows[at]

        def get(key: str) -> str:
            j = cols[key]
            return values[j] if j is not None and j < len(values) else ""

        project.initial = number(get("initial"))
        project.adjusted = number(get("adjusted"))
        project.executed = number(get("executed"))
        self._sources(project, rows, at, cols, title)
        self._execution_rate(project, get("rate"), row, title)
        weight, score = number(get("weight")), number(get("score"))
        line = _Line("预算执行", weight, score, row)
        self._execution_score(project, weight, score, row, title)
        if m and weight is not None:
            self._compare(
                "CHK-201",
                dec(m.group(1)),
                weight,
                f"项目「{project.name}」预算执行情况标明{{s}}分，其权重为",
                title,
                rows[head][1],
                "权重",
                row_label="预算执行情况",
            )
        return line

    def _execution_score(
        self, project: Project, weight: Decimal | None, score: Decimal | None, row, title: str
    ) -> None:
        """The 预算执行 score by the common rule of the 项目支出绩效自评表: 执行率 × 权重 (an
        execution above 100% scores the full weight). Regions that score by bands or deduct for
        adjusted budgets differ, so a difference is a warning."""
        base, executed = project.budget, project.executed
        if weight is None or score is None or executed is None or not base:
            return
        self.sink.checked("CHK-209")
        places = max(1, -score.as_tuple().exponent) if score != score.to_integral() else 1
        expected = quantize(min(executed / base, Decimal(1)) * weight, places)
        if score != expected:
            self.sink.add(
                "CHK-209",
                f"项目「{project.name}」预算执行率{quantize(executed / base * 100, 2)}%、权重"
                f"{points_text(weight)}，按“执行率×权重”得分应为{points_text(expected)}，表中为{points_text(score)}",
                **_cell(row, title, "总额", "得分"),
                stated=score,
                expected=expected,
                quote=_quote(row),
            )

    def _sources(self, project: Project, rows, at: int, cols: dict, title: str) -> None:
        """The 总额 row against its sources (其中：财政资金、财政专户管理资金、单位资金、其他资金),
        column by column; a column whose sources are all blank is not checked."""
        sources = []
        for values, row in rows[at + 1 :]:
            if values[0] or len(values) < 2 or not values[1]:
                break
            sources.append((values, row))
        if not sources:
            return
        total_values, total_row = rows[at]
        labels = {"initial": "年初预算数", "adjusted": "调整后预算数", "executed": "预算执行数"}
        for key, label in labels.items():
            j = cols[key]
            if j is None or j >= len(total_values):
                continue
            total = number(total_values[j])
            parts = [number(v[j]) for v, _ in sources if j < len(v)]
            if total is None or all(p is None for p in parts):
                continue
            computed = sum((p for p in parts if p is not None), Decimal(0))
            self._compare(
                "CHK-208",
                total,
                computed,
                f"项目「{project.name}」{label}总额{{s}}万元，各资金来源之和为",
                title,
                total_row,
                label,
                row_label="总额",
            )

    def _indicators(self, rows: list[tuple[list[str], RawRow]], title: str):
        head = next(
            (
                i
                for i, (c, _) in enumerate(rows)
                if "三级指标" in c and _col(c, "权重", "分值") is not None and "得分" in c
            ),
            None,
        )
        if head is None:
            return [], None, None
        cells = rows[head][0]
        w_col = _col(cells, "权重", "分值")
        s_col = cells.index("得分")
        n_col = cells.index("三级指标")
        m = POINTS.search(cells[0])
        points = (dec(m.group(1)), rows[head][1]) if m else None
        lines: list[_Line] = []
        for values, row in rows[head + 1 :]:
            first = next((c for c in values if c), "")
            if first in TOTAL_WORDS:
                if len(values) > max(w_col, s_col):
                    return lines, points, (number(values[w_col]), number(values[s_col]), row)
                nums = [n for n in (number(c) for c in values) if n is not None]
                weight = nums[-2] if len(nums) >= 2 else None  # a text export: filled cells only
                return lines, points, (weight, nums[-1] if nums else None, row)
            if len(values) <= max(w_col, s_col) or not values[n_col]:
                if first.startswith(("评价结论", "存在问题")):
                    break
                continue
            weight = number(values[w_col])
            lines.append(
                _Line(values[n_col], weight, number(values[s_col]), row, not values[w_col])
            )
        return lines, points, None

    def _execution_rate(self, project: Project, rate_txt: str, row: RawRow, title: str) -> None:
        rate = re.sub(r"[%\s]", "", rate_txt)
        base, executed = project.budget, project.executed
        if executed is None or not base or number(rate) is None:
            return
        self.sink.checked("CHK-204")
        places = len(rate.split(".")[1]) if "." in rate else 0
        expected = quantize(executed / base * 100, places)
        if expected != number(rate):
            self.sink.add(
                "CHK-204",
                f"项目「{project.name}」执行数{executed}万元、预算数{base}万元，执行率应为{expected}%，表中为{rate_txt}",
                **_cell(row, title, "总额", "预算执行率"),
                stated=number(rate),
                expected=expected,
                quote=_quote(row),
            )

    def _conclusion(self, project: Project, rows, title: str) -> None:
        """“自评总分X分” in the table's own 评价结论 against its 合计 score."""
        assert project.total is not None
        for cells, row in rows:
            if not cells or not cells[0].startswith("评价结论"):
                continue
            for m in SAID_SCORE.finditer("".join(cells[1:])):
                self._compare(
                    "CHK-206",
                    dec(m.group(1)),
                    project.total.score,
                    f"项目「{project.name}」评价结论称自评总分{{s}}分，自评表合计得分为",
                    title,
                    row,
                    "评价结论",
                    row_label="评价结论",
                )
