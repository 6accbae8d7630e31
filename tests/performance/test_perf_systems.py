"""Indicator systems are data: a second system scores the seed; bad system files give
located findings, never a traceback."""

from __future__ import annotations

import textwrap
from decimal import Decimal
from pathlib import Path

import pytest
from perf_helpers import SYSTEM_HEAD

from juesuan.core.findings import Severity
from juesuan.performance.checks import run_checks
from juesuan.performance.engine import score_dataset
from juesuan.performance.system_loader import available_systems, load_system, parse_system_text
from juesuan.pipeline import sample_path, validate

D = Decimal


def test_bundled_systems_load_cleanly() -> None:
    assert {"sichuan-2024-department", "common-2020-department"} <= set(available_systems())
    for name in available_systems():
        system, findings = load_system(name)
        assert system is not None and findings == [], [f.render() for f in findings]
        total = sum((i.weight for i in system.indicators() if i.weight is not None), D(0))
        assert total == system.total == 100


def test_second_system_scores_the_seed_from_its_figures() -> None:
    analysis, _ = validate(sample_path("seed"))
    assert analysis is not None
    ds, figs = analysis.dataset, analysis.figures
    result = score_dataset(ds, figs, "common-2020-department")
    assert result.department is not None
    scores = {s.key: s for s in result.department.scores()}
    assert scores["staffing_control"].computed == D(6)  # 13 in post of 14 authorised
    staff = {i.name: i.source for i in scores["staffing_control"].inputs}
    assert staff == {
        k: "dataset" for k in ("staff_admin", "staff_inst", "authorized_admin", "authorized_inst")
    }
    assert scores["sangong_change"].computed == D(6)  # 0.46 vs 0.99: no increase
    sangong = {i.name: i.ref for i in scores["sangong_change"].inputs}
    assert sangong == {
        "sangong": "sangong.final.total",
        "prior_sangong": "prior.sangong.final.total",
    }
    assert scores["budget_completion"].computed == D(6)  # 253.87 of 253.87
    assert scores["budget_adjustment"].computed == D(0)  # 253.87 vs 年初 221.43: 14.65%
    assert "预算调整率 = 14.65%" in scores["budget_adjustment"].steps
    assert scores["carry_over_rate"].computed == D(6)
    assert scores["sangong_control"].computed == D(5)
    assert scores["procurement_execution"].computed == D(6)  # shares the entered procurement_budget
    assert scores["completion_rate"].computed == D(10)
    assert scores["fund_compliance"].computed == D(4)
    # the seed's stated scores belong to the Sichuan system: not compared here
    assert all(s.stated is None for s in scores.values())
    assert result.department.total.stated is None
    # qualitative and manual indicators need entries: reported, total not computed
    missing = {k for k, s in scores.items() if s.computed is None}
    assert missing == {
        "target_reasonable",
        "target_clear",
        "management_rules",
        "disclosure",
        "timeliness",
        "social_benefit",
        "satisfaction",
    }
    assert result.department.total.computed is None
    findings = run_checks(ds, figs, result)
    assert not [f for f in findings if f.severity is Severity.ERROR]
    assert {f.code for f in findings if f.code in ("PERF-001", "PERF-003")} == set()


def test_second_system_with_entries_gives_a_total(tmp_path: Path) -> None:
    text = sample_path("seed").read_text(encoding="utf-8")
    entries = "\n".join(
        f"      {k}: {{level: 达成}}"
        for k in (
            "target_reasonable",
            "target_clear",
            "management_rules",
            "timeliness",
            "social_benefit",
        )
    )
    text = text.replace(
        "      effect: {stated: 5}\n",
        "      effect: {stated: 5}\n"
        + entries
        + "\n      satisfaction: {level: 部分达成}\n"
        + "      disclosure: {score: 4, justification: 按规定时限在门户网站公开预决算}\n",
    )
    path = tmp_path / "seed.yaml"
    path.write_text(text, encoding="utf-8")
    analysis, findings = validate(path)
    assert analysis is not None, findings
    result = score_dataset(analysis.dataset, analysis.figures, "common-2020-department")
    # 100 − 5 (预算调整率) − 4 (满意度 部分达成: 60% of 10)
    assert result.department.total.computed == D("91.00")  # type: ignore[union-attr]


def _system(body: str) -> str:
    return SYSTEM_HEAD + textwrap.indent(textwrap.dedent(body), " " * 10)


def _line(text: str, needle: str) -> int:
    return next(i for i, line in enumerate(text.splitlines(), 1) if needle in line)


