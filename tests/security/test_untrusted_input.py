"""Issue 12's corpus: what a web upload can reach must not run code, touch files, hang or lose
data. One test (or a parametrised group) per item of the issue; every hostile command runs in
a child process under an address-space limit and a timeout (see ``hostile.run_bounded``), and
asserts a clean Chinese message, the exit code, and that nothing outside the output folder
changed."""

from __future__ import annotations

import os
from decimal import Decimal
from pathlib import Path

import hostile
import pytest
from hostile import run_bounded, sample_yaml, with_field

from juesuan.io.safe_write import safe_stem, write_set
from juesuan.performance.expr import MAX_DEPTH, FormulaError, check_expression, evaluate

NAME_LINE = "name: 中共遂宁市安居区委目标绩效管理办公室"
TRACEBACK = "Traceback"


def _write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def _tree(folder: Path) -> set[str]:
    return {str(p.relative_to(folder)) for p in folder.rglob("*")}


# ------------------------------------------------------------------ 1. profile: no code runs


def test_profile_path_is_refused_and_template_never_runs(tmp_path: Path) -> None:
    evil = tmp_path / "evil"
    evil.mkdir()
    marker = tmp_path / "ran"
    for name in ("profile.yaml", "tables.yaml"):
        (evil / name).write_text("name: evil\ncatalog_year: 2024\nnarrative: n.md.j2\n")
    (evil / "narrative.md.j2").write_text(
        '{{ cycler.__init__.__globals__.os.popen("touch ' + str(marker) + '").read() }}'
    )
    data = tmp_path / "data"
    data.mkdir()
    for profile in ("../evil", str(evil), "sichuan-2024/../../evil", "SICHUAN-2024"):
        text = with_field(sample_yaml(), "profile: sichuan-2024", f'profile: "{profile}"')
        _write(data, "d.yaml", text)
        res = run_bounded(["build", "d.yaml", "-o", "out", "--format", "md", "--force"], data)
        assert res.code == 1, res.text
        assert "LOAD-021" in res.text and "未知的地区模板" in res.text
        assert TRACEBACK not in res.text
    assert not marker.exists()
    assert not (data / "out").exists()


def test_narrative_templates_are_sandboxed(tmp_path: Path) -> None:
    import jinja2

    from juesuan.compose.narrative import _template

    marker = tmp_path / "ran"
    (tmp_path / "t.md.j2").write_text(
        '{{ cycler.__init__.__globals__.os.popen("touch ' + str(marker) + '").read() }}'
    )
    template = _template(tmp_path, tmp_path / "t.md.j2")
    with pytest.raises(jinja2.TemplateError):
        template.render(cycler=jinja2.utils.Cycler(1))
    assert not marker.exists()


# ------------------------------------------------------------------ 2. output names


@pytest.mark.parametrize(
    "name",
    ["/tmp/juesuan-x", "../../../juesuan-x", "<b>x</b>", "a\\\\b", "..", "x/../../y", "名" * 300],
)
def test_department_name_never_leaves_the_output_folder(tmp_path: Path, name: str) -> None:
    data = tmp_path / "data"
    data.mkdir()
    text = with_field(sample_yaml(), NAME_LINE, f'name: "{name}"')
    _write(data, "d.yaml", text)
    before = _tree(tmp_path)
    res = run_bounded(["build", "d.yaml", "-o", "out", "--format", "md,json"], data)
    assert res.code == 0, res.text
    after = _tree(tmp_path)
    new = after - before
    assert new and all(p.startswith("data/out") for p in new), new
    files = list((data / "out").iterdir())
    assert len(files) == 2
    for f in files:
        assert f.parent == data / "out"
        assert not set(f.name) & set('/\\<>:"|?*') and not f.name.startswith(".")
        assert len(f.name.encode()) <= 255
    assert not Path("/tmp/juesuan-x-2024.md").exists()


def test_safe_stem() -> None:
    assert safe_stem("../../etc/passwd") == "etc_passwd"
    assert safe_stem("<script>") == "script"
    assert safe_stem("a\x00b\x07c") == "a_b_c"
    assert safe_stem("..") == "部门"
    assert safe_stem("") == "部门"
    assert safe_stem("普陀区财政局（本级）") == "普陀区财政局（本级）"
    assert len(safe_stem("名" * 500).encode()) <= 120


# ------------------------------------------------------------------ 3. referenced files


