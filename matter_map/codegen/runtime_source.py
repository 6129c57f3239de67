"""The runtime as generated code sees it: its source (copied once per output folder, or inlined) and its names."""

from __future__ import annotations

import ast
import functools
import io
import tokenize
from pathlib import Path

import matter_map.runtime

#: the file next to generated modules that holds the runtime (a copy of `matter_map/runtime.py`)
RUNTIME_MODULE = "_runtime"


@functools.cache
def runtime_text() -> str:
    """The source of `matter_map/runtime.py`, byte for byte."""
    return Path(matter_map.runtime.__file__).read_text(encoding="utf-8")


@functools.cache
def runtime_names() -> frozenset[str]:
    """Every name the runtime defines at module level (public or not), so generated names never take one."""
    names: set[str] = set()
    for stmt in ast.parse(runtime_text()).body:
        if isinstance(stmt, ast.FunctionDef | ast.ClassDef):
            names.add(stmt.name)
        elif isinstance(stmt, ast.Assign):
            names.update(t.id for t in stmt.targets if isinstance(t, ast.Name))
        elif isinstance(stmt, ast.AnnAssign) and isinstance(stmt.target, ast.Name):
            names.add(stmt.target.id)
    return frozenset(names)


def used_runtime_names(body: str, *always: str) -> list[str]:
    """The runtime's public names that generated code refers to (and `always`), sorted as an import list is:
    constants, classes, then functions."""
    public = {n for n in runtime_names() if not n.startswith("_")}
    try:
        tokens = {t.string for t in tokenize.generate_tokens(io.StringIO(body).readline) if t.type == tokenize.NAME}
    except (tokenize.TokenError, SyntaxError, ValueError):
        tokens = public  # text that does not tokenize will not compile either; the import is the least of it
    return sorted(public & tokens | set(always), key=lambda n: (not n.isupper(), not n[0].isupper(), n))


def inlined_runtime() -> str:
    """The runtime's statements for a standalone module: without its docstring and its `__future__` import."""
    lines = runtime_text().split("\n")
    tree = ast.parse(runtime_text())
    start = next(s for s in tree.body if not isinstance(s, ast.Expr) and not _is_future(s))
    kept = [
        line
        for number, line in enumerate(lines[start.lineno - 1 :], start.lineno)
        if not any(_is_future(s) and s.lineno == number for s in tree.body)
    ]
    return "\n".join(kept).rstrip("\n") + "\n"


def _is_future(stmt: ast.stmt) -> bool:
    return isinstance(stmt, ast.ImportFrom) and stmt.module == "__future__"
