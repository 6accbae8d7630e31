"""Recovery: standard tables (as grids of cell texts) → rows with codes, labels and values,
then → a Dataset (项 lines as detail; 类/款/合计 rows and the other printed cells as ``stated``)
so that the shared rule catalog runs on a published document."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from juesuan.check.read.kinds import (
    APPROP_INCOME,
    APPROP_SPENDING,
    COLUMNS,
    FUNDS,
    SUMMARY_INCOME,
    SUMMARY_SPENDING,
    TITLES,
    strip_ordinal,
)
from juesuan.check.read.source import RawTable

NUMBER = re.compile(r"^-?\d[\d,]*(?:\.\d+)?$")


def number(text: str) -> Decimal | None:
    t = re.sub(r"\s+", "", text or "")
    if not NUMBER.match(t):
        return None
    try:
        return Decimal(t.replace(",", ""))
    except InvalidOperation:
        return None


@dataclass
class Origin:
    """Where a recovered figure was printed."""

    table: str
    row: str
    column: str
    line: int | None = None
    page: int | None = None
    row_index: int | None = None
    quote: str = ""


@dataclass
class Recovered:
    """Everything recovered from the tables, before it becomes a Dataset."""

    lines: dict[str, dict] = field(default_factory=dict)  # 7-digit code → FunctionalLine dict
    names: dict[str, str] = field(default_factory=dict)
    income: dict[str, Decimal] = field(default_factory=dict)
    balances: dict = field(default_factory=dict)
    economic: dict[str, tuple[str, Decimal]] = field(default_factory=dict)
    stated: list[tuple[str, Decimal, Origin]] = field(default_factory=list)
    kinds: list[str] = field(default_factory=list)
    sangong: dict[str, dict[str, Decimal]] = field(default_factory=dict)
    # figures whose cell is printed blank (or not as a number): blank is not 0
    blanks: dict[str, Origin] = field(default_factory=dict)
    # funds (government_fund, state_capital) whose 项 lines a table has given: a second table
    # of the same fund (收入支出表 and 支出表) states its figures, to be compared
    fund_lines: set[str] = field(default_factory=set)

    def state(self, figure: str, value: Decimal | None, origin: Origin) -> None:
        if value is not None:
            self.stated.append((figure, value, origin))
        else:
            self.blanks.setdefault(figure, origin)

    def line(self, code: str) -> dict:
        return self.lines.setdefault(code, {"code": code})


def _clean(text: str) -> str:
    return "".join(text.split()) if text else ""


def _header_split(table: RawTable) -> int:
    """Index of the first data row (a code or a 合计 row with a number). A table none of whose
    rows is such a row but which has an all-blank row below its header has its data rows
    printed blank (blank is not 0): they start at the first all-blank row."""
    blank_row = None
    for i, row in enumerate(table.rows):
        cells = [_clean(c) for c in row.cells]
        if not cells:
            continue
        if not any(cells):
            if blank_row is None and i > 0:
                blank_row = i
            continue
        if re.fullmatch(r"\d{3}(\d{2}){0,2}", cells[0]) or (
            cells[0] in ("合计", "总计") and any(number(c) is not None for c in cells)
        ):
            return i
        filled = [c for c in cells if c]
        if filled and all(number(c) is not None for c in filled):
            return i
        if any(number(c) is not None for c in cells) and any(
            re.fullmatch(r"[一二三四五六七八九十]+、.*", c) for c in cells
        ):
            return i
    return len(table.rows) if blank_row is None else blank_row


def _column_keys(kind: str, header: list[list[str]], ncols: int) -> dict[int, str]:
    keys: dict[int, str] = {}
    for j in range(ncols):
        texts = [_clean(r[j]) for r in header if j < len(r) and _clean(r[j])]
        for text in reversed(texts):  # the deepest header names the column
            hit = _match_key(kind, text)
            if hit:
                keys[j] = hit
                break
    return keys


def _match_key(kind: str, text: str) -> str | None:
    for key, prefixes in COLUMNS.get(kind, []):
        if any(text.startswith(p) for p in prefixes):
            return key
    if kind in FUNDS:  # a label joined from the header lines above (本年支出 + 基本支出)
        for key, prefixes in COLUMNS[kind]:
            if any(text.endswith(p) for p in prefixes):
                return key
    return None


def table_name(kind: str, title: str) -> str:
    """The name a recovered table goes by: the standard title, or for a fund table (whose
    templates differ: 收入支出决算表 or 支出决算表) its own title without its number."""
    if kind not in FUNDS:
        return TITLES[kind]
    t = re.sub(r"\s+", "", title)
    return re.sub(
        r"^(公开\d+表|表\d+|表[一二三四五六七八九十]+[、.．:：]?|附表\d*|[一二三四五六七八九十\d]+[、.．])",
        "",
        t,
    )


def recover_table(kind: str, table: RawTable, rec: Recovered, class_names: dict[str, str]) -> None:
    title = table_name(kind, table.title)
    split = _header_split(table)
    header = [r.cells for r in table.rows[:split]]
    data = table.rows[split:]
    if kind in FUNDS:
        rec.kinds.append(kind)  # present, even when it has no data (本表无数据)
        if not data:
            return
    elif not data:
        return
    else:
        rec.kinds.append(kind)
    ncols = max(len(r.cells) for r in table.rows)
    if kind in ("summary", "approp_summary"):
        _recover_two_sided(kind, title, header, data, rec, class_names, ncols)
        return
    if kind == "gb_basic":
        _recover_economic(title, data, rec)
        return
    if kind == "sangong":
        _recover_sangong(title, header, data, rec)
        return
    keys = _column_keys(kind, header, ncols)
    code_cols, name_col = [], None
    for j in range(ncols):
        texts = [t for t in (_clean(r[j]) for r in header if j < len(r)) if t]
        if (
            any(t in ("类", "款", "项") or "编码" in t for t in texts)
            and "科目名称" not in texts[-1:]
        ):
            code_cols.append(j)
        if texts and texts[-1] == "科目名称":
            name_col = j
    if not code_cols:
        code_cols = [0]
    fund = FUNDS.get(kind)
    as_stated = fund is not None and fund in rec.fund_lines  # the fund's second table
    if fund is not None:
        rec.fund_lines.add(fund)
    for row in data:
        cells = row.cells + [""] * (ncols - len(row.cells))
        code = "".join(
            _clean(cells[j]) for j in code_cols if re.fullmatch(r"\d+", _clean(cells[j]))
        )
        name = _clean(cells[name_col]) if name_col is not None else ""
        first = _clean(cells[0])
        is_total = first in ("合计", "总计") or name == "合计"
        if not is_total and not re.fullmatch(r"\d{3}|\d{5}|\d{7}", code):
            continue
        label = "合计" if is_total else f"{_spaced(code)} {name}".strip()
        if not is_total and name:
            rec.names.setdefault(code, name)
        quote = row.quote()
        for j, key in keys.items():
            value = number(cells[j])
            origin = Origin(
                title, label, _col_label(header, j), row.line, row.page, row.index, quote
            )
            if fund is not None:
                _place_fund(fund, key, code, is_total, value, origin, rec, as_stated)
            else:
                _place(kind, key, code, is_total, value, origin, rec)


FUND_TOTALS = {k: f"expenditure.{k}" for k in ("total", "basic", "project")}


def _place_fund(
    fund: str, key: str, code: str, total: bool, value, origin: Origin, rec: Recovered, stated: bool
) -> None:
    """A fund table's cell: its 合计 row states the fund's totals, its 类/款 rows state their
    sums; its 项 rows are the fund's lines (a second table of the same fund states them)."""
    if total:
        rec.state(f"{fund}.{FUND_TOTALS.get(key, key)}", value, origin)
    elif len(code) == 7 and key != "total" and not stated:
        block = rec.line(code).setdefault(fund, {})
        if value is not None:
            block[key] = value
    else:
        rec.state(f"func.{code}.{fund}.{key}", value, origin)


