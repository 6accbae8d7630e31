"""Fonts, page geometry, character looks, low-level XML helpers and the paragraph
styles of the DOCX writer (official document style)."""

from __future__ import annotations

import copy
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING, WD_TAB_ALIGNMENT, WD_TAB_LEADER
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Emu, Length, Pt, RGBColor
from docx.text.run import Run

# -- fonts --------------------------------------------------------------------------------

FANGSONG = "仿宋_GB2312"
KAITI = "楷体_GB2312"
HEITI = "黑体"
SONGTI = "宋体"
XIAOBIAOSONG = "方正小标宋简体"
LATIN = "Times New Roman"

# fontTable entries, so that a machine without a font substitutes a face of the same kind:
# w:altName names the face Windows has under another name (仿宋_GB2312 -> 仿宋), w:panose1
# and w:family describe its design (serif/sans, CJK) and w:sig its scripts (GB 2312), which
# Word and LibreOffice use to choose a substitute — e.g. Noto Serif CJK SC for 仿宋 and 宋体,
# Noto Sans CJK SC for 黑体. charset 86 = GB2312.
# (name, altName, panose1, family, pitch)
_FONT_TABLE = (
    (FANGSONG, "仿宋", "02010609030101010101", "modern", "fixed"),
    (KAITI, "楷体", "02010609030101010101", "modern", "fixed"),
    (XIAOBIAOSONG, SONGTI, "02000000000000000000", "roman", "variable"),
    (HEITI, "SimHei", "02010609060101010101", "modern", "fixed"),
    (SONGTI, "SimSun", "02010600030101010101", "auto", "variable"),
)
# Unicode ranges (CJK ideographs, punctuation, full-width forms) and code page GB 2312.
_FONT_SIG = (
    'w:usb0="00000003" w:usb1="288F0000" w:usb2="00000016" w:usb3="00000000" '
    'w:csb0="00040001" w:csb1="00000000"'
)

# -- page geometry ----------------------------------------------------------------------------

A4_WIDTH, A4_HEIGHT = Cm(21.0), Cm(29.7)
MARGIN_TOP, MARGIN_BOTTOM, MARGIN_LEFT, MARGIN_RIGHT = Cm(3.7), Cm(3.5), Cm(2.8), Cm(2.6)
# Landscape pages (wide tables): the portrait margins turned with the paper.
L_MARGIN_TOP, L_MARGIN_BOTTOM, L_MARGIN_LEFT, L_MARGIN_RIGHT = Cm(2.8), Cm(2.6), Cm(3.7), Cm(3.5)
PORTRAIT_TEXT_WIDTH = Emu(A4_WIDTH - MARGIN_LEFT - MARGIN_RIGHT)
LANDSCAPE_TEXT_WIDTH = Emu(A4_HEIGHT - L_MARGIN_LEFT - L_MARGIN_RIGHT)
CELL_MARGIN = 57  # twips, 0.1 cm
# Row pitch of the tables, as the print style sheet sets it (points): line height and the
# cell margin above and below, normally and at the two tightness steps the PDF writer uses
# for a table that would otherwise end on a near-empty page (pdf.predicted_tight).
TABLE_LINE = Pt(13.5)
TABLE_PITCH = {0: (13.5, 1.5), 1: (11.5, 0.5), 2: (10.5, 0.0)}
LANDSCAPE_COLUMNS = 7  # tables with more columns than this go on landscape pages

_STYLES_WITH_EFFECTS = "http://schemas.microsoft.com/office/2007/relationships/stylesWithEffects"

# Schema order: the elements that follow w:pgNumType in w:sectPr and w:updateFields in
# w:settings.
_AFTER_PGNUMTYPE = (
    *("w:cols", "w:formProt", "w:vAlign", "w:noEndnote", "w:titlePg", "w:textDirection"),
    *("w:bidi", "w:rtlGutter", "w:docGrid", "w:printerSettings", "w:sectPrChange"),
)
_AFTER_UPDATEFIELDS = (
    *("w:hdrShapeDefaults", "w:footnotePr", "w:endnotePr", "w:compat", "w:docVars"),
    *("w:rsids", "m:mathPr", "w:attachedSchema", "w:themeFontLang", "w:clrSchemeMapping"),
    *("w:doNotIncludeSubdocsInStats", "w:doNotAutoCompressPictures", "w:forceUpgrade"),
    *("w:captions", "w:readModeInkLockDown", "w:smartTagType", "sl:schemaLibrary"),
    *("w:shapeDefaults", "w:doNotEmbedSmartTags", "w:decimalSymbol", "w:listSeparator"),
)

