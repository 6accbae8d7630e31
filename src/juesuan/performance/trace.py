"""Scores with their trace: inputs and where they came from, the rule, notes, problems."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from juesuan.core.findings import Location, Severity
from juesuan.core.money import round2

SOURCE_LABELS = {
    "figure": "决算数字",
    "dataset": "数据字段",
    "projects": "项目自评表合计",
    "run": "运行参数",
    "entered": "录入",
}


q2 = round2  # a score to two decimals, half up


@dataclass(frozen=True, slots=True)
class InputValue:
    """One input a score used: its value and where it came from."""

    name: str
    label: str
    value: Decimal | None
    unit: str = ""
    source: str = "entered"  # figure | dataset | projects | run | entered
    ref: str = ""  # the figure id, dataset path or project field
    note: str = ""
    illustrative: bool = False
    location: Location | None = None

    def describe(self) -> str:
        shown = "（无数值）" if self.value is None else f"{self.value}{self.unit}"
        where = SOURCE_LABELS.get(self.source, self.source)
        if self.ref:
            where += f" {self.ref}"
        extra = "，示意值" if self.illustrative else ""
        return f"{self.label} {self.name} = {shown}（{where}{extra}）"

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "name": self.name,
            "label": self.label,
            "value": None if self.value is None else str(self.value),
            "unit": self.unit,
            "source": self.source,
        }
        if self.ref:
            out["ref"] = self.ref
        if self.note:
            out["note"] = self.note
        if self.illustrative:
            out["illustrative"] = True
        if self.location is not None:
            out["location"] = self.location.to_dict()
        return out


@dataclass(frozen=True, slots=True)
class Problem:
    """Why a score could not be computed (or is doubtful): Chinese message + severity."""

    code: str  # PERF-008 sub-kind, kept for tests and JSON: zero_division, missing_input, …
    message: str
    severity: Severity = Severity.WARNING
    location: Location | None = None


@dataclass(frozen=True, slots=True)
class Score:
    """One scored line: an indicator, a project's 预算执行, or a total."""

    key: str
    name: str
    weight: Decimal | None
    rule: str = ""  # the rule type
    rule_text: str = ""  # the machine rule, readable
    scoring: str = ""  # 评分说明 as printed
    inputs: tuple[InputValue, ...] = ()
    steps: tuple[str, ...] = ()
    computed: Decimal | None = None
    stated: Decimal | None = None
    problems: tuple[Problem, ...] = ()
    location: Location | None = None  # where the stated value is (dataset line)

    @property
    def difference(self) -> Decimal | None:
        """stated − computed, when both are known."""
        if self.stated is None or self.computed is None:
            return None
        return self.stated - self.computed

    @property
    def shown(self) -> Decimal | None:
        """The value a published table prints: the stated score, else the computed one."""
        return self.stated if self.stated is not None else self.computed

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "key": self.key,
            "name": self.name,
            "weight": None if self.weight is None else str(self.weight),
            "rule": self.rule,
            "rule_text": self.rule_text,
            "computed": None if self.computed is None else str(self.computed),
            "stated": None if self.stated is None else str(self.stated),
            "difference": None if self.difference is None else str(self.difference),
            "inputs": [i.to_dict() for i in self.inputs],
            "steps": list(self.steps),
        }
        if self.scoring:
            out["scoring"] = self.scoring
        if self.problems:
            out["problems"] = [{"kind": p.code, "message": p.message} for p in self.problems]
        return out


@dataclass
class Tracer:
    """Collects the trace of one score while its rule runs."""

    inputs: dict[str, InputValue] = field(default_factory=dict)
    steps: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    def step(self, text: str) -> None:
        self.steps.append(text)

    def problem(
        self,
        kind: str,
        message: str,
        severity: Severity = Severity.WARNING,
        location: Location | None = None,
    ) -> None:
        self.problems.append(Problem(kind, message, severity, location))
