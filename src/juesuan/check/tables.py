"""Table checks: identify the standard tables, recover them into a Dataset and run the shared
rule catalog; check the performance self-evaluation tables' arithmetic."""

from __future__ import annotations

import re
from dataclasses import replace
from decimal import Decimal
from itertools import pairwise

from juesuan.check.model import Coverage, Item, dec
from juesuan.check.performance_tables import PerformanceChecker
from juesuan.check.read.kinds import CORE, FUNDS, RECOVERED, TITLES, kind_of, strip_ordinal
from juesuan.check.read.reading import Reading
from juesuan.check.read.recover import Origin, Recovered, number, recover_table, table_name
from juesuan.check.read.source import RawTable, SourceDoc
from juesuan.check.read.units import LineIndex, in_wan
from juesuan.check.sink import Sink
from juesuan.core.findings import Finding, Location, Severity
from juesuan.core.money import HALF_CENT

# rule families of the shared catalog that run on recovered tables; the others are covered
# by the checker's own narrative rules or need data a published document does not contain
TABLE_FAMILIES = ("totals", "between", "catalog")
CLASS_LABEL = re.compile(r"[（(]类[)）]")
LEVEL_LABEL = re.compile(r"（(类|款|项)）")
AMOUNT_AFTER = re.compile(r"[：:为]?(-?\d[\d,]*(?:\.\d+)?)万元")


