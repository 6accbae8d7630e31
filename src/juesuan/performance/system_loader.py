"""Load an indicator system file with file:line findings (never a traceback).

The YAML is composed by :class:`juesuan.io.yaml_events.Composer` (lines of every value,
Decimals from source text, duplicate keys, depth limits) and model errors are explained by
:func:`juesuan.io.validation_messages.translate`, as for datasets. Then the system's own
consistency is checked: rule types, expressions and their names, input sources, ids.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from juesuan.core.findings import Finding, Location, Severity
from juesuan.io.load_findings import clip, empty_file, finding, not_text
from juesuan.io.syntax_messages import yaml_error
from juesuan.io.validation_messages import translate
from juesuan.io.yaml_events import Composer, Fatal
from juesuan.performance.expr import check_expression
from juesuan.performance.system import RULE_TYPES, BandsRule, IndicatorSystem

SYSTEMS_DIR = Path(__file__).parent / "systems"
MAX_BYTES = 2 * 1024 * 1024
MAX_NODES = 200_000
MAX_DEPTH = 40


Result = tuple[IndicatorSystem | None, list[Finding]]
_CACHE: dict[tuple[str, int, int], Result] = {}


def available_systems() -> list[str]:
    """Names of the bundled indicator systems."""
    return sorted(p.stem for p in SYSTEMS_DIR.glob("*.yaml"))


def system_file(name: str | Path) -> Path:
    """The file of a bundled system ``name``, or ``name`` itself when it is a path."""
    text = str(name)
    if text.endswith((".yaml", ".yml")) or "/" in text or "\\" in text:
        return Path(text)
    return SYSTEMS_DIR / f"{text}.yaml"


def load_system(name: str | Path) -> Result:
    """Load a bundled system by name, or a system file by path."""
    path = system_file(name)
    origin = str(path)
    try:
        if not path.is_file():
            known = "、".join(available_systems())
            return None, [
                finding(
                    "PERF-101",
                    f"找不到指标体系「{name}」（可用：{known}，或给出文件路径）",
                    origin,
                    None,
                )
            ]
        stat = path.stat()
        key = (str(path.resolve()), stat.st_mtime_ns, stat.st_size)
        if key in _CACHE:
            return _CACHE[key]
        if stat.st_size > MAX_BYTES:
            return None, [finding("PERF-101", "指标体系文件过大，拒绝读取", origin, 1)]
        data = path.read_bytes()
    except (OSError, ValueError) as exc:
        return None, [finding("PERF-101", f"无法读取指标体系文件：{origin}（{exc}）", origin, None)]
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        return None, [not_text(origin, line, f"第 {line} 行不是有效的 UTF-8 文本")]
    result = parse_system_text(text, origin)
    _CACHE[key] = result
    return result


def parse_system_text(text: str, origin: str) -> Result:
    """Parse the YAML ``text`` of an indicator system; ``origin`` names it in locations."""
    if not text.strip():
        return None, [empty_file(origin)]
    composer = Composer(origin, max_nodes=MAX_NODES, max_depth=MAX_DEPTH)
    try:
        composer.run(text)
    except Fatal as fatal:
        return None, [fatal.finding]
    except yaml.YAMLError as exc:
        return None, [yaml_error(exc, text, origin, max_depth=MAX_DEPTH)]
    findings = list(composer.findings)
    root = composer.root
    if not isinstance(root, dict):
        return None, [
            *findings,
            finding("LOAD-006", "指标体系文件顶层应为映射（「键: 值」）", origin, 1),
        ]
    findings += _rule_types(root, composer)
    system: IndicatorSystem | None = None
    try:
        system = IndicatorSystem.model_validate(root)
    except ValidationError as exc:
        findings.extend(translate(exc, composer.sources, composer.poisoned, origin))
    if system is None or findings:
        return None, sorted(findings, key=lambda f: f.location.line or 0)
    system.with_sources(origin, composer.sources)
    problems = semantic_findings(system)
    return (None if problems else system), problems


def _rule_types(root: dict[str, Any], composer: Composer) -> list[Finding]:
    """Unknown ``rule.type`` values, explained in Chinese before pydantic's union error."""
    out: list[Finding] = []

    def visit(groups: Any, base: str) -> None:
        if not isinstance(groups, list):
            return
        for i, g in enumerate(groups):
            if not isinstance(g, dict):
                continue
            path = f"{base}.{i}"
            visit(g.get("groups"), f"{path}.groups")
            for k, ind in enumerate(g.get("indicators") or []):
                rule = ind.get("rule") if isinstance(ind, dict) else None
                kind = rule.get("type") if isinstance(rule, dict) else None
                if isinstance(rule, dict) and kind not in RULE_TYPES:
                    where = f"{path}.indicators.{k}.rule"
                    loc = composer.sources.get(f"{where}.type") or composer.sources.get(where)
                    shown = "未填写" if kind is None else f"为「{clip(str(kind))}」"
                    out.append(
                        Finding(
                            "PERF-102",
                            Severity.ERROR,
                            f"评分规则类型{shown}，应为：{'、'.join(RULE_TYPES)}",
                            Location(
                                file=composer.origin, line=loc.line if loc else None, path=where
                            ),
                        )
                    )
                    composer.poisoned.add(where)

    visit(root.get("groups"), "groups")
    return out