CHART_WIDTH = Cm(15)
BODY_SIZE = 16  # 三号
LINE = Pt(28)
TOC_TITLE = "目  录"
TOC_INSTR = ' TOC \\o "1-2" \\h \\z \\u '


@dataclass(frozen=True)
class _Look:
    """Character look of a style or run: East Asian font, Latin font, size, weight."""

    east: str
    latin: str
    size: float
    bold: bool = False


BODY = _Look(FANGSONG, LATIN, BODY_SIZE)
SMALL = _Look(FANGSONG, LATIN, 12)
TABLE_HEAD = _Look(SONGTI, LATIN, 10.5, bold=True)
TABLE_BODY = _Look(SONGTI, LATIN, 10)
TABLE_UNIT = _Look(SONGTI, LATIN, 10.5)
FOOTER = _Look(SONGTI, LATIN, 14)  # 四号 page numbers


# -- low-level XML helpers ----------------------------------------------------------------


def _set_fonts(element, look: _Look, *, hint: bool = False) -> None:
    """Fonts, size, weight and black colour on a style or run element.

    ``w:rFonts`` gets ``ascii``/``hAnsi``/``eastAsia`` (and ``cs``) explicitly and loses any
    theme font, so Word neither falls back to theme fonts nor leaves the East Asian slot
    unset. ``hint`` makes ambiguous characters (quotes, dashes) use the East Asian font.
    """
    rPr = element.get_or_add_rPr()
    rFonts = rPr.get_or_add_rFonts()
    for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        rFonts.attrib.pop(qn(attr), None)
    rFonts.set(qn("w:ascii"), look.latin)
    rFonts.set(qn("w:hAnsi"), look.latin)
    rFonts.set(qn("w:eastAsia"), look.east)
    rFonts.set(qn("w:cs"), look.latin)
    if hint:
        rFonts.set(qn("w:hint"), "eastAsia")
    for tag in ("w:bCs", "w:iCs", "w:szCs"):
        for child in rPr.findall(qn(tag)):
            rPr.remove(child)
    rPr._set_bool_val("b", look.bold)
    rPr._set_bool_val("i", False)
    rPr.sz_val = Pt(look.size)
    rPr._remove_color()
    rPr.get_or_add_color().val = RGBColor(0, 0, 0)


def _set_indent(pPr, *, first_chars: int = 0, left_chars: int = 0, size: float = BODY_SIZE):
    """Indentation in characters (``w:firstLineChars``/``w:leftChars``, which Word honours)
    with the equivalent absolute value for readers that ignore character units. Written
    explicitly, zeros included, so that no inherited character indent survives."""
    ind = pPr.get_or_add_ind()
    for attr in ("w:hanging", "w:hangingChars"):
        ind.attrib.pop(qn(attr), None)
    ind.set(qn("w:left"), str(round(left_chars * size * 20)))
    ind.set(qn("w:leftChars"), str(left_chars * 100))
    ind.set(qn("w:firstLine"), str(round(first_chars * size * 20)))
    ind.set(qn("w:firstLineChars"), str(first_chars * 100))


def _insert_before(parent, child, successors: Sequence[str]) -> None:
    """Insert ``child`` before the first of ``successors`` present (schema order)."""
    tags = {qn(s) for s in successors}
    for existing in parent:
        if existing.tag in tags:
            existing.addprevious(child)
            return
    parent.append(child)


def _field_char(paragraph, kind: str, look: _Look, *, dirty: bool = False) -> None:
    """One part of a complex field: ``begin``, ``separate`` or ``end``."""
    run = paragraph.add_run()
    _set_fonts(run._r, look, hint=True)
    el = OxmlElement("w:fldChar")
    el.set(qn("w:fldCharType"), kind)
    if dirty:
        el.set(qn("w:dirty"), "true")  # Word recomputes it when it opens the file
    run._r.append(el)


