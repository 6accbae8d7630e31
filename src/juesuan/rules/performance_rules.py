"""绩效自评: the PERF-0xx checks of :mod:`juesuan.performance.checks` in the rule catalog.

The self-evaluation is scored once per rule context (``RuleContext.evaluation``, with the
run's inputs such as the district average 人均资产变化率 N; a missing one is reported at
INFO level) and every check reads that result.
"""

from __future__ import annotations

from collections.abc import Iterator

from juesuan.core.findings import Finding
from juesuan.performance.checks import CHECKS, CheckFn
from juesuan.rules.registry import RuleContext, rule


def _register(code: str, fn: CheckFn) -> None:
    def run(ctx: RuleContext) -> Iterator[Finding]:
        if ctx.ds.evaluation is None:
            return iter(())
        return fn(ctx.ds, ctx.figs, ctx.evaluation)

    run.__name__ = fn.__name__
    rule(code)(run)


for _code, _fn in CHECKS:
    _register(_code, _fn)
