"""绩效自评: the PERF-0xx checks of :mod:`juesuan.performance.checks` in the rule catalog.

The self-evaluation is scored once per rule context (``RuleContext.evaluation``, with the
run's inputs such as the district average 人均资产变化率 N; a missing one is reported at
INFO level) and every check reads that result.

The rules are registered from the code catalog's ``performance`` family (the same codes, in
the same order, as :data:`juesuan.performance.checks.CHECKS`; ``tests/rules`` checks it), and
the checks are imported when a dataset has a self-evaluation to check: a dataset without one
(every document ``juesuan check`` recovers) does not import the scoring engine.
"""

from __future__ import annotations

from collections.abc import Iterator

from juesuan.core.codes import CODES
from juesuan.core.findings import Finding
from juesuan.rules.registry import RuleContext, rule

FAMILY = "performance"


def _register(code: str) -> None:
    def run(ctx: RuleContext) -> Iterator[Finding]:
        if ctx.ds.evaluation is None:
            return iter(())
        from juesuan.performance.checks import CHECKS

        return dict(CHECKS)[code](ctx.ds, ctx.figs, ctx.evaluation)

    rule(code)(run)


for _code, _entry in CODES.items():
    if _entry.family == FAMILY and _entry.severity is not None:
        _register(_code)
