"""Library pipeline: units, prior-year datasets, figures keep their sources."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import yaml

from conftest import BASE, run
from juesuan.document.markdown import write_markdown
from juesuan.io.yaml_loader import load_yaml
from juesuan.pipeline import analyse, narrative, sample_path, validate


class _Dumper(yaml.SafeDumper):
    pass


_Dumper.add_representer(
    Decimal, lambda d, v: d.represent_scalar("tag:yaml.org,2002:float", f"{v:f}")
)


def _scaled(node: object, factor: Decimal) -> object:
    if isinstance(node, dict):
        return {k: (v if k == "performance" else _scaled(v, factor)) for k, v in node.items()}
    if isinstance(node, list):
        return [_scaled(v, factor) for v in node]
    if isinstance(node, Decimal):
        return (node * factor).quantize(Decimal("0.01"))
    return node


def _markdown(text: str) -> str:
    analysis, findings = run(text, "x.yaml")
    assert analysis is not None, findings
    return write_markdown(narrative(analysis), analysis.profile.numbers)


def test_amounts_in_yuan_give_the_same_document() -> None:
    ds, _ = load_yaml(sample_path("seed"))
    # the self-evaluation mixes amounts with scores and weights: compared without it here
    ds = ds.model_copy(update={"evaluation": None})
    data = ds.model_dump(mode="python", exclude_none=True)
    data = _scaled(data, Decimal(10000))
    data["unit"] = "元"
    text = yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False)
    original = write_markdown(*(lambda a: (narrative(a), a.profile.numbers))(analyse(ds)[0]))
    assert _markdown(text) == original


def test_prior_year_from_full_dataset(tmp_path: Path) -> None:
    prior = (
        BASE.replace("year: 2024", "year: 2023")
        .replace("100.00", "80.00")
        .replace("120.00", "100.00")
    )
    (tmp_path / "prior.yaml").write_text(prior, encoding="utf-8")
    current = BASE.replace(
        "prior_year:\n  grand_total: 120.00\n  appropriation_grand_total: 120.00\n  general_budget_expenditure: 120.00\n",
        "prior_year:\n  file: prior.yaml\n",
    )
    current += "reasons:\n  total_change: 人员增加\n  appropriation_change: 人员增加\n  general_budget_change: 人员增加\n"
    (tmp_path / "current.yaml").write_text(current, encoding="utf-8")
    analysis, findings = validate(tmp_path / "current.yaml")
    assert analysis is not None
    assert [f.render() for f in findings if f.severity.value != "info"] == []
    figs = analysis.figures
    assert figs.value("prior.income.grand_total") == Decimal("100.00")
    assert figs.value("income.grand_total.change") == Decimal("20.00")
    assert figs.value("income.grand_total.rate") == Decimal("20.00")
    assert figs["prior.income.grand_total"].formula == "prior-year dataset"
    assert figs["prior.income.grand_total"].source is None or "prior.yaml" in (
        figs["prior.income.grand_total"].source.file or ""
    )


def test_prior_year_file_missing_is_located(tmp_path: Path) -> None:
    current = BASE.replace("prior_year:\n", "prior_year:\n  file: nope.yaml\n")
    (tmp_path / "c.yaml").write_text(current, encoding="utf-8")
    _, findings = validate(tmp_path / "c.yaml")
    [f] = [f for f in findings if f.code == "LOAD-022"]
    assert f.location.line == current.splitlines().index("  file: nope.yaml") + 1


def test_every_leaf_figure_points_at_its_line() -> None:
    analysis, _ = validate(sample_path("seed"))
    fig = analysis.figures["func.2013101.general_budget.basic"]
    lines = sample_path("seed").read_text(encoding="utf-8").splitlines()
    assert "basic: 96.73" in lines[fig.source.line - 1]
    total = analysis.figures["general_budget.expenditure.total"]
    assert total.formula == "sum" and total.inputs


def test_narrative_numbers_keep_figure_ids() -> None:
    from juesuan.document.model import FigureRef, Paragraph

    analysis, _ = validate(sample_path("seed"))
    doc = narrative(analysis)
    refs = [
        r
        for b in doc.blocks
        if isinstance(b, Paragraph)
        for r in b.runs
        if isinstance(r, FigureRef)
    ]
    ids = {r.id for r in refs}
    assert {
        "income.grand_total",
        "income.grand_total.rate",
        "func.201.general_budget.total.share",
    } <= ids
    assert all(r.id in analysis.figures for r in refs)


def test_figures_alone_are_written_without_composing_the_document(tmp_path, monkeypatch, built):
    import juesuan.pipeline as pipeline

    def no_document(*args, **kwargs):
        raise AssertionError("the document was composed for the figures alone")

    monkeypatch.setattr(pipeline, "narrative", no_document)
    analysis, _ = validate(sample_path("seed"))
    (path,) = pipeline.write_outputs(analysis, tmp_path, ("json",))
    assert path.read_bytes() == built[("seed", "json")].read_bytes()
