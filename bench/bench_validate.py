"""Benchmark: CPU time of ``pipeline.validate`` per synthetic department, in process.

Run:  python bench/bench_validate.py --count 100 --repeat 5           # ms per department
      python bench/bench_validate.py --count 200 --profile tottime     # where the time goes
      PYTHONPATH=<other checkout>/src python bench/bench_validate.py  # the same on other code

Synthetic departments come from ``juesuan.synth`` (seed 2024, generated once, not timed); one
validation first warms imports and caches. The figure is the best of ``--repeat`` passes of
process CPU time (``time.process_time``): on a shared machine it varies less than wall time.
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import tempfile
import time
from pathlib import Path


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--count", type=int, default=100)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--profile", metavar="SORT", help="cProfile one pass, sorted by SORT")
    args = parser.parse_args()

    from juesuan.pipeline import analyse, load, validate
    from juesuan.synth import SynthOptions, write_synth

    with tempfile.TemporaryDirectory() as tmp:
        paths = [str(p) for p in write_synth(SynthOptions(count=args.count, seed=2024), Path(tmp))]
        validate(paths[0])
        if args.profile:
            prof = cProfile.Profile()
            prof.enable()
            for p in paths:
                validate(p)
            prof.disable()
            pstats.Stats(prof).sort_stats(args.profile).print_stats(40)
            return
        datasets = [load(p)[0] for p in paths]
        for name, step in (
            ("load", lambda i: load(paths[i])),
            ("analyse", lambda i: analyse(datasets[i])),
            ("validate", lambda i: validate(paths[i])),
        ):
            best = min(_pass(step, len(paths)) for _ in range(args.repeat))
            print(f"{name:10s} {1000 * best / len(paths):.2f} ms CPU per department")


def _pass(step, n: int) -> float:
    t0 = time.process_time()
    for i in range(n):
        step(i)
    return time.process_time() - t0


if __name__ == "__main__":
    main()
