"""Benchmark: in-process load → derive → validate → narrative for the bundled samples,
and the start-up time of `juesuan --help`.

Run:  python bench/bench_pipeline.py [--runs 50]
Prints a Markdown table for docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import platform
import statistics
import subprocess
import sys
import time
from pathlib import Path

from timing import timed


def stages(sample: str, runs: int) -> dict[str, list[float]]:
    from juesuan.document.markdown import write_markdown
    from juesuan.io.yaml_loader import load_yaml
    from juesuan.pipeline import analyse, narrative, sample_path

    path = sample_path(sample)
    ds, _ = load_yaml(path)
    analysis, _ = analyse(ds)

    def full() -> None:
        d, _ = load_yaml(path)
        a, _ = analyse(d)
        write_markdown(narrative(a, with_tables=False), a.profile.numbers)

    return {
        "load (YAML → model)": timed(lambda: load_yaml(path), runs),
        "derive + validate": timed(lambda: analyse(ds), runs),
        "narrative (→ Markdown)": timed(
            lambda: write_markdown(
                narrative(analysis, with_tables=False), analysis.profile.numbers
            ),
            runs,
        ),
        "total": timed(full, runs),
    }


def help_startup(runs: int) -> list[float]:
    exe = Path(sys.executable).with_name("juesuan")
    cmd = [str(exe), "--help"] if exe.exists() else [sys.executable, "-m", "juesuan", "--help"]
    subprocess.run(cmd, capture_output=True, check=True)
    out = []
    for _ in range(runs):
        t0 = time.perf_counter()
        subprocess.run(cmd, capture_output=True, check=True)
        out.append(time.perf_counter() - t0)
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=50)
    args = parser.parse_args()
    print(
        f"Python {platform.python_version()} on {platform.machine()}, {args.runs} runs each; median (min) in ms\n"
    )
    print("| sample | stage | median ms | min ms |")
    print("|---|---|---|---|")
    for sample in ("seed", "putuo"):
        for stage, times in stages(sample, args.runs).items():
            print(
                f"| {sample} | {stage} | {statistics.median(times) * 1e3:.2f} | {min(times) * 1e3:.2f} |"
            )
    times = help_startup(max(args.runs // 5, 5))
    print(
        f"| — | `juesuan --help` (process) | {statistics.median(times) * 1e3:.0f} | {min(times) * 1e3:.0f} |"
    )


if __name__ == "__main__":
    main()
