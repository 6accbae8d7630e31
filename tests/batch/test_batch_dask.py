"""Batch runs on real Dask clusters: a local one of 1 and 2 worker processes, a worker killed
mid-batch, and a scheduler plus workers started as separate processes on 127.0.0.1."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
from collections.abc import Iterator
from functools import partial
from pathlib import Path

import pytest
from batch_helpers import (
    always_kill,
    deterministic,
    kill_worker_once,
    make_synth_dir,
    note_warm,
    slow_check,
    write_documents,
)

from juesuan.batch import BatchOptions, run_batch

synth_dir = pytest.fixture(scope="session", name="synth_dir")(make_synth_dir)

BUILD = BatchOptions("build", formats=("json", "md", "xlsx", "html"))


def _rows(out: Path) -> dict[str, dict]:
    payload = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    return {Path(r["input"]).name: r for r in payload["items"]}


@pytest.fixture(scope="module")
def one_worker_build(synth_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("one")
    run_batch([str(synth_dir)], out, BUILD, workers=1)
    return out


def test_same_bytes_with_one_and_two_workers(
    synth_dir: Path, one_worker_build: Path, tmp_path: Path
) -> None:
    two = tmp_path / "two"
    report = run_batch([str(synth_dir)], two, BUILD, workers=2)
    assert "2 个工作进程" in report.engine
    assert (report.ok, report.findings, report.failed) == (4, 2, 0)
    a, b = deterministic(one_worker_build), deterministic(two)
    assert sorted(a) == sorted(b)
    assert len([n for n in a if n.endswith(".html") and "/" in n]) == 4
    for name in a:
        assert a[name] == b[name], name


def test_workers_are_warm_before_the_first_item(synth_dir: Path, tmp_path: Path) -> None:
    """The engine loads the validation code on every worker (while the client hashes the
    inputs), so no item's task pays for the imports; a rerun with nothing to do starts no
    cluster at all."""
    notes = tmp_path / "notes"
    notes.mkdir()
    out = tmp_path / "out"
    options = BatchOptions("validate", chunk=1)
    report = run_batch(
        [str(synth_dir)], out, options, workers=2, task=partial(note_warm, str(notes))
    )
    assert report.total == 6 and "2 个工作进程" in report.engine
    seen = {p.name: p.read_text() for p in notes.iterdir()}
    assert len(seen) == 6 and set(seen.values()) == {"1"}, seen
    again = run_batch([str(synth_dir)], out, options, workers=2)
    assert (again.skipped, again.engine) == (6, "")


def test_killed_worker_is_retried_and_item_reported(synth_dir: Path, tmp_path: Path) -> None:
    marker = tmp_path / "killed"
    out = tmp_path / "out"
    task = partial(kill_worker_once, str(marker), "dept-0002.yaml")
    report = run_batch(
        [str(synth_dir)], out, BatchOptions("validate", chunk=1), workers=2, task=task
    )
    assert marker.exists()  # a worker really died
    assert int(marker.read_text()) != os.getpid()
    rows = _rows(out)
    assert len(rows) == 6 and report.failed == 0
    assert rows["dept-0002.yaml"]["status"] in ("ok", "findings")


def test_worker_dying_every_time_gives_a_failed_row(synth_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    task = partial(always_kill, "dept-0003.yaml")
    report = run_batch(
        [str(synth_dir)], out, BatchOptions("validate", chunk=1), workers=2, task=task
    )
    rows = _rows(out)
    assert len(rows) == 6 and report.failed == 1
    assert rows["dept-0003.yaml"]["status"] == "failed"
    assert "工作进程" in rows["dept-0003.yaml"]["reason"]
    # a crash is not cached: the rerun tries the item again (and succeeds with the real task)
    again = run_batch([str(synth_dir)], out, BatchOptions("validate", chunk=1), workers=0)
    assert again.skipped == 5 and again.failed == 0


def _start(args: list[str], log: Path) -> subprocess.Popen:
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(p for p in sys.path if p))
    return subprocess.Popen(
        args, stdout=log.open("wb"), stderr=subprocess.STDOUT, env=env, start_new_session=True
    )


def test_check_in_a_worker_has_a_time_budget(tmp_path: Path) -> None:
    """A document whose reading never ends becomes a failed row “超时” on a Dask worker; the
    other documents are checked as usual."""
    docs = write_documents(tmp_path / "docs", ["a.txt", "stuck.txt", "z.txt"])
    out = tmp_path / "out"
    options = BatchOptions("check", timeout=10)
    report = run_batch(docs, out, options, workers=1, task=partial(slow_check, "stuck.txt"))
    rows = _rows(out)
    assert rows["stuck.txt"]["status"] == "failed"
    assert rows["stuck.txt"]["reason"].startswith("超时")
    assert rows["a.txt"]["status"] != "failed" and rows["z.txt"]["status"] != "failed"
    assert (report.failed, report.total) == (1, 3)


@pytest.fixture
def external_cluster(tmp_path: Path) -> Iterator[str]:
    """``dask scheduler`` and two ``dask worker`` processes on 127.0.0.1, torn down after."""
    dask = Path(sys.executable).with_name("dask")  # the `dask` command of this environment
    dask_cli = [str(dask), "scheduler"] if dask.exists() else ["dask", "scheduler"]
    worker_cli = [*dask_cli[:-1], "worker"]
    file = tmp_path / "scheduler.json"
    procs = [
        _start(
            [
                *dask_cli,
                "--host",
                "127.0.0.1",
                "--port",
                "0",
                "--no-dashboard",
                "--scheduler-file",
                str(file),
            ],
            tmp_path / "scheduler.log",
        )
    ]
    try:
        for _ in range(600):
            if file.exists() and file.stat().st_size:
                break
            assert procs[0].poll() is None, (tmp_path / "scheduler.log").read_text()
            time.sleep(0.1)
        address = json.loads(file.read_text())["address"]
        assert re.match(r"tcp://127\.0\.0\.1:\d+$", address)
        for i in range(2):
            procs.append(
                _start(
                    [
                        *worker_cli,
                        address,
                        "--nthreads",
                        "1",
                        "--nworkers",
                        "1",
                        "--host",
                        "127.0.0.1",
                        "--no-dashboard",
                        "--name",
                        f"w{i}",
                    ],
                    tmp_path / f"worker{i}.log",
                )
            )
        yield address
    finally:
        for p in reversed(procs):
            p.terminate()
        for p in reversed(procs):
            try:
                p.wait(timeout=30)
            except subprocess.TimeoutExpired:
                p.kill()
                p.wait()


def test_external_scheduler(
    external_cluster: str, synth_dir: Path, one_worker_build: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    report = run_batch([str(synth_dir)], out, BUILD, scheduler=external_cluster)
    assert external_cluster in report.engine
    assert (report.ok, report.findings, report.failed) == (4, 2, 0)
    assert deterministic(out) == deterministic(one_worker_build)


def test_unreachable_scheduler_is_a_user_error(synth_dir: Path, tmp_path: Path) -> None:
    from juesuan.batch.engine import EngineError

    with pytest.raises(EngineError, match="调度器"):
        run_batch([str(synth_dir)], tmp_path / "o", BUILD, scheduler="not-an-address")
