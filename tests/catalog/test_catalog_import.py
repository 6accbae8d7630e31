"""Importing official catalogs from spreadsheets and CSV, and the `catalog` CLI."""

from __future__ import annotations

import os
from pathlib import Path

import openpyxl
import pytest
from typer.testing import CliRunner

from juesuan.catalog import store as catalog_store
from juesuan.catalog.catalogs import clear_cache, load_catalogs, user_catalog_dir
from juesuan.catalog.importer import import_catalog
from juesuan.cli.catalog import catalog_app
from juesuan.core.findings import Severity, has_errors


@pytest.fixture(autouse=True)
def _isolated_home(tmp_path, monkeypatch):
    monkeypatch.setenv("JUESUAN_HOME", str(tmp_path / "home"))
    clear_cache()
    yield
    clear_cache()


def _xlsx(path: Path, sheets: dict[str, list[list[object]]]) -> Path:
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for title, rows in sheets.items():
        ws = wb.create_sheet(title)
        for row in rows:
            ws.append(row)
    wb.save(path)
    return path


def _codes(findings, code):
    return [f for f in findings if f.code == code]


SPLIT_ROWS: list[list[object]] = [
    ["2025年支出功能分类科目"],
    ["科目编码", None, None, "科目名称"],
    ["类", "款", "项", None],
    [201, None, None, "一般公共服务支出"],
    [201, 6, None, "  财政事务"],
    [201, 6, 1, "　　行政运行"],  # full-width indentation
    [None, None, 2, "    一般行政管理事务"],  # 类/款 inherited from the rows above
    [None, 99, None, "其他一般公共服务支出"],
    [None, None, 99, "其他一般公共服务\n支出"],  # wrapped inside the cell
    [208, "05", None, "行政事业单位养老支出"],
    [None, None, "05", "机关事业单位基本养老保险缴费支出"],
    [208, None, None, "社会保障和就业支出"],
    ["合计", None, None, None],
]


# --------------------------------------------------------------------------- layouts


def test_xlsx_split_columns_numeric_codes(tmp_path):
    src = _xlsx(tmp_path / "功能分类.xlsx", {"功能分类": SPLIT_ROWS})
    result = import_catalog(src, 2025)
    assert result.ok, [f.render() for f in result.findings]
    assert result.counts == {"functional": {"类": 2, "款": 3, "项": 4}}
    assert result.written == {"functional": user_catalog_dir(2025) / "functional.csv"}
    f = load_catalogs(2025).functional
    assert f.year == 2025 and f.complete is True
    assert f.origin == str(user_catalog_dir(2025) / "functional.csv")
    assert f.imported_from == str(src.resolve())
    imported = {e.code: e.name for e in f if e.source.startswith("功能分类.xlsx")}
    assert imported == {
        "201": "一般公共服务支出",
        "20106": "财政事务",
        "2010601": "行政运行",
        "2010602": "一般行政管理事务",
        "20199": "其他一般公共服务支出",
        "2019999": "其他一般公共服务支出",
        "208": "社会保障和就业支出",
        "20805": "行政事业单位养老支出",
        "2080505": "机关事业单位基本养老保险缴费支出",
    }
    assert f.get("2010602").parent == "20106"
    assert f.get("2010601").source == "功能分类.xlsx#功能分类!C6"
    # 208 is listed after its children: not a missing parent
    assert _codes(result.findings, "CAT-IMP-010") == []


def test_xlsx_code_column_both_schemes_on_separate_sheets(tmp_path):
    src = _xlsx(
        tmp_path / "科目.xlsx",
        {
            "说明": [["本文件为2025年政府收支分类科目"]],
            "支出功能分类": [
                ["科目编码", "科目名称", "说明"],
                [201, "一般公共服务支出", "反映……"],
                [20101.0, "人大事务", None],
                ["2010101", " 行政运行 ", None],
                [1010101, "国内增值税", None],  # revenue code: skipped
            ],
            "经济分类": [
                ["编码", "名称"],
                [301, "工资福利支出"],
                ["30101", "基本工资"],
                [302, "商品和服务支出"],
                [30201, "办公费"],
            ],
        },
    )
    result = import_catalog(src, 2025)
    assert result.ok
    assert result.counts == {
        "functional": {"类": 1, "款": 1, "项": 1},
        "economic": {"类": 2, "款": 2},
    }
    c = load_catalogs(2025)
    assert c.functional.name("2010101") == "行政运行"
    assert c.economic.name("30101") == "基本工资"
    assert c.economic.origin.endswith("economic.csv")
    skipped = _codes(result.findings, "CAT-IMP-008")
    assert skipped and skipped[0].severity is Severity.INFO
    assert skipped[0].location.sheet == "支出功能分类"
    headerless = _codes(result.findings, "CAT-IMP-005")
    assert [f.location.sheet for f in headerless] == ["说明"]


