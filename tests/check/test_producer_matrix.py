"""The producer matrix: the bundled samples as PDF from WeasyPrint (the project's own writer),
from LibreOffice (the built DOCX converted) and from Chromium (the built HTML printed), and
re-encoded as other producers write PDF (tests/check/pdf_variants.py: font size in the text
matrix, one glyph per text object, shuffled text objects, no ruling lines). The checker must
read every variant as it reads the original: the same findings (at the same places where the
pages are the same), the same tables, the mutations found alike.

The LibreOffice and Chromium PDFs are made once per session (tests/check/producers.py); the
tests that need them skip when the producer is not installed.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from mutation import Target, keys, mutate_pdf, pdf_targets, run_mutations
from pdf_variants import reencode
from producers import chromium_pdf, libreoffice_pdf

from juesuan.check import check_file
from juesuan.core.findings import Severity

SAME_LOOK = ("matrix", "glyphs", "shuffled", "turned")  # "turned" reads the same
PRODUCERS = ("libreoffice", "chromium")


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


@pytest.fixture(scope="session")
def produced(built, tmp_path_factory) -> dict[tuple[str, str], Path | None]:
    """(sample, producer) → the PDF that producer made of the built document (None: the
    producer is not installed)."""
    root = tmp_path_factory.mktemp("producers")
    out: dict[tuple[str, str], Path | None] = {}
    for name in ("seed", "putuo"):
        out[(name, "libreoffice")] = libreoffice_pdf(built[(name, "docx")], root / name)
        out[(name, "chromium")] = chromium_pdf(built[(name, "html")], root / f"{name}-chromium.pdf")
    return out


@pytest.fixture(scope="session")
def produced_reports(produced):
    return {key: check_file(path) for key, path in produced.items() if path is not None}


def _produced(produced, name: str, producer: str) -> Path:
    path = produced[(name, producer)]
    if path is None:
        pytest.skip(f"{producer} is not installed")
    return path


def _what(report) -> list[tuple]:
    """The serious findings, wherever they are printed (other producers break pages
    elsewhere)."""
    serious = {Severity.ERROR, Severity.WARNING}
    return sorted(
        (
            i.finding.code,
            i.finding.severity.value,
            "".join((i.finding.location.table or "").split()),
            i.finding.location.row or "",
            str(i.finding.stated),
            i.finding.message,
        )
        for i in report.items
        if i.finding.severity in serious
    )


def _unpaged(names: list[str]) -> list[str]:
    return [n.split("（第")[0] for n in names]


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
    # the 7 standard tables and the fund tables (printed empty: 本表无数据): seed 3, Putuo 2
    assert len(report.tables_found) == {"seed": 10, "putuo": 9}[name]
    assert (
        sum("基金" in t or "国有资本" in t for t in report.tables_found)
        == {"seed": 3, "putuo": 2}[name]
    )


@pytest.mark.parametrize("name", ["seed", "putuo"])
def test_without_ruling_lines_read_as_the_original(reports, name):
    """Without ruling lines the standard tables are read from word positions as before, the
    code tables (明细表, fund tables) from the alignment of their amounts, an empty fund table
    (本表无数据) as present and empty, and the performance tables 附表1/附表2 from the columns
    of their header words and the lines of their figures: the same findings at the same
    places, every table trusted."""
    base, bare = reports[(name, "weasyprint")], reports[(name, "norules")]
    assert _places(bare) == _places(base)
    assert bare.tables_found == base.tables_found
    assert not [i for i in bare.items if i.finding.code == "CHK-006"]
    assert not bare.reading.untrusted and bare.headline == base.headline
    # the performance rules check as much, but for the points of 附表1's 一级/二级 indicators
    # (cells merged over rows that no line bounds): said under CHK-201
    checked = {c.code: c.checked for c in base.coverage if c.code.startswith("CHK-20")}
    bare_checked = {c.code: c.checked for c in bare.coverage if c.code in checked}
    assert {k: v for k, v in bare_checked.items() if k != "CHK-201"} == {
        k: v for k, v in checked.items() if k != "CHK-201"
    }
    if name == "seed":
        (cov,) = [c for c in bare.coverage if c.code == "CHK-201"]
        assert 0 < cov.checked < checked["CHK-201"]
        assert any("合并单元格" in why for why in cov.cannot)


@pytest.mark.slow
@pytest.mark.parametrize("name", ["seed", "putuo"])
@pytest.mark.parametrize("producer", PRODUCERS)
def test_other_producer_read_as_the_original(produced, produced_reports, reports, name, producer):
    """A LibreOffice or Chromium PDF of the same document: every table read and trusted, and
    no error or warning that the WeasyPrint original does not have (and none lost)."""
    _produced(produced, name, producer)
    base, other = reports[(name, "weasyprint")], produced_reports[(name, producer)]
    assert "（可靠）" in other.headline, other.headline
    assert not other.reading.untrusted and not other.reading.unreliable_pages
    assert _unpaged(other.tables_found) == _unpaged(base.tables_found)
    assert _unpaged(other.reading.tables) == _unpaged(base.reading.tables)
    assert _what(other) == _what(base)


@pytest.mark.slow
@pytest.mark.parametrize("producer", PRODUCERS)
def test_mutations_found_alike_on_other_producers(produced, variants, tmp_path, producer):
    """One-number changes made in the other producer's PDF of the Putuo sample: recall within
    5 points of the WeasyPrint original's on a sample of the same size."""
    path = _produced(produced, "putuo", producer)

    def recall(pdf: Path) -> float:
        targets = pdf_targets(pdf)
        sample = targets[:: max(1, len(targets) // 20)][:20]
        outcomes = list(run_mutations(pdf, sample, mutate_pdf, tmp_path))
        assert all(o.applied for o in outcomes)
        return sum(o.at_place for o in outcomes) / len(outcomes)

    base = recall(variants[("putuo", "weasyprint")])
    assert base >= 0.75
    assert recall(path) >= base - 0.05


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


@pytest.mark.parametrize("variant", ["matrix", "shuffled", "turned"])
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


@pytest.mark.slow
def test_code_tables_without_ruling_lines_read_by_alignment(variants, reports, tmp_path):
    """Without ruling lines the 明细表 is read from the alignment of its amounts: a changed
    amount in it is found (CHK-120 on its page), and the clean twin has no such finding."""
    base = variants[("seed", "weasyprint")]
    clean = reports[("seed", "norules")]
    page = _page_of(base, "表5财政拨款支出决算明细表")
    assert not [i for i in clean.items if i.finding.code == "CHK-120"]
    assert not [n for n in clean.reading.untrusted if "支出决算明细表" in n]
    # 事业运行 66.33 → 67.33 in the 明细表
    target = Target("pdf", f"第{page}页", "事业运行", "66.33", "67.33", (page, 0))
    edited = tmp_path / "edited.pdf"
    assert mutate_pdf(base, target, edited)
    report = check_file(reencode(edited, tmp_path / "bare.pdf", "norules"))
    found = [i for i in report.items if i.finding.code == "CHK-120" and i.page == page]
    assert found, [i.finding.message for i in report.items]


def _page_of(pdf: Path, title: str) -> int:
    from juesuan.check.read.reader import read_pdf

    doc = read_pdf(pdf)
    return next(
        p.number for p in doc.pages if any("".join(w.text for w in ln) == title for ln in p.lines)
    )


@pytest.mark.slow
@pytest.mark.parametrize(
    ("title", "label", "old", "new", "code"),
    [
        ("附表1部门整体支出绩效自评表", "严控一般性支出", "5.6", "6.6", "CHK-203"),
        ("附表2部门预算项目支出绩效自评表（2024年度）", "总额", "40.73", "41.73", "CHK-204"),
    ],
)
def test_performance_tables_without_ruling_lines_read_by_alignment(
    variants, reports, tmp_path, title, label, old, new, code
):
    """Without ruling lines 附表1/附表2 are read from word positions: a changed score or
    amount in them is found on its page; the clean twin has no such finding."""
    base = variants[("seed", "weasyprint")]
    clean = reports[("seed", "norules")]
    page = _page_of(base, title)
    assert not [i for i in clean.items if i.finding.code == code]
    target = Target("pdf", f"第{page}页", label, old, new, (page, 0))
    edited = tmp_path / "edited.pdf"
    assert mutate_pdf(base, target, edited)
    report = check_file(reencode(edited, tmp_path / "bare.pdf", "norules"))
    found = [i for i in report.items if i.finding.code == code and i.page == page]
    assert found, [i.finding.message for i in report.items]
