"""Resolve the named inputs of an indicator system to values, recording where each came from.

Sources, in order of precedence: a run input given for this run (``--input N=-4.63``), then
the input's binding in the system file — a derived 决算 figure, a field of the dataset, the
sum over the project tables — or else the value entered in ``evaluation.department.inputs``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from decimal import Decimal

from juesuan.core.figures import FigureSet
from juesuan.core.money import ZERO, to_wan
from juesuan.model.dataset import Dataset
from juesuan.model.evaluation import EnteredInput
from juesuan.performance.expr import MissingName
from juesuan.performance.system import IndicatorSystem, InputSpec
from juesuan.performance.trace import InputValue, Tracer

WAN = "万元"


class Resolver:
    """Values of a system's inputs for one dataset and run (cached per name)."""

    def __init__(
        self,
        system: IndicatorSystem,
        ds: Dataset,
        figs: FigureSet,
        run_inputs: Mapping[str, Decimal] | None = None,
    ):
        self.system = system
        self.ds = ds
        self.figs = figs
        self.run_inputs = dict(run_inputs or {})
        dept = ds.evaluation.department if ds.evaluation is not None else None
        self.entered = dict(dept.inputs) if dept is not None else {}
        self._cache: dict[str, InputValue] = {}

    def lookup(self, tracer: Tracer, extra: Mapping[str, Decimal]) -> Callable[[str], Decimal]:
        """A name → value function for :func:`~juesuan.performance.expr.evaluate` that records
        every input it hands out in ``tracer`` (``extra`` holds names such as ``weight``)."""

        def get(name: str) -> Decimal:
            if name in extra:
                return extra[name]
            item = self.resolve(name)
            tracer.inputs.setdefault(name, item)
            if item.value is None:
                raise MissingName(name, self.missing_message(name))
            return item.value

        return get

    def resolve(self, name: str) -> InputValue:
        if name not in self._cache:
            self._cache[name] = self._resolve(name)
        return self._cache[name]

    def missing_message(self, name: str) -> str:
        spec = self.system.inputs.get(name)
        label = spec.label if spec else name
        if spec is None:
            return f"输入「{name}」未在指标体系中声明"
        kind = spec.source_kind
        if kind == "run":
            return f"运行参数「{name}」（{label}）未提供，请以 --input {name}=数值 提供"
        if kind == "figure":
            return f"决算数据中没有数字「{spec.figure}」（{label}）"
        if kind == "dataset":
            return f"数据中「{spec.dataset}」（{label}）未填写"
        if kind == "projects":
            return f"没有项目支出绩效自评表，无法合计{label}"
        return f"未录入「{label}」：请在 evaluation.department.inputs 下填写 {name}"

    def _resolve(self, name: str) -> InputValue:
        spec = self.system.inputs.get(name)
        label = spec.label if spec else name
        unit = spec.unit if spec else ""
        if name in self.run_inputs:
            note = "" if spec is None or spec.run else "运行时指定，取代数据中的值"
            return InputValue(name, label, self.run_inputs[name], unit, "run", "", note)
        if spec is None:
            return InputValue(name, label, None)
        kind = spec.source_kind
        if kind == "figure":
            return self._figure(name, spec)
        if kind == "dataset":
            return self._dataset(name, spec)
        if kind == "projects":
            return self._projects(name, spec)
        if kind == "run":
            return InputValue(name, label, None, unit, "run")
        return self._entered(name, spec)

    def _figure(self, name: str, spec: InputSpec) -> InputValue:
        fid = spec.figure or ""
        fig = self.figs.get(fid)
        if fig is None:
            return InputValue(name, spec.label, None, spec.unit, "figure", fid)
        note = "空白，按0计" if fig.value is None else ""
        return InputValue(
            name, spec.label, fig.amount, spec.unit, "figure", fid, note, location=fig.source
        )

    def _dataset(self, name: str, spec: InputSpec) -> InputValue:
        path = spec.dataset or ""
        value = _walk(self.ds, path)
        if isinstance(value, bool) or not isinstance(value, int | Decimal):
            return InputValue(name, spec.label, None, spec.unit, "dataset", path)
        number = Decimal(value)
        if spec.unit == WAN:
            number = to_wan(number, self.ds.unit)
        return InputValue(
            name, spec.label, number, spec.unit, "dataset", path, location=self.ds.locate(path)
        )

    def _projects(self, name: str, spec: InputSpec) -> InputValue:
        field = spec.projects or "final"
        projects = self.ds.evaluation.projects if self.ds.evaluation is not None else []
        if not projects:
            return InputValue(name, spec.label, None, spec.unit, "projects", field)
        values = [getattr(p.execution.total, field) for p in projects]
        total = sum((to_wan(v, self.ds.unit) for v in values if v is not None), ZERO)
        return InputValue(
            name,
            spec.label,
            total,
            spec.unit,
            "projects",
            f"execution.total.{field}",
            f"{len(projects)}个项目合计",
            location=self.ds.locate("evaluation.projects"),
        )

    def _entered(self, name: str, spec: InputSpec) -> InputValue:
        raw = self.entered.get(name)
        where = self.ds.locate(f"evaluation.department.inputs.{name}")
        if raw is None:
            return InputValue(name, spec.label, None, spec.unit, "entered")
        entry = raw if isinstance(raw, EnteredInput) else EnteredInput(value=raw)
        value = to_wan(entry.value, self.ds.unit) if spec.unit == WAN else entry.value
        return InputValue(
            name,
            spec.label,
            value,
            spec.unit,
            "entered",
            "",
            entry.note or spec.note or "",
            entry.illustrative,
            where,
        )


def _walk(obj: object, path: str) -> object:
    """The value at a dotted ``path`` of a model (list items by index); None when absent."""
    for part in path.split("."):
        if obj is None or part.startswith("_"):
            return None
        if isinstance(obj, list):
            if not part.isdigit() or int(part) >= len(obj):
                return None
            obj = obj[int(part)]
        elif isinstance(obj, dict):
            obj = obj.get(part)
        else:
            obj = getattr(obj, part, None)
    return obj
