"""``juesuan check FILE`` starts checking before its command line is parsed.

Loading the command line (typer, which builds a pydantic adapter for each parameter) takes
about a tenth of a cold check and does not depend on the document. :func:`start` looks at the
raw arguments; when they are the plain form ``check FILE [--json] [--html H] [--engine E]``
it forks the helper that reads FILE (:func:`juesuan.check.ahead.read_ahead`) at once, loads
pydantic (which the command line and the checker both need: loaded once, before the next
fork) and forks the checking process of :func:`juesuan.check.limits.check_file_limited`,
which loads the checker and then checks what the helper read; the command line loads
meanwhile. The command passes what it parsed to ``check_file_limited`` with :func:`take`: the
early check is used only if it checks the same file with the same engine, and is ended
otherwise (or at exit, if the command never takes it). The early check is the same child,
under the same memory limit and time budget (counted from its start), as the one the command
would fork; the helper has the same memory limit and dies with this process, which ends when
the report is printed (the helpers are ended at exit).

The options are defined here, once: :mod:`juesuan.cli.check` declares them to typer from
these names, and ``tests/cli`` checks that typer's parse and :func:`reading_arguments` agree.
"""

from __future__ import annotations

import atexit
import functools
import gc
import os
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from juesuan.check.ahead import ReadAhead
    from juesuan.check.limits import LimitedCheck

COMMAND = "check"
JSON = "--json"  # a flag: the report as JSON
HTML = "--html"  # takes a path: also write the HTML report
ENGINE = "--engine"  # takes the PDF text extraction
ENGINES = ("pdfplumber", "pdfium")
DEFAULT_ENGINE = "pdfium"

_early: LimitedCheck | None = None
_helpers: list[ReadAhead] = []


def quiet_pydantic() -> None:
    """Pydantic's plugins are observers (they see a validation, they cannot change its
    result) and juesuan has none; looking for them reads every installed distribution's
    entry points (~10-20 ms of the check command). A value the user set is kept."""
    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "1")


def reading_arguments(argv: Sequence[str]) -> tuple[str, str] | None:
    """(file, engine) that ``argv`` (the arguments after the program's name) has the check
    command read, as :func:`juesuan.check.limits.check_file_limited` gets them; ``None``
    unless ``argv`` is the plain form (anything else is left to the command line alone)."""
    if len(argv) < 2 or argv[0] != COMMAND or argv[1].startswith("-"):
        return None
    engine = DEFAULT_ENGINE
    rest = iter(argv[2:])
    for arg in rest:
        if arg == JSON:
            continue
        name, eq, value = arg.partition("=")
        if name not in (HTML, ENGINE):
            return None  # a second file, --help, "--", an unknown option: typer decides
        if not eq:
            following = next(rest, None)
            if following is None:
                return None
            value = following
        if name == ENGINE:
            engine = value
    if engine not in ENGINES:
        return None
    return str(Path(argv[1])), engine


def start(argv: Sequence[str]) -> None:
    """Start the check that ``argv`` asks for, if it is the plain form (see the module)."""
    global _early
    arguments = reading_arguments(argv)
    if arguments is None or _early is not None:
        return
    # run last at exit (registered first): what this process loaded is frozen, so that the
    # interpreter's teardown does not walk it in its collections (~20 ms of the command)
    atexit.register(gc.freeze)
    quiet_pydantic()  # before the fork: the checking process validates with pydantic
    from juesuan.check import ahead
    from juesuan.check.limits import MEMORY_BUDGET, start_limited

    reader = ahead.read_ahead(*arguments, memory=MEMORY_BUDGET) if ahead.available() else None
    if reader is not None:
        _helpers.append(reader)
        atexit.register(_end_helpers)
    import pydantic.main  # noqa: F401 - see the module's docstring

    prepare = functools.partial(ahead.start, source=reader)
    _early = start_limited(*arguments, prepare=prepare)
    if _early is not None:
        atexit.register(_discard)
        # this process now only loads the command line (modules and their tables, not
        # garbage) while the check's two processes share the cores: no cyclic collection
        # until the command takes the check
        gc.disable()


def take() -> LimitedCheck | None:
    """The check :func:`start` started, for ``check_file_limited(started=…)``, which uses it
    only if it checks what the parsed command line asks for."""
    global _early
    early, _early = _early, None
    if early is not None:
        gc.enable()
    return early


def _end_helpers() -> None:
    """At exit: end the reading helper if it still runs (the command is done with it)."""
    while _helpers:
        _helpers.pop().end()


def _discard() -> None:
    """At exit: end an early check that the command did not take (it parsed otherwise)."""
    early = take()
    if early is not None:
        early.cancel()
