"""Cell references are parsed once per text; refusals are never cached."""

from __future__ import annotations

import pytest

from juesuan.core.workbook_guard import WorkbookRefused, _position, _reference


@pytest.mark.parametrize(
    ("ref", "expected"),
    [(b"A1", (1, 1)), (b" $AB$12 ", (12, 28)), (b"c3", (3, 3)), (b"", (0, 0)), (b"7", (7, 0))],
)
def test_position(ref: bytes, expected: tuple[int, int]) -> None:
    assert _position(ref) == expected
    assert _position(ref) == expected  # from the cache


@pytest.mark.parametrize("ref", [b"ABCD1", b"A1234567890", b"1A", b"A-1", b" " * 1000 + b"?"])
def test_nonsense_is_refused_every_time_and_never_cached(ref: bytes) -> None:
    held = _reference.cache_info().currsize
    for _ in range(2):
        with pytest.raises(WorkbookRefused):
            _position(ref)
    assert _reference.cache_info().currsize == held
