"""Format-neutral document model: headings, paragraphs whose numbers keep their figure ids,
chart placeholders. Writers lay it out; they format every number through
:func:`juesuan.document.numbers.format_figure`."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal


@dataclass(frozen=True, slots=True)
class Text:
    text: str


@dataclass(frozen=True, slots=True)
class FigureRef:
    """A number in running text, tied to the figure it shows."""

    id: str
    value: Decimal | None
    unit: str
    absolute: bool = False


Run = Text | FigureRef


@dataclass(frozen=True, slots=True)
class Heading:
    level: int
    text: str


@dataclass(frozen=True, slots=True)
class Paragraph:
    runs: tuple[Run, ...]
    style: str = "body"  # body | unit (单位：万元 line) | note

    @property
    def figure_ids(self) -> list[str]:
        return [r.id for r in self.runs if isinstance(r, FigureRef)]


@dataclass(frozen=True, slots=True)
class ChartRef:
    """A chart the document shows here; its data lives in the figures.

    ``series`` pairs a label with a figure id. For a ``pie`` the label names the slice; for
    a ``bar`` it is ``"category/series"`` (e.g. ``"2024年/收入"``), or just the category
    for a single-series bar chart.
    """

    key: str
    caption: str
    series: tuple[tuple[str, str], ...] = ()  # (label, figure id)
    kind: str = "bar"  # bar | pie


@dataclass(frozen=True, slots=True)
class Cell:
    """One table cell: literal text, or a number tied to its figure (``figure``).

    ``colspan``/``rowspan`` > 1 start a merged region; the cells it covers are omitted
    from the following positions of the row(s), as in HTML.
    """

    text: str = ""
    figure: FigureRef | None = None
    colspan: int = 1
    rowspan: int = 1
    align: str = "left"  # left | center | right
    indent: int = 0  # levels of indentation (科目名称 under 类/款)
    bold: bool = False


@dataclass(frozen=True, slots=True)
class Table:
    """A standard table (附表) in the official layout."""

    key: str  # stable id, e.g. "income_expenditure_summary"
    number: str  # as the profile numbers it: "公开01表", "表一", or ""
    title: str
    header: tuple[tuple[Cell, ...], ...]
    rows: tuple[tuple[Cell, ...], ...]
    columns: int
    unit: str = "单位：万元"
    note: str = ""  # 注：… printed below the table
    empty_note: str = ""  # 说明：本年度没有…故本表无数据 (present when the table has no data)
    widths: tuple[float, ...] = ()  # relative column widths, one per column
    # a table within the text (单位构成): no page of its own, not one of the 附表
    inline: bool = False

    @property
    def empty(self) -> bool:
        return bool(self.empty_note)


@dataclass(frozen=True, slots=True)
class PageBreak:
    pass


Block = Heading | Paragraph | ChartRef | Table | PageBreak

# Printed on every page of a draft (a document built from data with errors).
DRAFT_MARK = "草稿"
DRAFT_NOTE = "草稿：数据有错误，本文件不得公开"


@dataclass(frozen=True, slots=True)
class Document:
    """The whole disclosure. ``title`` is the cover title (部门名称 + 年度部门决算);
    ``subtitle`` the line under it; ``blocks`` the body in reading order, parts as level-1
    headings (第一部分 …), sections level 2, subsections level 3. ``draft`` marks a
    document made from data with errors (``build --force``): every writer prints
    :data:`DRAFT_MARK` on every page (or at the top, for formats without pages)."""

    title: str
    subtitle: str = ""
    blocks: tuple[Block, ...] = field(default_factory=tuple)
    year: int = 0
    department: str = ""
    draft: bool = False
