"""Markdown writer for the document model."""

from __future__ import annotations

from juesuan.document.grid import text_grid
from juesuan.document.model import (
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


def run_text(run: Run, style: NumberStyle) -> str:
    if isinstance(run, FigureRef):
        return format_figure(run.value, run.unit, style, run.absolute)
    return run.text


def paragraph_text(paragraph: Paragraph, style: NumberStyle) -> str:
    return "".join(run_text(r, style) for r in paragraph.runs)


def table_markdown(table: Table, style: NumberStyle) -> list[str]:
    """A pipe table with one header row: each column's header is the texts above it, top to
    bottom, a header cell merged over columns named in each of them."""

    def text(cell: Cell) -> str:
        if cell.figure is not None:
            return format_figure(cell.figure.value, cell.figure.unit, style)
        # a pipe table row is one line: a line break inside a cell becomes <br>
        return ("　" * cell.indent + cell.text).replace("|", "｜").replace("\n", "<br>")

    head = text_grid(table.header, table.columns, text, across=True)
    body = text_grid(table.rows, table.columns, text)
    title = f"{table.number}\u3000{table.title}" if table.number else table.title
    lines = [f"**{title}**", "", f'<p align="right">{table.unit}</p>', ""]
    # Markdown has one header row: each column's header texts, top to bottom.
    labels = [" ".join(row[c] for row in head if row[c]) for c in range(table.columns)]
    lines.append("| " + " | ".join(labels) + " |")
    lines.append("|" + "|".join("---" for _ in range(table.columns)) + "|")
    lines += ["| " + " | ".join(row) + " |" for row in body]
    lines += [""] + [n for n in (table.note, table.empty_note) if n]
    return [*lines, ""]


def write_markdown(
    doc: Document, style: NumberStyle, table_style: NumberStyle | None = None
) -> str:
    out = [f"# {doc.title}", ""]
    if doc.subtitle:
        out += [doc.subtitle, ""]
    for block in doc.blocks:
        if isinstance(block, Heading):
            out += ["#" * (block.level + 1) + " " + block.text, ""]
        elif isinstance(block, ChartRef):
            out += [f"*{block.caption}*", ""]
        elif isinstance(block, Table):
            out += table_markdown(block, table_style or style)
        elif isinstance(block, PageBreak):
            continue
        elif block.style == "unit":
            out += [f'<p align="right">{paragraph_text(block, style)}</p>', ""]
        else:
            out += [paragraph_text(block, style), ""]
    return "\n".join(out).rstrip() + "\n"
