"""Fonts, page geometry and character looks of the DOCX writer (official document style,
党政机关公文格式). Plain values: the writer needs no python-docx to use them; the paragraph
styles themselves are in the template parts (see :mod:`juesuan.document.docx_template`)."""

from __future__ import annotations

from dataclasses import dataclass

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
FONT_TABLE = (
    (FANGSONG, "仿宋", "02010609030101010101", "modern", "fixed"),
    (KAITI, "楷体", "02010609030101010101", "modern", "fixed"),
    (XIAOBIAOSONG, SONGTI, "02000000000000000000", "roman", "variable"),
    (HEITI, "SimHei", "02010609060101010101", "modern", "fixed"),
    (SONGTI, "SimSun", "02010600030101010101", "auto", "variable"),
)
# Unicode ranges (CJK ideographs, punctuation, full-width forms) and code page GB 2312.
FONT_SIG = (
    'w:usb0="00000003" w:usb1="288F0000" w:usb2="00000016" w:usb3="00000000" '
    'w:csb0="00040001" w:csb1="00000000"'
)

# -- page geometry (EMU, as python-docx's Cm; twips where the XML takes twips) ---------------

EMU_PER_TWIP = 635


def cm(value: float) -> int:
    """``value`` centimetres in EMU (as python-docx's ``Cm``)."""
    return int(value * 360000)


def twips(emu: int) -> int:
    """``emu`` in twips (as python-docx's ``Length.twips``)."""
    return round(emu / float(EMU_PER_TWIP))


A4_WIDTH, A4_HEIGHT = cm(21.0), cm(29.7)
MARGIN_TOP, MARGIN_BOTTOM, MARGIN_LEFT, MARGIN_RIGHT = cm(3.7), cm(3.5), cm(2.8), cm(2.6)
# Landscape pages (wide tables): the portrait margins turned with the paper.
L_MARGIN_TOP, L_MARGIN_BOTTOM, L_MARGIN_LEFT, L_MARGIN_RIGHT = cm(2.8), cm(2.6), cm(3.7), cm(3.5)
PORTRAIT_TEXT_WIDTH = A4_WIDTH - MARGIN_LEFT - MARGIN_RIGHT
LANDSCAPE_TEXT_WIDTH = A4_HEIGHT - L_MARGIN_LEFT - L_MARGIN_RIGHT
HEADER_DISTANCE = cm(1.5)
FOOTER_DISTANCE = cm(2.5)  # "— N —" about 7 mm below the text area
L_FOOTER_DISTANCE = cm(1.5)
CELL_MARGIN = 57  # twips, 0.1 cm
# Row pitch of the tables, as the print style sheet sets it (points): line height and the
# cell margin above and below, normally and at the two tightness steps the PDF writer uses
# for a table that would otherwise end on a near-empty page (pdf.predicted_tight).
TABLE_LINE = 13.5
TABLE_PITCH = {0: (13.5, 1.5), 1: (11.5, 0.5), 2: (10.5, 0.0)}
LANDSCAPE_COLUMNS = 7  # tables with more columns than this go on landscape pages

CHART_WIDTH = cm(15)
BODY_SIZE = 16  # 三号
LINE = 28  # points: the body's fixed line
TOC_TITLE = "目  录"
TOC_INSTR = ' TOC \\o "1-2" \\h \\z \\u '


@dataclass(frozen=True)
class Look:
    """Character look of a style or run: East Asian font, Latin font, size, weight."""

    east: str
    latin: str
    size: float
    bold: bool = False


BODY = Look(FANGSONG, LATIN, BODY_SIZE)
SMALL = Look(FANGSONG, LATIN, 12)
TABLE_HEAD = Look(SONGTI, LATIN, 10.5, bold=True)
TABLE_BODY = Look(SONGTI, LATIN, 10)
TABLE_UNIT = Look(SONGTI, LATIN, 10.5)
FOOTER = Look(SONGTI, LATIN, 14)  # 四号 page numbers
