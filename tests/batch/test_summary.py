"""The summaries are streamed row by row; their bytes equal the whole-list renderings."""

from __future__ import annotations

from pathlib import Path

import pytest

from juesuan.batch.summary import summary_csv, summary_html, summary_json, write_summaries

ROWS = [
    {
        "input": "a/部门一.yaml",
        "department": "某某局",
        "year": 2024,
        "status": "ok",
        "errors": 0,
        "warnings": 2,
        "infos": 1,
        "total_expenditure": "1234.56",
        "reason": None,
        "files": ["findings.json", "x.html"],
        "seconds": 0.123,
        "dir": "部门一-0123456789",
    },
    {
        "input": "b/坏.yaml",
        "department": None,
        "year": None,
        "status": "failed",
        "errors": 0,
        "warnings": 0,
        "infos": 0,
        "total_expenditure": None,
        "reason": "=YAML 语法错误：第 3 行 <缩进>",
        "files": [],
        "seconds": 0.0,
        "dir": None,
    },
    {
        "input": "c.yaml",
        "department": "丙",
        "year": 2024,
        "status": "findings",
        "errors": 1,
        "warnings": 0,
        "infos": 0,
        "total_expenditure": "-5",
        "reason": "BAL-001 收支总计不平",
        "files": ["findings.json"],
        "seconds": 1.5,
        "dir": "c-abcdef0123",
    },
]


@pytest.mark.parametrize("count", [0, 1, 3])
def test_streamed_summaries_equal_whole_renderings(tmp_path: Path, count: int) -> None:
    rows = ROWS[:count]
    write_summaries(tmp_path, "validate", lambda: iter(rows))
    assert (tmp_path / "summary.csv").read_bytes() == summary_csv(rows).encode("utf-8")
    assert (tmp_path / "summary.json").read_bytes() == summary_json("validate", rows).encode()
    assert (tmp_path / "summary.html").read_bytes() == summary_html("validate", rows).encode()
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "summary.csv",
        "summary.html",
        "summary.json",
    ]
