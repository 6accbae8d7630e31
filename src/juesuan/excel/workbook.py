"""The fill-in workbook: ``template_bytes(profile)`` (blank) and ``workbook_bytes(ds)`` (filled).

Layout of a 项-level input sheet (收入决算表, 支出决算表, the fund tables):

- row 1 the title, row 2 the unit line (单位：万元), rows 3–4 the official header;
- row 5 the 合计 row (formulas), rows 6… one row per 项: 科目编码 (list validation from the
  hidden 科目目录 sheet), 科目名称 (VLOOKUP from the code unless typed), the amounts
  (input), totals of the row as formulas, and supplementary columns (年初预算数…).

Text is written through :func:`keep_text`, so a text that starts with ``=``/``+``/``-``/``@``
stays text; the zip is re-packed deterministically.
"""

from __future__ import annotations

import re
import zipfile
from decimal import Decimal
from functools import lru_cache
from io import BytesIO
from typing import Any

from openpyxl import Workbook
from openpyxl.cell.cell import TYPE_STRING
from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet
from openpyxl.writer.excel import ExcelWriter
from pydantic import BaseModel

from juesuan.catalog.catalogs import load_catalogs
from juesuan.derive import LINE_INCOME
from juesuan.document.spreadsheetml import FIXED_DATETIME, FORMULA_PREFIXES, MONEY_FORMAT, xml_text
from juesuan.document.xlsx import BORDER_COLOUR
from juesuan.document.xlsx import HEADER_FILL as TABLE_FILL
from juesuan.document.ziprepack import repack
from juesuan.io.workbook.fields import KV_SHEETS, entries
from juesuan.io.workbook.layout import (
    ECONOMIC_INPUT,
    EXTRA_COLUMNS,
    FUNCTIONAL_INPUT,
    SCALAR_FIGURES,
    SUM_FIGURES,
    profile_specs,
)
from juesuan.io.workbook.unread import CATALOG_SHEET, FIRST_DATA_ROW, GUIDE_SHEET, HEAD_ROWS
from juesuan.model.dataset import SPENDING_KINDS, Dataset
from juesuan.profiles.tables import leaf_columns

__all__ = [
    "CATALOG_SHEET",
    "GUIDE_SHEET",
    "HEAD_ROWS",
    "fixed_layout",
    "template_bytes",
    "workbook_bytes",
]

BLANK_ROWS = 200  # input rows of a blank template
SPARE_ROWS = 30  # extra input rows after a filled template's lines
KV_SPARE = 5  # blank rows after each list in a key-value sheet (a filled workbook)
KV_BLANK = 15  # blank rows of each list in a blank template
BLANK_BLOCKS = 5  # blank project blocks in a blank template

# As the tables of the built XLSX (juesuan.document.xlsx): thin black borders, grey header.
HEADER_FILL = PatternFill(fill_type="solid", start_color=TABLE_FILL, end_color=TABLE_FILL)
_THIN = Side(style="thin", color=BORDER_COLOUR)
BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_INPUT_FILL = PatternFill(fill_type="solid", start_color="FFFFF9E5", end_color="FFFFF9E5")
_FORMULA_FILL = PatternFill(fill_type="solid", start_color="FFEFEFEF", end_color="FFEFEFEF")
_UNLOCKED = Protection(locked=False)
_FONT = Font(name="宋体", size=10)
_BOLD = Font(name="宋体", size=10, bold=True)
_TITLE = Font(name="宋体", size=14, bold=True)
_GREY = Font(name="宋体", size=9, color="FF808080")


def keep_text(target) -> None:
    """Keep a text cell text: openpyxl reads a str starting with ``=`` as a formula."""
    if isinstance(target.value, str):
        target.data_type = TYPE_STRING
        if target.value.startswith(FORMULA_PREFIXES):
            # Excel's "'" prefix: the text stays text even when a user edits the cell.
            target.quotePrefix = True


