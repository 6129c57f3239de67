"""Helpers of the code generation tests: load generated source as a module, compare outcomes, check module shape."""

from __future__ import annotations

import ast
import json
import types
from collections.abc import Callable
from pathlib import Path
from typing import Any

from matter_map.codegen import compile_for_codegen, render_module
from matter_map.ir import CompiledMapping

from .conftest import ROOT

#: what a generated module may import, anywhere in it
ALLOWED_IMPORTS = {"__future__", "math", "json", "re", "unicodedata", "collections.abc", "typing", "_runtime"}
#: what module-level statements may call (runtime records and import-time tables)
ALLOWED_MODULE_CALLS = {
    "_Missing",
    "_IdEscapes",
    "EnumMap",
    "Ref",
    "AttributeBinding",
    "CommandBinding",
    "ClusterBinding",
    "EndpointBinding",
    "DeviceBinding",
    "WriteEncoding",
    "rule_key",
    "frozenset",
    "map",
}
FORBIDDEN_NAMES = {"__import__", "eval", "exec", "compile", "open", "os", "system", "subprocess", "getattr", "globals"}


def load_source(source: str, name: str = "generated") -> types.ModuleType:
    module = types.ModuleType(name)
    exec(compile(source, f"<{name}>", "exec"), module.__dict__)  # the code under test
    return module


def generated(file: Path) -> tuple[CompiledMapping, types.ModuleType]:
    compiled = compile_for_codegen(file, ROOT)
    return compiled, load_source(render_module(compiled), compiled.identity)


def outcome(run: Callable[[], Any]) -> tuple[Any, ...]:
    """What a call produced, comparable across the two implementations: JSON text, problems, or the exception."""
    try:
        return ("ok", json.dumps(run()))
    except Exception as exc:  # noqa: BLE001 - any exception must match the interpreter's
        problems = getattr(exc, "problems", None)
        if type(exc).__name__ == "TranslationError" and problems is not None:
            return ("problems", tuple((p.code, p.message, p.vendor_path, p.rule, p.source) for p in problems), str(exc))
        return ("raised", type(exc).__name__, str(exc))


def module_violations(source: str) -> list[str]:
    """Statements a generated module must not contain: anything but imports of the allow-list, defs, classes,
    constant tables and the TYPE_CHECKING block; calls at import time outside the runtime's record builders;
    names that reach the interpreter's dangerous builtins."""
    try:
        tree = ast.parse(source)
    except SyntaxError as exc:
        return [f"does not parse: {exc.msg} (line {exc.lineno})"]
    problems: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            problems += [f"imports {a.name}" for a in node.names if a.name not in ALLOWED_IMPORTS]
        elif isinstance(node, ast.ImportFrom) and node.module not in ALLOWED_IMPORTS:
            problems.append(f"imports from {node.module}")
        elif isinstance(node, ast.Name) and node.id in FORBIDDEN_NAMES:
            problems.append(f"names {node.id}")
        elif isinstance(node, ast.Attribute) and node.attr in FORBIDDEN_NAMES:
            problems.append(f"names .{node.attr}")
    for i, stmt in enumerate(tree.body):
        if i == 0 and isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Constant):
            continue  # the docstring
        if isinstance(stmt, ast.Import | ast.ImportFrom | ast.FunctionDef | ast.ClassDef):
            continue
        if isinstance(stmt, ast.If) and ast.unparse(stmt.test) == "TYPE_CHECKING":
            aliases = (s for s in stmt.body if isinstance(s, ast.Assign))  # type aliases of the runtime
            if stmt.orelse or not all(isinstance(s, ast.ImportFrom | ast.Assign) for s in stmt.body):
                problems.append("a TYPE_CHECKING block that does more than import")
            if any(isinstance(n, ast.Call) for a in aliases for n in ast.walk(a)):
                problems.append("a TYPE_CHECKING block that does more than import")
            continue
        if isinstance(stmt, ast.Assign | ast.AnnAssign):
            value = stmt.value
            for call in (n for n in ast.walk(value) if isinstance(n, ast.Call)) if value is not None else ():
                name = call.func.id if isinstance(call.func, ast.Name) else ast.unparse(call.func)
                if name not in ALLOWED_MODULE_CALLS:
                    problems.append(f"calls {name} at import (line {stmt.lineno})")
            for lam in (n for n in ast.walk(value) if isinstance(n, ast.Lambda)) if value is not None else ():
                problems.append(f"a lambda at import (line {lam.lineno})")
            continue
        problems.append(f"a top-level {type(stmt).__name__} statement (line {stmt.lineno})")
    return problems
