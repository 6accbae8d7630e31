"""The root command imports a command group's module only when that command runs, and lists
every command with its own help without importing them."""

from __future__ import annotations

import subprocess
import sys

import pytest
from typer._click.utils import make_default_short_help
from typer.testing import CliRunner

from juesuan.cli.app import LAZY, LAZY_GROUPS, app, load_command

runner = CliRunner()

PROBE = """
import sys
from juesuan.cli.app import main
sys.argv = ["juesuan", *{args!r}]
try:
    main()
except SystemExit:
    pass
print("MODULES", sorted(m for m in sys.modules if m.startswith("juesuan.cli.")))
"""


def _cli_modules(*args: str) -> set[str]:
    out = subprocess.run(
        [sys.executable, "-c", PROBE.format(args=list(args))],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    line = next(ln for ln in out.splitlines() if ln.startswith("MODULES"))
    return set(eval(line.removeprefix("MODULES ")))  # a printed list of names


def test_help_imports_no_command_module() -> None:
    loaded = _cli_modules("--help")
    lazy = {module for module, _, _ in (*LAZY.values(), *LAZY_GROUPS.values())}
    assert not loaded & lazy, loaded & lazy


def test_check_imports_only_its_own_module() -> None:
    loaded = _cli_modules("check", "--help")
    assert "juesuan.cli.check" in loaded
    for other in ("juesuan.cli.serve", "juesuan.cli.batch", "juesuan.cli.excel"):
        assert other not in loaded


@pytest.mark.parametrize("name", [*LAZY, *LAZY_GROUPS])
def test_listed_help_is_the_commands_own(name: str) -> None:
    command = load_command(name)
    static = (LAZY.get(name) or LAZY_GROUPS[name])[2]
    assert make_default_short_help(static, 300) == command.get_short_help_str(300)


def test_help_lists_every_command() -> None:
    result = runner.invoke(app, ["--help"])
    assert result.exit_code == 0
    for name in (*LAZY, *LAZY_GROUPS, "validate", "build", "figures", "schema", "rules"):
        assert f"  {name} " in result.output


def test_lazy_group_runs() -> None:
    result = runner.invoke(app, ["catalog", "--help"])
    assert result.exit_code == 0
    assert "用法：" in result.output and "list" in result.output


def test_typo_suggestion_is_chinese() -> None:
    result = runner.invoke(app, ["chek"])
    assert result.exit_code != 0
    assert "Did you mean" not in result.output
    assert "是否要输入" in result.output
