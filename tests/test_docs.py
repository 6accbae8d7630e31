"""Generated docs stay current: docs/rules.md and docs/dataset.schema.json."""

from __future__ import annotations

from pathlib import Path

from juesuan.model.schema import schema_json
from juesuan.rules.docs import rules_markdown

DOCS = Path(__file__).resolve().parents[1] / "docs"


def test_rules_md_is_current() -> None:
    assert (DOCS / "rules.md").read_text(encoding="utf-8") == rules_markdown(), (
        "docs/rules.md is stale: run `juesuan rules --markdown > docs/rules.md`"
    )


def test_schema_is_current() -> None:
    assert (DOCS / "dataset.schema.json").read_text(encoding="utf-8") == schema_json(), (
        "docs/dataset.schema.json is stale: run `juesuan schema -o docs/dataset.schema.json`"
    )


def test_rules_md_lists_every_rule() -> None:
    from juesuan.rules.registry import load_rules

    text = (DOCS / "rules.md").read_text(encoding="utf-8")
    for code in load_rules():
        assert f"| {code} |" in text
