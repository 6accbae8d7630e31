"""What a read document is made of, whatever its format: lines of text, raw table rows
with their places, PDF pages of positioned words and drawn rules; and text decoding."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

# An amount as a table prints it: 1,234.56, 1234.56, 208 (separators in threes, or a point)
AMOUNT = re.compile(r"^-?\d{1,3}(,\d{3})*(\.\d+)?$|^-?\d+\.\d+$")


@dataclass
class TextLine:
    text: str
    line: int  # 1-based line number (in the file, or on the page for PDF)
    page: int | None = None
    paragraph: int | None = None


@dataclass
class RawRow:
    cells: list[str]
    index: int  # 1-based row number in the table
    line: int | None = None
    page: int | None = None
    printed: list[str] | None = None  # the cells as printed, when ``cells`` were converted

    def quote(self) -> str:
        """The row as the document prints it (non-blank cells)."""
        return " ".join(c for c in (self.printed or self.cells) if c.strip())


@dataclass
class RawTable:
    title: str
    rows: list[RawRow]
    page: int | None = None
    line: int | None = None
    number: int = 0  # 1-based order in the document
    # what the reader could not recover of the table (said under the rules it leaves out)
    note: str = ""
    unit: str = ""  # the unit line printed inside the table (“单位：元”), taken out of its rows


@dataclass
class Word:
    text: str
    x0: float
    x1: float
    top: float
    bottom: float

    @property
    def xc(self) -> float:
        return (self.x0 + self.x1) / 2

    @property
    def yc(self) -> float:
        return (self.top + self.bottom) / 2


@dataclass
class PdfPage:
    number: int
    words: list[Word]
    lines: list[list[Word]]  # words grouped into visual lines, top to bottom
    # drawn rules and boxes as (x0, top, x1, bottom): the table borders
    rules: list[tuple[float, float, float, float]] = field(default_factory=list)


@dataclass
class SourceDoc:
    path: str
    kind: str  # txt | docx | pdf
    lines: list[TextLine] = field(default_factory=list)
    tables: list[RawTable] = field(default_factory=list)
    pages: list[PdfPage] = field(default_factory=list)
    revisions: int = 0  # a Word document's tracked changes not yet accepted


def decode_text(data: bytes) -> str:
    for enc in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(enc)
        except UnicodeDecodeError:
            continue
    raise UnicodeDecodeError("utf-8", data, 0, 1, "undecodable")
