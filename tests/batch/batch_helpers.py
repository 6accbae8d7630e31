"""Helpers the Dask workers import by name (tests/batch is on sys.path of the test run and of
the spawned worker processes)."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest

from juesuan.batch.tasks import ItemResult, TaskSpec, run_specs
from juesuan.synth import SynthOptions, write_synth


def make_synth_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Six synthetic departments, two with planted errors (an inconsistent total, a change
    without a reason). The test modules declare it as their fixture ``synth_dir`` (a
    conftest.py here would shadow the top-level one for ``from conftest import …``)."""
    out = tmp_path_factory.mktemp("synth")
    list(write_synth(SynthOptions(count=6, seed=7, errors=2), out))
    return out


def kill_worker_once(marker: str, victim: str, specs: list[TaskSpec]) -> list[ItemResult]:
    """Kill the worker process the first time ``victim`` is processed (the marker file says
    it happened), then behave normally: Dask reschedules the task on a live worker."""
    if any(s.display.endswith(victim) for s in specs) and not Path(marker).exists():
        Path(marker).write_text(str(os.getpid()), encoding="utf-8")
        os._exit(1)
    return run_specs(specs)


def always_kill(victim: str, specs: list[TaskSpec]) -> list[ItemResult]:
    """Kill the worker every time ``victim`` is processed."""
    if any(s.display.endswith(victim) for s in specs):
        os._exit(1)
    return run_specs(specs)


def interrupt_after(counter: list[int], limit: int, specs: list[TaskSpec]) -> list[ItemResult]:
    """In-process engine only: stop the whole batch (as Ctrl-C would) after ``limit`` tasks."""
    if counter[0] >= limit:
        raise KeyboardInterrupt
    counter[0] += 1
    return run_specs(specs)


def deterministic(out: Path) -> dict[str, bytes]:
    """Every file of a batch's OUT except the resume records, with the time column dropped
    from the summaries (the only non-deterministic part, by design)."""
    files: dict[str, bytes] = {}
    for path in sorted(out.rglob("*")):
        rel = path.relative_to(out).as_posix()
        if not path.is_file() or rel.startswith(".batch/"):
            continue
        data = path.read_bytes()
        if rel == "summary.csv":
            data = b"\n".join(line.rsplit(b",", 1)[0] for line in data.splitlines())
        elif rel == "summary.json":
            payload = json.loads(data)
            for row in payload["items"]:
                row.pop("seconds")
            data = json.dumps(payload, ensure_ascii=False).encode()
        elif rel == "summary.html":
            data = re.sub(rb'<td class="t">[^<]*</td>', b"", data)
        files[rel] = data
    return files


def slow_check(victim: str, specs: list[TaskSpec]) -> list[ItemResult]:
    """Check as usual, except that reading ``victim`` never ends (a pathological document):
    the check of that item must hit its time budget, the others must not notice."""
    import time

    import juesuan.check as check

    original = check.check_file

    def stalling(path, *args, **kwargs):
        if str(path).endswith(victim):
            time.sleep(3600)
        return original(path, *args, **kwargs)

    check.check_file = stalling
    try:
        return run_specs(specs)
    finally:
        check.check_file = original


def write_documents(folder: Path, names: list[str]) -> list[str]:
    """Small plain-text documents to check (each gives findings, none fails)."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for name in names:
        path = folder / name
        path.write_text(
            "某部门2024年度部门决算\n一、部门基本情况\n本部门无其他说明。\n", encoding="utf-8"
        )
        paths.append(str(path))
    return paths


def note_warm(folder: str, specs: list[TaskSpec]) -> list[ItemResult]:
    """Before processing, record (one file per task) whether this worker had already loaded the
    validation code: the engine's warm-up should have done so before the first task."""
    import sys

    loaded = "juesuan.pipeline" in sys.modules and "juesuan.rules" in sys.modules
    Path(folder, f"{os.getpid()}-{specs[0].display.replace('/', '_')}").write_text(
        "1" if loaded else "0", encoding="utf-8"
    )
    return run_specs(specs)
