"""Departments that are not the two samples, each as YAML and as a filled workbook.

The corpus (``tests/corpus/*.yaml``, invented data written from the official templates'
structure) covers shapes the samples do not: a unit founded during the year (年初预算 0, a
full-year budget), a department with government-fund and 三公 spending whose fund codes the
bundled catalog lacks (named in the data), and a department with many 项 lines and projects.
Each builds the golden document text in ``tests/golden/corpus-<name>.md``; the workbook that
``juesuan convert`` makes from the YAML builds the identical document.

To accept an intended change of the documents: ``JUESUAN_UPDATE_GOLDEN=1 pytest tests/corpus``
(then review the diff of tests/golden/).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from juesuan.core.findings import Severity
from juesuan.excel.fill import fill_template
from juesuan.excel.workbook import fixed_layout
from juesuan.excel.yaml_dump import dump_yaml
from juesuan.io.workbook.loader import load_workbook_bytes
from juesuan.io.yaml_loader import parse_yaml_text
from juesuan.pipeline import Analysis, analyse, narrative, render, validate

CORPUS = Path(__file__).parent
GOLDEN = CORPUS.parent / "golden"
NAMES = ("new-unit-2024", "fund-sangong-2024", "many-items-2024")


def _document(analysis: Analysis) -> str:
    return render(analysis, "md", narrative(analysis), {}).decode("utf-8")


def _from_yaml(name: str) -> Analysis:
    analysis, findings = validate(CORPUS / f"{name}.yaml")
    errors = [f.render() for f in findings if f.severity is Severity.ERROR]
    assert analysis is not None and errors == []
    return analysis


@pytest.mark.parametrize("name", NAMES)
def test_yaml_builds_the_golden_document(name: str) -> None:
    text = _document(_from_yaml(name))
    golden = GOLDEN / f"corpus-{name}.md"
    if os.environ.get("JUESUAN_UPDATE_GOLDEN"):
        golden.write_text(text, encoding="utf-8")
    assert text == golden.read_text(encoding="utf-8")


@pytest.mark.parametrize("name", NAMES)
def test_workbook_builds_the_same_document(name: str) -> None:
    from_yaml = _from_yaml(name)
    ds, findings = load_workbook_bytes(fill_template(from_yaml.dataset), "x.xlsx", fixed_layout)
    assert ds is not None, [f.render() for f in findings]
    assert [f.render() for f in findings if f.severity is not Severity.INFO] == []
    from_workbook, more = analyse(ds)
    assert not [f for f in more if f.severity is Severity.ERROR]
    assert _document(from_workbook) == _document(from_yaml)
    # and back: the workbook holds every field of the YAML
    back, _ = parse_yaml_text(dump_yaml(ds), "back.yaml")
    assert back is not None and back.model_dump() == from_yaml.dataset.model_dump()


def test_new_unit_is_compared_with_its_full_year_budget() -> None:
    text = _document(_from_yaml("new-unit-2024"))
    assert "全年预算为372.10万元，支出决算为355.80万元，完成全年预算的95.62%" in text
    assert "年初预算为0" not in text.split("三公")[0]


def test_fund_codes_missing_from_the_catalog_print_the_datas_names() -> None:
    analysis = _from_yaml("fund-sangong-2024")
    hints = [f for f in analysis.findings if f.code == "CAT-001"]
    assert [f.severity for f in hints] == [Severity.INFO, Severity.INFO]  # one per code
    text = _document(analysis)
    assert "国有土地使用权出让收入安排的支出（款）征地和拆迁补偿支出（项）" in text
    assert "21208" not in text


def test_units_table_is_in_the_text_not_among_the_appended_tables() -> None:
    import io

    import openpyxl

    from juesuan.document.model import Table

    analysis = _from_yaml("fund-sangong-2024")
    doc = narrative(analysis)
    [units] = [b for b in doc.blocks if isinstance(b, Table) and b.inline]
    assert [c.text for c in units.header[0]] == ["序号", "单位名称", "备注"]
    assert [c.text for c in units.rows[2]] == [
        "3",
        "上海市某区城市更新中心第二项目部",
        "预算不单列，并入本级",
    ]
    book = openpyxl.load_workbook(io.BytesIO(render(analysis, "xlsx", doc, {})))
    appended = [b for b in doc.blocks if isinstance(b, Table) and not b.inline]
    assert len(book.sheetnames) == len(appended)
