"""CLI: builds the sample, validates, and never shows a traceback for bad input."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from conftest import BASE
from juesuan.cli.app import app

runner = CliRunner()


def invoke(*args: str):
    return runner.invoke(app, list(args))


def test_build_seed_sample(tmp_path: Path) -> None:
    result = invoke("build", "--sample", "seed", "-o", str(tmp_path))
    assert result.exit_code == 0, result.output
    names = sorted(p.suffix for p in tmp_path.iterdir())
    assert names == [".docx", ".html", ".json", ".md", ".pdf", ".xlsx"]
    assert next(tmp_path.glob("*.pdf")).read_bytes().startswith(b"%PDF")
    md = next(tmp_path.glob("*.md")).read_text(encoding="utf-8")
    assert "2024年度收入、支出总计均为253.87万元" in md
    html = next(tmp_path.glob("*.html")).read_text(encoding="utf-8")
    assert 'data-fig="income.grand_total">253.87<' in html
    data = json.loads(next(tmp_path.glob("*.json")).read_text(encoding="utf-8"))
    figs = {f["id"]: f for f in data["figures"]}
    assert figs["func.201.general_budget.total.share"]["value"] == "80.57"
    assert figs["expenditure.total"]["formula"] == "sum"


def test_build_is_deterministic(tmp_path: Path) -> None:
    for d in ("a", "b"):
        result = invoke(
            "build",
            "--sample",
            "seed",
            "-o",
            str(tmp_path / d),
            "--format",
            "docx,xlsx,json,html,md",
        )
        assert result.exit_code == 0
    for f in (tmp_path / "a").iterdir():
        assert f.read_bytes() == (tmp_path / "b" / f.name).read_bytes()


def test_validate_seed_clean_and_putuo_reports_its_326_inconsistency() -> None:
    assert invoke("validate", "--sample", "seed").exit_code == 0
    result = invoke("validate", "--sample", "putuo", "--json")
    assert result.exit_code == 1
    findings = json.loads(result.stdout)
    errors = [f for f in findings if f["severity"] == "error"]
    assert {f["code"] for f in errors} == {"TOT-002"}
    assert all("326.71" in f["message"] and "326.72" in f["message"] for f in errors)
    # the narrative's totals that contradict their own parts are named, with both values
    warned = {
        (f["code"], f.get("stated"), f.get("expected"))
        for f in findings
        if f["severity"] == "warning"
    }
    assert ("TOT-001", "251.25", "251.26") in warned  # 政府采购 total vs 4.79 + 0 + 246.47
    assert ("TOT-001", "2993.92", "2993.93") in warned  # 年初预算 total vs its 项 lines


def test_build_refuses_data_with_errors_unless_forced(tmp_path: Path) -> None:
    result = invoke("build", "--sample", "putuo", "-o", str(tmp_path / "x"))
    assert result.exit_code == 1
    assert "未生成文件" in result.output
    assert not (tmp_path / "x").exists()
    assert invoke("build", "--sample", "putuo", "-o", str(tmp_path / "y"), "--force").exit_code == 0


BAD_INPUTS = {
    "empty.yaml": b"",
    "binary.yaml": bytes(range(256)) * 4,
    "broken.yaml": b"department: [unclosed\n",
    "list.yaml": b"- a\n- b\n",
    "text-number.yaml": BASE.replace("basic: 100.00", "basic: 一百").encode(),
    "negative.yaml": BASE.replace("basic: 100.00", "basic: -100.00").encode(),
    "bad-code.yaml": BASE.replace('"2013101"', '"201310"').encode(),
    "wrong-unit.yaml": BASE.replace("unit: 万元", "unit: 千元").encode(),
    "unknown-key.yaml": BASE.replace("  short_name:", "  shortname:").encode(),
    "missing-part.yaml": BASE.replace("department:\n  name: 测试部门\n", "department:\n").encode(),
    "unknown-profile.yaml": BASE.replace("profile: sichuan-2024", "profile: hainan-2030").encode(),
    "totals.yaml": BASE.replace("value: 120.00, table", "value: 130.00, table").encode(),
    "duplicate.yaml": BASE.replace(
        '  - {code: "30201", name: 办公费, amount: 10.00}',
        '  - {code: "30201", name: 办公费, amount: 5.00}\n'
        '  - {code: "30201", name: 办公费, amount: 5.00}',
    ).encode(),
    "name-mismatch-and-total.yaml": BASE.replace("name: 行政运行", "name: 行政运转")
    .replace("value: 100.00, table", "value: 90.00, table")
    .encode(),
}


@pytest.mark.parametrize("name", sorted(BAD_INPUTS))
def test_bad_input_gives_located_chinese_messages(name: str, tmp_path: Path) -> None:
    path = tmp_path / name
    path.write_bytes(BAD_INPUTS[name])
    for command in ("validate", "build"):
        proc = subprocess.run(
            [sys.executable, "-m", "juesuan", command, str(path), "-o", str(tmp_path / "o")]
            if command == "build"
            else [sys.executable, "-m", "juesuan", command, str(path)],
            capture_output=True,
            text=True,
            timeout=120,
        )
        out = proc.stdout + proc.stderr
        assert proc.returncode != 0, out
        assert "Traceback" not in out
        assert "[错误]" in out
        assert str(path) in out  # every message names the file (and line where there is one)
    assert not (tmp_path / "o").exists()


def test_missing_file_and_directory(tmp_path: Path) -> None:
    for target in (tmp_path / "nope.yaml", tmp_path):
        result = invoke("validate", str(target))
        assert result.exit_code == 1
        assert "[错误]" in result.output


def test_unknown_sample_and_format(tmp_path: Path) -> None:
    assert invoke("validate", "--sample", "nope").exit_code == 2
    result = invoke("build", "--sample", "seed", "--format", "pdfx", "-o", str(tmp_path))
    assert result.exit_code == 2 and "pdfx" in result.output


def test_figures_command_shows_formula_and_source() -> None:
    result = invoke("figures", "--sample", "seed", "--prefix", "func.2013101.general_budget.basic")
    assert result.exit_code == 0
    assert "seed-2024.yaml:" in result.output


def test_sample_command_does_not_overwrite(tmp_path: Path) -> None:
    out = tmp_path / "mine.yaml"
    assert invoke("sample", "seed", "-o", str(out)).exit_code == 0
    assert invoke("sample", "seed", "-o", str(out)).exit_code == 2
