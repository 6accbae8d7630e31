"""Mutation test: change one printed number in a built DOCX and find it at its location."""

from __future__ import annotations

import re

import docx
import pytest

from juesuan.check import check_file
from juesuan.findings import Severity
from juesuan.pipeline import sample_path, validate, write_outputs


@pytest.fixture(scope="module")
def seed_docx(tmp_path_factory):
    analysis, _ = validate(sample_path("seed"))
    (path,) = write_outputs(analysis, tmp_path_factory.mktemp("mut"), ("docx",))
    return path


def _keys(report):
    return {
        (i.finding.code, i.finding.location.table, i.finding.location.row, i.finding.stated)
        for i in report.items
        if i.finding.severity is not Severity.INFO
    }


def _set_cell(d, title_part, row_label, col, value):
    for t in d.tables:
        for row in t.rows:
            cells = row.cells
            if any(c.text.strip() == row_label for c in cells[:4]) and title_part in _title_of(
                d, t
            ):
                cell = cells[col]
                cell.paragraphs[0].runs[0].text = value
                return
    raise AssertionError("cell not found")


def _title_of(d, table) -> str:
    prev = ""
    for el in d.element.body.iterchildren():
        if el is table._tbl:
            return prev
        if el.tag.endswith("}p"):
            text = "".join(x.text or "" for x in el.iter() if x.tag.endswith("}t"))
            if text.strip() and not text.strip().startswith("单位"):
                prev = text
    return ""


@pytest.mark.parametrize(
    ("title", "row", "col", "value", "code"),
    [
        ("支出决算表", "一般公共服务支出", 4, "205.53", "TOT-001"),
        ("财政拨款支出决算明细表", "行政运行", 5, "97.73", "CHK-120"),
        ("一般公共预算财政拨款基本支出决算表", "基本工资", 2, "60.00", "TOT-001"),
    ],
)
def test_table_mutation_found_at_its_row(seed_docx, tmp_path, title, row, col, value, code):
    base = _keys(check_file(seed_docx))
    d = docx.Document(str(seed_docx))
    _set_cell(d, title, row, col, value)
    out = tmp_path / "m.docx"
    d.save(str(out))
    new = _keys(check_file(out)) - base
    assert any(k[0] == code and title in (k[1] or "") for k in new), new


def test_text_share_mutation(seed_docx, tmp_path):
    d = docx.Document(str(seed_docx))
    for p in d.paragraphs:
        if "占80.57%" in p.text:
            for run in p.runs:
                run.text = run.text.replace("80.57", "81.57")
            break
    out = tmp_path / "m.docx"
    d.save(str(out))
    report = check_file(out)
    (item,) = [i for i in report.items if i.finding.code == "CHK-101"]
    assert str(item.finding.stated) == "81.57" and str(item.finding.expected) == "80.56"
    assert "按最大余额法为80.57%" in item.finding.message
    assert re.search(r"81\.57", item.quote) and item.paragraph is not None