def _spaced(code: str) -> str:
    return " ".join(x for x in (code[:3], code[3:5], code[5:7]) if x)


def _col_label(header: list[list[str]], j: int) -> str:
    texts = [_clean(r[j]) for r in header if j < len(r) and _clean(r[j])]
    return texts[-1] if texts else f"第{j + 1}列"


def _place(kind: str, key: str, code: str, total: bool, value, origin: Origin, rec: Recovered):
    if kind == "income":
        if total:
            fig = "income.total" if key == "total" else f"income.{key}"
            rec.state(fig, value, origin)
        elif len(code) == 7 and key != "total":
            if value is not None:
                rec.line(code).setdefault("income", {})[key] = value
        else:
            rec.state(f"func.{code}.income.{key}", value, origin)
    elif kind == "expenditure":
        if total:
            rec.state(f"expenditure.{key}", value, origin)
        elif len(code) == 7 and key != "total":
            if value is not None:
                rec.line(code).setdefault("expenditure", {})[key] = value
        else:
            rec.state(f"func.{code}.expenditure.{key}", value, origin)
    elif kind == "gb":
        if total:
            fig = {
                "total": "general_budget.expenditure.total",
                "basic": "general_budget.expenditure.basic",
                "project": "general_budget.expenditure.project",
                "initial_budget": "general_budget.initial_budget",
                "adjusted_budget": "general_budget.adjusted_budget",
            }[key]
            rec.state(fig, value, origin)
        elif len(code) == 7 and key != "total":
            if value is not None:
                rec.line(code).setdefault("general_budget", {})[key] = value
            else:
                rec.line(code).setdefault("general_budget", {})
        else:
            rec.state(f"func.{code}.general_budget.{key}", value, origin)


