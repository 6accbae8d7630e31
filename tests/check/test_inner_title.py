"""Tables that carry their title (and unit line) in their first rows, as spreadsheets and word
processors export them, often under a heading that is not the title: read as the same tables."""

from __future__ import annotations

import copy
import re

import pytest
from report_view import serious, unplaced

from juesuan.check import check_file
from juesuan.check.read.kinds import heading_rows

pytestmark = pytest.mark.slow


def test_heading_rows_are_the_title_then_unit_and_preparer_lines():
    assert heading_rows([["收入支出决算总表"] * 4, ["单位：万元"] * 4, ["项目", "决算数"]]) == 2
    assert (
        heading_rows([["表1 收入支出决算总表", ""], ["编制单位：某局", "单位：元"], ["项目"]]) == 2
    )
    assert heading_rows([["项目", "决算数"], ["合计", "1.00"]]) == 0
    assert heading_rows([["本表反映部门本年度的总收支情况。"]]) == 0  # a sentence, not a title


def html_inside(html: str) -> str:
    """Every table's title heading and unit line moved into the table as its first rows."""

    def inside(m: re.Match) -> str:
        title, unit, table = m.group(1), m.group(2) or "", m.group(3)
        n = table.count("<col ") or 1
        rows = f'<tr><td colspan="{n}">{title}</td></tr>'
        if unit:
            rows += f'<tr><td colspan="{n}" align="right">{unit}</td></tr>'
        tag = "<thead>" if "<thead>" in table else "<tbody>"
        return table.replace(tag, tag + rows, 1)

    pattern = r'<h5>([^<]*)</h5>(?:<p class="unit">([^<]*)</p>)?(<table.*?</table>)'
    out, n = re.subn(pattern, inside, html, flags=re.S)
    assert n >= 9
    return out


def docx_inside(src, dst) -> int:
    """The DOCX with each table's title and unit paragraphs moved into merged first rows."""
    import docx
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    d = docx.Document(str(src))
    moved = 0
    elements = list(d.element.body.iterchildren())
    for k, el in enumerate(elements):
        if not el.tag.endswith("}tbl"):
            continue
        above = []
        for prev in reversed(elements[max(0, k - 3) : k]):
            text = Paragraph(prev, d).text.strip() if prev.tag.endswith("}p") else ""
            if not text:
                continue
            above.append((prev, text))
            if not text.startswith("单位"):
                break
        if not above or not above[-1][1].endswith(("表", "）")):
            continue
        texts = [t for _, t in reversed(above)]
        table = Table(el, d)
        first = table.rows[0]._tr
        for _ in texts:
            new = copy.deepcopy(first)
            first.addprevious(new)
            first = new
        for i, text in enumerate(texts):
            cells = table.rows[i].cells
            cell = cells[0].merge(cells[-1]) if len({id(c._tc) for c in cells}) > 1 else cells[0]
            for p in cell.paragraphs[1:]:
                p._p.getparent().remove(p._p)
            paragraph = cell.paragraphs[0]
            for run in paragraph.runs:
                run._r.getparent().remove(run._r)
            paragraph.add_run(text)
        for prev, _ in above:
            prev.getparent().remove(prev)
        moved += 1
    d.save(str(dst))
    return moved


@pytest.mark.parametrize("name", ["seed", "putuo"])
def test_html_tables_with_their_title_inside_read_as_the_original(built, tmp_path, name):
    base = check_file(built[(name, "html")])
    moved = tmp_path / "inside.html"
    moved.write_text(html_inside(built[(name, "html")].read_text("utf-8")), "utf-8")
    report = check_file(moved)
    assert "（可靠）" in report.headline
    assert unplaced(report.tables_found) == unplaced(base.tables_found)
    assert serious(report) == serious(base)


def test_word_tables_with_their_title_inside_read_as_the_original(built, tmp_path):
    base = check_file(built[("seed", "docx")])
    assert docx_inside(built[("seed", "docx")], tmp_path / "inside.docx") >= 13
    report = check_file(tmp_path / "inside.docx")
    assert "（可靠）" in report.headline
    assert unplaced(report.tables_found) == unplaced(base.tables_found)
    assert serious(report) == serious(base)
