"""Benchmark: the batch layer on Dask (juesuan batch validate/build/check).

Run:  python bench/bench_batch.py validate --count 1000 --workers 2
      python bench/bench_batch.py build --count 12 --workers 1 2
      python bench/bench_batch.py check --count 40 --workers 1 2
      python bench/bench_batch.py memory --count 100 1000 --workers 2
      (--cache DIR keeps the synthetic departments for the next run)

Synthetic departments come from ``juesuan.synth`` (generated once per run, not timed). Each
timed run starts its own local cluster; the time of starting it (with nothing to do) is
printed separately so the throughput can be read with and without it. ``memory`` runs a
validate batch in a fresh process per N and prints the client's own peak RSS (the workers are
separate processes).
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

CACHE: Path | None = None  # --cache DIR: keep the synthetic departments between runs


def _synth(count: int, where: Path) -> Path:
    from juesuan.synth import SynthOptions, write_synth

    out = (CACHE or where) / f"synth-{count}"
    if not out.exists():
        list(write_synth(SynthOptions(count=count, seed=2024), out))
    return out


def _startup(workers: int) -> float:
    from juesuan.batch.engine import open_engine

    t0 = time.perf_counter()
    with open_engine(workers):
        pass
    return time.perf_counter() - t0


def _run(kind: str, inputs: list[str], out: Path, workers: int, **options) -> tuple[float, object]:
    from juesuan.batch import BatchOptions, run_batch

    shutil.rmtree(out, ignore_errors=True)
    t0 = time.perf_counter()
    report = run_batch(inputs, out, BatchOptions(kind, **options), workers=workers, progress=False)
    return time.perf_counter() - t0, report


def _cpu() -> tuple[float, float]:
    """CPU seconds (user+sys) of this process (the client, with the local cluster's scheduler
    and nannies) and of its finished children (the worker processes are reaped when the
    cluster closes, so a run's delta includes them and their forked check processes)."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime, kids.ru_utime + kids.ru_stime


def _table(
    kind: str, count: int, workers: list[int], inputs: list[str], tmp: Path, **options
) -> None:
    print(f"\n{kind}: {count} inputs\n")
    print(
        "| workers | load avg (1 min) | wall s | cluster start s | items/s (wall) "
        "| items/s (excl. start) | CPU s client | CPU s workers | CPU ms/item (all) "
        "| items per CPU-s (×) | ok/findings/failed |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|---|")
    base = base_cpu = None
    for n in workers:
        load = os.getloadavg()[0]
        start = _startup(n) if n else 0.0
        own0, kids0 = _cpu()
        wall, report = _run(kind, inputs, tmp / f"out-{kind}-{n}", n, **options)
        own1, kids1 = _cpu()
        client, kids = own1 - own0, kids1 - kids0
        cpu = client + kids
        rate = count / wall
        rate_ex = count / max(wall - start, 1e-9)
        per_cpu = count / max(cpu, 1e-9)
        base = base or rate_ex
        base_cpu = base_cpu or per_cpu
        print(
            f"| {n} | {load:.1f}–{os.getloadavg()[0]:.1f} | {wall:.1f} | {start:.1f} | {rate:.2f} "
            f"| {rate_ex:.2f} (×{rate_ex / base:.2f}) | {client:.1f} | {kids:.1f} "
            f"| {1000 * cpu / count:.1f} | {per_cpu:.2f} (×{per_cpu / base_cpu:.2f}) "
            f"| {report.ok}/{report.findings}/{report.failed} |",
            flush=True,
        )


def _pdfs(count: int, tmp: Path) -> list[str]:
    """``count`` copies of one built PDF (each copy is checked in full)."""
    from juesuan.pipeline import sample_path, validate, write_outputs

    analysis, _ = validate(sample_path("seed"))
    (pdf,) = write_outputs(analysis, tmp / "pdf", ("pdf",))
    folder = tmp / f"pdfs-{count}"
    folder.mkdir(exist_ok=True)
    for i in range(count):
        shutil.copyfile(pdf, folder / f"doc-{i:04d}.pdf")
    return [str(folder)]


def _memory(counts: list[int], workers: int, tmp: Path) -> None:
    print("\nclient peak RSS of `batch validate` (fresh process per N)\n")
    print("| N | client peak RSS MB | wall s | load avg (1 min) |")
    print("|---|---|---|---|")
    for n in counts:
        folder = _synth(n, tmp)
        load = os.getloadavg()[0]
        res = subprocess.run(
            [sys.executable, __file__, "_client", str(folder), str(tmp / f"mem-{n}"), str(workers)],
            capture_output=True,
            text=True,
            check=True,
        )
        rss, wall = res.stdout.split()
        print(
            f"| {n} | {int(rss) / 1024:.0f} | {float(wall):.1f} "
            f"| {load:.1f}–{os.getloadavg()[0]:.1f} |",
            flush=True,
        )


def main() -> None:
    if sys.argv[1:2] == ["_client"]:
        folder, out, workers = sys.argv[2], Path(sys.argv[3]), int(sys.argv[4])
        wall, _ = _run("validate", [folder], out, workers)
        print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, wall)
        return
    parser = argparse.ArgumentParser()
    parser.add_argument("kind", choices=("validate", "build", "check", "memory"))
    parser.add_argument("--count", type=int, nargs="+", default=[100])
    parser.add_argument("--workers", type=int, nargs="+", default=[2])
    parser.add_argument("--formats", default="docx,html,xlsx,json,md")
    parser.add_argument("--cache", type=Path, help="keep the synthetic departments in DIR")
    args = parser.parse_args()
    global CACHE
    CACHE = args.cache
    with tempfile.TemporaryDirectory() as name:
        tmp = Path(name)
        if args.kind == "memory":
            _memory(args.count, args.workers[0], tmp)
            return
        count = args.count[0]
        if args.kind == "check":
            _table("check", count, args.workers, _pdfs(count, tmp), tmp)
            return
        inputs = [str(_synth(count, tmp))]
        options = {"formats": tuple(args.formats.split(","))} if args.kind == "build" else {}
        _table(args.kind, count, args.workers, inputs, tmp, **options)


if __name__ == "__main__":
    main()
