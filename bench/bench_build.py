"""Benchmark: building every output format for one department, in process.

Run:  python bench/bench_build.py [--runs 5] [--samples seed] [--no-pdf]
Prints a Markdown table for docs/benchmarks.md: per stage and per format, process CPU time
median (min) ms and wall-clock median ms (the machine is shared: CPU time is the comparable
figure). Set ``JUESUAN_CACHE_DIR=off`` to draw the charts and lay out the PDF every time.
"""

from __future__ import annotations

import argparse
import statistics

from timing import timed_cpu


def main() -> None:
    from juesuan.pipeline import chart_images, narrative, render, sample_path, validate

    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--samples", nargs="+", default=["seed", "putuo"])
    parser.add_argument("--no-pdf", action="store_true", help="skip the PDF (the slowest stage)")
    args = parser.parse_args()
    print(f"{args.runs} runs each after one warm-up; CPU median (min) ms, wall median ms\n")
    print("| sample | stage | CPU median ms | CPU min ms | wall median ms |")
    print("|---|---|---|---|---|")
    for sample in args.samples:
        analysis, _ = validate(sample_path(sample))
        doc = narrative(analysis)
        charts = chart_images(analysis, doc)
        stages = {
            "load + derive + validate": lambda s=sample: validate(sample_path(s)),
            "document model (narrative + tables)": lambda a=analysis: narrative(a),
            "charts (7 PNG)": lambda a=analysis, d=doc: chart_images(a, d),
        }
        for fmt in ("docx", "xlsx", "html", "json", "md"):
            stages[f"write {fmt}"] = lambda f=fmt, a=analysis, d=doc, c=charts: render(a, f, d, c)

        def everything(s: str = sample) -> None:
            a, _ = validate(sample_path(s))
            d = narrative(a)
            c = chart_images(a, d)
            for f in ("docx", "xlsx", "html", "json", "md"):
                render(a, f, d, c)

        stages["all formats except PDF"] = everything
        if not args.no_pdf:
            stages["write pdf"] = lambda a=analysis, d=doc, c=charts: render(a, "pdf", d, c)
        for name, fn in stages.items():
            runs = max(2, args.runs // 2) if name == "write pdf" else args.runs
            wall, cpu = timed_cpu(fn, runs)
            print(
                f"| {sample} | {name} | {statistics.median(cpu) * 1e3:.1f} "
                f"| {min(cpu) * 1e3:.1f} | {statistics.median(wall) * 1e3:.1f} |",
                flush=True,
            )


if __name__ == "__main__":
    main()
