"""The parts of a DOCX that are the same for every document — the paragraph styles (公文
scheme), settings, font table (with the east-Asian fallbacks), numbering, theme — generated
once from python-docx's default template and kept in ``juesuan/data/docx/``, where the
writer (:mod:`juesuan.document.docx`) reads them without importing python-docx.

After changing a style here, regenerate the parts:  ``python -m juesuan.document.docx_template``
(tests/document/test_docx_template.py fails while the kept parts differ from these
definitions).
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Sequence
from pathlib import Path

from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING, WD_TAB_ALIGNMENT, WD_TAB_LEADER
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Emu, Length, Pt, RGBColor

from juesuan.document.docx_style import (
    BODY,
    BODY_SIZE,
    FANGSONG,
    FONT_SIG,
    FONT_TABLE,
    FOOTER,
    HEITI,
    KAITI,
    LATIN,
    PORTRAIT_TEXT_WIDTH,
    SMALL,
    TABLE_BODY,
    TABLE_HEAD,
    TABLE_LINE,
    TABLE_UNIT,
    XIAOBIAOSONG,
)
from juesuan.document.docx_style import LINE as LINE_PT
from juesuan.document.docx_style import Look as _Look

LINE = Pt(LINE_PT)
_STYLES_WITH_EFFECTS = "http://schemas.microsoft.com/office/2007/relationships/stylesWithEffects"
# Schema order: the elements that follow w:updateFields in w:settings.
_AFTER_UPDATEFIELDS = (
    *("w:hdrShapeDefaults", "w:footnotePr", "w:endnotePr", "w:compat", "w:docVars"),
    *("w:rsids", "m:mathPr", "w:attachedSchema", "w:themeFontLang", "w:clrSchemeMapping"),
    *("w:doNotIncludeSubdocsInStats", "w:doNotAutoCompressPictures", "w:forceUpgrade"),
    *("w:captions", "w:readModeInkLockDown", "w:smartTagType", "sl:schemaLibrary"),
    *("w:shapeDefaults", "w:doNotEmbedSmartTags", "w:decimalSymbol", "w:listSeparator"),
)
DATA = Path(__file__).resolve().parent.parent / "data" / "docx"
# The parts each document writes itself (its text, properties, relationships, pictures).
_PER_DOCUMENT = (
    "[Content_Types].xml",
    "word/document.xml",
    "word/_rels/document.xml.rels",
    "docProps/core.xml",
    "_rels/.rels",  # (a file named .rels would not be packaged: written by docx_package)
)


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
            Emu(PORTRAIT_TEXT_WIDTH), WD_TAB_ALIGNMENT.RIGHT, WD_TAB_LEADER.DOTS
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
        styles, "Table Header", TABLE_HEAD, align=WD_ALIGN_PARAGRAPH.CENTER, exact=Pt(TABLE_LINE)
    )
    _paragraph_style(styles, "Table Text", TABLE_BODY, exact=Pt(TABLE_LINE))
    _paragraph_style(styles, "Table Note", TABLE_BODY, align=WD_ALIGN_PARAGRAPH.JUSTIFY, before=3)
    _paragraph_style(styles, "Footer", FOOTER, align=WD_ALIGN_PARAGRAPH.CENTER, create=False)


def _font_entries() -> bytes:
    parts = []
    for name, alt, panose, family, pitch in FONT_TABLE:
        parts.append(
            f'<w:font w:name="{name}"><w:altName w:val="{alt}"/>'
            f'<w:panose1 w:val="{panose}"/><w:charset w:val="86"/>'
            f'<w:family w:val="{family}"/><w:pitch w:val="{pitch}"/><w:sig {FONT_SIG}/></w:font>'
        )
    return "".join(parts).encode("utf-8")


def template_parts() -> dict[str, bytes]:
    """The parts every document shares (zip member name -> bytes), from python-docx's
    default template with the styles and settings of the official document style."""
    import docx

    d = docx.Document()
    _setup_styles(d)
    # Parts of the template that would contradict the document: Word 2010 would take its
    # styles from stylesWithEffects.xml; the thumbnail shows an empty page.
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
    d.core_properties.title = ""  # (a part written per document)
    out = io.BytesIO()
    d.save(out)
    with zipfile.ZipFile(out) as z:
        parts = {n: z.read(n) for n in z.namelist() if n not in _PER_DOCUMENT}
    font_table = parts["word/fontTable.xml"]
    parts["word/fontTable.xml"] = font_table.replace(b"</w:fonts>", _font_entries() + b"</w:fonts>")
    return parts


def main() -> None:
    for name, payload in template_parts().items():
        path = DATA / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(payload)
        print(path)


if __name__ == "__main__":
    main()
