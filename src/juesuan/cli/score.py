"""``juesuan score``: score a dataset's self-evaluation and show every score's trace.

Mount in :mod:`juesuan.cli.app` with ``app.command()(score)``. Heavy imports stay inside.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from juesuan.cli.inputs import INPUT_HELP, parse_inputs
from juesuan.cli.output import fail, print_findings

if TYPE_CHECKING:
    pass

SAMPLE_HELP = "使用内置样例数据：seed（四川遂宁安居区委绩效办2024）或 putuo（上海普陀区财政局2024）"
SYSTEM_HELP = (
    "指标体系：内置名称（sichuan-2024-department、common-2020-department）或体系文件路径；"
    "不填用数据中 evaluation.department.system 指定的体系"
)


def score(
    file: Annotated[Path | None, typer.Argument(help="数据文件（YAML）")] = None,
    sample: Annotated[str | None, typer.Option(help=SAMPLE_HELP)] = None,
    system: Annotated[str | None, typer.Option("--system", help=SYSTEM_HELP)] = None,
    inputs: Annotated[list[str] | None, typer.Option("--input", help=INPUT_HELP)] = None,
    as_json: Annotated[bool, typer.Option("--json", help="以JSON输出得分、轨迹和检查结果")] = False,
) -> None:
    """绩效自评评分：按指标体系计算部门整体和各项目的得分，列出计算轨迹（输入及来源、规则、
    计算过程），与自评表列示的得分比较；有错误时退出码为1。"""
    from juesuan.core.findings import has_errors
    from juesuan.model.evaluation import DepartmentEvaluation, Evaluation
    from juesuan.performance.checks import run_checks
    from juesuan.performance.engine import score_dataset
    from juesuan.performance.render import result_dict, result_text
    from juesuan.pipeline import SAMPLES, analyse, load, sample_path

    run_inputs = parse_inputs(inputs)
    if sample:
        if sample not in SAMPLES:
            fail(f"未知的样例「{sample}」，可用：{'、'.join(SAMPLES)}")
        path = sample_path(sample)
    elif file is None:
        fail("请指定数据文件，或用 --sample 选择内置样例")
        return
    else:
        path = file
    ds, findings = load(path)
    analysis = None
    if ds is not None:
        analysis, more = analyse(ds)
        findings += [f for f in more if not f.code.startswith("PERF-")]
    if ds is None or analysis is None:
        print_findings(findings, as_json, heading="检查结果：")
        raise typer.Exit(1)
    if ds.evaluation is None:
        if system is None:
            print_findings(findings, as_json, heading="检查结果：")
            fail("数据中没有绩效自评（evaluation），请用 --system 指定指标体系以按决算数据评分", 1)
        ds = ds.model_copy(
            update={"evaluation": Evaluation(department=DepartmentEvaluation(system=str(system)))}
        )
    result = score_dataset(ds, analysis.figures, system, run_inputs)
    findings += run_checks(ds, analysis.figures, result)
    if as_json:
        typer.echo(json.dumps(result_dict(result, findings), ensure_ascii=False, indent=1))
    else:
        typer.echo(result_text(result), nl=False)
        print_findings(findings, False, heading="检查结果：")
    if has_errors(findings):
        raise typer.Exit(1)