def test_referenced_files_stay_in_the_dataset_folder(tmp_path: Path) -> None:
    secret = tmp_path / "secret.yaml"
    secret.write_text("department: {name: TOP-SECRET-VALUE}\njuesuan: 1\n", encoding="utf-8")
    data = tmp_path / "data"
    data.mkdir()
    (data / "link.yaml").symlink_to(secret)
    for ref in ("/etc/passwd", "../secret.yaml", str(secret), "link.yaml"):
        text = sample_yaml().replace("prior_year:\n", f'prior_year:\n  file: "{ref}"\n', 1)
        _write(data, "d.yaml", text)
        res = run_bounded(["validate", "d.yaml"], data)
        assert res.code == 1, res.text
        assert "LOAD-022" in res.text and "只能引用数据文件所在文件夹" in res.text
        assert "TOP-SECRET" not in res.text and "root:" not in res.text
    text = with_field(sample_yaml(), "system: sichuan-2024-department", 'system: "../secret.yaml"')
    _write(data, "d.yaml", text)
    res = run_bounded(["validate", "d.yaml"], data)
    assert res.code == 1 and "PERF-008" in res.text and "只能引用" in res.text, res.text
    assert "TOP-SECRET" not in res.text
    # the command line can widen the allowed folders: then the file is read (and rejected as
    # an indicator system, quoting at most a short escaped excerpt)
    res = run_bounded(["--allow-dir", str(tmp_path), "validate", "d.yaml"], data)
    assert "只能引用" not in res.text and TRACEBACK not in res.text


def test_messages_quote_short_escaped_excerpts() -> None:
    from juesuan.io.load_findings import clip

    assert clip("a\x07b\x00c") == "a\\x07b\\x00c"
    assert len(clip("x" * 10_000)) == 40


# ------------------------------------------------------------------ 4. workbook dimensions


@pytest.mark.parametrize("kind", [*hostile.WORKBOOK_ATTACKS, "stored-elsewhere"])
def test_workbook_dimensions_are_bounded_before_allocation(tmp_path: Path, kind: str) -> None:
    (tmp_path / "w.xlsx").write_bytes(hostile.hostile_workbook(kind))
    res = run_bounded(["validate", "w.xlsx"], tmp_path, memory=1536 * 1024**2)
    assert res.code == 1, res.text
    assert "XLS-002" in res.text and "尺寸过大" in res.text
    assert TRACEBACK not in res.text


def test_catalog_import_has_the_same_guard(tmp_path: Path) -> None:
    (tmp_path / "c.xlsx").write_bytes(hostile.hostile_workbook("stored-elsewhere"))
    res = run_bounded(
        ["catalog", "import", "c.xlsx", "--year", "2031"], tmp_path, memory=1536 * 1024**2
    )
    assert "CAT-IMP-004" in res.text and "尺寸过大" in res.text, res.text
    assert TRACEBACK not in res.text


# ------------------------------------------------------------------ 5. checker


@pytest.mark.parametrize(
    ("name", "make"),
    [
        ("digits.txt", lambda: ("1" * 100_000).encode()),
        ("numbers.txt", lambda: hostile.number_lines_text().encode()),
        ("nul.txt", lambda: b"\x00" * 5_000_000),
        ("huge-page.pdf", hostile.huge_page_pdf),
        ("bloated.docx", hostile.bloated_docx),
    ],
)
def test_checker_ends_with_a_clear_message(tmp_path: Path, name: str, make) -> None:
    (tmp_path / name).write_bytes(make())
    res = run_bounded(["check", name], tmp_path, memory=2 * 1024**3, timeout=180)
    assert res.code in (0, 1, 2), res.text
    assert TRACEBACK not in res.text
    if name in ("huge-page.pdf", "bloated.docx", "nul.txt"):
        assert res.code == 2 and "文件过大/过于复杂，未能检查" in res.text, res.text


def test_checker_time_budget(tmp_path: Path) -> None:
    from juesuan.check.limits import check_file_limited

    path = tmp_path / "a.txt"
    path.write_text("一般公共预算财政拨款支出100万元。\n" * 50, encoding="utf-8")
    report = check_file_limited(path, seconds=0)
    assert [f.code for f in report.fatal] == ["CHK-092"]
    assert "文件过大/过于复杂，未能检查" in report.fatal[0].message
    report = check_file_limited(path, seconds=120)
    assert not report.fatal


def test_checker_regexes_are_linear() -> None:
    """The two regexes named in the issue, on their worst inputs: run in a child process with
    a timeout, so a quadratic regression fails instead of hanging the suite."""
    code = (
        "from juesuan.check.text import AMOUNT, listed_counts\n"
        "for t in ('1' * 300_000, '1,' * 150_000, '\\x00' * 2_000_000, '甲' * 2_000_000):\n"
        "    list(AMOUNT.finditer(t)); list(listed_counts(t))\n"
        "print('ok')\n"
    )
    res = run_bounded([], Path.cwd(), python=code, timeout=120)
    assert res.out.strip() == "ok", res.text


