"""CPU time of ``check_file`` on the Putuo reference PDF against ``pdftotext -layout`` on the
same file, for one source tree (to compare two trees under the same load, alternate them).

Run:  python bench/cpu_ratio.py [SRC_DIR]    (default: this checkout's src)
CPU time (getrusage; the command's as a child) is less disturbed by other load than wall time.
"""

from __future__ import annotations

import resource
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PUTUO = ROOT / "tests" / "golden" / "putuo-2024.pdf"
RUNS = 8


def used(who: int) -> float:
    r = resource.getrusage(who)
    return r.ru_utime + r.ru_stime


def main() -> None:
    src = sys.argv[1] if len(sys.argv) > 1 else str(ROOT / "src")
    sys.path.insert(0, src)
    from juesuan.check import check_file

    check_file(PUTUO)
    start = used(resource.RUSAGE_SELF)
    for _ in range(RUNS):
        check_file(PUTUO)
    check = (used(resource.RUSAGE_SELF) - start) / RUNS * 1000
    start = used(resource.RUSAGE_CHILDREN)
    for _ in range(RUNS):
        subprocess.run(["pdftotext", "-layout", str(PUTUO), "-"], capture_output=True, check=False)
    plain = (used(resource.RUSAGE_CHILDREN) - start) / RUNS * 1000
    print(
        f"{src}: check_file {check:.0f} ms CPU, pdftotext {plain:.0f} ms CPU, {check / plain:.2f}×"
    )


if __name__ == "__main__":
    main()