def test_scheme_option_restricts_import(tmp_path):
    src = _xlsx(
        tmp_path / "both.xlsx",
        {"S": [["代码", "名称"], [201, "一般公共服务支出"], [301, "工资福利支出"]]},
    )
    result = import_catalog(src, 2025, scheme="economic")
    assert result.ok and set(result.written) == {"economic"}
    assert not (user_catalog_dir(2025) / "functional.csv").exists()
    assert load_catalogs(2025).economic.name("301") == "工资福利支出"


def test_csv_utf8_and_gbk(tmp_path):
    text = "科目编码,科目名称\n201,一般公共服务支出\n20131,党委办公厅（室）及相关机构事务\n"
    utf8 = tmp_path / "a.csv"
    utf8.write_text(text, encoding="utf-8-sig")
    result = import_catalog(utf8, 2025)
    assert result.ok and result.counts == {"functional": {"类": 1, "款": 1, "项": 0}}
    assert load_catalogs(2025).functional.name("20131") == "党委办公厅（室）及相关机构事务"

    gbk = tmp_path / "b.csv"
    gbk.write_bytes((text + "2013101,行政运行\n").encode("gb18030"))
    result = import_catalog(gbk, 2025)
    assert result.ok
    assert load_catalogs(2025).functional.name("2013101") == "行政运行"
    assert result.findings == []


def test_import_overrides_bundled_for_that_year_only(tmp_path):
    src = tmp_path / "f.csv"
    src.write_text("编码,名称\n201,一般公共服务支出\n20101,人大事务\n2010101,行政运行\n")
    assert load_catalogs(2024).functional.origin == "bundled"
    result = import_catalog(src, 2024)
    assert result.ok
    c = load_catalogs(2024)
    assert c.functional.complete is True
    assert c.functional.origin != "bundled" and c.functional.name("20101") == "人大事务"
    # merged over the bundled list: the imported codes are added, every bundled code stays
    assert "2013101" in c.functional and "2010101" in c.functional
    assert c.economic.origin == "bundled" and c.economic.complete is False
    # other years: 2023 falls back to 2024 (the nearest, now the user's)
    assert load_catalogs(2023).functional.origin == c.functional.origin


def test_incomplete_flag(tmp_path):
    src = tmp_path / "f.csv"
    src.write_text("编码,名称\n201,一般公共服务支出\n")
    assert import_catalog(src, 2025, complete=False).ok
    assert load_catalogs(2025).functional.complete is False


# --------------------------------------------------------------------------- problems


@pytest.mark.parametrize(
    ("name", "content", "code"),
    [
        ("empty.xlsx", b"", "CAT-IMP-002"),
        ("junk.xlsx", bytes(range(256)) * 8, "CAT-IMP-004"),
        ("corrupt.xlsx", b"PK\x03\x04" + b"\x00" * 200, "CAT-IMP-004"),
        ("junk.csv", b"\x00\x01\x02\xff\xfe" * 40, "CAT-IMP-004"),
        ("junk.xls", b"\xd0\xcf\x11\xe0" + b"\x00" * 100, "CAT-IMP-004"),
        ("table.pdf", b"%PDF-1.4", "CAT-IMP-003"),
        ("blank.csv", b"\n\n  \n", "CAT-IMP-002"),
        ("noheader.csv", "a,b\n201,一般公共服务支出\n".encode(), "CAT-IMP-005"),
    ],
)
def test_bad_files_give_located_error(tmp_path, name, content, code):
    path = tmp_path / name
    path.write_bytes(content)
    result = import_catalog(path, 2025)
    assert not result.ok
    errors = [f for f in result.findings if f.severity is Severity.ERROR]
    assert [f.code for f in errors] == [code]
    assert errors[0].location.file == str(path)
    assert errors[0].message
    assert result.written == {}
    assert not user_catalog_dir(2025).exists()


