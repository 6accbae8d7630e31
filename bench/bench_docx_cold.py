"""Benchmark: the DOCX writer in a cold process (seed), per source tree.

Run:  python bench/bench_docx_cold.py [--runs 5] [--src DIR ...]
Each round starts one fresh process per source tree (``--src``: put on ``PYTHONPATH``, e.g.
a worktree of main to compare with; default the installed package), alternating the trees.
The process validates the seed sample and composes its document and charts, then measures
(CPU time, ms) importing the DOCX writer, the first ``write_docx`` and a second one, and
lists the third-party packages the writer loaded. Compile the trees first
(``python -m compileall -q DIR``) when bytecode writing is off.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys

CHILD = """
import sys, time
from juesuan.pipeline import chart_images, narrative, sample_path, validate
a, _ = validate(sample_path("seed"))
doc = narrative(a)
charts = chart_images(a, doc)
before = set(sys.modules)
t0 = time.process_time()
from juesuan.document.docx import write_docx
t1 = time.process_time()
write_docx(doc, a.profile.styles, charts)
t2 = time.process_time()
write_docx(doc, a.profile.styles, charts)
t3 = time.process_time()
loaded = sorted({m.split(".")[0] for m in set(sys.modules) - before} - {"juesuan"})
print(f"{(t1-t0)*1e3:.1f} {(t2-t1)*1e3:.1f} {(t2-t0)*1e3:.1f} {(t3-t2)*1e3:.1f} {','.join(loaded)}")
"""


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--src", nargs="*", default=[""], help="source trees ('' = installed)")
    args = parser.parse_args()
    print("| source | import ms | first write ms | cold total ms | second write ms | loaded |")
    print("|---|---:|---:|---:|---:|---|")
    for _ in range(args.runs):
        for src in args.src:
            env = dict(os.environ)
            if src:
                env["PYTHONPATH"] = src
            out = subprocess.run(
                [sys.executable, "-c", CHILD], env=env, capture_output=True, text=True, check=True
            ).stdout.split()
            loaded = out[4] if len(out) > 4 else ""
            print(f"| {src or 'installed'} | {' | '.join(out[:4])} | {loaded} |", flush=True)


if __name__ == "__main__":
    main()
