"""One problem type and its registry: codes declared once, refused when unknown, documented and used both ways."""

from __future__ import annotations

import ast
import copy
import json
import pickle
import re
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from matter_map import runtime
from matter_map.connector._auth import credentials_from
from matter_map.connector._errors import ConnectorError, VendorError, translation_error
from matter_map.diagnostics import Diagnostic, Position, Severity
from matter_map.payload_check import PROBLEM_CODES, PayloadProblem
from matter_map.problem_docs import markdown
from matter_map.problems import (
    CATEGORIES,
    REGISTRY,
    Location,
    Problem,
    TranslationError,
    TranslationProblem,
    UnknownProblemCodeError,
    codes_of,
    info,
)

from .codegen_support import load_source
from .conftest import ROOT

DOCS = ROOT / "docs" / "problems.md"
#: where problems are made: the package and the generated modules (whose code the generator writes as text)
SCANNED = (ROOT / "matter_map", ROOT / "codegen")
#: the files that declare codes (their tables are the registry, not uses of it)
DECLARING = {ROOT / "matter_map" / "problems.py"}
CODE_SHAPE = re.compile(r"[a-z][a-z0-9]*(?:-[a-z0-9]+)*")

codes = st.sampled_from(sorted(REGISTRY))
unknown_codes = st.text(max_size=30).filter(lambda text: text not in REGISTRY)
texts = st.text(max_size=40)
locations = st.builds(
    Location,
    st.sampled_from(["mapping", "vendor", "command", "payload", "request"]),
    texts,
    texts,
    st.integers(0, 10_000),
    st.integers(0, 500),
)
problems = st.builds(
    Problem,
    codes,
    texts,
    st.none() | locations,
    texts,
    texts,
    texts,
    st.sampled_from(["error", "warning"]),
)


# --- the registry ------------------------------------------------------------------------------------------


def test_every_entry_names_known_layers_and_says_what_it_means_and_what_to_do() -> None:
    for code, entry in REGISTRY.items():
        assert CODE_SHAPE.fullmatch(code), code
        assert entry.code == code
        assert entry.layers, code
        assert set(entry.layers) <= set(CATEGORIES), code
        assert entry.summary.strip(), code
        assert entry.action.strip(), code


def test_the_runtime_declares_its_own_codes_and_the_registry_holds_them_once() -> None:
    assert set(runtime.PROBLEM_CODES) <= set(REGISTRY)
    for code, (layers, summary, action) in runtime.PROBLEM_CODES.items():
        assert (REGISTRY[code].layers, REGISTRY[code].summary, REGISTRY[code].action) == (layers, summary, action)
    assert "translation" in {layer for entry in REGISTRY.values() for layer in entry.layers}


def test_the_payload_codes_are_the_registrys() -> None:
    assert dict(PROBLEM_CODES) == codes_of("payload")
    assert PROBLEM_CODES["too-large"] == info("too-large").summary


@given(unknown_codes)
def test_info_refuses_an_unknown_code(code: str) -> None:
    with pytest.raises(UnknownProblemCodeError, match="not registered"):
        info(code)


# --- the constructors refuse unknown codes, and accept every registered one ---------------------------------

MAKERS: dict[str, Callable[[str], object]] = {
    "Problem": lambda code: Problem(code, "message"),
    "TranslationProblem": lambda code: TranslationProblem(code, "message", "state.on", "OnOff.OnOff"),
    "Diagnostic": lambda code: Diagnostic(code, "message", Position("m.yaml", 1, 1)),
    "PayloadProblem": lambda code: PayloadProblem("Devices[0]", code, "message"),
    "ConnectorError": lambda code: ConnectorError(400, code, "message"),
    "VendorError": lambda code: VendorError(503, code, "message"),
}


@pytest.mark.parametrize("maker", sorted(MAKERS))
@given(code=unknown_codes)
def test_every_constructor_refuses_an_unknown_code(maker: str, code: str) -> None:
    with pytest.raises(UnknownProblemCodeError, match="not registered"):
        MAKERS[maker](code)


@pytest.mark.parametrize("maker", sorted(MAKERS))
@given(code=codes)
def test_every_constructor_accepts_every_registered_code(maker: str, code: str) -> None:
    made = MAKERS[maker](code)
    problem = made.problem if isinstance(made, ConnectorError) else made
    assert isinstance(problem, Problem)
    assert problem.code == code


def test_a_generated_modules_runtime_knows_only_the_translation_codes() -> None:
    """The runtime copied next to generated modules refuses the codes of other layers (it has no registry)."""
    copy = load_source((ROOT / "codegen" / "_runtime.py").read_text(encoding="utf-8"), "_runtime_copy")
    assert copy.TranslationProblem("out-of-range", "m").code == "out-of-range"
    with pytest.raises(copy.UnknownProblemCodeError):
        copy.TranslationProblem("yaml-syntax", "m")


# --- one type, frozen, equal by its fields, the same JSON for every layer ------------------------------------


