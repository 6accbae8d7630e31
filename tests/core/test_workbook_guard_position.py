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


class _Trickle:
    """A stream that gives a few bytes a read, so that tags and texts cross chunk borders."""

    def __init__(self, data: bytes, size: int):
        self.data, self.size, self.at = data, size, 0

    def read(self, _n: int = -1) -> bytes:
        out = self.data[self.at : self.at + self.size]
        self.at += len(out)
        return out


def test_uncalculated_formulas_come_with_their_text_whatever_the_chunks():
    from juesuan.core.workbook_guard import scan_sheet_xml

    xml = (
        b'<worksheet><sheetData><row r="6">'
        b'<c r="C6"><f>IF(COUNTIFS(A6,B6)=0,"",1)</f></c>'
        b'<c r="D6"><f>D7*2</f><v></v></c>'
        b'<c r="E6"><f t="shared" si="0"/></c>'
        b'<c r="F6"><f>1+1</f><v>2</v></c>'
        b"</row></sheetData></worksheet>"
    )
    expected = {(5, 2): 'IF(COUNTIFS(A6,B6)=0,"",1)', (5, 3): "D7*2", (5, 4): ""}
    for size in (1 << 20, 1, 3, 7, 13):
        found: dict = {}
        scan_sheet_xml(_Trickle(xml, size), uncached=found)  # type: ignore[arg-type]
        assert found == expected, size
