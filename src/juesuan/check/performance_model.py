"""What the checker reads from the self-evaluation tables (附表1, 附表2): the tables' stated
scores and projects, and the score pattern of the running text; shared by the table checks
and by the checks of what the narrative says of them."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from juesuan.check.read.source import RawRow, RawTable

NUM = r"\d+(?:\.\d+)?"
SAID_SCORE = re.compile(rf"自评(?:总分|得分|总得分|分数)(?:为|是|：|:)?({NUM})分")


def points_text(v: Decimal) -> str:
    """A weight or score as printed: 98.6, 10, 8.5."""
    s = format(v, "f")
    return s.rstrip("0").rstrip(".") if "." in s else s


@dataclass
class Scored:
    """A table's stated total score, where it is printed."""

    score: Decimal
    row: RawRow
    table: RawTable


@dataclass
class Project:
    name: str
    table: RawTable
    initial: Decimal | None = None
    adjusted: Decimal | None = None
    executed: Decimal | None = None
    total: Scored | None = None

    @property
    def budget(self) -> Decimal | None:
        return self.adjusted if self.adjusted is not None else self.initial
