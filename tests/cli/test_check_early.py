"""``juesuan check FILE`` starts checking before typer parses its command line
(:mod:`juesuan.cli.check_early`): the raw arguments and typer's parse must agree on what is
read, and a check started for anything else is ended and not used."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from juesuan.check import limits
from juesuan.check.report import to_json
from juesuan.cli import check_early
from juesuan.cli.app import app, load_command
from juesuan.cli.check_early import ENGINE, HTML, JSON, reading_arguments

GOLDEN = Path(__file__).resolve().parents[1] / "golden"
MD = GOLDEN / "corpus-fund-sangong-2024.md"
OTHER = GOLDEN / "corpus-new-unit-2024.md"
runner = CliRunner()

PLAIN = [
    ["check", "a.pdf"],
    ["check", "./a.pdf"],
    ["check", "dir//a.pdf"],
    ["check", "a.pdf", "--json"],
    ["check", "a.pdf", "--html", "r.html"],
    ["check", "a.pdf", "--html=r.html", "--engine", "pdfplumber"],
    ["check", "a.pdf", "--engine=pdfplumber", "--json"],
    ["check", "a.pdf", "--engine", "pdfplumber", "--engine", "pdfium"],
    ["check", "a.pdf", "--html", "--engine"],  # the HTML report is named "--engine"
]
NOT_PLAIN = [
    ["check", "--json", "a.pdf"],
    ["check", "a.pdf", "b.pdf"],
    ["check", "a.pdf", "--engine", "ocr"],
    ["check", "a.pdf", "--engine"],
    ["check", "a.pdf", "--help"],
    ["check", "a.pdf", "--", "--json"],
    ["check", "a.pdf", "--jso"],
    ["check"],
    ["--allow-dir", ".", "check", "a.pdf"],
    ["validate", "a.pdf"],
]


def _parsed(argv: list[str], monkeypatch) -> tuple[str, str] | None:
    """(file, engine) that typer's parse of ``argv`` passes to ``check_file_limited``."""
    seen = []

    def record(path, engine="pdfium", **kwargs):
        seen.append((str(path), engine))
        raise RuntimeError("recorded")

    monkeypatch.setattr(limits, "check_file_limited", record)
    runner.invoke(app, argv)
    return seen[0] if seen else None


@pytest.mark.parametrize("argv", PLAIN)
def test_the_plain_form_is_read_as_typer_reads_it(argv: list[str], monkeypatch) -> None:
    speculated = reading_arguments(argv)
    assert speculated is not None
    assert speculated == _parsed(argv, monkeypatch)


@pytest.mark.parametrize("argv", NOT_PLAIN)
def test_any_other_form_is_left_to_typer(argv: list[str]) -> None:
    """Whether typer accepts it (``check --json FILE``) or not: no check starts early."""
    assert reading_arguments(argv) is None


def test_the_options_are_the_check_command_s() -> None:
    """An option added to the command must be known to :func:`reading_arguments`."""
    params = load_command("check").params
    assert [p.param_type_name for p in params].count("argument") == 1
    options = [p for p in params if p.param_type_name == "option"]
    assert {o for p in options for o in p.opts} == {JSON, HTML, ENGINE}
    assert {o for p in options if p.is_flag for o in p.opts} == {JSON}


def _report(path: Path) -> str:
    done = runner.invoke(app, ["check", str(path), "--json"])
    return f"{done.exit_code}\n{done.stdout}"


def test_the_command_takes_the_early_check(monkeypatch) -> None:
    expected = _report(MD)
    check_early.start(["check", str(MD), "--json"])
    early = check_early._early
    assert early is not None

    def refuse(*args, **kwargs):
        raise AssertionError("a second check was started")

    monkeypatch.setattr(limits, "start_limited", refuse)
    assert _report(MD) == expected
    assert check_early._early is None and early.child.exitcode is not None


@pytest.mark.parametrize(("path", "engine"), [(OTHER, "pdfium"), (MD, "pdfplumber")])
def test_an_early_check_of_something_else_is_ended_and_not_used(path: Path, engine: str) -> None:
    started = limits.start_limited(path, engine=engine)
    used = []
    started.report = lambda *args, **kwargs: used.append(True)  # type: ignore[method-assign]
    report = limits.check_file_limited(MD, started=started)
    assert not used
    assert to_json(report) == to_json(limits.check_file_limited(MD))
    assert started.child.exitcode is not None  # ended


def test_an_early_check_the_command_does_not_take_is_ended_at_exit() -> None:
    code = (
        "import sys\n"
        "from juesuan.cli import check_early\n"
        "from juesuan.cli.launch import main\n"
        "sys.argv = ['juesuan', 'check', sys.argv[1], '--html']\n"  # --html without a value
        "check_early.start(sys.argv[1:-1])\n"
        "early = check_early._early\n"
        "try:\n"
        "    main()\n"
        "except SystemExit as exc:\n"
        "    print('exit', exc.code)\n"
        "check_early._discard()\n"
        "print('ended', early.child.exitcode is not None)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code, str(MD)], capture_output=True, text=True, timeout=120
    )
    assert done.stdout.split() == ["exit", "2", "ended", "True"], done.stderr


def test_the_command_s_output_is_the_same_with_and_without_the_early_check(tmp_path) -> None:
    def run(module: str) -> subprocess.CompletedProcess:
        code = f"import sys\nfrom {module} import main\nsys.argv[0] = 'juesuan'\nmain()\n"
        return subprocess.run(
            [sys.executable, "-c", code, "check", str(MD)], capture_output=True, timeout=120
        )

    early, plain = run("juesuan.cli.launch"), run("juesuan.cli.app")
    assert (early.returncode, early.stdout, early.stderr) == (
        plain.returncode,
        plain.stdout,
        plain.stderr,
    )
    assert early.stdout


def test_the_command_s_heap_is_frozen_before_the_interpreter_s_teardown() -> None:
    code = (
        "import atexit, gc, sys\n"
        "atexit.register(lambda: print('frozen', gc.get_freeze_count() > 10000))\n"
        "from juesuan.cli.launch import main\n"
        "sys.argv[0] = 'juesuan'\n"
        "main()\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code, "check", str(MD)], capture_output=True, text=True, timeout=120
    )
    assert done.stdout.splitlines()[-1] == "frozen True", done.stderr
