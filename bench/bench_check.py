"""Benchmark: checking the Putuo reference PDF (25 pages), pypdfium2 against pdfplumber, and
a mutation test of the checker on the documents juesuan builds for both samples.

Run:  python bench/bench_check.py [--runs 5] [--mutations [--step N] [--verbose]
      [--variants matrix,glyphs,shuffled,norules] [--producers libreoffice,chromium]
      [--pdf-only] [--samples seed,putuo]]
Prints Markdown for docs/benchmarks.md: median (min) ms per engine for word extraction alone
and for the whole check; with --mutations, per sample and format how many one-number changes
the checker finds at their place, and the findings on the unmutated documents.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
from pathlib import Path

from timing import timed

ROOT = Path(__file__).resolve().parent.parent
PUTUO = ROOT / "tests" / "golden" / "putuo-2024.pdf"


def ms(values: list[float]) -> str:
    return f"{statistics.median(values) * 1000:.0f} ({min(values) * 1000:.0f})"


def cpu_ms(fn, runs: int, children: bool = False) -> float:
    """Mean CPU milliseconds per call (this process, or its children for a command)."""
    import resource

    who = resource.RUSAGE_CHILDREN if children else resource.RUSAGE_SELF

    def used() -> float:
        r = resource.getrusage(who)
        return r.ru_utime + r.ru_stime

    fn()
    start = used()
    for _ in range(runs):
        fn()
    return (used() - start) / runs * 1000


def bench_engines(runs: int) -> None:
    from juesuan.check import check_file
    from juesuan.check.read.reader import read_pdf

    print(f"Putuo reference PDF, 25 pages, {runs} runs: median (min) ms\n")
    print("| engine | words with positions | whole check |")
    print("|---|---|---|")
    for engine in ("pdfium", "pdfplumber"):
        words = timed(lambda e=engine: read_pdf(PUTUO, engine=e), runs)
        whole = timed(lambda e=engine: check_file(PUTUO, engine=e), runs)
        print(f"| {engine} | {ms(words)} | {ms(whole)} |")
    import shutil
    import subprocess

    whole = timed(lambda: check_file(PUTUO), runs)
    pdftotext = shutil.which("pdftotext")
    if pdftotext:
        plain = timed(
            lambda: subprocess.run([pdftotext, "-layout", str(PUTUO), "-"], capture_output=True),
            runs,
        )
        ratio = statistics.median(whole) / statistics.median(plain)
        print(f"\npdftotext -layout: {ms(plain)} ms; whole check / pdftotext = {ratio:.1f}×")
        # CPU time, less disturbed by other load on the machine than wall time
        check_cpu = cpu_ms(lambda: check_file(PUTUO), runs)
        plain_cpu = cpu_ms(
            lambda: subprocess.run([pdftotext, "-layout", str(PUTUO), "-"], capture_output=True),
            runs,
            children=True,
        )
        print(
            f"CPU time per run: check_file {check_cpu:.0f} ms, pdftotext {plain_cpu:.0f} ms, "
            f"ratio {check_cpu / plain_cpu:.1f}×"
        )
    exe = shutil.which("juesuan")
    if exe:
        command = timed(
            lambda: subprocess.run([exe, "check", str(PUTUO)], capture_output=True), runs
        )
        print(f"`juesuan check` as a command (start-up included): {ms(command)} ms")


def _reencoded(source: Path, variant: str, tmp: Path):
    from mutation import mutate_pdf
    from pdf_variants import reencode

    def mutate(_path: Path, target, out: Path) -> bool:
        edited = tmp / "edited.pdf"
        return mutate_pdf(source, target, edited) and bool(reencode(edited, out, variant))

    return mutate


def mutations(
    step: int,
    verbose: bool,
    variants: tuple[str, ...] = (),
    producers: tuple[str, ...] = (),
    pdf_only: bool = False,
    samples: tuple[str, ...] = ("seed", "putuo"),
) -> None:
    """Every stated number of the built DOCX and PDF of both samples, changed one at a time
    (tests/check/mutation.py): is it found at its table, paragraph or page?"""
    sys.path.insert(0, str(ROOT / "tests"))
    sys.path.insert(0, str(ROOT / "tests" / "check"))
    from mutation import docx_targets, keys, mutate_docx, mutate_pdf, pdf_targets, run_mutations
    from pdf_variants import reencode

    from juesuan.check import check_file
    from juesuan.pipeline import sample_path, validate, write_outputs

    rows = []
    missed = []
    with tempfile.TemporaryDirectory() as tmp:
        for name in samples:
            analysis, _ = validate(sample_path(name))
            built = list(write_outputs(analysis, Path(tmp) / name, ("docx", "pdf", "html")))
            skip = (".html", ".docx") if pdf_only else (".html",)
            cases = [(p, p.suffix[1:], None) for p in built if p.suffix not in skip]
            pdf = next(p for p in built if p.suffix == ".pdf")
            for producer in producers:  # another producer's PDF, mutated in place
                made = _produce(producer, built, Path(tmp) / name / producer)
                if made is not None:
                    cases.append((made, f"pdf-{producer}", None))
            for variant in variants:
                dst = Path(tmp) / name / f"{variant}.pdf"
                cases.append((reencode(pdf, dst, variant), f"pdf-{variant}", variant))
            for path, fmt, variant in cases:
                find, mutate = (
                    (docx_targets, mutate_docx) if fmt == "docx" else (pdf_targets, mutate_pdf)
                )
                if variant is not None:  # mutate the WeasyPrint PDF, then re-encode it
                    find = lambda _p, src=pdf: pdf_targets(src)  # noqa: E731
                    mutate = _reencoded(pdf, variant, Path(tmp))
                targets = find(path)[::step]
                base = len(keys(check_file(path)))
                outcomes = list(run_mutations(path, targets, mutate, Path(tmp)))
                applied = [o for o in outcomes if o.applied]
                here = sum(1 for o in applied if o.at_place)
                other = sum(1 for o in applied if not o.at_place and o.elsewhere)
                noted = sum(1 for o in applied if not (o.at_place or o.elsewhere) and o.noted)
                rows.append((name, fmt, len(applied), here, other, noted, base))
                missed += [
                    (name, fmt, o) for o in applied if not (o.at_place or o.elsewhere or o.noted)
                ]
    print(
        "\n| sample | format | mutations | found at the place | found elsewhere "
        "| rounding note only | not found | findings on the unmutated document |"
    )
    print("|---|---|---|---|---|---|---|---|")
    for name, fmt, n, here, other, noted, base in rows:
        lost = n - here - other - noted
        print(
            f"| {name} | {fmt} | {n} | {here} ({here / max(n, 1):.0%}) | {other} | {noted} "
            f"| {lost} | {base} |"
        )
    if verbose:
        print("\nnot found:")
        for name, fmt, o in missed:
            t = o.target
            print(f"  {name} {fmt} {t.where} {t.old}→{t.new}  {t.label[:70]}")


def _produce(producer: str, built: list[Path], outdir: Path) -> Path | None:
    from producers import chromium_pdf, libreoffice_pdf

    source = {p.suffix: p for p in built}
    if producer == "libreoffice":
        return libreoffice_pdf(source[".docx"], outdir)
    outdir.mkdir(parents=True, exist_ok=True)
    return chromium_pdf(source[".html"], outdir / "chromium.pdf")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--mutations", action="store_true")
    parser.add_argument("--step", type=int, default=1, help="mutate every n-th target only")
    parser.add_argument("--verbose", action="store_true", help="list the mutations not found")
    parser.add_argument(
        "--variants",
        default="",
        help="also the PDF re-encoded as other producers write it, e.g. matrix,glyphs,shuffled,norules",
    )
    parser.add_argument("--pdf-only", action="store_true", help="no DOCX mutations")
    parser.add_argument("--samples", default="seed,putuo", help="bundled samples to mutate")
    parser.add_argument(
        "--producers", default="", help="also other producers' PDFs: libreoffice,chromium"
    )
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT / "src"))
    if args.runs:
        bench_engines(args.runs)
    if args.mutations:
        mutations(
            args.step,
            args.verbose,
            tuple(v for v in args.variants.split(",") if v),
            tuple(p for p in args.producers.split(",") if p),
            args.pdf_only,
            tuple(args.samples.split(",")),
        )


if __name__ == "__main__":
    main()
