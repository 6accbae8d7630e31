"""Benchmark: the phases of a cold `juesuan check FILE`, in CPU time per process, to estimate
its wall time on an idle machine with two cores when the machine is busy (issue 13).

Each run is a fresh interpreter that does what the command does: load the command line and
pydantic (typer's parameter conversion uses it), fork the helper that reads the file
(:func:`juesuan.check.ahead.read_ahead`), load the checker meanwhile
(:func:`juesuan.check.ahead.load_checker`), then check the read document. The critical path
is ``start + before fork + max(load, read) + receive + check``; ``start`` is
`python -c pass` (the interpreter and its site packages).

Run:  python bench/bench_check_phases.py [--runs 5] [FILE.pdf]
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PUTUO = ROOT / "tests" / "golden" / "putuo-2024.pdf"

PROBE = r"""
import os, resource, sys, time
os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "1")  # as the command does
t0 = time.process_time()
import juesuan.cli.app, juesuan.cli.check, typer._adapters  # the command before it checks
from juesuan.check import ahead, check_file
t1 = time.process_time()
source = ahead.read_ahead(sys.argv[1], "pdfium")
ahead.load_checker()
t2 = time.process_time()
read = source()
t3 = time.process_time()
check_file(sys.argv[1], source=lambda: read)
t4 = time.process_time()
h = resource.getrusage(resource.RUSAGE_CHILDREN)
print(t1 - t0, t2 - t1, h.ru_utime + h.ru_stime, t3 - t2, t4 - t3)
"""

NAMES = ("before fork", "load (checking process)", "read (helper)", "receive", "check")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("file", nargs="?", default=str(PUTUO))
    ap.add_argument("--runs", type=int, default=5)
    args = ap.parse_args()
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    subprocess.run([sys.executable, "-c", PROBE, args.file], capture_output=True, env=env)
    starts, phases = [], []
    for _ in range(args.runs):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        subprocess.run([sys.executable, "-c", "pass"], env=env)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        starts.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
        out = subprocess.run(
            [sys.executable, "-c", PROBE, args.file],
            capture_output=True,
            text=True,
            env=env,
            check=True,
        ).stdout
        phases.append([float(x) for x in out.split()])
    start = statistics.median(starts)
    med = [statistics.median(p[i] for p in phases) for i in range(len(NAMES))]
    print(f"{Path(args.file).name}, {args.runs} runs, load average {os.getloadavg()[0]:.1f}")
    print("| phase | CPU ms, median |")
    print("|---|---|")
    print(f"| start (`python -c pass`) | {start * 1000:.0f} |")
    for name, value in zip(NAMES, med, strict=True):
        print(f"| {name} | {value * 1000:.0f} |")
    path = start + med[0] + max(med[1], med[2]) + med[3] + med[4]
    print(f"\ncritical path {path * 1000:.0f} ms; all processes {(start + sum(med)) * 1000:.0f} ms")


if __name__ == "__main__":
    main()
