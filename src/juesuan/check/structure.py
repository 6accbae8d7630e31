"""Structure checks: the required parts and tables of the profile the document follows, and
the 本表无数据 note of an empty fund table.

The lists come from the bundled profiles: the part headings of each profile's narrative
template (``# 第N部分 …``) and the table titles of its ``tables.yaml``. Which profile a
document follows is read from the document itself (the profile whose tables and parts it
shows most of; on a tie the shorter list, e.g. 9-table Shanghai before 13-table Sichuan).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from functools import cache

from juesuan.check.read.reading import contents_lines
from juesuan.check.read.recover import number
from juesuan.check.read.source import RawTable, SourceDoc, TextLine
from juesuan.check.sink import Sink

NUMERALS = "零一二三四五六七八九十"
PART = re.compile(r"^#\s+第([一二三四五六七八九十]+)部分\s*(.*)$")
ORDINAL = re.compile(
    r"^(公开\d+表|附表\d*|表\d+|表[一二三四五六七八九十]+|第?\d+[、.．]|[一二三四五六七八九十]+[、.．])"
)
AMOUNT = re.compile(r"-?\d[\d,]*\.\d+")


@dataclass(frozen=True)
class Layout:
    profile: str  # the profile's label, e.g. 四川省2024年度部门决算公开
    # (number, name without template variables, whether the heading had variables)
    parts: tuple[tuple[int, str, bool], ...]
    tables: tuple[tuple[str, str, bool], ...]  # (number label, title, has an empty note)
    name: str = ""  # the profile's name, e.g. sichuan-2024


@cache
def layouts() -> tuple[Layout, ...]:
    """The bundled profiles' layouts (read once per process: they are bundled data)."""
    from juesuan.profiles import available_profiles, load_profile
    from juesuan.profiles.tables import load_specs

    out = []
    for name in available_profiles():
        profile = load_profile(name)
        path = profile.directory / "tables.yaml"
        if not path.is_file():
            continue
        parts = []
        for raw in profile.narrative.read_text(encoding="utf-8").splitlines():
            m = PART.match(raw.strip())
            if m:
                stem = re.sub(r"\{\{.*?\}\}|\{%.*?%\}", "", m.group(2))
                partial = "{" in m.group(2)  # the heading names the department or year
                parts.append((_numeral(m.group(1)), re.sub(r"\s+", "", stem), partial))
        tables = tuple(
            (str(s.get("number", "")), s["title"], bool(s.get("empty_note")))
            for s in load_specs(path)
        )
        out.append(Layout(profile.label, tuple(parts), tables, name))
    return tuple(out)


def _numeral(text: str) -> int:
    if text.isdigit():
        return int(text)
    if text == "十":
        return 10
    if text.startswith("十"):
        return 10 + NUMERALS.index(text[1])
    if len(text) == 2 and text.endswith("十"):
        return NUMERALS.index(text[0]) * 10
    if len(text) == 3:
        return NUMERALS.index(text[0]) * 10 + NUMERALS.index(text[2])
    return NUMERALS.index(text)


def clean(text: str) -> str:
    if "[bookmark:" in text:
        text = re.sub(r"\[bookmark:[^\]]*\]", "", text)
    return "".join(text.split())


def title_of(text: str, titles: list[str]) -> str | None:
    """The standard table title a line (or table caption) prints, if it is one."""
    t = clean(text)
    if not t or len(t) > 80 or re.search(r"[。，；]", t):
        return None
    t = ORDINAL.sub("", t)
    t = re.sub(r"[（(]\d{4}年度?[)）]$", "", t)
    hits = [title for title in titles if t.endswith(title) and len(t) - len(title) <= 40]
    return max(hits, key=len) if hits else None


def _part_number(text: str) -> int | None:
    m = re.match(r"^第([一二三四五六七八九十]+|\d+)部分", clean(text))
    return _numeral(m.group(1)) if m else None