BAD = {
    "unknown-field": (
        """\
        - id: x
          name: 甲
          wieght: 3
          rule: {type: manual}
        """,
        "LOAD-102",
        "wieght",
    ),
    "rule-type": (
        """\
        - id: x
          name: 甲
          weight: 3
          rule: {type: magic, expr: a}
        """,
        "PERF-102",
        "type: magic",
    ),
    "formula-name": (
        """\
        - id: x
          name: 甲
          weight: 3
          rule:
            type: formula
            expr: a / nosuch * 3
        """,
        "PERF-103",
        "expr: a / nosuch",
    ),
    "formula-syntax": (
        """\
        - id: x
          name: 甲
          weight: 3
          rule:
            type: formula
            expr: a ** 2
        """,
        "PERF-103",
        "expr: a ** 2",
    ),
    "band-edges": (
        """\
        - id: x
          name: 甲
          weight: 3
          rule:
            type: bands
            value: a
            bands:
              - {lower: 5, upper: 1, score: 3}
        """,
        "PERF-106",
        "{lower: 5, upper: 1",
    ),
    "duplicate-id": (
        """\
        - id: x
          name: 甲
          weight: 3
          rule: {type: manual}
        - id: x
          name: 乙
          weight: 3
          rule: {type: manual}
        """,
        "PERF-105",
        "- id: x#2",
    ),
    "not-a-number": (
        """\
        - id: x
          name: 甲
          weight: 三
          rule: {type: manual}
        """,
        "LOAD-103",
        "weight: 三",
    ),
    "duplicate-key": (
        """\
        - id: x
          name: 甲
          name: 乙
          weight: 3
          rule: {type: manual}
        """,
        "LOAD-008",
        "name: 乙",
    ),
}


@pytest.mark.parametrize("case", sorted(BAD))
def test_bad_system_files_give_located_findings(case: str) -> None:
    body, code, needle = BAD[case]
    text = _system(body)
    system, findings = parse_system_text(text, "bad.yaml")
    assert system is None
    assert code in {f.code for f in findings}, [f.render() for f in findings]
    f = next(f for f in findings if f.code == code)
    assert f.location.file == "bad.yaml"
    needle, _, nth = needle.partition("#")
    lines = [i for i, line in enumerate(text.splitlines(), 1) if needle in line]
    assert f.location.line == lines[int(nth or 1) - 1]
    assert f.message and "Traceback" not in f.message


def test_input_with_two_sources_and_yaml_syntax() -> None:
    text = SYSTEM_HEAD.replace(
        "a: {label: 甲, run: true}", "a: {label: 甲, run: true, figure: income.total}"
    )
    text += "          - {id: x, name: 甲, weight: 3, rule: {type: formula, expr: a}}\n"
    system, findings = parse_system_text(text, "bad.yaml")
    [f] = findings
    assert f.code == "PERF-104" and f.location.line == _line(text, "a: {label: 甲")
    system, findings = parse_system_text("groups: [unclosed\n", "broken.yaml")
    assert system is None and findings[0].code == "LOAD-005" and findings[0].location.line


def test_missing_system_file(tmp_path: Path) -> None:
    system, findings = load_system("no-such-system")
    assert system is None and findings[0].code == "PERF-101"
    assert "sichuan-2024-department" in findings[0].message
    bad = tmp_path / "s.yaml"
    bad.write_bytes(b"\xff\xfe\x00bad")
    system, findings = load_system(bad)
    assert system is None and findings[0].code == "LOAD-003"
    analysis, _ = validate(sample_path("seed"))
    assert analysis is not None
    result = score_dataset(analysis.dataset, analysis.figures, "no-such-system")
    assert result.department is None
    assert [f.code for f in result.findings] == ["PERF-008", "PERF-101"]
    assert result.findings[0].location.line  # the data's evaluation.department.system line


def test_data_names_its_own_system_file_and_typos_are_reported(tmp_path: Path) -> None:
    system_text = (
        Path(load_system("sichuan-2024-department")[0].origin or "").read_text(encoding="utf-8")  # type: ignore[union-attr]
    ).replace("id: sichuan-2024-department", "id: my-system")
    (tmp_path / "my-system.yaml").write_text(system_text, encoding="utf-8")
    text = sample_path("seed").read_text(encoding="utf-8")
    text = text.replace("system: sichuan-2024-department", "system: my-system.yaml")
    text = text.replace(
        "      effect: {stated: 5}\n", "      effect: {stated: 5}\n      efect: {stated: 5}\n"
    )
    text = text.replace(
        "      targets_total:", "      targets_totl: {value: 5}\n      targets_total:"
    )
    path = tmp_path / "data.yaml"
    path.write_text(text, encoding="utf-8")
    analysis, _ = validate(path)
    assert analysis is not None
    result = score_dataset(analysis.dataset, analysis.figures)
    assert result.system is not None and result.system.id == "my-system"
    typos = {f.message.split("」")[0].split("「")[-1]: f for f in result.findings}
    assert set(typos) == {"efect", "targets_totl"}
    lines = text.splitlines()
    assert typos["efect"].location.line == lines.index("      efect: {stated: 5}") + 1
