"""Reading HTML pages and Markdown: paragraphs numbered, tables as the DOCX reader gives them."""

from __future__ import annotations

from juesuan.check import check_file
from juesuan.check.read.markup import read_html, read_markdown
from juesuan.check.read.reader import read

PAGE = """<html><head><meta charset="utf-8"><title>某局</title><style>p{}</style></head><body>
<div class="content"><h1>某局2024年度部门决算</h1>
<p>2024年本年支出合计100.00万元，其中：基本支出60.00万元，占60.00%；项目支出40.00万元，占41.00%。</p>
<div>第一行<br>第二行</div>
<p><b>支出决算表</b></p><p>单位：万元</p>
<table>
<tr><th colspan="2">项目</th><th rowspan="2">合计</th></tr>
<tr><th>编码</th><th>科目名称</th></tr>
<tr><td>201</td><td>一般公共服务支出</td><td>100.00</td></tr>
<tr><td rowspan="2">合计</td><td>甲</td><td>1</td></tr>
<tr><td>乙</td><td>2</td></tr>
</table></div></body></html>"""


def test_html_paragraphs_and_tables(tmp_path):
    p = tmp_path / "page.html"
    p.write_text(PAGE, encoding="utf-8")
    doc = read_html(p)
    texts = [ln.text for ln in doc.lines]
    assert texts[0] == "某局2024年度部门决算" and "第一行" in texts and "第二行" in texts
    assert all(ln.paragraph == ln.line for ln in doc.lines)
    (table,) = doc.tables
    assert table.title == "支出决算表"
    grid = [r.cells for r in table.rows]
    assert grid[0] == ["项目", "项目", "合计"]  # a header cell merged over columns repeats
    assert grid[1] == ["编码", "科目名称", ""]  # below a cell merged over rows: empty
    assert grid[2] == ["201", "一般公共服务支出", "100.00"]
    assert grid[4] == ["", "乙", "2"]


def test_html_in_gbk_without_charset(tmp_path):
    p = tmp_path / "page.htm"
    p.write_bytes(PAGE.replace('<meta charset="utf-8">', "").encode("gbk"))
    doc = read_html(p)
    assert doc.lines[0].text == "某局2024年度部门决算" and doc.tables[0].title == "支出决算表"


def test_html_finding_at_its_paragraph(tmp_path):
    p = tmp_path / "page.html"
    p.write_text(PAGE, encoding="utf-8")
    report = check_file(p)
    (item,) = [i for i in report.items if i.finding.code == "CHK-101"]
    assert item.paragraph == 2 and str(item.finding.stated) == "41.00"


MARKDOWN = """# 某局2024年度部门决算

**表13　财政拨款“三公”经费支出决算表**

<p align="right">单位：万元</p>

| 三公 合计 预算数 | 三公 合计 决算数 | 名称 |
|---|---|---|
| 0.46 | 0.46<br> | 甲｜乙 |
"""


def test_markdown_pipe_table_header_split_back(tmp_path):
    p = tmp_path / "doc.md"
    p.write_text(MARKDOWN, encoding="utf-8")
    doc = read_markdown(p)
    (table,) = doc.tables
    assert table.title == "表13　财政拨款“三公”经费支出决算表"
    grid = [r.cells for r in table.rows]
    assert grid[:3] == [["三公", "三公", ""], ["合计", "合计", ""], ["预算数", "决算数", "名称"]]
    assert grid[3] == ["0.46", "0.46", "甲｜乙"]
    assert doc.lines[0].text == "某局2024年度部门决算"


def test_unknown_suffix_names_the_readable_ones(tmp_path):
    p = tmp_path / "doc.rtf"
    p.write_text("x", encoding="utf-8")
    doc, problems = read(p)
    assert doc is None and ".html" in problems[0].message and ".md" in problems[0].message