class StructureChecker:
    def __init__(self, doc: SourceDoc, sink: Sink):
        self.doc = doc
        self.sink = sink
        self.layout: Layout | None = None  # the profile the document follows, once run

    def run(self) -> None:
        options = layouts()
        if not options:
            self.sink.cannot("CHK-302", "没有可用的地区模板")
            self.sink.cannot("CHK-303", "没有可用的地区模板")
            return
        all_titles = sorted({t for lay in options for _, t, _ in lay.tables}, key=len)
        title_lines: list[tuple[int, str]] = []  # (index in doc.lines, title)
        contents = contents_lines(self.doc.lines)
        for i, line in enumerate(self.doc.lines):
            if i in contents:
                continue
            title = title_of(line.text, all_titles)
            if title:
                title_lines.append((i, title))
        grid_titles = {
            title_of(t.title, all_titles): t for t in self.doc.tables if t.title
        }  # last table with each title
        grid_titles.pop(None, None)
        seen = {t for _, t in title_lines} | set(grid_titles)
        parts = self._parts_seen()
        scored = []
        for lay in options:
            tables = sum(1 for _, t, _ in lay.tables if t in seen)
            named = sum(1 for n, stem, _ in lay.parts if self._has_part(n, stem, parts))
            scored.append((tables + named, -len(lay.tables), lay, tables))
        scored.sort(key=lambda s: (s[0], s[1]), reverse=True)
        best = scored[0]
        if best[3] < 3:
            why = "文件中识别出的标准表标题不足3张，无法判断适用的地区模板"
            self.sink.cannot("CHK-302", why)
            self.sink.cannot("CHK-303", "文件中没有可识别的政府性基金、国有资本经营预算表")
            return
        lay = best[2]
        self.layout = lay
        self._required(lay, seen, parts)
        self._empty_notes(lay, title_lines, grid_titles, parts)

    # -- parts and tables
    def _parts_seen(self) -> list[tuple[int, int | None, str]]:
        out = []
        for i, line in enumerate(self.doc.lines):
            t = clean(line.text)
            if not t or len(t) > 60 or "。" in t:
                continue
            out.append((i, _part_number(line.text), t))
        return out

    @staticmethod
    def _has_part(n: int, stem: str, parts) -> bool:
        for _, number_, text in parts:
            if number_ == n:
                return True
            if stem and stem in text and len(text) <= len(stem) + 40:
                return True
        return False

    def _required(self, lay: Layout, seen: set[str], parts) -> None:
        label = lay.profile
        for n, stem, partial in lay.parts:
            self.sink.checked("CHK-302")
            if not self._has_part(n, stem, parts):
                name = (
                    f"“第{_chinese(n)}部分”（标题含“{stem}”）"
                    if partial
                    else f"“第{_chinese(n)}部分 {stem}”"
                )
                self.sink.add("CHK-302", f"按{label}模板应有{name}，文件中没有找到")
        for number_, title, _ in lay.tables:
            self.sink.checked("CHK-302")
            if title not in seen:
                self.sink.add(
                    "CHK-302",
                    f"按{label}模板应有{number_}“{title}”，文件中没有找到",
                )

    # -- empty fund tables
    def _empty_notes(self, lay: Layout, title_lines, grid_titles, parts) -> None:
        part_lines = {i for i, n, _ in parts if n is not None}
        stops = sorted({i for i, _ in title_lines} | part_lines)
        done = 0
        for _, title, noted in lay.tables:
            if not noted:
                continue
            at = [i for i, t in title_lines if t == title]
            grid = grid_titles.get(title)
            if not at and grid is None:
                continue
            done += 1
            start = at[-1] if at else None  # the last mention: the table itself, not the 目录
            region: list[TextLine] = []
            if start is not None:
                end = next((s for s in stops if s > start), len(self.doc.lines))
                region = self.doc.lines[start + 1 : min(end, start + 30)]
            elif grid is not None and grid.line is not None:  # its title printed inside it
                region = self._after(grid, stops)
            empty = self._empty(grid, region)
            if empty is None:
                self.sink.cannot("CHK-303", f"“{title}”只见标题（如目录），读不到表格内容")
                continue
            self.sink.checked("CHK-303")
            if not empty:
                continue
            text = "".join(clean(ln.text) for ln in region)
            if "无数据" in text or "无数据" in "".join(
                "".join(r.cells) for r in (grid.rows if grid else [])
            ):
                continue
            where = self.doc.lines[start] if start is not None else None
            self.sink.add(
                "CHK-303",
                f"“{title}”没有数据，但未注明“本表无数据”及原因",
                line=where.line if where else (grid.line if grid else None),
                page=where.page if where else (grid.page if grid else None),
                paragraph=where.paragraph if where else None,
                table=title,
                quote=clean(where.text) if where else title,
            )
        if not done:
            self.sink.cannot("CHK-303", "文件中没有可识别的政府性基金、国有资本经营预算表")

    def _after(self, grid: RawTable, stops: list[int]) -> list[TextLine]:
        """The few lines that follow a table of a markup, Word or text document (its note)."""
        lines = self.doc.lines
        after = next(
            (
                i
                for i, ln in enumerate(lines)
                if ln.page is None and (ln.paragraph or ln.line) > (grid.line or 0)
            ),
            len(lines),
        )
        end = next((s for s in stops if s >= after), len(lines))
        return lines[after : min(end, after + 5)]

    @staticmethod
    def _empty(grid: RawTable | None, region: list[TextLine]) -> bool | None:
        """Whether the table shows no non-zero amount (None: nothing to judge from)."""
        if grid is not None:
            for row in grid.rows:
                for j, cell in enumerate(row.cells):
                    c = clean(cell)
                    if j < 3 and re.fullmatch(r"\d{2,7}", c):
                        continue  # a code cell
                    value = number(c)
                    if value is not None and value != 0 and not re.fullmatch(r"20\d\d", c):
                        return False
            return True
        if not region:
            return None
        for line in region:
            t = clean(line.text)
            if t.startswith(("注", "说明")):
                continue
            if any(Decimal(m.replace(",", "")) != 0 for m in AMOUNT.findall(t)):
                return False
        return True


def _chinese(n: int) -> str:
    if n <= 10:
        return "十" if n == 10 else NUMERALS[n]
    return "十" + NUMERALS[n - 10] if n < 20 else str(n)
