"""Word (DOCX) writer: the disclosure as finance officers publish it.

Lays a :class:`~juesuan.document.model.Document` out in the official document style
(党政机关公文格式, GB/T 9704): A4, 仿宋_GB2312 三号 body on a fixed 28 pt line, 黑体/楷体
headings built on Word's "Heading 1/2/3" styles (so the contents field and the navigation
pane work), a cover page, a contents page, charts as inline PNGs with captions, standard
tables with repeating header rows (wide ones on landscape pages) and "— N —" page numbers.

Every number goes through :func:`juesuan.document.numbers.format_figure`. The output is
reproducible: the same input gives the same bytes.
"""

from __future__ import annotations

import copy
import io
import re
from collections.abc import Mapping, Sequence
from dataclasses import replace
from datetime import datetime
from functools import lru_cache

import docx
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.image.exceptions import UnrecognizedImageError
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.pkgwriter import PackageWriter
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, Twips
from lxml import etree

from juesuan.document.model import (
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
from juesuan.document.numbers import Styles, format_figure
from juesuan.document.widths import _column_weights, _layout, toc_line_height
from juesuan.document.xml_escape import element_text
from juesuan.document.ziprepack import pack

__all__ = ["write_docx"]
from juesuan.document.docx_style import (
    _AFTER_PGNUMTYPE,
    _AFTER_UPDATEFIELDS,
    _FONT_SIG,
    _FONT_TABLE,
    _STYLES_WITH_EFFECTS,
    A4_HEIGHT,
    A4_WIDTH,
    BODY,
    BODY_SIZE,
    CELL_MARGIN,
    CHART_WIDTH,
    FOOTER,
    HEITI,
    KAITI,
    L_MARGIN_BOTTOM,
    L_MARGIN_LEFT,
    L_MARGIN_RIGHT,
    L_MARGIN_TOP,
    LANDSCAPE_COLUMNS,
    LANDSCAPE_TEXT_WIDTH,
    LATIN,
    LINE,
    MARGIN_BOTTOM,
    MARGIN_LEFT,
    MARGIN_RIGHT,
    MARGIN_TOP,
    PORTRAIT_TEXT_WIDTH,
    SMALL,
    TABLE_BODY,
    TABLE_HEAD,
    TABLE_PITCH,
    TABLE_UNIT,
    TOC_INSTR,
    TOC_TITLE,
    XIAOBIAOSONG,
    _field_char,
    _field_code,
    _insert_before,
    _Look,
    _rpr_template,
    _run,
    _set_fonts,
    _set_indent,
    _setup_styles,
)

_W_T = qn("w:t")
_XML_SPACE = qn("xml:space")
_W_W = qn("w:w")

# -- sections ------------------------------------------------------------------------------


def _page_setup(section, *, landscape: bool) -> None:
    if landscape:
        section.orientation = WD_ORIENT.LANDSCAPE
        section.page_width, section.page_height = A4_HEIGHT, A4_WIDTH
        section.top_margin, section.bottom_margin = L_MARGIN_TOP, L_MARGIN_BOTTOM
        section.left_margin, section.right_margin = L_MARGIN_LEFT, L_MARGIN_RIGHT
        section.footer_distance = Cm(1.5)
    else:
        section.orientation = WD_ORIENT.PORTRAIT
        section.page_width, section.page_height = A4_WIDTH, A4_HEIGHT
        section.top_margin, section.bottom_margin = MARGIN_TOP, MARGIN_BOTTOM
        section.left_margin, section.right_margin = MARGIN_LEFT, MARGIN_RIGHT
        section.footer_distance = Cm(2.5)  # "— N —" about 7 mm below the text area
    section.header_distance = Cm(1.5)
    section.gutter = Cm(0)


def _page_numbering(section, start: int | None) -> None:
    sectPr = section._sectPr
    for old in sectPr.findall(qn("w:pgNumType")):
        sectPr.remove(old)
    if start is not None:
        pg = OxmlElement("w:pgNumType")
        pg.set(qn("w:start"), str(start))
        _insert_before(sectPr, pg, _AFTER_PGNUMTYPE)


# -- the writer ----------------------------------------------------------------------------


def _figure_text(ref: FigureRef, style) -> str:
    return format_figure(ref.value, ref.unit, style, ref.absolute)


def _cover_lines(doc: Document) -> list[str]:
    """The cover title in lines: the department on one, "2024年度部门决算" on the next."""
    title = doc.title
    if doc.department and title.startswith(doc.department) and title != doc.department:
        return [doc.department, title[len(doc.department) :]]
    match = re.match(r"^(.+?)((?:19|20)\d\d年.*)$", title)
    if match:
        return [match.group(1), match.group(2)]
    return [title]


def _column_twips(widths: Sequence[float], ncols: int, total: int) -> list[int]:
    weights = [float(w) for w in widths]
    if len(weights) != ncols or any(w <= 0 for w in weights):
        weights = [1.0] * ncols
    scale = total / sum(weights)
    cols = [int(w * scale) for w in weights]
    cols[-1] += total - sum(cols)
    return cols


class _Writer:
    def __init__(
        self,
        doc: Document,
        styles: Styles,
        charts: Mapping[str, bytes],
        toc_pages: Mapping[int, int] | None = None,
        tight: Mapping[str, int] | None = None,
    ):
        self.doc = doc
        self.toc_pages = toc_pages
        if tight is None:  # not laid out as a PDF: the same estimate the PDF writer starts from
            from juesuan.document.pdf import predicted_tight

            tight = predicted_tight(doc, styles)
        self.tight = tight
        self.styles = styles
        self.charts = charts
        self.d = docx.Document()
        # Table cells of one shape (span, merge, row kind, pitch, alignment, indent, weight,
        # lines) are built once and kept as XML text with gaps for the width and the text:
        # python-docx's element helpers cost a millisecond per cell.
        self._tc_shapes: dict[tuple, tuple[str, ...]] = {}
        self.landscape = False
        self.at_page_top = True  # nothing written yet on the current page
        self.break_pending = False  # a PageBreak block waits for the next paragraph
        self.after_table = False  # the last body element is a table
        self.section_empty = True  # the current section has no content yet
        self.after_part_heading = False  # the last block is a level-1 heading (a part)
        self._style_ids: dict[str, str] = {}

    def _style_id(self, name: str) -> str:
        """Style id for a style name, looked up once (python-docx's lookup is slow)."""
        if name not in self._style_ids:
            self._style_ids[name] = self.d.styles[name].style_id
        return self._style_ids[name]

    # -- document-level parts --

    def setup(self) -> None:
        d = self.d
        _setup_styles(d)
        # Parts of the template that would contradict the document: Word 2010 would take
        # its styles from stylesWithEffects.xml; the thumbnail shows an empty page.
        for rId, rel in list(d.part.rels.items()):
            if rel.reltype == _STYLES_WITH_EFFECTS:
                d.part.drop_rel(rId)
        pkg_rels = d.part.package.rels
        for rId, rel in list(pkg_rels.items()):
            if rel.reltype == RT.THUMBNAIL:
                pkg_rels.pop(rId)

        settings = d.settings.element
        update = OxmlElement("w:updateFields")
        update.set(qn("w:val"), "true")
        _insert_before(settings, update, _AFTER_UPDATEFIELDS)
        for lang in settings.findall(qn("w:themeFontLang")):
            lang.set(qn("w:eastAsia"), "zh-CN")

        # Front matter section (cover + contents): no page numbers; different first page.
        front = d.sections[0]
        _page_setup(front, landscape=False)
        front.different_first_page_header_footer = True
        if self.doc.draft:
            self._draft_headers(front)

        self._core_properties()

    def _draft_headers(self, front) -> None:
        """A draft's mark in the page header: the front section's first-page and other
        headers; every later section links to them (python-docx's default), so each page of
        the document carries it."""
        for header in (front.first_page_header, front.header):
            header.is_linked_to_previous = False
            p = header.paragraphs[0]
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER
            _run(p, DRAFT_NOTE, FOOTER, bold=True)

    def _core_properties(self) -> None:
        year = self.doc.year if 1900 < self.doc.year < 10000 else 2000
        stamp = datetime(year, 12, 31)
        cp = self.d.core_properties
        cp.title = self.doc.title
        cp.subject = "部门决算"
        cp.author = "juesuan"
        cp.last_modified_by = "juesuan"
        cp.comments = ""
        cp.keywords = ""
        cp.category = ""
        cp.language = "zh-CN"
        cp.revision = 1
        cp.created = stamp
        cp.modified = stamp
        cp.last_printed = stamp

    # -- flow --

    def paragraph(self, style: str):
        p = self.d.add_paragraph()
        if style is not None:
            p._p.style = self._style_id(style)
        if self.break_pending and not self.at_page_top:
            p.paragraph_format.page_break_before = True
        elif self.at_page_top and style == "Heading 1":
            # Already on a fresh page: the style's own page break would add an empty one.
            p.paragraph_format.page_break_before = False
        self.break_pending = False
        self.at_page_top = False
        self.after_table = False
        self.section_empty = False
        return p

    def new_section(self, *, landscape: bool, body_start: bool = False) -> None:
        section = self.d.add_section(WD_SECTION.NEW_PAGE)
        _fold_section_break(self.d)
        _page_setup(section, landscape=landscape)
        section.different_first_page_header_footer = False
        if body_start:
            _page_numbering(section, 1)
            footer = section.footer
            footer.is_linked_to_previous = False
            p = footer.paragraphs[0]
            p.style = self.d.styles["Footer"]
            _run(p, "— ", FOOTER)
            _field_char(p, "begin", FOOTER)
            _field_code(p, " PAGE ", FOOTER)
            _field_char(p, "separate", FOOTER)
            _run(p, "1", FOOTER)
            _field_char(p, "end", FOOTER)
            _run(p, " —", FOOTER)
        else:
            _page_numbering(section, None)  # continue numbering; footer linked to previous
        self.landscape = landscape
        self.at_page_top = True
        self.break_pending = False
        self.after_table = False
        self.section_empty = True

    def cover(self) -> None:
        lines = _cover_lines(self.doc)
        p = self.paragraph("Cover Title")
        look = _Look(XIAOBIAOSONG, XIAOBIAOSONG, 22)
        for i, line in enumerate(lines):
            run = _run(p, line, look)
            if i < len(lines) - 1:
                run.add_break()
        if self.doc.subtitle:
            _run(self.paragraph("Cover Subtitle"), self.doc.subtitle, _Look(KAITI, KAITI, 16))

    def contents(self) -> None:
        """The contents page: a TOC field whose cached result lists the level-1/2
        headings, for readers that do not update fields — with their page numbers when the
        PDF layout gave them (``toc_pages``: the numbers printed on the pages). Long
        contents get a tighter line so that they stay on one page."""
        heading = self.d.add_paragraph(style="TOC Heading")
        _run(heading, TOC_TITLE, _Look(HEITI, HEITI, BODY_SIZE))
        looks = {1: _Look(HEITI, LATIN, BODY_SIZE), 2: BODY}
        entries = [
            (max(b.level, 1), b.text, n)
            for n, b in enumerate(self.doc.blocks)
            if isinstance(b, Heading) and b.level <= 2
        ]
        pages = self.toc_pages or {}
        line = toc_line_height(len(entries))
        paragraphs = []
        for level, _, _ in entries:
            p = self.d.add_paragraph(style=f"toc {level}")
            if line < LINE.pt:
                p.paragraph_format.line_spacing = Pt(line)
            paragraphs.append(p)
        if not paragraphs:
            paragraphs = [self.d.add_paragraph(style="toc 1")]
        first, last = paragraphs[0], paragraphs[-1]
        _field_char(first, "begin", looks[1], dirty=True)
        _field_code(first, TOC_INSTR, looks[1])
        _field_char(first, "separate", looks[1])
        for p, (level, text, n) in zip(paragraphs, entries, strict=False):
            _run(p, text, looks[level])
            if n in pages:
                _run(p, "\t", looks[level])
                _run(p, str(pages[n]), looks[level])
        _field_char(last, "end", looks[1])

    # -- blocks --

    def block(self, block) -> None:
        wide = isinstance(block, Table) and max(block.columns, 1) > LANDSCAPE_COLUMNS
        if isinstance(block, PageBreak):
            if not self.at_page_top:
                self.break_pending = True
            return
        if wide != self.landscape:
            if self.section_empty:
                # Nothing on this section yet: turn it rather than leave a blank page.
                _page_setup(self.d.sections[-1], landscape=wide)
                self.landscape = wide
            else:
                self.new_section(landscape=wide)
        if isinstance(block, Heading):
            self.heading(block)
        elif isinstance(block, Paragraph):
            self.text(block)
        elif isinstance(block, ChartRef):
            self.chart(block)
        elif isinstance(block, Table):
            self.table(block)
        else:  # pragma: no cover - the model has no other blocks
            raise TypeError(f"unknown block {type(block).__name__}")
        self.after_part_heading = isinstance(block, Heading) and block.level <= 1

    def heading(self, h: Heading) -> None:
        level = min(max(h.level, 1), 3)
        p = self.paragraph(f"Heading {level}")
        font = KAITI if level == 3 else HEITI
        _run(p, h.text, _Look(font, font, BODY_SIZE))

    def text(self, para: Paragraph) -> None:
        style, look = {"unit": ("Unit Line", SMALL), "note": ("Note", SMALL)}.get(
            para.style, ("Normal", BODY)
        )
        p = self.paragraph(style)
        for run in para.runs:
            if isinstance(run, FigureRef):
                _run(p, _figure_text(run, self.styles.text), look)
            elif run.text:
                _run(p, run.text, look)

    def chart(self, chart: ChartRef) -> None:
        png = self.charts.get(chart.key)
        if png is not None:
            p = self.paragraph("Chart")
            run = p.add_run()
            _set_fonts(run._r, SMALL)
            try:
                shape = run.add_picture(io.BytesIO(png), width=CHART_WIDTH)
            except UnrecognizedImageError as exc:
                raise ValueError(f"chart {chart.key!r}: the bytes are not a PNG image") from exc
            doc_pr = shape._inline.docPr
            doc_pr.set("name", chart.key)
            doc_pr.set("descr", chart.caption)
        caption = self.paragraph("Caption")
        _run(caption, chart.caption, _Look(HEITI, HEITI, 12))

    def table(self, t: Table) -> None:
        ncols = max(t.columns, 1)
        if self.styles.table_new_page and not self.after_part_heading and not t.inline:
            self.break_pending = True  # the profile's rule, as in the PDF
        title = f"{t.number}  {t.title}" if t.number else t.title
        if title.strip():
            _run(
                self.paragraph("Table Title"), title.strip(), _Look(XIAOBIAOSONG, XIAOBIAOSONG, 16)
            )
        if t.unit:
            _run(self.paragraph("Table Unit"), t.unit, TABLE_UNIT)
        rows = list(t.header) + list(t.rows)
        nhead = len(t.header)
        if rows:
            if self.break_pending or (self.after_table and not (title.strip() or t.unit)):
                # Carries the pending page break / keeps Word from joining two tables.
                self.paragraph("Table Note")
            self._grid(t, rows, nhead, ncols)
            self.after_table = True
            self.section_empty = False
            self.at_page_top = False
        for note in (t.note, t.empty_note):
            if note:
                _run(self.paragraph("Table Note"), note, TABLE_BODY)

    def _grid(self, t: Table, rows: list, nhead: int, ncols: int) -> None:
        """The table as WordprocessingML, built directly: merged regions as ``gridSpan`` and
        ``vMerge`` (python-docx's cell-by-cell API is far slower at thousands of cells)."""
        # (python-docx's add_table and style setter look the style up by name each time)
        table = self.d._body.add_table(0, ncols, self.d._block_width)
        table._tbl.tblPr.style = self._style_id("Table Grid")
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        table.autofit = False
        tbl = table._tbl
        _table_borders(tbl.tblPr)
        line, margin = TABLE_PITCH[self.tight.get(t.key, 0)]
        _cell_margins(tbl.tblPr, round(margin * 20))

        placed = _layout(rows, ncols)
        width = LANDSCAPE_TEXT_WIDTH if self.landscape else PORTRAIT_TEXT_WIDTH
        widths = t.widths
        if len(widths) != ncols or any(w <= 0 for w in widths):
            widths = _column_weights(placed, nhead, ncols, self.styles)
        cols = _column_twips(widths, ncols, int(width.twips))
        for gridCol, w in zip(tbl.tblGrid.gridCol_lst, cols, strict=True):
            gridCol.w = Twips(w)
        tblW = tbl.tblPr.find(qn("w:tblW"))
        if tblW is not None:
            tblW.set(qn("w:type"), "dxa")
            tblW.set(qn("w:w"), str(sum(cols)))

        starts = {(r, c): (rs, cs, cell) for r, c, rs, cs, cell in placed}
        below: dict[tuple[int, int], int] = {}  # continuation of a vertical merge → its colspan
        for r, c, rs, cs, _cell in placed:
            for dr in range(1, rs):
                below[(r + dr, c)] = cs
        # The rows as WordprocessingML text, parsed once: lxml parses a table faster than
        # it builds it element by element.
        xml = [f'<w:tbl xmlns:w="{_W_NS}">']
        for r in range(len(rows)):
            header = r < nhead
            if r == len(rows) - 1:
                last_row = len(xml)
            xml.append(_HEADER_ROW if header else _BODY_ROW)
            c = 0
            while c < ncols:
                if (r, c) in starts:
                    rs, cs, cell = starts[(r, c)]
                    vmerge = "restart" if rs > 1 else None
                    xml.append(self._tc(cell, sum(cols[c : c + cs]), cs, vmerge, header, line))
                elif (r, c) in below:
                    cs = below[(r, c)]
                    xml.append(self._tc(None, sum(cols[c : c + cs]), cs, "continue", header, line))
                else:  # a position no cell reaches (short row): an empty cell
                    cs = 1
                    xml.append(self._tc(None, cols[c], 1, None, header, line))
                c += cs
            xml.append("</w:tr>")
        xml.append("</w:tbl>")
        if rows and (t.note or t.empty_note):
            # The last row stays with the note below it: w:keepNext after each w:pStyle.
            last = "".join(xml[last_row:-1])
            xml[last_row:-1] = [_PSTYLE.sub(r"\g<0><w:keepNext/>", last)]
        rows_xml = parse_xml("".join(xml))
        for t_el in rows_xml.iter(_W_T):  # an empty text stays <w:t></w:t>, as lxml wrote it
            if t_el.text is None:
                t_el.text = ""
        tbl.extend(list(rows_xml))

    def _tc(
        self,
        cell: Cell | None,
        width: int,
        span: int,
        vmerge: str | None,
        header: bool,
        line: float = TABLE_PITCH[0][0],
    ) -> str:
        """One ``w:tc`` as XML text: width, span, vertical merge, centred vertically, one
        paragraph (on a ``line`` pt pitch when tighter than the style's): the text of the
        first cell of the same shape, with this cell's width and text."""
        text = None
        if cell is not None:
            text = (
                _figure_text(cell.figure, self.styles.table)
                if cell.figure is not None
                else cell.text
            ).split("\n")
        shape = (
            span,
            vmerge,
            header,
            line,
            None
            if cell is None
            else (cell.align, cell.figure is not None, cell.indent, cell.bold, len(text)),
        )
        pieces = self._tc_shapes.get(shape)
        if pieces is None:
            template = self._new_tc(
                cell, 0, span, vmerge, header=header, line=line, lines=len(text or ())
            )
            pieces = self._tc_shapes[shape] = _tc_pieces(template)
        out = [pieces[0], str(width), pieces[1]]
        for part, after in zip(text or (), pieces[2:], strict=True):
            out.append(_text_element(part))
            out.append(after)
        return "".join(out)

    def _new_tc(
        self,
        cell: Cell | None,
        width: int,
        span: int,
        vmerge: str | None,
        *,
        header: bool,
        line: float,
        lines: int,
    ):
        """A ``w:tc`` of the shape of ``_tc``'s, with ``lines`` empty text lines."""
        tc = OxmlElement("w:tc")
        tcPr = OxmlElement("w:tcPr")
        tcW = OxmlElement("w:tcW")
        tcW.set(qn("w:w"), str(width))
        tcW.set(qn("w:type"), "dxa")
        tcPr.append(tcW)
        if span > 1:
            el = OxmlElement("w:gridSpan")
            el.set(qn("w:val"), str(span))
            tcPr.append(el)
        if vmerge is not None:
            el = OxmlElement("w:vMerge")
            if vmerge == "restart":
                el.set(qn("w:val"), "restart")
            tcPr.append(el)
        valign = OxmlElement("w:vAlign")
        valign.set(qn("w:val"), "center")
        tcPr.append(valign)
        tc.append(tcPr)
        p = OxmlElement("w:p")
        pPr = p.get_or_add_pPr()
        pPr.style = self._style_id("Table Header" if header else "Table Text")
        if line != TABLE_PITCH[0][0]:
            pPr.append(copy.deepcopy(_exact_spacing(line)))  # after w:pStyle, as the schema orders
        tc.append(p)
        if cell is None:
            return tc
        look = TABLE_HEAD if header else TABLE_BODY
        if header:
            align = WD_ALIGN_PARAGRAPH.CENTER
        elif cell.align == "center":
            align = WD_ALIGN_PARAGRAPH.CENTER
        elif cell.figure is not None or cell.align == "right":
            align = WD_ALIGN_PARAGRAPH.RIGHT
        else:
            align = WD_ALIGN_PARAGRAPH.LEFT
        if cell.indent > 0 and align == WD_ALIGN_PARAGRAPH.LEFT:
            _set_indent(pPr, left_chars=cell.indent, size=look.size)
        if not header:
            pPr.jc_val = align
        if cell.bold or header:
            look = replace(look, bold=True)
        for i in range(lines):
            r = OxmlElement("w:r")
            r.append(copy.deepcopy(_rpr_template(look, True)))
            t = OxmlElement("w:t")
            t.text = ""
            r.append(t)
            if i < lines - 1:
                r.append(OxmlElement("w:br"))
            p.append(r)
        return tc

    # -- output --

    def write(self) -> bytes:
        self.setup()
        self.cover()
        self.contents()
        self.new_section(landscape=False, body_start=True)
        for block in self.doc.blocks:
            self.block(block)
        return _pack(self.d)


def _fold_section_break(document) -> None:
    """python-docx ends a section with a new empty paragraph; move its ``w:sectPr`` into
    the paragraph before it when there is one, so no blank line (or blank page) is added.
    After a table the paragraph must stay: it gets the smallest style."""
    body = document.element.body
    holder = body.findall(qn("w:p"))[-1]
    previous = holder.getprevious()
    if (
        previous is None
        or previous.tag != qn("w:p")
        or (previous.pPr is not None and previous.pPr.sectPr is not None)
    ):
        holder.style = document.styles["Table Note"].style_id
        return
    previous.set_sectPr(holder.pPr.sectPr)
    body.remove(holder)


def _table_borders(tblPr) -> None:
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        el = OxmlElement(f"w:{edge}")
        el.set(qn("w:val"), "single")
        el.set(qn("w:sz"), "4")
        el.set(qn("w:space"), "0")
        el.set(qn("w:color"), "000000")
        borders.append(el)
    _insert_before(
        tblPr,
        borders,
        ("w:shd", "w:tblLayout", "w:tblCellMar", "w:tblLook", "w:tblCaption", "w:tblDescription"),
    )


@lru_cache(maxsize=8)
def _exact_spacing(line: float):
    """``w:spacing`` of an exact ``line`` pt line, built once (python-docx's setters are slow
    at thousands of cells); cells get a copy."""
    pPr = OxmlElement("w:pPr")
    pPr.spacing_line = Twips(round(line * 20))
    pPr.spacing_lineRule = WD_LINE_SPACING.EXACTLY
    return pPr.find(qn("w:spacing"))


_W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_HEADER_ROW = "<w:tr><w:trPr><w:cantSplit/><w:tblHeader/></w:trPr>"
_BODY_ROW = "<w:tr><w:trPr><w:cantSplit/></w:trPr>"
_EMPTY_T = "<w:t></w:t>"
_PSTYLE = re.compile(r'<w:pStyle w:val="[^"]*"/>')
_TCW = '<w:tcW w:w="0"'
# Characters an XML 1.0 document cannot hold (lxml refuses them in text, too).
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _tc_pieces(template) -> tuple[str, ...]:
    """A cell template as text: before the width, after it up to the first text, and after
    each text (its ``w:t`` elements are empty)."""
    xml = etree.tostring(template, encoding="unicode").replace(f' xmlns:w="{_W_NS}"', "", 1)
    head, rest = xml.split(_TCW, 1)
    first, *after = rest.split(_EMPTY_T)
    return (head + '<w:tcW w:w="', '"' + first, *after)


def _text_element(text: str) -> str:
    """``w:t`` holding ``text``, white space kept where it would otherwise be dropped."""
    if _NOT_XML.search(text):
        raise ValueError(
            "All strings must be XML compatible: Unicode or ASCII, no NULL bytes or control "
            "characters"
        )
    space = ' xml:space="preserve"' if text != text.strip() else ""
    return f"<w:t{space}>{element_text(text)}</w:t>"


def _cell_margins(tblPr, vertical: int) -> None:
    """Narrow cell margins (0.1 cm left/right): amounts fit their columns; ``vertical``
    (twips) above and below the text, as the PDF's cell padding."""
    mar = OxmlElement("w:tblCellMar")
    edges = (("top", vertical), ("left", CELL_MARGIN), ("bottom", vertical), ("right", CELL_MARGIN))
    for edge, w in edges:
        el = OxmlElement(f"w:{edge}")
        el.set(qn("w:w"), str(w))
        el.set(qn("w:type"), "dxa")
        mar.append(el)
    _insert_before(tblPr, mar, ("w:tblLook", "w:tblCaption", "w:tblDescription"))


# -- packaging ----------------------------------------------------------------------------


def _font_entries() -> bytes:
    parts = []
    for name, alt, panose, family, pitch in _FONT_TABLE:
        parts.append(
            f'<w:font w:name="{name}"><w:altName w:val="{alt}"/>'
            f'<w:panose1 w:val="{panose}"/><w:charset w:val="86"/>'
            f'<w:family w:val="{family}"/><w:pitch w:val="{pitch}"/><w:sig {_FONT_SIG}/></w:font>'
        )
    return "".join(parts).encode("utf-8")


class _Parts:
    """python-docx's physical package writer, collecting the parts instead of zipping them:
    :func:`_pack` compresses each part once (python-docx's own save deflates everything,
    the chart PNGs included, and the deterministic re-pack deflated it all again)."""

    def __init__(self) -> None:
        self.entries: dict[str, bytes] = {}

    def write(self, pack_uri, blob: bytes) -> None:
        self.entries[pack_uri.membername] = blob


def _pack(document) -> bytes:
    """The document's package as a deterministic zip (see :mod:`ziprepack`), with our fonts
    added to the font table; the same parts as ``document.save`` writes."""
    package = document.part.package
    for part in package.parts:
        part.before_marshal()
    parts = _Parts()
    PackageWriter._write_content_types_stream(parts, package.parts)
    PackageWriter._write_pkg_rels(parts, package.rels)
    PackageWriter._write_parts(parts, package.parts)

    def fonts(name: str, payload: bytes) -> bytes:
        if name == "word/fontTable.xml":
            return payload.replace(b"</w:fonts>", _font_entries() + b"</w:fonts>")
        return payload

    return pack(parts.entries, fonts)


def write_docx(
    doc: Document,
    styles: Styles,
    charts: Mapping[str, bytes],
    *,
    toc_pages: Mapping[int, int] | None = None,
    tight: Mapping[str, int] | None = None,
) -> bytes:
    """The document as DOCX bytes.

    ``styles`` formats the numbers (``styles.text`` in paragraphs, ``styles.table`` in
    table cells); ``charts`` maps :attr:`ChartRef.key` to PNG bytes; a chart without an
    image keeps only its caption. ``toc_pages`` (block index of a heading -> its page in
    the PDF layout, see :func:`juesuan.document.pdf.layout_pdf`) puts page numbers in the
    contents for readers that do not update fields; Word still recomputes them on opening.
    ``tight`` (table key -> tightness step) sets those tables' rows closer, as the PDF
    writer did; by default the PDF writer's estimate.
    """
    return _Writer(doc, styles, charts, toc_pages, tight).write()