def _field_code(paragraph, code: str, look: _Look) -> None:
    run = paragraph.add_run()
    _set_fonts(run._r, look, hint=True)
    el = OxmlElement("w:instrText")
    el.set(qn("xml:space"), "preserve")
    el.text = code
    run._r.append(el)


@lru_cache(maxsize=64)
def _rpr_template(look: _Look, hint: bool):
    """The run properties of ``look``, built once; runs get a copy (python-docx's
    property setters are slow at thousands of table cells)."""
    run = OxmlElement("w:r")
    _set_fonts(run, look, hint=hint)
    return run.rPr


_RUN_BREAKS = re.compile(r"([\t\r\n])")
_XML_SPACE = qn("xml:space")


def _run(paragraph, text: str, look: _Look, *, bold: bool | None = None):
    """A run of ``text`` in ``look`` at the end of ``paragraph``: the same elements as
    python-docx's ``add_run(text)`` (a tab as ``w:tab``, a line break as ``w:br``, the rest
    as ``w:t``, white space kept), built directly: python-docx reads the text a character
    at a time in Python."""
    r = paragraph._p.add_r()
    r.append(copy.deepcopy(_rpr_template(look, True)))
    for part in _RUN_BREAKS.split(text) if text else ():
        if part == "\t":
            r.append(OxmlElement("w:tab"))
        elif part in ("\r", "\n"):
            r.append(OxmlElement("w:br"))
        elif part:
            t = OxmlElement("w:t")
            t.text = part
            if len(part.strip()) < len(part):
                t.set(_XML_SPACE, "preserve")
            r.append(t)
    run = Run(r, paragraph)
    if bold is not None and bold != look.bold:
        run.bold = bold
    return run


# -- styles -----------------------------------------------------------------------------------


def _paragraph_style(
    styles,
    name: str,
    look: _Look,
    *,
    align=WD_ALIGN_PARAGRAPH.LEFT,
    first_chars: int = 0,
    exact: Length | None = None,
    before: float = 0,
    after: float = 0,
    keep_with_next: bool = False,
    page_break_before: bool = False,
    create: bool = True,
):
    if create:
        style = styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        style.base_style = styles["Normal"]
        style.quick_style = True
    else:
        style = styles[name]
    _set_fonts(style.element, look)
    pf = style.paragraph_format
    pf.alignment = align
    _set_indent(style.element.get_or_add_pPr(), first_chars=first_chars, size=look.size)
    if exact is None:
        pf.line_spacing_rule = WD_LINE_SPACING.SINGLE
    else:
        pf.line_spacing = exact
        pf.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    pf.space_before = Pt(before)
    pf.space_after = Pt(after)
    pf.keep_with_next = keep_with_next
    pf.page_break_before = page_break_before
    return style