class TableChecker:
    def __init__(
        self,
        doc: SourceDoc,
        sink: Sink,
        year: int | None,
        paras=None,
        pdf_grids: list[RawTable] | None = None,
        profile: str = "sichuan-2024",
        reading: Reading | None = None,
    ):
        self.reading = reading or Reading(doc.kind)
        self.profile = profile
        self.analysis = None  # the recovered tables' dataset, analysed (after run)
        self.paras = paras or []
        self.pdf_grids = pdf_grids or []
        self.doc = doc
        self.sink = sink
        self.year = year
        self.found: list[str] = []
        # funds with spending whose own table was not read: their figures are not checked
        self.unread_funds: list[str] = []
        self.rule_coverage: list[Coverage] = []
        # standard tables found misread by the rules run on their data (see run)
        self.misread: list[str] = []
        self.funds_set_aside: list[str] = []  # fund tables set aside before the rules ran

    def run(self) -> None:
        grids = []
        index = LineIndex(self.doc)
        for table in list(self.doc.tables) + self.pdf_grids:
            table, unit = in_wan(self.doc, table, index)  # amounts in 万元, as the text has them
            if unit is not None:
                self.reading.converted[unit] = self.reading.converted.get(unit, 0) + 1
            grids.append(table)
        PerformanceChecker(self.sink, self.paras).run(grids)
        mark, before = self.sink.snapshot(), set(self.reading.untrusted)
        self._standard(grids)
        new = {n: why for n, why in self.reading.untrusted.items() if n not in before}
        # a fund's table set aside before the rules ran is left out on its own (unread_funds)
        misread = {n: why for n, why in new.items() if n not in self.funds_set_aside}
        if set(misread) - set(self.misread):
            # a table found misread only once the rules ran on the recovered data: everything
            # said from that data is taken back. The rules are not run again on the other
            # tables alone — a figure of the misread table would then read as 0 — so the
            # totals, the text's figures against the tables (CHK-122) and the tables' own
            # cross-checks are not checked; what the kept tables say by themselves still is.
            # (A table set aside before the rules ran left them unrun already.)
            self.sink.restore(mark)
            self.found, self.rule_coverage, self.analysis = [], [], None
            self.misread = sorted(misread)
            names = [self._name(g) for g in grids]
            for name, why in new.items():
                page = next((g.page for g, n in zip(grids, names, strict=True) if n == name), None)
                self.sink.unreadable(
                    f"表「{name}」无法可靠读取：{why}；该表未检查", page=page, table=name
                )
            self._standard([g for g, n in zip(grids, names, strict=True) if n not in misread])
        self._hierarchies(grids)

    @staticmethod
    def _name(table: RawTable) -> str | None:
        """The name a standard table is counted under (“支出决算表（第12页）”)."""
        kind = kind_of(table.title)
        if kind not in RECOVERED:
            return None
        where = f"第{table.page}页" if table.page else f"第{table.line}行"
        return f"{table_name(kind, table.title)}（{where}）"

    # ------------------------------------------------------------ standard tables
    def _standard(self, grids: list[RawTable]) -> None:
        from juesuan.catalog.catalogs import load_catalogs

        catalogs = load_catalogs(self.year or 2024)
        class_names = {
            strip_ordinal(e.name): e.code for e in catalogs.functional if len(e.code) == 3
        }
        rec = Recovered()
        for table in grids:
            kind = kind_of(table.title)
            name = self._name(table)
            if name is not None:
                self.reading.table_read(name)
                if kind in ("income", "expenditure", "gb", *FUNDS):
                    why = distrust_reason(code_rows(table))
                    if why is not None:
                        self._untrusted(name, why, table)
                        if kind in FUNDS:  # an unread fund is left out on its own
                            self.funds_set_aside.append(name)
                        else:  # its figures would read as 0 in the others'
                            self.misread.append(name)
                        continue
                recover_table(kind, table, rec, class_names)
                self.found.append(name)
        self.unread_funds = unread_funds(rec)
        if self.unread_funds:
            self.sink.cannot(
                "CHK-121",
                "文件列有"
                + "、".join(FUND_NAMES[f] for f in self.unread_funds)
                + "支出，但未读取到其决算表，与之相关的合计未核对",
            )
        if rec.kinds:
            self._narrative_figures(rec, class_names)
        else:
            self.sink.cannot("CHK-121", "未识别出可恢复的标准表，无法核对文中数字对应的表格单元格")
        self._class_labels(rec, class_names)
        from juesuan.check.item_names import check_item_names

        bound = check_item_names(self.sink, self.paras, rec.names, rec.stated)
        self._lower_labels(rec, catalogs.functional, bound)
        self.sink.checked("CHK-301", len(rec.kinds))
        missing = [TITLES[k] for k in CORE if k not in rec.kinds]
        if missing:
            self.sink.cannot("CHK-301", "未识别出：" + "、".join(missing))
        self._run_catalog(rec)

    def _narrative_figures(self, rec: Recovered, class_names: dict[str, str]) -> None:
        """Totals the narrative states, where the tables state the same figure."""
        from juesuan.check.stated_text import narrative_stated

        in_tables = {fig for fig, _, _ in rec.stated}
        by_name: dict[str, list[str]] = {}
        for code, name in rec.names.items():
            if len(code) == 7:
                by_name.setdefault(strip_ordinal(name), []).append(code)
        items = {name: codes[0] for name, codes in by_name.items() if len(codes) == 1}
        for fig, value, origin in narrative_stated(self.paras, class_names, items):
            if fig in in_tables:
                self.sink.checked("CHK-121")
                rec.stated.append((fig, value, origin))
            if fig in rec.blanks:
                self.sink.checked("CHK-121")
                if value != 0:
                    self._blank_cell(fig, value, origin, rec.blanks[fig])
        if not self.sink.coverage["CHK-121"].checked:
            self.sink.cannot("CHK-121", "文中列明的数字在识别出的表中没有对应的单元格")

    def _blank_cell(self, fig: str, value: Decimal, said: Origin, cell: Origin) -> None:
        """The text states a non-zero figure whose table cell is blank (blank is not 0)."""
        self.sink.add(
            "CHK-121",
            f"文中称「{said.row}」，而{cell.table}「{cell.row}」行「{cell.column}」列为空白"
            "（空白不等于0，应填列数字）",
            line=cell.line,
            page=cell.page,
            table=cell.table,
            row=cell.row,
            column=cell.column,
            stated=None,
            expected=value,
            quote=f"文中：{said.quote}；表中：{cell.quote}",
        )

    def _class_labels(self, rec: Recovered, class_names: dict[str, str]) -> None:
        """A 类 name in the text (“…（类）”) that differs from the name the table prints for the
        same class (or, without tables, from the functional classification's name)."""
        ref = {c: strip_ordinal(n) for c, n in rec.names.items() if len(c) == 3}
        source = "表中"
        if not ref:
            ref = {code: name for name, code in class_names.items()}
            source = "支出功能分类科目表中"
        names = sorted(set(ref.values()), key=len, reverse=True)
        amounts: dict[Decimal, set[str]] = {}
        for fig, value, _ in rec.stated:
            m = re.fullmatch(r"func\.(\d{3})\..*\.total", fig)
            if m and m.group(1) in ref:
                amounts.setdefault(value, set()).add(m.group(1))
        for para in self.paras:
            for m in CLASS_LABEL.finditer(para.text):
                before = para.text[max(0, m.start() - 24) : m.start()]
                cand = re.split(r"[，。；：:、,;.．%\d\s）)“”]", before)[-1]
                if len(cand) < 2:
                    continue
                self.sink.checked("CHK-112")
                if any(cand.endswith(n) for n in names):
                    continue
                printed, said = None, None
                for n in names:
                    stem = n.removesuffix("支出")
                    if len(stem) >= 2 and cand.endswith(stem):
                        printed, said = n, stem
                        break
                if printed is None:
                    after = AMOUNT_AFTER.match(para.text, m.end())
                    codes = amounts.get(dec(after.group(1)), set()) if after else set()
                    if len(codes) != 1:
                        continue
                    printed, said = ref[next(iter(codes))], cand
                self.sink.add(
                    "CHK-112",
                    f"文中类级科目写作“{said}（类）”，{source}为“{printed}”",
                    **para.where(m.start()),
                    quote=para.text[max(0, m.start() - 30) : m.end() + 30],
                )
        if not self.sink.coverage["CHK-112"].checked:
            self.sink.cannot("CHK-112", "文中没有标明“（类）”的科目名称")

    def _lower_labels(
        self, rec: Recovered, functional, bound: set[tuple[int, int]] | None = None
    ) -> None:
        """款 and 项 names in the text (“…（款）…（项）”) against the names the tables print (or
        the classification gives): a name the text shortens (“…缴费（项）” for “…缴费支出”) is
        reported, like the 类 names of :meth:`_class_labels`."""
        known: dict[int, dict[str, str]] = {5: {}, 7: {}}
        for e in functional:
            if len(e.code) in known:
                known[len(e.code)][e.name] = "支出功能分类科目表中"
        for code, name in rec.names.items():
            if len(code) in known:
                known[len(code)][strip_ordinal(name)] = "表中"
        for para in self.paras:
            marks = list(LEVEL_LABEL.finditer(para.text))
            for prev, m in pairwise(marks):
                level = {"款": 5, "项": 7}.get(m.group(1))
                if (para.number, prev.end()) in (bound or set()):
                    continue  # read against its own row by check_item_names
                cand = para.text[prev.end() : m.start()]
                if level is None or not cand or len(cand) > 40 or re.search(r"[，。；：:\d]", cand):
                    continue
                self.sink.checked("CHK-112")
                if cand in known[level]:
                    continue
                near = [n for n in known[level] if n.startswith(cand) and len(n) - len(cand) <= 2]
                if len(near) != 1:
                    continue
                word = "款级" if level == 5 else "项级"
                self.sink.add(
                    "CHK-112",
                    f"文中{word}科目写作“{cand}（{m.group(1)}）”，{known[level][near[0]]}为“{near[0]}”",
                    **para.where(m.start()),
                    quote=para.text[max(0, prev.start() - 20) : m.end() + 20],
                )

    def _run_catalog(self, rec: Recovered) -> None:
        from juesuan.rules.registry import load_rules

        rules = load_rules()
        for code, r in sorted(rules.items()):
            if r.family in ("narrative", "data", "performance"):
                why = {
                    "narrative": "说明文字由本检查的 CHK-1xx 规则逐句核对",
                    "data": "公开文件不含原始数据的单位与量级信息",
                    "performance": "绩效自评表由本检查的 CHK-2xx 规则核对",
                }[r.family]
                self.rule_coverage.append(Coverage(code, r.title, cannot=[why]))
        if self.misread:
            why = "、".join(self.misread) + "无法可靠读取，由报表数据核对的规则未运行"
            for code, r in sorted(rules.items()):
                if r.family in TABLE_FAMILIES:
                    self.rule_coverage.append(Coverage(code, r.title, cannot=[why]))
            return
        if not rec.stated and not rec.lines:
            for code, r in sorted(rules.items()):
                if r.family in TABLE_FAMILIES:
                    self.rule_coverage.append(
                        Coverage(code, r.title, cannot=["未识别出可恢复的标准表"])
                    )
            return
        ds, origins = build_dataset(rec, self.year or 2024, self._department(), self.profile)
        if ds is None:
            for code, r in sorted(rules.items()):
                if r.family in TABLE_FAMILIES:
                    self.rule_coverage.append(Coverage(code, r.title, cannot=[origins]))
            return
        from juesuan.pipeline import analyse

        analysis, findings = analyse(ds)
        self.analysis = analysis
        findings = self._screen_findings(findings, origins)
        printed = {fig for fig, _, _ in rec.stated}
        blank = {fig for fig in rec.blanks if fig not in printed}
        findings = [f for f in findings if not self._on_unread_fund(f) and not _on_blank(f, blank)]
        findings = self._rounding_between_tables(findings, rec, origins)
        per_rule: dict[str, int] = {}
        for f in findings:
            if f.severity is Severity.INFO and f.code == "TOT-002":
                continue  # the rounding hints, added as items by _rounding_between_tables
            rule = rules.get(f.code)
            if rule is None or rule.family not in TABLE_FAMILIES:
                continue
            per_rule[f.code] = per_rule.get(f.code, 0) + 1
            self.sink.items.append(self._item(f, origins))
        for code, r in sorted(rules.items()):
            if r.family not in TABLE_FAMILIES:
                continue
            cov = Coverage(code, r.title, checked=1, findings=per_rule.get(code, 0))
            self.rule_coverage.append(cov)

    def _on_unread_fund(self, f: Finding) -> bool:
        """A finding that adds up a fund whose table was not read (its balance, the 财政拨款
        totals): a gap in the reading, not a difference in the document."""
        if not self.unread_funds:
            return False
        path = (f.location.path or "").split(".")
        if any(fund in path for fund in self.unread_funds):
            return True
        if f.code == "TOT-005":
            return any(FUND_NAMES[fund] in f.message for fund in self.unread_funds)
        return f.code == "TOT-003" and ("财政拨款" in f.message or "appropriation" in path)

    def _screen_findings(self, findings: list[Finding], origins: list[Origin]) -> list[Finding]:
        """Findings that say the checker misread a table, not that the document is wrong: a
        figure the recovery named but the rules do not know (a row whose detail was not read),
        a non-zero total over a detail that sums to 0, or most of a table's own totals off.
        Such a table is reported once as unreadable and none of its findings is kept."""
        stated_per_table: dict[str, int] = {}
        for o in origins:
            if o.table != "情况说明":
                stated_per_table[o.table] = stated_per_table.get(o.table, 0) + 1
        off: dict[str, int] = {}
        deltas: dict[str, set] = {}
        bad: dict[str, str] = {}
        # a detail printed blank that the text states (CHK-121) explains a total over nothing
        blanked = {i.finding.location.table for i in self.sink.items if i.finding.code == "CHK-121"}
        for f in findings:
            table = f.location.table or ""
            if f.code != "TOT-001" or table not in stated_per_table:
                continue
            if f.message.startswith("未知的数字编号"):
                bad.setdefault(table, f"「{f.location.row}」行的明细未能读出")
            elif f.severity is not Severity.INFO:
                off[table] = off.get(table, 0) + 1
                if f.stated is not None and f.expected is not None:
                    deltas.setdefault(table, set()).add(f.stated - f.expected)
                else:
                    deltas.setdefault(table, set()).add(None)
                if f.expected == 0 and f.stated not in (None, 0) and table not in blanked:
                    bad.setdefault(table, f"「{f.location.row}」行非零，而读出的明细之和为0")
        for table, n in off.items():
            if one_wrong_figure(deltas.get(table, set())):
                continue  # every total off by the same amount: one wrong cell, not a misreading
            if n >= 3 and n * 2 > stated_per_table[table]:
                bad.setdefault(table, f"{stated_per_table[table]}个列示数中有{n}个与读出的明细不符")
        if not bad:
            return findings
        for table, why in bad.items():
            # the name it was counted under when read (“…（第12页）”), so it is counted once
            name = next((n for n in self.found if n.startswith(f"{table}（")), table)
            self._untrusted(name, f"{why}，表格的行未能正确恢复")
        return [
            f
            for f in findings
            if (f.location.table or "") not in bad and not any(t in f.message for t in bad)
        ]

    def _rounding_between_tables(
        self, findings: list[Finding], rec: Recovered, origins: list[Origin]
    ) -> list[Finding]:
        """The same figure printed in two places 0.01 apart (TOT-002), where the figure is a
        sum of separately rounded items whose rounding explains the difference (it is within
        the figure's rounding tolerance): one hint naming every place, not an error per place."""
        by_figure: dict[str, list[Finding]] = {}
        for f in findings:
            m = re.fullmatch(r"stated\.(\d+)", f.location.path or "")
            if f.code == "TOT-002" and m and int(m.group(1)) < len(rec.stated):
                by_figure.setdefault(rec.stated[int(m.group(1))][0], []).append(f)
        explained: set[int] = set()
        for fid, group in by_figure.items():
            fig = self.analysis.figures.get(fid) if self.analysis is not None else None
            tolerance = fig.tolerance if fig is not None else Decimal(0)
            if not tolerance or any(
                f.stated is None or f.expected is None or abs(f.stated - f.expected) > tolerance
                for f in group
            ):
                continue
            explained.update(id(f) for f in group)
            self._rounding_hint(fid, group, rec, origins)
        return [f for f in findings if id(f) not in explained]

    def _rounding_hint(
        self, fid: str, group: list[Finding], rec: Recovered, origins: list[Origin]
    ) -> None:
        first = next(i for i, (f, _, _) in enumerate(rec.stated) if f == fid)
        ref = origins[first]
        value = group[0].expected
        others: dict[Decimal, list[str]] = {}
        for f in group:
            assert f.stated is not None
            others.setdefault(f.stated, []).append(f.location.table or "此处")
        said = "，".join(
            f"在{'、'.join(dict.fromkeys(tables))}列示为{v}" for v, tables in others.items()
        )
        diff = max(abs(v - value) for v in others) if value is not None else None
        message = (
            f"「{ref.row or fid}」在{ref.table}列示为{value}，{said}：相差{diff}，"
            "在各项分别四舍五入后相加的误差之内，不视为错误"
        )
        head = Item(
            Finding(
                "TOT-002",
                Severity.INFO,
                message,
                Location(
                    file=self.doc.path,
                    line=ref.line,
                    page=ref.page,
                    table=ref.table,
                    row=ref.row,
                    column=ref.column,
                ),
                group[0].stated,
                value,
            ),
            ref.quote,
        )
        head.also = [self._item(f, origins) for f in group]
        self.sink.items.append(head)

    def _item(self, f: Finding, origins: list[Origin]) -> Item:
        loc = f.location
        origin = None
        m = re.fullmatch(r"stated\.(\d+)", loc.path or "")
        if m and int(m.group(1)) < len(origins):
            origin = origins[int(m.group(1))]
        else:
            origin = next((o for o in origins if o.table == loc.table and o.row == loc.row), None)
        new_loc = Location(
            file=self.doc.path,
            line=origin.line if origin else None,
            page=origin.page if origin else None,
            table=loc.table,
            row=loc.row,
            column=loc.column,
        )
        paragraph = None
        if origin and origin.table == "情况说明" and self.doc.kind in ("docx", "html"):
            paragraph = origin.line
        new_loc = replace(new_loc, paragraph=paragraph)
        finding = Finding(f.code, f.severity, f.message, new_loc, f.stated, f.expected)
        return Item(finding, origin.quote if origin else "")

    def _department(self) -> str:
        for line in self.doc.lines[:60]:
            t = re.sub(r"\s+", "", line.text)
            m = re.match(r"^(.{2,40}?)(20\d\d)年度?部门决算", t)
            if m:
                return m.group(1)
        for line in self.doc.lines[:10]:
            t = re.sub(r"\s+", "", line.text)
            if 2 <= len(t) <= 40 and t.endswith(("局", "办", "委", "院", "部", "中心", "办公室")):
                return t
        return "（未识别的部门）"

    # ------------------------------------------------------------ other code tables
    def _hierarchies(self, grids: list[RawTable]) -> None:
        """Tables that are not recovered into the dataset (明细表, 项目支出表, fund tables):
        every 类 equals the sum of its 款, every 款 the sum of its 项, 合计 the sum of the 类."""
        done = 0
        for table in grids:
            if kind_of(table.title) != "skip":
                continue
            done += 1
            where = f"第{table.page}页" if table.page else f"第{table.line}行"
            name = "".join(table.title.split()) + f"（{where}）"
            self.reading.table_read(name)
            rows = code_rows(table)
            why = distrust_reason(rows)
            if why is not None:
                self._untrusted(name, why, table)
                continue
            self._hierarchy_rows(table, rows)
        if not done:
            self.sink.cannot("CHK-120", "文件中没有可读取的支出决算明细表、项目支出表或基金预算表")
        elif not self.sink.coverage["CHK-120"].checked:
            self.sink.cannot(
                "CHK-120", "读取到的明细表、项目支出表或基金预算表中没有逐级列示的数字"
            )

    def _untrusted(self, name: str, why: str, table: RawTable | None = None) -> None:
        if self.reading.distrust(name, why):
            self.sink.unreadable(
                f"表「{name}」无法可靠读取：{why}；该表未检查",
                page=table.page if table is not None else None,
                table=name,
            )

    def _hierarchy_rows(self, table: RawTable, rows) -> None:
        for code, row, j, stated, total, kids in hierarchy_sums(rows):
            cells = next(r[3] for r in rows if r[1] is row)
            self.sink.checked("CHK-120")
            if stated is None and total == 0:
                continue
            if stated == total:
                continue
            label = code or "合计"
            rounding = stated is not None and abs(stated - total) <= HALF_CENT * len(kids)
            shown = "空白" if stated is None else str(stated)
            self.sink.add(
                "CHK-120",
                f"「{label}」第{j + 1}列为{shown}，其下各行之和为{total}",
                line=row.line,
                page=row.page,
                table=table.title,
                row=f"{label} {cells[3] if len(cells) > 3 and code else ''}".strip(),
                column=f"第{j + 1}列",
                stated=stated,
                expected=total,
                quote=row.quote(),
                rounding=rounding,
            )


