"""Blank cells are recorded, and blank is not 0: a 三公 cell printed blank whose figure the text
states is found; the clean document (every cell printed) has no such finding."""

from __future__ import annotations

from pathlib import Path

import docx
import pytest

from juesuan.check import check_file

pytestmark = pytest.mark.slow


def _sangong(d):
    for table in d.tables:
        if "三公" in table.rows[0].cells[0].text:
            return table
    raise AssertionError("no 三公 table")


def _blanked(src: Path, out: Path, column: int) -> Path:
    d = docx.Document(str(src))
    cell = _sangong(d).rows[-1].cells[column]
    for run in cell.paragraphs[0].runs:
        run.text = ""
    d.save(str(out))
    return out


def _blank_findings(report) -> list[str]:
    return [i.finding.message for i in report.items if "空白" in i.finding.message]


def test_blank_sangong_cell_stated_in_the_text_is_found(seed_docx, tmp_path):
    assert _blank_findings(check_file(seed_docx)) == []
    # 公务接待费 决算数 (0.46 in the text: “公务接待费支出决算0.46万元”) printed blank
    report = check_file(_blanked(seed_docx, tmp_path / "blank.docx", 11))
    found = _blank_findings(report)
    assert found and all("公务接待" in m or "三公" in m for m in found), found


def test_blank_cell_of_a_figure_the_text_states_as_zero_is_not_an_error(seed_docx, tmp_path):
    # 因公出国（境）费 决算数: the text says 0万元; blank is not 0, but nothing contradicts it
    report = check_file(_blanked(seed_docx, tmp_path / "blank0.docx", 3))
    assert _blank_findings(report) == []


# ------------------------------------------------------------ a whole row printed blank


def _blank_sangong_row_docx(src: Path, out: Path) -> Path:
    d = docx.Document(str(src))
    for cell in _sangong(d).rows[-1].cells:
        for paragraph in cell.paragraphs:
            for run in paragraph.runs:
                run.text = ""
    d.save(str(out))
    return out


def _blank_sangong_row_html(src: Path, out: Path) -> Path:
    import lxml.html

    tree = lxml.html.parse(str(src))
    rows = next(
        rows
        for rows in (t.findall(".//tr") for t in tree.iter("table"))
        if "三公" in rows[0].text_content()
    )
    row = rows[-1]
    for cell in row:
        for el in cell.iter():
            el.text = ""
            el.tail = None if el is cell else ""
    out.write_bytes(lxml.html.tostring(tree, encoding="utf-8"))
    return out


def _blank_row_variant(seed: dict, fmt: str, tmp_path: Path, blank: bool) -> Path:
    """The seed in ``fmt`` with (``blank``) or without its 三公 data row printed all blank;
    ``pdf``: LibreOffice's PDF of the DOCX (drawn borders), ``pdf-norules``: the same
    without its ruling lines."""
    if fmt == "html":
        src = seed["html"]
        return _blank_sangong_row_html(src, tmp_path / "blank.html") if blank else src
    src = seed["docx"]
    path = _blank_sangong_row_docx(src, tmp_path / "blank.docx") if blank else src
    if fmt == "docx":
        return path
    from producers import libreoffice_pdf

    pdf = libreoffice_pdf(path, tmp_path / "lo")
    if pdf is None:
        pytest.skip("LibreOffice is not installed")
    if fmt == "pdf":
        return pdf
    from pdf_variants import reencode

    return reencode(pdf, tmp_path / "norules.pdf", "norules")


@pytest.mark.parametrize("fmt", ["docx", "html", "pdf", "pdf-norules"])
def test_all_blank_row_is_recorded_blank_not_zero(built, fmt, tmp_path):
    """The 三公 table's data row printed all blank: its cells are recorded blank, so the
    figures the text states for them are found (CHK-121), and no rule takes the blanks for 0
    (no “公务接待费0.00万元” against the 0.46 of the economic table, BTW-001). The clean
    document has neither."""
    seed = {"docx": built[("seed", "docx")], "html": built[("seed", "html")]}
    for sub in ("clean", "blank"):
        (tmp_path / sub).mkdir()
    clean = check_file(_blank_row_variant(seed, fmt, tmp_path / "clean", blank=False))
    assert _blank_findings(clean) == []
    report = check_file(_blank_row_variant(seed, fmt, tmp_path / "blank", blank=True))
    found = _blank_findings(report)
    assert any("公务接待" in m for m in found), [i.finding.message for i in report.items]
    assert not [i for i in report.items if i.finding.code == "BTW-001"]
    assert "三公" in " ".join(report.tables_found)


def test_all_blank_row_of_a_ruled_table_is_kept():
    """A table read by its drawn borders keeps a row whose every cell is blank, in its
    place (blank is not 0); a band whose cells all continue merged cells above is no row."""
    from juesuan.check.read.pdf_grid import ruled_tables
    from juesuan.check.read.reader import group_lines
    from juesuan.check.read.source import PdfPage, SourceDoc, Word

    def w(text: str, x: float, y: float) -> Word:
        return Word(text, x, x + 6 * len(text), y, y + 8)

    words = [
        w("一般公共预算财政拨款项目支出决算表", 60, 40),
        w("科目编码", 52, 62),
        w("科目名称", 112, 62),
        w("决算数", 212, 62),
        w("208", 52, 82),
        w("社会保障", 112, 82),
        w("10.00", 212, 82),
        # the row below (y 96-116) is printed blank
        w("20805", 52, 122),
        w("养老支出", 112, 122),
        w("10.00", 212, 122),
    ]
    xs, ys = (50, 110, 210, 260), (56, 76, 96, 116, 136)
    rules = [(x - 0.5, ys[0], x + 0.5, ys[-1]) for x in xs]
    rules += [(xs[0], y - 0.5, xs[-1], y + 0.5) for y in ys]
    page = PdfPage(1, words, group_lines(words), rules)
    tables, _ = ruled_tables(SourceDoc("t.pdf", "pdf", pages=[page]))
    assert [r.cells for r in tables[0].rows] == [
        ["科目编码", "科目名称", "决算数"],
        ["208", "社会保障", "10.00"],
        ["", "", ""],
        ["20805", "养老支出", "10.00"],
    ]
