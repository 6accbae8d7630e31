"""The client side of a batch: plan (inputs, content hashes, what is already done), run the
rest on the engine, stream every result to OUT as it arrives, then write the summaries.

Layout of OUT::

    OUT/summary.csv, summary.json, summary.html   one row per input, sorted by input
    OUT/<slug>/…                                  the artifacts of one input
    OUT/.batch/<kind>/<slug>.json                 resume record: content hash, row, seconds

Resume: an item is skipped when its record's key (sha256 of the input's bytes, the command,
its options and the code version) is unchanged and its artifacts are present. Items that
failed because a worker died are not cached, so a rerun tries them again.
"""

from __future__ import annotations

import hashlib
import heapq
import json
import os
import sys
import time
import uuid
from collections.abc import Callable, Iterator, Mapping
from contextlib import ExitStack
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

from juesuan.batch.engine import EngineStarter, TaskFailure
from juesuan.batch.inputs import Item, Missing, discover
from juesuan.batch.progress import Progress
from juesuan.batch.summary import write_summaries
from juesuan.batch.tasks import (
    CHECK_SECONDS,
    FAILED,
    FINDINGS,
    OK,
    ItemResult,
    TaskSpec,
    run_specs,
    warm_up,
)

STATE_DIR = ".batch"
LOST = "该项的结果记录在批次结束前被删除或损坏，请重新运行"
KINDS = ("validate", "build", "check")


@dataclass(frozen=True)
class BatchOptions:
    kind: str
    formats: tuple[str, ...] = ()
    force: bool = False
    run_inputs: Mapping[str, Decimal] = field(default_factory=dict)
    engine: str = "pdfium"
    chunk: int | None = None  # inputs per task; default: by kind and size
    timeout: float = CHECK_SECONDS  # check: wall-time budget of one document

    def canonical(self) -> str:
        """The options that change results, as stable text (part of every item's key)."""
        return json.dumps(
            {
                "kind": self.kind,
                "formats": list(self.formats) if self.kind == "build" else [],
                "force": self.force if self.kind == "build" else False,
                "inputs": {k: str(v) for k, v in sorted(self.run_inputs.items())},
                "engine": self.engine if self.kind == "check" else "",
                "timeout": self.timeout if self.kind == "check" else None,
            },
            sort_keys=True,
        )


@dataclass
class BatchReport:
    """What a batch did: counts for the command's exit status and message."""

    total: int = 0
    ok: int = 0
    findings: int = 0
    failed: int = 0
    skipped: int = 0  # reused from an earlier run
    seconds: float = 0.0
    engine: str = ""
    out: Path | None = None


@cache
def code_version() -> str:
    """sha256 over the package's own files: a result made by other code is not reused."""
    import juesuan

    root = Path(juesuan.__file__).parent
    h = hashlib.sha256(getattr(juesuan, "__version__", "").encode())
    for path in sorted(root.rglob("*")):
        if (
            path.suffix in (".py", ".yaml", ".csv", ".json", ".j2", ".html", ".css")
            and path.is_file()
        ):
            h.update(path.relative_to(root).as_posix().encode())
            h.update(path.read_bytes())
    return h.hexdigest()


def item_key(item: Item, options: BatchOptions) -> str | None:
    """Content hash of the input plus options plus code version (None if unreadable)."""
    h = hashlib.sha256()
    try:
        with item.path.open("rb") as fh:
            for block in iter(lambda: fh.read(1 << 20), b""):
                h.update(block)
    except OSError:
        return None
    return hashlib.sha256(
        f"{h.hexdigest()}\n{options.canonical()}\n{code_version()}".encode()
    ).hexdigest()


