"""The open-licensed faces of the printed (PDF) document and how the 公文 roles map to them.

Office documents name 方正小标宋 (title), 黑体, 楷体_GB2312, 仿宋_GB2312 and 宋体; none is free
to ship. The PDF uses open faces (SIL OFL 1.1) bundled with the package in ``data/fonts``,
each reduced to the characters Chinese administrative documents use (GB 2312, the CJK and
full-width punctuation, ASCII; ``tools/reduce_fonts.py`` rebuilds them):

=========  ==========================================  ==============================
role       bundled face                                 source
=========  ==========================================  ==============================
小标宋     Juesuan Serif Bold                           Noto Serif CJK SC Bold
黑体       Juesuan Sans                                 Noto Sans CJK SC Regular
楷体       Juesuan Kai                                  LXGW WenKai Regular
仿宋       Juesuan Serif (no open 仿宋 is packaged)     Noto Serif CJK SC Regular
宋体       Juesuan Serif Regular / Bold                 Noto Serif CJK SC
=========  ==========================================  ==============================

Every role falls back to the full Noto Sans CJK collection of the ``noto-cjk-sans-otc``
package for a character outside the reduced set (a rare character in a name). The reduced
faces keep PDF subsetting cheap and make the embedded glyph set — and so the PDF bytes —
independent of the fonts installed on the machine. The Noto faces have TrueType outlines
(converted from CFF by ``tools/reduce_fonts.py``), which fontTools subsets several times
faster; ``pdf_fonts.py`` decides who subsets them for a document.
"""

from __future__ import annotations

from pathlib import Path

FONT_DIR = Path(__file__).resolve().parents[1] / "data" / "fonts"

SERIF_REGULAR = FONT_DIR / "JuesuanSerif-Regular.ttf"
SERIF_BOLD = FONT_DIR / "JuesuanSerif-Bold.ttf"
SANS_REGULAR = FONT_DIR / "JuesuanSans-Regular.ttf"
KAI_REGULAR = FONT_DIR / "JuesuanKai-Regular.ttf"

# CSS family -> ((file, weight), ...): the names the print style sheet uses. Roles that share
# a face share the family (宋/仿宋 -> JS Serif, 小标宋 -> JS Serif bold), so that the PDF
# writer subsets each font file once.
FACES: dict[str, tuple[tuple[Path, str], ...]] = {
    "JS Serif": ((SERIF_REGULAR, "normal"), (SERIF_BOLD, "bold")),
    "JS Hei": ((SANS_REGULAR, "normal"),),
    "JS Kai": ((KAI_REGULAR, "normal"),),
}


def full_cjk_font() -> Path:
    """The complete Noto Sans CJK collection (fallback for characters outside the reduced set)."""
    import noto_cjk_sans_otc

    return Path(noto_cjk_sans_otc.FONT_PATH)
