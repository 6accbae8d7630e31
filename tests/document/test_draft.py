"""A document built from data with errors (``build --force``) is marked 草稿 on every page of
every format; a document from clean data carries no mark."""

from __future__ import annotations

import io
import json
from pathlib import Path

import docx
import openpyxl
import pypdfium2 as pdfium
import pytest

from conftest import BASE, run
from juesuan.core.findings import has_errors
from juesuan.document.model import DRAFT_MARK, DRAFT_NOTE
from juesuan.pipeline import FORMATS, write_outputs

pytestmark = pytest.mark.slow


def _build(text: str, out: Path) -> dict[str, Path]:
    analysis, _findings = run(text)
    assert analysis is not None
    written = write_outputs(analysis, out, FORMATS)
    return {p.suffix[1:]: p for p in written}


@pytest.fixture(scope="module")
def draft(tmp_path_factory) -> dict[str, Path]:
    text = BASE.replace("  duties: [负责测试工作。]\n", "")  # 部门职责 missing: an error
    _analysis, findings = run(text)
    assert has_errors(findings)
    return _build(text, tmp_path_factory.mktemp("draft"))


@pytest.fixture(scope="module")
def clean(tmp_path_factory) -> dict[str, Path]:
    _analysis, findings = run(BASE)
    assert not has_errors(findings), [f.render() for f in findings]
    return _build(BASE, tmp_path_factory.mktemp("clean"))


def _pdf_pages(path: Path) -> list[str]:
    pdf = pdfium.PdfDocument(str(path))
    try:
        return [pdf[i].get_textpage().get_text_range() for i in range(len(pdf))]
    finally:
        pdf.close()


def test_pdf_every_page_is_marked(draft, clean):
    pages = _pdf_pages(draft["pdf"])
    assert len(pages) > 10
    unmarked = [n for n, text in enumerate(pages, 1) if DRAFT_MARK not in text]
    assert not unmarked, f"pages without the draft mark: {unmarked}"
    assert not any(DRAFT_MARK in text for text in _pdf_pages(clean["pdf"]))


def _section_headers(path: Path) -> list[list[str]]:
    """The header text that each section's pages show (following links to earlier sections)."""
    d = docx.Document(str(path))
    shown: list[list[str]] = []
    last: dict[str, str] = {}
    for section in d.sections:
        texts = []
        kinds = ["default"] + (["first"] if section.different_first_page_header_footer else [])
        for kind in kinds:
            header = section.header if kind == "default" else section.first_page_header
            if not header.is_linked_to_previous:
                last[kind] = "".join(p.text for p in header.paragraphs)
            texts.append(last.get(kind, ""))
        shown.append(texts)
    return shown


def test_docx_every_section_header_is_marked(draft, clean):
    shown = _section_headers(draft["docx"])
    assert len(shown) > 2
    assert all(DRAFT_NOTE in text for texts in shown for text in texts), shown
    assert not any(DRAFT_MARK in t for texts in _section_headers(clean["docx"]) for t in texts)


def test_html_has_a_fixed_mark_printed_on_every_page(draft, clean):
    html = draft["html"].read_text("utf-8")
    body = html.split("<body>", 1)[1]
    assert body.lstrip().startswith('<div class="draft-mark"')
    assert "div.draft-mark { position: fixed" in html
    assert f"<title>{DRAFT_MARK}" in html
    assert DRAFT_MARK not in clean["html"].read_text("utf-8")


def test_xlsx_every_sheet_header_is_marked(draft, clean):
    wb = openpyxl.load_workbook(io.BytesIO(draft["xlsx"].read_bytes()))
    assert len(wb.worksheets) > 5
    for ws in wb.worksheets:
        for header in (ws.oddHeader, ws.evenHeader, ws.firstHeader):
            assert header.center.text == DRAFT_NOTE, ws.title
    wb = openpyxl.load_workbook(io.BytesIO(clean["xlsx"].read_bytes()))
    assert not any(ws.oddHeader.center.text for ws in wb.worksheets)


def test_markdown_first_line_and_json_flag(draft, clean):
    assert draft["md"].read_text("utf-8").splitlines()[0] == f"**{DRAFT_NOTE}**"
    assert DRAFT_MARK not in clean["md"].read_text("utf-8").splitlines()[0]
    payload = json.loads(draft["json"].read_text("utf-8"))
    assert list(payload)[:2] == ["draft", "notice"] and payload["draft"] is True
    assert "draft" not in json.loads(clean["json"].read_text("utf-8"))
