"""Same findings before and after a change to the validation path.

Run:  python bench/validate_equivalence.py inputs DIR                      # write the inputs once
      PYTHONPATH=<before>/src python bench/validate_equivalence.py dump DIR > before.jsonl
      python bench/validate_equivalence.py dump DIR > after.jsonl
      cmp before.jsonl after.jsonl

``inputs`` writes, from the code in use: the two bundled samples and the test corpus (YAML and
fill-in workbooks), 50 synthetic departments (``--seed 1``), 50 more with planted errors in
every one of them, 10 synthetic workbooks, and mutated copies of the seed sample (values
replaced by text, negative, huge, lines removed or doubled, unknown keys, workbook cells
overwritten), so load findings and their locations are covered too.

``dump`` validates every input with and without the run input ``N`` and prints one JSON line
per run: the findings (``Finding.to_dict()``, locations included) and every derived figure.
"""

from __future__ import annotations

import io
import json
import random
import shutil
import sys
from decimal import Decimal
from pathlib import Path

_MUTATIONS = ("abc", "-5", "1e40", "1.2.3", "", "[1, 2]", "{a: 1}", "true", "0x10", "中文")


def make_inputs(outdir: Path) -> None:
    from juesuan.excel.workbook import workbook_bytes
    from juesuan.pipeline import load, sample_path
    from juesuan.synth import SynthOptions, write_synth

    outdir.mkdir(parents=True, exist_ok=True)
    repo = Path(__file__).resolve().parent.parent
    sources = [sample_path("seed"), sample_path("putuo"), *sorted(repo.glob("tests/corpus/*.yaml"))]
    for src in sources:
        shutil.copy(src, outdir / src.name)
    list(write_synth(SynthOptions(count=50, seed=1), outdir / "synth"))
    list(write_synth(SynthOptions(count=50, seed=1, errors=50), outdir / "planted"))
    books = [*sources, *sorted((outdir / "synth").glob("*.yaml"))[:10]]
    for src in books:
        ds, _ = load(src)
        assert ds is not None, src
        (outdir / f"{src.stem}.xlsx").write_bytes(workbook_bytes(ds))
    rng = random.Random(7)
    seed_lines = sample_path("seed").read_text(encoding="utf-8").splitlines(keepends=True)
    mutated = outdir / "mutated"
    mutated.mkdir(exist_ok=True)
    for n in range(80):
        lines = list(seed_lines)
        for _ in range(rng.randint(1, 3)):
            i = rng.randrange(len(lines))
            line = lines[i]
            kind = rng.randrange(4)
            if kind == 0 and ": " in line:
                head = line.split(": ", 1)[0]
                lines[i] = f"{head}: {rng.choice(_MUTATIONS)}\n"
            elif kind == 1:
                del lines[i]
            elif kind == 2:
                lines.insert(i, line)
            else:
                indent = len(line) - len(line.lstrip(" "))
                lines.insert(i, " " * indent + "unknown_key: 1\n")
        (mutated / f"seed-{n:03d}.yaml").write_text("".join(lines), encoding="utf-8")
    _mutate_workbooks(outdir / "seed-2024.xlsx", mutated, rng)


def _mutate_workbooks(book: Path, outdir: Path, rng: random.Random) -> None:
    import openpyxl

    for n in range(20):
        wb = openpyxl.load_workbook(io.BytesIO(book.read_bytes()))
        for _ in range(rng.randint(1, 3)):
            ws = wb.worksheets[rng.randrange(len(wb.worksheets))]
            cells = [c for row in ws.iter_rows() for c in row if c.value is not None]
            if not cells:
                continue
            cell = rng.choice(cells)
            cell.value = rng.choice(["abc", -5, 10**20, None, "1,234.5", 0])
        wb.save(outdir / f"seed-{n:03d}.xlsx")


def dump(indir: Path) -> None:
    import juesuan
    from juesuan.pipeline import validate

    package = str(Path(juesuan.__file__).parent)  # bundled files: the same in both checkouts

    files = sorted(p for p in indir.rglob("*") if p.suffix in (".yaml", ".xlsx"))
    for path in files:
        for inputs in (None, {"N": Decimal("-4.63")}):
            analysis, findings = validate(path, inputs)
            record = {
                "file": str(path.relative_to(indir)),
                "inputs": bool(inputs),
                "findings": [f.to_dict() for f in findings],
                "figures": None if analysis is None else [f.to_dict() for f in analysis.figures],
            }
            line = json.dumps(record, ensure_ascii=False, default=str, sort_keys=True)
            print(line.replace(package, "<juesuan>"))


def main() -> None:
    command, directory = sys.argv[1], Path(sys.argv[2])
    if command == "inputs":
        make_inputs(directory)
    elif command == "dump":
        dump(directory)
    else:
        raise SystemExit(f"unknown command {command!r}: inputs or dump")


if __name__ == "__main__":
    main()
