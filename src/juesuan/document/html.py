"""HTML writer: one self-contained, printable page (tables and charts inline).

The markup is also well-formed XML (void elements closed with ``/>``, text escaped): the PDF
writer parses it with the XML parser, many times faster than an HTML5 parser.

The same markup feeds the PDF writer (``for_print=True`` adds the page rules and the
embedded open-licensed CJK font). Every number carries its figure id (``data-fig``).
"""

from __future__ import annotations

import base64
from collections.abc import Mapping
from html import escape

from juesuan.document.model import (
    DRAFT_MARK,
    DRAFT_NOTE,
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
from juesuan.document.widths import table_widths, tail_start, toc_line_height

# 公文 typography (GB/T 9704 and the DOCX writer's styles): 小标宋 二号 title, 黑体 parts and
# sections, 楷体 subsections, 仿宋 三号 body on a fixed 28 pt line (22 lines on the A4 text
# area), 宋体 tables. On screen the stacks name the faces an office machine has, then the
# open Noto/LXGW faces; in print (PDF) they name the bundled open faces (see fonts.py).
_STACKS = {
    "fangsong": '"仿宋_GB2312", "FangSong_GB2312", "仿宋", "FangSong", "STFangsong", '
    '"Noto Serif CJK SC", "Source Han Serif SC", serif',
    "hei": '"黑体", "SimHei", "STHeiti", "Noto Sans CJK SC", "Source Han Sans SC", sans-serif',
    "kai": '"楷体_GB2312", "KaiTi_GB2312", "楷体", "KaiTi", "STKaiti", "LXGW WenKai", serif',
    "song": '"宋体", "SimSun", "STSong", "Noto Serif CJK SC", "Source Han Serif SC", serif',
    "biaosong": '"方正小标宋简体", "方正小标宋_GBK", "华文中宋", "STZhongsong", '
    '"Noto Serif CJK SC", "Source Han Serif SC", serif',
}

_CSS = """
body { font-family: %(fangsong)s; font-size: 16pt; line-height: 28pt; max-width: 48em;
       margin: 2em auto; padding: 0 1em; color: #000; }
h1.title { font-family: %(biaosong)s; font-weight: normal; text-align: center; font-size: 22pt;
           line-height: 40pt; margin: 0; }
h2, h3, nav.toc h2.toc { font-family: %(hei)s; font-weight: normal; font-size: 16pt; margin: 0; }
h2 { text-align: center; margin: 0 0 14pt; }
h3 { text-indent: 2em; }
h4 { font-family: %(kai)s; font-size: 16pt; font-weight: normal; text-indent: 2em; margin: 0; }
h2, h3, h4, h5 { break-after: avoid; page-break-after: avoid; }
p { text-indent: 2em; margin: 0; text-align: justify; }
p.subtitle { font-family: %(kai)s; text-align: center; text-indent: 0; margin-top: 28pt; }
p.unit { text-align: right; text-indent: 0; font-size: 12pt; line-height: 18pt; }
p.note { text-indent: 0; font-size: 12pt; line-height: 18pt; }
figure { margin: 6pt 0 0; text-align: center; }
figure img { width: 15cm; max-width: 100%%; }
figcaption { font-family: %(hei)s; font-size: 12pt; line-height: 18pt; margin: 0 0 12pt; }
section.table { margin: 0 0 12pt; }
section.table h5 { font-family: %(biaosong)s; font-size: 16pt; line-height: 28pt;
                   text-align: center; margin: 0 0 6pt; font-weight: normal; }
section.table p.unit { font-family: %(song)s; font-size: 10.5pt; line-height: 14pt; }
table.std { border-collapse: collapse; width: 100%%; table-layout: fixed; font-family: %(song)s; font-size: 10pt;
            line-height: 13.5pt; }
table.std th, table.std td { border: 0.75pt solid #000; padding: 1.5pt 3pt; vertical-align: middle; }
table.std th { font-size: 10.5pt; font-weight: bold; text-align: center; }
table.std td.num { text-align: right; white-space: nowrap; }
table.std td.c { text-align: center; }
table.std td.b { font-weight: bold; }
table.std thead { display: table-header-group; }
table.std .i1 { padding-left: 1.3em; } table.std .i2 { padding-left: 2.3em; }
table.std .i3 { padding-left: 3.3em; } table.std .i4 { padding-left: 4.3em; }
section.table p.note { font-family: %(song)s; font-size: 10pt; line-height: 14pt; margin-top: 3pt; }
span.fig { white-space: nowrap; }
nav.toc ul { list-style: none; padding: 0; margin: 0; }
nav.toc h2.toc { text-align: center; margin: 0 0 14pt; }
nav.toc li { text-indent: 0; }
nav.toc li.l1 { font-family: %(hei)s; }
nav.toc li.l2 { padding-left: 2em; }
nav.toc a { color: inherit; text-decoration: none; }
.pb { page-break-after: always; }
"""
_PRINT_STACKS = {
    "fangsong": '"JS Serif", "JS Full", serif',
    "hei": '"JS Hei", "JS Full", sans-serif',
    "kai": '"JS Kai", "JS Full", serif',
    "song": '"JS Serif", "JS Full", serif',
    "biaosong": '"JS Serif", "JS Full", serif',
}
# 小标宋 is the bold serif face in print (on screen 方正小标宋 itself is of normal weight).
_PRINT_BIAOSONG = "h1.title, section.table h5 { font-weight: bold; }\n"

# A draft's mark: a fixed element repeats on every page a browser prints.
_DRAFT_CSS = """
div.draft-mark { position: fixed; top: 0; right: 0; padding: 2pt 8pt; color: #c00;
                 border: 1pt solid #c00; background: #fff; font-weight: bold; z-index: 10; }
"""
# In the PDF, the mark is in the top margin box of every page (cover, contents, tables).
_PRINT_DRAFT_CSS = """
@page { @top-center { content: "%(note)s"; color: #c00; font-family: %(hei)s;
                      font-size: 14pt; vertical-align: bottom; padding-bottom: 5mm; } }
"""

# Page geometry of GB/T 9704 as the DOCX sets it: A4, text area 156 x 225 mm (margins top
# 37, bottom 35, left 28, right 26 mm), "— N —" in 四号 宋体 7 mm under the text area.
# As an office numbers it (and as the DOCX does): the cover and the contents ("front" pages)
# carry no number and are not counted; 第一部分 starts on page 1, and the contents give the
# pages in that numbering (target-counter reads the same page counter).
_PRINT_CSS = """
@page { size: A4; margin: 3.7cm 2.6cm 3.5cm 2.8cm;
        @bottom-center { content: "— " counter(page) " —"; font-family: %(song)s;
                         font-size: 14pt; vertical-align: top; padding-top: 7mm; } }
@page landscape { size: A4 landscape; margin: 2.8cm 3.5cm 2.6cm 3.7cm;
                  @bottom-center { padding-top: 5mm; } }
@page front { counter-reset: page 0; @bottom-center { content: none; } }
h1.title, p.subtitle, nav.toc { page: front; }
body { max-width: none; margin: 0; padding: 0; }
h1.title { margin-top: 170pt; }
h2 { page-break-before: always; }
nav.toc { page-break-before: always; }
nav.toc h2.toc { page-break-before: avoid; }
nav.toc a::after { content: leader(".") target-counter(attr(href), page); }
nav.toc li { break-inside: avoid; }
section.table.np { page-break-before: always; }
h2 + section.table.np { page-break-before: avoid; }
section.table.tight table.std { line-height: 11.5pt; }
section.table.tighter table.std { line-height: 10.5pt; }
section.table.tighter table.std th, section.table.tighter table.std td { padding-top: 0;
                                                                         padding-bottom: 0; }
section.table.tight table.std th, section.table.tight table.std td { padding-top: 0.5pt;
                                                                     padding-bottom: 0.5pt; }
section.table.wide { page: landscape; }
section.table h5, section.table p.unit { break-after: avoid; page-break-after: avoid; }
section.table p.note { break-before: avoid; page-break-before: avoid; }
table.std tr { page-break-inside: avoid; }
table.std tbody.tail { break-inside: avoid; page-break-inside: avoid; }
p.unit { break-after: avoid; page-break-after: avoid; }
figure { break-inside: avoid; page-break-inside: avoid; }
p { orphans: 2; widows: 2; }
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


# In print the charts are fetched by the PDF writer under this scheme instead of parsed from
# base64 data URLs (the HTML parser would spend a second on the image text).
CHART_SCHEME = "juesuan-chart:"


def _chart(chart: ChartRef, png: bytes | None, by_url: bool = False) -> str:
    caption = f"<figcaption>{escape(chart.caption)}</figcaption>"
    if png is None:
        return f'<figure data-chart="{escape(chart.key)}">{caption}</figure>'
    if by_url:
        return (
            f'<figure data-chart="{escape(chart.key)}"><img alt="{escape(chart.caption)}" '
            f'src="{CHART_SCHEME}{escape(chart.key)}"/>{caption}</figure>'
        )
    data = base64.b64encode(png).decode("ascii")
    return (
        f'<figure data-chart="{escape(chart.key)}"><img alt="{escape(chart.caption)}" '
        f'src="data:image/png;base64,{data}"/>{caption}</figure>'
    )


# Indentation levels with a class of their own in the style sheet (td.i1 … td.i4)
_INDENT_CLASSES = 4


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
    if 0 < cell.indent <= _INDENT_CLASSES:
        classes.append(f"i{cell.indent}")  # a class, not a style attribute to parse per cell
    elif cell.indent:
        attrs.append(f'style="padding-left:{0.3 + cell.indent}em"')
    if classes:
        attrs.append(f'class="{" ".join(classes)}"')
    return f"<{tag}{' ' if attrs else ''}{' '.join(attrs)}>{text}</{tag}>"


def _table(table: Table, styles: Styles, *, tight: int = 0) -> str:
    style = styles.table
    title = f"{table.number}\u3000{table.title}" if table.number else table.title
    head = "".join(
        "<tr>" + "".join(_cell("th", c, style) for c in row) + "</tr>" for row in table.header
    )
    rows = ["<tr>" + "".join(_cell("td", c, style) for c in row) + "</tr>" for row in table.rows]
    tail = tail_start(table)
    if tail is None:
        body = "<tbody>" + "".join(rows) + "</tbody>"
    else:
        body = f'<tbody>{"".join(rows[:tail])}</tbody><tbody class="tail">{"".join(rows[tail:])}</tbody>'

    notes = "".join(f'<p class="note">{escape(n)}</p>' for n in (table.note, table.empty_note) if n)
    wide = " wide" if table.columns > 7 else ""
    if styles.table_new_page and not table.inline:
        wide += " np"
    if tight:
        wide += " tight" if tight == 1 else " tight tighter"
    # Fixed layout with the DOCX's column proportions: the same look, and no costly
    # content-based width computation in the PDF writer.
    widths = table_widths(table, styles)
    total = sum(widths)
    cols = (
        "<colgroup>"
        + "".join(f'<col style="width:{w / total * 100:.1f}%"/>' for w in widths)
        + "</colgroup>"
    )
    return (
        f'<section class="table{wide}" data-table="{escape(table.key)}">'
        + (f"<h5>{escape(title)}</h5>" if title else "")
        + (f'<p class="unit">{escape(table.unit)}</p>' if table.unit else "")
        + f'<table class="std">{cols}<thead>{head}</thead>{body}</table>{notes}</section>'
    )


def _contents(doc: Document, pages: Mapping[int, int] | None = None) -> str:
    """目录: parts and sections, linked; in print the page numbers come from target-counter,
    or are the given ``pages`` (block index -> page) when the contents are laid out apart from
    the headings (:mod:`juesuan.document.pdf_split`)."""
    items = [
        f'<li class="l{b.level}"><a href="#s{n}"'
        + (f' data-page="{pages[n]}"' if pages is not None else "")
        + f">{escape(b.text)}</a></li>"
        for n, b in enumerate(doc.blocks)
        if isinstance(b, Heading) and b.level <= 2
    ]
    line = toc_line_height(len(items))
    style = f' style="line-height:{line}pt"' if line < 28 else ""
    return f'<nav class="toc"><h2 class="toc">目　录</h2><ul{style}>{"".join(items)}</ul></nav>'


# The contents with their page numbers given (the same text as target-counter gives).
_PRINT_GIVEN_PAGES_CSS = 'nav.toc a[data-page]::after { content: leader(".") attr(data-page); }\n'


def block_html(
    doc: Document,
    n: int,
    styles: Styles,
    charts: Mapping[str, bytes] | None = None,
    tight: Mapping[str, int] | None = None,
    chart_urls: bool = False,
) -> str:
    """The markup of block ``n`` of ``doc`` (see :func:`write_html`)."""
    block = doc.blocks[n]
    if isinstance(block, Heading):
        level = min(block.level + 1, 6)
        return f'<h{level} id="s{n}">{escape(block.text)}</h{level}>'
    if isinstance(block, ChartRef):
        return _chart(block, (charts or {}).get(block.key), chart_urls)
    if isinstance(block, Table):
        return _table(block, styles, tight=(tight or {}).get(block.key, 0))
    if isinstance(block, PageBreak):
        return '<div class="pb"></div>'
    return _paragraph(block, styles.text)


def write_html(
    doc: Document,
    styles: Styles,
    charts: Mapping[str, bytes] | None = None,
    *,
    for_print: bool = False,
    font_faces: str = "",
    tight: Mapping[str, int] | None = None,
    chart_urls: bool = False,
    blocks: tuple[int, int] | None = None,
    contents_pages: Mapping[int, int] | None = None,
) -> str:
    """The document as HTML. ``tight`` maps tables to a setting with less row height, 1 or 2
    (the PDF writer uses it for a table whose last page would otherwise hold only a few rows); ``chart_urls``
    refers to the charts by ``CHART_SCHEME`` URLs instead of embedding them.

    The PDF writer may lay out a document in pieces (:mod:`juesuan.document.pdf_split`):
    ``blocks`` (start, end) gives only those blocks, without the cover and the contents;
    ``contents_pages`` gives only the cover and the contents, with these page numbers."""
    charts = charts or {}
    body = []
    if blocks is None:
        body.append(f'<h1 class="title">{escape(doc.title)}</h1>')
        if doc.subtitle:
            body.append(f'<p class="subtitle">{escape(doc.subtitle)}</p>')
        body.append(_contents(doc, contents_pages))
    start, end = (0, 0) if contents_pages is not None else blocks or (0, len(doc.blocks))
    body.extend(block_html(doc, n, styles, charts, tight, chart_urls) for n in range(start, end))
    if for_print:
        css = font_faces + (_CSS + _PRINT_CSS) % _PRINT_STACKS + _PRINT_BIAOSONG
        if contents_pages is not None:
            css += _PRINT_GIVEN_PAGES_CSS
        if doc.draft:  # in the top margin of every page (the PDF)
            css += _PRINT_DRAFT_CSS % {"note": DRAFT_NOTE, **_PRINT_STACKS}
    else:  # printed from a browser: the same pages, page numbers and breaks as the PDF
        css = _CSS % _STACKS + "@media print {\n" + _PRINT_CSS % _STACKS + "}\n"
        if doc.draft:  # a fixed element on screen; printed, in the top margin of every page
            # (a fixed element would print over the text of every page)
            css += _DRAFT_CSS + "@media print {\ndiv.draft-mark { display: none; }\n"
            css += _PRINT_DRAFT_CSS % {"note": DRAFT_NOTE, **_STACKS} + "}\n"
            body.insert(0, f'<div class="draft-mark" role="note">{escape(DRAFT_NOTE)}</div>')
    title = f"{DRAFT_MARK}：{doc.title}" if doc.draft else doc.title
    return (
        '<!DOCTYPE html>\n<html lang="zh-CN">\n<head>\n<meta charset="utf-8"/>\n'
        f"<title>{escape(title)}</title>\n<style>{css}</style>\n</head>\n<body>\n"
        + "\n".join(body)
        + "\n</body>\n</html>\n"
    )
