"""Reading a published disclosure: text lines and tables with their locations.

Every reader returns a :class:`SourceDoc`: the running text as :class:`TextLine` s (page and
line number) and the tables as :class:`RawTable` s (a grid of cell texts, each row with its
page and position). PDF tables are kept as positioned words (:class:`PdfPage`) because
their column structure is recovered later, per table kind (see :mod:`juesuan.check.read.pdf_tables`).
Problems come back as findings, never as exceptions.
"""

from __future__ import annotations

import math
import re
from operator import itemgetter
from pathlib import Path

from juesuan.check.read.kinds import adopt_inner_title, heading_rows
from juesuan.check.read.source import (
    PdfPage,
    RawRow,
    RawTable,
    SourceDoc,
    TextLine,
    Word,
    decode_text,
)
from juesuan.core.findings import Finding, Location, Severity

SUFFIXES = (".txt", ".md", ".docx", ".pdf", ".html", ".htm")


def _fail(path: Path, code: str, message: str) -> tuple[None, list[Finding]]:
    return None, [Finding(code, Severity.ERROR, message, Location(file=str(path)))]


def read(path: str | Path, engine: str = "pdfium") -> tuple[SourceDoc | None, list[Finding]]:
    p = Path(path)
    if not p.exists():
        return _fail(p, "CHK-001", "文件不存在")
    if not p.is_file():
        return _fail(p, "CHK-001", "不是文件")
    suffix = p.suffix.lower()
    if suffix not in SUFFIXES:
        return _fail(
            p,
            "CHK-002",
            f"不支持的文件类型「{p.suffix or '无扩展名'}」，可检查 .txt、.md、.docx、.pdf、.html",
        )
    if p.stat().st_size == 0:
        return _fail(p, "CHK-003", "文件为空")
    from juesuan.check.limits import MAX_TOTAL_CHARS, TOO_COMPLEX, FontCheck, TooComplex, precheck

    # sizes, pages, encryption, damaged pages (issue 12); pdfium checks each page as it reads
    # and whether it could load the fonts (their programs are decompressed once, by pdfium)
    by_pdfium = suffix == ".pdf" and engine == "pdfium"
    fonts = FontCheck() if by_pdfium else None
    fatal, notes = precheck(p, pages_by_reader=by_pdfium, fonts=fonts)
    if fatal:
        return None, fatal
    try:
        if suffix == ".txt":
            doc = read_text(p)
        elif suffix in (".html", ".htm", ".md"):
            from juesuan.check.read.markup import read_html, read_markdown

            doc = read_markdown(p) if suffix == ".md" else read_html(p)
        elif suffix == ".docx":
            doc = read_docx(p)
        else:
            doc = read_pdf(p, engine=engine, fonts=fonts)
    except TooComplex as exc:
        return _fail(p, "CHK-092", f"{TOO_COMPLEX}（{exc}）")
    except _NoTextLayer:
        return _fail(
            p,
            "CHK-005",
            "PDF没有文字层（可能是扫描件），无法检查；请提供带文字层的PDF或原始Word文件",
        )
    except UnicodeDecodeError:
        return _fail(p, "CHK-004", "文本文件不是UTF-8（或GB18030）编码，无法读取")
    except Exception as exc:  # corrupt file: report, never a traceback
        return _fail(p, "CHK-004", f"文件已损坏或格式不符，无法读取（{_damage(suffix, exc)}）")
    if doc.kind != "pdf":
        unify_doc(doc)
        for table in doc.tables:
            adopt_inner_title(table)
    if not any(line.text.strip() for line in doc.lines) and not doc.tables:
        return _fail(p, "CHK-003", "文件中没有可检查的文字")
    if sum(len(line.text) for line in doc.lines) > MAX_TOTAL_CHARS:
        return _fail(p, "CHK-092", f"{TOO_COMPLEX}（文字总量超过上限）")
    if fonts is not None:
        notes = notes + fonts.note(p)
    if doc.revisions:
        message = (
            f"Word文件含{doc.revisions}处未接受的修订（修订标记），打开时会显示修改痕迹；"
            "已按接受全部修订后的文字检查"
        )
        notes = [*notes, Finding("CHK-008", Severity.WARNING, message, Location(file=str(p)))]
    return doc, notes


