"""绩效自评: the PERF-0xx checks of :mod:`juesuan.performance.checks` in the rule catalog.

The self-evaluation is scored once per rule context (``RuleContext.evaluation``, with the
run's inputs such as the district average 人均资产变化率 N; a missing one is reported at
INFO level) and every check reads that result.
"""

from __future__ import annotations

from collections.abc import Iterator

from juesuan.core.findings import Finding
from juesuan.performance.checks import CHECKS, Check
from juesuan.rules.registry import RuleContext, rule


def _register(check: Check) -> None:
    def run(ctx: RuleContext) -> Iterator[Finding]:
        if ctx.ds.evaluation is None:
            return iter(())
        return check.fn(ctx.ds, ctx.figs, ctx.evaluation)

    run.__doc__ = check.fn.__doc__
    run.__name__ = check.fn.__name__
    rule(check.code, check.severity, "performance", check.title)(run)


for _check in CHECKS:
    _register(_check)
