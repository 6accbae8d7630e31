"""Benchmark: the PDF writer and the other writers, wall and CPU time, in process.

Run:  python bench/bench_print.py [--runs 2] [--calls] [--fonttools-subset]
The machine is shared, so besides wall time the script reports the process CPU time
(``time.process_time``), which other processes disturb much less. To compare with another
checkout, run it there with ``PYTHONPATH=<checkout>/src`` in the same session.
"""

from __future__ import annotations

import argparse
import os
import statistics
import time


def _measure(fn, runs: int) -> tuple[float, float]:
    fn()  # warm-up: imports, font loading, template compilation
    wall, cpu = [], []
    for _ in range(runs):
        w0, c0 = time.perf_counter(), time.process_time()
        fn()
        wall.append(time.perf_counter() - w0)
        cpu.append(time.process_time() - c0)
    return statistics.median(wall), statistics.median(cpu)


def _calls(fn) -> int:
    """Python function calls of one call of ``fn`` (after a warm-up): a measure of the work
    that does not depend on the machine's load (C code inside a call is not counted)."""
    import cProfile
    import pstats

    fn()
    profile = cProfile.Profile()
    profile.enable()
    fn()
    profile.disable()
    return pstats.Stats(profile).total_calls


def main() -> None:
    from juesuan.pipeline import chart_images, narrative, render, sample_path, validate

    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=2)
    parser.add_argument(
        "--fonttools-subset",
        action="store_true",
        help="subset fonts with fontTools as on a machine without libharfbuzz-subset",
    )
    parser.add_argument(
        "--calls",
        action="store_true",
        help="also count Python function calls per stage (independent of the machine's load)",
    )
    args = parser.parse_args()
    if args.fonttools_subset:
        import weasyprint.pdf.fonts

        weasyprint.pdf.fonts.harfbuzz_subset = None
    cache = os.environ.get("JUESUAN_CACHE_DIR", "(default)")
    subset = "fontTools" if args.fonttools_subset else "system harfbuzz-subset if present"
    print(f"median of {args.runs} runs after one warm-up; JUESUAN_CACHE_DIR={cache}; {subset}\n")
    print("| sample | stage | wall s | CPU s |" + (" Python calls |" if args.calls else ""))
    print("|---|---|---|---|" + ("---|" if args.calls else ""))
    for sample in ("seed", "putuo"):
        analysis, _ = validate(sample_path(sample))
        doc = narrative(analysis)
        charts = chart_images(analysis, doc)
        stages = {
            "charts": lambda a=analysis, d=doc: chart_images(a, d),
            "write docx": lambda a=analysis, d=doc, c=charts: render(a, "docx", d, c),
            "write xlsx": lambda a=analysis, d=doc, c=charts: render(a, "xlsx", d, c),
            "write pdf": lambda a=analysis, d=doc, c=charts: render(a, "pdf", d, c),
        }
        for name, fn in stages.items():
            wall, cpu = _measure(fn, args.runs)
            calls = f" {_calls(fn):,} |" if args.calls else ""
            print(f"| {sample} | {name} | {wall:.2f} | {cpu:.2f} |{calls}", flush=True)


if __name__ == "__main__":
    main()
