"""Collects the checker's findings and how much each rule could check."""

from __future__ import annotations

from decimal import Decimal

from juesuan.check.model import Coverage, Item
from juesuan.core.codes import in_family
from juesuan.core.codes import severity as code_severity
from juesuan.core.findings import Finding, Location, Severity


class Sink:
    def __init__(self, file: str):
        self.file = file
        self.items: list[Item] = []
        self.rounding: list[Item] = []  # rounding-only differences, reported as one note
        self.coverage: dict[str, Coverage] = {
            c.code: Coverage(c.code, c.title) for c in in_family("check")
        }

    def snapshot(self) -> tuple:
        """What has been said so far, to go back to (:meth:`restore`)."""
        import copy

        return list(self.items), list(self.rounding), copy.deepcopy(self.coverage)

    def restore(self, mark: tuple) -> None:
        """Go back to ``mark`` (taken once: its coverage becomes the sink's own)."""
        items, rounding, coverage = mark
        self.items, self.rounding, self.coverage = list(items), list(rounding), coverage

    def unreadable(
        self, message: str, *, page: int | None = None, table: str | None = None
    ) -> None:
        """A page or table the checker could not read reliably (reported once, not a rule's
        finding: nothing was checked there)."""
        loc = Location(file=self.file, table=table, page=page)
        self.items.append(Item(Finding("CHK-006", Severity.INFO, message, loc)))

    def checked(self, code: str, n: int = 1) -> None:
        self.coverage[code].checked += n

    def cannot(self, code: str, why: str) -> None:
        cov = self.coverage[code]
        if why not in cov.cannot:
            cov.cannot.append(why)

    def add(
        self,
        code: str,
        message: str,
        *,
        line: int | None = None,
        page: int | None = None,
        paragraph: int | None = None,
        table: str | None = None,
        row: str | None = None,
        column: str | None = None,
        stated: Decimal | None = None,
        expected: Decimal | None = None,
        quote: str = "",
        severity: Severity | None = None,
        rounding: bool = False,
    ) -> None:
        sev = severity or code_severity(code)
        if rounding:
            sev = Severity.INFO
        loc = Location(
            file=self.file,
            line=line,
            page=page,
            paragraph=paragraph,
            table=table,
            row=row,
            column=column,
        )
        item = Item(Finding(code, sev, message, loc, stated, expected), quote)
        if rounding:
            self.rounding.append(item)
            return
        self.coverage[code].findings += 1
        self.items.append(item)