@given(problems)
def test_a_problem_equals_and_hashes_as_its_rebuilt_copy(problem: Problem) -> None:
    copy = Problem(
        problem.code,
        problem.message,
        problem.location,
        problem.rule,
        problem.source,
        problem.hint,
        problem.severity,
    )
    assert copy == problem
    assert hash(copy) == hash(problem)


@given(problems, st.sampled_from([copy.copy, copy.deepcopy, lambda p: pickle.loads(pickle.dumps(p))]))
def test_a_problem_survives_copy_and_pickle(problem: Problem, duplicate: Callable[[Problem], Problem]) -> None:
    for made in (problem, TranslationProblem(problem.code, problem.message, "state.on", problem.rule)):
        again = duplicate(made)
        assert (type(again), again, again.location) == (type(made), made, made.location)
    error = duplicate(TranslationError([TranslationProblem(problem.code, problem.message)]))
    assert error.problems == (TranslationProblem(problem.code, problem.message),)


@given(problems, problems)
def test_problems_are_equal_exactly_when_their_fields_are(a: Problem, b: Problem) -> None:
    assert (a == b) == (a.as_json() == b.as_json() and a.location == b.location)


@given(problems, st.sampled_from(["code", "message", "location", "rule", "source", "hint", "severity", "x"]))
def test_a_problem_is_frozen(problem: Problem, name: str) -> None:
    with pytest.raises(AttributeError):
        setattr(problem, name, "changed")
    with pytest.raises(AttributeError):
        (problem.location or Location("vendor")).path = "changed"


JSON_KEYS = ["code", "severity", "message", "file", "line", "column", "path", "path_in", "rule", "source", "hint"]


@given(problems)
def test_a_problems_json_has_the_same_keys_and_survives_a_round_trip(problem: Problem) -> None:
    document = problem.as_json()
    assert list(document) == JSON_KEYS
    assert json.loads(json.dumps(document)) == document
    assert document["path_in"] == (problem.location.kind if problem.location else None)


@given(codes, texts, texts, st.integers(1, 10_000), st.integers(1, 500))
def test_a_diagnostic_is_a_problem_located_in_its_mapping_file(
    code: str, message: str, path: str, line: int, column: int
) -> None:
    position = Position("mappings/x.yaml", line, column)
    diagnostic = Diagnostic(code, message, position, path, "a hint", Severity.WARNING, ("endpoints", 0))
    assert isinstance(diagnostic, Problem)
    assert diagnostic.location == Location("mapping", path, "mappings/x.yaml", line, column)
    assert (diagnostic.position, diagnostic.path, diagnostic.doc_path) == (position, path, ("endpoints", 0))
    assert diagnostic.severity is Severity.WARNING
    document = diagnostic.as_json()
    assert (document["file"], document["line"], document["column"]) == ("mappings/x.yaml", line, column)
    assert diagnostic.render().startswith(f"mappings/x.yaml:{line}:{column}: warning[{code}]: ")


def test_each_layer_makes_the_same_type_with_its_location() -> None:
    translation = TranslationProblem("out-of-range", "300 > 254", "state.bri", "LevelControl.CurrentLevel", "m:1:2")
    command = TranslationProblem("bad-command", "no id", "payload.endpoints[0]", where="command")
    payload = PayloadProblem("Devices[0].ConnectorDeviceName", "pattern", "bad name")
    made = [translation, command, payload, Diagnostic("yaml-syntax", "bad", Position("m.yaml", 3, 4), "a.b")]
    assert all(isinstance(p, Problem) for p in made)
    assert [p.as_json()["path_in"] for p in made] == ["vendor", "command", "payload", "mapping"]
    assert [p.path for p in made] == ["state.bri", "payload.endpoints[0]", "Devices[0].ConnectorDeviceName", "a.b"]
    assert translation.as_json()["rule"] == "LevelControl.CurrentLevel"
    assert translation.vendor_path == "state.bri"


def test_a_connector_error_carries_the_location_and_rule_of_the_translation_problem() -> None:
    problem = TranslationProblem("out-of-range", "Level 300: above 254", "state.bri", "LevelControl.CurrentLevel")
    error = translation_error(TranslationError([problem]))
    assert (error.status, error.code) == (400, "out-of-range")
    assert error.problem.location == Location("vendor", "state.bri")
    assert error.problem.rule == "LevelControl.CurrentLevel"
    assert error.problem.message == error.message  # the message is the sanitised one the response carries


@pytest.mark.parametrize(
    ("event", "path"),
    [
        ({}, "header.auth"),
        ({"header": {"auth": {"type": "OAuth2.0"}}}, "header.auth"),
        ({"header": {"auth": {"type": "Basic"}}}, "header.auth.type"),
    ],
)
def test_a_connector_error_about_the_request_names_the_field(event: dict[str, object], path: str) -> None:
    with pytest.raises(ConnectorError) as raised:
        credentials_from(event, lambda arn, version: "")
    assert raised.value.status == 401
    assert raised.value.problem.location == Location("request", path)
    assert raised.value.problem.as_json()["path_in"] == "request"


