"""XML text escaped as lxml serialises it.

The writers that build their XML as text (the DOCX table rows, the XLSX parts) escape it the
way lxml does, so their bytes equal those an lxml tree of the same elements would write."""

from __future__ import annotations

_TEXT = {ord("&"): "&amp;", ord("<"): "&lt;", ord(">"): "&gt;", ord("\r"): "&#13;"}
_ATTRIBUTE = {**_TEXT, ord('"'): "&quot;", ord("\n"): "&#10;", ord("\t"): "&#9;"}


def element_text(s: str) -> str:
    """``s`` as the text of an element."""
    return s.translate(_TEXT)


def attribute_value(s: str) -> str:
    """``s`` as the value of an attribute (in double quotes)."""
    return s.translate(_ATTRIBUTE)
