"""The pieces :mod:`juesuan.io.yaml_events` composes a document from.

* Scalars: a scalar event becomes a plain Python value (text, ``None``, bool, int, or a
  ``Decimal`` taken straight from the source text, never via ``float``), or a problem
  (``LOAD-009``/``LOAD-010``) when it cannot be accepted. Timestamps stay text.
* :class:`Frame`: a mapping or sequence that has started and not yet ended.
* :class:`Anchored`: what an anchor (``&name``) stands for, with its expanded size.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import yaml
from yaml import events as ev

from juesuan.io.load_findings import clip

MERGE_TAG = "tag:yaml.org,2002:merge"
_STR_TAG = "tag:yaml.org,2002:str"
_FLOAT_TAG = "tag:yaml.org,2002:float"
_INT_TAG = "tag:yaml.org,2002:int"
_DECIMAL_INT = re.compile(r"[-+]?(?:0|[1-9][0-9_]*)")  # the only integer form read as a number
_MAX_EXPONENT = 30  # |log10| beyond this is no amount; keeps later Decimal arithmetic finite
_SPECIAL_FLOATS = {".inf", "+.inf", "-.inf", ".nan", "+.nan", "-.nan"}
_SCALAR = yaml.ScalarNode
_CONSTRUCTOR = yaml.constructor.SafeConstructor()
_RESOLVER = yaml.resolver.Resolver()

# ---------------------------------------------------------------------------------------
# scalars


# PyYAML's implicit resolvers by first character, each list already joined with the
# wildcard ones (``Resolver.resolve`` concatenates them on every call).
_WILDCARD = tuple(_RESOLVER.yaml_implicit_resolvers.get(None, []))
_IMPLICIT = {
    first: tuple(resolvers) + _WILDCARD
    for first, resolvers in _RESOLVER.yaml_implicit_resolvers.items()
    if first is not None
}


def scalar_tag(event: ev.ScalarEvent) -> str:
    """The tag of a scalar: its explicit tag, else the one YAML 1.1 resolves from its text
    (what ``Resolver.resolve`` returns; the safe resolver has no path resolvers)."""
    tag = event.tag
    if tag is not None and tag != "!":
        return tag
    if event.implicit[0]:  # a plain scalar: the implicit resolvers decide
        value = event.value
        for resolved, regexp in _IMPLICIT.get(value[:1], _WILDCARD):
            if regexp.match(value):
                return resolved
    return _STR_TAG


def short_tag(tag: str | None) -> str:
    """A tag as written in YAML: ``tag:yaml.org,2002:str`` -> ``!!str``."""
    tag = tag or ""
    prefix = "tag:yaml.org,2002:"
    return "!!" + tag[len(prefix) :] if tag.startswith(prefix) else tag


def construct_scalar(event: ev.ScalarEvent) -> tuple[Any, tuple[str, str] | None]:
    """Plain value of a scalar; (value, (code, message)) when it cannot be accepted."""
    text = event.value
    tag = scalar_tag(event)
    if tag == _STR_TAG or tag == "tag:yaml.org,2002:timestamp" or tag == MERGE_TAG:
        return text, None
    if tag == "tag:yaml.org,2002:null":
        return None, None
    if tag == "tag:yaml.org,2002:bool":
        value = _CONSTRUCTOR.bool_values.get(text.lower())
        if value is None:
            return text, ("LOAD-010", f"「{clip(text)}」不是有效的是/否（true/false）值")
        return value, None
    if tag == _INT_TAG:
        if not _DECIMAL_INT.fullmatch(text):
            # YAML 1.1 reads 042 as octal 34, 0x10 as 16, 0b101 as 5, 1:30 as 90: keep what the
            # person typed instead. A figure then reads "042" as 42; hex, binary and 1:30 are
            # refused by validation ("应为整数"); a text field keeps the text as written.
            return text, None
        node = yaml.ScalarNode(tag, text)
        try:
            return _CONSTRUCTOR.construct_yaml_int(node), None
        except (ValueError, IndexError):
            return text, ("LOAD-010", f"「{clip(text)}」不是有效的整数")
    if tag == _FLOAT_TAG:
        return _decimal(text)
    return text, ("LOAD-010", f"不支持的 YAML 标签「{short_tag(tag)}」，请去掉标签")


def _decimal(text: str) -> tuple[Any, tuple[str, str] | None]:
    cleaned = text.replace("_", "").strip()
    if cleaned.lower() in _SPECIAL_FLOATS:
        return text, ("LOAD-009", f"不允许使用无穷大或非数「{text}」，请填写具体数字")
    try:
        if ":" in cleaned:  # YAML 1.1 sexagesimal (1:30.5 = 90.5): never converted silently
            return text, None
        value = Decimal(cleaned)
    except ArithmeticError:  # InvalidOperation, Overflow
        return text, ("LOAD-010", f"「{clip(text)}」不是有效的数字")
    if not value.is_finite():
        return text, ("LOAD-009", f"不允许使用无穷大或非数「{text}」，请填写具体数字")
    if value and abs(value.adjusted()) > _MAX_EXPONENT:
        return text, ("LOAD-009", f"数值「{clip(text)}」的数量级超出合理范围，请检查")
    return value, None


# ---------------------------------------------------------------------------------------
# collections and anchors


@dataclass(slots=True)
class Anchored:
    """A value an anchor stands for: its node count (aliases expanded) and nesting height."""

    value: Any
    size: int
    height: int
    tainted: bool


@dataclass(slots=True)
class Frame:
    """A mapping or sequence being composed; the mapping fields track its current key."""

    kind: str  # "map" or "seq"
    path: str | None  # None: the value is discarded (a key, a duplicate's value)
    value: Any
    line: int
    anchor: str | None
    as_key: bool = False
    size: int = 1
    height: int = 1
    tainted: bool = False
    # mapping state
    has_key: bool = False
    key: str = ""
    key_line: int = 0
    drop_value: bool = False
    merge_pending: bool = False
    key_lines: dict[str, int] = field(default_factory=dict)
    merges: list[tuple[int, Any]] = field(default_factory=list)

    def expect_value(self, key_line: int, *, drop: bool) -> None:
        """A key has been read; its value comes next (and is dropped if ``drop``)."""
        self.has_key = True
        self.key_line = key_line
        self.drop_value = drop
        self.merge_pending = False
