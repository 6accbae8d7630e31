"""narrative: dataset + figures + profile → the format-neutral document.

The profile's Jinja2 template holds all wording and order. It emits a small line markup
(see the template's header); numbers enter only through ``fig()``/``absfig()``, which leave
markers that become :class:`FigureRef` runs, so every printed number keeps its figure id.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from decimal import Decimal
from functools import lru_cache
from pathlib import Path

import jinja2
import jinja2.sandbox

from juesuan.catalog.names import Names
from juesuan.compose.outline import tidy
from juesuan.compose.units import units_table
from juesuan.core.figures import FigureSet
from juesuan.core.money import round2
from juesuan.derive import choose_bases
from juesuan.document.model import (
    Block,
    ChartRef,
    Document,
    FigureRef,
    Heading,
    Paragraph,
    Run,
    Text,
)
from juesuan.model.dataset import FUND_KEYS, INCOME_SOURCES, Dataset
from juesuan.profiles import Profile

_OPEN, _SEP, _CLOSE = "\ue000", "\ue001", "\ue002"
_MARK = re.compile(f"{_OPEN}([^{_SEP}]+){_SEP}([a-z]*){_CLOSE}")
_CHART = re.compile(r"^\[\[chart (\w+) (bar|pie)\|([^|\]]*)\|?([^\]]*)\]\]$")

INCOME_LABELS = {
    "general_budget": "一般公共预算财政拨款收入",
    "government_fund": "政府性基金预算财政拨款收入",
    "state_capital": "国有资本经营预算财政拨款收入",
    "superior_subsidy": "上级补助收入",
    "business": "事业收入",
    "operating": "经营收入",
    "subsidiary_remit": "附属单位上缴收入",
    "other": "其他收入",
}
SPENDING_LABELS = {
    "basic": "基本支出",
    "project": "项目支出",
    "remit_to_superior": "上缴上级支出",
    "operating": "经营支出",
    "subsidiary_subsidy": "对附属单位补助支出",
}
VEHICLE_LABELS = {
    "leaders": "主要领导干部用车",
    "confidential": "机要通信用车",
    "emergency": "应急保障用车",
    "law_enforcement": "执法执勤用车",
    "special": "特种专业技术用车",
    "other": "其他用车",
}
ALWAYS_LISTED_VEHICLES = ("leaders", "confidential", "emergency", "other")
CN_DIGITS = "零一二三四五六七八九"


def chinese_number(n: int) -> str:
    """1 → 一, 10 → 十, 12 → 十二, 21 → 二十一, 101 → 一百零一, 1010 → 一千零一十 (list
    numbering); from 10000 on, Arabic digits."""
    if n < 0 or n >= 10_000:
        return str(n)
    if n < 10:
        return CN_DIGITS[n]
    if n < 100:
        tens, ones = divmod(n, 10)
        return (
            ("" if tens == 1 else CN_DIGITS[tens]) + "十" + ("" if ones == 0 else CN_DIGITS[ones])
        )
    out, gap = "", False
    for value, name in ((1000, "千"), (100, "百"), (10, "十"), (1, "")):
        digit, n = divmod(n, value)
        if digit:
            out += ("零" if gap else "") + CN_DIGITS[digit] + name
            gap = False
        elif out:
            gap = True
    return out


def _score(value: Decimal | None) -> str:
    if value is None:
        return ""
    return format(value.normalize(), "f")


class _Context:
    """Functions the template may call."""

    def __init__(self, ds: Dataset, figs: FigureSet, profile: Profile, names: Names):
        self.ds, self.figs, self.profile, self.names = ds, figs, profile, names

    def fig(self, fid: str) -> str:
        self.figs[fid]  # a profile naming an unknown figure is a bug: fail loudly
        return f"{_OPEN}{fid}{_SEP}{_CLOSE}"

    def absfig(self, fid: str) -> str:
        self.figs[fid]
        return f"{_OPEN}{fid}{_SEP}abs{_CLOSE}"

    def val(self, fid: str) -> Decimal | None:
        return self.figs.value(fid)

    def has(self, fid: str) -> bool:
        return self.figs.value(fid) is not None

    def sign(self, fid: str) -> int | None:
        """Sign of a figure as printed (rounded to 0.01), None when blank or unknown."""
        value = self.figs.value(fid)
        if value is None:
            return None
        shown = round2(value)
        return (shown > 0) - (shown < 0)

    def compare(self, a: str, b: str) -> int | None:
        """Compare two figures as printed; None when either is blank."""
        va, vb = self.figs.value(a), self.figs.value(b)
        if va is None or vb is None:
            return None
        ra, rb = round2(va), round2(vb)
        return (ra > rb) - (ra < rb)

    def compare_amounts(self, a: str, b: str) -> int:
        """Compare two figures as printed, a blank (or unknown) figure reading as zero."""
        ra, rb = round2(self.figs.amount(a)), round2(self.figs.amount(b))
        return (ra > rb) - (ra < rb)

    def namespace(self) -> dict[str, object]:
        ds, figs, names = self.ds, self.figs, self.names
        income_parts = [
            (INCOME_LABELS[s], f"income.{s}")
            for s in INCOME_SOURCES
            if figs.amount(f"income.{s}") != 0
        ]
        spending_parts = [
            (SPENDING_LABELS[k], f"expenditure.{k}")
            for k in SPENDING_LABELS
            if k in ("basic", "project") or figs.amount(f"expenditure.{k}") != 0
        ]
        classes = sorted({line.code[:3] for line in ds.functional})
        gb_classes = [c for c in classes if figs.amount(f"func.{c}.general_budget.total") != 0]
        gb_items = [
            line
            for line in ds.functional
            if line.general_budget is not None
            and figs.value(f"func.{line.code}.general_budget.total") is not None
        ]
        personnel, public = [], []
        for line in ds.basic_by_economic:
            if line.amount == 0:
                continue
            label = names.economic(line.code, line.name)
            (personnel if line.code[:3] in ("301", "303") else public).append(label)
        veh = ds.assets.vehicles
        vehicle_parts = [
            (label, getattr(veh, key))
            for key, label in VEHICLE_LABELS.items()
            if key in ALWAYS_LISTED_VEHICLES or getattr(veh, key)
        ]
        glossary = list(self.profile.glossary_before)
        glossary += [
            (names.functional_path(line.code), line.explanation)
            for line in ds.functional
            if line.explanation
        ]
        glossary += list(self.profile.glossary_after)
        overrides = ds.glossary
        glossary = [(term, overrides.get(term, text)) for term, text in glossary]
        glossary += [(t, x) for t, x in overrides.items() if t not in {g[0] for g in glossary}]
        # The profile's own terms only (no 科目 explanations: Shanghai prints those in the
        # 情况说明 as "主要用于：…"), with the dataset's overrides and additions.
        standard = [*self.profile.glossary_before, *self.profile.glossary_after]
        standard = [(term, overrides.get(term, text)) for term, text in standard]
        standard += [(t, x) for t, x in overrides.items() if t not in {g[0] for g in standard}]
        bases = choose_bases(figs, self.profile.budget_basis)
        return {
            "ds": ds,
            "dept": ds.department.display_name,
            "year": ds.year,
            "prior": ds.prior_year.year or ds.year - 1,
            "basis": bases["general_budget"],
            "bases": bases,
            "bname": self.profile.budget_name,
            "fig": self.fig,
            "absfig": self.absfig,
            "val": self.val,
            "has": self.has,
            "sign": self.sign,
            "compare": self.compare,
            "compare_amounts": self.compare_amounts,
            "fname": names.functional,
            "fpath": names.functional_path,
            "cn": chinese_number,
            "score": _score,
            "income_parts": income_parts,
            "spending_parts": spending_parts,
            "gb_classes": gb_classes,
            "gb_items": gb_items,
            "personnel_items": personnel,
            "public_items": public,
            "vehicle_parts": vehicle_parts,
            "vehicle_total": sum(n for _, n in vehicle_parts),
            "glossary": glossary,
            "standard_glossary": standard,
            "funds": FUND_KEYS,
        }


class _Compiled(jinja2.FileSystemBytecodeCache):
    """Jinja's per-user bytecode cache (a private folder in the temp directory) for the
    narrative templates: a command compiles the profile's template once, not on every run
    (``juesuan check`` renders it for every document). The key names this environment's
    settings and Jinja's version, so that no other environment's code is ever loaded; the
    source's checksum is checked on load, so an edited template is compiled again."""

    SALT = f"juesuan-narrative|sandboxed|trim|lstrip|strict|{jinja2.__version__}|"

    def get_cache_key(self, name: str, filename: str | None = None) -> str:
        return super().get_cache_key(self.SALT + name, filename)


