"""A Word paragraph's text as Word shows it with its tracked changes accepted.

python-docx reads only the runs directly under a paragraph: text inserted with “track
changes” on (``w:ins``), moved text and some fields' results sit one level deeper and were
lost (“总计均为万元” for “总计均为253.87万元”). Here every ``w:t`` of the paragraph counts,
except deleted and moved-away text (``w:del``, ``w:moveFrom``) and text boxes anchored in the
paragraph (their own paragraphs); tabs and line breaks read as in python-docx.
"""

from __future__ import annotations

from typing import Any

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
SKIP = {f"{W}{t}" for t in ("del", "moveFrom", "txbxContent", "pPr", "rPr", "instrText")}
REVISIONS = (f"{W}ins", f"{W}del", f"{W}moveFrom", f"{W}moveTo")
T, BR, CR = f"{W}t", f"{W}br", f"{W}cr"
TABS, HYPHEN = (f"{W}tab", f"{W}ptab"), f"{W}noBreakHyphen"


def paragraph_text(p: Any) -> str:
    """The text of the ``w:p`` element ``p``, tracked changes accepted."""
    out: list[str] = []
    stack = [iter(p)]
    while stack:
        child = next(stack[-1], None)
        if child is None:
            stack.pop()
            continue
        tag = child.tag
        if tag in SKIP or not isinstance(tag, str):
            continue
        if tag == T:
            out.append(child.text or "")
        elif tag in TABS:
            out.append("\t")
        elif tag == CR or (tag == BR and child.get(f"{W}type", "textWrapping") == "textWrapping"):
            out.append("\n")  # a line break; a page or column break is no text
        elif tag == HYPHEN:
            out.append("-")
        elif tag != BR:
            stack.append(iter(child))
    return "".join(out)


def cell_text(tc: Any) -> str:
    """The text of a table cell (``w:tc``): its paragraphs, one a line."""
    return "\n".join(paragraph_text(p) for p in tc.iterchildren(f"{W}p"))


def revisions(body: Any) -> int:
    """How many tracked changes (insertions, deletions, moves) the document body holds."""
    return sum(1 for _ in body.iter(*REVISIONS))
