"""Score a dataset's self-evaluation: the department table against its indicator system and
every project table per 财预〔2020〕10号."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from juesuan.core.figures import FigureSet
from juesuan.core.findings import Finding, Severity
from juesuan.io.load_findings import clip
from juesuan.io.references import ReferenceRefused
from juesuan.model.dataset import Dataset
from juesuan.performance.department import DepartmentResult, score_department
from juesuan.performance.project import ProjectResult, score_project
from juesuan.performance.system import IndicatorSystem
from juesuan.performance.system_loader import SYSTEMS_DIR, load_system, system_file
from juesuan.performance.trace import SOURCE_LABELS


@dataclass
class EvaluationResult:
    """Everything scored for one dataset and run."""

    system: IndicatorSystem | None = None
    department: DepartmentResult | None = None
    projects: list[ProjectResult] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)  # loading the system, run inputs
    run_inputs: dict[str, Decimal] = field(default_factory=dict)


def score_dataset(
    ds: Dataset,
    figs: FigureSet,
    system: str | Path | IndicatorSystem | None = None,
    run_inputs: Mapping[str, Decimal] | None = None,
) -> EvaluationResult:
    """Score ``ds.evaluation``. ``system`` overrides the one the data names (a bundled name,
    a file path, or a loaded system); ``run_inputs`` are the run's inputs (e.g. ``N``)."""
    result = EvaluationResult(run_inputs=dict(run_inputs or {}))
    ev = ds.evaluation
    if ev is None:
        return result
    dept = ev.department
    if system is None and dept is not None:
        try:
            system = _beside(dept.system, ds.origin)
        except ReferenceRefused as exc:
            result.findings.append(
                Finding(
                    "PERF-008",
                    Severity.ERROR,
                    f"指标体系「{clip(dept.system)}」不能使用：{exc}，部门整体绩效未评分",
                    ds.locate("evaluation.department.system"),
                )
            )
            system = None
    if isinstance(system, IndicatorSystem):
        result.system = system
    elif system is not None:
        loaded, findings = load_system(system)
        result.system = loaded
        result.findings += findings
        if loaded is None:
            where = ds.locate("evaluation.department.system")
            result.findings.insert(
                0,
                Finding(
                    "PERF-008",
                    Severity.ERROR,
                    f"指标体系「{clip(str(system))}」无法使用（见下列问题），部门整体绩效未评分",
                    where,
                ),
            )
    if result.system is not None:
        unknown = [n for n in result.run_inputs if n not in result.system.inputs]
        for name in unknown:
            result.findings.append(
                Finding(
                    "PERF-008",
                    Severity.WARNING,
                    f"运行参数「{name}」不是指标体系「{result.system.title}」的输入，未使用"
                    f"（输入有：{'、'.join(result.system.inputs)}）",
                )
            )
        result.department = score_department(result.system, ds, figs, result.run_inputs)
        if dept is not None and Path(dept.system).stem == result.system.id:
            result.findings += _unknown_entries(ds, result.system)
    result.projects = [score_project(p, i, ds.unit, ds.locate) for i, p in enumerate(ev.projects)]
    return result


def _beside(name: str, origin: str | None) -> str | Path:
    """A system file named by the data is found relative to the data file and may not leave
    its folder (see :func:`juesuan.io.references.resolve_reference`); a bare name is a
    bundled system. ``ReferenceRefused`` for a path outside the allowed folders."""
    from juesuan.io.references import resolve_reference

    path = system_file(name)
    if path.parent == SYSTEMS_DIR:
        return name
    return resolve_reference(str(path), origin)


def _unknown_entries(ds: Dataset, system: IndicatorSystem) -> list[Finding]:
    """Entered indicators and inputs the system does not have (likely typos)."""
    dept = ds.evaluation.department if ds.evaluation is not None else None
    if dept is None:
        return []
    out = []
    ids = {i.id for i in system.indicators()}
    for key in dept.indicators:
        if key not in ids:
            out.append(
                Finding(
                    "PERF-008",
                    Severity.WARNING,
                    f"「{key}」不是指标体系「{system.title}」的指标编号，该项未使用",
                    ds.locate(f"evaluation.department.indicators.{key}"),
                )
            )
    for key in dept.inputs:
        spec = system.inputs.get(key)
        if spec is None or spec.source_kind != "entered":
            why = (
                "不是指标体系的输入"
                if spec is None
                else f"取自{SOURCE_LABELS[spec.source_kind]}，不用录入值"
            )
            out.append(
                Finding(
                    "PERF-008",
                    Severity.WARNING,
                    f"录入的输入「{key}」{why}（指标体系「{system.title}」），该值未使用",
                    ds.locate(f"evaluation.department.inputs.{key}"),
                )
            )
    return out
