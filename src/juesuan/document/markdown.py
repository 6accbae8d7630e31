"""Markdown writer for the document model."""

from __future__ import annotations

from juesuan.document.model import ChartRef, Document, FigureRef, Heading, Paragraph, Run
from juesuan.document.numbers import NumberStyle, format_figure


def run_text(run: Run, style: NumberStyle) -> str:
    if isinstance(run, FigureRef):
        return format_figure(run.value, run.unit, style, run.absolute)
    return run.text


def paragraph_text(paragraph: Paragraph, style: NumberStyle) -> str:
    return "".join(run_text(r, style) for r in paragraph.runs)


def write_markdown(doc: Document, style: NumberStyle) -> str:
    out = [f"# {doc.title}", ""]
    if doc.subtitle:
        out += [doc.subtitle, ""]
    for block in doc.blocks:
        if isinstance(block, Heading):
            out += ["#" * (block.level + 1) + " " + block.text, ""]
        elif isinstance(block, ChartRef):
            out += [f"*{block.caption}*", ""]
        elif block.style == "unit":
            out += [f'<p align="right">{paragraph_text(block, style)}</p>', ""]
        else:
            out += [paragraph_text(block, style), ""]
    return "\n".join(out).rstrip() + "\n"
