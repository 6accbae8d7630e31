"""Fuzz the workbook importer: no traceback ever, every rejection has a located message.

Two generators over the filled seed workbook:
- cell mutations (hypothesis): a random cell of a random sheet gets a random value
  (text, numbers of any size, formulas, control characters, very long strings, blanks);
- byte mutations: random bytes of the .xlsx file flipped, inserted, deleted or truncated
  (this mostly exercises the zip/XML layer).

Run as a script for the full count:  python tests/fuzz/fuzz_workbook.py --cases 10000
tests/fuzz/test_fuzz_workbook.py runs a small, fast subset under pytest.
"""

from __future__ import annotations

import argparse
import io
import random
import sys
import time

import openpyxl

from juesuan.core.findings import Finding
from juesuan.excel.fill import fill_template
from juesuan.io.workbook.loader import load_workbook_bytes
from juesuan.io.yaml_loader import load_yaml
from juesuan.pipeline import sample_path

VALUES = [
    "",
    " ",
    "0",
    "-1",
    "1e308",
    "1e-308",
    "NaN",
    "inf",
    "一百",
    "1,234.56",
    "１２３",
    "=1+1",
    '=HYPERLINK("http://x")',
    "+1",
    "@SUM(A1)",
    "\x00",
    "\x1f",
    "a" * 5000,
    "2013101",
    "20131011",
    "301",
    "万元",
    "元",
    "单位：元",
    "单位：万元",
    "合计",
    None,
    0,
    -5,
    10**20,
    1.5,
    -0.0,
    True,
]


def seed_workbook() -> bytes:
    ds, _ = load_yaml(sample_path("seed"))
    return fill_template(ds)


def located(f: Finding) -> bool:
    loc = f.location
    return bool(loc.file and (loc.sheet or loc.cell or loc.line or loc.path or loc.file))


def check(data: bytes, origin: str) -> str:
    """Import ``data``; raise AssertionError on a traceback or an unlocated rejection."""
    ds, findings = load_workbook_bytes(data, origin)
    if ds is None:
        assert findings, "rejected without a message"
    for f in findings:
        assert f.message and located(f), f"unlocated finding: {f.render()}"
    return "ok" if ds is not None else "rejected"


def mutate_cells(base: bytes, rng: random.Random) -> bytes:
    wb = openpyxl.load_workbook(io.BytesIO(base))
    for _ in range(rng.randint(1, 4)):
        ws = rng.choice(wb.worksheets)
        row = rng.randint(1, max(ws.max_row, 1) + 2)
        col = rng.randint(1, max(ws.max_column, 1) + 1)
        value = rng.choice(VALUES)
        try:
            ws.cell(row=row, column=col).value = value
        except Exception:  # openpyxl refuses merged cells and control characters
            continue
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def mutate_bytes(base: bytes, rng: random.Random) -> bytes:
    data = bytearray(base)
    for _ in range(rng.randint(1, 8)):
        op = rng.random()
        pos = rng.randrange(len(data)) if data else 0
        if op < 0.5 and data:
            data[pos] = rng.randrange(256)
        elif op < 0.7:
            data[pos:pos] = bytes(rng.randrange(256) for _ in range(rng.randint(1, 16)))
        elif op < 0.9 and data:
            del data[pos : pos + rng.randint(1, 64)]
        else:
            data = data[: rng.randrange(len(data) + 1)]
    return bytes(data)


def run(cases: int, seed: int = 0) -> dict[str, int]:
    rng = random.Random(seed)
    base = seed_workbook()
    counts = {"ok": 0, "rejected": 0}
    cell_base = base
    for i in range(cases):
        if i % 10 == 0:  # cell mutations are slower (openpyxl round trip)
            data = mutate_cells(cell_base, rng)
        else:
            data = mutate_bytes(base, rng)
        counts[check(data, f"fuzz-{i}.xlsx")] += 1
    return counts


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, default=10000)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    t0 = time.perf_counter()
    counts = run(args.cases, args.seed)
    print(
        f"{args.cases} cases in {time.perf_counter() - t0:.1f} s: {counts['ok']} imported, "
        f"{counts['rejected']} rejected with located messages, 0 tracebacks"
    )


if __name__ == "__main__":
    sys.exit(main())
