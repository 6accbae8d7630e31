"""Files a dataset names (``prior_year.file``, ``evaluation.department.system``).

A dataset may come from a stranger (a web upload), so a name in it is resolved relative to
the dataset's own folder and may not leave it: no absolute paths elsewhere, no ``..`` out of
the folder, no symlink pointing outside. The command line can widen the allowed folders
(``--allow-dir``); the library default is the dataset's folder only.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator, Sequence
from contextvars import ContextVar
from pathlib import Path

__all__ = ["ReferenceRefused", "allow_dirs", "allowed_dirs", "resolve_reference"]

_EXTRA: ContextVar[tuple[Path, ...]] = ContextVar("juesuan_reference_dirs", default=())


class ReferenceRefused(ValueError):
    """A referenced file lies outside the folders it may be read from."""


@contextlib.contextmanager
def allowed_dirs(dirs: Sequence[str | Path]) -> Iterator[None]:
    """Within the block, referenced files may also lie in ``dirs`` (and below)."""
    token = _EXTRA.set(tuple(Path(d).resolve() for d in dirs))
    try:
        yield
    finally:
        _EXTRA.reset(token)


def allow_dirs(dirs: Sequence[str | Path]) -> None:
    """For the rest of this context (the command line's ``--allow-dir``), referenced files
    may also lie in ``dirs`` (and below)."""
    _EXTRA.set((*_EXTRA.get(), *(Path(d).resolve() for d in dirs)))


def _inside(path: Path, root: Path) -> bool:
    return path == root or path.is_relative_to(root)


def resolve_reference(name: str, origin: str | Path | None) -> Path:
    """The file ``name`` refers to, relative to the folder of ``origin`` (the dataset file;
    the working folder when there is none). ``ReferenceRefused`` when it would leave that
    folder (after following every symlink) and no allowed folder holds it."""
    text = str(name)
    if not text or "\0" in text or len(text) > 1024:
        raise ReferenceRefused("文件名无效")
    base = (Path(origin).parent if origin else Path.cwd()).resolve()
    try:
        target = (base / text).resolve()
    except (OSError, RuntimeError) as exc:  # symlink loop
        raise ReferenceRefused("文件名无效") from exc
    roots = (base, *_EXTRA.get())
    if not any(_inside(target, root) for root in roots):
        raise ReferenceRefused("只能引用数据文件所在文件夹（及其子文件夹）中的文件")
    return target
