"""Instruction counts (callgrind) of ``check_file`` on the Putuo PDF against ``pdftotext
-layout`` on the same file: repeatable, unlike CPU time on a loaded machine.

Run:  python bench/bench_check_instructions.py [SRC_DIR ...]   (default: this checkout's src)
Needs valgrind. ``check_file`` is counted as the difference between a run that checks the
file once after a warm-up and one that only warms up (imports, catalogs and caches excluded).
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PUTUO = ROOT / "tests" / "golden" / "putuo-2024.pdf"
CHILD = """
import sys
sys.path.insert(0, sys.argv[1])
from juesuan.check import check_file
check_file(sys.argv[2])
for _ in range(int(sys.argv[3])):
    check_file(sys.argv[2])
"""


def instructions(cmd: list[str]) -> int:
    out = subprocess.run(
        ["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null", *cmd],
        capture_output=True,
        text=True,
        check=False,
    )
    m = re.search(r"Collected : (\d+)", out.stderr)
    if m is None:
        raise SystemExit(out.stderr[-2000:])
    return int(m.group(1))


def main() -> None:
    sources = sys.argv[1:] or [str(ROOT / "src")]
    plain = instructions(["pdftotext", "-layout", str(PUTUO), "/dev/null"])
    print(f"pdftotext -layout: {plain / 1e6:.1f} M instructions")
    for src in sources:
        runs = [
            instructions([sys.executable, "-c", CHILD, src, str(PUTUO), str(n)]) for n in (0, 1)
        ]
        check = runs[1] - runs[0]
        print(f"{src}: check_file {check / 1e6:.1f} M instructions, {check / plain:.2f}× pdftotext")


if __name__ == "__main__":
    main()