def test_listed_matches_the_plain_regex() -> None:
    import random

    from juesuan.check.text import LISTED, listed_counts

    rng = random.Random(12)
    alphabet = "A、B和及三两十个1,2。（部门X"
    for _ in range(3000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 30)))
        assert [m.span() for m in LISTED.finditer(text)] == [m.span() for m in listed_counts(text)]


# ------------------------------------------------------------------ 6. formulas


def test_long_formula_is_an_error_not_a_recursion_error() -> None:
    expr = "+".join(["a"] * 480)
    problems = check_expression(expr, {"a"})
    assert problems and f"超过{MAX_DEPTH}层" in problems[0]
    with pytest.raises(FormulaError):
        evaluate(expr, {"a": Decimal(1)})
    assert evaluate("+".join(["a"] * 90), {"a": Decimal(1)}) == 90


def test_formula_checking_is_linear() -> None:
    code = (
        "from juesuan.performance.expr import check_expression\n"
        "e = 'max(' + 'a,' * 990 + 'a)'\n"
        "for _ in range(20): check_expression(e + ' ' * _, {'a'})\n"
        "print('ok')\n"
    )
    res = run_bounded([], Path.cwd(), python=code, timeout=120)
    assert res.out.strip() == "ok", res.text


# ------------------------------------------------------------------ 7. YAML 1.1 numbers


@pytest.mark.parametrize(
    ("typed", "value"),
    [("042", 42), ("017", 17), ("0x10", None), ("0b101", None), ("1:30", None), ("1:30.5", None)],
)
def test_yaml11_number_forms_are_never_converted(tmp_path: Path, typed: str, value) -> None:
    from juesuan.pipeline import load

    text = sample_yaml().replace("batches: 3", f"batches: {typed}", 1)
    ds, findings = load(_write(tmp_path, "d.yaml", text))
    if value is None:
        assert ds is None
        assert any(f.code == "LOAD-103" and typed in f.message for f in findings)
    else:
        assert ds is not None and ds.sangong.reception_domestic.batches == value


def test_yaml11_forms_in_text_keep_the_text(tmp_path: Path) -> None:
    from juesuan.pipeline import load

    text = with_field(sample_yaml(), "short_name: 区委绩效办", "short_name: 0x10")
    ds, _ = load(_write(tmp_path, "d.yaml", text))
    assert ds is not None and ds.department.short_name == "0x10"


# ------------------------------------------------------------------ 9. control characters


@pytest.mark.parametrize("bad", ["\\x07", "\\0", "\\x1b[31m", "\\uffff"])
def test_control_characters_are_refused_by_validation(tmp_path: Path, bad: str) -> None:
    text = with_field(sample_yaml(), NAME_LINE, f'name: "部门{bad}名称"')
    _write(tmp_path, "d.yaml", text)
    res = run_bounded(["build", "d.yaml", "-o", "out", "--force", "--format", "md,docx"], tmp_path)
    assert res.code == 1, res.text
    assert "LOAD-109" in res.text and "控制字符" in res.text
    assert TRACEBACK not in res.text and not (tmp_path / "out").exists()


def test_long_lists_build(tmp_path: Path) -> None:
    text = sample_yaml().replace(
        "  duties:\n", "  duties:\n" + "".join(f"    - 职责{i}。\n" for i in range(130)), 1
    )
    _write(tmp_path, "d.yaml", text)
    res = run_bounded(["build", "d.yaml", "-o", "out", "--format", "md,docx"], tmp_path)
    assert res.code == 0, res.text
    text = sample_yaml().replace("  duties:\n", "  duties:\n" + "    - 职责。\n" * 2_500, 1)
    _write(tmp_path, "d.yaml", text)
    res = run_bounded(["validate", "d.yaml"], tmp_path)
    assert res.code == 1 and "LOAD-109" in res.text and "列表过长" in res.text, res.text


def test_chinese_number_beyond_99() -> None:
    from juesuan.compose.narrative import chinese_number

    assert [chinese_number(n) for n in (10, 21, 100, 101, 110, 1010, 12345)] == [
        "十",
        "二十一",
        "一百",
        "一百零一",
        "一百一十",
        "一千零一十",
        "12345",
    ]


# ------------------------------------------------------------------ 10. writing outputs


def test_planted_symlink_is_replaced_not_followed(tmp_path: Path) -> None:
    victim = tmp_path / "victim.txt"
    victim.write_text("keep")
    out = tmp_path / "out"
    out.mkdir()
    (out / "a.md").symlink_to(victim)
    (out / ".a.md.tmp").symlink_to(victim)  # the old predictable temporary name
    write_set(out, {"a.md": b"new", "a.json": b"{}"})
    assert victim.read_text() == "keep"
    assert not (out / "a.md").is_symlink() and (out / "a.md").read_bytes() == b"new"
    assert sorted(p.name for p in out.iterdir() if p.name.endswith(".part")) == []


