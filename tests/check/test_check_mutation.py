"""Mutation test: change one printed number in a built DOCX or PDF and find it at its place."""

from __future__ import annotations

import re

import docx
import pytest
from mutation import bump, docx_targets, mutate_docx, mutate_pdf, pdf_targets, run_mutations

from juesuan.check import check_file
from juesuan.core.findings import Severity

pytestmark = pytest.mark.slow


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


# ---------------------------------------------------------------- sampled mutation runs
# (bench/bench_check.py --mutations runs every target; docs/benchmarks.md has its figures)


def _spread(items: list, n: int) -> list:
    return items[:: max(1, len(items) // n)][:n]


def test_bump_keeps_length_and_format():
    assert bump("40.73") == "41.73" and bump("98.5") == "99.5" and bump("1,239.58") == "1,238.58"
    assert bump("100%") == "101%" and bump("成预算100%") == "成预算101%" and bump("0") == "1"


@pytest.mark.parametrize("name", ["seed", "putuo"])
@pytest.mark.parametrize("fmt", ["docx", "pdf"])
def test_amount_in_a_table_found_at_its_table(built, tmp_path, name, fmt):
    """Every amount printed in a table takes part in a total, a subtotal or a cross-table
    figure: changing any one is found in that table (DOCX) or on that page (PDF)."""
    path = built[(name, fmt)]
    if fmt == "docx":
        targets = [t for t in docx_targets(path) if t.kind == "table" and "." in t.old]
        mutate = mutate_docx
    else:
        targets = [t for t in pdf_targets(path) if t.old[0].isdigit() and "." in t.old]
        mutate = mutate_pdf
    sample = _spread(targets, 12)
    outcomes = list(run_mutations(path, sample, mutate, tmp_path))
    assert all(o.applied for o in outcomes)
    missed = [(o.target.where, o.target.label, o.target.old) for o in outcomes if not o.at_place]
    assert missed == []


STATED = re.compile(r"万元，占|占[^，。；]{0,12}的$|增长$|下降$|自评得分为$|合计$|总计$")


@pytest.mark.parametrize("name", ["seed", "putuo"])
def test_stated_total_share_or_change_found_in_its_paragraph(built, tmp_path, name):
    """Totals, shares, changes and scores stated in sentences are found in their paragraph."""
    path = built[(name, "docx")]
    chosen = []
    for t in docx_targets(path):
        if t.kind != "text":
            continue
        at = t.label.find(t.old)
        after = t.label[at + len(t.old) : at + len(t.old) + 3]
        before = t.label[max(0, at - 12) : at]
        if after.startswith("万元，占") or STATED.search(before):
            chosen.append(t)
    sample = _spread(chosen, 10)
    assert len(sample) >= 6
    outcomes = list(run_mutations(path, sample, mutate_docx, tmp_path))
    missed = [(o.target.label, o.target.old) for o in outcomes if not o.at_place]
    assert missed == []
