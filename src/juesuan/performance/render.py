"""Score tables with their traces as plain text (for the terminal) and as JSON-ready data."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from juesuan.core.findings import Finding
from juesuan.performance.department import DepartmentResult, GroupScore
from juesuan.performance.engine import EvaluationResult
from juesuan.performance.project import ProjectResult, grade
from juesuan.performance.trace import Score

SEP = "｜"


def _n(value: Decimal | None) -> str:
    if value is None:
        return "—"
    text = f"{value:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def _line(indent: str, name: str, score: Score) -> str:
    diff = score.difference
    return SEP.join(
        (
            f"{indent}{name}",
            f"分值 {'-' if score.weight is None else _n(score.weight)}",
            f"计算 {_n(score.computed)}",
            f"自评 {_n(score.stated)}",
            f"差异 {_n(diff)}" + (" ≠" if diff else ""),
        )
    )


def _trace(indent: str, score: Score) -> list[str]:
    out = [f"{indent}规则：{score.rule_text}"] if score.rule_text else []
    out += [f"{indent}输入：{i.describe()}" for i in score.inputs]
    out += [f"{indent}计算：{s}" for s in score.steps]
    out += [f"{indent}问题：{p.message}" for p in score.problems if p.code != "incomplete"]
    return out


def department_text(dept: DepartmentResult) -> list[str]:
    system = dept.system
    lines = [f"{system.title}（指标体系：{system.id}）", ""]
    indicators = {i.id: i for i in system.indicators()}

    def group(g: GroupScore) -> None:
        indent = "  " * (g.depth - 1)
        weights = f"列示{_n(g.weight)}分，" if g.weight is not None else ""
        printed = f"，自评表列示{_n(g.stated_weight)}分" if g.stated_weight is not None else ""
        lines.append(
            f"{indent}{g.name}（{weights}指标分值合计{_n(g.indicator_weight)}分{printed}）"
            f"{SEP}计算 {_n(g.computed)}{SEP}自评 {_n(g.stated)}"
        )
        for s in g.scores:
            rows = indicators[s.key].rows
            name = s.name + (f"（{'、'.join(rows)}）" if rows else "")
            lines.append(_line(indent + "  ", name, s))
            lines.extend(_trace(indent + "      ", s))
        for c in g.groups:
            group(c)

    for g in dept.groups:
        group(g)
    lines.append(_line("", "合计", dept.total))
    lines.extend(_trace("      ", dept.total))
    return lines


def project_text(p: ProjectResult) -> list[str]:
    pr = p.project
    kind = f"（{pr.kind}项目）" if pr.kind else ""
    lines = [f"项目支出绩效自评表：{pr.title}{kind}"]
    for row in p.rows:
        if all(v is None for v in (row.initial_budget, row.adjusted_budget, row.final)):
            continue
        rate = "—" if row.rate is None else f"{row.rate}%"
        stated = "" if row.stated_rate is None else f"（列示{_n(row.stated_rate)}%）"
        lines.append(
            f"  {row.label}：年初预算{_n(row.initial_budget)}{SEP}调整后预算数{_n(row.adjusted_budget)}"
            f"{SEP}预算执行数{_n(row.final)}{SEP}执行率{rate}{stated}"
        )
    lines.append(_line("  ", "预算执行", p.execution))
    lines.extend(_trace("      ", p.execution))
    for ind, s in zip(pr.indicators, p.indicators, strict=True):
        target = (
            f"{ind.target}（定性）"
            if ind.nature == "定性"
            else f"{ind.nature}{ind.target}{ind.unit or ''}"
        )
        name = f"{ind.level1}/{ind.level2}/{ind.name}（指标值{target}，完成值{ind.actual}）"
        lines.append(_line("  ", name, s))
        lines.extend(_trace("      ", s))
    total = p.total
    lines.append(
        _line("  ", "合计", total)
        + f"{SEP}等级：计算{p.grade or '—'}，自评{grade(total.stated) or '—'}"
    )
    lines.extend(_trace("      ", total))
    return lines


def result_text(result: EvaluationResult) -> str:
    lines: list[str] = []
    if result.run_inputs:
        shown = "，".join(f"{k}={_n(v)}" for k, v in result.run_inputs.items())
        lines += [f"运行参数：{shown}", ""]
    if result.department is not None:
        lines += [*department_text(result.department), ""]
    for p in result.projects:
        lines += [*project_text(p), ""]
    if not lines:
        lines = ["数据中没有绩效自评（evaluation）。"]
    return "\n".join(lines).rstrip() + "\n"


def _group_dict(g: GroupScore) -> dict[str, Any]:
    return {
        "name": g.name,
        "weight": None if g.weight is None else str(g.weight),
        "indicator_weight": str(g.indicator_weight),
        "stated_weight": None if g.stated_weight is None else str(g.stated_weight),
        "computed": None if g.computed is None else str(g.computed),
        "stated": None if g.stated is None else str(g.stated),
        "indicators": [s.to_dict() for s in g.scores],
        "groups": [_group_dict(c) for c in g.groups],
    }


def result_dict(result: EvaluationResult, findings: list[Finding]) -> dict[str, Any]:
    out: dict[str, Any] = {"run_inputs": {k: str(v) for k, v in result.run_inputs.items()}}
    if result.department is not None:
        out["department"] = {
            "system": result.department.system.id,
            "title": result.department.system.title,
            "groups": [_group_dict(g) for g in result.department.groups],
            "total": result.department.total.to_dict(),
        }
    out["projects"] = [
        {
            "name": p.project.name,
            "code": p.project.code,
            "kind": p.project.kind,
            "execution_rows": [
                {
                    "row": r.label,
                    "initial_budget": None if r.initial_budget is None else str(r.initial_budget),
                    "adjusted_budget": None
                    if r.adjusted_budget is None
                    else str(r.adjusted_budget),
                    "final": None if r.final is None else str(r.final),
                    "rate": None if r.rate is None else str(r.rate),
                    "stated_rate": None if r.stated_rate is None else str(r.stated_rate),
                }
                for r in p.rows
            ],
            "execution": p.execution.to_dict(),
            "indicators": [s.to_dict() for s in p.indicators],
            "total": p.total.to_dict(),
            "grade": p.grade,
            "stated_grade": p.stated_grade,
        }
        for p in result.projects
    ]
    out["findings"] = [f.to_dict() for f in findings]
    return out
