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
    """A chart the document shows here; its data lives in the figures."""

    key: str
    caption: str
    series: tuple[tuple[str, str], ...] = ()  # (label, figure id)


Block = Heading | Paragraph | ChartRef


@dataclass(frozen=True, slots=True)
class Document:
    title: str
    subtitle: str = ""
    blocks: tuple[Block, ...] = field(default_factory=tuple)
