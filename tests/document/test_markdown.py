"""Markdown output: pipe tables stay one row per line, so every row has all its columns."""

from __future__ import annotations

import pytest

from juesuan.document.markdown import write_markdown
from juesuan.pipeline import narrative, sample_path, validate


@pytest.mark.parametrize("name", ["seed", "putuo"])
def test_pipe_table_rows_are_whole(name):
    analysis, _ = validate(sample_path(name))
    text = write_markdown(narrative(analysis), analysis.profile.numbers)
    lines = text.splitlines()
    tables = 0
    for i, line in enumerate(lines):
        if line.startswith("|---"):
            tables += 1
            columns = line.count("|")
            j = i + 1
            while j < len(lines) and lines[j].strip():
                row = lines[j]
                assert row.startswith("| ") and row.endswith(" |"), (j, row[:60])
                assert row.count("|") == columns, (j, row[:60])
                j += 1
    assert tables >= 9
