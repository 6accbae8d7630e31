"""What a worker does with one input: validate, build or check it through :mod:`juesuan.pipeline`
and :mod:`juesuan.check`, and return a small result with the artifacts as bytes.

The worker never writes to OUT; the client does (one writer, atomic renames), so workers on
other machines only need to read the inputs. Nothing here raises: every problem becomes a
``failed`` result with a Chinese reason.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache
from pathlib import Path

from juesuan.check.limits import TIME_BUDGET

OK, FINDINGS, FAILED = "ok", "findings", "failed"
STATUS_LABELS = {OK: "通过", FINDINGS: "有错误", FAILED: "失败"}
MAX_INPUT_BYTES = 64 * 1024 * 1024  # a dataset or document larger than this is refused
# the default time budget of checking one document is the checker's own (check.limits)
CHECK_SECONDS = TIME_BUDGET
START_SECONDS = 60.0  # a fresh interpreter's imports, on top of the budget (daemon workers)


@dataclass(frozen=True)
class TaskSpec:
    kind: str  # validate | build | check
    display: str
    path: str
    formats: tuple[str, ...] = ()
    force: bool = False
    run_inputs: tuple[tuple[str, str], ...] = ()  # name, Decimal text
    engine: str = "pdfium"
    timeout: float = CHECK_SECONDS  # check: wall-time budget of one document


@dataclass
class ItemResult:
    """One input's outcome. ``artifacts`` (name → bytes) travel to the client once and are
    written to OUT; the summary row keeps only the names."""

    display: str
    status: str
    department: str | None = None
    year: int | None = None
    errors: int = 0
    warnings: int = 0
    infos: int = 0
    total: str | None = None  # 本年支出合计, 万元 (Decimal text)
    reason: str | None = None
    seconds: float = 0.0
    artifacts: dict[str, bytes] = field(default_factory=dict)

    def row(self) -> dict[str, object]:
        """The deterministic part of the summary row (no timing)."""
        return {
            "input": self.display,
            "department": self.department,
            "year": self.year,
            "status": self.status,
            "errors": self.errors,
            "warnings": self.warnings,
            "infos": self.infos,
            "total_expenditure": self.total,
            "reason": self.reason,
            "files": sorted(self.artifacts),
        }


def run_specs(specs: list[TaskSpec]) -> list[ItemResult]:
    """The task Dask runs: a chunk of inputs, one result each."""
    return [run_one(s) for s in specs]


def warm_up(kind: str) -> None:
    """Load, once per worker, what the tasks of ``kind`` need (modules, catalogs, rule and
    indicator tables), by validating the bundled sample or checking a small text; the engine
    runs this while the client plans the batch."""
    if kind == "check":
        import multiprocessing

        if not multiprocessing.current_process().daemon:
            _warm_checker()
        return
    from juesuan.pipeline import sample_path, validate

    validate(sample_path("seed"))


def run_one(spec: TaskSpec) -> ItemResult:
    start = time.perf_counter()
    try:
        size = Path(spec.path).stat().st_size
        if size > MAX_INPUT_BYTES:
            result = ItemResult(spec.display, FAILED, reason=f"文件过大（{size // 1048576} MB）")
        elif spec.kind == "check":
            result = _check(spec)
        else:
            result = _dataset(spec)
    except OSError as exc:
        result = ItemResult(spec.display, FAILED, reason=f"无法读取文件（{exc.strerror or exc}）")
    except Exception as exc:  # the batch must go on; the row says what happened
        result = ItemResult(
            spec.display, FAILED, reason=f"处理时出现内部错误（{type(exc).__name__}）"
        )
    result.seconds = time.perf_counter() - start
    return result


def _counts(findings: list) -> tuple[int, int, int]:
    from juesuan.core.findings import Severity

    e = sum(1 for f in findings if f.severity is Severity.ERROR)
    w = sum(1 for f in findings if f.severity is Severity.WARNING)
    return e, w, len(findings) - e - w


def _first_error(findings: list) -> str | None:
    from juesuan.core.findings import Severity

    for f in findings:
        if f.severity is Severity.ERROR:
            return f"{f.code} {f.message}"
    return None


def _findings_json(findings: list) -> bytes:
    payload = [f.to_dict() for f in findings]
    return (json.dumps(payload, ensure_ascii=False, indent=1) + "\n").encode("utf-8")


def _dataset(spec: TaskSpec) -> ItemResult:
    from juesuan.pipeline import chart_images, narrative, output_stem, render, validate

    inputs = {k: Decimal(v) for k, v in spec.run_inputs}
    analysis, findings = validate(spec.path, inputs)
    errors, warnings, infos = _counts(findings)
    result = ItemResult(
        spec.display, FINDINGS if errors else OK, errors=errors, warnings=warnings, infos=infos
    )
    result.artifacts["findings.json"] = _findings_json(findings)
    if analysis is None:
        result.status = FAILED
        result.reason = _first_error(findings) or "数据无法读取"
        return result
    ds = analysis.dataset
    result.department, result.year = ds.department.name, ds.year
    total = analysis.figures.value("expenditure.total")
    result.total = None if total is None else str(total)
    if errors:
        result.reason = _first_error(findings)
    if spec.kind != "build":
        return result
    if errors and not spec.force:
        result.reason = f"数据有错误，未生成文件：{result.reason}"
        return result
    doc = narrative(analysis)
    needs_charts = any(f in spec.formats for f in ("docx", "pdf", "html"))
    charts = chart_images(analysis, doc) if needs_charts else {}
    stem = output_stem(analysis)
    for fmt in spec.formats:
        result.artifacts[f"{stem}.{fmt}"] = render(analysis, fmt, doc, charts)
    return result


def _check_bounded(spec: TaskSpec):
    """``check_file`` of an untrusted document under a time and memory budget: in a forked
    child (:func:`check_file_limited`). A daemonic process (a Dask worker started without
    ``distributed.worker.daemon: false``) may not fork through ``multiprocessing``: there the
    check runs in a fresh interpreter, which forks the bounded child itself."""
    import multiprocessing

    from juesuan.check.limits import check_file_limited

    if not multiprocessing.current_process().daemon:
        _warm_checker()
        return check_file_limited(spec.path, engine=spec.engine, seconds=spec.timeout)
    import pickle
    import subprocess
    import sys

    code = (
        "import pickle, sys\n"
        "from juesuan.check.limits import check_file_limited\n"
        "report = check_file_limited(sys.argv[1], engine=sys.argv[2], seconds=float(sys.argv[3]))\n"
        "sys.stdout.buffer.write(pickle.dumps(report))\n"
    )
    argv = [sys.executable, "-c", code, spec.path, spec.engine, repr(spec.timeout)]
    try:
        done = subprocess.run(
            argv, capture_output=True, timeout=spec.timeout + START_SECONDS, check=True
        )
    except subprocess.TimeoutExpired:
        return None
    return pickle.loads(done.stdout)  # our own child's output


@cache
def _warm_checker() -> None:
    """Check a small text of our own once in this (long-lived) process, so the modules and
    tables the checker loads on first use (≈4 s) are inherited by every forked child instead
    of being loaded again inside each document's time budget."""
    import tempfile

    from juesuan.check import check_file

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "warm.txt"
        path.write_text("某部门2024年度部门决算\n一、部门基本情况\n", encoding="utf-8")
        check_file(str(path))
    import pypdfium2  # noqa: F401 - the PDF reader, likewise inherited


