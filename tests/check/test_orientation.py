"""Pages whose text runs sideways or upside down are read in the text's own frame."""

from __future__ import annotations

from pathlib import Path

import pikepdf
import pytest

from juesuan.check import check_file
from juesuan.check.read.orientation import turned_rules, upright

GOLDEN = Path(__file__).resolve().parents[1] / "golden" / "putuo-2024.pdf"


@pytest.mark.parametrize(
    ("turn", "direction", "up"),
    [(0, (1, 0), (0, 1)), (90, (0, 1), (-1, 0)), (180, (-1, 0), (0, -1)), (270, (0, -1), (1, 0))],
)
def test_the_text_direction_becomes_left_to_right_and_its_up_becomes_up(turn, direction, up):
    to_up, _ = upright(turn, 600.0, 800.0)
    x, y = to_up(300.0, 400.0)
    ax, ay = to_up(300.0 + direction[0], 400.0 + direction[1])
    assert (ax - x, ay - y) == (1, 0)
    ux, uy = to_up(300.0 + up[0], 400.0 + up[1])
    assert (ux - x, uy - y) == (0, 1)


def test_ruling_lines_turn_with_the_text():
    # a horizontal rule of a table printed reading upwards is a vertical line on the page
    assert turned_rules([(100.0, 50.0, 101.0, 550.0)], 90, 600.0, 800.0) == [
        (250.0, 100.0, 750.0, 101.0)
    ]


def _places(report):
    return sorted((i.finding.code, i.page or 0, str(i.finding.stated)) for i in report.items)


@pytest.mark.slow
def test_a_document_printed_upside_down_reads_as_the_original(tmp_path):
    """Every page of the published Putuo PDF turned half a turn in its content stream (the
    page box unchanged): the same tables, the same findings on the same pages."""
    with pikepdf.open(GOLDEN) as pdf:
        for page in pdf.pages:
            x0, y0, x1, y1 = (float(v) for v in page.obj.MediaBox)
            ops = pikepdf.parse_content_stream(page)
            turn = ([-1, 0, 0, -1, x0 + x1, y0 + y1], pikepdf.Operator("cm"))
            ops = [([], pikepdf.Operator("q")), turn, *ops, ([], pikepdf.Operator("Q"))]
            page.obj.Contents = pdf.make_stream(pikepdf.unparse_content_stream(ops))
        pdf.save(tmp_path / "upside-down.pdf")
    base, turned = check_file(GOLDEN), check_file(tmp_path / "upside-down.pdf")
    assert turned.headline == base.headline and "（可靠）" in turned.headline
    assert turned.tables_found == base.tables_found
    assert _places(turned) == _places(base)
