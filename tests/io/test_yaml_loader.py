"""YAML loader: values with lines, Decimal amounts, and every bad input as a located finding."""

from __future__ import annotations

import os
import re
from decimal import Decimal
from pathlib import Path
from unittest import mock

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from juesuan.core.codes import in_family
from juesuan.core.findings import Finding, Severity
from juesuan.io import validation_messages, yaml_events, yaml_loader
from juesuan.io.yaml_loader import load_yaml, parse_yaml_bytes, parse_yaml_text

LOAD_CODES = {c.code: c.title for c in in_family("load")}

ORIGIN = "data.yaml"

VALID = """\
# 部门决算示例
juesuan: 1
unit: 万元
department:
  name: 某某市某某局
  region: 某某市
  year: 2024
functional:
  - code: "2013101"
    name: 行政运行
    general_budget:
      basic: 96.73
"""

LOADERS = [yaml.SafeLoader]
if hasattr(yaml, "CSafeLoader"):
    LOADERS.insert(0, yaml.CSafeLoader)

_CJK = re.compile(r"[\u4e00-\u9fff]")


@pytest.fixture(params=LOADERS, ids=lambda c: c.__name__, autouse=True)
def loader(request):
    """Run every test with libyaml and with the pure-Python parser."""
    with mock.patch.object(yaml_events, "_Loader", request.param):
        yield request.param


def line_of(text: str, fragment: str, occurrence: int = 1) -> int:
    """1-based line of the ``occurrence``-th line containing ``fragment``."""
    hits = [i for i, line in enumerate(text.splitlines(), 1) if fragment in line]
    return hits[occurrence - 1]


def only(findings: list[Finding], code: str) -> Finding:
    matching = [f for f in findings if f.code == code]
    assert matching, f"no {code} in {[f.render() for f in findings]}"
    return matching[0]


def check(finding: Finding, code: str, line: int | None) -> Finding:
    assert finding.code == code
    assert finding.code in LOAD_CODES
    assert finding.severity is Severity.ERROR
    assert _CJK.search(finding.message), finding.message
    assert finding.location.line == line, finding.render()
    return finding


def failing(text: str) -> list[Finding]:
    dataset, findings = parse_yaml_text(text, ORIGIN)
    assert dataset is None
    assert findings
    assert all(f.location.file == ORIGIN for f in findings)
    return findings


# -- success --------------------------------------------------------------------------------


def test_valid_dataset_loads_with_exact_decimals_and_lines():
    dataset, findings = parse_yaml_text(VALID, ORIGIN)
    assert findings == []
    assert dataset is not None
    basic = dataset.functional[0].general_budget.basic
    assert isinstance(basic, Decimal)
    assert basic == Decimal("96.73")
    assert str(basic) == "96.73"
    assert isinstance(dataset.department.year, int)
    located = dataset.locate("functional.0.general_budget.basic")
    assert located.line == line_of(VALID, "basic: 96.73") == 12
    assert located.file == ORIGIN
    assert located.path == "functional.0.general_budget.basic"
    assert dataset.locate("functional.0").line == line_of(VALID, "- code:")
    assert dataset.locate("department.year").line == line_of(VALID, "year: 2024")
    # unknown deeper paths fall back to the nearest recorded parent
    assert dataset.locate("functional.0.general_budget.project").line == 11
    assert dataset.origin == ORIGIN


def test_load_yaml_from_file(tmp_path: Path):
    path = tmp_path / "dept.yaml"
    path.write_text(VALID, encoding="utf-8")
    dataset, findings = load_yaml(path)
    assert findings == []
    assert dataset is not None
    assert dataset.origin == str(path)
    assert dataset.locate("functional.0.general_budget.basic").line == 12
    assert dataset.locate("functional.0.general_budget.basic").file == str(path)


