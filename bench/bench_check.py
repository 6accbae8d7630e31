"""Benchmark: checking the Putuo reference PDF (25 pages), pypdfium2 against pdfplumber, and
a mutation test of the checker on the documents juesuan builds for both samples.

Run:  python bench/bench_check.py [--runs 5] [--mutations]
Prints Markdown for docs/benchmarks.md: median (min) ms per engine for word extraction alone
and for the whole check; with --mutations, the detection rate and the false alarms.
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


def bench_engines(runs: int) -> None:
    from juesuan.check import check_file
    from juesuan.check.reader import read_pdf

    print(f"Putuo reference PDF, 25 pages, {runs} runs: median (min) ms\n")
    print("| engine | words with positions | whole check |")
    print("|---|---|---|")
    for engine in ("pdfium", "pdfplumber"):
        words = timed(lambda e=engine: read_pdf(PUTUO, engine=e), runs)
        whole = timed(lambda e=engine: check_file(PUTUO, engine=e), runs)
        print(f"| {engine} | {ms(words)} | {ms(whole)} |")


def mutations() -> None:
    """Change one printed number at a time in the built DOCX (table cells and sentences) and
    see whether the checker reports it at that place."""
    import docx

    from juesuan.check import check_file
    from juesuan.findings import Severity
    from juesuan.pipeline import sample_path, validate, write_outputs

    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for name in ("seed", "putuo"):
            analysis, _ = validate(sample_path(name))
            (path,) = write_outputs(analysis, Path(tmp) / name, ("docx",))
            base = check_file(path)
            baseline = {_key(i) for i in base.items if i.finding.severity is not Severity.INFO}
            d = docx.Document(str(path))
            targets = []
            for t_i, table in enumerate(d.tables):
                for r_i, row in enumerate(table.rows):
                    for c_i, cell in enumerate(row.cells):
                        if _is_amount(cell.text) and float(cell.text.replace(",", "")) > 0:
                            targets.append(("table", t_i, r_i, c_i))
            for p_i, para in enumerate(d.paragraphs):
                if "万元，占" in para.text:
                    targets.append(("text", p_i, 0, 0))
            detected = 0
            tried = 0
            for target in targets[:: max(1, len(targets) // 60)]:
                d = docx.Document(str(path))
                if not _mutate(d, target):
                    continue
                tried += 1
                out = Path(tmp) / f"{name}-m.docx"
                d.save(str(out))
                report = check_file(out)
                now = {_key(i) for i in report.items if i.finding.severity is not Severity.INFO}
                if now - baseline:
                    detected += 1
            rows.append((name, tried, detected, len(baseline)))
    print("\n| sample | mutations | detected | findings on the unmutated document |")
    print("|---|---|---|---|")
    for name, tried, detected, base in rows:
        print(f"| {name} | {tried} | {detected} ({detected / max(tried, 1):.0%}) | {base} |")


def _key(item) -> tuple:
    f = item.finding
    return (f.code, f.location.table, f.location.row, f.location.column, f.stated, f.message)


def _is_amount(text: str) -> bool:
    t = text.replace(",", "")
    try:
        float(t)
    except ValueError:
        return False
    return "." in t


def _mutate(d, target) -> bool:
    kind = target[0]
    if kind == "table":
        _, t_i, r_i, c_i = target
        cell = d.tables[t_i].rows[r_i].cells[c_i]
        for p in cell.paragraphs:
            for run in p.runs:
                if _is_amount(run.text.strip()):
                    run.text = _bump(run.text.strip())
                    return True
        return False
    _, p_i, _, _ = target
    para = d.paragraphs[p_i]
    for run in para.runs:
        if "%" in run.text:
            import re

            new = re.sub(r"(\d+\.\d\d)%", lambda m: _bump(m.group(1)) + "%", run.text, count=1)
            if new != run.text:
                run.text = new
                return True
    return False


def _bump(text: str) -> str:
    from decimal import Decimal

    value = Decimal(text.replace(",", "")) + Decimal("1.00")
    return f"{value:,.2f}" if "," in text else f"{value:.2f}"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--mutations", action="store_true")
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT / "src"))
    bench_engines(args.runs)
    if args.mutations:
        mutations()


if __name__ == "__main__":
    main()