def test_failed_build_leaves_the_old_set(tmp_path: Path, monkeypatch) -> None:
    from juesuan import pipeline

    analysis, _ = pipeline.validate(_write(tmp_path, "d.yaml", sample_yaml()))
    out = tmp_path / "out"
    first = pipeline.write_outputs(analysis, out, ("md", "json"))
    before = {p.name: p.read_bytes() for p in first}
    real = pipeline.render

    def flaky(analysis, fmt, doc, charts):
        if fmt == "json":
            raise ValueError("writer failed")
        return b"changed " + real(analysis, fmt, doc, charts)

    monkeypatch.setattr(pipeline, "render", flaky)
    with pytest.raises(ValueError):
        pipeline.write_outputs(analysis, out, ("md", "json"))
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before


def test_write_set_refuses_paths(tmp_path: Path) -> None:
    for name in ("../x", "/tmp/x", "..", "", "a/b"):
        with pytest.raises(ValueError):
            write_set(tmp_path, {name: b""})
    assert list(tmp_path.iterdir()) == []


def test_convert_refuses_to_overwrite_its_input(tmp_path: Path) -> None:
    src = _write(tmp_path, "a.yaml", "# 注释\n" + sample_yaml())
    before = src.read_bytes()
    os.link(src, tmp_path / "b.yaml")
    for target in ("a.yaml", "./a.yaml", "b.yaml"):
        res = run_bounded(["convert", "a.yaml", target], tmp_path)
        assert res.code == 2 and "不覆盖输入" in res.text, res.text
    assert src.read_bytes() == before


# ------------------------------------------------------------------ 11. Markdown, PDFs


def test_markdown_escapes_markup(tmp_path: Path) -> None:
    text = with_field(
        sample_yaml(), NAME_LINE, 'name: "<script>alert(1)</script>[x](javascript:y)"'
    )
    _write(tmp_path, "d.yaml", text)
    res = run_bounded(["build", "d.yaml", "-o", "out", "--format", "md"], tmp_path)
    assert res.code == 0, res.text
    (md,) = (tmp_path / "out").glob("*.md")
    body = md.read_text(encoding="utf-8")
    assert "<script>" not in body and "&lt;script&gt;" in body
    assert "[x](javascript" not in body and "\\[x\\](javascript" in body


def test_encrypted_pdf_is_reported_as_encrypted(tmp_path: Path) -> None:
    import pikepdf

    pdf = pikepdf.new()
    pdf.add_blank_page()
    pdf.save(tmp_path / "e.pdf", encryption=pikepdf.Encryption(user="u", owner="o"))
    res = run_bounded(["check", "e.pdf"], tmp_path)
    assert res.code == 2 and "已加密" in res.text and "损坏" not in res.text, res.text


def test_damaged_pdf_names_its_unreadable_pages(tmp_path: Path) -> None:
    golden = Path(__file__).resolve().parents[1] / "golden" / "putuo-2024.pdf"
    data = golden.read_bytes()
    middle = len(data) // 2
    (tmp_path / "d.pdf").write_bytes(data[:middle] + b"\0" * 200_000 + data[middle + 200_000 :])
    res = run_bounded(["check", "d.pdf"], tmp_path)
    assert res.code == 1, res.text
    assert "CHK-091" in res.text and "无法完整读取" in res.text
    assert "第2、3、4、5、21" in res.text


# ------------------------------------------------------------------ 8. workbook formulas, duplicates


def test_uncalculated_formula_and_duplicate_field_are_reported(tmp_path: Path) -> None:
    import openpyxl

    from juesuan.pipeline import load

    src = _write(tmp_path, "s.yaml", sample_yaml())
    res = run_bounded(["convert", "s.yaml", "s.xlsx"], tmp_path)
    assert res.code == 0, res.text
    wb = openpyxl.load_workbook(tmp_path / "s.xlsx")
    ws = wb["部门信息"]
    rows = {row[0].value: row[2] for row in ws.iter_rows() if row[0].value}
    cell = rows["department.staffing.actual.administrative"]
    cell.value = "=3*2"  # saved by a program: no calculated value in the file
    ws.append(["department.staffing.actual.institutional", "重复", 9])
    wb.save(tmp_path / "f.xlsx")
    _, findings = load(tmp_path / "f.xlsx")
    by_code = {f.code: f for f in findings}
    assert by_code["XLS-032"].location.cell == cell.coordinate
    assert "请在 Excel 中" in by_code["XLS-032"].message
    assert "重复" in by_code["XLS-033"].message
    assert src.exists()