def _bytecode_cache() -> jinja2.BytecodeCache | None:
    try:
        return _Compiled()
    except (OSError, RuntimeError):  # no private temp folder: compile every time
        return None


@lru_cache(maxsize=16)
def _template(directory: Path, narrative: Path) -> jinja2.Template:
    """The profile's compiled narrative template (compiled once per process, and cached
    between processes by :class:`_Compiled`). Sandboxed: a template reaches the context it
    is given, never Python internals. Its output is this module's line markup (not HTML);
    each writer escapes text for its own format."""
    loader = jinja2.FileSystemLoader([str(directory), str(narrative.parent)])
    env = jinja2.sandbox.SandboxedEnvironment(
        loader=loader,
        trim_blocks=True,
        lstrip_blocks=True,
        undefined=jinja2.StrictUndefined,
        autoescape=False,
        keep_trailing_newline=True,
        bytecode_cache=_bytecode_cache(),
    )
    return env.get_template(narrative.name)


def _runs(text: str, figs: FigureSet) -> tuple[Run, ...]:
    runs: list[Run] = []
    pos = 0
    for m in _MARK.finditer(text):
        if m.start() > pos:
            runs.append(Text(text[pos : m.start()]))
        fig = figs[m.group(1)]
        runs.append(FigureRef(fig.id, fig.value, fig.unit, absolute=m.group(2) == "abs"))
        pos = m.end()
    if pos < len(text):
        runs.append(Text(text[pos:]))
    return tuple(runs)


