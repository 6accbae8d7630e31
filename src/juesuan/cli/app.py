"""Command line: a thin layer over :mod:`juesuan.pipeline`. Heavy imports stay inside commands."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from juesuan.cli.batch import batch_app, region_app
from juesuan.cli.catalog import catalog_app
from juesuan.cli.check import check
from juesuan.cli.excel import convert, template
from juesuan.cli.output import fail, print_findings
from juesuan.cli.score import INPUT_HELP, parse_inputs, score
from juesuan.cli.serve import register as register_serve

app = typer.Typer(
    help="决算：部门决算公开文件的生成与校验。",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,  # plain help: keeps `juesuan --help` from importing rich
)
app.add_typer(catalog_app, name="catalog")
app.add_typer(batch_app, name="batch")
app.add_typer(region_app, name="region")
app.command()(score)
app.command()(template)
app.command()(convert)
app.command()(check)
register_serve(app)


@app.callback()
def _options(
    allow_dir: Annotated[
        list[Path] | None,
        typer.Option(
            "--allow-dir",
            help="数据文件引用的其他文件（上年数据、指标体系）还可以位于此文件夹；"
            "默认只能位于数据文件所在文件夹",
        ),
    ] = None,
) -> None:
    """决算：部门决算公开文件的生成与校验。"""
    from juesuan.io.references import allow_dirs

    allow_dirs(allow_dir or [])


SAMPLE_HELP = "使用内置样例数据：seed（四川遂宁安居区委绩效办2024）或 putuo（上海普陀区财政局2024）"


def _resolve(file: Path | None, sample: str | None) -> Path:
    from juesuan.pipeline import SAMPLES, sample_path

    if sample:
        if sample not in SAMPLES:
            fail(f"未知的样例「{sample}」，可用：{'、'.join(SAMPLES)}")
        return sample_path(sample)
    if file is None:
        fail("请指定数据文件，或用 --sample 选择内置样例")
    return file


@app.command()
def validate(
    file: Annotated[Path | None, typer.Argument(help="数据文件（YAML 或 Excel 工作簿）")] = None,
    sample: Annotated[str | None, typer.Option(help=SAMPLE_HELP)] = None,
    as_json: Annotated[bool, typer.Option("--json", help="以JSON输出检查结果")] = False,
    inputs: Annotated[list[str] | None, typer.Option("--input", help=INPUT_HELP)] = None,
) -> None:
    """校验数据：运行全部一致性规则，有错误时退出码为1。"""
    from juesuan.core.findings import has_errors
    from juesuan.pipeline import validate as run

    _, findings = run(_resolve(file, sample), parse_inputs(inputs))
    print_findings(findings, as_json)
    if has_errors(findings):
        raise typer.Exit(1)


@app.command()
def build(
    file: Annotated[Path | None, typer.Argument(help="数据文件（YAML 或 Excel 工作簿）")] = None,
    out: Annotated[Path, typer.Option("-o", "--out", help="输出目录")] = Path("out"),
    sample: Annotated[str | None, typer.Option(help=SAMPLE_HELP)] = None,
    formats: Annotated[
        str, typer.Option("--format", help="输出格式，逗号分隔：docx,pdf,html,xlsx,json,md")
    ] = "docx,pdf,html,xlsx,json,md",
    force: Annotated[bool, typer.Option(help="数据有错误时仍然生成")] = False,
    inputs: Annotated[list[str] | None, typer.Option("--input", help=INPUT_HELP)] = None,
) -> None:
    """生成部门决算公开文件：Word、PDF、网页、Excel附表、数字明细JSON、Markdown。"""
    from juesuan.core.findings import has_errors
    from juesuan.pipeline import FORMATS, write_outputs
    from juesuan.pipeline import validate as run

    chosen = tuple(f.strip() for f in formats.split(",") if f.strip())
    unknown = [f for f in chosen if f not in FORMATS]
    if unknown:
        fail(f"不支持的输出格式：{'、'.join(unknown)}（可用：{'、'.join(FORMATS)}）")
    analysis, findings = run(_resolve(file, sample), parse_inputs(inputs))
    if findings:
        print_findings(findings, False)
    if analysis is None or (has_errors(findings) and not force):
        typer.echo("数据有错误，未生成文件（修正后重试，或用 --force 强制生成）。", err=True)
        raise typer.Exit(1)
    try:
        written = write_outputs(analysis, out, chosen)
    except OSError as exc:
        fail(f"无法写入输出目录「{out}」：{exc.strerror or exc}", 1)
    except Exception as exc:  # a writer failed: nothing was written (all or nothing)
        fail(f"生成文件时出错，未写入任何文件（{type(exc).__name__}）", 1)
    for path in written:
        typer.echo(f"已生成：{path}")


@app.command()
def figures(
    file: Annotated[Path | None, typer.Argument(help="数据文件（YAML 或 Excel 工作簿）")] = None,
    sample: Annotated[str | None, typer.Option(help=SAMPLE_HELP)] = None,
    prefix: Annotated[str, typer.Option(help="只列出编号以此开头的数字")] = "",
) -> None:
    """列出计算出的全部数字：编号、数值、公式和来源。"""
    from juesuan.pipeline import validate as run

    analysis, findings = run(_resolve(file, sample))
    if analysis is None:
        print_findings(findings, False)
        raise typer.Exit(1)
    for fig in analysis.figures:
        if not fig.id.startswith(prefix) or fig.value is None:
            continue
        src = f"  ← {fig.source.describe()}" if fig.source and fig.source.line else ""
        inputs = f" ({', '.join(fig.inputs)})" if fig.inputs else ""
        typer.echo(f"{fig.id} = {fig.value} {fig.unit}  [{fig.formula}{inputs}]{src}")


@app.command()
def schema(
    out: Annotated[Path | None, typer.Option("-o", "--out", help="写入文件")] = None,
) -> None:
    """输出数据文件的 JSON Schema。"""
    from juesuan.model.schema import schema_json

    text = schema_json()
    if out is None:
        typer.echo(text, nl=False)
    else:
        out.write_text(text, encoding="utf-8")
        typer.echo(f"已生成：{out}")


@app.command()
def rules(
    markdown: Annotated[bool, typer.Option(help="输出 docs/rules.md 的内容")] = False,
) -> None:
    """列出一致性规则目录。"""
    from juesuan.rules.docs import rules_markdown
    from juesuan.rules.registry import load_rules

    if markdown:
        typer.echo(rules_markdown(), nl=False)
        return
    for r in load_rules().values():
        typer.echo(f"{r.code}  [{r.severity.label}]  {r.title}")


@app.command()
def sample(
    name: Annotated[str, typer.Argument(help="样例名：seed 或 putuo；synth 生成合成部门数据")],
    out: Annotated[Path, typer.Option("-o", "--out", help="复制到此文件（synth：输出目录）")],
    count: Annotated[int, typer.Option(help="synth：部门个数", min=1, max=100000)] = 10,
    seed: Annotated[int, typer.Option(help="synth：随机种子（相同种子生成相同数据）")] = 0,
    errors: Annotated[int, typer.Option(help="synth：植入错误的部门个数", min=0)] = 0,
) -> None:
    """把内置样例数据复制出来，作为填报的起点；synth 生成用于测试与基准的合成部门数据。"""
    if name == "synth":
        from juesuan.cli.batch import synth

        synth(out, count, seed, errors)
        return
    path = _resolve(None, name)
    if out.exists():
        fail(f"文件「{out}」已存在，不覆盖")
    out.write_bytes(path.read_bytes())
    typer.echo(f"已复制样例到：{out}")


def main() -> None:
    try:
        app()
    except KeyboardInterrupt:  # pragma: no cover
        sys.exit(130)


if __name__ == "__main__":  # pragma: no cover
    main()