def test_missing_file_and_bad_arguments(tmp_path):
    result = import_catalog(tmp_path / "nope.xlsx", 2025)
    assert [f.code for f in result.findings] == ["CAT-IMP-001"]
    result = import_catalog(tmp_path / "nope.xlsx", 25, scheme="revenue")
    assert [f.code for f in result.findings] == ["CAT-IMP-000", "CAT-IMP-000"]
    assert has_errors(result.findings)


def test_xlsx_without_header_or_codes(tmp_path):
    src = _xlsx(tmp_path / "x.xlsx", {"Sheet1": [["甲", "乙"], [1, 2]]})
    result = import_catalog(src, 2025)
    [err] = [f for f in result.findings if f.severity is Severity.ERROR]
    assert err.code == "CAT-IMP-005" and err.location.sheet == "Sheet1"

    src = _xlsx(tmp_path / "y.xlsx", {"收入": [["科目编码", "科目名称"], [101, "税收收入"]]})
    result = import_catalog(src, 2025)
    assert "CAT-IMP-012" in [f.code for f in result.findings] and not result.ok


def test_duplicates_missing_parents_and_bad_codes_are_located_warnings(tmp_path):
    src = _xlsx(
        tmp_path / "w.xlsx",
        {
            "经济": [
                ["科目编码", "科目名称"],
                [301, "工资福利支出"],
                [30101, "基本工资"],
                [30101, "基本工资"],  # same name: fine
                [30102, "津贴补贴"],
                [30102, "津贴"],  # different name: warning, first kept
                [30201, "办公费"],  # parent 302 missing: warning
                ["3O1O2", "坏编码"],  # letter O: warning
                [3020, "四位"],  # wrong length: warning
                [30299, None],  # no name: warning
            ]
        },
    )
    result = import_catalog(src, 2025)
    assert result.ok  # warnings only
    dup = _codes(result.findings, "CAT-IMP-009")
    assert len(dup) == 1 and dup[0].location.cell == "A6" and dup[0].location.sheet == "经济"
    assert dup[0].severity is Severity.WARNING
    parent = _codes(result.findings, "CAT-IMP-010")
    assert [(f.location.cell, f.severity) for f in parent] == [("A7", Severity.WARNING)]
    assert "302" in parent[0].message
    bad = _codes(result.findings, "CAT-IMP-006")
    assert [f.location.cell for f in bad] == ["A8", "A9"]
    noname = _codes(result.findings, "CAT-IMP-007")
    assert [f.location.cell for f in noname] == ["B10"]
    e = load_catalogs(2025).economic
    stored = {x.code for x in e if x.source.startswith(src.name)}
    assert e.name("30102") == "津贴补贴" and "30299" not in stored and len(stored) == 4


def test_csv_findings_carry_line_numbers(tmp_path):
    src = tmp_path / "c.csv"
    src.write_text("科目编码,科目名称\n201,一般公共服务支出\n2010101,行政运行\n")
    result = import_catalog(src, 2025)
    [missing] = _codes(result.findings, "CAT-IMP-010")
    assert missing.location.line == 3 and missing.location.cell == "A3"
    assert missing.location.file == str(src)


# --------------------------------------------------------------------------- atomicity


def test_failed_import_leaves_previous_catalog_intact(tmp_path):
    good = tmp_path / "good.csv"
    good.write_text("编码,名称\n201,一般公共服务支出\n20101,人大事务\n")
    assert import_catalog(good, 2025).ok
    stored = user_catalog_dir(2025) / "functional.csv"
    before = stored.read_bytes()
    meta_before = (user_catalog_dir(2025) / "catalog.json").read_bytes()

    corrupt = tmp_path / "bad.xlsx"
    corrupt.write_bytes(b"PK\x03\x04garbage" * 10)
    assert not import_catalog(corrupt, 2025).ok
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    assert not import_catalog(empty, 2025).ok

    assert stored.read_bytes() == before
    assert (user_catalog_dir(2025) / "catalog.json").read_bytes() == meta_before
    assert load_catalogs(2025).functional.name("20101") == "人大事务"