def test_utf8_bom_is_accepted(tmp_path: Path):
    path = tmp_path / "bom.yaml"
    path.write_bytes(b"\xef\xbb\xbf" + VALID.encode("utf-8"))
    dataset, findings = load_yaml(str(path))
    assert findings == []
    assert dataset is not None
    assert dataset.locate("functional.0.general_budget.basic").line == 12


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("96.73", Decimal("96.73")),
        (".5", Decimal("0.5")),
        ("-0.0", Decimal("-0.0")),
        ("1_000.5", Decimal("1000.5")),
        ("1.0e+3", Decimal("1.0E+3")),
        ("1e3", Decimal("1E+3")),  # plain text in YAML 1.1; pydantic parses it exactly
        ("0.1", Decimal("0.1")),
        ("123456789012345.01", Decimal("123456789012345.01")),  # beyond float precision
        ("100", Decimal(100)),
    ],
)
def test_amounts_are_decimal_from_source_text(written: str, expected: Decimal):
    dataset, findings = parse_yaml_text(VALID.replace("96.73", written), ORIGIN)
    assert findings == []
    assert dataset is not None
    value = dataset.functional[0].general_budget.basic
    assert isinstance(value, Decimal)
    assert value == expected
    assert str(value) == str(expected)


def test_anchors_aliases_and_merge_keys_are_allowed():
    text = VALID + (
        '  - code: "2013102"\n'
        "    general_budget:\n"
        "      <<: &base {basic: 1.25, project: 2}\n"
        "      project: 3\n"
        '  - code: "2013199"\n'
        "    general_budget: *base\n"
    )
    dataset, findings = parse_yaml_text(text, ORIGIN)
    assert findings == []
    assert dataset is not None
    second, third = dataset.functional[1], dataset.functional[2]
    assert second.general_budget.basic == Decimal("1.25")
    assert second.general_budget.project == 3  # explicit key wins over the merged one
    assert third.general_budget.basic == Decimal("1.25")
    assert dataset.locate("functional.1.general_budget.basic").line == line_of(text, "<<:")
    assert dataset.locate("functional.2.general_budget.basic").line == line_of(text, "*base")


def test_keys_stay_text():
    text = VALID + "glossary:\n  no: 否\n  2024: 年度\n"
    dataset, findings = parse_yaml_text(text, ORIGIN)
    assert findings == []
    assert dataset is not None
    assert dataset.glossary == {"no": "否", "2024": "年度"}


def test_top_level_record_is_line_one():
    text = "# 注释\n\n" + VALID
    dataset, _ = parse_yaml_text(text, ORIGIN)
    assert dataset is not None
    assert dataset.locate("unit").line == 5


# -- file level -----------------------------------------------------------------------------


def test_missing_file(tmp_path: Path):
    dataset, findings = load_yaml(tmp_path / "nope.yaml")
    assert dataset is None
    assert len(findings) == 1
    check(findings[0], "LOAD-001", None)
    assert "不存在" in findings[0].message


def test_directory_is_refused(tmp_path: Path):
    dataset, findings = load_yaml(tmp_path)
    assert dataset is None
    assert len(findings) == 1
    check(findings[0], "LOAD-001", None)
    assert "目录" in findings[0].message


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root can read anything")
def test_unreadable_file(tmp_path: Path):
    path = tmp_path / "secret.yaml"
    path.write_text(VALID, encoding="utf-8")
    path.chmod(0)
    try:
        dataset, findings = load_yaml(path)
    finally:
        path.chmod(0o600)
    assert dataset is None
    check(findings[0], "LOAD-001", None)


def test_too_large_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr(yaml_loader, "MAX_BYTES", 100)
    path = tmp_path / "big.yaml"
    path.write_text(VALID, encoding="utf-8")
    dataset, findings = load_yaml(path)
    assert dataset is None
    assert len(findings) == 1
    check(findings[0], "LOAD-002", 1)
    assert "过大" in findings[0].message
    _, findings = parse_yaml_text(VALID, ORIGIN)
    check(findings[0], "LOAD-002", 1)


def test_real_size_limit_on_bytes():
    dataset, findings = parse_yaml_bytes(b"a" * (yaml_loader.MAX_BYTES + 1), ORIGIN)
    assert dataset is None
    check(findings[0], "LOAD-002", 1)