FUND_NAMES = {
    "government_fund": "政府性基金预算财政拨款",
    "state_capital": "国有资本经营预算财政拨款",
}


def _on_blank(f: Finding, blanks: set[str]) -> bool:
    """A finding about a figure printed blank (and nowhere as a number): the rules see a
    blank as 0, but blank is not 0 (a blank the text states a figure for is CHK-121's)."""
    return bool(f.location.path) and f.location.path in blanks


def fund_dependent(figure: str, funds: list[str]) -> bool:
    """Whether a figure is one of the funds' or sums them (财政拨款 totals)."""
    parts = figure.split(".")
    return any(f in parts for f in funds) or "appropriation" in parts


def unread_funds(rec: Recovered) -> list[str]:
    """The funds that the other tables show with non-zero amounts while their own table was
    not read (not found, or not trusted). Their figures, and the 财政拨款 totals that add them
    up, are dropped from the recovered figures: without the fund's lines every such total
    would differ, a reading gap, not the document's error."""
    out = []
    for kind, fund in FUNDS.items():
        if kind in rec.kinds:
            continue
        values = [v for f, v, _ in rec.stated if fund in f.split(".")]
        if rec.income.get(fund) or any(values):
            out.append(fund)
    if out:
        rec.stated[:] = [s for s in rec.stated if not fund_dependent(s[0], out)]
        for fig in [f for f in rec.blanks if fund_dependent(f, out)]:
            del rec.blanks[fig]
    return out


