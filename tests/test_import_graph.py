"""The package's modules import each other without a circle (type-checking imports included)."""

from __future__ import annotations

import ast
from pathlib import Path

import matter_map

PACKAGE = Path(matter_map.__file__).resolve().parent


def _modules() -> dict[str, Path]:
    found = {}
    for file in PACKAGE.rglob("*.py"):
        parts = ("matter_map", *file.relative_to(PACKAGE).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts = parts[:-1]
        found[".".join(parts)] = file
    return found


def _imported(module: str, file: Path, modules: dict[str, Path]) -> set[str]:
    """The package modules one module names in any import statement, at any depth (TYPE_CHECKING too)."""
    package = module if file.name == "__init__.py" else module.rpartition(".")[0]
    names: set[str] = set()
    for node in ast.walk(ast.parse(file.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, *([node.module] if node.module else [])])
            submodules = {f"{base}.{alias.name}" for alias in node.names} & modules.keys()
            names |= submodules or {base}
    return {name for name in names if name in modules and name != module}


def import_graph() -> dict[str, set[str]]:
    """Module → the package modules it imports; the package's own `__init__` imports lazily and is left out."""
    modules = _modules()
    return {m: _imported(m, f, modules) - {"matter_map"} for m, f in modules.items() if m != "matter_map"}


def circles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan's algorithm)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for other in sorted(graph.get(node, ())):
            if other not in index:
                visit(other)
                low[node] = min(low[node], low[other])
            elif other in on_stack:
                low[node] = min(low[node], index[other])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def test_the_circle_finder_finds_a_circle_and_only_circles() -> None:
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}, "e": set()}
    assert circles(graph) == [["a", "b", "c"]]
    assert circles({"a": {"b"}, "b": set()}) == []


def test_the_graph_sees_the_linker_import_custom_capabilities() -> None:
    graph = import_graph()
    assert "matter_map.custom_capability" in graph["matter_map.linker"]
    assert "matter_map.ir" in graph["matter_map.custom_capability"]


def test_no_module_of_the_package_imports_itself_back() -> None:
    assert circles(import_graph()) == []
