"""Reading a disclosure published as a web page (HTML) or as Markdown.

Both give the same :class:`SourceDoc` as the DOCX reader: numbered paragraphs (every block
element of the page, every paragraph of the Markdown) and the tables as grids. A merged cell's
text goes to its first grid position; in the first three rows (the header) a cell merged over
columns repeats its text, as the DOCX reader gives it. A Markdown pipe table has a single header
row whose cells join the header texts of each column (``项目 支出功能分类科目编码 类``); they are
split back into header rows, aligned at the bottom.
"""

from __future__ import annotations

import re
from pathlib import Path

from juesuan.check.read.kinds import heading_rows
from juesuan.check.read.source import RawRow, RawTable, SourceDoc, TextLine

BLOCKS = {
    "p",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "li",
    "dt",
    "dd",
    "caption",
    "blockquote",
    "pre",
    "div",
    "section",
    "article",
    "td",
    "th",
}
SKIP = {"script", "style", "head", "noscript", "template"}
HEADER_ROWS = 3


def _tag(el) -> str:
    return el.tag.lower() if isinstance(el.tag, str) else ""


def _text(el) -> str:
    return re.sub(r"[ \t\r\f\v\u00a0]+", " ", el.text_content()).strip()


def read_html(path: Path) -> SourceDoc:
    import lxml.html

    from juesuan.check.read.source import decode_text

    # pages from government sites are often GBK: decode as the text reader does (UTF-8, else
    # GB18030) rather than trusting a missing or wrong charset declaration
    text = re.sub(r"^\s*<\?xml[^>]*\?>", "", decode_text(path.read_bytes()))
    root = lxml.html.fromstring(text)
    for br in root.iter("br"):
        br.tail = "\n" + (br.tail or "")
    doc = SourceDoc(str(path), "html")
    state = {"para": 0, "title": ""}

    def line(text: str) -> None:
        for part in text.split("\n"):
            part = part.strip()
            if not part:
                continue
            state["para"] += 1
            doc.lines.append(TextLine(part, state["para"], paragraph=state["para"]))
            if not part.startswith("单位"):
                state["title"] = part

    def walk(el) -> None:
        for child in el:
            tag = _tag(child)
            if not tag or tag in SKIP:
                continue
            if tag == "table":
                _table(child, doc, state)
                continue
            inner = {_tag(d) for d in child.iterdescendants()}
            if tag in BLOCKS and not inner & (BLOCKS | {"table"}):
                line(_text(child))
            else:
                if child.text and child.text.strip() and tag in BLOCKS:
                    line(child.text.strip())
                walk(child)

    body = root.find("body")
    walk(body if body is not None else root)
    return doc


def _table(table, doc: SourceDoc, state: dict) -> None:
    rows = [tr for tr in table.iter("tr") if next(tr.iterancestors("table"), None) is table]
    taken: dict[tuple[int, int], tuple[str, int, int]] = {}
    for r, tr in enumerate(rows):
        c = 0
        for cell in tr:
            if _tag(cell) not in ("td", "th"):
                continue
            while (r, c) in taken:
                c += 1
            rowspan = _span(cell.get("rowspan"))
            colspan = _span(cell.get("colspan"))
            text = _text(cell)
            for dr in range(rowspan):
                for dc in range(colspan):
                    taken[(r + dr, c + dc)] = (text, dr, dc)
            c += colspan
    ncols = max((c for _, c in taken), default=-1) + 1
    # header rows are counted under the title and unit rows a table may carry inside it
    lead = heading_rows(
        [[taken.get((r, c), ("",))[0] for c in range(ncols)] for r in range(min(len(rows), 4))]
    )
    grid = []
    for r in range(len(rows)):
        cells = []
        for c in range(ncols):
            text, dr, dc = taken.get((r, c), ("", 0, 0))
            merged_left = dc > 0 and r - lead >= HEADER_ROWS
            cells.append("" if dr > 0 or merged_left else text)
        grid.append(RawRow(cells, r + 1))
    if grid:
        number = len(doc.tables) + 1
        doc.tables.append(RawTable(state["title"], grid, line=state["para"], number=number))


def _span(value: str | None) -> int:
    try:
        return max(1, min(int(value or 1), 200))
    except ValueError:
        return 1


# ---------------------------------------------------------------- Markdown

SEPARATOR = re.compile(r"^\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?\s*$")


def read_markdown(path: Path) -> SourceDoc:
    from juesuan.check.read.source import decode_text

    raw = decode_text(path.read_bytes()).split("\n")
    doc = SourceDoc(str(path), "md")
    title = ""
    i = 0
    while i < len(raw):
        text = raw[i].rstrip("\r")
        if text.startswith("|") and i + 1 < len(raw) and SEPARATOR.match(raw[i + 1].strip()):
            i = _pipe_table(raw, i, title, doc)
            continue
        plain = _plain(text)
        doc.lines.append(TextLine(plain, i + 1))
        if plain and not plain.startswith("单位"):
            title = plain
        i += 1
    return doc


def _plain(text: str) -> str:
    """A Markdown line's text: without heading marks, emphasis and inline HTML."""
    text = re.sub(r"^\s{0,3}#{1,6}\s+", "", text)
    text = re.sub(r"<[^>]+>", "", text)
    return text.replace("**", "").replace("__", "").strip()


def _cells(line: str) -> list[str]:
    inner = line.strip()
    inner = inner[1:] if inner.startswith("|") else inner
    inner = inner[:-1] if inner.endswith("|") else inner
    return [c.replace("<br>", "").replace("\u3000", "").strip() for c in inner.split("|")]


def _pipe_table(raw: list[str], i: int, title: str, doc: SourceDoc) -> int:
    start = i
    labels = _cells(raw[i])
    parts = [label.split() for label in labels]
    height = max((len(p) for p in parts), default=1) or 1
    header = [
        RawRow([([""] * (height - len(p)) + p)[r] for p in parts], r + 1) for r in range(height)
    ]
    rows = list(header)
    i += 2
    while i < len(raw) and raw[i].strip().startswith("|"):
        rows.append(RawRow(_cells(raw[i]), len(rows) + 1, line=i + 1))
        i += 1
    doc.tables.append(RawTable(title, rows, line=start + 1, number=len(doc.tables) + 1))
    return i
