"""Benchmark: the seed (or another sample's) PDF in process, process CPU time.

Run:  JUESUAN_CACHE_DIR=off python bench/bench_pdf.py [--sample seed] [--runs 3] [--fonttools-subset]
          [--split auto|always|never]
Prints the minimum and median wall-clock and CPU seconds of ``runs`` PDF builds after one
warm-up, and the 1-minute load average before and after. CPU time counts the helper process
that lays out half of the document on the second core (:mod:`juesuan.document.pdf_split`):
on an idle machine wall time is the figure the user waits for; on a shared machine CPU time
is the comparable one. ``--fonttools-subset`` makes WeasyPrint
behave as on a machine without libharfbuzz-subset. To compare with another checkout, run it
there with ``PYTHONPATH=<checkout>/src`` in the same session.
"""

from __future__ import annotations

import argparse
import os
import statistics

from timing import timed_cpu


def main() -> None:
    from juesuan.pipeline import chart_images, narrative, render, sample_path, validate

    parser = argparse.ArgumentParser()
    parser.add_argument("--sample", default="seed")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--fonttools-subset", action="store_true")
    parser.add_argument(
        "--split",
        choices=("auto", "always", "never"),
        default="auto",
        help="two processes where a core is free (as a build), whenever there are two cores, "
        "or never (needs a checkout with juesuan.document.pdf_split)",
    )
    args = parser.parse_args()
    if args.fonttools_subset:
        import weasyprint.pdf.fonts

        weasyprint.pdf.fonts.harfbuzz_subset = None
    analysis, _ = validate(sample_path(args.sample))
    doc = narrative(analysis)
    charts = chart_images(analysis, doc)
    load = os.getloadavg()[0]
    helpers: list[float] = []
    if args.split == "auto":
        wall, cpu = timed_cpu(lambda: render(analysis, "pdf", doc, charts), args.runs, helpers)
    else:
        from juesuan.document.pdf import layout_pdf

        styles, split = analysis.profile.styles, args.split == "always"
        fn = lambda: layout_pdf(doc, styles, charts, split=split)  # noqa: E731
        wall, cpu = timed_cpu(fn, args.runs, helpers)
    subset = "fontTools" if args.fonttools_subset else "harfbuzz-subset"
    print(
        f"{args.sample} pdf ({subset}, split {args.split}): CPU min {min(cpu):.2f} s, median "
        f"{statistics.median(cpu):.2f} s; wall min {min(wall):.2f} s, median "
        f"{statistics.median(wall):.2f} s; of the CPU, this process median "
        f"{statistics.median([c - h for c, h in zip(cpu, helpers, strict=True)]):.2f} s, helper "
        f"{statistics.median(helpers):.2f} s; "
        f"load {load:.1f} -> {os.getloadavg()[0]:.1f}",
        flush=True,
    )


if __name__ == "__main__":
    main()