class _NoTextLayer(Exception):
    pass


def _damage(suffix: str, exc: Exception) -> str:
    """What is wrong with a file whose reading raised ``exc``, in the reader's words."""
    import zipfile

    kind = type(exc).__name__
    if suffix == ".docx":
        if isinstance(exc, zipfile.BadZipFile) or kind == "PackageNotFoundError":
            return "不是有效的Word文件：压缩包损坏或不是Word格式"
        if isinstance(exc, KeyError):
            return "不是有效的Word文件：缺少正文部分"
        if "XMLSyntax" in kind or "ParseError" in kind:
            return "Word文件中的XML无法解析"
        return "不是有效的Word文件"
    if suffix == ".pdf":
        return "PDF文件结构损坏"
    return "内容无法解析"


# ---------------------------------------------------------------- text


_BOOKMARK = re.compile(r"\[bookmark: [^\]]*\]")


def read_text(path: Path) -> SourceDoc:
    """Plain text. Tables converted from Word come as runs of lines whose cells start with a
    tab, one row per block separated by a blank line (as at the end of the seed)."""
    text = decode_text(path.read_bytes())
    doc = SourceDoc(str(path), "txt")
    raw = [_BOOKMARK.sub("", ln).rstrip("\r") for ln in text.split("\n")]
    i = 0
    while i < len(raw):
        line = raw[i]
        if line.startswith("\t") and _is_table_start(raw, i):
            i = _read_tab_table(raw, i, doc)
            continue
        doc.lines.append(TextLine(line, i + 1))
        i += 1
    return doc


def _is_table_start(raw: list[str], i: int) -> bool:
    """A tab-cell block: at least two tab-led lines within the next few lines."""
    window = raw[i : i + 6]
    return sum(1 for ln in window if ln.startswith("\t")) >= 2


def _read_tab_table(raw: list[str], i: int, doc: SourceDoc) -> int:
    title = ""
    for back in range(len(doc.lines) - 1, max(-1, len(doc.lines) - 4), -1):
        t = doc.lines[back].text.strip()
        if t:
            title = t
            break
    start = i
    rows: list[RawRow] = []
    cells: list[str] = []
    row_line = i + 1
    blank_run = 0
    while i < len(raw):
        line = raw[i]
        if line.startswith("\t") or line.startswith(" \t"):
            if blank_run and cells:
                rows.append(RawRow(cells, len(rows) + 1, row_line))
                cells = []
            if not cells:
                row_line = i + 1
            cells.append(line.split("\t", 1)[1].strip())
            blank_run = 0
        elif not line.strip():
            blank_run += 1
            if blank_run > 3:
                break
        elif cells and blank_run == 0:
            cells[-1] = (cells[-1] + line.strip()).strip()  # wrapped cell text
        else:
            break
        i += 1
    if cells:
        rows.append(RawRow(cells, len(rows) + 1, row_line))
    # a single-cell first row is the table title (" \t部门整体支出绩效自评表")
    if rows and len(rows[0].cells) == 1 and not title.endswith("表"):
        title = rows[0].cells[0] or title
    elif rows and len(rows[0].cells) == 1 and rows[0].cells[0].endswith("表"):
        title = rows[0].cells[0]
    doc.tables.append(RawTable(title, rows, line=start + 1, number=len(doc.tables) + 1))
    return i


# ---------------------------------------------------------------- docx


def read_docx(path: Path) -> SourceDoc:
    import docx
    from docx.table import Table

    from juesuan.check.read.word_text import cell_text, paragraph_text, revisions

    d = docx.Document(str(path))
    doc = SourceDoc(str(path), "docx")
    para = 0
    last_title = ""
    for el in d.element.body.iterchildren():
        tag = el.tag.rsplit("}", 1)[-1]
        if tag == "p":
            para += 1
            text = paragraph_text(el)
            doc.lines.append(TextLine(text, para, paragraph=para))
            if text.strip() and not text.strip().startswith("单位"):
                last_title = text.strip()
        elif tag == "tbl":
            table = Table(el, d)
            rows = []
            above: list = []
            # header rows are counted under the title and unit rows a table may carry inside it
            lead = heading_rows([[cell_text(c._tc) for c in row.cells] for row in table.rows[:4]])
            for r_i, row in enumerate(table.rows, 1):
                tcs = [c._tc for c in row.cells]
                texts = []
                for j, c in enumerate(row.cells):
                    merged_left = j > 0 and tcs[j] is tcs[j - 1]
                    merged_up = j < len(above) and tcs[j] is above[j]
                    # a merged cell's text belongs to its first grid position only
                    texts.append(
                        ""
                        if merged_up or (merged_left and r_i - lead > 3)
                        else cell_text(c._tc).strip()
                    )
                above = tcs
                rows.append(RawRow(texts, r_i))
            doc.tables.append(RawTable(last_title, rows, line=para, number=len(doc.tables) + 1))
    doc.revisions = revisions(d.element.body)
    return doc


