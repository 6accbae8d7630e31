"""The region report as JSON, XLSX and one self-contained HTML page with charts.

Amounts are 万元 ``Decimal`` printed with two decimals; charts are drawn by
:func:`juesuan.document.charts.chart_png` (the department documents' chart style and CJK
font) and embedded as PNG data URIs. Same report → same bytes.
"""

from __future__ import annotations

import base64
import dataclasses
import io
import json
from decimal import Decimal
from html import escape
from typing import Any

from juesuan.core.money import fmt_money, round2
from juesuan.region.aggregate import Line, RegionReport
from juesuan.region.facts import FAILED, FINDINGS, OK

STATUS = {OK: "通过", FINDINGS: "有错误", FAILED: "无法读取"}
TOP_N = 15


def _plain(value: Any) -> Any:
    if isinstance(value, Decimal):
        return str(value)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value


def report_dict(report: RegionReport) -> dict[str, Any]:
    """The whole report as JSON-ready data (Decimals as strings)."""
    out = _plain(report)
    out["summary"] = {
        "departments": len(report.departments),
        "ok": len(report.clean),
        "with_errors": len(report.with_errors),
        "failed": len(report.failed),
        "elsewhere": len(report.elsewhere),
        "duplicates": len(report.duplicates),
    }
    return out


def to_json(report: RegionReport) -> str:
    return json.dumps(report_dict(report), ensure_ascii=False, indent=1) + "\n"


def _m(value: Decimal | None) -> str:
    return "—" if value is None else fmt_money(value, thousands=True, zero="0.00")


def _p(value: Decimal | None) -> str:
    return "—" if value is None else f"{round2(value):.2f}%"


def _title(report: RegionReport) -> str:
    return f"{report.region or '（未识别地区）'}{report.year or ''}年度部门决算汇总"


# --- tables shared by HTML and XLSX -----------------------------------------------------

Table = tuple[str, list[str], list[list[Any]]]
CODED_HEADER = ["科目编码", "科目名称", "金额（万元）", "占比", "部门数"]


def _lines_table(
    title: str,
    lines: list[Line],
    *,
    coded: bool = False,
    header: list[str] | None = None,
    prefix: str = "",
    before: list[list[Any]] | None = None,
    after: list[list[Any]] | None = None,
) -> Table:
    """A table of :class:`Line` rows: (code,) name, amount, share, departments — the one
    builder of every “amount and share” table (classification, split, 三公, procurement)."""
    rows = [
        [
            *([ln.code] if coded else []),
            f"{prefix}{ln.name}",
            ln.amount,
            _p(ln.share),
            ln.departments,
        ]
        for ln in lines
    ]
    default = CODED_HEADER if coded else ["项目", "金额（万元）", "占比", "部门数"]
    return title, header or default, [*(before or []), *rows, *(after or [])]