class _Book:
    def __init__(self, profile: str, ds: Dataset | None) -> None:
        self.profile = profile
        self.ds = ds
        self.wb = Workbook()
        self.wb.remove(self.wb.active)
        self.placed: dict[str, str] = {}  # figure id → 'sheet'!$C$5
        self.pending: list[tuple[Any, str]] = []  # (cell, figure id) to resolve at the end
        self.func_sheets: dict[str, tuple[str, str, int]] = {}  # figure → (sheet, col, last row)
        year = ds.catalog_year or ds.year if ds else 2024
        self.catalogs = load_catalogs(year)
        self.unit = ds.unit if ds else "万元"
        self.last_row_fields: tuple[str, ...] = ()  # the columns of the last "row" entry
        self.spare = KV_SPARE if ds else KV_BLANK  # blank rows after each key-value list
        self.input_cols: dict[str, tuple[str, str, int]] = {}  # line field → (sheet, col, last)
        self.line_sums: list[tuple[Any, str, int]] = []  # (支出决算表 cell, kind, row)

    # -- cells ------------------------------------------------------------------------------

    def text(self, ws: Worksheet, row: int, col: int, value: str | None, font: Font = _FONT):
        cell = ws.cell(row=row, column=col, value=xml_text(value) if value else None)
        keep_text(cell)
        cell.font = font
        cell.alignment = Alignment(vertical="center", wrap_text=True)
        return cell

    def head(self, ws: Worksheet, row: int, col: int, value: str, r2: int = 0, c2: int = 0):
        cell = self.text(ws, row, col, value, _BOLD)
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        r2, c2 = max(r2, row), max(c2, col)
        for r in range(row, r2 + 1):
            for c in range(col, c2 + 1):
                ws.cell(row=r, column=c).border = BORDER
                ws.cell(row=r, column=c).fill = HEADER_FILL
        if r2 > row or c2 > col:
            ws.merge_cells(start_row=row, start_column=col, end_row=r2, end_column=c2)
        return cell

    def amount(self, ws: Worksheet, row: int, col: int, value: Decimal | int | None):
        cell = ws.cell(row=row, column=col, value=value)
        cell.number_format = MONEY_FORMAT
        cell.protection = _UNLOCKED
        cell.fill = _INPUT_FILL
        cell.border = BORDER
        cell.font = _FONT
        return cell

    def entry(self, ws: Worksheet, row: int, col: int, value: Any, code: bool = False):
        """An unlocked input cell holding text or a number."""
        if isinstance(value, str) or value is None:
            cell = self.text(ws, row, col, value)
        else:
            cell = ws.cell(row=row, column=col, value=value)
            cell.font = _FONT
        if code:
            cell.number_format = "@"
        cell.protection = _UNLOCKED
        cell.fill = _INPUT_FILL
        cell.border = BORDER
        return cell

    def formula(self, ws: Worksheet, row: int, col: int, text: str, money: bool = True):
        cell = ws.cell(row=row, column=col, value=text)
        cell.fill = _FORMULA_FILL
        cell.border = BORDER
        cell.font = _FONT
        if money:
            cell.number_format = MONEY_FORMAT
        return cell

    def title(self, ws: Worksheet, title: str, width: int, unit: bool = True) -> None:
        self.text(ws, 1, 1, title, _TITLE).alignment = Alignment(horizontal="center")
        if width > 1:
            ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=width)
        if unit:
            self.text(ws, 2, width, f"单位：{self.unit}").alignment = Alignment(horizontal="right")

    def protect(self, ws: Worksheet) -> None:
        ws.protection.sheet = True  # no password: only guards the formulas
        ws.protection.formatRows = False
        ws.protection.formatColumns = False
        # lists take as many rows as needed: inserted rows are read (see excel.unread)
        ws.protection.insertRows = False
        ws.protection.deleteRows = False

    def fill(self, text: str) -> str:
        name = self.ds.department.name if self.ds else "（部门名称）"
        year = self.ds.year if self.ds else "（年度）"
        return text.format(dept=name, year=year)

    # -- sheets -----------------------------------------------------------------------------

    def build(self) -> bytes:
        self.guide()
        for spec in profile_specs(self.profile):
            kind = spec["kind"]
            if kind == "functional" and spec["key"] in FUNCTIONAL_INPUT:
                self.functional(spec)
            elif kind == "economic" and spec["key"] in ECONOMIC_INPUT:
                self.economic(spec)
            elif kind == "two_sided":
                self.two_sided(spec)
            elif kind == "grid" and spec["key"] == "sangong":
                self.grid(spec)
            else:
                self.derived(spec)
        for sheet in KV_SHEETS:
            self.key_values(sheet)
        self.catalog_sheet()
        for cell, fid in self.pending:
            cell.value = self.resolve(fid)
            if cell.value is None:
                cell.fill = PatternFill(fill_type=None)
        self.resolve_line_sums()
        return self.save()

    def resolve_line_sums(self) -> None:
        """支出决算表 cells of lines without other funds: Σ funds' basic/project (SUMIF by code)."""
        for cell, kind, r in self.line_sums:
            parts, counts = [], []
            for fund in ("general_budget", "government_fund", "state_capital"):
                where = self.input_cols.get(f"{fund}.{kind}")
                if where is None:
                    continue
                sheet, letter, last = where
                q = quote_sheetname(sheet)
                codes = f"{q}!$A${FIRST_DATA_ROW}:$A${last}"
                values = f"{q}!${letter}${FIRST_DATA_ROW}:${letter}${last}"
                parts.append(f"SUMIF({codes},$A{r},{values})")
                counts.append(f'COUNTIFS({codes},$A{r},{values},"<>")')
            if parts:  # blank when no fund table has an amount (blank is not 0)
                cell.value = f'=IF({"+".join(counts)}=0,"",{"+".join(parts)})'
                cell.fill = _FORMULA_FILL

    def guide(self) -> None:
        ws = self.wb.create_sheet(GUIDE_SHEET)
        ws.column_dimensions["A"].width = 110
        lines = [
            "部门决算数据填报工作簿 —— 填表说明",
            f"地区模板（profile）：{self.profile}。本工作簿可直接用于 juesuan build / validate。",
            "1. 浅黄色单元格为填报单元格；灰色单元格为公式（合计、小计），工作表已保护（无密码），"
            "公式不会被误改。如需调整格式，可在“审阅—撤销工作表保护”后操作。",
            "2. 金额单位以“部门信息”表中的“金额单位”为准（元 或 万元），各表第二行的“单位：”"
            "与之一致；金额保留两位小数。",
            "3. 空白单元格表示“无数据”（表中印空白），与填 0 不同：确有零值的请填 0。",
            "4. 收入决算表、支出决算表、一般公共预算财政拨款支出决算表、政府性基金和国有资本经营"
            "预算表：每行填一个“项”级科目（7位功能分类编码），科目名称按编码自动带出；"
            "类、款和合计由程序汇总，不必填写。",
            "5. 基本支出、项目支出经济分类表：每行填一个“款”级科目（5位经济分类编码）。",
            "6. 收入支出决算总表、财政拨款收入支出决算总表：只填本年收入各来源和年初、年末结转"
            "结余等浅黄色单元格；支出各类由明细表汇总。",
            "7. 标注“由程序生成”的表不需填写。",
            "8. 部门信息、上年数、变动原因、三公明细、政府采购、国有资产、预算绩效管理、"
            "名词解释与报表数各表：在“值”列填写；列表类项目（如部门职责）每行一条，可填多行。"
            "行数不够时，在列表的最后一行之上插入整行（“开始—插入—插入工作表行”），插入的行"
            "同样读取；科目表同样可以插入行。",
            "9. 填在填报区之外的任何内容都会报错并指明工作表和单元格（如「部门信息!E7」），"
            "不会被悄悄忽略。",
            "10. 金额可写成数字或带千分位的文本（如 1,234.50），不能写汉字（如“一百”）。",
            "11. 隐藏的“科目目录”表是本年度分类科目目录，供编码下拉选择和名称查找，请勿修改。",
            "12. 绩效自评（部门）、绩效自评（项目）两表为预算绩效自评：部门整体支出绩效自评表的"
            "评分输入、各指标自评得分、分值小计与评价报告文字；每个项目一块项目支出绩效自评表"
            "（预算执行情况五行、绩效指标每行一项）。“列示”栏填“是”表示表中列示该行（金额可空）；"
            "评分输入只填数值时即为数值本身；指标的多条“发现的问题”可重复指标编号逐行填写；"
            "指标值、完成值填数字即为数值，填文字即为文字。空白工作簿有 5 个项目块，项目更多时"
            "请用数据文件（YAML）填写后以 juesuan convert 生成工作簿。",
        ]
        for i, line in enumerate(lines, 1):
            self.text(ws, i, 1, line, _TITLE if i == 1 else _FONT)

    def functional(self, spec: dict[str, Any]) -> None:
        part = FUNCTIONAL_INPUT[spec["key"]]
        ws = self.wb.create_sheet(xml_text(self.fill(spec["title"]))[:31])
        name = ws.title
        leaves = leaf_columns(spec.get("columns", ()))
        extras = EXTRA_COLUMNS.get(spec["key"], ())
        width = 2 + len(leaves) + len(extras)
        self.title(ws, self.fill(spec["title"]), width)
        self.head(ws, 3, 1, "科目编码", 4)
        self.head(ws, 3, 2, "科目名称", 4)
        col = 3
        for item in spec["columns"]:
            if "columns" in item:
                n = len(leaf_columns(item.get("columns", ())))
                self.head(ws, 3, col, item["group"], 3, col + n - 1)
                for j, leaf in enumerate(leaf_columns(item.get("columns", ()))):
                    self.head(ws, 4, col + j, leaf["label"])
                col += n
            else:
                self.head(ws, 3, col, item["label"], 4)
                col += 1
        for label, _, _ in extras:
            self.head(ws, 3, col, f"（补充）{label}", 4)
            col += 1
        ws.column_dimensions["A"].width = 12
        ws.column_dimensions["B"].width = 30
        for c in range(3, width + 1):
            ws.column_dimensions[get_column_letter(c)].width = 14

        lines = list(self.ds.functional) if self.ds else []
        count = len(lines) + SPARE_ROWS if self.ds else BLANK_ROWS
        first, last = FIRST_DATA_ROW, FIRST_DATA_ROW + count - 1
        # column roles
        roles: list[tuple[str, str]] = []  # (role, line field) role: input/sum/text
        for leaf in leaves:
            fid = leaf["figure"]
            head, _, field = fid.partition(".")
            if head == part and field != "total":
                roles.append(("input", fid))
            else:
                roles.append(("sum", fid))
        roles += [("input" if kind == "amount" else "text", path) for _, path, kind in extras]
        inputs = [
            get_column_letter(3 + i)
            for i, (role, f) in enumerate(roles)
            if role == "input" and f.startswith(part + ".") and f.rsplit(".", 1)[1] in _SUMMED
        ]
        # 合计 row
        self.text(ws, 5, 2, "合计", _BOLD).border = BORDER
        ws.cell(row=5, column=1).border = BORDER
        for i, (role, fid) in enumerate(roles):
            letter = get_column_letter(3 + i)
            if role == "text":
                ws.cell(row=5, column=3 + i).border = BORDER
                continue
            self.formula(ws, 5, 3 + i, f"=SUM({letter}{first}:{letter}{last})")
            if i < len(leaves):
                self.placed[fid] = f"{quote_sheetname(name)}!${letter}$5"
                self.func_sheets[fid] = (name, letter, last)
            if role == "input":
                self.input_cols[fid] = (name, letter, last)
        # rows
        func_cat = self.catalogs.functional
        lookup = f"{quote_sheetname(CATALOG_SHEET)}!$A:$B"
        for n in range(count):
            r = first + n
            line = lines[n] if n < len(lines) else None
            self.code_and_name(ws, r, line, lookup)
            for i, (role, fid) in enumerate(roles):
                c = 3 + i
                if role == "sum":
                    # SUM, not +: a formula cell that is "" (blank) must not make #VALUE!
                    rng = ",".join(f"{x}{r}" for x in inputs) or "0"
                    self.formula(ws, r, c, f'=IF(COUNT({rng})=0,"",SUM({rng}))')
                elif role == "text":
                    value = _line_value(line, fid) if line else None
                    self.entry(ws, r, c, value).alignment = Alignment(wrap_text=False)
                elif part == "expenditure" and line is not None and line.expenditure is None:
                    # no other funds: the line is the sum of its appropriation spending,
                    # as formulas over the fund tables (resolved once they are placed)
                    cell = self.amount(ws, r, c, None)
                    self.line_sums.append((cell, fid.partition(".")[2], r))
                else:
                    self.amount(ws, r, c, _line_value(line, fid) if line else None)
        codes = [e.code for e in func_cat if len(e.code) == 7]
        self.validate(ws, f"A{first}:A{last}", "functional", len(codes))
        ws.freeze_panes = f"C{first}"
        self.protect(ws)
        del func_cat

    def code_and_name(self, ws: Worksheet, r: int, line: Any, lookup: str) -> None:
        """科目编码 in column A and 科目名称 in B: the line's own name, else looked up by code."""
        self.entry(ws, r, 1, line.code if line else None, code=True)
        if line is not None and line.name is not None:
            self.entry(ws, r, 2, line.name)
        else:
            cell = self.entry(ws, r, 2, None)
            cell.value = f'=IF(A{r}="","",IFERROR(VLOOKUP(A{r},{lookup},2,FALSE),"未知科目"))'

    def validate(self, ws: Worksheet, ref: str, scheme: str, n: int) -> None:
        col = "A" if scheme == "functional" else "D"
        dv = DataValidation(
            type="list",
            formula1=f"{quote_sheetname(CATALOG_SHEET)}!${col}$2:${col}${n + 1}",
            allow_blank=True,
            errorStyle="warning",
            error="编码不在本年度分类科目目录中，请核对（如确属新增科目可继续）。",
            errorTitle="科目编码",
        )
        dv.add(ref)
        ws.add_data_validation(dv)

    def economic(self, spec: dict[str, Any]) -> None:
        field = ECONOMIC_INPUT[spec["key"]]
        ws = self.wb.create_sheet(xml_text(self.fill(spec["title"]))[:31])
        label = spec["values"][0]["label"] if len(spec["values"]) == 1 else "决算数"
        self.title(ws, self.fill(spec["title"]), 3)
        self.head(ws, 3, 1, "科目编码", 4)
        self.head(ws, 3, 2, "科目名称", 4)
        self.head(ws, 3, 3, label, 4)
        ws.column_dimensions["A"].width = 12
        ws.column_dimensions["B"].width = 30
        ws.column_dimensions["C"].width = 16
        lines = list(getattr(self.ds, field)) if self.ds else []
        count = len(lines) + SPARE_ROWS if self.ds else 120
        first, last = FIRST_DATA_ROW, FIRST_DATA_ROW + count - 1
        self.text(ws, 5, 2, "合计", _BOLD).border = BORDER
        ws.cell(row=5, column=1).border = BORDER
        self.formula(ws, 5, 3, f"=SUM(C{first}:C{last})")
        lookup = f"{quote_sheetname(CATALOG_SHEET)}!$D:$E"
        for n in range(count):
            r = first + n
            line = lines[n] if n < len(lines) else None
            self.code_and_name(ws, r, line, lookup)
            self.amount(ws, r, 3, line.amount if line else None)
        n_codes = sum(1 for e in self.catalogs.economic if len(e.code) == 5)
        self.validate(ws, f"A{first}:A{last}", "economic", n_codes)
        ws.freeze_panes = f"C{first}"
        self.protect(ws)

    def two_sided(self, spec: dict[str, Any]) -> None:
        ws = self.wb.create_sheet(xml_text(self.fill(spec["title"]))[:31])
        left, right = spec["left"], spec["right"]
        lw, rw = len(left["columns"]), len(right["columns"])
        self.title(ws, self.fill(spec["title"]), lw + rw)
        self.head(ws, 3, 1, left.get("header", "收入"), 3, lw)
        self.head(ws, 3, lw + 1, right.get("header", "支出"), 3, lw + rw)
        for i, text in enumerate([*left["columns"], *right["columns"]]):
            self.head(ws, 4, i + 1, text)
            ws.column_dimensions[get_column_letter(i + 1)].width = 34 if i in (0, lw) else 16
        for side, offset in ((left, 0), (right, lw)):
            body = _side_items(side, "rows", self.catalogs)
            foot = _side_items(side, "footer")
            other = right if side is left else left
            n_body = max(
                len(_side_items(left, "rows", None)), len(_side_items(right, "rows", None))
            )
            pad = len(_side_items(other, "footer")) - len(foot)
            rows = body + [None] * (n_body - len(body)) + [None] * max(pad, 0) + foot
            for k, item in enumerate(rows):
                r = 5 + k
                for c in range(offset + 1, offset + len(side["columns"]) + 1):
                    ws.cell(row=r, column=c).border = BORDER
                if item is None:
                    continue
                label, figures = item
                self.text(ws, r, offset + 1, label).border = BORDER
                for j, fid in enumerate(figures):
                    self.figure_cell(ws, r, offset + 2 + j, fid, ws.title)
        self.protect(ws)

    def figure_cell(self, ws: Worksheet, r: int, c: int, fid: str, sheet: str) -> None:
        path = SCALAR_FIGURES.get(fid)
        ref = f"{quote_sheetname(sheet)}!${get_column_letter(c)}${r}"
        if path is not None and fid not in self.placed:
            self.amount(ws, r, c, _get(self.ds, path) if self.ds else None)
            self.placed[fid] = ref
        else:
            cell = self.formula(ws, r, c, None)
            self.pending.append((cell, fid))
            self.placed.setdefault(fid, ref)

    def resolve(self, fid: str, depth: int = 0) -> str | None:
        """A formula for figure ``fid`` from the cells placed in the workbook, if possible."""
        expr = self.expr(fid, depth)
        return f"={expr}" if expr else None

    def expr(self, fid: str, depth: int) -> str | None:
        if depth > 6:
            return None
        if fid in SCALAR_FIGURES and fid in self.placed:
            return self.placed[fid]
        if fid in SUM_FIGURES:
            parts = [self.expr(f, depth + 1) for f in SUM_FIGURES[fid]]
            parts = [p for p in parts if p]
            return f"SUM({','.join(parts)})" if parts else None
        m = re.fullmatch(r"func\.(\d{3})\.(\w+)\.total", fid)
        if m:
            where = self.func_sheets.get(f"{m.group(2)}.total")
            if where is None:
                return None
            sheet, letter, last = where
            q = quote_sheetname(sheet)
            codes = f"{q}!$A${FIRST_DATA_ROW}:$A${last}"
            values = f"{q}!${letter}${FIRST_DATA_ROW}:${letter}${last}"
            return f'SUMIF({codes},"{m.group(1)}????",{values})'
        if fid.endswith(".expenditure.total"):
            alias = self.placed.get(fid.replace(".expenditure.total", ".total"))
            if alias:
                return alias
        if fid in self.placed and self.placed[fid] and fid.endswith(".total"):
            return self.placed[fid]
        return None

    def grid(self, spec: dict[str, Any]) -> None:
        ws = self.wb.create_sheet(xml_text(self.fill(spec["title"]))[:31])
        width = spec["columns"]
        self.title(ws, self.fill(spec["title"]), width)
        occupied: set[tuple[int, int]] = set()
        for i, row in enumerate(spec["header"]):
            c = 1
            for item in row:
                item = item if isinstance(item, dict) else {"text": item}
                while (i, c) in occupied:
                    c += 1
                cs, rs = item.get("colspan", 1), item.get("rowspan", 1)
                for dr in range(rs):
                    for dc in range(cs):
                        occupied.add((i + dr, c + dc))
                self.head(ws, 3 + i, c, item["text"], 3 + i + rs - 1, c + cs - 1)
                c += cs
        r = 3 + len(spec["header"])
        for k, row in enumerate(spec["rows"]):
            for j, fid in enumerate(row):
                self.figure_cell(ws, r + k, 1 + j, fid, ws.title)
        for c in range(1, width + 1):
            ws.column_dimensions[get_column_letter(c)].width = 12
        self.protect(ws)

    def derived(self, spec: dict[str, Any]) -> None:
        ws = self.wb.create_sheet(xml_text(self.fill(spec["title"]))[:31])
        self.title(ws, self.fill(spec["title"]), 1, unit=False)
        self.text(ws, 3, 1, "本表由程序根据其他各表自动生成，无需填写。")
        ws.column_dimensions["A"].width = 60
        self.protect(ws)

    def key_values(self, sheet: str) -> None:
        ws = self.wb.create_sheet(sheet)
        ws.column_dimensions["A"].hidden = True
        ws.column_dimensions["B"].width = 48
        for letter in "CDEFG":
            ws.column_dimensions[letter].width = 24
        ws.column_dimensions["C"].width = 60
        self.text(ws, 1, 2, sheet, _TITLE)
        self.head(ws, 2, 1, "字段")
        self.head(ws, 2, 2, "项目")
        self.head(ws, 2, 3, "值")
        r = 3
        self.last_row_fields = ()
        for e in entries(sheet):
            r = self.kv_entry(ws, r, e, e.path, _get(self.ds, e.path) if self.ds else None)
        if sheet == "部门信息":
            dv = DataValidation(type="list", formula1='"元,万元"', allow_blank=False)
            for row in ws.iter_rows(min_row=3, max_row=r, min_col=1, max_col=1):
                if row[0].value == "unit":
                    dv.add(f"C{row[0].row}")
            ws.add_data_validation(dv)
        ws.freeze_panes = "C3"
        self.protect(ws)

    def kv_entry(self, ws: Worksheet, r: int, e: Any, path: str, value: Any) -> int:
        """Write entry ``e`` (at ``path``, holding ``value``) from row ``r``; the next free row."""
        prev, self.last_row_fields = self.last_row_fields, ()
        if e.kind == "scalar":
            if e.path == "profile" and value is None:
                value = self.profile
            self.text(ws, r, 1, path, _GREY)
            self.text(ws, r, 2, e.label + ("（必填）" if e.required else ""))
            self.entry(ws, r, 3, value)
            return r + 1
        if e.kind == "list":
            items = list(value or ())
            for item in [*items, *([None] * self.spare)]:
                self.text(ws, r, 1, path, _GREY)
                self.text(ws, r, 2, e.label + "（每行一条）")
                self.entry(ws, r, 3, item)
                r += 1
            return r
        if e.kind == "dict":
            self.text(ws, r, 2, e.label, _BOLD)
            self.head(ws, r, 3, "键")
            self.head(ws, r, 4, "内容")
            r += 1
            pairs = list((value or {}).items())
            for pair in [*pairs, *([None] * self.spare)]:
                self.text(ws, r, 1, path, _GREY)
                self.entry(ws, r, 3, pair[0] if pair else None)
                self.entry(ws, r, 4, pair[1] if pair else None)
                r += 1
            return r
        if e.kind == "dict_records":
            self.text(ws, r, 2, e.label, _BOLD)
            self.head(ws, r, 3, "键")
            for j, h in enumerate(e.headers):
                self.head(ws, r, 4 + j, h)
            r += 1
            pairs = list((value or {}).items())
            for pair in [*pairs, *([None] * self.spare)]:
                key, rec = pair if pair else (None, None)
                if rec is not None and not isinstance(rec, BaseModel):  # a bare number
                    cells: list[list[Any]] = [[rec]]
                else:
                    cells = [[getattr(rec, f) if rec is not None else None for f in e.fields]]
                    for j, v in enumerate(cells[0]):
                        if isinstance(v, list):  # one item per row, the key repeated
                            cells[0][j] = v[0] if v else None
                            for k, item in enumerate(v[1:], 1):
                                if len(cells) <= k:
                                    cells.append([None] * len(e.fields))
                                cells[k][j] = item
                for row in cells:
                    self.text(ws, r, 1, path, _GREY)
                    self.entry(ws, r, 3, key)
                    for j in range(len(e.fields)):
                        self.entry(ws, r, 4 + j, row[j] if j < len(row) else None)
                    r += 1
            return r
        if e.kind == "row":
            if prev != e.fields:
                self.head(ws, r, 3, "列示")
                for j, h in enumerate(e.headers):
                    self.head(ws, r, 4 + j, h)
                r += 1
            self.text(ws, r, 1, path, _GREY)
            self.text(ws, r, 2, e.label)
            self.entry(ws, r, 3, "是" if value is not None else None)
            for j, f in enumerate(e.fields):
                self.entry(ws, r, 4 + j, getattr(value, f) if value is not None else None)
            self.last_row_fields = e.fields
            return r + 1
        if e.kind == "blocks":
            items = list(value or ())
            spare = 1 if self.ds else BLANK_BLOCKS
            for i, item in enumerate([*items, *([None] * spare)]):
                r += 1 if i else 0
                self.text(ws, r, 2, f"{e.item}（{i + 1}）", _TITLE)
                r += 1
                for child in e.children:
                    sub = child.path[len(e.path) + 1 :]
                    where = f"{path}.{i}.{sub}"
                    r = self.kv_entry(ws, r, child, where, _get(item, sub))
            return r
        # records
        self.text(ws, r, 2, e.label, _BOLD)
        for j, h in enumerate(e.headers):
            self.head(ws, r, 3 + j, h)
        r += 1
        records = list(value or ())
        for rec in [*records, *([None] * self.spare)]:
            self.text(ws, r, 1, path, _GREY)
            for j, f in enumerate(e.fields):
                self.entry(ws, r, 3 + j, getattr(rec, f) if rec is not None else None)
            r += 1
        return r

    def catalog_sheet(self) -> None:
        ws = self.wb.create_sheet(CATALOG_SHEET)
        ws.sheet_state = "hidden"
        for c, text in enumerate(["功能分类编码", "名称", "", "经济分类编码", "名称"], 1):
            self.text(ws, 1, c, text)
        func = [e for e in self.catalogs.functional if len(e.code) == 7]
        econ = [e for e in self.catalogs.economic if len(e.code) == 5]
        for i, e in enumerate(func, 2):
            self.text(ws, i, 1, e.code)
            self.text(ws, i, 2, e.name)
        for i, e in enumerate(econ, 2):
            self.text(ws, i, 4, e.code)
            self.text(ws, i, 5, e.name)
        self.protect(ws)

    def save(self) -> bytes:
        props = self.wb.properties
        props.creator = "juesuan"
        props.title = "部门决算数据填报"
        props.created = FIXED_DATETIME
        props.modified = FIXED_DATETIME
        raw = BytesIO()
        with zipfile.ZipFile(raw, "w", zipfile.ZIP_DEFLATED) as archive:
            ExcelWriter(self.wb, archive).save()
        return _repack(raw.getvalue())


