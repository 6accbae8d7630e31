"""Synthetic departments: valid by construction, deterministic, varied, errors when asked."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from juesuan.core.findings import Severity
from juesuan.pipeline import validate
from juesuan.synth import PLANTED_ERRORS, SynthOptions, synth_dataset, write_synth
from juesuan.synth.generate import dump, planted_kinds


@pytest.mark.parametrize("seed", [0, 11])
def test_synthetic_departments_validate_without_errors(seed: int, tmp_path: Path) -> None:
    paths = list(write_synth(SynthOptions(count=8, seed=seed), tmp_path))
    totals = set()
    for path in paths:
        analysis, findings = validate(path)
        errors = [f"{f.code} {f.message}" for f in findings if f.severity is Severity.ERROR]
        assert analysis is not None and not errors, (path.name, errors)
        ds = analysis.dataset
        assert ds.evaluation is not None and ds.evaluation.department.total is not None
        assert ds.performance.department_score == ds.evaluation.department.total
        totals.add(analysis.figures.value("expenditure.total"))
    assert len(totals) == 8  # varied sizes


def test_planted_errors_are_errors(tmp_path: Path) -> None:
    options = SynthOptions(count=8, seed=5, errors=4)
    kinds = planted_kinds(options)
    assert sorted(kinds.values()) == sorted(PLANTED_ERRORS)
    paths = list(write_synth(options, tmp_path))
    for index, path in enumerate(paths):
        _, findings = validate(path)
        has_errors = any(f.severity is Severity.ERROR for f in findings)
        assert has_errors == (index in kinds), path.name


def test_deterministic_and_independent_of_count() -> None:
    assert dump(synth_dataset(3, seed=9)) == dump(synth_dataset(3, seed=9))
    assert dump(synth_dataset(3, seed=9)) != dump(synth_dataset(3, seed=10))
    names = {synth_dataset(i, seed=1)["department"]["name"] for i in range(70)}
    assert len(names) == 70  # unique department names in one region


def test_cli_sample_synth(tmp_path: Path) -> None:
    from juesuan.cli.app import app

    out = tmp_path / "depts"
    res = CliRunner().invoke(
        app, ["sample", "synth", "--count", "3", "--seed", "2", "--errors", "1", "-o", str(out)]
    )
    assert res.exit_code == 0, res.output
    assert sorted(p.name for p in out.iterdir()) == [
        "dept-0001.yaml",
        "dept-0002.yaml",
        "dept-0003.yaml",
    ]
    assert "植入错误：dept-0002.yaml" in res.output
