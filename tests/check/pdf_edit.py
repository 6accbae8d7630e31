"""Edit one printed number inside an existing PDF without re-rendering it.

Mutation tests (and ``bench/bench_check.py``) change "one stated number at a time" in a PDF
that juesuan built with WeasyPrint. :func:`replace_on_page` finds the n-th place on a page
where the text shows ``old`` and rewrites the glyph codes of the text-showing operators
(``Tj``, ``TJ``, ``'``, ``"``) so that the page shows ``new`` there instead.

How WeasyPrint writes text: one ``BT``/``ET`` block per page with a ``Tm`` and a ``TJ`` per run
of text; fonts are subset Type0/CIDFontType0 fonts with ``Identity-H`` encoding (2-byte codes,
code = CID) and a ``/ToUnicode`` CMap made of ``bfchar`` entries. Numbers are usually a run of
their own, one glyph per ``TJ`` string element with ``0`` kerning between them; a unit or a
``%`` that follows is the next run, placed by a ``Tm`` exactly where the number ends. Text is
drawn in the page content, never in Form XObjects, so those are not searched.

Matching works on the text decoded through each font's ``/ToUnicode`` CMap. Consecutive runs in
one ``BT`` block are joined when the next run starts where the previous one ended (same text
matrix orientation, end point computed from the font widths), so ``"80.57%"`` is found even
though the ``%`` is a separate ``TJ``; runs that do not touch are kept apart.

Limitations: glyph widths are not adjusted (a replacement of a different width may overlap or
leave a gap); a character of ``new`` must already exist in the (subset) font, which for
a font with several codes for one character (e.g. proportional and tabular figures) picks the
code numerically closest to the replaced ones; ``new`` longer than ``old`` puts the extra
glyphs in the last replaced glyph's string, shorter leaves the trailing old glyphs empty.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import pikepdf

__all__ = ["replace_on_page"]

_TOKEN = re.compile(rb"<[0-9A-Fa-f\s]*>|\[|\]|/[^\s/<>\[\]()]+|[^\s<>\[\]/()]+")
_SHOW = {"Tj", "TJ", "'", '"'}
_TOLERANCE = 0.05  # text-space units (after Tm), far below any real gap between runs


def _hex(token: bytes) -> bytes:
    return bytes.fromhex(re.sub(rb"\s", b"", token[1:-1]).decode())


def _utf16(data: bytes) -> str:
    from juesuan.check.read.reader import unify  # the text as the checker reads it

    return unify(data.decode("utf-16-be", errors="replace"))


class _Font:
    """Code lengths, code -> unicode and code -> width of one font resource."""

    def __init__(self, font: pikepdf.Object) -> None:
        self.composite = font.get("/Subtype") == "/Type0"
        self.ranges: list[tuple[int, int, int]] = []  # (byte length, low, high)
        self.to_unicode: dict[bytes, str] = {}
        self.widths: dict[int, float] = {}
        self.default_width = 0.0
        self.identity = True
        if "/ToUnicode" in font:
            self._read_cmap(font.ToUnicode.read_bytes())
        if not self.ranges:
            n = 2 if self.composite else 1
            self.ranges = [(n, 0, 256**n - 1)]
        self._read_widths(font)
        self.from_unicode: dict[str, list[bytes]] = {}
        for code, text in sorted(self.to_unicode.items()):
            self.from_unicode.setdefault(text, []).append(code)

    def _read_cmap(self, data: bytes) -> None:
        tokens = _TOKEN.findall(data)
        i = 0
        while i < len(tokens):
            word = tokens[i]
            if word == b"begincodespacerange":
                i += 1
                while tokens[i] != b"endcodespacerange":
                    low, high = _hex(tokens[i]), _hex(tokens[i + 1])
                    self.ranges.append(
                        (len(low), int.from_bytes(low, "big"), int.from_bytes(high, "big"))
                    )
                    i += 2
            elif word == b"beginbfchar":
                i += 1
                while tokens[i] != b"endbfchar":
                    if tokens[i + 1].startswith(b"<"):
                        self.to_unicode[_hex(tokens[i])] = _utf16(_hex(tokens[i + 1]))
                    i += 2
            elif word == b"beginbfrange":
                i += 1
                while tokens[i] != b"endbfrange":
                    low, high = _hex(tokens[i]), _hex(tokens[i + 1])
                    n, start = len(low), int.from_bytes(low, "big")
                    count = int.from_bytes(high, "big") - start + 1
                    i += 2
                    if tokens[i] == b"[":
                        i += 1
                        k = 0
                        while tokens[i] != b"]":
                            code = (start + k).to_bytes(n, "big")
                            self.to_unicode[code] = _utf16(_hex(tokens[i]))
                            i += 1
                            k += 1
                        i += 1
                    else:
                        dst = _hex(tokens[i])
                        base = int.from_bytes(dst, "big")
                        for k in range(count):
                            code = (start + k).to_bytes(n, "big")
                            self.to_unicode[code] = _utf16((base + k).to_bytes(len(dst), "big"))
                        i += 1
            else:
                i += 1
        self.ranges.sort()

    def _read_widths(self, font: pikepdf.Object) -> None:
        if self.composite:
            self.identity = str(font.get("/Encoding", "")) in ("/Identity-H", "/Identity-V")
            cid_font = font.DescendantFonts[0]
            self.default_width = float(cid_font.get("/DW", 1000))
            w = list(cid_font.get("/W", []))
            i = 0
            while i + 1 < len(w):
                first = int(w[i])
                if isinstance(w[i + 1], pikepdf.Array):
                    for k, width in enumerate(w[i + 1]):
                        self.widths[first + k] = float(width)
                    i += 2
                else:
                    for cid in range(first, int(w[i + 1]) + 1):
                        self.widths[cid] = float(w[i + 2])
                    i += 3
        else:
            first = int(font.get("/FirstChar", 0))
            for k, width in enumerate(font.get("/Widths", [])):
                self.widths[first + k] = float(width)
            descriptor = font.get("/FontDescriptor")
            if descriptor is not None:
                self.default_width = float(descriptor.get("/MissingWidth", 0))

    def split(self, data: bytes) -> list[bytes]:
        """The codes of a shown string."""
        codes, i = [], 0
        while i < len(data):
            for n, low, high in self.ranges:
                if i + n <= len(data) and low <= int.from_bytes(data[i : i + n], "big") <= high:
                    break
            else:
                n = self.ranges[0][0]
            codes.append(data[i : i + n])
            i += n
        return codes

    def width(self, code: bytes) -> float:
        """Glyph width in thousandths of the font size."""
        if self.composite and not self.identity:
            return self.default_width
        return self.widths.get(int.from_bytes(code, "big"), self.default_width)

    def encode(self, char: str, near: list[int]) -> bytes | None:
        """The code for ``char``; of several, the one closest to the codes in ``near``."""
        codes = self.from_unicode.get(char)
        if not codes:
            return None
        return min(
            codes,
            key=lambda c: min(abs(int.from_bytes(c, "big") - n) for n in near) if near else 0,
        )


@dataclass
class _Glyph:
    op: int  # index of the operator in the content stream
    elem: int  # index in the TJ array; -1 for Tj, ' and "
    pos: int  # index of the code in the string
    code: bytes
    text: str
    font: _Font


@dataclass
class _Run:
    glyphs: list[_Glyph] = field(default_factory=list)


def _string_operand(operator: str) -> int:
    return 2 if operator == '"' else 0


def _next_line(line: list[float], tx: float, ty: float) -> list[float]:
    a, b, c, d, e, f = line
    return [a, b, c, d, e + tx * a + ty * c, f + tx * b + ty * d]


def _runs(ops: list, fonts: dict[str, _Font]) -> list[_Run]:
    """Group the glyphs shown on a page into runs of touching text."""
    runs: list[_Run] = []
    font: _Font | None = None
    size = char_spacing = word_spacing = leading = 0.0
    scale = 1.0
    line = matrix = [1.0, 0.0, 0.0, 1.0, 0.0, 0.0]  # text line matrix and text matrix
    end: list[float] | None = None  # text matrix after the last string shown
    for index, (operands, operator) in enumerate(ops):
        op = str(operator)
        if op == "BT":
            line = matrix = [1.0, 0.0, 0.0, 1.0, 0.0, 0.0]
            end = None
        elif op == "Tf":
            font, size = fonts.get(str(operands[0])), float(operands[1])
        elif op == "Tc":
            char_spacing = float(operands[0])
        elif op == "Tw":
            word_spacing = float(operands[0])
        elif op == "Tz":
            scale = float(operands[0]) / 100
        elif op == "TL":
            leading = float(operands[0])
        elif op == "Tm":
            line = matrix = [float(v) for v in operands]
        elif op in ("Td", "TD"):
            if op == "TD":
                leading = -float(operands[1])
            line = matrix = _next_line(line, float(operands[0]), float(operands[1]))
        elif op in ("T*", "'", '"'):
            line = matrix = _next_line(line, 0.0, -leading)
            if op == '"':
                word_spacing, char_spacing = float(operands[0]), float(operands[1])
        if op in _SHOW:
            touching = end is not None and all(
                abs(a - b) <= _TOLERANCE for a, b in zip(matrix, end, strict=True)
            )
            if not touching or not runs:
                runs.append(_Run())
            shown = operands[_string_operand(op)]
            items = list(shown) if op == "TJ" else [shown]
            advance, known = 0.0, font is not None
            for elem, item in enumerate(items):
                if not isinstance(item, pikepdf.String):
                    advance -= float(item) / 1000 * size * scale
                    continue
                if font is None:
                    runs.append(_Run())  # unknown font: break the run, nothing to match
                    continue
                key = elem if op == "TJ" else -1
                for pos, code in enumerate(font.split(bytes(item))):
                    text = font.to_unicode.get(code, "\ufffd")
                    runs[-1].glyphs.append(_Glyph(index, key, pos, code, text, font))
                    spacing = char_spacing + (word_spacing if code == b" " else 0.0)
                    advance += (font.width(code) / 1000 * size + spacing) * scale
            a, b, c, d, e, f = matrix
            matrix = [a, b, c, d, e + advance * a, f + advance * b]
            end = matrix if known else None
    return runs


def _find(runs: list[_Run], old: str, occurrence: int) -> list[_Glyph] | None:
    """The glyphs of the ``occurrence``-th match of ``old``, aligned to glyph boundaries."""
    seen = 0
    for run in runs:
        text, starts = "", {}
        for k, glyph in enumerate(run.glyphs):
            starts[len(text)] = k
            text += glyph.text
        ends = {s + len(run.glyphs[k].text): k for s, k in starts.items()}
        pos = text.find(old)
        while pos >= 0:
            last = pos + len(old)
            if pos in starts and last in ends:
                if seen == occurrence:
                    return run.glyphs[starts[pos] : ends[last] + 1]
                seen += 1
            pos = text.find(old, pos + 1)
    return None


def _inherited(node: pikepdf.Object, key: str) -> pikepdf.Object | None:
    while node is not None:
        if key in node:
            return node[key]
        node = node.get("/Parent")
    return None


def replace_on_page(
    src: Path, dst: Path, page: int, old: str, new: str, occurrence: int = 0
) -> bool:
    """Show ``new`` instead of the ``occurrence``-th ``old`` on 1-based ``page``; write ``dst``.

    Returns False and writes nothing when ``old`` is not shown there that often, or when a
    character of ``new`` has no code in the font of the replaced glyphs.
    """
    if not old or not new:
        raise ValueError("old and new must not be empty")
    with pikepdf.open(src, allow_overwriting_input=True) as pdf:
        if not 1 <= page <= len(pdf.pages):
            raise ValueError(f"page {page} out of range 1..{len(pdf.pages)}")
        pdf_page = pdf.pages[page - 1]
        resources = _inherited(pdf_page.obj, "/Resources") or pikepdf.Dictionary()
        fonts = {str(name): _Font(font) for name, font in dict(resources.get("/Font", {})).items()}
        ops = list(pikepdf.parse_content_stream(pdf_page))
        runs = _runs(ops, fonts)
        glyphs = _find(runs, old, occurrence)
        if glyphs is None:  # a producer that places every piece of text on its own
            glyphs = _find([_Run([g for run in runs for g in run.glyphs])], old, occurrence)
        if glyphs is None:
            return False
        if len(glyphs) == len(old) and all(len(g.text) == 1 for g in glyphs):
            # only the glyphs that change are rewritten: the context around a number may be
            # set in another font (CJK text around Latin digits, as office suites write it)
            pre = 0
            while pre < min(len(old), len(new)) - 1 and old[pre] == new[pre]:
                pre += 1
            suf = 0
            while (
                suf < min(len(old), len(new)) - pre - 1
                and old[len(old) - 1 - suf] == new[len(new) - 1 - suf]
            ):
                suf += 1
            glyphs = glyphs[pre : len(glyphs) - suf]
            new = new[pre : len(new) - suf]
        font = glyphs[-1].font
        near = [int.from_bytes(g.code, "big") for g in glyphs]
        encoded = [font.encode(char, near) for char in new]
        codes = [code for code in encoded if code is not None]
        if len(codes) != len(new):
            return False
        if any(g.font is not font for g in glyphs):
            return False  # a number in two fonts: not a case worth supporting
        # one new code per replaced glyph; extra ones go to the last glyph, missing ones are empty
        slots = [[c] for c in codes[: len(glyphs)]] + [[] for _ in glyphs[len(codes) :]]
        slots[-1] += codes[len(glyphs) :]
        edits = {(g.op, g.elem, g.pos): b"".join(s) for g, s in zip(glyphs, slots, strict=True)}
        for op_index in sorted({g.op for g in glyphs}):
            operands, operator = ops[op_index]
            op = str(operator)
            operands = list(operands)
            at = _string_operand(op)
            items = list(operands[at]) if op == "TJ" else [operands[at]]
            for elem, item in enumerate(items):
                key = elem if op == "TJ" else -1
                if isinstance(item, pikepdf.String) and any(
                    (op_index, key) == e[:2] for e in edits
                ):
                    codes_shown = font.split(bytes(item))
                    items[elem] = pikepdf.String(
                        b"".join(
                            edits.get((op_index, key, pos), code)
                            for pos, code in enumerate(codes_shown)
                        )
                    )
            operands[at] = pikepdf.Array(items) if op == "TJ" else items[0]
            ops[op_index] = pikepdf.ContentStreamInstruction(operands, operator)
        pdf_page.obj.Contents = pdf.make_stream(pikepdf.unparse_content_stream(ops))
        pdf.save(dst)
    return True
