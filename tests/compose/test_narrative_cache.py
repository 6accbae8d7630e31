"""The narrative template's compiled code is cached between processes: an edited template is
compiled again, and no other Jinja environment's cached code is ever loaded."""

from __future__ import annotations

from pathlib import Path

import jinja2

from juesuan.compose.narrative import _Compiled, _template


def test_edited_template_is_compiled_again(tmp_path: Path) -> None:
    path = tmp_path / "t.md.j2"
    path.write_text("甲{{ x }}", encoding="utf-8")
    assert _template(tmp_path, path).render(x=1) == "甲1"
    _template.cache_clear()  # a new process: only the bytecode cache remains
    assert _template(tmp_path, path).render(x=1) == "甲1"
    path.write_text("乙{{ x }}", encoding="utf-8")
    _template.cache_clear()
    assert _template(tmp_path, path).render(x=2) == "乙2"


def test_cache_key_is_this_environments_own() -> None:
    ours = _Compiled().get_cache_key("narrative.md.j2", "/p/narrative.md.j2")
    default = jinja2.FileSystemBytecodeCache().get_cache_key(
        "narrative.md.j2", "/p/narrative.md.j2"
    )
    assert ours != default
