"""Reading ahead: in a cold process (the ``juesuan check FILE`` command) the document is read
in a helper process while this one loads the rest of the checker, on another core.

Reading a PDF (pypdfium2, and pikepdf for the damaged pages) and loading what checking the
read document needs (the rule catalog, the data model's validators, the narrative template
engine, the checker's own patterns) do not depend on each other; each takes about a third of
a cold check. :func:`read_ahead` forks a helper that runs :func:`juesuan.check.read.reader.read`
and sends back its result; :func:`load_checker` loads the rest meanwhile. The helper only ever
sends a complete result: if it fails in any way (an exception, a crash, the memory limit it
inherits), this process reads the file itself, so the outcome is always what
:func:`juesuan.check.check_file` gives on its own. The helper dies with this process (the time
budget kills this process).

The ``check`` command forks the helper itself, first of all, before its command line loads
(:mod:`juesuan.cli.check_early`), under the checking process's memory limit, and passes it
to the checking process it forks next (``start(…, source=…)``); that helper dies with the
command's process, which ends when the report is printed or the time budget is over.
"""

from __future__ import annotations

import contextlib
import gc
import os
import pickle
import signal
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from juesuan.core.helper_process import die_with

if TYPE_CHECKING:
    from juesuan.check.read.source import SourceDoc
    from juesuan.core.findings import Finding

    Source = Callable[[], tuple[SourceDoc | None, list[Finding]]]


def available() -> bool:
    """Whether reading ahead can help: a second core, and a way to make the helper die with
    its parent (Linux)."""
    if not sys.platform.startswith("linux") or not hasattr(os, "fork"):
        return False
    try:
        return len(os.sched_getaffinity(0)) > 1
    except OSError:  # pragma: no cover
        return False


def start(path: str, engine: str, source: Source | None = None) -> Source | None:
    """The ``prepare`` of :func:`juesuan.check.limits.check_file_limited`: where it can help,
    fork the reading helper (unless ``source``, the :class:`ReadAhead` of a helper forked
    already for ``path`` and ``engine``, is given) and load the checker meanwhile; the source
    of the read document."""
    if not available():
        return None
    if source is None:
        source = read_ahead(path, engine)
    # loading makes modules, tables and validators, not garbage: the cyclic collector would
    # walk the growing heap again and again (a quarter of the loading) for nothing; after it,
    # what was loaded is frozen, so the collections while checking do not walk it either
    enabled = gc.isenabled()
    gc.disable()
    try:
        load_checker()
    finally:
        if enabled:
            gc.enable()
    gc.freeze()
    return source


class ReadAhead:
    """What a helper process reads: calling it (in the process that forked the helper, or in
    one forked from that process later) waits for the read document; when the helper sent
    nothing usable, the file is read in the calling process."""

    def __init__(self, path: str | Path, engine: str, pid: int | None, receive: int | None):
        self.path, self.engine, self.pid, self.receive = path, engine, pid, receive

    def __call__(self) -> tuple[SourceDoc | None, list[Finding]]:
        data = b""
        if self.receive is not None:
            with os.fdopen(self.receive, "rb") as pipe:
                data = pipe.read()
            self.receive = None
        if self.pid is not None:
            with contextlib.suppress(ChildProcessError):  # a sibling's helper: not ours to reap
                os.waitpid(self.pid, 0)
        try:
            return pickle.loads(data)  # our own helper's output
        except Exception:  # nothing, or a part: the helper failed; read as without it
            return _read(self.path, self.engine)

    def end(self) -> None:
        """In the process that forked the helper: end it if it still runs, and reap it."""
        if self.receive is not None:
            os.close(self.receive)
            self.receive = None
        if self.pid is not None:
            with contextlib.suppress(ProcessLookupError, ChildProcessError):
                os.kill(self.pid, signal.SIGKILL)
                os.waitpid(self.pid, 0)
            self.pid = None


def read_ahead(path: str | Path, engine: str, memory: int | None = None) -> ReadAhead:
    """Fork a helper that reads ``path`` (under ``memory`` bytes of address space, if given;
    otherwise under this process's limit, which it inherits) and dies with this process."""
    # the reader's modules are imported by the helper (and here only if it fails): the fork
    # comes first, so that reading starts at once
    parent = os.getpid()
    try:
        receive, send = os.pipe()
    except OSError:
        return ReadAhead(path, engine, None, None)
    try:
        pid = os.fork()
    except OSError:  # no process to spare: read here
        os.close(receive)
        os.close(send)
        return ReadAhead(path, engine, None, None)
    if pid == 0:  # pragma: no cover - the helper (coverage does not follow a fork)
        try:
            os.close(receive)
            die_with(parent)
            if memory is not None:
                import resource

                resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
            data = pickle.dumps(_read(path, engine), protocol=pickle.HIGHEST_PROTOCOL)
            with os.fdopen(send, "wb") as out:
                out.write(data)
        finally:
            os._exit(0)
    os.close(send)
    return ReadAhead(path, engine, pid, receive)


def _read(path: str | Path, engine: str) -> tuple[SourceDoc | None, list[Finding]]:
    from juesuan.check.read.reader import read

    return read(path, engine=engine)


def load_checker() -> None:
    """Load what checking a read document needs on first use: the checker's modules (their
    patterns), the bundled layouts, the rule catalog, the library's analysis and narrative
    (the template engine), and the data model's validators (the dataset's, and each
    record's own, which the recovered dataset's defaults use: built on first use otherwise)."""
    import juesuan.check.department_name
    import juesuan.check.item_names
    import juesuan.check.narrative
    import juesuan.check.narrative_tables
    import juesuan.check.performance_claims
    import juesuan.check.read.pdf_grid
    import juesuan.check.read.pdf_tables
    import juesuan.check.stated_text
    import juesuan.check.tables
    import juesuan.check.text
    import juesuan.check.years
    import juesuan.compose.narrative
    import juesuan.pipeline  # noqa: F401
    from juesuan.check.structure import layouts
    from juesuan.model import dataset
    from juesuan.model.base import Record
    from juesuan.rules.registry import load_rules

    layouts()
    load_rules()
    for record in vars(dataset).values():
        if isinstance(record, type) and issubclass(record, Record):
            record.model_rebuild()
