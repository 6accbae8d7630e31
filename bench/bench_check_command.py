"""Benchmark: `juesuan check FILE` as a command, in CPU time (user + system of the child
process and its children, so that a loaded machine inflates it less than wall time) and in
wall time (the target; on a busy machine it says little).

Run:  python bench/bench_check_command.py [--runs 7] [FILE.pdf]
Prints Markdown for docs/benchmarks.md: median (min) CPU ms and wall ms of `python -c pass`,
`juesuan --help`, `juesuan check FILE`, `pdftotext -layout FILE -` and the in-process
`check_file(FILE)` (warm, CPU only), with the machine's load average. Byte-compiled sources are used
as an installed package has them (``PYTHONDONTWRITEBYTECODE`` is unset for the children).
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PUTUO = ROOT / "tests" / "golden" / "putuo-2024.pdf"


def child_cpu(cmd: list[str], runs: int) -> tuple[list[float], list[float]]:
    """(CPU seconds, wall seconds) of each run of ``cmd``."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    subprocess.run(cmd, capture_output=True, env=env)  # warm-up: caches, byte-code
    cpu, wall = [], []
    for _ in range(runs):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        subprocess.run(cmd, capture_output=True, env=env)
        wall.append(time.perf_counter() - start)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
    return cpu, wall


def in_process(path: Path, runs: int) -> list[float]:
    from juesuan.check import check_file

    check_file(path)
    out = []
    for _ in range(runs):
        t0 = time.process_time()
        check_file(path)
        out.append(time.process_time() - t0)
    return out


def ms(values: list[float]) -> str:
    return f"{statistics.median(values) * 1000:.0f} ({min(values) * 1000:.0f})"


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("file", nargs="?", default=str(PUTUO))
    ap.add_argument("--runs", type=int, default=7)
    args = ap.parse_args()
    exe = shutil.which("juesuan") or "juesuan"
    rows = [
        ("`python -c pass`", child_cpu([sys.executable, "-c", "pass"], args.runs)),
        ("`juesuan --help`", child_cpu([exe, "--help"], args.runs)),
        ("`juesuan check FILE`", child_cpu([exe, "check", args.file], args.runs)),
    ]
    pdftotext = shutil.which("pdftotext")
    if pdftotext:
        rows.append(
            (
                "`pdftotext -layout FILE -`",
                child_cpu([pdftotext, "-layout", args.file, "-"], args.runs),
            )
        )
    warm = in_process(Path(args.file), args.runs)
    rows.append(("`check_file(FILE)` in process (warm)", (warm, [])))
    print(
        f"{Path(args.file).name}, {args.runs} runs, load average {os.getloadavg()[0]:.1f}: "
        "ms, median (min)\n"
    )
    print("| what | CPU ms | wall ms |")
    print("|---|---|---|")
    for name, (cpu, wall) in rows:
        print(f"| {name} | {ms(cpu)} | {ms(wall) if wall else '–'} |")
    if pdftotext:
        ratio = statistics.median(warm) / statistics.median(rows[-2][1][0])
        print(f"\nin-process check / pdftotext = {ratio:.1f}×")


if __name__ == "__main__":
    main()
