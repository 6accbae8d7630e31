"""Import-time economy for the writers: a format pays only for the libraries it needs."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def numpy_hidden() -> Iterator[None]:
    """Import a library that merely *offers* numpy support (openpyxl checks for numpy
    number types) without importing numpy, unless numpy is loaded already. Values written
    by juesuan are Decimal, int and str, never numpy scalars."""
    if "numpy" in sys.modules:
        yield
        return
    sys.modules["numpy"] = None  # type: ignore[assignment]  # "import numpy" raises ImportError
    try:
        yield
    finally:
        if sys.modules.get("numpy", 0) is None:
            del sys.modules["numpy"]