# the columns of a functional table whose 合计 row sums its 项 rows (income sources, spending kinds)
_SUMMED = set(LINE_INCOME) | set(SPENDING_KINDS)


def _side_items(side: dict[str, Any], key: str, catalogs: Any = None) -> list[Any]:
    out: list[tuple[str, list[str]] | None] = []
    for item in side.get(key, ()):
        if isinstance(item, dict) and "classes" in item:
            from juesuan.compose.narrative import chinese_number

            cls = item["classes"]
            for i, code in enumerate(cls["codes"], 1):
                out.append(
                    (
                        f"{chinese_number(i)}、"
                        + ((catalogs and catalogs.functional.name(str(code))) or str(code)),
                        [f.format(code=code) for f in cls["figures"]],
                    )
                )
        elif not item:
            out.append(None)
        else:
            label, *figures = item
            out.append((label, list(figures)))
    return out


def _get(obj: Any, path: str) -> Any:
    for part in path.split("."):
        if obj is None:
            return None
        obj = getattr(obj, part)
    return obj


def _line_value(line: Any, path: str) -> Any:
    return _get(line, path)


_V = re.compile(rb"<v>([^<]+)</v>")


def _repack(data: bytes) -> bytes:
    """Deterministic zip; numbers written as the shortest exact decimal (15 digits)."""

    def exact(match: re.Match[bytes]) -> bytes:
        try:
            value = float(match.group(1))
        except ValueError:
            return match.group(0)
        if value != value or value in (float("inf"), float("-inf")):
            return match.group(0)
        text = format(Decimal(format(value, ".15g")).normalize(), "f")
        return b"<v>" + text.encode("ascii") + b"</v>"

    def numbers(name: str, payload: bytes) -> bytes:
        return _V.sub(exact, payload) if name.startswith("xl/worksheets/sheet") else payload

    return repack(data, numbers)