def _find(label: str, table: list[tuple[str, str]]) -> str | None:
    for pattern, fig in table:
        if pattern in label:
            return fig
    return None


FUND_WORDS = (
    ("一般公共预算", "general_budget"),
    ("政府性基金", "government_fund"),
    ("国有资本", "state_capital"),
)


def _recover_two_sided(kind, title, header, data, rec: Recovered, class_names, ncols) -> None:
    # label columns: those whose header says 项目 (left and right side)
    label_cols = []
    for j in range(ncols):
        texts = [_clean(r[j]) for r in header if j < len(r)]
        if "项目" in texts and (not label_cols or j != label_cols[-1] + 1):
            label_cols.append(j)
    if len(label_cols) < 2:
        label_cols = [0, ncols // 2]
    left, right = label_cols[0], label_cols[1]
    keys = _column_keys(kind, header, ncols)
    state = {"left": "", "right": ""}
    for row in data:
        cells = row.cells + [""] * (ncols - len(row.cells))
        quote = row.quote()
        llabel = strip_ordinal(_clean(cells[left]))
        rlabel = strip_ordinal(_clean(cells[right]))
        # income side
        if llabel:
            lvalues = [(j, number(cells[j])) for j in range(left + 1, right)]
            value = next((v for _, v in lvalues if v is not None), None)
            col = _col_label(header, left + 1)
            origin = Origin(title, llabel, col, row.line, row.page, row.index, quote)
            _left(kind, llabel, value, origin, rec, state)
        if rlabel:
            for j in range(right + 1, ncols):
                key = keys.get(j, "amount")
                value = number(cells[j])
                origin = Origin(
                    title, rlabel, _col_label(header, j), row.line, row.page, row.index, quote
                )
                _right(kind, rlabel, key, value, origin, rec, class_names, state)


def _left(kind, label, value, origin, rec: Recovered, state) -> None:
    if kind == "summary":
        fig = _find(label, SUMMARY_INCOME)
        if fig is None:
            return
        if label.startswith("年初"):
            state["left"] = "opening"
        if fig.startswith("income.") and fig not in ("income.total", "income.grand_total"):
            if value is not None:
                rec.income[fig.split(".", 1)[1]] = value
            return
        if fig == "balance.opening.total":
            _balance(rec, "opening", "total", value)
            return
        if fig == "balance.use_of_non_appropriation":
            if value is not None:
                rec.balances["use_of_non_appropriation_balance"] = value
            return
        rec.state(fig, value, origin)
        return
    # 财政拨款收入支出决算总表
    if "结转和结余" in label:
        state["left"] = "opening"
        rec.state("balance.opening.appropriation", value, origin)
        return
    fig = _find(label, APPROP_INCOME)
    if fig:
        rec.state(fig, value, origin)
        return
    for word, fund in FUND_WORDS:
        if label.startswith(word):
            if state["left"] == "opening":
                _balance(rec, "opening", fund, value)
            else:
                rec.state(f"income.{fund}", value, origin)
                if value is not None:
                    rec.income.setdefault(fund, value)
            return


def _balance(rec: Recovered, side: str, key: str, value) -> None:
    if value is not None:
        rec.balances.setdefault(side, {})[key] = value


def _right(kind, label, key, value, origin, rec: Recovered, class_names, state) -> None:
    code = class_names.get(label)
    if kind == "summary":
        if code:
            rec.state(f"func.{code}.expenditure.total", value, origin)
            return
        fig = _find(label, SUMMARY_SPENDING)
        if fig == "balance.closing.total":
            _balance(rec, "closing", "total", value)
        elif fig == "balance.distribution":
            if value is not None:
                rec.balances["distribution"] = value
        elif fig:
            rec.state(fig, value, origin)
        return
    fund = {
        "general_budget": "general_budget",
        "government_fund": "government_fund",
        "state_capital": "state_capital",
    }.get(key)
    if code:
        if key == "total":
            rec.state(f"func.{code}.appropriation.total", value, origin)
        elif fund:
            rec.state(f"func.{code}.{fund}.total", value, origin)
        return
    fig = _find(label, APPROP_SPENDING)
    if fig == "appropriation.expenditure.total":
        if key == "total":
            rec.state(fig, value, origin)
        elif fund:
            rec.state(f"{fund}.expenditure.total", value, origin)
    elif fig == "balance.closing.appropriation":
        if key == "total":
            rec.state(fig, value, origin)
        elif fund:
            _balance(rec, "closing", fund, value)
    elif fig == "appropriation.grand_total" and key in ("total", "amount"):
        rec.state(fig, value, origin)
    elif fig == "appropriation.grand_total" and fund:
        rec.state(f"{fund}.grand_total.expenditure", value, origin)


ECON_TOTALS = (
    ("人员经费", "econ.basic.personnel"),
    ("公用经费", "econ.basic.public"),
    ("合计", "econ.basic.total"),
)


def _recover_economic(title, data, rec: Recovered) -> None:
    for row in data:
        cells = [_clean(c) for c in row.cells]
        quote = row.quote()
        i = 0
        while i < len(cells):
            c = cells[i]
            if re.fullmatch(r"\d{3}|\d{5}", c) and i + 2 < len(cells):
                name, value = cells[i + 1], number(cells[i + 2])
                origin = Origin(
                    title, f"{_spaced(c)} {name}", "决算数", row.line, row.page, row.index, quote
                )
                if len(c) == 3:
                    rec.state(f"econ.basic.{c}", value, origin)
                elif value is not None:
                    rec.economic[c] = (name, value)
                i += 3
                continue
            hit = next(
                (fig for word, fig in ECON_TOTALS if c.startswith(word) and "合计" in c), None
            )
            if hit and i + 1 < len(cells):
                value = next(
                    (number(x) for x in cells[i + 1 : i + 3] if number(x) is not None), None
                )
                rec.state(
                    hit, value, Origin(title, c, "决算数", row.line, row.page, row.index, quote)
                )
            i += 1


SANGONG_COLS = (
    ("合计", "total"),
    ("因公出国", "outbound"),
    ("小计", "vehicle"),
    ("公务用车购置", "vehicle_purchase"),
    ("公务用车运行", "vehicle_operation"),
    ("公务接待", "reception"),
)


def _recover_sangong(title, header, data, rec: Recovered) -> None:
    ncols = max(len(r) for r in header + [d.cells for d in data])
    for row in data:
        cells = row.cells + [""] * (ncols - len(row.cells))
        for j, cell in enumerate(cells):
            value = number(cell)  # None: blank (or not a number), which is not 0
            texts = [_clean(r[j]) for r in header if j < len(r) and _clean(r[j])]
            phase = "budget" if any("预算" in t for t in texts) else "final"
            item = None
            for t in reversed(texts[:-1] or texts):
                item = next((k for w, k in SANGONG_COLS if t.startswith(w)), None)
                if item:
                    break
            if item is None:
                continue
            label = "/".join(texts[-2:])
            quote = row.quote() or "（空白）"
            origin = Origin(
                title, "财政拨款“三公”经费", label, row.line, row.page, row.index, quote
            )
            if item in ("outbound", "vehicle_purchase", "vehicle_operation", "reception"):
                if value is not None:
                    rec.sangong.setdefault(phase, {})[item] = value
                else:
                    rec.blanks.setdefault(f"sangong.{phase}.{item}", origin)
                continue
            rec.state(f"sangong.{phase}.{item}", value, origin)