def test_write_failure_keeps_old_files_and_leaves_no_temp_files(tmp_path, monkeypatch):
    good = tmp_path / "good.csv"
    good.write_text("编码,名称\n201,一般公共服务支出\n301,工资福利支出\n")
    assert import_catalog(good, 2025).ok
    directory = user_catalog_dir(2025)
    before = {p.name: p.read_bytes() for p in directory.iterdir()}

    newer = tmp_path / "newer.csv"
    newer.write_text("编码,名称\n201,一般公共服务支出\n20101,人大事务\n")

    def broken_write(directory, prefix, text):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(catalog_store, "_write_temp", broken_write)
    result = import_catalog(newer, 2025)
    assert not result.ok
    [err] = [f for f in result.findings if f.severity is Severity.ERROR]
    assert err.code == "CAT-IMP-014" and "原有目录未改动" in err.message
    assert {p.name: p.read_bytes() for p in directory.iterdir()} == before


def test_rename_failure_cleans_up_temp_files(tmp_path, monkeypatch):
    good = tmp_path / "good.csv"
    good.write_text("编码,名称\n201,一般公共服务支出\n")
    real_replace = os.replace
    monkeypatch.setattr(catalog_store.os, "replace", lambda a, b: (_ for _ in ()).throw(OSError))
    result = import_catalog(good, 2025)
    assert not result.ok
    assert [p.name for p in user_catalog_dir(2025).iterdir()] == []
    monkeypatch.setattr(catalog_store.os, "replace", real_replace)
    assert import_catalog(good, 2025).ok


# --------------------------------------------------------------------------- CLI

runner = CliRunner()


def test_cli_import_show_list(tmp_path):
    src = _xlsx(tmp_path / "f.xlsx", {"功能分类": SPLIT_ROWS})
    res = runner.invoke(catalog_app, ["import", str(src), "--year", "2025"])
    assert res.exit_code == 0, res.output
    assert "类 2 个、款 3 个、项 4 个" in res.output
    assert str(user_catalog_dir(2025) / "functional.csv") in res.output

    res = runner.invoke(catalog_app, ["show", "2010602", "--year", "2025"])
    assert res.exit_code == 0, res.output
    lines = res.stdout.splitlines()
    assert lines[:3] == [
        "201  一般公共服务支出（类）",
        "20106  财政事务（款）",
        "2010602  一般行政管理事务（项）",
    ]

    res = runner.invoke(catalog_app, ["list", "--year", "2025", "--scheme", "functional"])
    assert res.exit_code == 0
    assert "    2010601  行政运行" in res.stdout


def test_cli_show_bundled_and_missing():
    res = runner.invoke(catalog_app, ["show", "2013199", "--year", "2024"])
    assert res.exit_code == 0
    assert "2013199  其他党委办公厅（室）及相关机构事务支出（项）" in res.stdout
    res = runner.invoke(catalog_app, ["show", "2013102", "--year", "2024"])
    assert res.exit_code == 1 and "没有编码 2013102" in res.output and "不完整" in res.output
    res = runner.invoke(catalog_app, ["show", "abc", "--year", "2024"])
    assert res.exit_code == 1 and "不是有效的科目编码" in res.output
    res = runner.invoke(catalog_app, ["show", "30101", "--year", "2022"])
    assert res.exit_code == 0 and "使用了 2024 年的目录" in res.output


def test_cli_import_bad_file_exits_1_without_traceback(tmp_path):
    junk = tmp_path / "junk.xlsx"
    junk.write_bytes(bytes(range(256)))
    res = runner.invoke(catalog_app, ["import", str(junk), "--year", "2025"])
    assert res.exit_code == 1
    assert isinstance(res.exception, SystemExit)
    assert "CAT-IMP-004" in res.output and "导入失败" in res.output
    assert "Traceback" not in res.output
    res = runner.invoke(catalog_app, ["import", str(junk), "--year", "2025", "--scheme", "x"])
    assert res.exit_code == 1 and "未知的分类方案" in res.output


def test_importing_one_code_adds_it_to_the_bundled_list(tmp_path):
    src = tmp_path / "one.csv"
    src.write_text("编码,名称\n2089998,新设科目\n")
    bundled = load_catalogs(2024).functional
    before = {e.code for e in bundled}
    assert "2089998" not in bundled
    assert import_catalog(src, 2024).ok
    merged = load_catalogs(2024).functional
    assert {e.code for e in merged} == before | {"2089998"}
    assert merged.name("2089998") == "新设科目" and merged.name("208") == "社会保障和就业支出"