# --- the codes in use and the docs, both ways ----------------------------------------------------------------


def _python_files() -> Iterator[Path]:
    for folder in SCANNED:
        yield from (file for file in sorted(folder.rglob("*.py")) if file not in DECLARING)


def _code_parameters(trees: dict[Path, ast.Module]) -> dict[str, set[int]]:
    """Every function or class taking a parameter named `code`: its name → the positions of that parameter
    (a method's `self` or `cls` not counted)."""
    found: dict[str, set[int]] = {}
    for tree in trees.values():
        for node in ast.walk(tree):
            targets: list[tuple[str, ast.FunctionDef]] = []
            if isinstance(node, ast.FunctionDef):
                targets.append((node.name, node))
            elif isinstance(node, ast.ClassDef):
                inits = [f for f in node.body if isinstance(f, ast.FunctionDef) and f.name in ("__init__", "__new__")]
                targets += [(node.name, f) for f in inits]
            for name, function in targets:
                names = [a.arg for a in function.args.posonlyargs + function.args.args]
                if names and names[0] in ("self", "cls"):
                    names = names[1:]
                if "code" in names:
                    found.setdefault(name, set()).add(names.index("code"))
    return found


def _is_code(node: ast.AST) -> bool:
    return isinstance(node, ast.Constant) and isinstance(node.value, str) and bool(CODE_SHAPE.fullmatch(node.value))


def _code_literals(tree: ast.Module, parameters: dict[str, set[int]]) -> Iterator[str]:
    """String literals a problem's code is made of: the `code` argument of a call to a function taking one; a
    `code = "..."` assignment; the values of a `*_CODES` table and the default of its `.get`; the middle of a
    `(path, code, message)` tuple appended to a `problems` list."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            func = node.func
            name = func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else ""
            chosen = [node.args[i] for i in parameters.get(name, ()) if i < len(node.args)]
            chosen += [k.value for k in node.keywords if k.arg == "code"]
            text = ast.unparse(func)
            if text.endswith("_CODES.get"):
                chosen += node.args[1:]
            if text.endswith("problems.append") and node.args and isinstance(node.args[0], ast.Tuple):
                chosen += node.args[0].elts[1:2]
            yield from (arg.value for arg in chosen if _is_code(arg))  # type: ignore[attr-defined]
        elif isinstance(node, ast.Assign):
            named = [t.id for t in node.targets if isinstance(t, ast.Name)]
            if "code" in named and _is_code(node.value):
                yield node.value.value  # type: ignore[attr-defined]
            if any(n.endswith("_CODES") and n != "PROBLEM_CODES" for n in named):
                table = node.value.args[0] if isinstance(node.value, ast.Call) and node.value.args else node.value
                items = table.values if isinstance(table, ast.Dict) else getattr(table, "elts", [])
                yield from (item.value for item in items if _is_code(item))


def used_codes() -> dict[str, set[str]]:
    """code → the files that make a problem with it."""
    trees = {file: ast.parse(file.read_text(encoding="utf-8")) for file in _python_files()}
    parameters = _code_parameters(trees)
    used: dict[str, set[str]] = {}
    for file, tree in trees.items():
        for code in _code_literals(tree, parameters):
            used.setdefault(code, set()).add(str(file.relative_to(ROOT)))
    return used


def test_every_code_in_use_is_registered() -> None:
    unregistered = {code: sorted(files) for code, files in used_codes().items() if code not in REGISTRY}
    assert not unregistered, f"declare these codes in matter_map/problems.py (or the runtime's table): {unregistered}"


def test_every_registered_code_is_in_use() -> None:
    unused = sorted(set(REGISTRY) - set(used_codes()))
    assert not unused, f"no code makes a problem with these: remove them from the registry: {unused}"


def test_the_scan_finds_codes_through_each_way_they_are_made() -> None:
    used = used_codes()
    assert "matter_map/linker.py" in used["unknown-attribute"]  # linker.report(code, ...)
    assert "matter_map/loader.py" in used["missing-key"]  # the loader's table of pydantic error types
    assert any(file.startswith("codegen/") for file in used["out-of-range"])  # generated modules
    assert "matter_map/connector/_errors.py" in used["throttled"]  # VendorError(status, code, ...)


def test_the_docs_list_every_registered_code_as_the_registry_says() -> None:
    """docs/problems.md is generated from the registry (scripts/regenerate.py): current, and holding each code."""
    text = DOCS.read_text(encoding="utf-8")
    assert text == markdown(), "docs/problems.md is stale: run scripts/regenerate.py"
    listed = set(re.findall(r"^\| `([a-z0-9-]+)` \|", text, flags=re.MULTILINE))
    assert listed == set(REGISTRY)
    for code, entry in REGISTRY.items():
        rows = re.findall(rf"^\| `{re.escape(code)}` \| (.*) \| (.*) \|$", text, flags=re.MULTILINE)
        assert len(rows) == len(entry.layers), code  # once under each layer it arises in
