"""What every command prints: an error line, and findings (text or JSON)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import TYPE_CHECKING, NoReturn

import typer

if TYPE_CHECKING:
    from juesuan.core.findings import Finding


def fail(message: str, code: int = 2) -> NoReturn:
    """Print ``错误：message`` to stderr and exit with ``code``."""
    typer.echo(f"错误：{message}", err=True)
    raise typer.Exit(code)


def print_findings(findings: Sequence[Finding], as_json: bool = False, heading: str = "") -> None:
    """Findings, errors first, then a count line on stderr; or all of them as JSON."""
    from juesuan.core.findings import Severity

    if as_json:
        typer.echo(json.dumps([f.to_dict() for f in findings], ensure_ascii=False, indent=1))
        return
    if heading and findings:
        typer.echo(heading)
    order = {Severity.ERROR: 0, Severity.WARNING: 1, Severity.INFO: 2}
    for f in sorted(findings, key=lambda f: order[f.severity]):
        typer.echo(f.render())
    counts = {s: sum(1 for f in findings if f.severity is s) for s in Severity}
    typer.echo(
        f"共{len(findings)}项：错误{counts[Severity.ERROR]}项，警告{counts[Severity.WARNING]}项，"
        f"提示{counts[Severity.INFO]}项。",
        err=True,
    )
