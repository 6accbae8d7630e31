"""The library API: load → derive → validate → narrative → write.

CLI and (later) the web app are thin layers over these functions.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from decimal import Decimal
from pathlib import Path

from juesuan.catalog.catalogs import Catalogs, load_catalogs
from juesuan.catalog.names import Names
from juesuan.core.figures import FigureSet
from juesuan.core.findings import Finding, JuesuanError, Location, Severity, has_errors
from juesuan.derive import derive
from juesuan.document.model import ChartRef, Document, Table
from juesuan.model.dataset import Dataset
from juesuan.profiles import Profile, available_profiles, load_profile

SAMPLES_DIR = Path(__file__).parent / "samples"
SAMPLES = {"seed": "seed-2024.yaml", "putuo": "putuo-2024.yaml"}
FORMATS = ("docx", "pdf", "html", "xlsx", "json", "md")


@dataclass
class Analysis:
    """A dataset with everything derived from it."""

    dataset: Dataset
    profile: Profile
    catalogs: Catalogs
    names: Names
    figures: FigureSet
    findings: list[Finding] = field(default_factory=list)
    run_inputs: dict[str, Decimal] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not has_errors(self.findings)


def sample_path(name: str) -> Path:
    return SAMPLES_DIR / SAMPLES[name]


def load(path: str | Path) -> tuple[Dataset | None, list[Finding]]:
    """Load a dataset file (YAML, or the fill-in Excel workbook). Problems come back as
    findings, never as exceptions."""
    from juesuan.io.yaml_loader import load_yaml

    p = Path(path)
    if p.suffix.lower() in (".xlsx", ".xlsm", ".xls"):
        from juesuan.excel.workbook import fixed_layout
        from juesuan.io.workbook.loader import load_workbook

        return load_workbook(p, fixed_layout)
    if p.suffix.lower() == ".ods":
        return None, [
            Finding(
                "LOAD-020",
                Severity.ERROR,
                "暂不支持 .ods 工作簿，请另存为 .xlsx",
                Location(file=str(p)),
            )
        ]
    return load_yaml(p)


def analyse(
    ds: Dataset, run_inputs: Mapping[str, Decimal] | None = None
) -> tuple[Analysis | None, list[Finding]]:
    """Derive every figure of ``ds`` and run the rule catalog on it. ``run_inputs`` are the
    run's own inputs (district-wide values such as the average 人均资产变化率 ``N``)."""
    from juesuan.rules import RuleContext, run_rules

    try:
        profile = load_profile(ds.profile)
    except KeyError:
        known = "、".join(available_profiles())
        return None, [
            Finding(
                "LOAD-021",
                Severity.ERROR,
                f"未知的地区模板「{ds.profile}」，可用：{known}",
                ds.locate("profile"),
            )
        ]
    try:
        catalogs = load_catalogs(ds.catalog_year or ds.year)
    except JuesuanError as exc:  # a stored (imported) catalog file is damaged
        return None, exc.findings
    findings: list[Finding] = []
    requested = ds.catalog_year or ds.year
    for cat in (catalogs.functional, catalogs.economic):
        if cat.year != requested:
            label = "支出功能分类" if cat.scheme == "functional" else "支出经济分类"
            findings.append(
                Finding(
                    "CAT-000",
                    Severity.WARNING,
                    f"没有{requested}年的{label}科目目录，使用{cat.year}年目录",
                    ds.locate("department.year"),
                )
            )
    names = Names(ds, catalogs)
    prior, prior_findings = _prior_figures(ds, profile)
    findings += prior_findings
    figures = derive(ds, profile.budget_basis, prior)
    inputs = dict(run_inputs or {})
    analysis = Analysis(ds, profile, catalogs, names, figures, run_inputs=inputs)
    findings += run_rules(RuleContext(ds, figures, catalogs, profile, names, inputs))
    analysis.findings = findings
    return analysis, findings


def _prior_figures(ds: Dataset, profile: Profile) -> tuple[FigureSet | None, list[Finding]]:
    """Figures of the prior year's full dataset named by ``prior_year.file`` (one level only)."""
    name = ds.prior_year.file
    if not name:
        return None, []
    from juesuan.io.load_findings import clip
    from juesuan.io.references import ReferenceRefused, resolve_reference

    where = ds.locate("prior_year.file")
    try:
        path = resolve_reference(name, ds.origin)
    except ReferenceRefused as exc:
        return None, [
            Finding(
                "LOAD-022", Severity.ERROR, f"上年数据文件「{clip(name)}」不能使用：{exc}", where
            )
        ]
    prior_ds, findings = load(path)
    if prior_ds is None:
        return None, [
            Finding(
                "LOAD-022",
                Severity.ERROR,
                f"上年数据文件「{clip(name)}」无法读取（见下列问题）",
                where,
            ),
            *findings,
        ]
    expected = ds.prior_year.year or ds.year - 1
    if prior_ds.year != expected or prior_ds.department.name != ds.department.name:
        findings.append(
            Finding(
                "LOAD-023",
                Severity.WARNING,
                f"上年数据文件是「{clip(prior_ds.department.name)}」{prior_ds.year}年度，"
                f"应为「{clip(ds.department.name)}」{expected}年度",
                ds.locate("prior_year.file"),
            )
        )
    return derive(prior_ds, profile.budget_basis), findings