# ---------------------------------------------------------------- pdf


def read_pdf(path: Path, engine: str = "pdfium", fonts=None) -> SourceDoc:
    """``fonts`` (a :class:`juesuan.check.limits.FontCheck`): collects the pages using a font
    that embeds a program pdfium could not load (pdfium engine)."""
    doc = SourceDoc(str(path), "pdf")
    if engine == "pdfplumber":
        pages = _pdf_words_pdfplumber(path)
    else:
        pages = _pdf_words_pdfium(path, fonts)
    if not any(p.words for p in pages):
        raise _NoTextLayer
    for page in pages:
        doc.pages.append(page)
        for n, words in enumerate(page.lines, 1):
            doc.lines.append(TextLine(_join_words(words), n, page=page.number))
    return doc


def _join_words(words: list[Word]) -> str:
    out = ""
    prev: Word | None = None
    for w in words:
        if prev is not None and w.x0 - prev.x1 > 12:
            out += " "
        out += w.text
        prev = w
    return out


def group_lines(words: list[Word]) -> list[list[Word]]:
    """Visual lines: a word joins the line whose first word it overlaps vertically by at least
    half its height (digits set in another font sit a few points lower than the CJK text)."""
    lines: list[list[Word]] = []
    for w in sorted(words, key=lambda w: (w.top, w.x0)):
        if lines:
            ref = lines[-1][0]
            overlap = min(ref.bottom, w.bottom) - max(ref.top, w.top)
            height = min(ref.bottom - ref.top, w.bottom - w.top) or 1
            if overlap >= 0.5 * height:
                lines[-1].append(w)
                continue
        lines.append([w])
    for ln in lines:
        ln.sort(key=lambda w: w.x0)
    return lines


def _radical_table() -> dict[int, str]:
    """Kangxi radicals, CJK radical supplements and compatibility ideographs → the unified
    ideograph they stand for (their NFKC form). Some producers' ToUnicode maps (Chromium's
    print-to-PDF) give “⽀出” (U+2F40) for “支出”: the same look, another character."""
    import unicodedata

    ranges = ((0x2E80, 0x2EF4), (0x2F00, 0x2FD6), (0xF900, 0xFB00), (0x2F800, 0x2FA20))
    table = {}
    for lo, hi in ranges:
        for cp in range(lo, hi):
            to = unicodedata.normalize("NFKC", chr(cp))
            if to != chr(cp) and len(to) == 1:
                table[cp] = to
    return table


RADICALS = _radical_table()
# Full-width digits, decimal point and percent sign (typed in a Chinese input method's
# full-width mode: “２９４６．２５万元，占９９．７９％”) read as the ASCII ones; the
# full-width comma, colon and brackets stay (they are the document's punctuation).
WIDE = {0xFF10 + d: str(d) for d in range(10)} | {0xFF0E: ".", 0xFF05: "%", 0xFE6A: "%"}
UNIFY = RADICALS | WIDE


def unify(text: str) -> str:
    """``text`` with look-alike radicals and compatibility ideographs as unified ideographs,
    full-width digits, decimal points and percent signs as ASCII."""
    return text.translate(UNIFY)


def unify_doc(doc: SourceDoc) -> None:
    """:func:`unify` every text of a document read from markup, Word or plain text (a PDF's
    characters are unified as they are read)."""
    for line in doc.lines:
        line.text = unify(line.text)
    for table in doc.tables:
        table.title, table.note = unify(table.title), unify(table.note)
        for row in table.rows:
            row.cells = [unify(c) for c in row.cells]


