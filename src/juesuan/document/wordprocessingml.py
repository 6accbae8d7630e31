"""WordprocessingML elements as XML text: run properties, runs, fields, section properties,
inline pictures and the roots of the story parts.

The DOCX writer builds its parts as text. Every piece is written exactly as python-docx
1.2 and lxml wrote the same elements (attribute order, empty elements, escaping), so the
documents are byte for byte those of the former python-docx writer."""

from __future__ import annotations

import re
from functools import lru_cache

from juesuan.document.docx_style import (
    A4_HEIGHT,
    A4_WIDTH,
    FOOTER_DISTANCE,
    HEADER_DISTANCE,
    L_FOOTER_DISTANCE,
    L_MARGIN_BOTTOM,
    L_MARGIN_LEFT,
    L_MARGIN_RIGHT,
    L_MARGIN_TOP,
    MARGIN_BOTTOM,
    MARGIN_LEFT,
    MARGIN_RIGHT,
    MARGIN_TOP,
    Look,
    twips,
)
from juesuan.document.xml_escape import attribute_value, element_text

XML_DECLARATION = "<?xml version='1.0' encoding='UTF-8' standalone='yes'?>\n"
_NS = {
    "wpc": "http://schemas.microsoft.com/office/word/2010/wordprocessingCanvas",
    "mo": "http://schemas.microsoft.com/office/mac/office/2008/main",
    "mc": "http://schemas.openxmlformats.org/markup-compatibility/2006",
    "mv": "urn:schemas-microsoft-com:mac:vml",
    "o": "urn:schemas-microsoft-com:office:office",
    "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
    "m": "http://schemas.openxmlformats.org/officeDocument/2006/math",
    "v": "urn:schemas-microsoft-com:vml",
    "wp14": "http://schemas.microsoft.com/office/word/2010/wordprocessingDrawing",
    "wp": "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing",
    "w10": "urn:schemas-microsoft-com:office:word",
    "w": "http://schemas.openxmlformats.org/wordprocessingml/2006/main",
    "w14": "http://schemas.microsoft.com/office/word/2010/wordml",
    "wpg": "http://schemas.microsoft.com/office/word/2010/wordprocessingGroup",
    "wpi": "http://schemas.microsoft.com/office/word/2010/wordprocessingInk",
    "wne": "http://schemas.microsoft.com/office/word/2006/wordml",
    "wps": "http://schemas.microsoft.com/office/word/2010/wordprocessingShape",
}
W_NS = _NS["w"]


def _root(tag: str, prefixes: str) -> str:
    decls = " ".join(f'xmlns:{p}="{_NS[p]}"' for p in prefixes.split())
    return f'{XML_DECLARATION}<{tag} {decls} mc:Ignorable="w14 wp14">'


# The roots as python-docx's templates declare them (document.xml of its default template,
# default-header.xml and default-footer.xml).
DOCUMENT_START = (
    _root("w:document", "wpc mo mc mv o r m v wp14 wp w10 w w14 wpg wpi wne wps") + "<w:body>"
)
_STORY = "m mc mo mv o r v w10 w14 w wne wp14 wp wpc wpg wpi wps"
HEADER_START = _root("w:hdr", _STORY)
FOOTER_START = _root("w:ftr", _STORY)

# Characters an XML 1.0 document cannot hold (lxml refuses them, too).
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_NOT_XML_MESSAGE = (
    "All strings must be XML compatible: Unicode or ASCII, no NULL bytes or control characters"
)


def xml_text(text: str) -> str:
    """``text`` escaped as element text; refused, as lxml does, if XML cannot hold it."""
    if _NOT_XML.search(text):
        raise ValueError(_NOT_XML_MESSAGE)
    return element_text(text)


def xml_attribute(text: str) -> str:
    """``text`` escaped as an attribute value; refused if XML cannot hold it."""
    if _NOT_XML.search(text):
        raise ValueError(_NOT_XML_MESSAGE)
    return attribute_value(text)


def text_element(text: str) -> str:
    """``w:t`` holding ``text``, white space kept where it would otherwise be dropped."""
    space = ' xml:space="preserve"' if text != text.strip() else ""
    return f"<w:t{space}>{xml_text(text)}</w:t>"


@lru_cache(maxsize=64)
def rpr(look: Look, hint: bool = True) -> str:
    """The run properties of ``look``: explicit Latin and East Asian fonts (no theme
    fonts), weight, no italics, black, size in half points; ``hint`` makes ambiguous
    characters (quotes, dashes) take the East Asian font."""
    fonts = (
        f'<w:rFonts w:ascii="{look.latin}" w:hAnsi="{look.latin}" w:eastAsia="{look.east}" '
        f'w:cs="{look.latin}"' + (' w:hint="eastAsia"/>' if hint else "/>")
    )
    bold = "<w:b/>" if look.bold else '<w:b w:val="0"/>'
    size = int(int(look.size * 12700) / 12700.0 * 2)  # python-docx's Pt, in half points
    return (
        f'<w:rPr>{fonts}{bold}<w:i w:val="0"/><w:color w:val="000000"/>'
        f'<w:sz w:val="{size}"/></w:rPr>'
    )


