"""Batch runs in-process (``workers=0``): inputs, failed rows, summaries, resume."""

from __future__ import annotations

import csv
import io
import json
import shutil
from functools import partial
from pathlib import Path

import pytest
from batch_helpers import (
    deterministic,
    interrupt_after,
    make_synth_dir,
    slow_check,
    write_documents,
)

from juesuan.batch import BatchOptions, run_batch
from juesuan.batch.inputs import discover

synth_dir = pytest.fixture(scope="session", name="synth_dir")(make_synth_dir)


def _rows(out: Path) -> dict[str, dict]:
    payload = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    return {Path(r["input"]).name: r for r in payload["items"]}


@pytest.fixture
def mixed(tmp_path: Path, synth_dir: Path) -> Path:
    """Synthetic departments plus hostile inputs: YAML syntax error, binary junk, an empty
    file, and a workbook that is not one."""
    d = tmp_path / "in"
    shutil.copytree(synth_dir, d)
    (d / "broken.yaml").write_text("juesuan: 1\nunit: [万元\n", encoding="utf-8")
    (d / "junk.yaml").write_bytes(b"\x00\x01\xff" * 100)
    (d / "empty.yml").write_bytes(b"")
    (d / "fake.xlsx").write_bytes(b"PK not a zip")
    (d / "notes.docx").write_bytes(b"ignored: not a dataset")
    return d


