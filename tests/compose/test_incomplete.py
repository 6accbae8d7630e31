"""Incomplete data is an error with its place, and a forced draft never prints a placeholder.

A clerk's nearly empty workbook (made with the template, as `juesuan template` writes it)
must not validate: each missing piece the profile prints is an error naming sheet!cell. Built
anyway (``--force``), the document reads as public text: no placeholder or internal note, no
dangling "其中：", no heading without content, no gap in the numbering.
"""

from __future__ import annotations

import io
import re
from pathlib import Path

import openpyxl
import pytest
from public_text import problems

from conftest import BASE, run
from juesuan.core.findings import Severity
from juesuan.excel.workbook import template_bytes
from juesuan.pipeline import load_profile, narrative, sample_path, validate

ENGLISH = re.compile(r"[A-Za-z_]{3,}")


def _workbook(tmp_path: Path, fill: dict[str, dict[str, object]], name: str = "w.xlsx") -> Path:
    wb = openpyxl.load_workbook(io.BytesIO(template_bytes("sichuan-2024")))
    for sheet, cells in fill.items():
        for cell, value in cells.items():
            wb[sheet][cell] = value
    path = tmp_path / name
    wb.save(path)
    return path


NEARLY_EMPTY = {
    "部门信息": {"C6": "测试局", "C8": "某市", "C9": 2024},
    "支出决算表": {"A6": "2010301", "D6": 100},
}


def _errors(findings):
    return [f for f in findings if f.severity is Severity.ERROR]


def test_nearly_empty_workbook_errors_name_their_cells(tmp_path):
    analysis, findings = validate(_workbook(tmp_path, NEARLY_EMPTY))
    assert analysis is not None
    where = {(f.code, f.location.sheet, f.location.cell) for f in _errors(findings)}
    assert ("NAR-008", "部门信息", "C10") in where  # the first 部门职责 row
    assert ("TOT-003", "收入支出决算总表", "B5") in where  # income left blank
    for f in findings:
        assert f.location.sheet and f.location.cell, f.render()
        assert not ENGLISH.search(f.render().split("；", 1)[1]), f.render()


def test_budget_a_sentence_needs_is_an_error_at_its_cell(tmp_path):
    fill = {
        **NEARLY_EMPTY,
        "部门信息": {**NEARLY_EMPTY["部门信息"], "C10": "负责某项工作。"},
        "收入支出决算总表": {"B5": 100},
        "一般公共预算财政拨款支出决算表": {"A6": "2010301", "D6": 100},
        "财政拨款“三公”经费支出决算表": {"L7": 1},
    }
    _analysis, findings = validate(_workbook(tmp_path, fill))
    where = {(f.code, f.location.sheet, f.location.cell) for f in _errors(findings)}
    assert ("NAR-007", "一般公共预算财政拨款支出决算表", "G6") in where  # 调整预算数
    assert ("NAR-007", "财政拨款“三公”经费支出决算表", "K7") in where  # 公务接待费预算数
    assert all(f.location.cell for f in findings), [f.render() for f in findings]


def test_missing_required_field_is_named_in_chinese(tmp_path):
    fill = {"部门信息": {"C6": "测试局", "C9": 2024}, "支出决算表": NEARLY_EMPTY["支出决算表"]}
    analysis, findings = validate(_workbook(tmp_path, fill))
    assert analysis is None
    (missing,) = [f for f in findings if f.code == "LOAD-101"]
    assert (missing.location.sheet, missing.location.cell) == ("部门信息", "C8")
    assert missing.message == "缺少必填项「部门基本情况／所属地区」"


def _scan(analysis) -> list[str]:
    return problems(narrative(analysis, with_tables=False), analysis.profile.styles.text)


def test_forced_draft_of_nearly_empty_workbook_prints_no_placeholder(tmp_path):
    analysis, _findings = validate(_workbook(tmp_path, NEARLY_EMPTY))
    assert analysis is not None and not analysis.ok
    assert _scan(analysis) == []
    doc = narrative(analysis, with_tables=False)
    assert doc.draft
    headings = [b.text for b in doc.blocks if hasattr(b, "level")]
    assert "一、部门职责" not in headings  # nothing to print: the section is left out …
    assert "一、机构设置" in headings  # … and the next one renumbered


@pytest.mark.parametrize("sample", ["seed", "putuo"])
def test_samples_print_no_placeholder(sample):
    analysis, _ = validate(sample_path(sample))
    assert _scan(analysis) == []


@pytest.mark.parametrize(
    "edit",
    [
        pytest.param(lambda t: t.replace("  duties: [负责测试工作。]\n", ""), id="no-duties"),
        pytest.param(lambda t: t.replace("adjusted_budget: 20.00, ", ""), id="no-item-budget"),
        pytest.param(lambda t: t.replace("      grand_total: 120.00\n", ""), id="no-prior"),
        pytest.param(
            lambda t: t.replace('  - {code: "30201", name: 办公费, amount: 10.00}\n', ""),
            id="unbalanced-economic",
        ),
    ],
)
def test_incomplete_variants_print_no_placeholder(edit):
    analysis, _ = run(edit(BASE))
    assert analysis is not None
    assert _scan(analysis) == []


def test_profiles_load():
    assert load_profile("sichuan-2024").completion_basis
