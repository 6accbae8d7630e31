"""Benchmark: CPU time of ``pipeline.validate`` per synthetic department, in process.

Run:  python bench/bench_validate.py --count 100 --repeat 5           # ms per department
      python bench/bench_validate.py --count 200 --profile tottime     # where the time goes
      PYTHONPATH=<other checkout>/src python bench/bench_validate.py  # the same on other code
      python bench/bench_validate.py --per-dataset --count 50 --seed 1  # seed, putuo, synthetic median

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
    parser.add_argument("--seed", type=int, default=2024, help="seed of the synthetic departments")
    parser.add_argument(
        "--per-dataset",
        action="store_true",
        help="validate CPU ms of each sample and the median synthetic department",
    )
    args = parser.parse_args()
    if args.per_dataset:
        per_dataset(args.count, args.seed, args.repeat)
        return

    from juesuan.pipeline import analyse, load, validate
    from juesuan.synth import SynthOptions, write_synth

    with tempfile.TemporaryDirectory() as tmp:
        options = SynthOptions(count=args.count, seed=args.seed)
        paths = [str(p) for p in write_synth(options, Path(tmp))]
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


def per_dataset(count: int, seed: int, repeat: int, runs: int = 10) -> None:
    """CPU ms of ``validate`` per dataset: each one ``runs`` times in a row, the best of
    ``repeat`` such passes; for the synthetic departments the median over ``count``."""
    import statistics

    from juesuan.pipeline import sample_path, validate
    from juesuan.synth import SynthOptions, write_synth

    def cost(path: str) -> float:
        validate(path)
        best = min(_pass(lambda _i: validate(path), runs) for _ in range(repeat))
        return 1000 * best / runs

    def calls(path: str) -> int:
        """Python function calls of one validation: a count the machine's load cannot move."""
        prof = cProfile.Profile()
        prof.enable()
        validate(path)
        prof.disable()
        return pstats.Stats(prof).total_calls  # type: ignore[attr-defined]

    for name in ("seed", "putuo"):
        path = str(sample_path(name))
        print(f"{name:10s} {cost(path):.2f} ms CPU, {calls(path)} calls per validation")
    with tempfile.TemporaryDirectory() as tmp:
        from juesuan.excel.workbook import workbook_bytes
        from juesuan.pipeline import load

        for name in ("seed", "putuo"):  # the same data as fill-in workbooks
            book = Path(tmp) / f"{name}.xlsx"
            book.write_bytes(workbook_bytes(load(sample_path(name))[0]))
            print(f"{name + '.xlsx':10s} {cost(str(book)):.2f} ms CPU, {calls(str(book))} calls")
        paths = [str(p) for p in write_synth(SynthOptions(count=count, seed=seed), Path(tmp))]
        costs = [cost(p) for p in paths]
        counts = [calls(p) for p in paths]
    print(
        f"synthetic  {statistics.median(costs):.2f} ms CPU, {int(statistics.median(counts))} "
        f"calls per validation (median of {count}, seed {seed}; "
        f"CPU min {min(costs):.2f}, max {max(costs):.2f})"
    )


def _pass(step, n: int) -> float:
    t0 = time.process_time()
    for i in range(n):
        step(i)
    return time.process_time() - t0


if __name__ == "__main__":
    main()
