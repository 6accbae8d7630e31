"""CLI: builds the sample, validates, and never shows a traceback for bad input."""

from __future__ import annotations

import json
import re
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
    for args in (("validate", str(path)), ("build", str(path), "-o", str(tmp_path / "o"))):
        result = invoke(*args)
        out = result.output
        assert result.exit_code not in (0, None), out
        assert result.exception is None or isinstance(result.exception, SystemExit), out
        assert "Traceback" not in out
        assert "[错误]" in out
        assert str(path) in out  # every message names the file (and line where there is one)
    assert not (tmp_path / "o").exists()


def test_bad_input_through_the_real_process(tmp_path: Path) -> None:
    """The same through ``python -m juesuan``: exit codes and no traceback across the process."""
    path = tmp_path / "negative.yaml"
    path.write_bytes(BAD_INPUTS["negative.yaml"])
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
        assert proc.returncode == 1, out
        assert "Traceback" not in out and "[错误]" in out and str(path) in out
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


ENGLISH_BOILERPLATE = re.compile(
    r"Usage:|Options|Arguments|Commands|Show this message|Try '|Error:|No such|Missing|"
    r"Possible options|\[default|\[required|Invalid value|OPTIONS|Input should"
)


@pytest.mark.parametrize(
    "args",
    [
        ["--help"],
        ["build", "--help"],
        ["catalog", "--help"],
        ["build", "--bogus"],
        ["sample"],
        ["sample", "synth", "-o", "x", "--count", "abc"],
        ["sample", "synth", "-o", "x", "--count", "0"],
        ["no-such-command"],
        ["figures", "--prefix"],
    ],
)
def test_cli_own_words_are_chinese(args: list[str]) -> None:
    result = runner.invoke(app, args)
    text = result.output + (result.stderr if result.stderr_bytes is not None else "")
    assert not ENGLISH_BOILERPLATE.search(text), text
    assert "用法：" in text or "错误：" in text


@pytest.mark.parametrize(
    ("name", "forceable"),
    [
        ("missing", False),
        ("broken.yaml", False),
        ("text-number.yaml", False),
        ("totals.yaml", True),
    ],
)
def test_force_is_suggested_only_where_it_helps(name: str, forceable: bool, tmp_path: Path) -> None:
    path = tmp_path / name
    if name in BAD_INPUTS:
        path.write_bytes(BAD_INPUTS[name])
    result = invoke("build", str(path), "-o", str(tmp_path / "o"))
    assert result.exit_code == 1
    assert "未生成文件" in result.output
    assert ("--force" in result.output) is forceable, result.output


IDENTIFIER = re.compile(r"[A-Za-z_]+\.[A-Za-z_0-9]+|[（(][a-z_]+[)）]")


def test_messages_name_things_in_chinese(tmp_path: Path) -> None:
    from juesuan.pipeline import sample_path, validate

    paths = [sample_path("seed"), sample_path("putuo")]
    for name, data in BAD_INPUTS.items():
        (tmp_path / name).write_bytes(data)
        paths.append(tmp_path / name)
    seen = 0
    for path in paths:
        for f in validate(path)[1]:
            seen += 1
            text = f.message.replace(str(path), "")  # the user's own file name may be anything
            assert not IDENTIFIER.search(text), (path.name, f.code, f.message)
    assert seen > len(paths)


def test_field_label_is_chinese() -> None:
    from juesuan.io.validation_messages import field_label

    assert field_label("prior_year.appropriation_grand_total") == "上年数／财政拨款收入、支出总计"
    assert field_label("functional.0.gap_reason").startswith("支出功能分类第1项／")


def test_figures_show_chinese_labels() -> None:
    result = invoke("figures", "--sample", "seed")
    assert result.exit_code == 0
    lines = [line for line in result.output.splitlines() if " = " in line or "）=" in line]
    assert len(lines) > 100
    for line in lines:
        fid, _, label = line.partition("（")
        assert re.fullmatch(r"[A-Za-z0-9_.]+", fid), line
        assert re.match(r"[^=]*[\u4e00-\u9fff][^=]*）=", label), line
    assert any(line.startswith("func.2013101.general_budget.total（行政运行") for line in lines)


def test_quick_start_summarises_the_samples_own_inconsistencies(tmp_path: Path) -> None:
    from juesuan.pipeline import sample_path

    result = invoke("build", "--sample", "seed", "-o", str(tmp_path / "a"), "--format", "md")
    assert result.exit_code == 0, result.output
    assert "[警告]" not in result.output and "seed-2024.yaml" not in result.output
    summary = [line for line in result.output.splitlines() if "样例含原文件的" in line]
    assert len(summary) == 1
    assert re.search(
        r"样例含原文件的 [1-9]\d* 处不一致.*juesuan validate --sample seed", summary[0]
    )
    # the same data as the user's own file: every finding is shown
    own = tmp_path / "mine.yaml"
    own.write_bytes(sample_path("seed").read_bytes())
    result = invoke("build", str(own), "-o", str(tmp_path / "b"), "--format", "md")
    assert result.exit_code == 0, result.output
    assert "样例含原文件的" not in result.output
    assert result.output.count("[警告]") >= 2


def test_workbook_findings_name_sheet_and_cell(tmp_path: Path) -> None:
    from juesuan.pipeline import sample_path, validate

    book = tmp_path / "putuo.xlsx"
    assert invoke("convert", str(sample_path("putuo")), str(book)).exit_code == 0
    findings = validate(book)[1]
    assert findings
    for f in findings:
        assert not IDENTIFIER.search(f.message.replace(str(book), "")), (f.code, f.message)
    missing_prior = [f for f in findings if f.code == "NAR-003"]
    assert missing_prior and all(f.location.sheet and f.location.cell for f in missing_prior)
    assert re.search(r"[^!；]+![A-Z]+\d+", missing_prior[0].render())