def test_binary_file_with_nul_bytes(tmp_path: Path):
    path = tmp_path / "image.yaml"
    path.write_bytes(b"unit: x\nabc\x00\x01\x02")
    dataset, findings = load_yaml(path)
    assert dataset is None
    assert len(findings) == 1
    check(findings[0], "LOAD-003", 2)
    assert findings[0].message.startswith("不是文本文件")


def test_gbk_file_is_not_utf8():
    data = VALID.replace("某某市某某局", "财政局").encode("gbk")
    dataset, findings = parse_yaml_bytes(data, ORIGIN)
    assert dataset is None
    assert len(findings) == 1
    check(findings[0], "LOAD-003", 1)  # the comment on line 1 is already GBK
    assert "UTF-8" in findings[0].message


def test_gbk_error_line_points_at_first_bad_byte():
    data = b"unit: yuan\n" + "name: 财政局\n".encode("gbk")
    dataset, findings = parse_yaml_bytes(data, ORIGIN)
    assert dataset is None
    check(findings[0], "LOAD-003", 2)
    assert "GB" in findings[0].message


def test_utf16_file():
    dataset, findings = parse_yaml_bytes(VALID.encode("utf-16"), ORIGIN)
    assert dataset is None
    check(findings[0], "LOAD-003", 1)
    assert "UTF-16" in findings[0].message


def test_control_character_in_text():
    findings = failing(VALID.replace("行政运行", "行政\x07运行"))
    assert len(findings) == 1
    check(findings[0], "LOAD-003", line_of(VALID, "行政运行"))


def test_lone_surrogate_in_text():
    findings = failing(VALID.replace("行政运行", "行政\ud800运行"))
    check(findings[0], "LOAD-003", line_of(VALID, "行政运行"))


@pytest.mark.parametrize("text", ["", "   \n\n", "# 只有注释\n# 第二行\n", "---\n", "---\n...\n"])
def test_empty_file(text: str):
    findings = failing(text)
    assert len(findings) == 1
    check(findings[0], "LOAD-004", 1)
    assert "文件为空" in findings[0].message


def test_empty_file_on_disk(tmp_path: Path):
    path = tmp_path / "empty.yaml"
    path.write_bytes(b"")
    _, findings = load_yaml(path)
    check(findings[0], "LOAD-004", 1)


# -- YAML syntax ----------------------------------------------------------------------------


def test_syntax_error_reports_line_and_column():
    text = VALID.replace("  region: 某某市", "  region: 某某市: 区")
    findings = failing(text)
    assert len(findings) == 1
    finding = check(findings[0], "LOAD-005", line_of(text, "region"))
    assert "第 6 行" in finding.message
    assert "列" in finding.message
    assert "mapping values are not allowed" in finding.message  # original problem kept


def test_syntax_error_unclosed_bracket():
    text = "unit: 元\nillustrative: [a, b\ndepartment: {}\n"
    findings = failing(text)
    assert len(findings) == 1
    finding = check(findings[0], "LOAD-005", findings[0].location.line)
    assert finding.location.line in (2, 3, 4)
    assert re.search(r"（.*[a-z].*）$", finding.message)  # the original text in parentheses


def test_tab_indentation():
    text = VALID.replace("  region:", "\tregion:")
    findings = failing(text)
    finding = check(findings[0], "LOAD-005", line_of(text, "region"))
    assert "制表符" in finding.message


def test_undefined_alias():
    findings = failing(VALID + "reasons: *missing\n")
    check(findings[0], "LOAD-005", line_of(VALID + "reasons: *missing\n", "*missing"))


@pytest.mark.parametrize(
    ("text", "what"),
    [("- a\n- b\n", "列表"), ("只是一句话\n", "单个值"), ("42\n", "单个值"), ("null\n", "单个值")],
)
def test_top_level_not_a_mapping(text: str, what: str):
    findings = failing(text)
    assert len(findings) == 1
    finding = check(findings[0], "LOAD-006", 1)
    assert what in finding.message


# -- structure limits -----------------------------------------------------------------------