def semantic_findings(system: IndicatorSystem) -> list[Finding]:
    """Problems a valid-looking system still has: expressions, sources, ids, band edges."""
    out: list[Finding] = []
    names = set(system.inputs) | {"weight"}

    def add(code: str, message: str, path: str) -> None:
        out.append(Finding(code, Severity.ERROR, message, system.locate(path)))

    for name, spec in system.inputs.items():
        bound = [k for k in ("figure", "dataset", "projects") if getattr(spec, k)]
        if spec.run:
            bound.append("run")
        if len(bound) > 1:
            add(
                "PERF-104",
                f"输入「{name}」同时指定了{'、'.join(bound)}，只能有一个来源",
                f"inputs.{name}",
            )
    seen_ids: dict[str, str] = {}
    for path, ind in system.walk_indicators():
        if ind.id in seen_ids:
            add("PERF-105", f"指标编号「{ind.id}」重复（另见 {seen_ids[ind.id]}）", f"{path}.id")
        seen_ids.setdefault(ind.id, path)
        for field, expr in _expressions(ind.rule):
            for problem in check_expression(expr, names):
                add("PERF-103", f"指标「{ind.name}」：{problem}", f"{path}.rule.{field}")
        rule = ind.rule
        if rule.type == "deductions" and rule.count and rule.count not in system.inputs:
            add(
                "PERF-103",
                f"指标「{ind.name}」：问题个数的输入「{rule.count}」未声明",
                f"{path}.rule.count",
            )
        if isinstance(rule, BandsRule):
            for j, band in enumerate(rule.bands):
                lo, hi = band.lower, band.upper
                if isinstance(lo, str) or isinstance(hi, str) or lo is None or hi is None:
                    continue
                if lo > hi:
                    add(
                        "PERF-106",
                        f"指标「{ind.name}」第{j + 1}个区间下限{lo}大于上限{hi}",
                        f"{path}.rule.bands.{j}",
                    )
    group_names: dict[str, str] = {}
    for path, group, _ in system.walk_groups():
        if group.name in group_names:
            add(
                "PERF-105",
                f"指标名称「{group.name}」重复（另见 {group_names[group.name]}）",
                f"{path}.name",
            )
        group_names.setdefault(group.name, path)
    return out


def _expressions(rule: Any) -> list[tuple[str, str]]:
    """(field path inside the rule, expression text) of every expression a rule holds."""
    kind = rule.type
    if kind == "formula":
        return [("expr", rule.expr)]
    if kind == "completion":
        return [("target", rule.target), ("actual", rule.actual)]
    if kind == "base_plus_capped_bonus":
        return [(f"parts.{i}.reduction", p.reduction) for i, p in enumerate(rule.parts)]
    if kind == "bands":
        out = [("value", rule.value)]
        for j, band in enumerate(rule.bands):
            for edge in ("value", "lower", "upper"):
                expr = getattr(band, edge)
                if isinstance(expr, str):
                    out.append((f"bands.{j}.{edge}", expr))
        return out
    return []
