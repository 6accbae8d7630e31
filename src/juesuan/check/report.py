"""The check report as terminal text, JSON and one self-contained HTML file (Chinese)."""

from __future__ import annotations

import json
from html import escape

from juesuan.check import CheckReport, rounding_note
from juesuan.check.model import Item
from juesuan.core.findings import Severity

ORDER = {Severity.ERROR: 0, Severity.WARNING: 1, Severity.INFO: 2}


def all_items(report: CheckReport) -> list[Item]:
    items = [Item(f) for f in report.fatal] + sorted(
        report.items, key=lambda i: ORDER[i.finding.severity]
    )
    if report.rounding:
        items.append(rounding_note(report))
    return items


def counts(report: CheckReport) -> dict[Severity, int]:
    items = all_items(report)
    return {s: sum(1 for i in items if i.finding.severity is s) for s in Severity}


def to_text(report: CheckReport) -> str:
    out = [report.headline]
    for item in all_items(report):
        f = item.finding
        line = f"[{f.severity.label}] {f.code} {item.where()}：{f.message}"
        if f.stated is not None and f.expected is not None:
            line += f"（列示{f.stated}，应为{f.expected}，差额{f.difference}）"
        out.append(line)
        quotes = _quotes(item)
        for where, quote in quotes:
            label = f"原文（{where}）" if len(quotes) > 1 else "原文"
            out.append(f"    {label}：{quote}")
    if report.coverage:
        out.append("")
        out.append("规则覆盖：")
        for c in report.coverage:
            why = f"（{'；'.join(c.cannot)}）" if c.cannot and c.status != "已检查" else ""
            out.append(f"  {c.code} {c.title}：{c.status}{why}")
    return "\n".join(out)


def _quotes(item: Item) -> list[tuple[str, str]]:
    """(place, quote) of each place of a finding that has a quote of its own."""
    out: list[tuple[str, str]] = []
    for place in item.places:
        if place.quote and all(place.quote != q for _, q in out):
            out.append((place._where_one(), place.quote))
    return out


def summary(report: CheckReport) -> str:
    c = counts(report)
    n = sum(c.values())
    return (
        f"共{n}项：错误{c[Severity.ERROR]}项，警告{c[Severity.WARNING]}项，"
        f"提示{c[Severity.INFO]}项。"
    )


def to_json(report: CheckReport) -> str:
    payload = {
        "summary": report.headline,  # first: how reliably the document was read
        "file": report.path,
        "format": report.kind,
        "year": report.year,
        "tables": report.tables_found,
        "reading": _reading(report),
        "findings": [i.to_dict() for i in all_items(report)],
        "rounding_only": [i.to_dict() for i in report.rounding],
        "coverage": [
            {
                "code": c.code,
                "title": c.title,
                "status": c.status,
                "checked": c.checked,
                "findings": c.findings,
                "cannot_check": c.cannot,
            }
            for c in report.coverage
        ],
    }
    return json.dumps(payload, ensure_ascii=False, indent=1)


def _reading(report: CheckReport) -> dict:
    r = report.reading
    if r is None:
        return {"summary": report.headline}
    return {
        "summary": report.headline,
        "pages": r.pages,
        "unreliable_pages": {str(k): v for k, v in sorted(r.unreliable_pages.items())},
        "tables_read": len(r.tables),
        "tables_trusted": len(r.tables) - len(r.untrusted),
        "untrusted_tables": dict(r.untrusted),
    }


CSS = """
body{font-family:"Noto Sans CJK SC","Source Han Sans SC",sans-serif;margin:2em;color:#222}
h1{font-size:1.4em} table{border-collapse:collapse;margin:1em 0;width:100%}
td,th{border:1px solid #bbb;padding:4px 6px;vertical-align:top;font-size:.92em}
th{background:#f0f0f0} .error{color:#b00020} .warning{color:#a15c00} .info{color:#555}
blockquote{margin:.3em 0;padding:.3em .6em;background:#fafafa;border-left:3px solid #ccc}
mark{background:#ffe08a}
"""


def _quote(item: Item) -> str:
    quotes = _quotes(item)
    f = item.finding
    out = []
    for where, quote in quotes:
        q = escape(quote)
        if f.stated is not None:
            for s in (f"{f.stated}", f"{f.stated:,}"):
                if s in quote:
                    q = q.replace(escape(s), f"<mark>{escape(s)}</mark>", 1)
                    break
        label = f"<small>{escape(where)}</small><br>" if len(quotes) > 1 else ""
        out.append(f"<blockquote>{label}{q}</blockquote>")
    return "".join(out)


def to_html(report: CheckReport) -> str:
    c = counts(report)
    rows = []
    for item in all_items(report):
        f = item.finding
        sev = f.severity.value
        vals = ""
        if f.stated is not None:
            vals = f"列示 {f.stated}"
            if f.expected is not None:
                vals += f"<br>应为 {f.expected}<br>差额 {f.difference}"
        rows.append(
            f"<tr><td class='{sev}'>{f.severity.label}</td><td>{escape(f.code)}</td>"
            f"<td>{escape(item.where())}</td><td>{escape(f.message)}{_quote(item)}</td>"
            f"<td>{vals}</td></tr>"
        )
    cov = []
    for cv in report.coverage:
        why = escape("；".join(cv.cannot)) if cv.cannot else ""
        cov.append(
            f"<tr><td>{escape(cv.code)}</td><td>{escape(cv.title)}</td><td>{cv.status}</td>"
            f"<td>{cv.checked}</td><td>{cv.findings}</td><td>{why}</td></tr>"
        )
    tables = "、".join(escape(t) for t in report.tables_found) or "无"
    return f"""<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>检查报告：{escape(report.path)}</title>
<style>{CSS}</style></head><body>
<p><strong>{escape(report.headline)}</strong></p>
<h1>部门决算公开文件检查报告</h1>
<p>文件：{escape(report.path)}（{escape(report.kind or "未读取")}，决算年度：{report.year or "未识别"}）</p>
<p>识别出的标准表：{tables}</p>
<p>错误 {c[Severity.ERROR]} 项，警告 {c[Severity.WARNING]} 项，提示 {c[Severity.INFO]} 项。</p>
<h2>发现的问题</h2>
<table><tr><th>级别</th><th>规则</th><th>位置</th><th>说明与原文</th><th>数值</th></tr>
{"".join(rows) or "<tr><td colspan=5>未发现问题</td></tr>"}</table>
<h2>规则覆盖</h2>
<p>“无法检查”表示文件缺少该规则所需的内容，未核对，不代表没有问题。</p>
<table><tr><th>规则</th><th>内容</th><th>状态</th><th>核对次数</th><th>问题数</th><th>说明</th></tr>
{"".join(cov)}</table>
</body></html>
"""
