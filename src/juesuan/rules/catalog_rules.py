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


def _given_names(ctx: RuleContext) -> dict[str, str]:
    """code → the name the dataset gives it (a line's 科目名称, or ``code_names``)."""
    names = dict(ctx.ds.code_names)
    for _scheme, _path, code, name, _table in _coded_lines(ctx):
        if name:
            names.setdefault(code, name)
    return names


@rule("CAT-001")
def known_code(ctx: RuleContext) -> Iterator[Finding]:
    given = _given_names(ctx)
    seen: set[tuple[str, str]] = set()
    for scheme, path, code, _name, table in _coded_lines(ctx):
        cat = _catalog(ctx, scheme)
        if code in cat or (scheme, code) in seen:
            continue
        seen.add((scheme, code))  # a code listed in two tables is reported once
        where = ctx.where(f"{path}.code", table, code, "科目编码")
        if code[:3] not in cat:
            yield known_code.finding(
                f"科目编码「{code}」所属的类「{code[:3]}」不存在，编码有误", where
            )
            continue
        if cat.complete:
            yield known_code.finding(
                f"科目编码「{code}」不在{_where_catalog(cat)}中，请核对编码", where
            )
            continue
        # the bundled catalog lists only some codes: the data's names stand in for its own
        missing = [c for c in (*cat.parents(code), code) if c not in cat]
        unnamed = [c for c in missing if c not in given]
        if unnamed:
            yield known_code.finding(
                f"科目编码「{code}」不在{_where_catalog(cat)}中，数据中也没有"
                f"{'、'.join(f'「{c}」' for c in unnamed)}的名称，文件中无法印出科目名称："
                "请在本行“科目名称”或“分类科目名称”（编码 → 名称）中填写，"
                "或用 juesuan catalog import 导入完整目录",
                where,
            )
            continue
        yield known_code.finding(
            f"科目编码「{code}」不在{_where_catalog(cat)}中，文件使用数据中的名称"
            + "、".join(f"「{given[c]}」" for c in missing),
            where,
            severity=Severity.INFO,
        )


@rule("CAT-002")
def name_matches(ctx: RuleContext) -> Iterator[Finding]:
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


@rule("CAT-003")
def parent_exists(ctx: RuleContext) -> Iterator[Finding]:
    given = _given_names(ctx)
    for scheme, path, code, _name, table in _coded_lines(ctx):
        cat = _catalog(ctx, scheme)
        if code not in cat and not cat.complete:
            continue  # CAT-001 reports the code and its parents once
        for parent in cat.parents(code):
            if parent not in cat and (cat.complete or parent not in given):
                yield parent_exists.finding(
                    f"科目「{code}」的上级科目「{parent}」不在{_where_catalog(cat)}中",
                    ctx.where(f"{path}.code", table, code, "科目编码"),
                )


@rule("CAT-004")
def no_duplicates(ctx: RuleContext) -> Iterator[Finding]:
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
