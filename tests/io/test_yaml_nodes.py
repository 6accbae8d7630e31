"""The composer's fast scalar resolution gives exactly PyYAML's tags."""

from __future__ import annotations

import pytest
import yaml

from juesuan.io.yaml_nodes import scalar_tag

VALUES = [
    "",
    "<<",
    "~",
    "null",
    "Null",
    "yes",
    "No",
    "on",
    "OFF",
    "true",
    "False",
    "y",
    "n",
    "0",
    "042",
    "0x1F",
    "0b101",
    "1_000",
    "-7",
    "+3",
    "1:30",
    "1:30.5",
    "3.14",
    "-0.5",
    ".5",
    "1e3",
    "1.0e+3",
    ".inf",
    "-.Inf",
    ".nan",
    "2024-01-01",
    "2024-01-01 10:00:00",
    "=",
    "abc",
    "安居区",
    " 12",
    "12 ",
    "0o17",
    "1,000",
    "- x",
    "*x",
    "&a",
    "!t",
]


def _resolver_tag(event: yaml.ScalarEvent) -> str:
    if event.tag not in (None, "!"):
        return event.tag
    return yaml.resolver.Resolver().resolve(yaml.ScalarNode, event.value, event.implicit)


@pytest.mark.parametrize("value", VALUES)
@pytest.mark.parametrize("implicit", [(True, False), (False, True), (False, False)])
@pytest.mark.parametrize("tag", [None, "!", "tag:yaml.org,2002:str", "!custom"])
def test_scalar_tag_matches_pyyaml_resolver(value: str, implicit: tuple, tag: str | None) -> None:
    event = yaml.ScalarEvent(None, tag, implicit, value)
    assert scalar_tag(event) == _resolver_tag(event)


def test_scalar_tag_on_parsed_documents() -> None:
    checked = 0
    for value in VALUES:
        for text in (f"k: {value}", f"k: '{value}'", f"- {value}"):
            try:
                events = list(yaml.parse(text, Loader=yaml.CSafeLoader))
            except yaml.YAMLError:
                continue
            for event in events:
                if isinstance(event, yaml.ScalarEvent):
                    assert scalar_tag(event) == _resolver_tag(event), text
                    checked += 1
    assert checked > 2 * len(VALUES)
