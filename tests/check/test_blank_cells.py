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
