"""The batch summary: ``summary.csv``, ``summary.json`` and ``summary.html``, one row per input.

Everything in them is a function of the inputs, options and code, except the time taken:
it is the last CSV column (``用时（秒）``), the ``seconds`` field of each JSON row and the
cells of class ``t`` in the HTML, so a comparison of two runs can drop exactly that.
"""

from __future__ import annotations

import csv
import io
import json
import os
from collections.abc import Callable, Iterable
from contextlib import ExitStack
from html import escape
from pathlib import Path
from typing import Any

from juesuan.batch.tasks import FAILED, FINDINGS, OK, STATUS_LABELS

KIND_LABELS = {"validate": "批量校验", "build": "批量生成", "check": "批量检查"}
COLUMNS = (
    ("input", "输入文件"),
    ("department", "部门"),
    ("year", "年度"),
    ("status", "状态"),
    ("errors", "错误"),
    ("warnings", "警告"),
    ("infos", "提示"),
    ("total_expenditure", "本年支出合计（万元）"),
    ("reason", "失败或错误原因"),
    ("dir", "结果目录"),
    ("seconds", "用时（秒）"),
)


def _cell(row: dict[str, Any], key: str) -> str:
    value = row.get(key)
    if key == "status":
        return STATUS_LABELS.get(str(value), str(value))
    if key == "seconds":
        return f"{float(value or 0):.3f}"
    return "" if value is None else str(value)


def summary_csv(rows: list[dict[str, Any]]) -> str:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow([label for _, label in COLUMNS])
    for row in rows:
        writer.writerow([_neutralise(_cell(row, key)) for key, _ in COLUMNS])
    return buf.getvalue()


def _neutralise(text: str) -> str:
    """Spreadsheet formula injection: a cell starting with = + - @ is quoted as text."""
    if text[:1] in ("=", "+", "@") or (text[:1] == "-" and not _is_number(text)):
        return "'" + text
    return text


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def counts(rows: list[dict[str, Any]]) -> dict[str, int]:
    return {s: sum(1 for r in rows if r["status"] == s) for s in (OK, FINDINGS, FAILED)}


def summary_json(kind: str, rows: list[dict[str, Any]]) -> str:
    payload = {"command": kind, "count": len(rows), "status": counts(rows), "items": rows}
    return json.dumps(payload, ensure_ascii=False, indent=1) + "\n"


CSS = """
body{font-family:"Noto Sans CJK SC","Source Han Sans SC",sans-serif;margin:2em;color:#222}
table{border-collapse:collapse;width:100%} td,th{border:1px solid #bbb;padding:4px 6px;font-size:.9em;vertical-align:top}
th{background:#f0f0f0;position:sticky;top:0} td.n,td.t{text-align:right}
tr.failed td{background:#fdecee} tr.findings td{background:#fff6e0}
.tally span{margin-right:1.5em}
"""


def summary_html(kind: str, rows: list[dict[str, Any]]) -> str:
    head = _html_head(kind, len(rows), counts(rows))
    return head + "\n".join(_html_row(row) for row in rows) + _HTML_TAIL


def _html_head(kind: str, total: int, c: dict[str, int]) -> str:
    title = f"{KIND_LABELS.get(kind, kind)}结果汇总"
    head = "".join(f"<th>{escape(label)}</th>" for _, label in COLUMNS)
    return (
        '<!DOCTYPE html>\n<html lang="zh-CN"><head><meta charset="utf-8">'
        f"<title>{escape(title)}</title><style>{CSS}</style></head><body>\n"
        f"<h1>{escape(title)}</h1>\n"
        f'<p class="tally"><span>共 {total} 项</span><span>通过 {c[OK]}</span>'
        f"<span>有错误 {c[FINDINGS]}</span><span>失败 {c[FAILED]}</span></p>\n"
        f"<table><thead><tr>{head}</tr></thead><tbody>\n"
    )


_HTML_TAIL = "\n</tbody></table></body></html>\n"


def _html_row(row: dict[str, Any]) -> str:
    cells = []
    for key, _ in COLUMNS:
        text = escape(_cell(row, key))
        if key == "dir" and row.get("dir"):
            text = f'<a href="{escape(str(row["dir"]))}/">{text}</a>'
        cls = (
            ' class="t"'
            if key == "seconds"
            else (
                ' class="n"' if key in ("errors", "warnings", "infos", "total_expenditure") else ""
            )
        )
        cells.append(f"<td{cls}>{text}</td>")
    return f'<tr class="{escape(str(row["status"]))}">{"".join(cells)}</tr>'


def write_summaries(
    out: Path,
    kind: str,
    rows: Iterable[dict[str, Any]] | Callable[[], Iterable[dict[str, Any]]],
) -> list[Path]:
    """Write the three summaries from ``rows`` (sorted by input).

    ``rows`` is iterated twice (a sequence, or a function re-reading the rows from disk):
    once for the tallies, once to stream every row into all three files, so the client does
    not hold the rows nor the texts, whatever the number of inputs. The bytes equal
    :func:`summary_csv`, :func:`summary_json` and :func:`summary_html` of the whole list."""
    if callable(rows):
        first, second = rows(), rows()
    else:
        first = second = rows
    tally = {OK: 0, FINDINGS: 0, FAILED: 0}
    total = 0
    for row in first:
        total += 1
        if row["status"] in tally:
            tally[row["status"]] += 1
    names = ("summary.csv", "summary.json", "summary.html")
    tmps = [out / f".{name}.tmp{os.getpid()}" for name in names]
    with ExitStack() as stack:
        csv_fh, json_fh, html_fh = (
            stack.enter_context(path.open("w", encoding="utf-8", newline="")) for path in tmps
        )
        writer = csv.writer(csv_fh, lineterminator="\n")
        writer.writerow([label for _, label in COLUMNS])
        json_fh.write(_json_head(kind, total, tally))
        html_fh.write(_html_head(kind, total, tally))
        for i, row in enumerate(second):
            writer.writerow([_neutralise(_cell(row, key)) for key, _ in COLUMNS])
            json_fh.write(("," if i else "") + "\n  " + _json_row(row))
            html_fh.write(("\n" if i else "") + _html_row(row))
        json_fh.write("\n ]\n}\n" if total else "]\n}\n")
        html_fh.write(_HTML_TAIL)
    written = []
    for tmp, name in zip(tmps, names, strict=True):
        tmp.replace(out / name)
        written.append(out / name)
    return written


def _json_head(kind: str, total: int, tally: dict[str, int]) -> str:
    """``summary_json`` up to the items: the same text as the whole dump, cut there."""
    head = json.dumps(
        {"command": kind, "count": total, "status": tally, "items": []},
        ensure_ascii=False,
        indent=1,
    )
    return head[: -len("]\n}")]


def _json_row(row: dict[str, Any]) -> str:
    return json.dumps(row, ensure_ascii=False, indent=1).replace("\n", "\n  ")
