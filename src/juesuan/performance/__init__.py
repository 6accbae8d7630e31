"""预算绩效自评: indicator systems as data, scores with traces.

Public API (imported lazily: :mod:`juesuan.model.dataset` imports :mod:`.model` from here)::

    score_dataset(ds, figs, system=None, run_inputs=None) -> EvaluationResult
    run_checks(ds, figs, result) -> list[Finding]            # PERF-001 … PERF-009
    evaluation_tables(ds, figs, run_inputs=None) -> list[Table]  # 附表1, 附表2 …
    load_system(name_or_path) -> (IndicatorSystem | None, list[Finding])
    available_systems() -> list[str]

Modules: ``system`` (schema of a system file), ``system_loader`` (file:line findings),
``expr`` (safe Decimal formulas on simpleeval), ``inputs`` (where each input comes from),
``rules`` (the rule types), ``department`` / ``project`` (scoring), ``engine`` (a dataset's
whole self-evaluation), ``checks`` (consistency findings), ``report`` (document tables),
``render`` (text/JSON for the CLI), ``model`` (the dataset's ``evaluation:`` block).
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

_EXPORTS = {
    "score_dataset": "juesuan.performance.engine",
    "EvaluationResult": "juesuan.performance.engine",
    "run_checks": "juesuan.performance.checks",
    "evaluation_tables": "juesuan.performance.report",
    "load_system": "juesuan.performance.system_loader",
    "available_systems": "juesuan.performance.system_loader",
    "IndicatorSystem": "juesuan.performance.system",
    "Evaluation": "juesuan.performance.model",
    "Score": "juesuan.performance.trace",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'juesuan.performance' has no attribute {name!r}")
    return getattr(import_module(module), name)
