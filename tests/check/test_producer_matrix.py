"""The producer matrix: the bundled samples as PDF from WeasyPrint (the project's own writer)
and re-encoded as other producers write PDF (tests/check/pdf_variants.py: font size in the
text matrix, one glyph per text object, shuffled text objects, no ruling lines). The checker
must read every variant as it reads the original: the same findings at the same places, the
same tables, the same mutations found.

LibreOffice (DOCX → PDF) and Chromium print-to-PDF are not in the matrix (see docs/check.md).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from mutation import keys, mutate_pdf, pdf_targets, run_mutations
from pdf_variants import reencode

from juesuan.check import check_file
from juesuan.core.findings import Severity

SAME_LOOK = ("matrix", "glyphs", "shuffled")


@pytest.fixture(scope="session")
def weasy_pdfs(built) -> dict[str, Path]:
    return {name: built[(name, "pdf")] for name in ("seed", "putuo")}


@pytest.fixture(scope="session")
def variants(weasy_pdfs, tmp_path_factory) -> dict[tuple[str, str], Path]:
    root = tmp_path_factory.mktemp("variants")
    out = {}
    for name, path in weasy_pdfs.items():
        out[(name, "weasyprint")] = path
        for variant in (*SAME_LOOK, "norules"):
            out[(name, variant)] = reencode(path, root / f"{name}-{variant}.pdf", variant)
    return out


@pytest.fixture(scope="session")
def reports(variants):
    return {key: check_file(path) for key, path in variants.items()}


def _places(report) -> list[tuple]:
    return sorted(
        (i.finding.code, i.finding.severity.value, i.page, str(i.finding.stated))
        for i in report.items
    )


@pytest.mark.parametrize("name", ["seed", "putuo"])
@pytest.mark.parametrize("variant", SAME_LOOK)
def test_variant_read_as_the_original(reports, name, variant):
    base, other = reports[(name, "weasyprint")], reports[(name, variant)]
    assert _places(other) == _places(base)
    assert other.tables_found == base.tables_found
    assert other.headline == base.headline and "（可靠）" in other.headline


@pytest.mark.parametrize("name", ["seed", "putuo"])
def test_original_reads_every_table(reports, name):
    report = reports[(name, "weasyprint")]
    assert report.reading is not None and not report.reading.untrusted
    assert not report.reading.unreliable_pages
    assert len(report.tables_found) == 7


@pytest.mark.parametrize("name", ["seed", "putuo"])
def test_without_ruling_lines_nothing_false_and_the_loss_said(reports, name):
    """Without ruling lines the standard tables are read from word positions as before; the
    tables read only by their borders cannot be read: said once each, no false finding."""
    base, bare = reports[(name, "weasyprint")], reports[(name, "norules")]
    serious = {Severity.ERROR, Severity.WARNING}
    base_places = set(_places(base))
    assert not [p for p in _places(bare) if p not in base_places and Severity(p[1]) in serious]
    assert bare.tables_found == base.tables_found
    ruled_lost = len(base.reading.tables) - len(bare.reading.tables) + len(bare.reading.untrusted)
    unreadable = [i for i in bare.items if i.finding.code == "CHK-006"]
    assert len(unreadable) == len(bare.reading.untrusted)
    if name == "seed":  # 13 tables, 6 of them ruled (明细表, 项目支出表, fund tables, 附表1/2)
        assert ruled_lost > 0 and unreadable
        assert "部分可靠" in bare.headline


def _mutation_outcomes(variants, name, variant, scratch: Path, n: int) -> list[bool]:
    base = variants[(name, "weasyprint")]
    targets = pdf_targets(base)
    step = max(1, len(targets) // n)
    sample = targets[::step][:n]

    def mutate(_path: Path, target, out: Path) -> bool:
        if variant == "weasyprint":
            return mutate_pdf(base, target, out)
        tmp = scratch / "edited.pdf"
        return mutate_pdf(base, target, tmp) and bool(reencode(tmp, out, variant))

    outcomes = run_mutations(variants[(name, variant)], sample, mutate, scratch)
    return [o.at_place for o in outcomes]


@pytest.mark.parametrize("variant", ["matrix", "shuffled"])
def test_mutations_found_alike_on_every_variant(variants, tmp_path, variant):
    """A sample of one-number changes of the Putuo sample: the variant finds exactly what the
    original finds (recall within 5 points: with this sample, the same outcomes)."""
    base = _mutation_outcomes(variants, "putuo", "weasyprint", tmp_path, 8)
    other = _mutation_outcomes(variants, "putuo", variant, tmp_path, 8)
    assert sum(base) >= 6
    assert other == base


def test_keys_of_variant_baselines_match(reports):
    """The mutation test's own view of the findings (keys) is the same on every variant."""
    for name in ("seed", "putuo"):
        base = keys(reports[(name, "weasyprint")])
        for variant in SAME_LOOK:
            assert keys(reports[(name, variant)]) == base


def test_pdfplumber_engine_reads_the_matrix_variant_alike(reports, variants):
    """pdfplumber (pdfminer) also takes the font size with its text matrix."""
    other = check_file(variants[("putuo", "matrix")], engine="pdfplumber")
    assert _places(other) == _places(reports[("putuo", "weasyprint")])
    assert "（可靠）" in other.headline
