"""Rebuild the reduced CJK faces shipped in ``src/juesuan/data/fonts/``.

The faces are open-licensed (SIL OFL 1.1) fonts cut down to the characters Chinese
administrative documents use: GB 2312 (6,763 汉字 and its symbols), ASCII, the CJK and
full-width punctuation, and every character of the package's own text (profiles, tables,
templates, samples). A face of ~8,000 glyphs instead of ~65,000 makes the PDF writer's
per-document subsetting fast with or without the system's harfbuzz-subset library, and
the glyph set — hence the PDF bytes — no longer depends on what is installed. Characters
outside the set fall back to the full Noto Sans CJK of the ``noto-cjk-sans-otc`` package.

Sources (Debian packages ``fonts-noto-cjk`` and ``fonts-lxgw-wenkai``, and the PyPI package
``noto-cjk-sans-otc``)::

    apt-get install fonts-noto-cjk fonts-lxgw-wenkai
    python tools/reduce_fonts.py            # writes src/juesuan/data/fonts/*.otf|ttf

Needs fontTools (installed with WeasyPrint).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from fontTools.subset import Options, Subsetter
from fontTools.ttLib import TTCollection, TTFont

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
        "JuesuanSerif-Regular.otf",
        "Juesuan Serif",
        "Regular",
        NOTO / "NotoSerifCJK-Regular.ttc",
        "Noto Serif CJK SC",
    ),
    (
        "JuesuanSerif-Bold.otf",
        "Juesuan Serif",
        "Bold",
        NOTO / "NotoSerifCJK-Bold.ttc",
        "Noto Serif CJK SC",
    ),
    (
        "JuesuanSans-Regular.otf",
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


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args()
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
        # Reproducible bytes: fixed timestamps.
        font["head"].modified = font["head"].created
        target = args.out / out
        font.save(target, reorderTables=True)
        print(f"{target.name}: {target.stat().st_size / 1e6:.2f} MB", file=sys.stderr)


if __name__ == "__main__":
    main()