def build_dataset(rec: Recovered, year: int, department: str, profile: str = "sichuan-2024"):
    """The recovered tables as a Dataset, and the origin of each ``stated`` entry."""
    from pydantic import ValidationError

    from juesuan.model.dataset import Dataset

    lines = []
    for code, line in sorted(rec.lines.items()):
        entry = dict(line)
        if code in rec.names:
            entry["name"] = rec.names[code]
        lines.append(entry)
    data = {
        "juesuan": 1,
        "profile": profile,
        "unit": "万元",
        "department": {"name": department, "region": "（未识别）", "year": year},
        "income": {k: v for k, v in rec.income.items()},
        "balances": {k: v for k, v in rec.balances.items()},
        "functional": lines,
        # the 类 and 款 names the tables print (a code the bundled catalog lacks is named)
        "code_names": {c: n for c, n in rec.names.items() if len(c) in (3, 5)},
        "basic_by_economic": [
            {"code": c, "name": n, "amount": v} for c, (n, v) in sorted(rec.economic.items())
        ],
        "sangong": {
            "budget": rec.sangong.get("budget", {}),
            "final": rec.sangong.get("final", {}),
        },
        "stated": [
            {"figure": f, "value": v, "table": o.table, "row": o.row, "column": o.column}
            for f, v, o in rec.stated
        ],
    }
    try:
        ds = Dataset.model_validate(data)
    except ValidationError as exc:
        return None, f"恢复的表格数据不完整，无法运行规则（{exc.error_count()}处）"
    return ds, [o for _, _, o in rec.stated]


