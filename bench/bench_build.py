"""Benchmark: building every output format for one department, in process.

Run:  python bench/bench_build.py [--runs 5]
Prints a Markdown table for docs/benchmarks.md: per stage and per format, median (min) ms.
PDF is measured separately (WeasyPrint layout and CJK font subsetting dominate it).
"""

from __future__ import annotations

import argparse
import statistics

from timing import timed


def main() -> None:
    from juesuan.pipeline import chart_images, narrative, render, sample_path, validate

    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    print(f"{args.runs} runs each after one warm-up; median (min) in ms\n")
    print("| sample | stage | median ms | min ms |")
    print("|---|---|---|---|")
    for sample in ("seed", "putuo"):
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
        stages["write pdf"] = lambda a=analysis, d=doc, c=charts: render(a, "pdf", d, c)
        for name, fn in stages.items():
            runs = max(2, args.runs // 2) if name == "write pdf" else args.runs
            times = timed(fn, runs)
            print(
                f"| {sample} | {name} | {statistics.median(times) * 1e3:.1f} | {min(times) * 1e3:.1f} |"
            )


if __name__ == "__main__":
    main()
