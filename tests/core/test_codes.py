"""Every code the source can emit is in the one code catalog, and the catalog is sound."""

from __future__ import annotations

import ast
import re
from pathlib import Path

from juesuan.core.codes import CODES, FAMILIES, RULE_FAMILIES
from juesuan.rules.registry import load_rules

PACKAGE = Path(__file__).resolve().parents[2] / "src" / "juesuan"
CODE = re.compile(r"[A-Z]{2,5}(?:-[A-Z]{2,5})?-\d{3}")
_CJK = re.compile(r"[\u4e00-\u9fff]")


def _literals() -> dict[str, str]:
    """Every string constant in the package that is exactly a code, with where it stands."""
    found: dict[str, str] = {}
    for path in PACKAGE.rglob("*.py"):
        if path.name == "codes.py" and path.parent.name == "core":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                if CODE.fullmatch(node.value):
                    found.setdefault(node.value, f"{path.relative_to(PACKAGE)}:{node.lineno}")
    return found


def test_every_emitted_code_is_in_the_catalog() -> None:
    literals = _literals()
    assert len(literals) > 60  # the scan found the codes the source uses
    missing = {code: where for code, where in literals.items() if code not in CODES}
    assert not missing, f"codes used in the source but not in juesuan.core.codes: {missing}"


def test_every_code_has_a_chinese_title_and_a_known_family() -> None:
    for entry in CODES.values():
        assert CODE.fullmatch(entry.code), entry.code
        assert entry.family in FAMILIES, entry
        assert _CJK.search(entry.title), entry


def test_every_rule_is_registered_from_its_catalog_entry() -> None:
    rules = load_rules()
    for code, registered in rules.items():
        entry = CODES[code]
        assert entry.family in RULE_FAMILIES
        assert (registered.severity, registered.title, registered.doc) == (
            entry.severity,
            entry.title,
            entry.doc,
        )
        assert _CJK.search(entry.doc), f"{code} has no explanation"


def test_workbook_codes_are_documented() -> None:
    """The XLS codes were documented nowhere before the catalog."""
    from juesuan.rules.docs import rules_markdown

    text = rules_markdown()
    for code in (c for c in CODES if c.startswith("XLS-")):
        assert f"| {code} |" in text
