"""HTML writer: one self-contained, printable page (tables and charts inline).

The same markup feeds the PDF writer (``for_print=True`` adds the page rules and the
embedded open-licensed CJK font). Every number carries its figure id (``data-fig``).
"""

from __future__ import annotations

import base64
from collections.abc import Mapping
from html import escape

from juesuan.document.model import (
    Cell,
    ChartRef,
    Document,
    FigureRef,
    Heading,
    PageBreak,
    Paragraph,
    Table,
)
from juesuan.document.numbers import NumberStyle, Styles, format_figure

_CSS = """
body { font-family: "FangSong", "STFangsong", "Noto Serif CJK SC", "Noto Sans CJK SC", serif;
       font-size: 16pt; line-height: 1.75; max-width: 48em; margin: 2em auto; padding: 0 1em; color: #111; }
h1.title { font-family: "SimHei", "Noto Sans CJK SC", sans-serif; text-align: center; font-size: 22pt; }
h2 { font-family: "SimHei", "Noto Sans CJK SC", sans-serif; font-size: 16pt; text-align: center; margin-top: 2em; }
h3 { font-family: "SimHei", "Noto Sans CJK SC", sans-serif; font-size: 16pt; text-indent: 2em; }
h4 { font-family: "KaiTi", "Noto Serif CJK SC", serif; font-size: 16pt; font-weight: normal; text-indent: 2em; }
p { text-indent: 2em; margin: 0; text-align: justify; }
p.subtitle { text-align: center; text-indent: 0; }
p.unit { text-align: right; text-indent: 0; font-size: 12pt; }
p.note { text-indent: 0; font-size: 12pt; }
figure { margin: 1em 0; text-align: center; }
figure img { width: 15cm; max-width: 100%; }
figure table { margin: 0 auto; }
figcaption { font-size: 12pt; }
section.table { margin: 2em 0; }
section.table h5 { font-family: "SimHei", "Noto Sans CJK SC", sans-serif; font-size: 16pt; text-align: center;
                   margin: 0.5em 0; font-weight: normal; }
table.std { border-collapse: collapse; width: 100%; font-size: 10pt; line-height: 1.35; }
table.std th, table.std td { border: 1px solid #000; padding: 2px 4px; }
table.std th { font-weight: bold; text-align: center; }
table.std td.num { text-align: right; white-space: nowrap; }
table.std td.c { text-align: center; }
table.std td.b { font-weight: bold; }
table.std thead { display: table-header-group; }
span.fig { white-space: nowrap; }
nav.toc ul { list-style: none; padding: 0; }
nav.toc li.l2 { padding-left: 2em; }
nav.toc a { color: inherit; text-decoration: none; }
.pb { page-break-after: always; }
"""

_PRINT_CSS = """
@font-face { font-family: "JS CJK"; src: url("%(font)s"); }
@page { size: A4; margin: 3.7cm 2.6cm 3.5cm 2.8cm;
        @bottom-center { content: "— " counter(page) " —"; font-family: "JS CJK"; font-size: 12pt; } }
@page landscape { size: A4 landscape; margin: 2.5cm 2cm 2.5cm 2cm; }
@page :first { @bottom-center { content: none; } }
body { font-family: "JS CJK", serif; max-width: none; margin: 0; padding: 0; line-height: 28pt; }
h1.title, h2, h3, h4, section.table h5 { font-family: "JS CJK", sans-serif; }
h1.title { margin-top: 6cm; page-break-after: avoid; }
h2 { page-break-before: always; }
section.table { page-break-before: always; }
h2 + section.table { page-break-before: avoid; }
nav.toc { page-break-before: always; }
nav.toc h2.toc { page-break-before: avoid; }
nav.toc a::after { content: leader(".") target-counter(attr(href), page); }
section.table.wide { page: landscape; }
table.std tr { page-break-inside: avoid; }
"""


def _figure_text(ref: FigureRef, style: NumberStyle) -> str:
    return format_figure(ref.value, ref.unit, style, ref.absolute)


def _paragraph(p: Paragraph, style: NumberStyle) -> str:
    parts = []
    for run in p.runs:
        if isinstance(run, FigureRef):
            text = escape(_figure_text(run, style))
            parts.append(f'<span class="fig" data-fig="{escape(run.id)}">{text}</span>')
        else:
            parts.append(escape(run.text))
    cls = f' class="{p.style}"' if p.style != "body" else ""
    return f"<p{cls}>{''.join(parts)}</p>"