def code_rows(table: RawTable) -> list[tuple[str, object, dict[int, Decimal | None], list[str]]]:
    """The rows of a code table as (code, row, values by column, cells): codes printed over
    类/款/项 columns (“208”, “05”, “01”) or whole in one column (“2080501”); 合计 has code ""."""
    rows = []
    for row in table.rows:
        cells = [re.sub(r"\s+", "", c) for c in row.cells]
        code, i = "", 0
        while i < min(3, len(cells)) and re.fullmatch(r"\d*", cells[i]):
            code += cells[i]
            i += 1
        if cells and cells[0] == "合计":
            code, i = "", 1
            while i < len(cells) and cells[i] == "合计":
                i += 1
        elif not re.fullmatch(r"\d{3}|\d{5}|\d{7}", code):
            continue
        else:
            i += 1  # the name cell
        values = {j: number(cells[j]) for j in range(i, len(cells))}
        rows.append((code, row, values, cells))
    return rows


def hierarchy_sums(rows) -> list[tuple[str, object, int, Decimal | None, Decimal, list]]:
    """Every printed total of a code table against the sum of its rows one level down:
    (code, row, column, stated, sum of the parts, the parts' rows)."""
    out = []
    codes = {r[0] for r in rows}
    shortest = min((len(c) for c in codes if c), default=0)
    for code, row, values, _cells in rows:
        if code:
            kids = [r for r in rows if len(r[0]) == len(code) + 2 and r[0].startswith(code)]
        else:
            kids = [r for r in rows if r[0] and len(r[0]) == shortest]
        if not kids:
            continue
        for j, stated in values.items():
            parts = [k[2].get(j) for k in kids]
            if all(p is None for p in parts) and stated is None:
                continue
            total = sum((p for p in parts if p is not None), Decimal(0))
            out.append((code, row, j, stated, total, kids))
    return out


