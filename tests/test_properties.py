"""Property tests: generated consistent datasets validate clean; one perturbed amount fires
the expected rule at its location."""

from __future__ import annotations

from decimal import Decimal

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import run
from juesuan.catalog.catalogs import load_catalogs
from juesuan.core.findings import Severity

pytestmark = pytest.mark.slow

CENT = Decimal("0.01")
ITEM_CODES = sorted(e.code for e in load_catalogs(2024).functional if e.level == "项")


class _Dumper(yaml.SafeDumper):
    pass


_Dumper.add_representer(
    Decimal, lambda d, v: d.represent_scalar("tag:yaml.org,2002:float", f"{v:.2f}")
)

# plausible department amounts (DAT-001 rejects totals under 1,000元 or over 1万亿元)
amounts = st.decimals(min_value=Decimal("0.10"), max_value=Decimal("99999.99"), places=2)


@st.composite
def datasets(draw: st.DrawFn) -> dict:
    codes = draw(st.lists(st.sampled_from(ITEM_CODES), min_size=1, max_size=12, unique=True))
    lines, basic_total, project_total = [], Decimal(0), Decimal(0)
    for code in codes:
        basic = draw(amounts)
        project = draw(st.one_of(st.just(Decimal(0)), amounts))
        basic_total += basic
        project_total += project
        lines.append(
            {
                "code": code,
                "general_budget": {
                    "adjusted_budget": basic + project,
                    "basic": basic,
                    "project": project,
                },
            }
        )
    total = basic_total + project_total
    by_class: dict[str, Decimal] = {}
    for line in lines:
        gb = line["general_budget"]
        by_class[line["code"][:3]] = (
            by_class.get(line["code"][:3], Decimal(0)) + gb["basic"] + gb["project"]
        )
    stated = [{"figure": "expenditure.total", "value": total, "table": "支出决算表", "row": "合计"}]
    stated += [
        {"figure": f"func.{c}.expenditure.total", "value": v, "table": "支出决算表", "row": c}
        for c, v in sorted(by_class.items())
    ]
    prior = draw(amounts)
    return {
        "juesuan": 1,
        "profile": "sichuan-2024",
        "unit": "万元",
        "department": {"name": "生成部门", "region": "某区", "year": 2024, "duties": ["职责。"]},
        "income": {"general_budget": total},
        "balances": {"opening": {"total": Decimal(0)}, "closing": {"total": Decimal(0)}},
        "functional": lines,
        "basic_by_economic": [{"code": "30101", "amount": basic_total}],
        "prior_year": {
            "grand_total": prior,
            "appropriation_grand_total": prior,
            "general_budget_expenditure": prior,
            "sangong": {
                "outbound": Decimal(0),
                "vehicle_purchase": Decimal(0),
                "vehicle_operation": Decimal(0),
                "reception": Decimal(0),
            },
        },
        "reasons": {
            "total_change": "人员变动",
            "appropriation_change": "人员变动",
            "general_budget_change": "人员变动",
        },
        "stated": stated,
    }


def dump(data: dict) -> str:
    return yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False)


SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(datasets())
def test_consistent_dataset_validates_clean(data: dict) -> None:
    analysis, findings = run(dump(data))
    assert analysis is not None
    assert [f.render() for f in findings if f.severity is not Severity.INFO] == []


@SETTINGS
@given(datasets(), st.data())
def test_perturbed_stated_amount_fires_tot001_there(data: dict, pick: st.DataObject) -> None:
    index = pick.draw(st.integers(0, len(data["stated"]) - 1))
    # Larger than anything rounding can explain: at most 12 lines × 2 parts × 0.005 + 0.005.
    delta = pick.draw(st.decimals(min_value=Decimal("0.13"), max_value=Decimal("500"), places=2))
    sign = pick.draw(st.sampled_from([1, -1]))
    entry = data["stated"][index]
    if entry["value"] + sign * delta < 0:
        sign = 1
    entry["value"] += sign * delta
    text = dump(data)
    _, findings = run(text)
    errors = [f for f in findings if f.severity is Severity.ERROR]
    assert [f.code for f in errors] == ["TOT-001"]
    loaded = yaml.safe_load(text)
    assert loaded["stated"][index]["figure"] == entry["figure"]
    assert errors[0].location.path == f"stated.{index}"
    assert errors[0].location.line == _stated_line(text, index)
    assert errors[0].location.table == "支出决算表"


@SETTINGS
@given(datasets(), st.decimals(min_value=Decimal("0.10"), max_value=Decimal("500"), places=2))
def test_perturbed_economic_amount_fires_identity(data: dict, delta: Decimal) -> None:
    data["basic_by_economic"][0]["amount"] += delta
    _, findings = run(dump(data))
    errors = [f for f in findings if f.severity is Severity.ERROR]
    assert [f.code for f in errors] == ["TOT-003"]
    assert errors[0].location.table == "一般公共预算财政拨款基本支出决算表"


def _stated_line(text: str, index: int) -> int:
    lines = text.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("stated:"))
    items = [i for i in range(start + 1, len(lines)) if lines[i].startswith("- ")]
    return items[index] + 1
