"""The bridge to :mod:`juesuan.pipeline`: uploaded bytes in, findings and documents out.

Nothing here re-implements loading, rules or writing; it only feeds the library a private
temporary file and keeps data-given paths away from the filesystem.
"""

from __future__ import annotations

import functools
import hashlib
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import juesuan
from juesuan.core.findings import Finding, Location, Severity

PACKAGE = Path(juesuan.__file__).parent
MEDIA_TYPES = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
    "html": "text/html; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "json": "application/json",
    "md": "text/markdown; charset=utf-8",
}


@functools.cache
def code_version() -> str:
    """A hash of the library's code and data (everything but the service itself): a build
    is reused only while this is unchanged."""
    h = hashlib.sha256(juesuan.__name__.encode())
    for p in sorted(PACKAGE.rglob("*")):
        rel = p.relative_to(PACKAGE)
        if not p.is_file() or rel.parts[0] == "serve" or "__pycache__" in rel.parts:
            continue
        h.update(str(rel).encode() + b"\0" + p.read_bytes() + b"\0")
    return h.hexdigest()[:16]


@dataclass
class Loaded:
    """An uploaded dataset after the library loaded and analysed it."""

    analysis: Any | None  # pipeline.Analysis when the data loaded (and was kept)
    findings: list[dict[str, Any]] = field(default_factory=list)
    profile: str | None = None
    readable: bool | None = None  # whether the data loaded; by default, whether analysed

    def __post_init__(self) -> None:
        if self.readable is None:
            self.readable = self.analysis is not None

    @property
    def loaded(self) -> bool:
        return bool(self.readable)

    def summary(self) -> Loaded:
        """The same without the analysis: what a cache of many answers should hold (an
        analysis is a large object graph; hundreds of them would slow every collection)."""
        return Loaded(None, self.findings, self.profile, self.readable)

    @property
    def errors(self) -> int:
        return sum(1 for f in self.findings if f["severity"] == "error")

    @property
    def warnings(self) -> int:
        return sum(1 for f in self.findings if f["severity"] == "warning")


def finding_dicts(findings: list[Finding], filename: str) -> list[dict[str, Any]]:
    """Findings as JSON-ready dicts, with the private temporary path replaced by the
    name the user uploaded."""
    out = []
    for f in findings:
        d = f.to_dict()
        if "file" in d["location"]:
            d["location"]["file"] = filename
        out.append(d)
    return out


def service_finding(code: str, severity: Severity, message: str, filename: str) -> Finding:
    return Finding(code, severity, message, Location(file=filename))


def load_bytes(data: bytes, kind: str, filename: str, profile: str | None) -> Loaded:
    """Load and analyse ``data`` (``yaml`` or ``xlsx``) with the library. ``profile`` (the
    department's) replaces the file's own when they differ, with a warning."""
    from juesuan import pipeline

    extra: list[Finding] = []
    with tempfile.TemporaryDirectory(prefix="juesuan-upload-") as tmp:
        path = Path(tmp) / ("upload.xlsx" if kind == "xlsx" else "upload.yaml")
        path.write_bytes(data)
        ds, findings = pipeline.load(path)
        if ds is None:
            return Loaded(None, finding_dicts(findings, filename))
        if ds.prior_year.file:  # a path given by the data: never followed by the service
            extra.append(
                service_finding(
                    "SRV-001",
                    Severity.WARNING,
                    f"在线服务不读取数据中引用的上年数据文件「{ds.prior_year.file}」，"
                    "请在 prior_year 中直接填写上年数",
                    filename,
                )
            )
            ds = ds.model_copy(
                update={"prior_year": ds.prior_year.model_copy(update={"file": None})}
            )
        if profile and ds.profile != profile:
            extra.append(
                service_finding(
                    "SRV-002",
                    Severity.WARNING,
                    f"数据文件的地区模板是「{ds.profile}」，按部门设置的「{profile}」校验和生成",
                    filename,
                )
            )
            ds = ds.model_copy(update={"profile": profile})
        analysis, more = pipeline.analyse(ds)
    all_findings = findings + extra + more
    return Loaded(analysis, finding_dicts(all_findings, filename), ds.profile)


def render(analysis: Any, fmt: str) -> bytes:
    """One document format, rendered by the library."""
    from juesuan import pipeline

    doc = pipeline.narrative(analysis)
    charts = pipeline.chart_images(analysis, doc) if fmt in ("docx", "pdf", "html") else {}
    return pipeline.render(analysis, fmt, doc, charts)


def artifact_key(source_sha256: str, profile: str, fmt: str) -> str:
    """The content address of a built document: dataset bytes + profile + code + format."""
    text = f"{source_sha256}\n{profile}\n{code_version()}\n{fmt}"
    return hashlib.sha256(text.encode()).hexdigest()


def check_bytes(data: bytes, kind: str, filename: str) -> dict[str, Any]:
    """Run ``juesuan check`` on an uploaded document; the JSON report as a dict."""
    import json

    from juesuan.check.limits import check_file_limited
    from juesuan.check.report import to_json

    suffix = {"pdf": ".pdf", "docx": ".docx", "html": ".html", "text": ".txt"}[kind]
    with tempfile.TemporaryDirectory(prefix="juesuan-check-") as tmp:
        path = Path(tmp) / f"document{suffix}"
        path.write_bytes(data)
        report = json.loads(to_json(check_file_limited(path)))  # time and memory budget
    report["file"] = filename
    for item in report.get("findings", []):
        loc = item.get("location") if isinstance(item, dict) else None
        if isinstance(loc, dict) and "file" in loc:
            loc["file"] = filename
    return report
