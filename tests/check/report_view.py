"""What the checker's tests compare of two reports: the serious findings (errors and warnings)
by rule, table, row and stated figure — not by page, line or paragraph, which a variant of the
same document (another producer, another layout) may change — and table names without place."""

from __future__ import annotations

import re


def serious(report) -> list[tuple]:
    return sorted(
        (
            i.finding.code,
            i.finding.location.table or "",
            i.finding.location.row or "",
            str(i.finding.stated),
        )
        for i in report.items
        if i.finding.severity.value != "info"
    )


def unplaced(names: list[str]) -> list[str]:
    """Table names without “（第12页）”, “（第40行）” or “（第7段）”."""
    return [re.sub(r"（第\d+(?:行|段|页)）$", "", "".join(n.split())) for n in names]