_RUN_BREAKS = re.compile(r"([\t\r\n])")


def run(text: str, look: Look, tail: str = "") -> str:
    """A run of ``text`` in ``look``: a tab as ``w:tab``, a line break as ``w:br``, the rest
    as ``w:t``; ``tail`` (XML) ends the run."""
    out = ["<w:r>", rpr(look)]
    for part in _RUN_BREAKS.split(text) if text else ():
        if part == "\t":
            out.append("<w:tab/>")
        elif part in ("\r", "\n"):
            out.append("<w:br/>")
        elif part:
            out.append(text_element(part))
    out.append(tail)
    out.append("</w:r>")
    return "".join(out)


def field_char(kind: str, look: Look, *, dirty: bool = False) -> str:
    """One part of a complex field: ``begin``, ``separate`` or ``end``; a ``dirty`` field
    is recomputed by Word when it opens the file."""
    flag = ' w:dirty="true"' if dirty else ""
    return f'<w:r>{rpr(look)}<w:fldChar w:fldCharType="{kind}"{flag}/></w:r>'


def field_code(code: str, look: Look) -> str:
    return f'<w:r>{rpr(look)}<w:instrText xml:space="preserve">{xml_text(code)}</w:instrText></w:r>'


def section(
    *,
    landscape: bool,
    title_page: bool = False,
    page_start: int | None = None,
    references: str = "",
    attributes: str = "",
) -> str:
    """``w:sectPr`` of an A4 section: ``references`` (header/footer references), portrait
    or landscape page and margins, page numbering restarting at ``page_start``, a distinct
    first page."""
    if landscape:
        size = f'<w:pgSz w:w="{twips(A4_HEIGHT)}" w:h="{twips(A4_WIDTH)}" w:orient="landscape"/>'
        margins = (L_MARGIN_TOP, L_MARGIN_RIGHT, L_MARGIN_BOTTOM, L_MARGIN_LEFT, L_FOOTER_DISTANCE)
    else:
        size = f'<w:pgSz w:w="{twips(A4_WIDTH)}" w:h="{twips(A4_HEIGHT)}"/>'
        margins = (MARGIN_TOP, MARGIN_RIGHT, MARGIN_BOTTOM, MARGIN_LEFT, FOOTER_DISTANCE)
    top, right, bottom, left, footer = (twips(m) for m in margins)
    return "".join(
        (
            f"<w:sectPr{attributes}>{references}{size}",
            f'<w:pgMar w:top="{top}" w:right="{right}" w:bottom="{bottom}" w:left="{left}" ',
            f'w:header="{twips(HEADER_DISTANCE)}" w:footer="{footer}" w:gutter="0"/>',
            "" if page_start is None else f'<w:pgNumType w:start="{page_start}"/>',
            '<w:cols w:space="720"/>',
            "<w:titlePg/>" if title_page else "",
            '<w:docGrid w:linePitch="360"/></w:sectPr>',
        )
    )


def inline_picture(shape_id: int, name: str, descr: str, rid: str, cx: int, cy: int) -> str:
    """``w:drawing`` of an inline picture (``rid`` names the image part) ``cx`` × ``cy`` EMU."""
    return (
        '<w:drawing><wp:inline xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
        'xmlns:pic="http://schemas.openxmlformats.org/drawingml/2006/picture">'
        f'<wp:extent cx="{cx}" cy="{cy}"/>'
        f'<wp:docPr id="{shape_id}" name="{xml_attribute(name)}" descr="{xml_attribute(descr)}"/>'
        '<wp:cNvGraphicFramePr><a:graphicFrameLocks noChangeAspect="1"/></wp:cNvGraphicFramePr>'
        '<a:graphic><a:graphicData uri="http://schemas.openxmlformats.org/drawingml/2006/picture">'
        '<pic:pic><pic:nvPicPr><pic:cNvPr id="0" name="image.png"/><pic:cNvPicPr/></pic:nvPicPr>'
        f'<pic:blipFill><a:blip r:embed="{rid}"/><a:stretch><a:fillRect/></a:stretch>'
        '</pic:blipFill><pic:spPr><a:xfrm><a:off x="0" y="0"/>'
        f'<a:ext cx="{cx}" cy="{cy}"/></a:xfrm><a:prstGeom prst="rect"/></pic:spPr></pic:pic>'
        "</a:graphicData></a:graphic></wp:inline></w:drawing>"
    )
