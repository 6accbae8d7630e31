"""Shared fixtures: a small consistent dataset as YAML text, and a helper to analyse it."""

from __future__ import annotations

import os
import textwrap
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

# Charts are drawn in every test run, never taken from a cache of earlier runs.
os.environ["JUESUAN_CACHE_DIR"] = "off"

from juesuan.core.findings import Finding
from juesuan.io.yaml_loader import parse_yaml_text
from juesuan.pipeline import FORMATS, Analysis, analyse, sample_path, validate, write_outputs

# Shared, loaded CI machines: no per-example deadline, and slow input generation is not a failure
# (the number of examples each test asks for is unchanged).
settings.register_profile(
    "juesuan",
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
# CI (``.ci/run`` sets JUESUAN_HYPOTHESIS=ci): the same examples on every run, so that a red CI
# is a change's doing; local runs keep exploring new examples (and replay failures they found).
settings.register_profile("juesuan-ci", parent=settings.get_profile("juesuan"), derandomize=True)
settings.load_profile("juesuan-ci" if os.environ.get("JUESUAN_HYPOTHESIS") == "ci" else "juesuan")

BASE = textwrap.dedent("""\
    juesuan: 1
    profile: sichuan-2024
    unit: 万元
    department:
      name: 测试部门
      short_name: 测试办
      region: 四川省某区
      year: 2024
      duties: [负责测试工作。]
    income:
      general_budget: 120.00
    balances:
      opening: {total: 0}
      closing: {total: 0}
    functional:
      - code: "2013101"
        name: 行政运行
        general_budget: {adjusted_budget: 100.00, basic: 100.00}
      - code: "2080505"
        name: 机关事业单位基本养老保险缴费支出
        general_budget: {adjusted_budget: 20.00, basic: 20.00}
    basic_by_economic:
      - {code: "30101", name: 基本工资, amount: 90.00}
      - {code: "30108", name: 机关事业单位基本养老保险缴费, amount: 20.00}
      - {code: "30201", name: 办公费, amount: 10.00}
    office_operation: 10.00
    prior_year:
      grand_total: 120.00
      appropriation_grand_total: 120.00
      general_budget_expenditure: 120.00
      sangong: {outbound: 0, vehicle_purchase: 0, vehicle_operation: 0, reception: 0}
      office_operation: 10.00
    stated:
      - {figure: expenditure.total, value: 120.00, table: 支出决算表, row: 合计, column: 本年支出合计}
      - {figure: func.201.expenditure.total, value: 100.00, table: 支出决算表, row: 一般公共服务支出, column: 本年支出合计}
    """)


def run(text: str, origin: str = "test.yaml") -> tuple[Analysis | None, list[Finding]]:
    ds, findings = parse_yaml_text(text, origin)
    if ds is None:
        return None, findings
    analysis, more = analyse(ds)
    return analysis, findings + more


def codes(findings: list[Finding], severity: str | None = None) -> set[str]:
    return {f.code for f in findings if severity is None or f.severity.value == severity}


@pytest.fixture
def base_text() -> str:
    return BASE


@pytest.fixture(scope="session")
def built(tmp_path_factory) -> dict[tuple[str, str], Path]:
    """Both bundled samples built once per test session in every format: (sample, format) → file.

    Read-only: a test that edits a document copies it first."""
    out: dict[tuple[str, str], Path] = {}
    for name in ("seed", "putuo"):
        analysis, _ = validate(sample_path(name))
        assert analysis is not None
        for p in write_outputs(analysis, tmp_path_factory.mktemp(f"built-{name}"), FORMATS):
            out[(name, p.suffix[1:])] = p
    return out


@pytest.fixture(scope="session")
def seed_docx(built: dict[tuple[str, str], Path]) -> Path:
    return built[("seed", "docx")]


@pytest.fixture(scope="session")
def seed_pdf(built: dict[tuple[str, str], Path]) -> bytes:
    """The seed sample as PDF (tests/document layout and visual tests)."""
    return built[("seed", "pdf")].read_bytes()


@pytest.fixture(scope="session")
def putuo_pdf(built: dict[tuple[str, str], Path]) -> bytes:
    return built[("putuo", "pdf")].read_bytes()