def tables(report: RegionReport) -> list[Table]:
    """(title, header, rows) of every table of the report; cells are str or Decimal."""
    t = report.totals
    out: list[Table] = []
    rows = [
        ["纳入汇总的部门", len(report.departments)],
        ["其中：校验通过", len(report.clean)],
        ["其中：有错误", len(report.with_errors)],
        ["无法读取的文件", len(report.failed)],
        ["不属于本地区或年度", len(report.elsewhere)],
        ["重复的部门", len(report.duplicates)],
    ]
    out.append(("一、完整性", ["项目", "数量"], rows))
    out.append(
        (
            "部门名单",
            ["部门", "状态", "错误", "警告", "本年支出合计", "问题或原因"],
            [
                [
                    d.department or d.input,
                    STATUS[d.status],
                    d.errors,
                    d.warnings,
                    d.total,
                    d.reason or "",
                ]
                for d in report.departments
            ]
            + [[d.input, STATUS[FAILED], d.errors, 0, None, d.reason or ""] for d in report.failed]
            + [
                [
                    d.department or d.input,
                    f"不属于本地区或年度（{d.region} {d.year}）",
                    d.errors,
                    d.warnings,
                    d.total,
                    "",
                ]
                for d in report.elsewhere
            ]
            + [
                [d.department or d.input, "重复（未计入）", d.errors, d.warnings, d.total, d.input]
                for d in report.duplicates
            ],
        )
    )
    out.append(
        (
            "二、收支总体情况",
            ["项目", "金额（万元）"],
            [
                ["收入、支出总计", t.get("grand_total")],
                ["本年支出合计", t.get("total")],
                ["一般公共预算财政拨款支出（决算）", t.get("gb_final")],
                ["一般公共预算财政拨款（调整预算）", t.get("gb_budget")],
                ["预算完成率", _p(t.get("completion"))],
            ],
        )
    )
    out.append(
        (
            "较上年变动",
            ["项目", "本年", "上年", "增减额", "增减率"],
            [[c.label, c.now, c.before, c.change, _p(c.rate)] for c in report.changes],
        )
    )
    out.append(_lines_table("三、支出按功能分类（类）", report.by_function, coded=True))
    out.append(
        _lines_table("四、财政拨款支出按经济分类（类）", report.by_economic_class, coded=True)
    )
    out.append(_lines_table("财政拨款支出按经济分类（款）", report.by_economic, coded=True))
    out.append(_lines_table("五、基本支出与项目支出", report.split))
    sg_change = next((c for c in report.changes if c.label == "“三公”经费"), None)
    out.append(
        _lines_table(
            "六、“三公”经费",
            report.sangong_items,
            header=["项目", "决算（万元）", "占比", "部门数"],
            after=[["合计", t.get("sangong"), "", ""], ["预算数", t.get("sangong_budget"), "", ""]]
            + ([["较上年增减率", _p(sg_change.rate), "", ""]] if sg_change else []),
        )
    )
    out.append(
        (
            "各部门“三公”经费",
            ["部门", "预算数", "决算数", "上年决算数", "增减率"],
            [[r.department, r.budget, r.final, r.prior, _p(r.rate)] for r in report.sangong_rows],
        )
    )
    out.append(
        _lines_table(
            "七、机关运行经费与政府采购",
            report.procurement,
            header=["项目", "金额（万元）", "占政府采购比例", "部门数"],
            prefix="政府采购：",
            before=[["机关运行经费", t.get("office_operation"), "", len(report.departments)]],
        )
    )
    out.append(
        (
            "八、部门整体绩效自评得分排名",
            ["名次", "部门", "得分"],
            [[r.rank, r.department, r.value] for r in report.by_score],
        )
    )
    out.append(
        (
            "一般公共预算财政拨款预算完成率排名",
            ["名次", "部门", "完成率", "决算／预算（万元）"],
            [[r.rank, r.department, _p(r.value), r.detail] for r in report.by_completion],
        )
    )
    out.append(
        (
            f"九、异常变动（较上年增减超过±{report.threshold}%）",
            ["部门", "项目", "本年", "上年", "增减率", "是否说明原因"],
            [
                [
                    o.department,
                    o.what,
                    o.now,
                    o.before,
                    _p(o.rate),
                    "已说明" if o.has_reason else "未说明原因",
                ]
                for o in report.outliers
            ],
        )
    )
    inputs = [
        [name, f"{value}%", report.region_input_counts.get(name, 0)]
        for name, value in sorted(report.region_inputs.items())
    ]
    out.append(
        ("十、区域平均值（绩效指标的运行参数）", ["参数", "平均值", "参与计算的部门数"], inputs)
    )
    return out


# --- XLSX ---------------------------------------------------------------------------------


def to_xlsx(report: RegionReport) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    wb = Workbook()
    ws = wb.active
    ws.title = "汇总"
    ws.append([_title(report)])
    ws["A1"].font = Font(bold=True, size=14)
    ws.append(["单位：万元"])
    for title, header, rows in tables(report):
        ws.append([])
        ws.append([title])
        ws.cell(ws.max_row, 1).font = Font(bold=True)
        ws.append(header)
        for row in rows:
            ws.append([_xlsx_cell(v) for v in row])
            for col, value in enumerate(row, start=1):
                if isinstance(value, Decimal):
                    ws.cell(ws.max_row, col).number_format = "#,##0.00"
    ws.column_dimensions["A"].width = 36
    ws.column_dimensions["B"].width = 30
    for col in "CDEF":
        ws.column_dimensions[col].width = 18
    import zipfile

    from openpyxl.writer.excel import ExcelWriter

    from juesuan.document.spreadsheetml import FIXED_DATETIME
    from juesuan.document.ziprepack import repack

    props = wb.properties
    props.title = _title(report)
    props.creator = "juesuan"
    props.lastModifiedBy = None
    props.created = FIXED_DATETIME
    props.modified = FIXED_DATETIME
    # ExcelWriter directly: Workbook.save() would stamp ``modified`` with the current time
    raw = io.BytesIO()
    with zipfile.ZipFile(raw, "w", zipfile.ZIP_DEFLATED) as archive:
        ExcelWriter(wb, archive).save()
    return repack(raw.getvalue())


def _xlsx_cell(value: Any) -> Any:
    if isinstance(value, Decimal):
        return round2(value)  # openpyxl writes Decimal exactly as a number
    if isinstance(value, str) and value[:1] in ("=", "+", "@", "-"):
        return "'" + value  # a text that looks like a formula stays text
    return value


# --- HTML ---------------------------------------------------------------------------------