def test_billion_laughs_is_refused():
    lines = ['a0: &a0 ["哈", "哈", "哈", "哈", "哈", "哈", "哈", "哈", "哈", "哈"]']
    for i in range(1, 10):
        lines.append(f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 10) + "]")
    text = "\n".join(lines) + "\n"
    findings = failing(text)
    assert len(findings) == 1
    finding = check(findings[0], "LOAD-007", 6)  # 10^6 nodes are passed on line 6
    assert "十亿笑" in finding.message


def test_moderate_alias_use_is_counted_not_refused():
    text = VALID + "illustrative: &notes [a, b]\nreasons: {total_change: x}\n"
    dataset, findings = parse_yaml_text(text, ORIGIN)
    assert findings == []
    assert dataset is not None


@pytest.mark.parametrize("depth", [150, 200_000])
def test_deep_nesting_is_refused_without_crashing(depth: int):
    # libyaml's own composer segfaults on ~100k nested brackets; ours stops at MAX_DEPTH
    findings = failing("unit: " + "[" * depth + "]" * depth + "\n")
    assert len(findings) == 1
    check(findings[0], "LOAD-007", 1)


def test_deep_block_nesting_is_refused():
    text = "".join(" " * i + f"k{i}:\n" for i in range(150)) + " " * 150 + "v\n"
    findings = failing(text)
    # the mapping that is one level too deep starts on line MAX_DEPTH + 1
    finding = check(findings[0], "LOAD-007", yaml_loader.MAX_DEPTH + 1)
    assert "嵌套" in finding.message


def test_recursive_alias_is_refused():
    findings = failing("unit: 元\nillustrative: &a [x, *a]\n")
    assert len(findings) == 1
    check(findings[0], "LOAD-007", 2)


# -- conversion problems --------------------------------------------------------------------


def test_duplicate_key_reported_at_second_occurrence():
    text = VALID.replace("  year: 2024\n", "  year: 2024\n  name: 重复的名称\n")
    findings = failing(text)
    assert len(findings) == 1
    finding = check(findings[0], "LOAD-008", line_of(text, "重复的名称"))
    assert "「name」" in finding.message
    assert f"第 {line_of(text, 'name: 某某市某某局')} 行" in finding.message
    assert finding.location.path == "department.name"


def test_duplicate_top_level_key():
    text = VALID + "unit: 元\n"
    findings = failing(text)
    check(only(findings, "LOAD-008"), "LOAD-008", line_of(text, "unit:", 2))


@pytest.mark.parametrize("special", [".inf", "-.inf", ".NaN", "!!float nan"])
def test_infinity_and_nan_are_refused(special: str):
    text = VALID.replace("basic: 96.73", f"basic: {special}")
    findings = failing(text)
    assert len(findings) == 1  # no second finding from pydantic for the same value
    check(findings[0], "LOAD-009", line_of(text, "basic:"))


def test_absurd_magnitude_is_refused():
    text = VALID.replace("basic: 96.73", "basic: 1.0e+999999")
    findings = failing(text)
    check(findings[0], "LOAD-009", 12)


def test_multiple_documents():
    text = VALID + "---\nunit: 元\n"
    findings = failing(text)
    assert len(findings) == 1
    check(findings[0], "LOAD-010", line_of(text, "---"))


def test_unsupported_tag():
    text = VALID.replace("name: 行政运行", "name: !!python/object:os.system 行政运行")
    findings = failing(text)
    assert len(findings) == 1
    finding = check(findings[0], "LOAD-010", line_of(text, "python/object"))
    assert "标签" in finding.message


def test_complex_key():
    text = VALID + "? [a, b]\n: 1\n"
    findings = failing(text)
    check(findings[0], "LOAD-010", line_of(text, "? [a, b]"))


# -- schema (pydantic) problems -------------------------------------------------------------


def test_missing_field_points_at_parent_mapping():
    text = VALID.replace("  region: 某某市\n", "")
    findings = failing(text)
    assert len(findings) == 1
    finding = check(findings[0], "LOAD-101", line_of(text, "department:"))
    assert "缺少必填项「部门基本情况／所属地区」" in finding.message
    assert finding.location.path == "department.region"


