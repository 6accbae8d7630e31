"""HTML writer: one self-contained, printable page; numbers carry their figure ids."""

from __future__ import annotations

from html import escape

from juesuan.document.model import ChartRef, Document, FigureRef, Heading, Paragraph
from juesuan.document.numbers import NumberStyle, format_figure
from juesuan.figures import FigureSet

_CSS = """
body { font-family: "FangSong", "STFangsong", "Noto Serif CJK SC", serif; font-size: 16pt;
       line-height: 1.8; max-width: 46em; margin: 2em auto; padding: 0 1em; color: #111; }
h1 { font-family: "SimHei", "Noto Sans CJK SC", sans-serif; text-align: center; font-size: 22pt; }
h2 { font-family: "SimHei", "Noto Sans CJK SC", sans-serif; font-size: 16pt; margin-top: 2em; }
h3, h4 { font-family: "KaiTi", "Noto Serif CJK SC", serif; font-size: 16pt; }
p { text-indent: 2em; margin: 0.3em 0; }
p.subtitle { text-align: center; text-indent: 0; }
p.unit { text-align: right; text-indent: 0; font-size: 12pt; }
figure { margin: 1em 0; text-align: center; }
figure table { margin: 0 auto; border-collapse: collapse; font-size: 12pt; }
figure td, figure th { border: 1px solid #444; padding: 0.2em 0.6em; }
figcaption { font-size: 12pt; }
span.fig { white-space: nowrap; }
@media print { body { margin: 0; max-width: none; } }
"""


def _paragraph(p: Paragraph, style: NumberStyle) -> str:
    parts = []
    for run in p.runs:
        if isinstance(run, FigureRef):
            text = escape(format_figure(run.value, run.unit, style, run.absolute))
            parts.append(f'<span class="fig" data-fig="{escape(run.id)}">{text}</span>')
        else:
            parts.append(escape(run.text))
    cls = f' class="{p.style}"' if p.style != "body" else ""
    return f"<p{cls}>{''.join(parts)}</p>"


def _chart(chart: ChartRef, figs: FigureSet, style: NumberStyle) -> str:
    rows = []
    for label, fid in chart.series:
        fig = figs.get(fid)
        value = format_figure(None if fig is None else fig.value, "万元", style)
        rows.append(
            f'<tr><th>{escape(label)}</th><td data-fig="{escape(fid)}">{escape(value)}</td></tr>'
        )
    return (
        f'<figure data-chart="{escape(chart.key)}"><table>{"".join(rows)}</table>'
        f"<figcaption>{escape(chart.caption)}</figcaption></figure>"
    )


def write_html(doc: Document, figs: FigureSet, style: NumberStyle) -> str:
    body = [f"<h1>{escape(doc.title)}</h1>"]
    if doc.subtitle:
        body.append(f'<p class="subtitle">{escape(doc.subtitle)}</p>')
    for block in doc.blocks:
        if isinstance(block, Heading):
            level = min(block.level + 1, 6)
            body.append(f"<h{level}>{escape(block.text)}</h{level}>")
        elif isinstance(block, ChartRef):
            body.append(_chart(block, figs, style))
        else:
            body.append(_paragraph(block, style))
    return (
        '<!DOCTYPE html>\n<html lang="zh-CN">\n<head>\n<meta charset="utf-8">\n'
        f"<title>{escape(doc.title)}</title>\n<style>{_CSS}</style>\n</head>\n<body>\n"
        + "\n".join(body)
        + "\n</body>\n</html>\n"
    )
