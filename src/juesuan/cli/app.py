"""Command line: a thin layer over :mod:`juesuan.pipeline`. Heavy imports stay inside commands.

The command groups live in their own modules (:data:`LAZY`) and are imported only when their
command runs: ``juesuan check FILE`` imports the checker's CLI module, not the service's, the
batch runner's or the workbook's. ``juesuan --help`` lists them from :data:`LAZY` without
importing them (``tests/cli`` checks the listed help is the commands' own).
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Iterator, MutableMapping
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from typer import _click
from typer._click.utils import make_default_short_help
from typer.core import TyperGroup

from juesuan.cli.inputs import INPUT_HELP, parse_inputs
from juesuan.cli.output import fail, print_findings
from juesuan.cli.zh import install as install_chinese

if TYPE_CHECKING:
    from juesuan.core.findings import Finding

install_chinese()

#: Commands and command groups defined in other modules: name → (module, attribute, the
#: first line of its help as ``juesuan --help`` lists it). Commands first, then groups.
LAZY: dict[str, tuple[str, str, str]] = {
    "score": (
        "juesuan.cli.score",
        "score",
        "绩效自评评分：按指标体系计算部门整体和各项目的得分，列出计算轨迹（输入及来源、规则、\n"
        "计算过程），与自评表列示的得分比较；有错误时退出码为1。",
    ),
    "template": (
        "juesuan.cli.excel",
        "template",
        "生成填报用Excel工作簿（含填表说明、各标准表、下拉科目与公式合计）。",
    ),
    "convert": ("juesuan.cli.excel", "convert", "在 YAML 数据文件与 Excel 填报工作簿之间转换。"),
    "check": (
        "juesuan.cli.check",
        "check",
        "检查已公开的部门决算文件：恢复报表与说明中的数字，报告每处不一致及其位置；有错误时退出码为1。",
    ),
    "serve": (
        "juesuan.cli.serve",
        "serve",
        "启动决算公开服务（JSON API 在 /api/v1，接口文档在 /api/docs）。",
    ),
}
LAZY_GROUPS: dict[str, tuple[str, str, str]] = {
    "catalog": ("juesuan.cli.catalog", "catalog_app", "分类科目目录"),
    "batch": (
        "juesuan.cli.batch",
        "batch_app",
        "批量处理多个部门：校验、生成、检查（Dask 并行，可断点续跑）。",
    ),
    "region": (
        "juesuan.cli.batch",
        "region_app",
        "地区汇总（财政局）：全地区部门的完整性、汇总数、排名、异常和区域平均值重新评分。",
    ),
    "db": ("juesuan.cli.serve", "db_app", "服务数据库。"),
    "user": ("juesuan.cli.serve", "user_app", "服务用户。"),
}


def load_command(name: str) -> _click.Command:
    """The click command of a lazily registered command or group (imports its module)."""
    from typer.main import get_command_from_info, get_group_from_info
    from typer.models import CommandInfo, TyperInfo

    module, attribute, _ = LAZY.get(name) or LAZY_GROUPS[name]
    target = getattr(importlib.import_module(module), attribute)
    if isinstance(target, typer.Typer):
        group = get_group_from_info(
            TyperInfo(target, name=name),
            pretty_exceptions_short=app.pretty_exceptions_short,
            rich_markup_mode=None,
            suggest_commands=True,
        )
        group.name = name
        return group
    return get_command_from_info(
        CommandInfo(name=name, callback=target),
        pretty_exceptions_short=app.pretty_exceptions_short,
        rich_markup_mode=None,
    )


class _Commands(MutableMapping[str, _click.Command]):
    """The root group's commands: those defined here, and the lazy ones loaded on first use."""

    def __init__(self, eager: MutableMapping[str, _click.Command]):
        self.loaded: dict[str, _click.Command] = dict(eager)
        self.order = [*LAZY, *eager, *LAZY_GROUPS]

    def __getitem__(self, name: str) -> _click.Command:
        if name not in self.loaded:
            if name not in LAZY and name not in LAZY_GROUPS:
                raise KeyError(name)
            self.loaded[name] = load_command(name)
        return self.loaded[name]

    def __setitem__(self, name: str, command: _click.Command) -> None:
        if name not in self.order:
            self.order.append(name)
        self.loaded[name] = command

    def __delitem__(self, name: str) -> None:
        self.order.remove(name)
        self.loaded.pop(name, None)

    def __iter__(self) -> Iterator[str]:
        return iter(self.order)

    def __len__(self) -> int:
        return len(self.order)

    def short_help(self, name: str, limit: int) -> str:
        """A command's help line, without importing a lazy command's module."""
        if name in self.loaded:
            return self.loaded[name].get_short_help_str(limit)
        return make_default_short_help((LAZY.get(name) or LAZY_GROUPS[name])[2], limit)


class LazyGroup(TyperGroup):
    """The root group: command modules are imported when their command runs (see :data:`LAZY`)."""

    def __init__(self, **attrs: Any) -> None:
        super().__init__(**attrs)
        self.commands = _Commands(self.commands)

    def format_commands(self, ctx: _click.Context, formatter: _click.HelpFormatter) -> None:
        commands = self.commands
        assert isinstance(commands, _Commands)
        names = list(commands)
        if not names:
            return
        limit = formatter.width - 6 - max(len(n) for n in names)
        rows = [(n, commands.short_help(n, limit)) for n in names]
        with formatter.section("Commands"):  # made Chinese by juesuan.cli.zh
            formatter.write_dl(rows)


app = typer.Typer(
    cls=LazyGroup,
    help="决算：部门决算公开文件的生成与校验。",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,  # plain help: keeps `juesuan --help` from importing rich
)


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


def _sample_summary(sample: str, findings: list[Finding]) -> None:
    """A bundled sample's own findings (its published source's inconsistencies) in one line."""
    from juesuan.core.findings import Severity

    count = sum(1 for f in findings if f.severity is Severity.WARNING)
    if not count:
        return
    typer.echo(
        f"样例含原文件的 {count} 处不一致，已按数据更正，详见 juesuan validate --sample {sample}",
        err=True,
    )


def _remedy(loaded: bool, findings: list[Finding]) -> str:
    """What to do about a refused build: ``--force`` only helps past rule errors of a loaded dataset."""
    from juesuan.core.codes import CODES, RULE_FAMILIES
    from juesuan.core.findings import Severity

    errors = [f for f in findings if f.severity is Severity.ERROR]
    rule_errors_only = all(
        f.code in CODES and CODES[f.code].family in RULE_FAMILIES for f in errors
    )
    if loaded and rule_errors_only:
        return "修正后重试，或用 --force 强制生成草稿"
    return "请先修正上列错误后重试"


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
    if sample and analysis is not None and findings and not has_errors(findings):
        _sample_summary(sample, findings)
    elif findings:
        print_findings(findings, False)
    if analysis is None or (has_errors(findings) and not force):
        typer.echo(
            f"数据有错误，未生成文件（{_remedy(analysis is not None, findings)}）。", err=True
        )
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
    from juesuan.compose.figure_labels import figure_label
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
        label = figure_label(fig, analysis.names)
        typer.echo(f"{fig.id}（{label}）= {fig.value} {fig.unit}  [{fig.formula}{inputs}]{src}")


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