def test_missing_top_level_field_points_at_line_one():
    text = VALID.replace("unit: 万元\n", "")
    findings = failing(text)
    finding = check(findings[0], "LOAD-101", 1)
    assert "缺少必填项「本文件金额单位」" in finding.message


def test_unknown_field_lists_allowed_fields():
    text = VALID.replace("  year: 2024", "  yaer: 2024")
    findings = failing(text)
    unknown = check(only(findings, "LOAD-102"), "LOAD-102", line_of(text, "yaer"))
    assert "未知字段「yaer」" in unknown.message
    assert "「year」" in unknown.message  # the close match
    assert "region" in unknown.message and "short_name" in unknown.message
    # and year is now missing, at the department line
    check(only(findings, "LOAD-101"), "LOAD-101", line_of(text, "department:"))


def test_thousands_separator_is_explained():
    text = VALID.replace("basic: 96.73", "basic: 2,940.05")
    findings = failing(text)
    assert len(findings) == 1
    finding = check(findings[0], "LOAD-103", 12)
    assert "应为数字" in finding.message
    assert "「2,940.05」" in finding.message
    assert "千位分隔符" in finding.message
    assert "「基本支出决算数」" in finding.message
    assert "functional" not in finding.message  # the path is for machines: Location.path
    assert finding.location.path == "functional.0.general_budget.basic"


@pytest.mark.parametrize(
    ("replacement", "line_fragment", "needle"),
    [
        ("year: 二〇二四", "year:", "应为整数"),
        ("year: 2024.5", "year:", "整数"),
        ("basic: 96.73万元", "basic:", "单位"),
        ("basic: true", "basic:", "应为数字"),
    ],
)
def test_not_a_number(replacement: str, line_fragment: str, needle: str):
    original = "year: 2024" if replacement.startswith("year") else "basic: 96.73"
    text = VALID.replace(original, replacement)
    findings = failing(text)
    finding = check(findings[0], "LOAD-103", line_of(text, line_fragment))
    assert needle in finding.message


def test_negative_amount():
    text = VALID.replace("basic: 96.73", "basic: -96.73")
    findings = failing(text)
    finding = check(findings[0], "LOAD-104", 12)
    assert "金额不能为负数" in finding.message


def test_out_of_range_year_and_score():
    text = VALID.replace("year: 2024", "year: 1999") + "performance:\n  department_score: 101\n"
    findings = failing(text)
    year, score = (f for f in findings if f.code == "LOAD-104")
    check(year, "LOAD-104", line_of(text, "year:"))
    assert "2000" in year.message
    check(score, "LOAD-104", line_of(text, "department_score"))
    assert "应不大于 100" in score.message


def test_functional_code_pattern():
    text = VALID.replace('"2013101"', '"201310"')
    findings = failing(text)
    finding = check(findings[0], "LOAD-105", line_of(text, "code:"))
    assert "科目编码「201310」格式不正确，功能分类项级应为7位数字" in finding.message


def test_economic_code_pattern():
    text = VALID + 'basic_by_economic:\n  - code: "3010"\n    amount: 1\n'
    findings = failing(text)
    finding = check(findings[0], "LOAD-105", line_of(text, '"3010"'))
    assert "经济分类款级应为5位数字" in finding.message


def test_unquoted_code_is_read_as_its_digits():
    text = VALID.replace('"2013101"', "2013101")
    ds, findings = parse_yaml_text(text, "t.yaml")
    assert findings == [] and ds is not None
    assert ds.functional[0].code == "2013101"


def test_unquoted_short_code_is_a_located_pattern_error():
    text = VALID.replace('"2013101"', "201310")
    findings = failing(text)
    finding = check(findings[0], "LOAD-105", line_of(text, "code:"))
    assert "7位数字" in finding.message


def test_empty_string():
    text = VALID.replace("region: 某某市", 'region: ""')
    findings = failing(text)
    finding = check(findings[0], "LOAD-106", line_of(text, "region"))
    assert "不能为空" in finding.message


def test_unit_literal():
    text = VALID.replace("unit: 万元", "unit: 千元")
    findings = failing(text)
    finding = check(findings[0], "LOAD-107", line_of(text, "unit:"))
    assert "单位应为「元」或「万元」" in finding.message


