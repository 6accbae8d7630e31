"""Plain scalars are constructed once per text; the cache changes no value or location."""

from __future__ import annotations

from decimal import Decimal

import yaml

from juesuan.io import yaml_events
from juesuan.io.yaml_events import Composer
from juesuan.io.yaml_nodes import construct_scalar
from juesuan.pipeline import sample_path

TEXT = """\
a: 1.50
b: [1.50, '1.50', !!str 1.50, 042, 0x10, yes, ~, .inf, 1.0e+40, 2024-01-01]
c: {d: 1.50, e: 1.5, f: "yes"}
"""


def _compose(text: str) -> Composer:
    composer = Composer("t.yaml", max_nodes=10_000, max_depth=20)
    composer.run(text)
    return composer


def _same(a: Composer, b: Composer) -> None:
    assert repr(a.root) == repr(b.root)  # Decimal exponents included
    assert a.sources == b.sources and a.findings == b.findings and a.poisoned == b.poisoned


def test_cached_and_fresh_results_are_the_same() -> None:
    yaml_events._PLAIN.clear()
    fresh = _compose(TEXT)
    cached = _compose(TEXT)  # every plain scalar now comes from the cache
    _same(fresh, cached)
    assert fresh.root["b"][1:3] == ["1.50", "1.50"]  # quoted and tagged stay text
    assert [f.location.line for f in fresh.findings] == [2, 2]  # .inf and 1.0e+40


def test_cache_holds_what_construct_scalar_gives() -> None:
    yaml_events._PLAIN.clear()
    _compose(sample_path("seed").read_text(encoding="utf-8"))
    assert yaml_events._PLAIN
    for text, constructed in list(yaml_events._PLAIN.items())[:500]:
        event = yaml.ScalarEvent(None, None, (True, False), text)
        assert repr(construct_scalar(event)) == repr(constructed)


def test_cache_is_bounded(monkeypatch) -> None:
    monkeypatch.setattr(yaml_events, "_PLAIN_MAX", 8)
    yaml_events._PLAIN.clear()
    text = "\n".join(f"k{i}: {i}.5" for i in range(50))
    composer = _compose(text)
    assert len(yaml_events._PLAIN) <= 8
    assert [composer.root[f"k{i}"] for i in (0, 49)] == [Decimal("0.5"), Decimal("49.5")]