def _chart(chart: ChartRef, png: bytes | None) -> str:
    caption = f"<figcaption>{escape(chart.caption)}</figcaption>"
    if png is None:
        return f'<figure data-chart="{escape(chart.key)}">{caption}</figure>'
    data = base64.b64encode(png).decode("ascii")
    return (
        f'<figure data-chart="{escape(chart.key)}"><img alt="{escape(chart.caption)}" '
        f'src="data:image/png;base64,{data}">{caption}</figure>'
    )


def _cell(tag: str, cell: Cell, style: NumberStyle) -> str:
    attrs = []
    if cell.colspan > 1:
        attrs.append(f'colspan="{cell.colspan}"')
    if cell.rowspan > 1:
        attrs.append(f'rowspan="{cell.rowspan}"')
    classes = []
    if cell.figure is not None:
        classes.append("num")
        attrs.append(f'data-fig="{escape(cell.figure.id)}"')
        text = escape(_figure_text(cell.figure, style))
    else:
        text = escape(cell.text)
        if cell.align == "center" and tag == "td":
            classes.append("c")
    if cell.bold and tag == "td":
        classes.append("b")
    if cell.indent:
        attrs.append(f'style="padding-left:{0.3 + cell.indent}em"')
    if classes:
        attrs.append(f'class="{" ".join(classes)}"')
    return f"<{tag}{' ' if attrs else ''}{' '.join(attrs)}>{text}</{tag}>"


def _table(table: Table, style: NumberStyle) -> str:
    title = f"{table.number}\u3000{table.title}" if table.number else table.title
    head = "".join(
        "<tr>" + "".join(_cell("th", c, style) for c in row) + "</tr>" for row in table.header
    )
    body = "".join(
        "<tr>" + "".join(_cell("td", c, style) for c in row) + "</tr>" for row in table.rows
    )
    notes = "".join(f'<p class="note">{escape(n)}</p>' for n in (table.note, table.empty_note) if n)
    wide = " wide" if table.columns > 7 else ""
    cols = ""
    if len(table.widths) == table.columns:
        total = sum(table.widths)
        cols = (
            "<colgroup>"
            + "".join(f'<col style="width:{w / total * 100:.1f}%">' for w in table.widths)
            + "</colgroup>"
        )
    return (
        f'<section class="table{wide}" data-table="{escape(table.key)}"><h5>{escape(title)}</h5>'
        f'<p class="unit">{escape(table.unit)}</p>'
        f'<table class="std">{cols}<thead>{head}</thead><tbody>{body}</tbody></table>{notes}</section>'
    )


def _contents(doc: Document) -> str:
    """目录: parts and sections, linked; in print the page numbers come from target-counter."""
    items = [
        f'<li class="l{b.level}"><a href="#s{n}">{escape(b.text)}</a></li>'
        for n, b in enumerate(doc.blocks)
        if isinstance(b, Heading) and b.level <= 2
    ]
    return f'<nav class="toc"><h2 class="toc">目　录</h2><ul>{"".join(items)}</ul></nav>'


def write_html(
    doc: Document,
    styles: Styles,
    charts: Mapping[str, bytes] | None = None,
    *,
    for_print: bool = False,
    font_url: str = "",
) -> str:
    charts = charts or {}
    body = [f'<h1 class="title">{escape(doc.title)}</h1>']
    if doc.subtitle:
        body.append(f'<p class="subtitle">{escape(doc.subtitle)}</p>')
    body.append(_contents(doc))
    for n, block in enumerate(doc.blocks):
        if isinstance(block, Heading):
            level = min(block.level + 1, 6)
            body.append(f'<h{level} id="s{n}">{escape(block.text)}</h{level}>')
        elif isinstance(block, ChartRef):
            body.append(_chart(block, charts.get(block.key)))
        elif isinstance(block, Table):
            body.append(_table(block, styles.table))
        elif isinstance(block, PageBreak):
            body.append('<div class="pb"></div>')
        else:
            body.append(_paragraph(block, styles.text))
    css = _CSS + (_PRINT_CSS % {"font": font_url} if for_print else "")
    return (
        '<!DOCTYPE html>\n<html lang="zh-CN">\n<head>\n<meta charset="utf-8">\n'
        f"<title>{escape(doc.title)}</title>\n<style>{css}</style>\n</head>\n<body>\n"
        + "\n".join(body)
        + "\n</body>\n</html>\n"
    )
