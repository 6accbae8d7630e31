"""Word text as Word shows it: tracked insertions read, deletions not, and said once."""

from __future__ import annotations

import copy

import docx
import pytest
from docx.oxml.ns import qn
from lxml import etree

from juesuan.check import check_file
from juesuan.check.read.word_text import cell_text, paragraph_text

pytestmark = pytest.mark.slow


def _tracked(src, dst, figure: str = "253.87") -> int:
    """The DOCX with each run holding ``figure`` in the text re-typed with track changes on:
    the run inserted (``w:ins``) after a deleted run with another figure (``w:del``)."""
    d = docx.Document(str(src))
    n = 0
    for p in d.paragraphs:
        run = next((r for r in p.runs if figure in r.text), None)
        if run is None:
            continue
        stamp = {qn("w:author"): "审核", qn("w:date"): "2025-03-01T00:00:00Z"}
        ins = etree.Element(qn("w:ins"), {qn("w:id"): str(100 + n), **stamp})
        run._r.addprevious(ins)
        ins.append(run._r)
        gone = copy.deepcopy(run._r)
        for t in gone.findall(qn("w:t")):
            t.tag, t.text = qn("w:delText"), "999.99万元"
        deleted = etree.Element(qn("w:del"), {qn("w:id"): str(200 + n), **stamp})
        deleted.append(gone)
        ins.addprevious(deleted)
        n += 1
    d.save(str(dst))
    return n


def test_tracked_changes_are_read_accepted_and_reported(built, tmp_path):
    n = _tracked(built[("seed", "docx")], tmp_path / "tracked.docx")
    assert n >= 3
    d = docx.Document(str(tmp_path / "tracked.docx"))
    totals = next(p for p in d.paragraphs if "收入、支出总计均为" in p.text + paragraph_text(p._p))
    assert "253.87" not in totals.text  # python-docx alone loses the inserted figure
    assert "均为253.87万元" in paragraph_text(totals._p)
    assert "999.99" not in paragraph_text(totals._p)
    report = check_file(tmp_path / "tracked.docx")
    (note,) = [i for i in report.items if i.finding.code == "CHK-008"]
    assert (
        note.finding.severity.value == "warning"
        and f"{2 * n}处未接受的修订" in note.finding.message
    )
    base = check_file(built[("seed", "docx")])
    others = sorted(
        (i.finding.code, i.where()) for i in report.items if i.finding.code != "CHK-008"
    )
    assert others == sorted((i.finding.code, i.where()) for i in base.items)


def test_without_revisions_the_text_is_python_docx_text(built):
    d = docx.Document(str(built[("seed", "docx")]))
    assert [p.text for p in d.paragraphs] == [paragraph_text(p._p) for p in d.paragraphs]
    cells = [c for t in d.tables for row in t.rows for c in row.cells]
    assert [c.text for c in cells] == [cell_text(c._tc) for c in cells]
    assert not [i for i in check_file(built[("seed", "docx")]).items if i.finding.code == "CHK-008"]