def charts(report: RegionReport) -> list[tuple[str, bytes]]:
    """(caption, PNG) of the report's charts."""
    from juesuan.document.charts import ChartData, chart_png

    out: list[tuple[str, bytes]] = []
    year = report.year or 0
    changes = [c for c in report.changes if c.now is not None and c.before is not None]
    for c in changes:
        data = ChartData(
            f"change-{c.label}",
            "bar",
            f"{c.label}（万元）",
            (f"{year - 1}年", f"{year}年"),
            (("", (c.before, c.now)),),
        )
        out.append((data.caption, chart_png(data, dpi=110)))
    if report.by_function:
        top = sorted(report.by_function, key=lambda ln: (-ln.amount, ln.code))
        shown = top[:8]
        rest = sum((ln.amount for ln in top[8:]), Decimal(0))
        cats = tuple(ln.name for ln in shown) + (("其他",) if rest else ())
        vals = tuple(ln.amount for ln in shown) + ((rest,) if rest else ())
        data = ChartData("function", "pie", "支出按功能分类（类）", cats, (("", vals),))
        out.append((data.caption, chart_png(data, dpi=110)))
    for key, caption, lines in (
        ("economic", "财政拨款支出按经济分类（类）", report.by_economic_class),
        ("split", "基本支出与项目支出", report.split),
    ):
        if lines:
            data = ChartData(
                key,
                "pie",
                caption,
                tuple(ln.name for ln in lines),
                (("", tuple(ln.amount for ln in lines)),),
            )
            out.append((data.caption, chart_png(data, dpi=110)))
    biggest = sorted(
        (d for d in report.departments if d.total is not None),
        key=lambda d: (-(d.total or 0), d.department or ""),
    )[:8]
    if biggest:
        data = ChartData(
            "departments",
            "bar",
            "本年支出合计最多的部门（万元）",
            tuple(_wrap(d.short_name or d.department or d.input) for d in biggest),
            (("", tuple(d.total for d in biggest)),),
        )
        out.append((data.caption, chart_png(data, dpi=110)))
    return out


def _wrap(label: str, width: int = 4, lines: int = 3) -> str:
    """A category label in short lines, so neighbouring bar labels do not overlap."""
    parts = [label[i : i + width] for i in range(0, len(label), width)]
    if len(parts) > lines:
        parts = [*parts[: lines - 1], parts[lines - 1][: width - 1] + "…"]
    return "\n".join(parts)


CSS = """
body{font-family:"Noto Sans CJK SC","Source Han Sans SC",sans-serif;margin:2em auto;max-width:70em;color:#222}
h1{font-size:1.5em} h2{font-size:1.15em;margin-top:1.6em;border-bottom:1px solid #ccc}
table{border-collapse:collapse;margin:.6em 0;width:100%} td,th{border:1px solid #bbb;padding:3px 6px;font-size:.9em}
th{background:#f0f0f0} td.n{text-align:right} figure{display:inline-block;margin:.5em}
figcaption{text-align:center;font-size:.9em} .warn{color:#b00020}
"""


def _html_cell(value: Any) -> str:
    if isinstance(value, Decimal):
        return f'<td class="n">{escape(_m(value))}</td>'
    if isinstance(value, int):
        return f'<td class="n">{value}</td>'
    if value is None:
        return "<td>—</td>"
    text = escape(str(value))
    if text in ("未说明原因", "有错误", "无法读取"):
        text = f'<span class="warn">{text}</span>'
    return f"<td>{text}</td>"


def to_html(report: RegionReport, with_charts: bool = True) -> str:
    parts = [
        '<!DOCTYPE html>\n<html lang="zh-CN"><head><meta charset="utf-8">',
        f"<title>{escape(_title(report))}</title><style>{CSS}</style></head><body>",
        f"<h1>{escape(_title(report))}</h1><p>单位：万元。</p>",
    ]
    if with_charts:
        figures = charts(report)
        if figures:
            parts.append("<h2>图表</h2>")
        for caption, png in figures:
            data = base64.b64encode(png).decode("ascii")
            parts.append(
                f'<figure><img alt="{escape(caption)}" width="560" src="data:image/png;base64,{data}">'
                f"<figcaption>{escape(caption)}</figcaption></figure>"
            )
    for title, header, rows in tables(report):
        parts.append(f"<h2>{escape(title)}</h2>")
        if not rows:
            parts.append("<p>（无）</p>")
            continue
        head = "".join(f"<th>{escape(h)}</th>" for h in header)
        body = "".join("<tr>" + "".join(_html_cell(v) for v in row) + "</tr>" for row in rows)
        parts.append(f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>")
    parts.append("</body></html>\n")
    return "\n".join(parts)
