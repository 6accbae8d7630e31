"""Rebuild the reduced CJK faces shipped in ``src/juesuan/data/fonts/``.

The faces are open-licensed (SIL OFL 1.1) fonts cut down to the characters Chinese
administrative documents use: GB 2312 (6,763 汉字 and its symbols), ASCII, the CJK and
full-width punctuation, and every character of the package's own text (profiles, tables,
templates, samples). A face of ~8,000 glyphs instead of ~65,000 makes the PDF writer's
per-document subsetting fast with or without the system's harfbuzz-subset library, and
the glyph set — hence the PDF bytes — no longer depends on what is installed. Characters
outside the set fall back to the full Noto Sans CJK of the ``noto-cjk-sans-otc`` package.

The Noto faces are converted from CFF (cubic) to TrueType (quadratic, ``glyf``) outlines,
within one font unit of the original curves: fontTools subsets ``glyf`` fonts several times
faster than CFF ones (it need not interpret and recompile charstrings), which is what the
PDF writer does for every document (``document/pdf_fonts.py``). Advance widths, and so the
line breaks and pages, are unchanged.

Sources (Debian packages ``fonts-noto-cjk`` and ``fonts-lxgw-wenkai``, and the PyPI package
``noto-cjk-sans-otc``)::

    apt-get install fonts-noto-cjk fonts-lxgw-wenkai
    python tools/reduce_fonts.py            # writes src/juesuan/data/fonts/*.ttf
    python tools/reduce_fonts.py --convert FILE.otf ...   # only convert reduced CFF faces

Needs fontTools (installed with WeasyPrint).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from fontTools.pens.cu2quPen import Cu2QuPen
from fontTools.pens.ttGlyphPen import TTGlyphPen
from fontTools.subset import Options, Subsetter
from fontTools.ttLib import TTCollection, TTFont, newTable

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "src" / "juesuan" / "data" / "fonts"
NOTO = Path("/usr/share/fonts/opentype/noto")
WENKAI = Path("/usr/share/fonts/truetype/lxgw-wenkai")

# (output file, source file, face name inside a collection or None)
# (output file, new family name, weight, source file, face name inside a collection or None).
# Renamed: a modified OFL font must not use the original's reserved names, and a distinct name
# keeps the reduced face from being confused with a full installed one.
FACES = (
    (
        "JuesuanSerif-Regular.ttf",
        "Juesuan Serif",
        "Regular",
        NOTO / "NotoSerifCJK-Regular.ttc",
        "Noto Serif CJK SC",
    ),
    (
        "JuesuanSerif-Bold.ttf",
        "Juesuan Serif",
        "Bold",
        NOTO / "NotoSerifCJK-Bold.ttc",
        "Noto Serif CJK SC",
    ),
    (
        "JuesuanSans-Regular.ttf",
        "Juesuan Sans",
        "Regular",
        NOTO / "NotoSansCJK-Regular.ttc",
        "Noto Sans CJK SC",
    ),
    ("JuesuanKai-Regular.ttf", "Juesuan Kai", "Regular", WENKAI / "LXGWWenKai-Regular.ttf", None),
)
# Horizontal Chinese text needs no substitution features; keeping them would pull in the
# Japanese/Korean/Traditional variants (locl) and vertical forms, doubling the size.
FEATURES = ["kern", "palt", "halt"]


def charset() -> str:
    chars: set[str] = set()
    for hi in range(0xA1, 0xF8):
        for lo in range(0xA1, 0xFF):
            try:
                chars.add(bytes((hi, lo)).decode("gb2312"))
            except UnicodeDecodeError:
                pass
    ranges = (
        (0x20, 0x7E),  # ASCII
        (0xA0, 0xFF),  # Latin-1 (·, ×, ÷, °)
        (0x2000, 0x206F),  # general punctuation (— … ‰ ※)
        (0x2100, 0x218F),  # letterlike, number forms (℃ Ⅰ Ⅱ)
        (0x2190, 0x21FF),  # arrows
        (0x2460, 0x24FF),  # enclosed alphanumerics (① ⑴ ⒈)
        (0x2500, 0x257F),  # box drawing
        (0x25A0, 0x25FF),  # geometric shapes (□ ○ ●)
        (0x3000, 0x303F),  # CJK symbols and punctuation
        (0x3200, 0x32FF),  # enclosed CJK (㈠)
        (0xFE30, 0xFE4F),  # CJK compatibility forms
        (0xFF00, 0xFFEF),  # full-width forms
    )
    for lo, hi in ranges:
        chars.update(chr(c) for c in range(lo, hi + 1))
    src = ROOT / "src" / "juesuan"
    for path in src.rglob("*"):
        if path.suffix in {".py", ".yaml", ".yml", ".j2", ".md", ".txt", ".json"}:
            chars.update(path.read_text(encoding="utf-8", errors="ignore"))
    return "".join(sorted(c for c in chars if c.isprintable() or c == "\u3000"))


def open_face(path: Path, name: str | None) -> TTFont:
    if name is None:
        return TTFont(path, lazy=False)
    for font in TTCollection(path).fonts:
        if font["name"].getDebugName(1) == name:
            return font
    raise SystemExit(f"{name} not in {path}")


def rename(font: TTFont, family: str, weight: str) -> None:
    names = font["name"]
    ps = f"{family.replace(' ', '')}-{weight}"
    for rec in list(names.names):
        if rec.nameID in (1, 2, 3, 4, 6, 16, 17):
            names.removeNames(nameID=rec.nameID)
    for name_id, value in (
        (1, family),
        (2, weight),
        (3, f"{ps};{font['head'].fontRevision:.3f}"),
        (4, f"{family} {weight}"),
        (6, ps),
    ):
        names.setName(value, name_id, 3, 1, 0x409)
    if "CFF " in font:
        cff = font["CFF "].cff
        cff.fontNames = [ps]
        top = cff.topDictIndex[0]
        for key in ("FullName", "FamilyName"):
            if hasattr(top, key):
                setattr(top, key, family)


def to_truetype(font: TTFont, max_err: float = 1.0) -> None:
    """Replace the CFF outlines of ``font`` by TrueType ones (cubic curves approximated by
    quadratic ones within ``max_err`` font units; fontTools' otf2ttf recipe)."""
    if "CFF " not in font:
        return
    order = font.getGlyphOrder()
    glyph_set = font.getGlyphSet()
    glyphs = {}
    for name in order:
        pen = TTGlyphPen(glyph_set)
        glyph_set[name].draw(Cu2QuPen(pen, max_err, reverse_direction=True))
        glyphs[name] = pen.glyph()
    font["loca"] = newTable("loca")
    font["glyf"] = glyf = newTable("glyf")
    glyf.glyphOrder = order
    glyf.glyphs = glyphs
    del font["CFF "]
    if "VORG" in font:
        del font["VORG"]
    glyf.compile(font)
    hmtx = font["hmtx"]
    for name, glyph in glyf.glyphs.items():
        if hasattr(glyph, "xMin"):
            hmtx[name] = (hmtx[name][0], glyph.xMin)
    font["maxp"] = maxp = newTable("maxp")
    maxp.tableVersion = 0x00010000
    for field in (
        "maxZones",
        "maxTwilightPoints",
        "maxStorage",
        "maxFunctionDefs",
        "maxInstructionDefs",
        "maxStackElements",
        "maxSizeOfInstructions",
    ):
        setattr(maxp, field, 1 if field == "maxZones" else 0)
    maxp.maxComponentElements = max(
        (len(getattr(g, "components", ())) for g in glyphs.values()), default=0
    )
    maxp.compile(font)
    post = font["post"]
    post.formatType = 3.0  # no glyph names (as the reduced CFF faces: glyph_names=False)
    font.sfntVersion = "\x00\x01\x00\x00"


def convert(paths: list[Path]) -> None:
    """Convert reduced CFF faces (``.otf``) to TrueType files (``.ttf``) beside them."""
    for path in paths:
        font = TTFont(path, lazy=False, recalcTimestamp=False)
        to_truetype(font)
        target = path.with_suffix(".ttf")
        font.save(target, reorderTables=True)
        print(f"{target.name}: {target.stat().st_size / 1e6:.2f} MB", file=sys.stderr)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", type=Path, default=OUT)
    parser.add_argument("--convert", type=Path, nargs="+", help="only convert these CFF faces")
    args = parser.parse_args()
    if args.convert:
        convert(args.convert)
        return
    text = charset()
    print(f"{len(text)} characters", file=sys.stderr)
    args.out.mkdir(parents=True, exist_ok=True)
    for out, family, weight, source, face in FACES:
        font = open_face(source, face)
        options = Options()
        options.layout_features = FEATURES
        options.name_IDs = [0, 1, 2, 3, 4, 5, 6, 13, 14]
        options.name_languages = [0x409]
        options.hinting = False
        options.desubroutinize = False
        options.notdef_outline = True
        options.glyph_names = False
        subsetter = Subsetter(options)
        subsetter.populate(text=text)
        subsetter.subset(font)
        rename(font, family, weight)
        to_truetype(font)
        # Reproducible bytes: fixed timestamps.
        font["head"].modified = font["head"].created
        target = args.out / out
        font.save(target, reorderTables=True)
        print(f"{target.name}: {target.stat().st_size / 1e6:.2f} MB", file=sys.stderr)


if __name__ == "__main__":
    main()
