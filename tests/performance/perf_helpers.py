"""Helpers for the performance tests: small systems and datasets built from YAML text."""

from __future__ import annotations

import textwrap
from decimal import Decimal

from conftest import BASE, run
from juesuan.core.figures import FigureSet
from juesuan.model.dataset import Dataset
from juesuan.performance.department import score_department
from juesuan.performance.system import IndicatorSystem
from juesuan.performance.system_loader import parse_system_text
from juesuan.performance.trace import Score

SYSTEM_HEAD = textwrap.dedent("""\
    system: 1
    id: test-system
    title: 测试指标体系
    inputs:
      a: {label: 甲, run: true}
      b: {label: 乙, run: true}
      Y: {label: 变化率Y, unit: "%", run: true}
      N: {label: 平均值N, unit: "%", run: true}
      target: {label: 指标值, run: true}
      actual: {label: 完成值, run: true}
      cut1: {label: 年初预算压减率, unit: "%", run: true}
      cut2: {label: 预算执行压减率, unit: "%", run: true}
      issues: {label: 问题个数, unit: 个, run: true}
      entered_x: {label: 录入值, unit: 万元}
    groups:
      - name: 测试
        weight: 100
        indicators:
    """)


def system(indicators: str) -> IndicatorSystem:
    """A system whose single group holds ``indicators`` (YAML list items, unindented)."""
    body = textwrap.indent(textwrap.dedent(indicators), " " * 10)
    found, findings = parse_system_text(SYSTEM_HEAD + body, "test-system.yaml")
    assert found is not None, [f.render() for f in findings]
    return found


def dataset(evaluation: str = "") -> tuple[Dataset, FigureSet]:
    """The consistent base dataset of the rule tests, with an ``evaluation:`` block."""
    text = BASE + (textwrap.dedent(evaluation) if evaluation else "")
    analysis, findings = run(text)
    assert analysis is not None, [f.render() for f in findings]
    return analysis.dataset, analysis.figures


def score(sys_: IndicatorSystem, evaluation: str = "", **run_inputs: str) -> list[Score]:
    ds, figs = dataset(evaluation)
    inputs = {k: Decimal(v) for k, v in run_inputs.items()}
    return score_department(sys_, ds, figs, inputs).scores()


def one(sys_: IndicatorSystem, evaluation: str = "", **run_inputs: str) -> Score:
    [s] = score(sys_, evaluation, **run_inputs)
    return s