def _timed_out(report) -> bool:
    from juesuan.check.limits import TOO_COMPLEX

    return any(
        f.code == "CHK-092" and f.message.startswith(TOO_COMPLEX) and "超出时间" in f.message
        for f in report.fatal
    )


def _check(spec: TaskSpec) -> ItemResult:
    from juesuan.check.report import counts, to_html, to_json
    from juesuan.core.findings import Severity

    report = _check_bounded(spec)
    if report is None or _timed_out(report):
        return ItemResult(
            spec.display,
            FAILED,
            reason=f"超时：{spec.timeout:g}秒内未能检查完（文件可能过于复杂或已损坏）",
            artifacts={} if report is None else {"check.json": to_json(report).encode() + b"\n"},
        )
    if report.fatal:
        return ItemResult(
            spec.display,
            FAILED,
            errors=len(report.fatal),
            reason="；".join(f.message for f in report.fatal)[:500],
            artifacts={"check.json": to_json(report).encode("utf-8") + b"\n"},
        )
    c = counts(report)
    result = ItemResult(
        spec.display,
        OK if report.ok else FINDINGS,
        year=report.year,
        errors=c[Severity.ERROR],
        warnings=c[Severity.WARNING],
        infos=c[Severity.INFO],
    )
    if not report.ok:
        result.reason = _first_error(report.findings)
    result.artifacts["check.json"] = to_json(report).encode("utf-8") + b"\n"
    result.artifacts["check.html"] = to_html(report).encode("utf-8")
    return result