def _write_atomic(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` through a temporary name and a rename (the folder exists)."""
    name = os.fspath(path)
    tmp = f"{os.path.dirname(name)}/.{os.path.basename(name)}.tmp{os.getpid()}"
    with open(tmp, "wb") as fh:
        fh.write(data)
    os.replace(tmp, name)


def _state_path(out: Path, kind: str, item: Item) -> Path:
    return out / STATE_DIR / kind / f"{item.slug}.json"


def _load_state(out: Path, kind: str, item: Item, key: str | None) -> dict[str, Any] | None:
    path = _state_path(out, kind, item)
    try:
        record = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(record, dict) or key is None or record.get("key") != key:
        return None
    row = record.get("row")
    if not isinstance(row, dict) or record.get("retryable"):
        return None
    files = row.get("files") or []
    if not all(isinstance(f, str) and (out / item.slug / f).is_file() for f in files):
        return None
    return record


def _chunk_size(options: BatchOptions, pending: int, workers: int) -> int:
    if options.chunk:
        return max(1, options.chunk)
    if options.kind != "validate":
        return 1
    # validation takes ~20 ms: group items so scheduling costs little, yet keep workers busy
    return max(1, min(16, pending // max(1, workers * 8)))


def _surely_work(out: Path, kind: str, count: int) -> bool:
    """Whether some of ``count`` items certainly need processing (fewer resume records than
    items), so the engine may start before the inputs are hashed."""
    try:
        records = sum(1 for name in os.listdir(out / STATE_DIR / kind) if name.endswith(".json"))
    except OSError:
        records = 0
    return records < count


def _starter(options: BatchOptions, workers: int | None, scheduler: str | None) -> EngineStarter:
    return EngineStarter(workers, scheduler, warm=(warm_up, options.kind))


def run_batch(
    inputs: list[str],
    out: Path,
    options: BatchOptions,
    *,
    workers: int | None = None,
    scheduler: str | None = None,
    progress: bool | None = None,
    task: Callable[[list[TaskSpec]], list[ItemResult]] = run_specs,
) -> BatchReport:
    """Run ``options.kind`` over ``inputs`` into ``out``; see the module doc. ``task`` is the
    function the workers run (tests wrap it)."""
    started = time.perf_counter()
    items, missing = discover(inputs, options.kind)
    out.mkdir(parents=True, exist_ok=True)
    report = BatchReport(total=len(items) + len(missing), out=out)
    statuses = {OK: 0, FINDINGS: 0, FAILED: len(missing)}
    todo: list[tuple[Item, str | None]] = []
    bar = Progress(len(items), sys.stderr, enabled=progress)
    with ExitStack() as stack:
        starter = None
        if _surely_work(out, options.kind, len(items)):
            # the cluster starts (and its workers warm up) while the inputs are hashed
            starter = stack.enter_context(_starter(options, workers, scheduler))
        for item in items:
            key = item_key(item, options)
            cached = _load_state(out, options.kind, item, key)
            if cached is not None:
                statuses[cached["row"]["status"]] = statuses.get(cached["row"]["status"], 0) + 1
                report.skipped += 1
            else:
                todo.append((item, key))
        bar.advance(report.skipped, 0)
        if todo:
            if starter is None:
                starter = stack.enter_context(_starter(options, workers, scheduler))
            engine = starter.get()
            report.engine = engine.description
            (out / STATE_DIR / options.kind).mkdir(parents=True, exist_ok=True)
            size = _chunk_size(options, len(todo), max(1, engine.workers))
            chunks = [todo[i : i + size] for i in range(0, len(todo), size)]
            args = ([_spec(it, options) for it, _ in chunk] for chunk in chunks)
            run = uuid.uuid4().hex[:12]  # task keys unique per run on a shared scheduler
            names = [f"juesuan-{options.kind}-{run}-{i}" for i in range(len(chunks))]
            for index, result in engine.map_unordered(task, args, names):
                chunk = chunks[index]
                if isinstance(result, TaskFailure):
                    results = [
                        ItemResult(it.display, FAILED, reason=result.reason) for it, _ in chunk
                    ]
                    retryable = result.retryable
                else:
                    results, retryable = result, False
                failed = 0
                for (item, key), res in zip(chunk, results, strict=True):
                    _store(out, options.kind, item, key, res, retryable)
                    statuses[res.status] = statuses.get(res.status, 0) + 1
                    failed += res.status == FAILED
                bar.advance(len(chunk), failed)
    bar.close()
    # the rows are read back from the resume records: the client holds none of them
    write_summaries(out, options.kind, lambda: _rows(out, options.kind, items, missing))
    report.ok, report.findings, report.failed = statuses[OK], statuses[FINDINGS], statuses[FAILED]
    report.seconds = time.perf_counter() - started
    return report


def _rows(
    out: Path, kind: str, items: list[Item], missing: list[Missing]
) -> Iterator[dict[str, Any]]:
    """The summary rows, sorted by input: the items' from their records, then merged in, the
    inputs that could not be found."""

    def from_records() -> Iterator[dict[str, Any]]:
        for item in items:  # sorted by display path
            try:
                record = json.loads(_state_path(out, kind, item).read_text(encoding="utf-8"))
                row = {**record["row"], "seconds": record.get("seconds", 0.0), "dir": item.slug}
            except (OSError, ValueError, KeyError, TypeError):
                row = {**ItemResult(item.display, FAILED, reason=LOST).row(), "seconds": 0.0}
                row["dir"] = None
            yield row

    lost = (
        {**ItemResult(m.display, FAILED, reason=m.reason).row(), "seconds": 0.0, "dir": None}
        for m in sorted(missing, key=lambda m: m.display)
    )
    return heapq.merge(from_records(), lost, key=lambda r: str(r["input"]))


def _spec(item: Item, options: BatchOptions) -> TaskSpec:
    return TaskSpec(
        kind=options.kind,
        display=item.display,
        path=str(item.path),
        formats=tuple(options.formats),
        force=options.force,
        run_inputs=tuple((k, str(v)) for k, v in sorted(options.run_inputs.items())),
        engine=options.engine,
        timeout=options.timeout,
    )


def _store(
    out: Path, kind: str, item: Item, key: str | None, result: ItemResult, retryable: bool
) -> dict[str, Any]:
    """Write the artifacts, then the resume record (last, so a record means a complete item)."""
    if result.artifacts:
        folder = out / item.slug
        folder.mkdir(exist_ok=True)
        for name, data in sorted(result.artifacts.items()):
            _write_atomic(folder / Path(name).name, data)
    record = {
        "key": key,
        "retryable": retryable,
        "row": result.row(),
        "seconds": round(result.seconds, 3),
    }
    # compact JSON: the C encoder (an indented dump runs the pure-Python one)
    data = json.dumps(record, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    _write_atomic(_state_path(out, kind, item), data)
    return record
