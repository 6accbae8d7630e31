"""convert YAML → XLSX → YAML is lossless for generated datasets, not only the two samples.

Each example starts from a sample or a corpus department (tests/corpus: both budget bases on
every fund line, government-fund lines, ``code_names``) and replaces random fields anywhere
in the schema (every leaf of the data: amounts, counts, texts, flags, list items; items
appended to text lists; names of codes added to ``code_names``) with generated values of the
same kind; the dataset written as a workbook and read back equals it, and so does the YAML
written from the read-back dataset.
"""

from __future__ import annotations

import copy
import functools
from decimal import Decimal
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, Phase, assume, given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from juesuan.excel.fill import fill_template
from juesuan.excel.workbook import fixed_layout
from juesuan.excel.yaml_dump import dump_yaml
from juesuan.io.workbook.loader import load_workbook_bytes
from juesuan.io.yaml_loader import parse_yaml_text
from juesuan.model.dataset import Dataset
from juesuan.pipeline import load, sample_path

TEXT = st.text(
    alphabet="部门职责预算支出说明原因甲乙丙丁（）、，0123456789", min_size=1, max_size=20
)
AMOUNT = st.decimals(min_value=Decimal(0), max_value=Decimal(10**7), places=2)
# fields whose value is a choice the model restricts (left as they are)
FIXED = {"juesuan", "profile", "unit", "code", "year", "catalog_year", "figure", "file"}


CORPUS = Path(__file__).parents[1] / "corpus"
BASES = ("putuo", "seed", "new-unit-2024", "fund-sangong-2024", "many-items-2024")
CODE = st.from_regex(r"(2\d{2}(\d{2}){0,2}|3\d{2}(\d{2})?)", fullmatch=True)


@functools.lru_cache(maxsize=8)
def _base(name: str) -> dict[str, Any]:
    path = CORPUS / f"{name}.yaml" if "-" in name else sample_path(name)
    ds, findings = load(path)
    assert ds is not None, findings
    return ds.model_dump(mode="python")


def _leaves(node: Any, path: tuple = ()) -> list[tuple]:
    out: list[tuple] = []
    if isinstance(node, dict):
        for k, v in node.items():
            out += _leaves(v, (*path, k))
    elif isinstance(node, list):
        if all(isinstance(v, str) for v in node):
            out.append(path)  # a text list: items replaced or appended
        for i, v in enumerate(node):
            out += _leaves(v, (*path, i))
    elif node is not None and not (path and path[-1] in FIXED):
        out.append(path)
    return out


def _value(data: st.DataObject, old: Any) -> Any:
    if isinstance(old, bool):
        return data.draw(st.booleans())
    if isinstance(old, int):
        return data.draw(st.integers(0, 500))
    if isinstance(old, Decimal):
        return data.draw(AMOUNT)
    if isinstance(old, list):
        return data.draw(st.lists(TEXT, min_size=0, max_size=20))
    return data.draw(TEXT)


def _set(node: Any, path: tuple, value: Any) -> None:
    for p in path[:-1]:
        node = node[p]
    node[path[-1]] = value


def _get(node: Any, path: tuple) -> Any:
    for p in path:
        node = node[p]
    return node


@settings(
    max_examples=12,
    deadline=None,
    phases=(Phase.explicit, Phase.reuse, Phase.generate),
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
@given(data=st.data(), sample=st.sampled_from(BASES))
def test_generated_dataset_round_trips(data: st.DataObject, sample: str) -> None:
    raw = copy.deepcopy(_base(sample))
    leaves = _leaves(raw)
    for path in data.draw(st.lists(st.sampled_from(leaves), min_size=1, max_size=12)):
        _set(raw, path, _value(data, _get(raw, path)))
    raw["code_names"].update(data.draw(st.dictionaries(CODE, TEXT, max_size=3)))
    try:
        ds = Dataset.model_validate(raw)
    except ValidationError:
        assume(False)
    book, findings = load_workbook_bytes(fill_template(ds), "x.xlsx", fixed_layout)
    assert book is not None, [f.render() for f in findings]
    assert book.model_dump() == ds.model_dump()
    again, findings = parse_yaml_text(dump_yaml(book), "x.yaml")
    assert again is not None, [f.render() for f in findings]
    assert again.model_dump() == ds.model_dump()
