"""Rule registry: small registered functions with a stable code, severity and title."""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cached_property
from typing import TYPE_CHECKING

from juesuan.catalog.catalogs import Catalogs
from juesuan.catalog.names import Names
from juesuan.core.codes import CODES, RULE_FAMILIES
from juesuan.core.figures import Figure, FigureSet
from juesuan.core.findings import Finding, Location, Severity
from juesuan.core.money import ZERO, round2
from juesuan.model.dataset import Dataset
from juesuan.profiles import Profile

if TYPE_CHECKING:
    from juesuan.performance.engine import EvaluationResult

_MODULES = (
    "juesuan.rules.totals",
    "juesuan.rules.between",
    "juesuan.rules.catalog_rules",
    "juesuan.rules.narrative_rules",
    "juesuan.rules.data_rules",
    "juesuan.rules.performance_rules",
)


@dataclass(frozen=True)
class RuleContext:
    ds: Dataset
    figs: FigureSet
    catalogs: Catalogs
    profile: Profile
    names: Names
    run_inputs: Mapping[str, Decimal] = field(default_factory=dict)

    @cached_property
    def evaluation(self) -> EvaluationResult:
        """The dataset's self-evaluation, scored once for all the rules that read it."""
        from juesuan.performance.engine import score_dataset

        return score_dataset(self.ds, self.figs, run_inputs=self.run_inputs)

    def where(
        self, path: str, table: str | None = None, row: str | None = None, column: str | None = None
    ) -> Location:
        """The source position of ``path`` with a logical table/row/column attached."""
        src = self.ds.locate(path)
        return Location(
            file=src.file, line=src.line, table=table, row=row, column=column, path=path
        )


Check = Callable[[RuleContext], Iterable[Finding]]


@dataclass(frozen=True)
class Rule:
    code: str
    severity: Severity
    family: str
    title: str
    doc: str
    check: Check

    def finding(
        self,
        message: str,
        location: Location,
        stated: Decimal | None = None,
        expected: Decimal | None = None,
        severity: Severity | None = None,
    ) -> Finding:
        return Finding(self.code, severity or self.severity, message, location, stated, expected)


RULES: dict[str, Rule] = {}


def rule(code: str) -> Callable[[Check], Rule]:
    """Register a check under ``code``; its severity, family, title and explanation are the
    code's entry in :mod:`juesuan.core.codes`."""
    entry = CODES[code]
    if entry.family not in RULE_FAMILIES or entry.severity is None:
        raise ValueError(f"{code} is not a rule code")

    def register(fn: Check) -> Rule:
        if code in RULES:
            raise ValueError(f"duplicate rule code {code}")
        r = Rule(code, entry.severity, entry.family, entry.title, entry.doc, fn)
        RULES[code] = r
        return r

    return register


def load_rules() -> dict[str, Rule]:
    for module in _MODULES:
        importlib.import_module(module)
    return RULES


def run_rules(ctx: RuleContext, codes: Iterable[str] | None = None) -> list[Finding]:
    rules = load_rules()
    selected = [rules[c] for c in codes] if codes is not None else list(rules.values())
    findings: list[Finding] = []
    for r in selected:
        findings.extend(r.check(ctx))
    return findings


# -- rounding-aware comparison ---------------------------------------------------------------


def allowed_gap(fig: Figure, stated_places: int = 2) -> Decimal:
    """How far a value stated at ``stated_places`` decimals may be from ``fig`` and still agree:
    the stated value's own rounding plus the rounding its derivation inherited."""
    return Decimal(5) / (Decimal(10) ** (stated_places + 1)) + fig.tolerance


def agrees(stated: Decimal, fig: Figure) -> bool:
    return abs(stated - fig.amount) <= allowed_gap(fig)


def shown(value: Decimal | None) -> Decimal:
    return round2(ZERO if value is None else value)
