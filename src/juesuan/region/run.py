"""``juesuan region report|score``: map the per-department functions over the datasets on the
batch engine (Dask, or in-process), reduce on the client, write the outputs.

The worker tasks here are the only impure part of the region layer (they read the dataset
files); :mod:`juesuan.region.facts`, :mod:`~juesuan.region.aggregate` and
:mod:`~juesuan.region.score` are pure and serve the service's reviewer pages as well.
"""

from __future__ import annotations

import csv
import io
import json
import os
from collections.abc import Mapping
from decimal import Decimal
from pathlib import Path

from juesuan.batch.engine import EngineError, TaskFailure, open_engine
from juesuan.batch.inputs import discover
from juesuan.region.aggregate import RegionReport, aggregate, region_inputs
from juesuan.region.facts import (
    REGION_AVERAGE_INPUT,
    DepartmentFacts,
    department_facts,
    failed_facts,
)
from juesuan.region.score import Rescore, rescore

Args = tuple[str, str, tuple[tuple[str, str], ...]]


class RegionError(Exception):
    """A problem with the whole run (no inputs, no cluster); Chinese message."""


def facts_task(arg: Args) -> DepartmentFacts:
    """Worker: load, validate and extract one department's facts (never raises)."""
    from juesuan.pipeline import validate

    display, path, inputs = arg
    try:
        analysis, findings = validate(path, {k: Decimal(v) for k, v in inputs})
        if analysis is None:
            first = next((f for f in findings if f.severity.name == "ERROR"), None)
            reason = f"{first.code} {first.message}" if first else "数据无法读取"
            return failed_facts(display, reason, findings)
        return department_facts(display, analysis, findings)
    except Exception as exc:  # one bad input never stops the region
        return failed_facts(display, f"处理时出现内部错误（{type(exc).__name__}）")


def rescore_task(arg: Args) -> Rescore:
    """Worker: rescore one department with the region's inputs (never raises)."""
    from juesuan.pipeline import validate

    display, path, inputs = arg
    try:
        run_inputs = {k: Decimal(v) for k, v in inputs}
        analysis, findings = validate(path, run_inputs)
        if analysis is None:
            first = next((f for f in findings if f.severity.name == "ERROR"), None)
            return Rescore(display, None, "failed", first.message if first else "数据无法读取")
        return rescore(display, analysis, run_inputs)
    except Exception as exc:
        return Rescore(display, None, "failed", f"处理时出现内部错误（{type(exc).__name__}）")


def _args(
    inputs: list[str], run_inputs: Mapping[str, Decimal]
) -> tuple[list[Args], list[DepartmentFacts]]:
    items, missing = discover(inputs, "validate")
    if not items and not missing:
        raise RegionError("没有找到数据文件（.yaml、.yml、.xlsx）")
    frozen = tuple((k, str(v)) for k, v in sorted(run_inputs.items()))
    args = [(it.display, str(it.path), frozen) for it in items]
    return args, [failed_facts(m.display, m.reason) for m in missing]


def collect_facts(
    inputs: list[str],
    *,
    workers: int | None = None,
    scheduler: str | None = None,
    run_inputs: Mapping[str, Decimal] | None = None,
) -> list[DepartmentFacts]:
    args, facts = _args(inputs, run_inputs or {})
    try:
        with open_engine(workers, scheduler) as engine:
            for i, result in engine.map_unordered(facts_task, args):
                if isinstance(result, TaskFailure):
                    result = failed_facts(args[i][0], result.reason)
                facts.append(result)
    except EngineError as exc:
        raise RegionError(str(exc)) from None
    return facts