def _blocks(
    markup: str, figs: FigureSet, inserts: Mapping[str, Sequence[Block]] | None = None
) -> list[Block]:
    """Parse the template's line markup; ``[[name]]`` lines take the blocks ``inserts[name]``
    (the standard tables, the self-evaluation tables)."""
    inserts = inserts or {}
    blocks: list[Block] = []
    for raw in markup.splitlines():
        line = raw.strip()
        if not line:
            continue
        if line.startswith("[[") and line.endswith("]]") and line[2:-2] in inserts:
            blocks.extend(inserts[line[2:-2]])
            continue
        if line.startswith("#"):
            level = len(line) - len(line.lstrip("#"))
            blocks.append(Heading(level, line[level:].strip()))
        elif line == "[[unit]]":
            blocks.append(Paragraph((Text("单位：万元"),), style="unit"))
        elif m := _CHART.match(line):
            series = tuple(
                tuple(item.split("=", 1)) for item in m.group(4).split(";") if "=" in item
            )
            blocks.append(ChartRef(m.group(1), m.group(3), series, m.group(2)))  # type: ignore[arg-type]
        else:
            blocks.append(Paragraph(_runs(line, figs)))
    return blocks


def build_narrative(
    ds: Dataset,
    figs: FigureSet,
    profile: Profile,
    names: Names,
    inserts: Mapping[str, Sequence[Block]] | None = None,
) -> Document:
    """Render the profile's narrative template for ``ds`` into a document; each
    ``inserts[name]`` (e.g. ``tables``) goes where the template says ``[[name]]``."""
    template = _template(profile.directory, profile.narrative)
    markup = template.render(**_Context(ds, figs, profile, names).namespace())
    title = profile.title.format(name=ds.department.name, year=ds.year)
    inserts = {"units": [units_table(ds)], **(inserts or {})}  # the 单位构成 table
    blocks = tuple(tidy(_blocks(markup, figs, inserts)))
    return Document(
        title=title,
        subtitle=ds.department.region,
        blocks=blocks,
        year=ds.year,
        department=ds.department.name,
    )
