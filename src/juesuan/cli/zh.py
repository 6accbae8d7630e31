"""Chinese for the command line's own words: usage, headings, the help option and usage errors.

Typer vendors its Click (``typer._click``) with the English strings written into the code, and
only ``typer.core`` goes through gettext; so :func:`install` (called once when the CLI module is
imported) gives typer.core a Chinese ``_``, makes every context use a Chinese help formatter,
gives the help option a Chinese text, and renders usage errors in Chinese.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable
from typing import IO, Any

from typer import _click, core
from typer._click import decorators, exceptions
from typer._click.formatting import HelpFormatter

HELP_TEXT = "显示此帮助并退出。"

#: typer.core's gettext strings.
WORDS = {
    "Arguments": "参数",
    "Options": "选项",
    "Commands": "命令",
    "required": "必填",
    "default: {default}": "默认：{default}",
    "env var: {var}": "环境变量：{var}",
    "(dynamic)": "（动态）",
    "Aborted!": "已中止。",
    "Missing command.": "缺少命令。",
    "No such command {name!r}.": "没有命令「{name}」。",
}

#: Fixed English pieces of the usage line.
USAGE = (("[OPTIONS]", "[选项]"), ("COMMAND [ARGS]...", "命令 [参数]..."), ("[ARGS]", "[参数]"))

#: English messages raised inside the vendored Click and typer, as (pattern, Chinese).
MESSAGES: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(p), zh)
    for p, zh in (
        (r"^Got unexpected extra argument\(s\) \((.*)\)$", r"多余的参数：\1"),
        (r"^Option '(.*)' requires an argument\.?$", r"选项 \1 需要一个值"),
        (r"^Option '(.*)' requires (.*)$", r"选项 \1 需要 \2"),
        (r"^Option '(.*)' does not take a value\.$", r"选项 \1 不接受值"),
        (r"^Argument '(.*)' takes (\d+) values\.$", r"参数 \1 需要 \2 个值"),
        (r"^Value (.*) is not a valid (.*)\.$", r"\1 不是有效的\2"),
        (r"^(.*) is not a valid (integer|float|boolean)\.?$", r"\1 不是有效的数值"),
        (r"^(.*) is not in the range (.*)\.$", r"\1 不在范围 \2 内"),
        (r"^(.*) is not one of (.*)\.$", r"\1 不是可选值 \2 之一"),
        (r"^(.*) is not (.*)\.$", r"\1 不是 \2"),
        (r"^Input should be a valid integer.*$", "应为整数"),
        (r"^Input should be a valid (number|decimal).*$", "应为数值"),
        (r"^Input should be greater than or equal to (.*)$", r"应不小于 \1"),
        (r"^Input should be less than or equal to (.*)$", r"应不大于 \1"),
        (r"^Input should be greater than (.*)$", r"应大于 \1"),
        (r"^Input should be less than (.*)$", r"应小于 \1"),
        (r"^Input should be (.*)$", r"应为 \1"),
        (r"^Value must be an iterable\.$", "值必须是列表"),
        (r"^(.*?)\.? ?\. Did you mean (.*)\?$", r"\1是否要输入：\2？"),
        (r"^Missing command\.$", "缺少命令。"),
        (r"^No such command '(.*)'\.$", r"没有命令「\1」。"),
    )
)

KINDS = {"argument": "参数", "option": "选项", "parameter": "参数"}


def words(message: str) -> str:
    """typer.core's ``_``: the Chinese for a known string, else the string."""
    return WORDS.get(message, message)


def message(text: str) -> str:
    """A vendored-Click message in Chinese where it is one of the known patterns."""
    for pattern, zh in MESSAGES:
        if pattern.match(text):
            return pattern.sub(zh, text)
    return text


def _hint(exc: exceptions.BadParameter) -> str:
    hint: Any = exc.param_hint
    if hint is None and exc.param is not None:
        hint = exc.param.get_error_hint()
    if isinstance(hint, (list, tuple)):
        hint = " / ".join(hint)
    return str(hint or "").replace("'", "")


def error_text(exc: exceptions.ClickException) -> str:
    """The Chinese message of a usage error."""
    if isinstance(exc, exceptions.NoSuchOption):
        text = f"没有选项 {exc.option_name}"
        if exc.possibilities:
            text += f"（可用：{'、'.join(sorted(exc.possibilities))}）"
        return text
    if isinstance(exc, exceptions.MissingParameter):
        kind = exc.param_type or (exc.param.param_type_name if exc.param else "parameter")
        hint = _hint(exc)
        return f"缺少{KINDS.get(kind, '参数')}{' ' + hint if hint else ''}"
    if isinstance(exc, exceptions.BadParameter):
        hint = _hint(exc)
        body = message(exc.message)
        return f"{hint} 的值无效：{body}" if hint else f"值无效：{body}"
    return message(exc.format_message())


def _show_usage_error(self: exceptions.UsageError, file: IO[Any] | None = None) -> None:
    file = file or sys.stderr
    color = None
    if self.ctx is not None:
        color = self.ctx.color
        hint = ""
        if self.ctx.command.get_help_option(self.ctx) is not None:
            hint = f"查看帮助：{self.ctx.command_path} {self.ctx.help_option_names[0]}\n"
        _click.echo(f"{self.ctx.get_usage()}\n{hint}", file=file, color=color)
    _click.echo(f"错误：{error_text(self)}", file=file, color=color)


def _show_error(self: exceptions.ClickException, file: IO[Any] | None = None) -> None:
    _click.echo(f"错误：{error_text(self)}", file=file or sys.stderr, color=self.show_color)


class ZhFormatter(HelpFormatter):
    """Click's help formatter with Chinese usage prefix and headings."""

    def write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
        for english, chinese in USAGE:
            args = args.replace(english, chinese)
        super().write_usage(prog, args, "用法：" if prefix is None else prefix)

    def write_heading(self, heading: str) -> None:
        self.write(f"{'':>{self.current_indent}}{words(heading)}：\n")


def _help_option(names: list[str]) -> Callable[[Any], Any]:
    english = _ORIGINAL_HELP_OPTION(names)

    def decorate(cmd: Any) -> Any:
        cmd = english(cmd)
        cmd.params[-1].help = HELP_TEXT
        return cmd

    return decorate


_ORIGINAL_HELP_OPTION = decorators.help_option


def install() -> None:
    """Make Typer's own words Chinese (idempotent)."""
    core._ = words  # type: ignore[attr-defined]
    _click.core.Context.formatter_class = ZhFormatter
    decorators.help_option = _help_option
    exceptions.UsageError.show = _show_usage_error  # type: ignore[method-assign]
    exceptions.ClickException.show = _show_error  # type: ignore[method-assign]
