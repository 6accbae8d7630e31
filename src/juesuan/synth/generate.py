"""Realistic synthetic department-years, consistent by construction.

Each department is drawn from its own random stream (``seed`` and its index), so department
``i`` is the same whatever ``count`` is. Amounts are exact ``Decimal`` 万元 with two decimals;
every total is the sum of its parts, every change and budget gap carries a reason, and the
functional lines (项) come from the bundled classification catalog, so a synthetic dataset
passes ``juesuan validate`` with no error. ``planted`` picks departments that get one known
error (see :data:`PLANTED_ERRORS`) so tests and benchmarks also see failing inputs.

The self-evaluation (部门整体支出绩效自评表, the seed's Sichuan indicator system) is scored by
:mod:`juesuan.performance` with a provisional region average ``N`` and its scores are written
as the stated ones, as a department does when it fills in the table before the region's
figure is final; ``juesuan region score`` then rescores with the region's own N.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

import yaml

CENT = Decimal("0.01")
PROVISIONAL_N = Decimal("-4.63")  # the seed's district average, used for the stated scores
REGION = "四川省遂宁市安居区"
DISTRICT = "遂宁市安居区"

# (agency, its own 款 of the functional classification)
AGENCIES: tuple[tuple[str, str], ...] = (
    ("区财政局", "20106"),
    ("区人民政府办公室", "20103"),
    ("区委办公室", "20131"),
    ("区统计局", "20105"),
    ("区商务局", "20113"),
    ("区司法局", "20406"),
    ("区综合行政执法局", "21201"),
    ("区委组织部", "20132"),
    ("区委宣传部", "20133"),
    ("区委统战部", "20134"),
    ("区委政法委员会", "20138"),
    ("区发展和改革局", "20103"),
    ("区教育局", "20131"),
    ("区民政局", "20131"),
    ("区卫生健康局", "20103"),
    ("区人力资源和社会保障局", "20103"),
    ("区住房和城乡建设局", "21201"),
    ("区交通运输局", "20103"),
    ("区农业农村局", "20103"),
    ("区文化广播电视和旅游局", "20103"),
    ("区市场监督管理局", "20103"),
    ("区应急管理局", "20103"),
    ("区退役军人事务局", "20103"),
    ("区医疗保障局", "20103"),
    ("区机关事务服务中心", "20103"),
    ("区审计局", "20131"),
    ("区信访局", "20131"),
    ("区档案馆", "20131"),
    ("区科学技术局", "20131"),
    ("区经济和信息化局", "20113"),
)
UNIT_KINDS = ("中学", "小学", "幼儿园", "社区卫生服务中心", "街道办事处", "乡镇人民政府")

# lines every department with staff has (基本支出)
SOCIAL_LINES = ("2080505", "2080506", "2101101", "2101102", "2101103", "2210201")
# project lines a department may carry besides its own 款's
PROJECT_POOL = (
    "2010607",
    "2040605",
    "2040607",
    "2059999",
    "2060702",
    "2070308",
    "2080206",
    "2080705",
    "2109999",
    "2120199",
    "2120501",
    "2129999",
    "2169999",
    "2210203",
)
PERSONNEL_CODES = ("30101", "30102", "30103", "30107", "30108", "30109", "30112", "30113", "30199")
PUBLIC_CODES = (
    "30201",
    "30205",
    "30206",
    "30207",
    "30211",
    "30213",
    "30215",
    "30216",
    "30228",
    "30229",
    "30239",
    "30299",
)
PROJECT_ECONOMIC = ("30202", "30226", "30227", "30239", "30299", "31002")
PROJECT_NAMES = (
    "信息化运行维护经费",
    "专项业务工作经费",
    "宣传培训经费",
    "基层治理专项资金",
    "办公设备更新",
    "专项督查经费",
    "政府购买服务项目",
    "数据共享平台建设",
)
REASON_UP = "本年业务量增加，相应增加人员经费和项目支出"
REASON_DOWN = "本年严格执行过紧日子要求，压减一般性支出和项目支出"
GAP_REASON = "项目按进度结算，部分资金未支出并收回财政"

PLANTED_ERRORS: dict[str, str] = {
    "total": "收入合计与支出合计不一致（一般公共预算财政拨款收入多列100万元）",
    "reason": "机关运行经费较上年变动但未说明原因",
    "catalog": "支出功能分类科目名称与编码不符",
    "syntax": "YAML 语法错误（文件截断）",
}


@dataclass(frozen=True)
class SynthOptions:
    count: int
    seed: int = 0
    year: int = 2024
    errors: int = 0  # how many departments get a planted error (spread over the batch)


def q(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def _amount(rng: random.Random, low: float, high: float) -> Decimal:
    """An amount in 万元 between low and high (drawn on whole cents, exact)."""
    cents = rng.randint(int(low * 100), int(high * 100))
    return Decimal(cents) / 100


def _split(rng: random.Random, total: Decimal, n: int) -> list[Decimal]:
    """``total`` split into ``n`` non-negative cent amounts that sum to it exactly."""
    cents = int(total * 100)
    if n <= 1:
        return [total]
    cuts = sorted(rng.randint(0, cents) for _ in range(n - 1))
    parts = [b - a for a, b in zip([0, *cuts], [*cuts, cents], strict=True)]
    return [Decimal(p) / 100 for p in parts]


def _catalog_lines() -> tuple[dict[str, str], dict[str, str]]:
    from juesuan.catalog.catalogs import load_catalogs

    cats = load_catalogs(2024)
    functional = {e.code: e.name for e in cats.functional if e.level == "项"}
    economic = {e.code: e.name for e in cats.economic if e.level == "款"}
    return functional, economic


def _name(index: int) -> tuple[str, str, str]:
    """(full name, short name, own 款) of department ``index``."""
    agency, kuan = AGENCIES[index % len(AGENCIES)]
    round_ = index // len(AGENCIES)
    if round_ == 0:
        return f"{DISTRICT}{agency.removeprefix('区')}", agency, kuan
    kind = UNIT_KINDS[round_ % len(UNIT_KINDS)]
    number = round_ // len(UNIT_KINDS) * len(AGENCIES) + index % len(AGENCIES) + 1
    short = f"第{number}{kind}" if kind in ("中学", "小学", "幼儿园") else f"{kind}（{number}）"
    return f"{DISTRICT}{short}", short, "20103" if kind.endswith("政府") else "20131"


def _change_reason(now: Decimal, before: Decimal) -> str:
    return REASON_UP if now > before else REASON_DOWN


def synth_dataset(
    index: int, seed: int = 0, year: int = 2024, planted: str | None = None
) -> dict[str, Any]:
    """The dataset of synthetic department ``index`` as plain data (Decimals for amounts)."""
    rng = random.Random(f"juesuan-synth:{seed}:{index}")
    functional_names, economic_names = _catalog_lines()
    name, short, own_kuan = _name(index)
    size = rng.choices(("small", "medium", "large"), weights=(5, 4, 1))[0]
    staff_admin, staff_inst = {
        "small": (rng.randint(3, 10), rng.randint(0, 8)),
        "medium": (rng.randint(10, 40), rng.randint(5, 40)),
        "large": (rng.randint(30, 90), rng.randint(40, 200)),
    }[size]
    staff = staff_admin + staff_inst
    per_head = _amount(rng, 14, 22)  # 人员经费 per person, 万元

    # 基本支出 by economic classification
    personnel_total = q(per_head * staff)
    personnel = _split(rng, personnel_total, len(PERSONNEL_CODES))
    public_total = q(personnel_total * _amount(rng, 0.08, 0.2))
    reception = q(public_total * _amount(rng, 0.005, 0.04))
    vehicle_operation = q(public_total * _amount(rng, 0, 0.06)) if staff > 12 else Decimal(0)
    public_rest = public_total - reception - vehicle_operation
    public = _split(rng, public_rest, len(PUBLIC_CODES))
    basic_economic = [*zip(PERSONNEL_CODES, personnel, strict=True)]
    basic_economic += [*zip(PUBLIC_CODES, public, strict=True)]
    basic_economic.append(("30217", reception))
    if vehicle_operation:
        basic_economic.append(("30231", vehicle_operation))
    basic_economic = [(c, a) for c, a in basic_economic if a > 0]
    basic_total = sum((a for _, a in basic_economic), Decimal(0))

    # 项目支出
    own_lines = sorted(c for c in functional_names if c.startswith(own_kuan))
    run_code = next((c for c in own_lines if c.endswith("01")), None) or next(
        (c for c in own_lines if c.endswith("50")), "2013101"
    )
    project_candidates = [c for c in own_lines if c != run_code and not c.endswith("50")]
    project_candidates += [c for c in PROJECT_POOL if c in functional_names]
    n_projects = {
        "small": rng.randint(1, 2),
        "medium": rng.randint(2, 4),
        "large": rng.randint(3, 6),
    }[size]
    project_codes = rng.sample(
        sorted(set(project_candidates)), min(n_projects, len(set(project_candidates)))
    )
    project_total = q(basic_total * _amount(rng, 0.1, 1.5))
    project_parts = _split(rng, project_total, len(project_codes))
    project_parts = [p if p > 0 else CENT for p in project_parts]
    project_total = sum(project_parts, Decimal(0))
    project_economic = sorted(
        zip(rng.sample(PROJECT_ECONOMIC, 3), _split(rng, project_total, 3), strict=True)
    )
    project_economic = [(c, a) for c, a in project_economic if a > 0]

    # 基本支出 by function: 行政运行 carries what the social lines do not
    social = [c for c in SOCIAL_LINES if c in functional_names]
    social_amounts = {c: q(personnel_total * _amount(rng, 0.02, 0.12)) for c in social}
    run_amount = basic_total - sum(social_amounts.values(), Decimal(0))
    basic_lines = [(run_code, run_amount), *social_amounts.items()]

    lines: list[dict[str, Any]] = []
    gaps = 0
    for code, amount in sorted(basic_lines):
        lines.append(_line(code, functional_names[code], amount, "basic", amount, None))
    project_budgets: list[Decimal] = []
    for code, amount in zip(project_codes, project_parts, strict=True):
        if rng.random() < 0.3:
            budget = q(amount * _amount(rng, 1.02, 1.3))
            gaps += 1
            lines.append(_line(code, functional_names[code], amount, "project", budget, GAP_REASON))
        else:
            budget = amount
            lines.append(_line(code, functional_names[code], amount, "project", amount, None))
        project_budgets.append(budget)
    lines.sort(key=lambda x: x["code"])
    total = basic_total + project_total

    # prior year and its changes
    drift = _amount(rng, 0.75, 1.25) if rng.random() < 0.85 else _amount(rng, 0.4, 1.8)
    prior_total = q(total / drift)
    reception_prior = q(reception * _amount(rng, 0.8, 1.3))
    vehicle_prior = q(vehicle_operation * _amount(rng, 0.8, 1.2))
    office = public_total
    office_prior = q(office * _amount(rng, 0.85, 1.2))
    reasons: dict[str, str] = {}
    for key, now, before in (
        ("total_change", total, prior_total),
        ("appropriation_change", total, prior_total),
        ("general_budget_change", total, prior_total),
        ("office_operation_change", office, office_prior),
        ("reception_change", reception, reception_prior),
        ("vehicle_change", vehicle_operation, vehicle_prior),
    ):
        if now != before:
            reasons[key] = _change_reason(now, before)
    sangong_now = reception + vehicle_operation
    sangong_before = reception_prior + vehicle_prior
    if sangong_now != sangong_before:
        reasons["sangong_change"] = _change_reason(sangong_now, sangong_before)
    if gaps:
        reasons["general_budget_gap"] = GAP_REASON

    # 政府采购
    goods = q(project_total * _amount(rng, 0, 0.2))
    services = q(project_total * _amount(rng, 0, 0.3))
    works = q(project_total * _amount(rng, 0, 0.1)) if size == "large" else Decimal(0)
    procured = goods + services + works
    sme = q(procured * _amount(rng, 0.5, 1))
    micro = q(sme * _amount(rng, 0.3, 1))

    # assets and the self-evaluation inputs
    assets_net = _amount(rng, 3, 12) * staff
    prior_staff = max(1, staff + rng.randint(-3, 2))
    # 人均资产变化率 Y between -9% and +1%: around the district average, so a change of N moves
    # some departments across the bands of the indicator
    y = _amount(rng, -9, 1)
    prior_assets_net = q(assets_net / staff / (1 + y / 100) * prior_staff)
    department_year = year
    dataset: dict[str, Any] = {
        "juesuan": 1,
        "profile": "sichuan-2024",
        "unit": "万元",
        "illustrative": [
            "合成数据：由 juesuan sample synth 生成，用于测试与基准，不是真实部门的决算。"
        ],
        "department": {
            "name": name,
            "short_name": short,
            "region": REGION,
            "year": department_year,
            "duties": [
                f"负责{short.removeprefix('区')}职责范围内的政策执行和日常管理工作。",
                "完成区委、区政府交办的其他任务。",
            ],
            "structure": {
                "subordinate_units": {
                    "administrative": 1,
                    "other_institutional": 1 if staff_inst else 0,
                },
                "internal_divisions": ["办公室", "业务股", "财务股"][: 2 + (size != "small")],
            },
            "staffing": {
                "authorized": {
                    "administrative": staff_admin + rng.randint(0, 3),
                    "institutional": staff_inst + rng.randint(0, 3),
                },
                "actual": {"administrative": staff_admin, "institutional": staff_inst},
            },
        },
        "income": {
            "general_budget": total,
            "government_fund": Decimal(0),
            "state_capital": Decimal(0),
        },
        "balances": {"opening": {"total": Decimal(0)}, "closing": {"total": Decimal(0)}},
        "initial_budget_total": q(total * _amount(rng, 0.85, 1.05)),
        "functional": lines,
        "basic_by_economic": [
            {"code": c, "name": economic_names[c], "amount": a} for c, a in sorted(basic_economic)
        ],
        "project_by_economic": [
            {"code": c, "name": economic_names[c], "amount": a} for c, a in project_economic
        ],
        "sangong": {
            "budget": {
                "outbound": Decimal(0),
                "vehicle_purchase": Decimal(0),
                "vehicle_operation": vehicle_operation,
                "reception": reception,
            },
            "final": {
                "outbound": Decimal(0),
                "vehicle_purchase": Decimal(0),
                "vehicle_operation": vehicle_operation,
                "reception": reception,
            },
            "vehicles_purchased": [{"type": "轿车", "count": 0, "amount": Decimal(0)}],
            "fleet": [{"type": "轿车", "count": 1 if vehicle_operation else 0}],
            "reception_domestic": {
                "batches": rng.randint(1, 20),
                "persons": rng.randint(10, 200),
                "amount": reception,
                "content": "接待上级部门指导、调研、检查工作",
            },
            "reception_foreign": {"batches": 0, "persons": 0, "amount": Decimal(0)},
        },
        "office_operation": office,
        "procurement": {
            "goods": goods,
            "works": works,
            "services": services,
            "sme": sme,
            "micro": micro,
        },
        "assets": {"total_assets": q(assets_net * _amount(rng, 1, 1.3))},
        "prior_year": {
            "grand_total": prior_total,
            "appropriation_grand_total": prior_total,
            "general_budget_expenditure": prior_total,
            "government_fund_expenditure": Decimal(0),
            "state_capital_expenditure": Decimal(0),
            "sangong": {
                "outbound": Decimal(0),
                "vehicle_purchase": Decimal(0),
                "vehicle_operation": vehicle_prior,
                "reception": reception_prior,
            },
            "office_operation": office_prior,
        },
        "reasons": reasons,
    }
    project_names = rng.sample(PROJECT_NAMES, len(project_codes))
    projects = [
        _project(rng, pname, final, budget, last=i == len(project_codes) - 1)
        for i, (pname, final, budget) in enumerate(
            zip(project_names, project_parts, project_budgets, strict=True)
        )
    ]
    dataset["performance"] = {
        "with_targets": len(project_codes),
        "monitored": len(project_codes),
        "projects": [{"name": p} for p in project_names],
    }
    general = q(public_total * _amount(rng, 0.3, 0.6))
    general_prior = q(general * _amount(rng, 0.95, 1.15))
    dataset["evaluation"] = {
        "department": {
            "system": "sichuan-2024-department",
            "inputs": {
                "targets_completed": Decimal(rng.randint(3, 6)),
                "targets_total": Decimal(6),
                "transfer_final": Decimal(0),
                "transfer_budget": Decimal(0),
                "bond_final": Decimal(0),
                "bond_budget": Decimal(0),
                "cancelled": Decimal(0),
                "general_initial": general,
                "prior_general_initial": general_prior,
                "general_final": general,
                "prior_general_final": general_prior,
                "assets_net": assets_net,
                "prior_assets_net": prior_assets_net,
                "prior_staff": Decimal(prior_staff),
                "furniture_over_age": Decimal(0),
                "furniture_total": q(assets_net * Decimal("0.2")),
                "equipment_over_age": Decimal(0),
                "equipment_total": q(assets_net * Decimal("0.3")),
                "idle_assets": Decimal(0),
                "prior_idle_assets": Decimal(0),
                "procurement_budget": procured if procured else Decimal(1),
                "procurement_savings": Decimal(0),
                "projects_without_assessment": Decimal(0),
                "mismatched_targets": Decimal(0),
                "late_intake": Decimal(0),
                "off_direction": Decimal(0),
                "unadjusted": Decimal(0),
                "needing_adjustment": Decimal(0),
                "stage_completed": Decimal(1),
                "within_30": Decimal(1),
                "quantity_completed": Decimal(1),
                "stage_effective": Decimal(1),
            },
        },
        "narrative": {
            "regular": _project_class(projects[:-1]),
            "one_off": _project_class(projects[-1:]),
        },
        "projects": projects,
    }
    if planted:
        _plant(dataset, planted)
    return dataset


def _rate(final: Decimal, budget: Decimal) -> Decimal:
    return q(final / budget * 100) if budget else Decimal(0)


def _project(
    rng: random.Random, name: str, final: Decimal, budget: Decimal, last: bool
) -> dict[str, Any]:
    """A 项目支出绩效自评表 whose execution rows match the project's spending."""
    row = {
        "initial_budget": budget,
        "adjusted_budget": budget,
        "final": final,
        "rate": _rate(final, budget),
    }
    zero = {
        "initial_budget": Decimal(0),
        "adjusted_budget": Decimal(0),
        "final": Decimal(0),
        "rate": Decimal(0),
    }
    target = rng.randint(2, 40)
    actual = target if rng.random() < 0.8 else rng.randint(max(1, target // 2), target)
    return {
        "name": name,
        "kind": "一次性" if last else "常年",
        "execution": {
            "total": row,
            "fiscal": dict(row),
            "special_account": dict(zero),
            "unit_funds": dict(zero),
            "weight": Decimal(10),
            "reason": None if final == budget else GAP_REASON,
        },
        "indicators": [
            {
                "level1": "产出指标",
                "level2": "数量指标",
                "name": "完成工作任务",
                "nature": "≥",
                "target": Decimal(target),
                "unit": "项",
                "actual": Decimal(actual),
                "weight": Decimal(40),
            },
            {
                "level1": "产出指标",
                "level2": "质量指标",
                "name": "工作质量",
                "nature": "定性",
                "target": "达到要求",
                "actual": "达到要求",
                "weight": Decimal(20),
            },
            {
                "level1": "效益指标",
                "level2": "社会效益指标",
                "name": "服务保障作用",
                "nature": "定性",
                "target": "有效保障",
                "actual": "有效保障",
                "weight": Decimal(20),
            },
            {
                "level1": "满意度指标",
                "level2": "服务对象满意度指标",
                "name": "满意度",
                "nature": "定性",
                "target": "较满意",
                "actual": "较满意",
                "weight": Decimal(10),
            },
        ],
    }


def _project_class(projects: list[dict[str, Any]]) -> dict[str, Any]:
    budget = sum((p["execution"]["total"]["adjusted_budget"] for p in projects), Decimal(0))
    final = sum((p["execution"]["total"]["final"] for p in projects), Decimal(0))
    over = sum(1 for p in projects if p["execution"]["total"]["rate"] < 90)
    return {
        "count": len(projects),
        "amount": budget,
        "progress": _rate(final, budget),
        "over_10_percent": over,
    }


def _line(
    code: str, name: str, amount: Decimal, kind: str, budget: Decimal, gap: str | None
) -> dict[str, Any]:
    line: dict[str, Any] = {
        "code": code,
        "name": name,
        "income": {"appropriation": amount},
        "general_budget": {"adjusted_budget": budget, kind: amount},
    }
    if gap:
        line["gap_reason"] = gap
    return line


def _plant(dataset: dict[str, Any], kind: str) -> None:
    if kind == "total":
        dataset["income"]["general_budget"] += 100
    elif kind == "reason":
        dataset["reasons"].pop("office_operation_change", None)
        dataset["prior_year"]["office_operation"] = dataset["office_operation"] + 1
    elif kind == "catalog":
        dataset["functional"][0]["name"] = "与编码不符的科目名称"
    elif kind != "syntax":
        raise ValueError(kind)


class _Dumper(yaml.SafeDumper):
    pass


def _decimal(dumper: yaml.SafeDumper, value: Decimal) -> yaml.Node:
    text = format(value, "f")
    tag = "tag:yaml.org,2002:float" if "." in text else "tag:yaml.org,2002:int"
    return dumper.represent_scalar(tag, text)


_Dumper.add_representer(Decimal, _decimal)


def _plain(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def dump(dataset: dict[str, Any]) -> str:
    head = "# 合成部门决算数据（juesuan sample synth 生成），仅用于测试与基准。\n"
    return head + yaml.dump(
        _plain(dataset), Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=1000
    )


def planted_kinds(options: SynthOptions) -> dict[int, str]:
    """Which departments get which planted error: spread evenly, kinds in turn."""
    if options.errors <= 0 or options.count <= 0:
        return {}
    n = min(options.errors, options.count)
    kinds = list(PLANTED_ERRORS)
    step = options.count / n
    return {int(i * step + step / 2): kinds[i % len(kinds)] for i in range(n)}


def write_synth(options: SynthOptions, outdir: Path) -> Iterator[Path]:
    """Write ``options.count`` datasets into ``outdir`` (``dept-0001.yaml`` …); yields paths."""
    outdir.mkdir(parents=True, exist_ok=True)
    planted = planted_kinds(options)
    width = max(4, len(str(options.count)))
    for i in range(options.count):
        kind = planted.get(i)
        data = synth_dataset(i, options.seed, options.year, kind)
        stated_scores(data)
        text = dump(data)
        if kind == "syntax":
            text = text[: len(text) // 2] + "\n  - [broken\n"
        path = outdir / f"dept-{i + 1:0{width}d}.yaml"
        tmp = path.with_suffix(".yaml.tmp")
        tmp.write_text(text, encoding="utf-8")
        tmp.replace(path)
        yield path


def stated_scores(data: dict[str, Any], n: Decimal = PROVISIONAL_N) -> None:
    """Fill in the department table's stated scores from the indicator system, scored with
    the provisional region average ``n`` (what the department printed)."""
    from juesuan.model.dataset import Dataset
    from juesuan.performance.engine import score_dataset
    from juesuan.pipeline import analyse

    try:
        ds = Dataset.model_validate(data)
    except Exception:  # a planted error the model rejects: leave the table unscored
        return
    analysis, _ = analyse(ds)
    if analysis is None:
        return
    result = score_dataset(ds, analysis.figures, None, {"N": n})
    if result.department is None:
        return
    indicators = {
        s.key: {"stated": s.computed} for s in result.department.scores() if s.computed is not None
    }
    for project, scored in zip(data["evaluation"]["projects"], result.projects, strict=True):
        project["execution"]["stated"] = scored.execution.computed
        for entry, score in zip(project["indicators"], scored.indicators, strict=True):
            entry["stated"] = score.computed
        project["total"] = scored.total.computed
        for perf in data["performance"]["projects"]:
            if perf["name"] == project["name"]:
                perf["score"] = scored.total.computed
    dept = data["evaluation"]["department"]
    dept["indicators"] = indicators
    if result.department.total.computed is not None:
        dept["total"] = result.department.total.computed
        data["performance"]["department_score"] = result.department.total.computed