@lru_cache(maxsize=8)
def fixed_layout(profile: str, year: int) -> dict[str, dict[tuple[int, int], str]]:
    """The cells (0-based row, column) the blank template fills on its fixed-layout parts.

    Keys: the spec key of each table (for the 项/款 input lists only their title, unit and
    header rows, above the 合计 row), plus :data:`GUIDE_SHEET` and :data:`CATALOG_SHEET`.
    Each cell maps to ``""`` (an input cell), ``"="`` (a formula) or its text.
    """
    book = _Book(profile, None)
    book.catalogs = load_catalogs(year)

    def cells(ws: Worksheet) -> dict[tuple[int, int], str]:
        out: dict[tuple[int, int], str] = {}
        for cell in ws._cells.values():
            value = cell.value
            if cell.protection.locked is False:
                out[cell.row - 1, cell.column - 1] = ""  # input
            elif isinstance(value, str) and value.startswith("="):
                out[cell.row - 1, cell.column - 1] = "="  # formula
            elif value is not None:
                out[cell.row - 1, cell.column - 1] = str(value)
        return out

    sheets: dict[str, Worksheet] = {}
    heads: set[str] = set()  # input lists: only their title, unit and header rows are fixed
    book.guide()
    sheets[GUIDE_SHEET] = book.wb.worksheets[-1]
    for spec in profile_specs(profile):
        kind = spec["kind"]
        if kind == "functional" and spec["key"] in FUNCTIONAL_INPUT:
            book.functional(spec)
            heads.add(spec["key"])
        elif kind == "economic" and spec["key"] in ECONOMIC_INPUT:
            book.economic(spec)
            heads.add(spec["key"])
        elif kind == "two_sided":
            book.two_sided(spec)
        elif kind == "grid" and spec["key"] == "sangong":
            book.grid(spec)
        else:
            book.derived(spec)
        sheets[spec["key"]] = book.wb.worksheets[-1]
    book.catalog_sheet()
    sheets[CATALOG_SHEET] = book.wb.worksheets[-1]
    for cell, fid in book.pending:  # a figure the workbook cannot compute stays empty
        cell.value = book.resolve(fid)
    out = {key: cells(ws) for key, ws in sheets.items()}
    for key in heads:
        out[key] = {(r, c): v for (r, c), v in out[key].items() if r < HEAD_ROWS}
    return out


def template_bytes(profile: str) -> bytes:
    """A blank fill-in workbook for ``profile``."""
    return _Book(profile, None).build()


def workbook_bytes(ds: Dataset) -> bytes:
    """The fill-in workbook for ``ds``'s profile, with the dataset's values filled in."""
    return _Book(ds.profile, ds).build()