def one_wrong_figure(deltas: set) -> bool:
    """Whether the differences of a table's totals are all one and the same amount: a single
    wrong cell makes every total above it differ by its error (a 项 figure off by 1.00 puts
    its 款, 类 and 合计 off by 1.00), whereas a misread table gives differences of all sizes."""
    return len(deltas) == 1 and None not in deltas


def distrust_reason(rows) -> str | None:
    """Why a code table's reading is not to be trusted: most of its own totals disagree with
    their rows beyond rounding, or non-zero totals sit over rows that are all blank or 0 (the
    rows were not read). None when the table is trusted (or has too few totals to judge)."""
    sums = [s for s in hierarchy_sums(rows) if not (s[3] is None and s[4] == 0)]
    if len(sums) < 3:
        return None
    off = [s for s in sums if s[3] is None or abs(s[3] - s[4]) > Decimal("0.005") * (len(s[5]) + 1)]
    empty = [s for s in off if s[3] not in (None, 0) and s[4] == 0]
    if len(off) * 2 > len(sums) and not one_wrong_figure(
        {s[3] - s[4] for s in off if s[3] is not None} | {None for s in off if s[3] is None}
    ):
        return f"{len(sums)}处合计中有{len(off)}处与其明细行不符，表格的行列未能正确恢复"
    if len(empty) >= 2:
        return f"{len(empty)}处非零合计之下的明细读出为空白或0，明细行未能正确读取"
    return None
