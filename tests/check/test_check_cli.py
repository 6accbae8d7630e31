"""``juesuan check`` mounted in a throwaway Typer app: output, exit codes, no tracebacks."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from juesuan.cli.check import check

GOLDEN = Path(__file__).parent.parent / "golden"


@pytest.fixture(scope="module")
def app():
    app = typer.Typer(pretty_exceptions_enable=False)
    app.command()(check)

    @app.command()
    def other() -> None:  # a second command keeps Typer in sub-command mode
        pass

    return app


def _run(app, *args):
    return CliRunner().invoke(app, ["check", *map(str, args)])


def test_text_report_and_exit_code(app):
    r = _run(app, GOLDEN / "seed-2024.txt")
    assert r.exit_code == 1
    assert "CHK-201" in r.output and "预算管理" in r.output
    assert "原文：" in r.output
    assert "规则覆盖" in r.output and "无法检查" in r.output


def test_json(app):
    r = _run(app, GOLDEN / "seed-2024.txt", "--json")
    assert r.exit_code == 1
    payload = json.loads(r.stdout)
    codes = [f["code"] for f in payload["findings"]]
    assert codes.count("CHK-201") == 4 and "CHK-108" in codes
    f = next(f for f in payload["findings"] if f["code"] == "CHK-205")
    assert f["stated"] == "41.47" and f["expected"] == "40.73" and f["difference"] == "0.74"
    assert f["location"]["line"] == 186 and "41.47万元" in f["quote"]
    assert any(c["status"] == "无法检查" and c["cannot_check"] for c in payload["coverage"])


def test_html_quotes_each_finding(app, tmp_path):
    out = tmp_path / "r" / "report.html"
    r = _run(app, GOLDEN / "putuo-2024.pdf", "--html", out)
    assert r.exit_code == 1
    html = out.read_text(encoding="utf-8")
    assert html.startswith("<!DOCTYPE html>") and "<script" not in html
    assert "<mark>71.73</mark>" in html
    assert "326.72" in html and "251.25" in html
    assert "规则覆盖" in html


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("missing.txt", None, "文件不存在"),
        ("data.toml", b"a = 1", "不支持的文件类型"),
        ("empty.txt", b"", "文件为空"),
        ("bad.pdf", b"%PDF-1.7 garbage", "文件已损坏"),
        ("bad.docx", b"PK\x03\x04 not a zip", "文件已损坏"),
        ("blank.txt", b"\n\n   \n", "没有可检查的文字"),
    ],
)
def test_bad_input_is_one_located_message(app, tmp_path, name, content, message):
    path = tmp_path / name
    if content is not None:
        path.write_bytes(content)
    r = _run(app, path)
    assert r.exit_code == 2
    assert message in r.output
    assert str(path) in r.output
    assert "Traceback" not in r.output
    assert r.exception is None or isinstance(r.exception, SystemExit)


def test_unknown_engine(app):
    r = _run(app, GOLDEN / "seed-2024.txt", "--engine", "mupdf")
    assert r.exit_code == 2 and "未知的PDF提取方式" in r.output


@pytest.mark.parametrize("fmt", ["text", "json", "html"])
def test_first_line_says_how_reliably_the_document_was_read(app, tmp_path, fmt):
    """Text, JSON and HTML reports open with the reading's reliability: pages and tables
    read, tables trusted."""
    pdf = GOLDEN / "putuo-2024.pdf"
    out = tmp_path / "report.html"
    extra = {"text": [], "json": ["--json"], "html": ["--html", out]}[fmt]
    r = _run(app, pdf, *extra)
    assert "Traceback" not in r.output
    if fmt == "html":
        body = out.read_text(encoding="utf-8").split("<body>", 1)[1]
        first = body.strip().splitlines()[0]
    elif fmt == "json":
        first = r.stdout.splitlines()[1]  # the line after the opening brace
    else:
        first = r.stdout.splitlines()[0]
    assert "读取情况（" in first and "页" in first and "可信" in first, first


def test_a_damaged_file_is_described_in_chinese(tmp_path) -> None:
    """The reason a damaged file cannot be read names no program internals (exception names)."""
    from juesuan.check import check_file

    cases = {
        "a.pdf": b"%PDF-1.4\n" + bytes(range(256)) * 4,
        "b.docx": b"PK\x03\x04 not a zip",
    }
    for name, data in cases.items():
        path = tmp_path / name
        path.write_bytes(data)
        report = check_file(path)
        [f] = report.findings
        assert f.code == "CHK-004", f.render()
        assert (
            re.search(r"[A-Za-z]{4,}", f.message.replace("PDF", "").replace("Word", "")) is None
        ), f.message