def _pdf_page(number: int, words: list[Word], rules) -> PdfPage:  # type: ignore[no-untyped-def]
    """A page of positioned words (amounts wrapped inside a cell joined again), in lines."""
    from juesuan.check.read.wrapped_numbers import join_wrapped_numbers

    words = join_wrapped_numbers(words)
    return PdfPage(number, words, group_lines(words), rules)


def _pdf_words_pdfplumber(path: Path) -> list[PdfPage]:
    import pdfplumber

    pages = []
    with pdfplumber.open(str(path)) as pdf:
        for n, page in enumerate(pdf.pages, 1):
            words = [
                Word(unify(w["text"]), w["x0"], w["x1"], w["top"], w["bottom"])
                for w in page.extract_words(x_tolerance=1.5, y_tolerance=2)
            ]
            rules = [(g["x0"], g["top"], g["x1"], g["bottom"]) for g in (*page.rects, *page.lines)]
            pages.append(_pdf_page(n, words, rules))
    return pages


def _pdf_words_pdfium(path: Path, fonts=None) -> list[PdfPage]:
    """Words from pypdfium2's characters (faster than pdfplumber), assembled by geometry: the
    order in which a producer wrote its text objects says nothing (one glyph per object,
    shuffled objects), so characters are banded into lines by their baseline and ordered by x.
    x comes from the glyph box, top/bottom from the baseline and the *effective* font size:
    the nominal size times the vertical scale of the character's matrix (WPS writes a nominal
    size of ~300 scaled by 0.05), as pdfplumber does."""
    import ctypes

    import pypdfium2 as pdfium
    import pypdfium2.raw as raw

    pdf = pdfium.PdfDocument(str(path))
    pages = []
    ox, oy = ctypes.c_double(), ctypes.c_double()
    left, bottom, right, top = (ctypes.c_double() for _ in range(4))
    matrix = raw.FS_MATRIX()
    # the C calls and their out-parameters bound once: this loop runs for every character
    box_args = tuple(ctypes.byref(v) for v in (left, right, bottom, top))
    origin_args = (ctypes.byref(ox), ctypes.byref(oy))
    matrix_ref = ctypes.byref(matrix)
    get_box, get_origin = raw.FPDFText_GetCharBox, raw.FPDFText_GetCharOrigin
    get_size, get_matrix = raw.FPDFText_GetFontSize, raw.FPDFText_GetMatrix
    is_generated, hypot = raw.FPDFText_IsGenerated, math.hypot
    from juesuan.check.limits import page_bounds
    from juesuan.check.read.orientation import page_turn, turned_chars, turned_rules

    total = 0
    loaded: dict[int, bool] = {}  # font handle → whether pdfium loaded its program
    try:
        for n in range(len(pdf)):
            page = pdf[n]
            page_bounds(n + 1, raw.FPDFPage_CountObjects(page.raw), None, total)
            height = page.get_height()
            tp = page.get_textpage()
            count = tp.count_chars()
            total += count
            page_bounds(n + 1, None, count, total)
            text = unify(tp.get_text_range())
            handle = tp.raw
            turn = page_turn(handle, count)
            if turn:  # text set sideways or upside down: read in its own frame
                chars = turned_chars(handle, count, text, turn, page.get_width(), height)
            else:
                chars = []
                append = chars.append
                base, size = None, 10.0
                for i in range(count):
                    ch = text[i] if i < len(text) else unify(tp.get_text_range(i, 1))
                    if not ch.strip() and is_generated(handle, i) == 1:
                        continue  # a space pdfium inserted: the gap rule finds it by geometry
                    get_box(handle, i, *box_args)
                    get_origin(handle, i, *origin_args)
                    if oy.value != base:
                        # a character on another baseline than the one before it: its own
                        # size; along a baseline the size is the first character's (two C
                        # calls less for most characters, a third of the reading)
                        base = oy.value
                        size = get_size(handle, i) or 10.0
                        if get_matrix(handle, i, matrix_ref):
                            scale = hypot(matrix.c, matrix.d)
                            if scale > 0:
                                size *= scale
                    append((ch, left.value, right.value, height - oy.value, size))
            words = words_from_chars(chars)
            rules = _paths(page.raw, height, None if fonts is None else (fonts, n + 1, loaded))
            if turn:
                rules = turned_rules(rules, turn, page.get_width(), height)
            pages.append(_pdf_page(n + 1, words, rules))
            tp.close()
            page.close()
    finally:
        pdf.close()
    return pages


