"""Markdown writer for the document model.

Every text from the data (names, reasons, titles) is escaped: HTML markup becomes entities
and Markdown syntax is backslash-escaped, so a name like ``<script>`` or ``[x](javascript:…)``
prints as text wherever the Markdown is rendered.
"""

from __future__ import annotations

import re

from juesuan.document.grid import text_grid
from juesuan.document.model import (
    DRAFT_NOTE,
    Cell,
    ChartRef,
    Document,
    FigureRef,
    Heading,
    PageBreak,
    Paragraph,
    Run,
    Table,
)
from juesuan.document.numbers import NumberStyle, format_figure

_INLINE = re.compile(r"([\\`*_\[\]|~])")
_LINE_START = re.compile(r"^(\s*)([#>])")  # a heading or quote; "1." lists stay as text


def escape(text: str) -> str:
    """``text`` as literal Markdown: no HTML, no emphasis, links, code or block syntax."""
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    text = _INLINE.sub(r"\\\1", text)
    return _LINE_START.sub(r"\1\\\2", text)


def run_text(run: Run, style: NumberStyle) -> str:
    if isinstance(run, FigureRef):
        return format_figure(run.value, run.unit, style, run.absolute)
    return escape(run.text)


def paragraph_text(paragraph: Paragraph, style: NumberStyle) -> str:
    return "".join(run_text(r, style) for r in paragraph.runs)


def table_markdown(table: Table, style: NumberStyle) -> list[str]:
    """A pipe table with one header row: each column's header is the texts above it, top to
    bottom, a header cell merged over columns named in each of them."""

    def text(cell: Cell) -> str:
        if cell.figure is not None:
            return format_figure(cell.figure.value, cell.figure.unit, style)
        # a pipe table row is one line: a line break inside a cell becomes <br>
        text = escape(cell.text.replace("|", "｜"))
        return ("　" * cell.indent + text).replace("\n", "<br>")

    head = text_grid(table.header, table.columns, text, across=True)
    body = text_grid(table.rows, table.columns, text)
    title = f"{table.number}\u3000{table.title}" if table.number else table.title
    lines = [f"**{escape(title)}**", ""] if title else []
    if table.unit:
        lines += [f'<p align="right">{escape(table.unit)}</p>', ""]
    # Markdown has one header row: each column's header texts, top to bottom.
    labels = [" ".join(row[c] for row in head if row[c]) for c in range(table.columns)]
    lines.append("| " + " | ".join(labels) + " |")
    lines.append("|" + "|".join("---" for _ in range(table.columns)) + "|")
    lines += ["| " + " | ".join(row) + " |" for row in body]
    lines += [""] + [escape(n) for n in (table.note, table.empty_note) if n]
    return [*lines, ""]


def write_markdown(
    doc: Document, style: NumberStyle, table_style: NumberStyle | None = None
) -> str:
    out = [f"# {escape(doc.title)}", ""]
    if doc.draft:  # the first line of a draft says so
        out = [f"**{escape(DRAFT_NOTE)}**", "", *out]
    if doc.subtitle:
        out += [escape(doc.subtitle), ""]
    for block in doc.blocks:
        if isinstance(block, Heading):
            out += ["#" * (block.level + 1) + " " + escape(block.text), ""]
        elif isinstance(block, ChartRef):
            out += [f"*{escape(block.caption)}*", ""]
        elif isinstance(block, Table):
            out += table_markdown(block, table_style or style)
        elif isinstance(block, PageBreak):
            continue
        elif block.style == "unit":
            out += [f'<p align="right">{paragraph_text(block, style)}</p>', ""]
        else:
            out += [paragraph_text(block, style), ""]
    return "\n".join(out).rstrip() + "\n"
