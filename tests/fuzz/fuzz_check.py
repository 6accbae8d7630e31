"""Fuzz the checker: ``check_file`` never raises, whatever the document.

Two generators:
- text documents made of random lines of the two golden texts (the seed and Putuo), some lines
  replaced by random digits, units and markers (其中：, （项）, 。。, tabs that start tables) or
  with such a fragment inserted;
- the Putuo reference PDF with random bytes flipped, inserted, deleted or truncated (a damaged
  file must come back as a finding, a readable one must be checked).

Run as a script for the full count:  python tests/fuzz/fuzz_check.py --cases 1000
tests/fuzz/test_fuzz_check.py runs a small, fast subset under pytest.
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from pathlib import Path

from juesuan.check import check_file

GOLDEN = Path(__file__).resolve().parent.parent / "golden"
PIECES = [
    "0",
    "100%",
    "其中：",
    "（项）",
    "\t",
    "。。",
    "-1.5万元",
    "合计",
    "占",
    "增加",
    "1、",
    "XX",
]
ALPHABET = "0123456789.,%万元其中：（）类款项、。；合计总计占增加减少个人分\t "


def text_case(lines: list[str], rng: random.Random) -> str:
    out = []
    for line in rng.sample(lines, k=rng.randint(1, 150)):
        r = rng.random()
        if r < 0.2:
            line = "".join(rng.choice(ALPHABET) for _ in range(rng.randint(1, 40)))
        elif r < 0.4 and line:
            i = rng.randrange(len(line))
            line = line[:i] + rng.choice(PIECES) + line[i:]
        out.append(line)
    return "\n".join(out)


def pdf_case(data: bytes, rng: random.Random) -> bytes:
    b = bytearray(data)
    for _ in range(rng.randint(1, 20)):
        i = rng.randrange(len(b))
        op = rng.random()
        if op < 0.5:
            b[i] = rng.randrange(256)
        elif op < 0.7:
            b[i:i] = bytes(rng.randrange(256) for _ in range(rng.randint(1, 16)))
        elif op < 0.9:
            del b[i : i + rng.randint(1, 64)]
        else:
            del b[i:]
    return bytes(b)


def run(cases: int, seed: int = 0) -> dict[str, int]:
    rng = random.Random(seed)
    lines = []
    for name in ("seed-2024.txt", "putuo-2024.txt"):
        lines += (GOLDEN / name).read_text(encoding="utf-8").splitlines()
    pdf = (GOLDEN / "putuo-2024.pdf").read_bytes()
    counts = {"checked": 0, "unreadable": 0}
    with tempfile.TemporaryDirectory() as tmp:
        for i in range(cases):
            if i % 5 == 4:
                path = Path(tmp) / f"fuzz-{i}.pdf"
                path.write_bytes(pdf_case(pdf, rng))
            else:
                path = Path(tmp) / f"fuzz-{i}.txt"
                path.write_text(text_case(lines, rng), encoding="utf-8")
            report = check_file(path)  # must not raise
            counts["unreadable" if report.fatal else "checked"] += 1
    return counts


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    t0 = time.perf_counter()
    counts = run(args.cases, args.seed)
    print(
        f"{args.cases} cases in {time.perf_counter() - t0:.1f} s: {counts['checked']} checked, "
        f"{counts['unreadable']} reported unreadable, 0 exceptions"
    )


if __name__ == "__main__":
    sys.exit(main())