def validate(
    path: str | Path, run_inputs: Mapping[str, Decimal] | None = None
) -> tuple[Analysis | None, list[Finding]]:
    ds, findings = load(path)
    if ds is None:
        return None, findings
    analysis, more = analyse(ds, run_inputs)
    return analysis, findings + more


def tables(analysis: Analysis) -> list[Table]:
    """The profile's standard tables for this department-year."""
    from juesuan.compose.tables import TableContext, build_tables
    from juesuan.profiles.tables import load_specs

    path = analysis.profile.directory / "tables.yaml"
    if not path.is_file():
        return []
    ctx = TableContext(analysis.dataset, analysis.figures, analysis.names, analysis.catalogs)
    return build_tables(load_specs(path), ctx)


def narrative(analysis: Analysis, with_tables: bool = True) -> Document:
    """The whole document: the profile's narrative with the standard tables in place."""
    from juesuan.compose.narrative import build_narrative

    ds = analysis.dataset
    blocks = {"tables": [], "evaluation_tables": []}
    if with_tables:
        blocks["tables"] = tables(analysis)
    if with_tables and ds.evaluation is not None:  # the scoring engine only when there is one
        from juesuan.compose.evaluation import evaluation_tables

        blocks["evaluation_tables"] = evaluation_tables(ds, analysis.figures, analysis.run_inputs)
    doc = build_narrative(ds, analysis.figures, analysis.profile, analysis.names, blocks)
    # Data with errors (only ``build --force`` gets this far) makes a draft, marked on every page.
    return replace(doc, draft=not analysis.ok)


def figures_json(analysis: Analysis) -> str:
    ds = analysis.dataset
    payload: dict[str, object] = {}
    if not analysis.ok:  # a draft says so first
        from juesuan.document.model import DRAFT_NOTE

        payload["draft"] = True
        payload["notice"] = DRAFT_NOTE
    payload |= {
        "department": ds.department.name,
        "year": ds.year,
        "profile": analysis.profile.name,
        "unit": "万元",
        "figures": [f.to_dict() for f in analysis.figures],
        "findings": [f.to_dict() for f in analysis.findings],
    }
    return json.dumps(payload, ensure_ascii=False, indent=1, sort_keys=False) + "\n"


def render(analysis: Analysis, fmt: str, doc: Document, charts: dict[str, bytes]) -> bytes:
    """One output format as bytes."""
    styles = analysis.profile.styles
    if fmt == "md":
        from juesuan.document.markdown import write_markdown

        return write_markdown(doc, styles.text, styles.table).encode("utf-8")
    if fmt == "html":
        from juesuan.document.html import write_html

        return write_html(doc, styles, charts).encode("utf-8")
    if fmt == "json":
        return figures_json(analysis).encode("utf-8")
    if fmt == "docx":
        from juesuan.document.docx import write_docx

        return write_docx(doc, styles, charts)
    if fmt == "xlsx":
        from juesuan.document.xlsx import write_xlsx

        appended = [b for b in doc.blocks if isinstance(b, Table) and not b.inline]  # the 附表
        return write_xlsx(appended, title=doc.title, draft=doc.draft)
    if fmt == "pdf":
        from juesuan.document.pdf import write_pdf

        return write_pdf(doc, styles, charts)
    raise ValueError(fmt)


def chart_images(analysis: Analysis, doc: Document) -> dict[str, bytes]:
    from juesuan.document.charts import render_charts

    return render_charts((b for b in doc.blocks if isinstance(b, ChartRef)), analysis.figures)


def output_stem(analysis: Analysis) -> str:
    """The output files' common name: the sanitised department name and the year."""
    from juesuan.io.safe_write import safe_stem

    return f"{safe_stem(analysis.dataset.department.name)}-{int(analysis.dataset.year)}"


def write_outputs(
    analysis: Analysis, outdir: Path, formats: tuple[str, ...] = FORMATS
) -> list[Path]:
    """Write the chosen formats into ``outdir``, all or nothing: every format is rendered
    first, then written to unique temporary files in ``outdir`` and renamed into place only
    when all succeeded. File names come from :func:`output_stem` and never leave ``outdir``."""
    from juesuan.io.safe_write import write_set

    if set(formats) <= {"json"}:  # the figures only: no document to compose
        return write_set(outdir, {f"{output_stem(analysis)}.json": figures_json(analysis).encode()})
    doc = narrative(analysis)
    needs_charts = any(f in formats for f in ("docx", "pdf", "html"))
    charts = chart_images(analysis, doc) if needs_charts else {}
    stem = output_stem(analysis)
    laid_out = None
    if "pdf" in formats and "docx" in formats:
        # the DOCX takes the PDF's page numbers for its contents, and its tightened tables
        from juesuan.document.pdf import layout_pdf

        laid_out = layout_pdf(doc, analysis.profile.styles, charts)
    files = {}
    for fmt in formats:
        if laid_out is not None and fmt == "pdf":
            data = laid_out.pdf
        elif laid_out is not None and fmt == "docx":
            from juesuan.document.docx import write_docx

            data = write_docx(
                doc,
                analysis.profile.styles,
                charts,
                toc_pages=laid_out.heading_pages,
                tight=laid_out.tight,
            )
        else:
            data = render(analysis, fmt, doc, charts)
        files[f"{stem}.{fmt}"] = data
    return write_set(outdir, files)