@pytest.mark.parametrize(
    ("old", "new", "fragment", "needle"),
    [
        ("general_budget:\n      basic: 96.73", "general_budget: [1]", "general_budget", "映射"),
        ("functional:\n", "illustrative: 示意\nfunctional:\n", "illustrative", "列表"),
        ("department:\n", "income: 100\ndepartment:\n", "income", "映射"),
    ],
)
def test_wrong_container_type(old: str, new: str, fragment: str, needle: str):
    text = VALID.replace(old, new)
    findings = failing(text)
    finding = check(only(findings, "LOAD-108"), "LOAD-108", line_of(text, fragment))
    assert f"应为{needle}" in finding.message


def test_list_item_of_wrong_type():
    text = VALID + "  - 5\n"
    findings = failing(text)
    finding = check(findings[0], "LOAD-108", line_of(text, "  - 5"))
    assert "第 2 项" in finding.message


def test_generic_fallback_names_field_and_keeps_pydantic_message():
    err = {"type": "some_new_error", "loc": ("department", "name"), "msg": "Something odd"}
    code, message = validation_messages._explain(err, ("department", "name"), "department.name")
    assert code == "LOAD-199"
    assert "部门全称" in message and "Something odd" in message
    assert "department.name" not in message  # the path is Location.path, not text
    assert _CJK.search(message)


def test_many_problems_reported_together_in_line_order():
    text = VALID.replace("unit: 万元", "unit: 千元").replace("basic: 96.73", "basic: -1")
    findings = failing(text)
    assert [f.code for f in findings] == ["LOAD-107", "LOAD-104"]
    lines = [f.location.line for f in findings]
    assert lines == sorted(lines)


def test_load_codes_documented():
    assert all(re.fullmatch(r"LOAD-\d{3}", code) for code in LOAD_CODES)
    assert all(_CJK.search(text) for text in LOAD_CODES.values())


# -- robustness -----------------------------------------------------------------------------


def assert_outcome(dataset, findings) -> None:
    if dataset is not None:
        assert findings == []
        return
    assert findings
    for finding in findings:
        assert finding.code in LOAD_CODES
        assert finding.severity is Severity.ERROR
        assert finding.location.file == ORIGIN
        assert finding.location.line is not None and finding.location.line >= 1
        assert _CJK.search(finding.message)


_FUZZ = settings(
    max_examples=300,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)

_YAMLISH = st.text(
    alphabet=st.sampled_from(list("abunitdepr:-[]{},&*!|>'\"#?%@`\\.0123456789 \t\n万元\x07")),
    max_size=200,
)


@_FUZZ
@given(st.binary(max_size=400))
def test_random_bytes_never_raise(data: bytes):
    assert_outcome(*parse_yaml_bytes(data, ORIGIN))


@_FUZZ
@given(st.text(max_size=300))
def test_random_text_never_raises(text: str):
    assert_outcome(*parse_yaml_text(text, ORIGIN))


@_FUZZ
@given(_YAMLISH)
def test_yaml_like_text_never_raises(text: str):
    assert_outcome(*parse_yaml_text(text, ORIGIN))


@_FUZZ
@given(st.integers(0, len(VALID)), st.text(max_size=20))
def test_mutated_valid_document_never_raises(at: int, insert: str):
    assert_outcome(*parse_yaml_text(VALID[:at] + insert + VALID[at:], ORIGIN))


def test_merge_of_a_non_mapping():
    text = VALID.replace("      basic: 96.73", "      <<: 5\n      basic: 96.73")
    findings = failing(text)
    assert len(findings) == 1
    check(findings[0], "LOAD-010", line_of(text, "<<:"))


def test_alias_of_an_anchored_key():
    text = VALID + "glossary:\n  &term 行政运行: 说明\nreasons:\n  total_change: *term\n"
    dataset, findings = parse_yaml_text(text, ORIGIN)
    assert findings == []
    assert dataset is not None
    assert dataset.reasons.total_change == "行政运行"
