"""Benchmark: ``juesuan build`` (every format but PDF) against ``juesuan validate`` as commands.

Run:  python bench/bench_build_command.py [--runs 7] [--src DIR ...] [--file F]
Each round runs ``validate F`` and ``build F -o D --format docx,html,xlsx,md,json`` once per
source tree (``--src``: put on ``PYTHONPATH``, e.g. an exported main to compare with; default
the installed package), alternating trees so that they share the machine's load. Prints the
CPU time of each command (user + sys of the child, ``getrusage(RUSAGE_CHILDREN)``), median and
minimum, and the ratio build / validate. The chart cache is whatever ``JUESUAN_CACHE_DIR``
says (set it to ``off`` to draw the charts in every build). Compile the trees first
(``python -m compileall -q DIR``) when bytecode writing is off, or each run compiles them.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

FORMATS = "docx,html,xlsx,md,json"


def cpu_of(args: list[str], env: dict[str, str]) -> float:
    """CPU seconds (user + sys) of one child process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    subprocess.run(args, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def main() -> None:
    from juesuan.pipeline import sample_path

    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--src", nargs="*", default=[""], help="source trees ('' = installed)")
    parser.add_argument("--file", default=str(sample_path("seed")))
    args = parser.parse_args()
    out = tempfile.mkdtemp(prefix="bench-build-")
    cpu: dict[str, dict[str, list[float]]] = {s: {"validate": [], "build": []} for s in args.src}
    for _ in range(args.runs):
        for src in args.src:
            env = dict(os.environ)
            if src:
                env["PYTHONPATH"] = str(Path(src).resolve())
            cmd = [sys.executable, "-m", "juesuan"]
            cpu[src]["validate"].append(cpu_of([*cmd, "validate", args.file], env))
            build = [*cmd, "build", args.file, "-o", out, "--format", FORMATS]
            cpu[src]["build"].append(cpu_of(build, env))
    print(f"{args.runs} runs each; CPU ms (user+sys of the command)\n")
    print("| source | validate median (min) | build median (min) | build / validate |")
    print("|---|---|---|---|")
    for src, times in cpu.items():
        v, b = times["validate"], times["build"]
        ratio = statistics.median(b) / statistics.median(v)
        print(
            f"| {src or 'installed'} | {statistics.median(v) * 1e3:.0f} ({min(v) * 1e3:.0f}) "
            f"| {statistics.median(b) * 1e3:.0f} ({min(b) * 1e3:.0f}) | {ratio:.2f}× |"
        )


if __name__ == "__main__":
    main()
