"""Fuzz what a web upload reaches: the YAML loader, the workbook reader and the checker's
readers, with hypothesis. A target passes when no case raises (every problem must come back
as findings); the script prints, per target, the cases run, the exceptions, the time and the
peak memory.

    python bench/fuzz_untrusted.py --cases 10000            # all three targets
    python bench/fuzz_untrusted.py --target yaml --cases 500

Figures: docs/benchmarks.md, section "Fuzzing untrusted input". Not part of the test run
(tests/security runs a few examples of the same strategies).
"""

from __future__ import annotations

import argparse
import io
import resource
import sys
import tempfile
import time
import traceback
import zipfile
from collections.abc import Callable
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

ROOT = Path(__file__).resolve().parent.parent


def _progress(target: str, count: int) -> None:
    if count % 1000 == 0:
        print(f"  {target}: {count} cases", file=sys.stderr, flush=True)


# --------------------------------------------------------------------------- YAML

_YAML_PIECES = [
    "juesuan: 1\n",
    "profile: sichuan-2024\n",
    "profile: ../../x\n",
    "unit: 万元\n",
    "department:\n  name: 测试\n  year: 2024\n",
    "  name: &a [*a]\n",
    "income: {general_budget: 042}\n",
    "income: {general_budget: 0x10}\n",
    "income: {general_budget: 1:30}\n",
    "income: {general_budget: .inf}\n",
    "income: {general_budget: 1e999999}\n",
    "functional:\n  - {code: 2013101, name: 行政运行}\n",
    "prior_year: {file: /etc/passwd}\n",
    "evaluation: {department: {system: ../../s.yaml}}\n",
    "duties: [" + "a, " * 50 + "]\n",
    "? [a]\n: b\n",
    "!!python/object:os.system x\n",
    "x: !!binary aGVsbG8=\n",
    "<<: *b\n",
    "\t- \x07\x00\n",
    "  - " * 30 + "x\n",
    "{" * 50 + "}" * 50 + "\n",
    "---\n---\n",
    "name: '\\ud800'\n",
]


