"""The package's import graph has no cycle and every import points down the layers.

The layers, from the bottom: each may import only from layers below it (and from itself).
``check`` sits above ``pipeline`` because it renders the recovered data with the library;
``cli`` is the top. A module inside a layer may import its siblings, but not in a circle.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "juesuan"
LAYERS = [
    "core",  # findings, codes, money, figures: imported by everything, import nothing above
    "model",  # the dataset's records
    "document",  # format-neutral document model, number formatting, charts, writers
    "catalog",  # classification codes and names
    "profiles",  # regional templates and table specs (data)
    "io",  # YAML and workbook readers
    "derive",  # every figure from a dataset
    "performance",  # indicator systems and scoring
    "rules",  # the rule catalog
    "compose",  # domain → Document
    "excel",  # the fill-in workbook writer
    "pipeline",  # the library API
    "check",  # published documents
    "synth",  # synthetic departments for tests and benchmarks (on the library API)
    "batch",  # many departments at once (on the library API)
    "region",  # a region's departments together
    "serve",  # the service
    "cli",  # commands
    "__main__",
]


def _module_name(path: Path) -> str:
    rel = path.relative_to(PACKAGE.parent).with_suffix("")
    parts = list(rel.parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _imports() -> dict[str, set[str]]:
    modules = {_module_name(p): p for p in PACKAGE.rglob("*.py")}
    graph: dict[str, set[str]] = {}
    for name, path in modules.items():
        targets: set[str] = set()
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                base = node.module
                if not base.startswith("juesuan"):
                    continue
                for alias in node.names:
                    sub = f"{base}.{alias.name}"
                    targets.add(sub if sub in modules else base)
            elif isinstance(node, ast.Import):
                targets |= {a.name for a in node.names if a.name.startswith("juesuan")}
        graph[name] = {t for t in targets if t in modules and t != name}
    return graph


def _layer(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "juesuan"


def test_every_module_is_in_a_layer() -> None:
    unknown = {_layer(m) for m in _imports()} - set(LAYERS) - {"juesuan"}
    assert not unknown, f"modules outside the declared layers: {sorted(unknown)}"


def test_imports_point_down_the_layers() -> None:
    rank = {name: i for i, name in enumerate(LAYERS)}
    upward = [
        f"{src} → {dst}"
        for src, targets in _imports().items()
        for dst in targets
        if _layer(src) != "juesuan"
        and _layer(dst) != "juesuan"
        and rank[_layer(dst)] > rank[_layer(src)]
    ]
    assert not upward, "imports running up the layers:\n" + "\n".join(sorted(upward))


def test_no_import_cycles() -> None:
    graph = _imports()
    state: dict[str, int] = {}
    cycles: list[str] = []

    def visit(node: str, stack: list[str]) -> None:
        state[node] = 1
        for nxt in sorted(graph[node]):
            # a package's __init__ importing its own submodules is not a cycle of the design
            if node.startswith(nxt + ".") or nxt.startswith(node + "."):
                continue
            if state.get(nxt) == 1:
                cycles.append(" → ".join([*stack[stack.index(nxt) :], nxt]))
            elif nxt not in state:
                visit(nxt, [*stack, nxt])
        state[node] = 2

    for name in sorted(graph):
        if name not in state:
            visit(name, [name])
    assert not cycles, "import cycles:\n" + "\n".join(cycles)


@pytest.mark.parametrize("name", ["juesuan.check.text", "juesuan.core.findings"])
def test_the_graph_is_read(name: str) -> None:
    """Guard against a test that passes because it read nothing."""
    graph = _imports()
    assert name in graph
    assert graph["juesuan.check.narrative"] >= {"juesuan.check.text"}


def test_every_module_imports() -> None:
    """A moved name breaks at import time; the checker would hide it behind its own error."""
    import importlib

    for name in sorted(_imports()):
        if name.endswith("__main__"):
            continue
        importlib.import_module(name)