def _paths(page, height: float, fonts=None) -> list[tuple[float, float, float, float]]:
    """The bounds (x0, top, x1, bottom) of the page's path objects, those in form XObjects
    included (one level, as pypdfium2's ``get_objects`` gives them), through the raw API:
    a wrapper object per page object costs more than reading the whole page's text.
    ``fonts``: (FontCheck, page number, cache by font handle): the text objects' fonts that
    pdfium could not load are named to the FontCheck."""
    import ctypes

    import pypdfium2.raw as raw

    x0, y0, x1, y1 = (ctypes.c_float() for _ in range(4))
    refs = tuple(ctypes.byref(v) for v in (x0, y0, x1, y1))
    path, form, text = raw.FPDF_PAGEOBJ_PATH, raw.FPDF_PAGEOBJ_FORM, raw.FPDF_PAGEOBJ_TEXT
    out = []

    def visit(obj, depth: int) -> None:
        kind = raw.FPDFPageObj_GetType(obj)
        if kind == path:
            if raw.FPDFPageObj_GetBounds(obj, *refs):
                out.append((x0.value, height - y1.value, x1.value, height - y0.value))
        elif kind == text and fonts is not None:
            _font_loaded(raw.FPDFTextObj_GetFont(obj), *fonts)
        elif kind == form and depth < 2:
            for k in range(raw.FPDFFormObj_CountObjects(obj)):
                visit(raw.FPDFFormObj_GetObject(obj, k), depth + 1)

    for k in range(raw.FPDFPage_CountObjects(page)):
        visit(raw.FPDFPage_GetObject(page, k), 0)
    return out


def _font_loaded(font, check, page: int, loaded: dict[int, bool]) -> None:
    """Name the font to ``check`` (a FontCheck) on ``page`` when pdfium did not load its
    embedded program; each font handle is asked once."""
    import ctypes

    import pypdfium2.raw as raw

    key = ctypes.cast(font, ctypes.c_void_p).value or 0
    ok = loaded.get(key)
    if ok is None:
        ok = loaded[key] = bool(raw.FPDFFont_GetIsEmbedded(font))
    if ok:
        return
    buf = ctypes.create_string_buffer(256)
    raw.FPDFFont_GetBaseFontName(font, buf, 256)
    check.font_not_loaded(page, buf.value.decode("latin-1"))


# (text, left, right, baseline from the top, effective font size)
_Char = tuple[str, float, float, float, float]


def words_from_chars(chars: list[_Char]) -> list[Word]:
    """Characters → words, whatever order they were written in: characters whose baselines
    lie within 0.3 of their size form a line; along the line, a space or a gap wider than
    0.45 of the size ends a word."""
    words: list[Word] = []
    bands: list[list[_Char]] = []
    ref_base, ref_size = -1e9, 0.0
    for c in sorted(chars, key=itemgetter(3)):
        size = c[4]
        if bands and abs(c[3] - ref_base) < 0.3 * (size if size > ref_size else ref_size):
            bands[-1].append(c)
            continue
        bands.append([c])
        ref_base, ref_size = c[3], size
    for band in bands:
        band.sort(key=itemgetter(1))
        text: list[str] = []
        x0 = x1 = base = size = 0.0
        for ch, left, right, b, sz in band:
            if text and (not ch.strip() or left - x1 > 0.45 * (sz if sz > size else size)):
                words.append(Word("".join(text), x0, x1, base - 0.88 * size, base + 0.12 * size))
                text = []
            if not ch.strip():
                continue
            if not text:
                x0, x1, base, size = left, right, b, sz
            else:
                x1 = right if right > x1 else x1
                base = b if b > base else base
                size = sz if sz > size else size
            text.append(ch)
        if text:
            words.append(Word("".join(text), x0, x1, base - 0.88 * size, base + 0.12 * size))
    return words