def _setup_styles(document) -> None:
    styles = document.styles
    root = styles.element

    # Document defaults: explicit fonts (no theme fonts), Chinese language, no spacing.
    defaults = root.find(qn("w:docDefaults"))
    rpr = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    rFonts = rpr.find(qn("w:rFonts"))
    rFonts.attrib.clear()
    for attr, value in (("ascii", LATIN), ("hAnsi", LATIN), ("eastAsia", FANGSONG), ("cs", LATIN)):
        rFonts.set(qn(f"w:{attr}"), value)
    for child in rpr.findall(qn("w:sz")) + rpr.findall(qn("w:szCs")):
        child.set(qn("w:val"), str(BODY_SIZE * 2))
    lang = rpr.find(qn("w:lang"))
    lang.set(qn("w:eastAsia"), "zh-CN")
    spacing = defaults.find(qn("w:pPrDefault")).find(qn("w:pPr")).find(qn("w:spacing"))
    spacing.attrib.clear()
    spacing.set(qn("w:after"), "0")
    spacing.set(qn("w:line"), "240")
    spacing.set(qn("w:lineRule"), "auto")

    # Normal = body text: 仿宋_GB2312 三号, 2-character first-line indent, fixed 28 pt.
    _paragraph_style(
        styles,
        "Normal",
        BODY,
        align=WD_ALIGN_PARAGRAPH.JUSTIFY,
        first_chars=2,
        exact=LINE,
        create=False,
    )

    heading = {
        1: (_Look(HEITI, HEITI, BODY_SIZE), WD_ALIGN_PARAGRAPH.CENTER, 0, True, 14),
        2: (_Look(HEITI, HEITI, BODY_SIZE), WD_ALIGN_PARAGRAPH.LEFT, 2, False, 0),
        3: (_Look(KAITI, KAITI, BODY_SIZE), WD_ALIGN_PARAGRAPH.LEFT, 2, False, 0),
    }
    for level, (look, align, first, page_break, after) in heading.items():
        style = _paragraph_style(
            styles,
            f"Heading {level}",
            look,
            align=align,
            first_chars=first,
            exact=LINE,
            after=after,
            keep_with_next=True,
            page_break_before=page_break,
            create=False,
        )
        # The linked character style would bring the theme colours back.
        for link in style.element.findall(qn("w:link")):
            style.element.remove(link)

    toc_heading = _paragraph_style(
        styles,
        "TOC Heading",
        _Look(HEITI, HEITI, BODY_SIZE),
        align=WD_ALIGN_PARAGRAPH.CENTER,
        exact=LINE,
        after=14,
        page_break_before=True,
        create=False,
    )
    toc_heading.base_style = styles["Normal"]
    for level, look, first in ((1, _Look(HEITI, LATIN, BODY_SIZE), 0), (2, BODY, 2)):
        style = _paragraph_style(styles, f"toc {level}", look, first_chars=first, exact=LINE)
        style.style_id = f"TOC{level}"  # Word's own id for the built-in style
        style.element.get_or_add_uiPriority().val = 39
        style.paragraph_format.tab_stops.add_tab_stop(
            PORTRAIT_TEXT_WIDTH, WD_TAB_ALIGNMENT.RIGHT, WD_TAB_LEADER.DOTS
        )

    _paragraph_style(
        styles,
        "Cover Title",
        _Look(XIAOBIAOSONG, XIAOBIAOSONG, 22),
        align=WD_ALIGN_PARAGRAPH.CENTER,
        exact=Pt(40),
        before=170,  # about a third down the text area
    )
    _paragraph_style(
        styles,
        "Cover Subtitle",
        _Look(KAITI, KAITI, BODY_SIZE),
        align=WD_ALIGN_PARAGRAPH.CENTER,
        exact=LINE,
        before=28,
    )
    _paragraph_style(
        styles, "Unit Line", SMALL, align=WD_ALIGN_PARAGRAPH.RIGHT, keep_with_next=True
    )
    _paragraph_style(styles, "Note", SMALL, align=WD_ALIGN_PARAGRAPH.JUSTIFY)
    _paragraph_style(
        styles, "Chart", SMALL, align=WD_ALIGN_PARAGRAPH.CENTER, before=6, keep_with_next=True
    )
    _paragraph_style(
        styles,
        "Caption",
        _Look(HEITI, HEITI, 12),
        align=WD_ALIGN_PARAGRAPH.CENTER,
        after=12,
        create=False,
    )
    _paragraph_style(
        styles,
        "Table Title",
        _Look(XIAOBIAOSONG, XIAOBIAOSONG, 16),
        align=WD_ALIGN_PARAGRAPH.CENTER,
        after=6,
        keep_with_next=True,
    )
    _paragraph_style(
        styles, "Table Unit", TABLE_UNIT, align=WD_ALIGN_PARAGRAPH.RIGHT, keep_with_next=True
    )
    # Table rows on the PDF's fixed pitch (13.5 pt lines; 1.5 pt cell margins above and
    # below, see CELL_MARGIN_V), so that a table breaks across pages as in the PDF.
    _paragraph_style(
        styles, "Table Header", TABLE_HEAD, align=WD_ALIGN_PARAGRAPH.CENTER, exact=TABLE_LINE
    )
    _paragraph_style(styles, "Table Text", TABLE_BODY, exact=TABLE_LINE)
    _paragraph_style(styles, "Table Note", TABLE_BODY, align=WD_ALIGN_PARAGRAPH.JUSTIFY, before=3)
    _paragraph_style(styles, "Footer", FOOTER, align=WD_ALIGN_PARAGRAPH.CENTER, create=False)