def test_bad_inputs_become_failed_rows(mixed: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    missing = str(tmp_path / "nowhere.yaml")
    report = run_batch([str(mixed), missing], out, BatchOptions("validate"), workers=0)
    rows = _rows(out)
    assert report.total == 11 == len(rows)  # 6 synthetic + 4 hostile + 1 missing; .docx skipped
    for name in ("broken.yaml", "junk.yaml", "empty.yml", "fake.xlsx", "nowhere.yaml"):
        assert rows[name]["status"] == "failed", name
        assert rows[name]["reason"], name
    assert "不存在" in rows["nowhere.yaml"]["reason"]
    assert "LOAD-005" in rows["broken.yaml"]["reason"]
    statuses = [rows[f"dept-000{i}.yaml"]["status"] for i in range(1, 7)]
    assert statuses.count("findings") == 2 and statuses.count("ok") == 4
    assert (report.ok, report.findings, report.failed) == (4, 2, 5)
    ok = next(r for r in rows.values() if r["status"] == "ok")
    assert ok["department"] and ok["year"] == 2024 and ok["errors"] == 0
    assert ok["files"] == ["findings.json"]
    assert (out / ok["dir"] / "findings.json").is_file()


def test_summary_files_agree(mixed: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    run_batch([str(mixed)], out, BatchOptions("validate"), workers=0)
    rows = list(csv.reader((out / "summary.csv").open(encoding="utf-8")))
    header, body = rows[0], rows[1:]
    assert header[0] == "输入文件" and header[-1] == "用时（秒）"
    payload = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert [r[0] for r in body] == [r["input"] for r in payload["items"]]
    assert [r[0] for r in body] == sorted(r[0] for r in body)
    assert payload["status"] == {"ok": 4, "findings": 2, "failed": 4}
    html = (out / "summary.html").read_text(encoding="utf-8")
    assert "通过 4" in html and "失败 4" in html and html.count("<tr class=") == 10


def test_list_file_and_duplicates(synth_dir: Path, tmp_path: Path) -> None:
    listing = tmp_path / "depts.lst"
    names = sorted(p.name for p in synth_dir.glob("*.yaml"))[:3]
    listing.write_text("# 三个部门\n" + "\n".join(str(synth_dir / n) for n in names) + "\n")
    items, missing = discover([str(listing), str(synth_dir / names[0]), f"@{listing}"], "validate")
    assert [Path(i.display).name for i in items] == names and not missing


def test_build_writes_each_department_and_refuses_errors(synth_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    run_batch([str(synth_dir)], out, BatchOptions("build", formats=("json", "md")), workers=0)
    rows = _rows(out)
    ok = [r for r in rows.values() if r["status"] == "ok"]
    bad = [r for r in rows.values() if r["status"] == "findings"]
    assert len(ok) == 4 and len(bad) == 2
    for r in ok:
        assert sorted(Path(f).suffix for f in r["files"]) == [".json", ".json", ".md"]
        for f in r["files"]:
            assert (out / r["dir"] / f).stat().st_size > 0
    for r in bad:
        assert r["files"] == ["findings.json"] and "未生成" in r["reason"]


def test_resume_after_interruption(synth_dir: Path, tmp_path: Path) -> None:
    options = BatchOptions("build", formats=("json", "md"))
    whole = tmp_path / "whole"
    run_batch([str(synth_dir)], whole, options, workers=0)

    out = tmp_path / "out"
    with pytest.raises(KeyboardInterrupt):
        run_batch([str(synth_dir)], out, options, workers=0, task=partial(interrupt_after, [0], 4))
    assert not (out / "summary.json").exists()
    assert len(list((out / ".batch" / "build").glob("*.json"))) == 4
    report = run_batch([str(synth_dir)], out, options, workers=0)
    assert report.skipped == 4 and report.total == 6
    assert deterministic(out) == deterministic(whole)
    again = run_batch([str(synth_dir)], out, options, workers=0)
    assert again.skipped == 6


def test_resume_notices_changed_input_and_options(synth_dir: Path, tmp_path: Path) -> None:
    src = tmp_path / "in"
    shutil.copytree(synth_dir, src)
    out = tmp_path / "out"
    run_batch([str(src)], out, BatchOptions("validate"), workers=0)
    target = src / "dept-0001.yaml"
    target.write_text(target.read_text(encoding="utf-8") + "\n# 修改\n", encoding="utf-8")
    assert run_batch([str(src)], out, BatchOptions("validate"), workers=0).skipped == 5
    other = BatchOptions("validate", run_inputs={"N": __import__("decimal").Decimal("-4")})
    assert run_batch([str(src)], out, other, workers=0).skipped == 0


def test_missing_artifact_is_rebuilt(synth_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    options = BatchOptions("build", formats=("json",))
    run_batch([str(synth_dir)], out, options, workers=0)
    row = next(r for r in _rows(out).values() if r["status"] == "ok")
    (out / row["dir"] / row["files"][-1]).unlink()
    assert run_batch([str(synth_dir)], out, options, workers=0).skipped == 5
    assert (out / row["dir"] / row["files"][-1]).is_file()


def test_check_batch_on_built_documents(synth_dir: Path, tmp_path: Path) -> None:
    built = tmp_path / "built"
    run_batch([str(synth_dir)], built, BatchOptions("build", formats=("md",)), workers=0)
    garbage = tmp_path / "garbage.txt"
    garbage.write_bytes(b"\xff\xfe\x00junk")
    dirs = [str(p) for p in built.iterdir() if p.is_dir() and not p.name.startswith(".")]
    out = tmp_path / "checked"
    report = run_batch([*dirs, str(garbage)], out, BatchOptions("check"), workers=0)
    rows = _rows(out)
    assert report.total == 5
    mds = [r for name, r in rows.items() if name.endswith(".md")]
    assert len(mds) == 4 and all(r["year"] == 2024 for r in mds)
    assert all(r["status"] != "failed" for r in mds)
    assert rows["garbage.txt"]["status"] == "failed" and rows["garbage.txt"]["reason"]
    for r in mds:
        assert {"check.json", "check.html"} <= set(r["files"])


def test_check_in_process_has_a_time_budget(tmp_path: Path) -> None:
    docs = write_documents(tmp_path / "docs", ["a.txt", "stuck.txt"])
    out = tmp_path / "out"
    options = BatchOptions("check", timeout=10)
    run_batch(docs, out, options, workers=0, task=partial(slow_check, "stuck.txt"))
    rows = _rows(out)
    assert rows["stuck.txt"]["status"] == "failed"
    assert rows["stuck.txt"]["reason"].startswith("超时")
    assert rows["a.txt"]["status"] != "failed"


def test_cli_batch_validate(synth_dir: Path, tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from juesuan.cli.app import app

    out = tmp_path / "out"
    runner = CliRunner()
    res = runner.invoke(
        app, ["batch", "validate", str(synth_dir), "-o", str(out), "--workers", "0"]
    )
    assert res.exit_code == 1  # two departments have errors
    assert "共6项：通过4项，有错误2项，失败0项" in res.output
    assert "█" not in res.output  # no progress bar when not on a terminal
    res = runner.invoke(
        app, ["batch", "build", str(synth_dir), "-o", str(out), "--format", "pdf,exe"]
    )
    assert res.exit_code == 2 and "exe" in res.output
    res = runner.invoke(app, ["batch", "check", str(synth_dir), "-o", str(out)])
    assert res.exit_code == 2 and "没有找到可处理的输入" in res.output
    doc = tmp_path / "a.md"
    doc.write_text("# 部门决算\n", encoding="utf-8")
    res = runner.invoke(
        app, ["batch", "check", str(doc), "-o", str(out), "--scheduler", "http://x"]
    )
    assert res.exit_code == 2 and "调度器" in res.output


def test_progress_bar_on_a_terminal() -> None:
    from juesuan.batch.progress import Progress

    buf = io.StringIO()
    bar = Progress(4, buf, enabled=True)
    bar.advance(3, 1)
    bar.advance(1, 0)
    bar.close()
    assert "4/4 失败 1" in buf.getvalue() and "项/秒" in buf.getvalue()
    quiet = io.StringIO()
    Progress(4, quiet).advance(4, 0)  # StringIO is not a terminal
    assert quiet.getvalue() == ""


def test_cli_check_timeout_default_is_the_library_default() -> None:
    from juesuan.check.limits import TIME_BUDGET
    from juesuan.cli import batch as cli_batch

    assert cli_batch.CHECK_SECONDS == TIME_BUDGET == BatchOptions("check").timeout
