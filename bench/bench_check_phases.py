"""Benchmark: the phases of a cold `juesuan check FILE`, in CPU time per process, to estimate
its wall time on an idle machine with two cores when the machine is busy (issue 13).

Each run is a fresh interpreter that does what the command does
(:func:`juesuan.cli.check_early.start`): before the command line loads, fork the helper that
reads the file (:func:`juesuan.check.ahead.read_ahead`), load pydantic, fork the checking
process, which loads the checker (:func:`juesuan.check.ahead.start`) and then checks the read
document; the command line (typer) loads in the first process meanwhile. After the reading
helper's fork three processes share the two cores, so the critical path is
``start + before reading + max(read, shared + load, (read + shared + command line + load) / 2)
+ receive + check``; ``start`` is `python -c pass` (the interpreter and its site packages).

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
t0 = time.process_time()
from juesuan.cli import check_early  # what the command does before the reading helper
check_early.quiet_pydantic()
from juesuan.check import ahead, check_file, limits
import multiprocessing.connection, multiprocessing.context
t1 = time.process_time()
reader = ahead.read_ahead(sys.argv[1], "pdfium", memory=limits.MEMORY_BUDGET)
import pydantic.main  # loaded once for both processes
t2 = time.process_time()
receive, send = os.pipe()
if os.fork() == 0:  # the checking process
    c0 = time.process_time()
    source = ahead.start(sys.argv[1], "pdfium", source=reader)
    c1 = time.process_time()
    read = source()
    c2 = time.process_time()
    check_file(sys.argv[1], source=lambda: read)
    c3 = time.process_time()
    os.write(send, f"{c1 - c0} {c2 - c1} {c3 - c2} {c3}".encode())
    os._exit(0)
os.close(send)
import juesuan.cli.app, juesuan.cli.check, typer._adapters  # the command line, meanwhile
from juesuan.check.report import to_text
t3 = time.process_time()
load, receive_, check, checking = (float(x) for x in os.read(receive, 1000).decode().split())
for _ in range(2):
    os.wait()
h = resource.getrusage(resource.RUSAGE_CHILDREN)
print(t1 - t0, t2 - t1, t3 - t2, load, h.ru_utime + h.ru_stime - checking, receive_, check)
"""

NAMES = (
    "before reading (first process)",
    "shared: pydantic (first process)",
    "command line (first process)",
    "load (checking process)",
    "read (helper)",
    "receive",
    "check",
)


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
    before, shared, line, load, read, receive, check = med
    parallel = max(read, shared + load, (read + shared + line + load) / 2)
    path = start + before + parallel + receive + check
    print(f"\ncritical path {path * 1000:.0f} ms; all processes {(start + sum(med)) * 1000:.0f} ms")


if __name__ == "__main__":
    main()
