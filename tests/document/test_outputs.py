"""Built documents, read back: the DOCX has every part, chart and table; the Putuo tables
print the published figures; a normalised text dump of the seed DOCX is kept as a golden file."""

from __future__ import annotations

import io
import os
import re
from decimal import Decimal
from pathlib import Path

import pytest
from docx import Document as load_docx

from juesuan.document.model import Table
from juesuan.document.numbers import format_figure
from juesuan.pipeline import narrative, sample_path, validate

GOLDEN = Path(__file__).resolve().parents[1] / "golden" / "seed-2024.docx.txt"
SEED_TABLES = 13 + 1 + 2  # the standard tables, 附表1 and one 附表2 per project


@pytest.fixture(scope="module")
def seed_docx_bytes(seed_docx) -> bytes:
    return seed_docx.read_bytes()


def dump(data: bytes) -> str:
    """Paragraph texts and table rows, whitespace-normalised, in document order."""
    document = load_docx(io.BytesIO(data))
    body = document.element.body
    lines: list[str] = []
    for child in body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            text = "".join(t.text or "" for t in child.iter() if t.tag.endswith("}t"))
            if text.strip():
                lines.append(" ".join(text.split()))
        elif tag == "tbl":
            for tr in child.iter():
                if tr.tag.endswith("}tr"):
                    cells = []
                    for tc in tr.iterchildren():
                        if tc.tag.endswith("}tc"):
                            cells.append(
                                "".join(
                                    t.text or "" for t in tc.iter() if t.tag.endswith("}t")
                                ).strip()
                            )
                    lines.append(" | ".join(cells))
    return "\n".join(lines) + "\n"


def test_seed_docx_has_five_parts_seven_charts_thirteen_tables(seed_docx_bytes: bytes) -> None:
    document = load_docx(io.BytesIO(seed_docx_bytes))
    parts = [p.text for p in document.paragraphs if p.style.name == "Heading 1"]
    assert [p.split()[0] for p in parts] == [
        "第一部分",
        "第二部分",
        "第三部分",
        "第四部分",
        "第五部分",
    ]
    assert len(document.inline_shapes) == 7
    assert len(document.tables) == SEED_TABLES
    text = dump(seed_docx_bytes)
    for title in (
        "收入支出决算总表",
        "财政拨款“三公”经费支出决算表",
        "一般公共预算财政拨款基本支出决算表",
    ):
        assert title in text
    for caption in ("图1：收入、支出决算总计变动情况图", "图7：“三公”经费财政拨款支出结构"):
        assert caption in text


def test_seed_docx_text_matches_golden(seed_docx_bytes: bytes) -> None:
    text = dump(seed_docx_bytes)
    if os.environ.get("JUESUAN_UPDATE_GOLDEN"):
        GOLDEN.write_text(text, encoding="utf-8")
    assert text == GOLDEN.read_text(encoding="utf-8"), (
        "seed DOCX text changed; if intended, rerun with JUESUAN_UPDATE_GOLDEN=1 and review the diff"
    )


def _shown(tables: list[Table], style) -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    for t in tables:
        for row in t.rows:
            for c in row:
                if c.figure is not None and c.figure.value is not None:
                    out.setdefault(c.figure.id, set()).add(
                        format_figure(c.figure.value, c.figure.unit, style)
                    )
    return out


# Published table values the output does not repeat, and why.
PUTUO_TABLE_DEVIATIONS = {
    # printed 326.71 in the two 总表 but 326.72 (= its 项 lines) in the other tables
    ("func.208.expenditure.total", "326.71"),
    ("func.208.appropriation.total", "326.71"),
    ("func.208.general_budget.total", "326.71"),
}


def test_putuo_tables_print_every_published_table_figure() -> None:
    analysis, _ = validate(sample_path("putuo"))
    doc = narrative(analysis)
    tables = [b for b in doc.blocks if isinstance(b, Table)]
    shown = _shown(tables, analysis.profile.table_numbers)
    style = analysis.profile.table_numbers
    checked, missing = 0, []
    for s in analysis.dataset.stated:
        if s.table == "情况说明" or s.figure not in shown:
            continue
        printed = format_figure(Decimal(s.value), "万元", style)
        checked += 1
        if printed not in shown[s.figure] and (s.figure, printed) not in PUTUO_TABLE_DEVIATIONS:
            missing.append((s.table, s.row, s.column, printed, sorted(shown[s.figure])))
    assert checked >= 100
    assert missing == []


def _pdf_contents(pdf: bytes) -> dict[str, str]:
    """The PDF's contents page: entry title -> page number."""
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(pdf)
    try:
        text = document[1].get_textpage().get_text_range()
    finally:
        document.close()
    entries = {}
    for line in text.splitlines():
        m = re.match(r"^(.*?)[\s.…]*(\d+)$", line.strip())
        if m:
            entries[" ".join(m.group(1).split())] = m.group(2)
    return entries


@pytest.mark.parametrize("sample", ["seed", "putuo"])
def test_docx_contents_give_the_pdf_page_numbers(built, sample):
    """Built together, the DOCX contents list the page numbers printed in the PDF (both
    number from the first part = 1, the cover and contents unnumbered)."""
    document = load_docx(built[(sample, "docx")])
    docx_entries = {}
    for p in document.paragraphs:
        if p.style.name in ("toc 1", "toc 2"):
            runs = [r.text for r in p.runs if r.text.strip()]
            if runs and runs[-1].strip().isdigit():
                docx_entries[" ".join("".join(runs[:-1]).split())] = runs[-1].strip()
    pdf_entries = _pdf_contents(built[(sample, "pdf")].read_bytes())
    assert docx_entries and next(iter(docx_entries.values())) == "1"
    assert docx_entries == {k: pdf_entries.get(k) for k in docx_entries}
