"""What a cold ``juesuan check FILE`` loads (issue 13): checking a document that has no
self-evaluation does not load the scoring engine, the command does not scan the installed
distributions for pydantic plugins, and the command reads the document in a helper process
(:mod:`juesuan.check.ahead`) with the same result as reading it in the checking process."""

from __future__ import annotations

import functools
import pickle
import resource
import subprocess
import sys
from pathlib import Path

import pytest

from juesuan.check import ahead, check_file
from juesuan.check.limits import MEMORY_BUDGET, check_file_limited
from juesuan.check.read.reader import read
from juesuan.check.report import to_json

GOLDEN = Path(__file__).resolve().parents[1] / "golden"
TABLES_MD = GOLDEN / "corpus-fund-sangong-2024.md"  # standard tables: a dataset is recovered
PDF = GOLDEN / "putuo-2024.pdf"


def _run(code: str, *args: str) -> str:
    done = subprocess.run(
        [sys.executable, "-c", code, *map(str, args)], capture_output=True, text=True
    )
    assert "Traceback" not in done.stderr, done.stderr
    return done.stdout


def test_checking_without_a_self_evaluation_does_not_load_the_scoring_engine() -> None:
    out = _run(
        "import sys\n"
        "from juesuan.check import check_file\n"
        "report = check_file(sys.argv[1])\n"
        "assert report.tables_found, 'no table recovered: the test proves nothing'\n"
        "assert any(c.code == 'TOT-001' and c.checked for c in report.coverage)\n"
        "print(sorted(m for m in sys.modules if m.startswith(("
        "'juesuan.performance', 'juesuan.compose.evaluation', 'simpleeval'))))\n",
        TABLES_MD,
    )
    assert out.strip() == "[]", out


@pytest.mark.parametrize("program", ["juesuan.cli.app", "juesuan.cli.launch"])
def test_check_command_does_not_scan_for_pydantic_plugins(tmp_path: Path, program: str) -> None:
    """Nor does the check it starts before parsing (``juesuan.cli.launch``)."""
    marker = tmp_path / "scanned"
    _run(
        "import importlib.metadata, pathlib, sys\n"
        "marker = pathlib.Path(sys.argv[2])\n"
        "def scan(*args, **kwargs):\n"
        "    marker.write_text('scanned')\n"
        "    return []\n"
        "importlib.metadata.distributions = scan\n"
        f"from {program} import main\n"
        "sys.argv = ['juesuan', 'check', sys.argv[1]]\n"
        "try:\n"
        "    main()\n"
        "except SystemExit:\n"
        "    pass\n",
        TABLES_MD,
        marker,
    )
    assert not marker.exists()


def test_read_ahead_reads_in_a_helper_process() -> None:
    """The checking process gets the read document without loading the PDF libraries."""
    out = _run(
        "import sys\n"
        "from juesuan.check import ahead\n"
        "doc, problems = ahead.read_ahead(sys.argv[1], 'pdfium')()\n"
        "print(len(doc.pages), len(doc.lines) > 100, problems,"
        " [m for m in ('pypdfium2', 'pikepdf') if m in sys.modules])\n",
        PDF,
    )
    assert out.strip() == "25 True [] []", out


def test_read_ahead_gives_what_reading_gives() -> None:
    assert ahead.read_ahead(PDF, "pdfium")() == read(PDF)


def test_a_failed_helper_leaves_the_reading_to_the_checking_process(monkeypatch) -> None:
    def fail(*args, **kwargs):
        raise MemoryError

    monkeypatch.setattr(pickle, "dumps", fail)  # the forked helper inherits it
    source = ahead.read_ahead(TABLES_MD, "pdfium")
    assert source() == read(TABLES_MD)


def test_the_command_s_report_is_the_checker_s() -> None:
    limited = check_file_limited(PDF, prepare=ahead.start)
    assert to_json(limited) == to_json(check_file(PDF))


def test_loading_the_checker_builds_what_the_first_check_would() -> None:
    """After :func:`ahead.start` the records' validators are built (not on first use, while
    checking) and the loaded heap is frozen (the check's collections do not walk it)."""
    out = _run(
        "import gc, sys\n"
        "from juesuan.check import ahead\n"
        "from juesuan.model import dataset\n"
        "from juesuan.model.base import Record\n"
        "ahead.start(sys.argv[1], 'pdfium')()\n"
        "records = [r for r in vars(dataset).values()"
        " if isinstance(r, type) and issubclass(r, Record)]\n"
        "print(len(records) > 20, all(r.__pydantic_complete__ for r in records),"
        " gc.get_freeze_count() > 10000, gc.isenabled())\n",
        TABLES_MD,
    )
    assert out.split() == ["True", "True", "True", "True"], out


def test_a_helper_can_have_its_own_memory_limit(monkeypatch) -> None:
    """The command forks the reading helper before the checking process sets its limit: the
    helper sets the same limit itself."""
    monkeypatch.setattr(ahead, "_read", lambda path, engine: resource.getrlimit(resource.RLIMIT_AS))
    assert ahead.read_ahead(TABLES_MD, "pdfium", memory=MEMORY_BUDGET)() == (
        MEMORY_BUDGET,
        MEMORY_BUDGET,
    )


def test_a_checking_process_forked_after_the_helper_takes_what_it_read(monkeypatch) -> None:
    """As the command does: the helper is forked first, the checking process later (a
    sibling), which must not read the file itself."""
    expected = to_json(check_file(PDF))
    source = ahead.read_ahead(PDF, "pdfium", memory=MEMORY_BUDGET)

    def refuse(path, engine):
        raise RuntimeError("the checking process read the file itself")

    monkeypatch.setattr(ahead, "_read", refuse)  # the checking process inherits it
    try:
        limited = check_file_limited(PDF, prepare=functools.partial(ahead.start, source=source))
    finally:
        source.end()
    assert to_json(limited) == expected
