"""Benchmark: importing workbooks — the filled seed sample and a generated one with 5,000 项
rows — and raw cell reading with python-calamine (used by the importer) against openpyxl.

Run:  python bench/bench_excel.py [--runs 3]
"""

from __future__ import annotations

import argparse
import io
import statistics
from decimal import Decimal

from timing import timed


def median_ms(fn, runs: int) -> float:
    return statistics.median(timed(fn, runs)) * 1e3


def big_workbook(rows: int) -> bytes:
    from juesuan.excel.fill import fill_template
    from juesuan.io.yaml_loader import load_yaml
    from juesuan.model.dataset import FunctionalLine, FundSpending
    from juesuan.pipeline import sample_path

    ds, _ = load_yaml(sample_path("seed"))
    lines = []
    for k in range(rows):
        code = f"{201 + k // 2500}{(k % 2500) // 50 + 1:02d}{k % 50 + 1:02d}"
        amount = Decimal(k % 997 + 1) / 100
        lines.append(
            FunctionalLine(
                code=code, general_budget=FundSpending(adjusted_budget=amount, basic=amount)
            )
        )
    big = ds.model_copy(update={"functional": lines, "evaluation": None, "stated": []})
    return fill_template(big)


def read_calamine(data: bytes) -> int:
    from python_calamine import CalamineWorkbook

    wb = CalamineWorkbook.from_filelike(io.BytesIO(data))
    return sum(len(wb.get_sheet_by_name(n).to_python()) for n in wb.sheet_names)


def read_openpyxl(data: bytes) -> int:
    import openpyxl

    wb = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    return sum(sum(1 for _ in ws.iter_rows(values_only=True)) for ws in wb.worksheets)


def main() -> None:
    from juesuan.excel.fill import fill_template
    from juesuan.io.workbook.loader import load_workbook_bytes
    from juesuan.io.yaml_loader import load_yaml
    from juesuan.pipeline import sample_path

    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    ds, _ = load_yaml(sample_path("seed"))
    seed = fill_template(ds.model_copy(update={"evaluation": None}))
    big = big_workbook(5000)
    print(f"median of {args.runs} runs, ms\n")
    print(
        "| workbook | import (calamine + parse + validate model) | raw read: calamine | raw read: openpyxl (read-only) |"
    )
    print("|---|---|---|---|")
    for name, data in (("seed sample", seed), ("5,000 项 rows", big)):
        imp = median_ms(lambda d=data: load_workbook_bytes(d, "bench.xlsx"), args.runs)
        cal = median_ms(lambda d=data: read_calamine(d), args.runs)
        opx = median_ms(lambda d=data: read_openpyxl(d), args.runs)
        print(f"| {name} ({len(data) // 1024} KB) | {imp:.0f} | {cal:.0f} | {opx:.0f} |")


if __name__ == "__main__":
    main()
