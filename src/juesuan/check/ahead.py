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
"""

from __future__ import annotations

import contextlib
import os
import pickle
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


def start(path: str, engine: str) -> Source | None:
    """The ``prepare`` of :func:`juesuan.check.limits.check_file_limited`: where it can help,
    fork the reading helper and load the checker meanwhile; the source of the read document."""
    if not available():
        return None
    source = read_ahead(path, engine)
    load_checker()
    return source


def read_ahead(path: str | Path, engine: str) -> Source:
    """Fork a helper that reads ``path``; the returned function waits for what it read (or
    reads ``path`` here when the helper sent nothing usable)."""
    from juesuan.check.read.reader import read

    parent = os.getpid()
    try:
        receive, send = os.pipe()
    except OSError:
        return lambda: read(path, engine=engine)
    try:
        pid = os.fork()
    except OSError:  # no process to spare: read here
        os.close(receive)
        os.close(send)
        return lambda: read(path, engine=engine)
    if pid == 0:  # pragma: no cover - the helper (coverage does not follow a fork)
        try:
            os.close(receive)
            die_with(parent)
            data = pickle.dumps(read(path, engine=engine), protocol=pickle.HIGHEST_PROTOCOL)
            with os.fdopen(send, "wb") as out:
                out.write(data)
        finally:
            os._exit(0)
    os.close(send)

    def result() -> tuple[SourceDoc | None, list[Finding]]:
        with os.fdopen(receive, "rb") as pipe:
            data = pipe.read()
        with contextlib.suppress(ChildProcessError):
            os.waitpid(pid, 0)
        try:
            return pickle.loads(data)  # our own helper's output
        except Exception:  # nothing, or a part: the helper failed; read as without it
            return read(path, engine=engine)

    return result


def load_checker() -> None:
    """Load what checking a read document needs on first use: the checker's modules (their
    patterns), the bundled layouts, the rule catalog, the library's analysis and narrative
    (the template engine), and the data model's validator."""
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
    from juesuan.model.dataset import Dataset
    from juesuan.rules.registry import load_rules

    layouts()
    load_rules()
    Dataset.model_rebuild()