def yaml_target(cases: int) -> tuple[int, list[str]]:
    from juesuan.io.yaml_loader import parse_yaml_text

    errors: list[str] = []
    count = 0
    text_st = st.one_of(
        st.lists(st.sampled_from(_YAML_PIECES), max_size=12).map("".join),
        st.text(max_size=400),
        st.lists(st.one_of(st.sampled_from(_YAML_PIECES), st.text(max_size=20)), max_size=10).map(
            "".join
        ),
    )

    @settings(
        max_examples=cases,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(text_st)
    def run(text: str) -> None:
        nonlocal count
        count += 1
        _progress("yaml", count)
        try:
            parse_yaml_text(text, "fuzz.yaml")
        except Exception:
            errors.append(traceback.format_exc(limit=4))

    run()
    return count, errors


# --------------------------------------------------------------------------- workbook


def _base_workbook() -> bytes:
    """A small fill-in workbook: 部门信息 with a few fields and one standard table, so that a
    case costs milliseconds (the full template costs ~100 ms to read)."""
    import openpyxl

    wb = openpyxl.Workbook()
    info = wb.active
    info.title = "部门信息"
    for row in (
        ("juesuan", "版本", 1),
        ("profile", "地区模板", "sichuan-2024"),
        ("unit", "金额单位", "万元"),
        ("department.name", "部门全称", "测试部门"),
        ("department.year", "年度", 2024),
        ("department.staffing.actual.administrative", "年末实有人数·行政", "=3*2"),
    ):
        info.append(row)
    table = wb.create_sheet("收入决算表")
    table.append(["收入决算表"])
    table.append(["科目编码", "科目名称", "本年收入合计", "财政拨款收入"])
    table.append(["2013101", "行政运行", 100, 100])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


_CELL_TAGS = [
    b'<c r="A1"><v>1</v></c>',
    b"<c><v>1</v></c>",
    b"<c r='XFD1'><v>1</v></c>",
    b'<c r="zz9999999"/>',
    b'<c r="A1" t="s"><v>999999</v></c>',
    b'<c r="B2"><f>SUM(A1:A9)</f></c>',
    b'<c r="C3" t="inlineStr"><is><t>\xe6\xb5\x8b</t></is></c>',
    b"<row>",
    b'<row r="0">',
    b"</row>",
    b'<row r="1048577">',
    b"&amp;",
    b"<!DOCTYPE x [<!ENTITY a 'b'>]>",
    b"",
]


def workbook_target(cases: int) -> tuple[int, list[str]]:
    from juesuan.io.workbook.loader import load_workbook_bytes

    base = _base_workbook()
    src = zipfile.ZipFile(io.BytesIO(base))
    parts = {name: src.read(name) for name in src.namelist()}
    sheet_names = [n for n in parts if n.startswith("xl/worksheets/")]
    errors: list[str] = []
    count = 0

    def rebuild(name: str, data: bytes) -> bytes:
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
            for n, d in parts.items():
                z.writestr(n, data if n == name else d)
        return out.getvalue()

    @settings(
        max_examples=cases,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(
        st.sampled_from(sheet_names),
        st.lists(
            st.tuples(st.floats(0, 1), st.sampled_from(_CELL_TAGS), st.integers(0, 40)),
            max_size=6,
        ),
        st.one_of(st.none(), st.tuples(st.floats(0, 1), st.binary(max_size=8))),
    )
    def run(name: str, edits, flip) -> None:
        nonlocal count
        count += 1
        _progress("workbook", count)
        data = bytearray(parts[name])
        for where, tag, cut in edits:  # splice tags in, cut bytes out
            i = int(where * len(data))
            data[i : i + cut] = tag
        book = rebuild(name, bytes(data))
        if flip is not None:  # damage the zip itself
            where, junk = flip
            i = int(where * len(book))
            book = book[:i] + junk + book[i + len(junk) :]
        try:
            load_workbook_bytes(book, "fuzz.xlsx")
        except Exception:
            errors.append(traceback.format_exc(limit=4))

    run()
    return count, errors


# --------------------------------------------------------------------------- checker readers


def _small_pdf() -> bytes:
    import pikepdf

    pdf = pikepdf.new()
    for text in ("一般公共预算财政拨款支出100.00万元。", "合计 1,234.56 万元，占 12.5%。"):
        page = pdf.add_blank_page(page_size=(300, 200))
        font = pdf.make_indirect(
            pikepdf.Dictionary(
                Type=pikepdf.Name.Font, Subtype=pikepdf.Name.Type1, BaseFont=pikepdf.Name.Helvetica
            )
        )
        page.Resources = pikepdf.Dictionary(Font=pikepdf.Dictionary(F1=font))
        body = f"BT /F1 10 Tf 20 100 Td ({text.encode('ascii', 'replace').decode()}) Tj ET"
        page.Contents = pdf.make_stream(body.encode())
    out = io.BytesIO()
    pdf.save(out, compress_streams=True)
    return out.getvalue()


def _small_docx() -> bytes:
    import docx

    d = docx.Document()
    d.add_paragraph("一、收入支出决算总体情况说明")
    d.add_paragraph("2024年度收入总计100.00万元，较上年增加10.00万元，增长11.11%。")
    t = d.add_table(rows=2, cols=2)
    t.cell(0, 0).text = "项目"
    t.cell(1, 1).text = "100.00"
    out = io.BytesIO()
    d.save(out)
    return out.getvalue()


_TEXT_ALPHABET = (
    "0123456789.,%万元其中：（）类款项、。；合计总计占增加减少个人分\t \n<>|#*-\x00\x07"
)


def checker_target(cases: int) -> tuple[int, list[str]]:
    from juesuan.check.read.reader import read

    seeds = {".pdf": _small_pdf(), ".docx": _small_docx()}
    errors: list[str] = []
    count = 0
    folder = Path(tempfile.mkdtemp(prefix="fuzz-check-"))

    @settings(
        max_examples=cases,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(
        st.sampled_from([".txt", ".md", ".html", ".pdf", ".docx"]),
        st.text(alphabet=_TEXT_ALPHABET, max_size=600),
        st.lists(
            st.tuples(st.floats(0, 1), st.binary(max_size=16), st.integers(0, 64)), max_size=5
        ),
    )
    def run(suffix: str, text: str, edits) -> None:
        nonlocal count
        count += 1
        _progress("checker", count)
        if suffix in seeds:
            data = bytearray(seeds[suffix])
            for where, junk, cut in edits:
                i = int(where * len(data))
                data[i : i + cut] = junk
            payload = bytes(data)
        elif suffix == ".html":
            payload = (
                f"<html><body><p>{text}</p><table><tr><td>{text[:40]}</td></tr></table>".encode()
            )
        else:
            payload = text.encode("utf-8", "surrogatepass")
        path = folder / f"case{suffix}"
        path.write_bytes(payload)
        try:
            read(path)
        except Exception:
            errors.append(traceback.format_exc(limit=4))

    run()
    return count, errors


TARGETS: dict[str, Callable[[int], tuple[int, list[str]]]] = {
    "yaml": yaml_target,
    "workbook": workbook_target,
    "checker": checker_target,
}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=10_000)
    parser.add_argument("--target", choices=sorted(TARGETS), action="append")
    args = parser.parse_args()
    failed = 0
    print(f"{'target':10} {'cases':>7} {'exceptions':>10} {'seconds':>8} {'peak RSS MB':>11}")
    for name in args.target or list(TARGETS):
        t0 = time.perf_counter()
        count, errors = TARGETS[name](args.cases)
        seconds = time.perf_counter() - t0
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"{name:10} {count:7d} {len(errors):10d} {seconds:8.1f} {peak:11.0f}", flush=True)
        for e in errors[:3]:
            print(e, file=sys.stderr)
        failed += len(errors)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
