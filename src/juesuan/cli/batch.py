"""``juesuan batch validate|build|check`` and ``juesuan region report|score``.

Mounted in :mod:`juesuan.cli.app`. Heavy imports (Dask, the pipeline) stay inside commands.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from juesuan.cli.inputs import INPUT_HELP, parse_inputs
from juesuan.cli.output import fail

batch_app = typer.Typer(
    help="批量处理多个部门：校验、生成、检查（Dask 并行，可断点续跑）。",
    no_args_is_help=True,
    rich_markup_mode=None,
)
region_app = typer.Typer(
    help="地区汇总（财政局）：全地区部门的完整性、汇总数、排名、异常和区域平均值重新评分。",
    no_args_is_help=True,
    rich_markup_mode=None,
)

INPUTS_HELP = "输入：文件、目录（递归查找）或列表文件（@列表.txt，每行一个路径）"
WORKERS_HELP = "本机并行的工作进程数（默认每个CPU一个；0 表示在本进程内依次处理，不启动 Dask）"
SCHEDULER_HELP = "已有 Dask 集群的调度器地址，如 tcp://10.0.0.5:8786（给出时不启动本机集群）"
PROGRESS_HELP = "显示进度条（默认仅在终端上显示）"

Inputs = Annotated[list[str], typer.Argument(help=INPUTS_HELP)]
Out = Annotated[Path, typer.Option("-o", "--out", help="输出目录（每项结果与汇总表）")]
Workers = Annotated[int | None, typer.Option("--workers", min=0, max=512, help=WORKERS_HELP)]
Scheduler = Annotated[str | None, typer.Option("--scheduler", help=SCHEDULER_HELP)]
ShowProgress = Annotated[bool | None, typer.Option("--progress/--no-progress", help=PROGRESS_HELP)]
Chunk = Annotated[
    int | None, typer.Option("--chunk", min=1, max=1000, help="每个任务处理的输入数（默认自动）")
]
RunInputs = Annotated[list[str] | None, typer.Option("--input", help=INPUT_HELP)]
CHECK_SECONDS = 120.0  # juesuan.check.limits.TIME_BUDGET (not imported: keeps the CLI light)


Timeout = Annotated[
    float,
    typer.Option("--timeout", min=1, max=86400, help="每个文件检查的时间上限（秒），超时记为失败"),
]


def _run(
    kind: str,
    inputs: list[str],
    out: Path,
    workers: int | None,
    scheduler: str | None,
    progress: bool | None,
    chunk: int | None,
    run_inputs: list[str] | None = None,
    **options: Any,
) -> None:
    """What every ``batch`` command does with its options: run the batch, report, exit."""
    from juesuan.batch import BatchOptions, run_batch
    from juesuan.batch.engine import EngineError

    if run_inputs is not None:
        options["run_inputs"] = parse_inputs(run_inputs)
    try:
        report = run_batch(
            inputs,
            out,
            BatchOptions(kind, chunk=chunk, **options),
            workers=workers,
            scheduler=scheduler,
            progress=progress,
        )
    except EngineError as exc:
        fail(str(exc), 2)
        return
    except OSError as exc:
        fail(f"无法写入输出目录「{out}」：{exc.strerror or exc}", 2)
        return
    if report.total == 0:
        kinds = "PDF、DOCX、HTML、MD、TXT 文件" if kind == "check" else "YAML 或 Excel 数据文件"
        fail(f"没有找到可处理的输入（{kinds}）", 2)
    reused = f"，沿用上次结果{report.skipped}项" if report.skipped else ""
    typer.echo(
        f"共{report.total}项：通过{report.ok}项，有错误{report.findings}项，失败{report.failed}项"
        f"{reused}；用时{report.seconds:.1f}秒。汇总表：{out / 'summary.html'}",
        err=True,
    )
    if report.failed or report.findings:
        raise typer.Exit(1)


@batch_app.command("validate")
def batch_validate(
    inputs: Inputs,
    out: Out,
    workers: Workers = None,
    scheduler: Scheduler = None,
    progress: ShowProgress = None,
    chunk: Chunk = None,
    run_inputs: RunInputs = None,
) -> None:
    """批量校验数据文件（YAML 或 Excel 工作簿）；有错误或失败的项时退出码为1。"""
    _run("validate", inputs, out, workers, scheduler, progress, chunk, run_inputs or [])


@batch_app.command("build")
def batch_build(
    inputs: Inputs,
    out: Out,
    workers: Workers = None,
    scheduler: Scheduler = None,
    progress: ShowProgress = None,
    formats: Annotated[
        str, typer.Option("--format", help="输出格式，逗号分隔：docx,pdf,html,xlsx,json,md")
    ] = "docx,pdf,html,xlsx,json,md",
    force: Annotated[bool, typer.Option(help="数据有错误时仍然生成")] = False,
    chunk: Chunk = None,
    run_inputs: RunInputs = None,
) -> None:
    """批量生成部门决算公开文件，每个部门一个目录；有错误或失败的项时退出码为1。"""
    from juesuan.pipeline import FORMATS

    chosen = tuple(dict.fromkeys(f.strip() for f in formats.split(",") if f.strip()))
    unknown = [f for f in chosen if f not in FORMATS]
    if unknown or not chosen:
        fail(f"不支持的输出格式：{'、'.join(unknown) or '（空）'}（可用：{'、'.join(FORMATS)}）")
    _run(
        "build",
        inputs,
        out,
        workers,
        scheduler,
        progress,
        chunk,
        run_inputs or [],
        formats=chosen,
        force=force,
    )


@batch_app.command("check")
def batch_check(
    inputs: Inputs,
    out: Out,
    workers: Workers = None,
    scheduler: Scheduler = None,
    progress: ShowProgress = None,
    engine: Annotated[
        str, typer.Option(help="PDF文字提取：pdfium（默认，较快）或 pdfplumber")
    ] = "pdfium",
    chunk: Chunk = None,
    timeout: Timeout = CHECK_SECONDS,
) -> None:
    """批量检查已公开的文件（PDF、DOCX、HTML、MD、TXT）；有错误或失败的项时退出码为1。"""
    if engine not in ("pdfplumber", "pdfium"):
        fail(f"未知的PDF提取方式「{engine}」，可用：pdfplumber、pdfium")
    _run("check", inputs, out, workers, scheduler, progress, chunk, engine=engine, timeout=timeout)


@region_app.command("report")
def region_report(
    inputs: Inputs,
    out: Annotated[
        list[Path],
        typer.Option("-o", "--out", help="报告文件：.html、.xlsx 或 .json（可重复给出多个）"),
    ],
    workers: Workers = None,
    scheduler: Scheduler = None,
    threshold: Annotated[
        int, typer.Option(help="异常变动阈值：较上年增减超过此百分比", min=1, max=1000)
    ] = 30,
    run_inputs: RunInputs = None,
) -> None:
    """地区汇总报告：一个地区一个年度全部部门的完整性、按功能分类和经济分类的汇总、
    “三公”经费、基本/项目支出、机关运行经费、政府采购、绩效得分和预算完成率排名、异常变动。"""
    from juesuan.region.run import RegionError, region_report_files

    bad = [p for p in out if p.suffix.lower() not in (".html", ".xlsx", ".json")]
    if bad:
        fail(f"报告文件应以 .html、.xlsx 或 .json 结尾：{'、'.join(map(str, bad))}")
    try:
        written = region_report_files(
            inputs,
            out,
            workers=workers,
            scheduler=scheduler,
            threshold=threshold,
            run_inputs=parse_inputs(run_inputs),
        )
    except RegionError as exc:
        fail(str(exc), 2)
        return
    for path in written:
        typer.echo(f"已生成：{path}")


@region_app.command("score")
def region_score(
    inputs: Inputs,
    workers: Workers = None,
    scheduler: Scheduler = None,
    out: Annotated[Path | None, typer.Option("-o", "--out", help="另存结果：.json 或 .csv")] = None,
    n_value: Annotated[
        str | None,
        typer.Option("--n", help="不从数据计算，直接使用此区域平均人均资产变化率N（%）"),
    ] = None,
) -> None:
    """由全部部门的数据计算区直平均人均资产变化率N，用它重新评分每个部门，列出得分变化。"""
    from juesuan.region.run import RegionError, region_score_run

    given = parse_inputs([f"N={n_value}"])["N"] if n_value is not None else None
    if out is not None and out.suffix.lower() not in (".json", ".csv"):
        fail("结果文件应以 .json 或 .csv 结尾")
    try:
        text, _changed = region_score_run(
            inputs, workers=workers, scheduler=scheduler, n_value=given, out=out
        )
    except RegionError as exc:
        fail(str(exc), 2)
        return
    typer.echo(text, nl=False)
    if out is not None:
        typer.echo(f"已生成：{out}")


def synth(out: Path, count: int, seed: int, errors: int) -> None:
    """``juesuan sample synth``: write ``count`` synthetic department datasets into ``out``."""
    from juesuan.synth import PLANTED_ERRORS, SynthOptions, write_synth
    from juesuan.synth.generate import planted_kinds

    if out.exists() and not out.is_dir():
        fail(f"「{out}」不是目录")
    options = SynthOptions(count=count, seed=seed, errors=errors)
    try:
        n = sum(1 for _ in write_synth(options, out))
    except OSError as exc:
        fail(f"无法写入「{out}」：{exc.strerror or exc}")
    typer.echo(f"已生成{n}个合成部门数据：{out}")
    for index, kind in sorted(planted_kinds(options).items()):
        typer.echo(
            f"  植入错误：dept-{index + 1:0{max(4, len(str(count)))}d}.yaml：{PLANTED_ERRORS[kind]}"
        )
