"""分类科目: codes exist in the year's catalog, names match, parents exist, no duplicates."""

from __future__ import annotations

from collections.abc import Iterator

from juesuan.catalog.catalogs import Catalog
from juesuan.core.findings import Finding, Severity
from juesuan.rules.registry import RuleContext, rule

_SCHEME_LABEL = {"functional": "支出功能分类", "economic": "支出经济分类"}


def _coded_lines(ctx: RuleContext) -> Iterator[tuple[str, str, str, str | None, str]]:
    """(scheme, path, code, stated name, table) of every coded line in the dataset."""
    for i, line in enumerate(ctx.ds.functional):
        yield "functional", f"functional.{i}", line.code, line.name, "支出功能分类明细"
    for key, table in (
        ("basic_by_economic", "一般公共预算财政拨款基本支出决算表"),
        ("project_by_economic", "一般公共预算财政拨款项目支出决算表"),
    ):
        for i, line in enumerate(getattr(ctx.ds, key)):
            yield "economic", f"{key}.{i}", line.code, line.name, table


def _catalog(ctx: RuleContext, scheme: str) -> Catalog:
    return ctx.catalogs.by_scheme(scheme)


def _where_catalog(cat: Catalog) -> str:
    kind = "完整目录" if cat.complete else "内置目录（不完整）"
    return f"{cat.year}年{_SCHEME_LABEL[cat.scheme]}{kind}"


@rule("CAT-001", Severity.ERROR, "catalog", "科目编码存在于当年分类目录")
def known_code(ctx: RuleContext) -> Iterator[Finding]:
    """科目编码须存在于决算年度的政府收支分类科目目录中。目录标记为完整（导入的官方目录）时
    为错误；内置目录只收录了部分科目，缺失时为警告——但内置目录包含全部“类”，
    所属的类不存在时（编码前三位有误）仍为错误。"""
    for scheme, path, code, _name, table in _coded_lines(ctx):
        cat = _catalog(ctx, scheme)
        if code in cat:
            continue
        where = ctx.where(f"{path}.code", table, code, "科目编码")
        if code[:3] not in cat:
            yield known_code.finding(
                f"科目编码「{code}」所属的类「{code[:3]}」不存在，编码有误", where
            )
            continue
        severity = Severity.ERROR if cat.complete else Severity.WARNING
        yield known_code.finding(
            f"科目编码「{code}」不在{_where_catalog(cat)}中，请核对编码", where, severity=severity
        )


@rule("CAT-002", Severity.ERROR, "catalog", "科目名称与编码一致")
def name_matches(ctx: RuleContext) -> Iterator[Finding]:
    """填报的科目名称须与目录中该编码的名称一致，不一致为错误（编码或名称填错）。
    只是写法不同（全角半角括号、空格、省略末尾的“支出”“费用”等历年常见写法）时为警告，
    文件中使用目录名称。"""
    for scheme, path, code, name, table in _coded_lines(ctx):
        entry = _catalog(ctx, scheme).get(code)
        if entry is None or name is None or name == entry.name:
            continue
        where = ctx.where(f"{path}.name", table, code, "科目名称")
        if _variant(name) == _variant(entry.name):
            yield name_matches.finding(
                f"科目「{code}」名称写作「{name}」，目录名称为「{entry.name}」（写法不同）",
                where,
                severity=Severity.WARNING,
            )
        else:
            yield name_matches.finding(
                f"科目「{code}」填报名称为「{name}」，与目录名称「{entry.name}」不符，请核对编码或名称",
                where,
            )


_VARIANT_TABLE = str.maketrans({"(": "（", ")": "）", " ": None, "\u3000": None})


def _variant(name: str) -> str:
    """A name with the spelling differences that real documents show removed."""
    text = name.translate(_VARIANT_TABLE)
    for suffix in ("支出", "费用", "费"):
        text = text.removesuffix(suffix)
    return text


@rule("CAT-003", Severity.WARNING, "catalog", "上级科目存在")
def parent_exists(ctx: RuleContext) -> Iterator[Finding]:
    """项级科目的款、类，经济分类款级科目的类，须存在于目录中。"""
    for scheme, path, code, _name, table in _coded_lines(ctx):
        cat = _catalog(ctx, scheme)
        for parent in cat.parents(code):
            if parent not in cat:
                yield parent_exists.finding(
                    f"科目「{code}」的上级科目「{parent}」不在{_where_catalog(cat)}中",
                    ctx.where(f"{path}.code", table, code, "科目编码"),
                )


@rule("CAT-004", Severity.ERROR, "catalog", "同一科目不重复列示")
def no_duplicates(ctx: RuleContext) -> Iterator[Finding]:
    """同一张明细中，同一科目编码只能出现一次（重复行会使合计重复计算）。"""
    seen: dict[tuple[str, str], str] = {}
    for _scheme, path, code, _name, table in _coded_lines(ctx):
        key = (path.rsplit(".", 1)[0], code)
        if key in seen:
            first = ctx.ds.locate(seen[key])
            at = f"第{first.line}行" if first.line else "前面"
            yield no_duplicates.finding(
                f"科目编码「{code}」重复列示（{at}已有同一科目）",
                ctx.where(f"{path}.code", table, code, "科目编码"),
            )
        else:
            seen[key] = path