def _write(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp{os.getpid()}")
    tmp.write_bytes(data)
    tmp.replace(path)


def write_report(report: RegionReport, path: Path) -> Path:
    from juesuan.region.report import to_html, to_json, to_xlsx

    suffix = path.suffix.lower()
    if suffix == ".json":
        data = to_json(report).encode("utf-8")
    elif suffix == ".xlsx":
        data = to_xlsx(report)
    else:
        data = to_html(report).encode("utf-8")
    try:
        _write(path, data)
    except OSError as exc:
        raise RegionError(f"无法写入「{path}」：{exc.strerror or exc}") from None
    return path


def region_report_files(
    inputs: list[str],
    outs: list[Path],
    *,
    workers: int | None = None,
    scheduler: str | None = None,
    threshold: int = 30,
    run_inputs: Mapping[str, Decimal] | None = None,
) -> list[Path]:
    facts = collect_facts(inputs, workers=workers, scheduler=scheduler, run_inputs=run_inputs)
    report = aggregate(facts, Decimal(threshold))
    return [write_report(report, p) for p in outs]


def region_score_run(
    inputs: list[str],
    *,
    workers: int | None = None,
    scheduler: str | None = None,
    n_value: Decimal | None = None,
    out: Path | None = None,
) -> tuple[str, int]:
    """Compute N from the datasets (unless given), rescore everyone; (text, changed count)."""
    try:
        with open_engine(workers, scheduler) as engine:
            if n_value is None:
                args, failed = _args(inputs, {})
                facts: list[DepartmentFacts] = list(failed)
                for i, result in engine.map_unordered(facts_task, args):
                    facts.append(
                        failed_facts(args[i][0], result.reason)
                        if isinstance(result, TaskFailure)
                        else result
                    )
                averages, counts = region_inputs(facts)
                if REGION_AVERAGE_INPUT not in averages:
                    raise RegionError("没有部门能计算人均资产变化率，无法得出区域平均值N")
                n_value = averages[REGION_AVERAGE_INPUT]
                source = f"由{counts[REGION_AVERAGE_INPUT]}个部门的数据计算"
            else:
                source = "由命令行给出"
            args, _ = _args(inputs, {REGION_AVERAGE_INPUT: n_value})
            results: list[Rescore] = []
            for i, result in engine.map_unordered(rescore_task, args):
                if isinstance(result, TaskFailure):
                    result = Rescore(args[i][0], None, "failed", result.reason)
                results.append(result)
    except EngineError as exc:
        raise RegionError(str(exc)) from None
    results.sort(key=lambda r: (r.department or "", r.input))
    if out is not None:
        data = (
            score_json(n_value, source, results)
            if out.suffix.lower() == ".json"
            else score_csv(results)
        )
        try:
            _write(out, data.encode("utf-8"))
        except OSError as exc:
            raise RegionError(f"无法写入「{out}」：{exc.strerror or exc}") from None
    return score_text(n_value, source, results), sum(r.changed for r in results)


def score_text(n: Decimal, source: str, results: list[Rescore]) -> str:
    lines = [f"区直行政事业单位人均资产变化率平均值 N = {n}%（{source}）"]
    changed = [r for r in results if r.changed]
    lines.append(f"共{len(results)}个部门，{len(changed)}个部门的得分与自评表列示不同：")
    for r in results:
        name = r.department or r.input
        if r.status != "ok":
            lines.append(f"  {name}：未评分（{r.reason}）")
            continue
        y = "" if r.value is None else f"，人均资产变化率Y={r.value.quantize(Decimal('0.01'))}%"
        if not r.changes:
            lines.append(f"  {name}：得分不变（总分{r.stated_total}）{y}")
            continue
        detail = "；".join(
            f"{c.name} {c.stated if c.stated is not None else '（未列示）'}→{c.rescored}"
            for c in r.changes
        )
        lines.append(f"  {name}{y}：{detail}")
    return "\n".join(lines) + "\n"


def score_json(n: Decimal, source: str, results: list[Rescore]) -> str:
    from juesuan.region.report import _plain

    payload = {"N": str(n), "source": source, "departments": [_plain(r) for r in results]}
    return json.dumps(payload, ensure_ascii=False, indent=1) + "\n"


def score_csv(results: list[Rescore]) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(["部门", "输入文件", "状态", "人均资产变化率Y", "指标", "列示得分", "重新评分"])
    for r in results:
        if not r.changes:
            w.writerow(
                [
                    r.department or "",
                    r.input,
                    r.status,
                    r.value or "",
                    "",
                    r.stated_total or "",
                    r.rescored_total or "",
                ]
            )
        for c in r.changes:
            w.writerow(
                [
                    r.department or "",
                    r.input,
                    r.status,
                    r.value or "",
                    c.name,
                    c.stated or "",
                    c.rescored or "",
                ]
            )
    return buf.getvalue()
