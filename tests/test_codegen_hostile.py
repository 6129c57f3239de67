"""Hostile mappings: quotes, line breaks, template syntax and code in every string slot never become code.

Each hostile mapping has a benign twin (same structure, plain strings). The generated module of the hostile
mapping must parse, pass `module_violations`, and have exactly the twin's syntax tree once string constants
are blanked: no statement, call or name the mapping did not ask for. It must also translate exactly as the
interpreter does. A deliberately naive generator (strings pasted between quotes) fails the same checks.
"""

from __future__ import annotations

import ast
import json
import re
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import pytest

from matter_map.codegen import literals, module_path, render_module
from matter_map.codegen.literals import CodegenError, identifier, literal
from matter_map.diagnostics import MappingError
from matter_map.ir import CompiledMapping
from matter_map.loader import compile_text
from matter_map.translator import Translator

from .codegen_support import load_source, module_violations, outcome

INJECTIONS = [
    '"""\n__import__(\'os\').system(\'x\')\n"""',
    "'''\n__import__('os').system('x')\n'''",
    '"\n__import__("os").system("x")\n"',
    "'\nimport os; os.system('x')\n'",
]
PIECES = [
    '"',
    "'",
    '"""',
    "'''",
    "\\",
    "\\'",
    'a\nb"',
    "c\rd",
    "\u2028",
    "\u2029",
    "\x85",
    "\x0c",
    "{{ IDENTITY }}",
    "{% include 'x' %}",
    "{# c #}",
    "__import__('os').system('x')",
    "os.system",
    "\x00",
    "\t#",
    "é€",  # non-BMP characters: JSON escapes them as surrogate pairs, which the YAML reader keeps apart
    "\\N{BULLET}",
    "\\x41",
    "\ufeff",
]
Strings = Callable[[int], str]


def hostile(i: int) -> str:
    """The i-th hostile string: an injection, two nasty pieces, and the index (so every slot is distinct)."""
    return INJECTIONS[i % len(INJECTIONS)] + PIECES[i % len(PIECES)] + PIECES[(i * 7 + 3) % len(PIECES)] + str(i)


def benign(i: int) -> str:
    return f"benign{i}"


def segment(prefix: str, key: str) -> str:
    """`prefix.key`, or `prefix["key"]` escaped as the path grammar wants when the key is not plain."""
    if re.fullmatch(r"[A-Za-z0-9_]+", key):
        return f"{prefix}.{key}" if prefix else key
    return prefix + '["' + key.replace("\\", "\\\\").replace('"', '\\"') + '"]'


def on_the_wire(text: str) -> str:
    """A slot of a request line or header: control characters are a validation error there (they would split
    the HTTP request), so those slots get the hostile string without them."""
    return "".join(c for c in text if c >= " " and c != "\x7f")


def mapping(s: Strings) -> dict[str, Any]:
    """An on/off light whose every free-text slot is s(i)."""
    return {
        "matter_map": 1,
        "vendor": "hostile",
        "kind": "light",
        "title": s(0),
        "match": {"all": [{"path": "type", "equals": s(1)}, {"path": "dimming", "present": False}]},
        "device": {"id": segment("", s(2)), "name": segment("meta", s(3))},
        "base_url": "https://h.example/" + on_the_wire(s(4)),
        "write": {
            "method": "PUT",
            "url": "/light/{device_id}/" + on_the_wire(s(5)),
            "headers": {"X-H": on_the_wire(s(6))},
            "body": "merge",
        },
        "endpoints": [
            {
                "id": 1,
                "device_types": ["OnOffLight"],
                "clusters": {
                    "OnOff": {
                        "features": ["LT"],
                        "attributes": {
                            "OnOff": {
                                "path": segment("on", s(7)),
                                "description": s(8),
                                "transforms": [{"bool": {"true": s(9), "false": s(10)}}],
                            },
                            "OnTime": {"const": 0, "description": s(11)},
                            "OffWaitTime": {"const": 0},
                            "StartUpOnOff": {
                                "optional": True,
                                "read_only": True,
                                "path": segment("powerup", s(12)),
                                "transforms": [{"enum": {"values": {"Toggle": s(13), "null": s(14)}}}],
                            },
                        },
                        "commands": {
                            "Off": {"write": {"OnOff": False}, "description": s(15)},
                            "On": {"write": {"OnOff": True}},
                            "Toggle": {"toggle": "OnOff"},
                        },
                        "unavailable": {
                            "OffWithEffect": s(16) + " is not offered",
                            "OnWithTimedOff": s(17) + " is not offered",
                        },
                    },
                    "Identify": {
                        "attributes": {"IdentifyTime": {"const": 0}, "IdentifyType": {"const": 1}},
                        "commands": {
                            "Identify": {
                                "request": {
                                    "method": "POST",
                                    "url": "/identify/{device_id}/" + on_the_wire(s(18)),
                                    "body": {s(19): s(20), "list": [s(21), {s(22): [s(23), 1, None]}]},
                                }
                            },
                            "TriggerEffect": {
                                "request": {
                                    "body": {s(24): "$EffectIdentifier"},
                                    "fields": {"EffectIdentifier": [{"enum": {"values": {"1": s(25)}}}]},
                                }
                            },
                        },
                    },
                },
            }
        ],
    }


SLOTS = 26


def compile_mapping(s: Strings) -> CompiledMapping:
    """JSON text is YAML; ASCII escapes keep the file's line structure while the values stay hostile."""
    return compile_text(json.dumps(mapping(s), indent=1), "hostile/light.yaml").compiled


def sample_state(s: Strings) -> dict[str, Any]:
    return {
        "type": s(1),
        s(2): "dev\n'1",
        "meta": {s(3): s(0)},
        "on": {s(7): s(9)},
        "powerup": {s(12): s(13)},
    }


def commands() -> list[dict[str, Any]]:
    def by_name(cluster: str, action: str, params: dict[str, Any]) -> dict[str, Any]:
        capability = {"id": f"matter.{cluster}@1.4", "name": cluster, "version": "1"}
        capability["actions"] = [{"name": action, "parameters": params}]  # type: ignore[assignment]
        return {"Endpoints": [{"endpointId": "1", "capabilities": [capability]}]}

    return [
        by_name("OnOff", "On", {}),
        by_name("OnOff", "Toggle", {}),
        by_name("Identify", "Identify", {"IdentifyTime": 3}),
        by_name("Identify", "TriggerEffect", {"EffectIdentifier": 1, "EffectVariant": 0}),
        by_name("Identify", "TriggerEffect", {"EffectIdentifier": 2, "EffectVariant": 0}),
    ]


def _blank_strings(tree: ast.AST) -> str:
    """The syntax tree with every string constant replaced by one placeholder (docstrings included)."""

    class Blank(ast.NodeTransformer):
        def visit_Constant(self, node: ast.Constant) -> ast.Constant:
            return ast.Constant("S") if isinstance(node.value, str) else node

    return ast.dump(Blank().visit(tree), include_attributes=False)


def injected(source: str, twin_source: str) -> list[str]:
    """What a generated module holds that its benign twin does not: parse errors, forbidden statements or
    names, or a different syntax tree once string constants are blanked."""
    problems = module_violations(source)
    if problems:
        return problems
    tree, twin = ast.parse(source), ast.parse(twin_source)
    if _blank_strings(tree) != _blank_strings(twin):
        extra = len(tree.body) - len(twin.body)
        return [f"the syntax tree differs from the benign twin's ({extra:+d} top-level statements)"]
    return []


def _strings_in(tree: ast.AST) -> set[str]:
    return {n.value for n in ast.walk(tree) if isinstance(n, ast.Constant) and isinstance(n.value, str)}


# --- the generator -----------------------------------------------------------------------------------------


def test_every_slot_reaches_the_generated_module_as_a_value() -> None:
    """The fixture is honest: the hostile strings do reach the module (as string constants, unchanged)."""
    strings = _strings_in(ast.parse(render_module(compile_mapping(hostile))))
    expected = [0, 1, 9, 10, 13, 14, 19, 20, 21, 22, 23, 24, 25]
    assert [i for i in expected if not any(hostile(i) in text for text in strings)] == []
    on_wire = [4, 6]  # the base URL and a header value: without their control characters (see on_the_wire)
    assert [i for i in on_wire if not any(on_the_wire(hostile(i)) in text for text in strings)] == []


def test_hostile_strings_add_no_statement() -> None:
    source = render_module(compile_mapping(hostile))
    twin = render_module(compile_mapping(benign))
    assert injected(twin, twin) == []
    assert injected(source, twin) == []


def test_hostile_strings_never_reach_a_comment_or_the_header_raw() -> None:
    source = render_module(compile_mapping(hostile))
    for line in source.splitlines():
        if line.lstrip().startswith("#"):
            assert all(" " <= c <= "~" for c in line), line
    assert not any(c in source for c in "\r\x00\x0c\u2028\u2029\x85")


def test_hostile_module_translates_as_the_interpreter_does() -> None:
    compiled = compile_mapping(hostile)
    module = load_source(render_module(compiled), "hostile_light")
    interpreter = Translator(compiled)
    state = sample_state(hostile)
    assert module.recognises(state)
    assert interpreter.recognises(state)
    for run in (
        lambda t: t.to_matter(state),
        lambda t: t.capability_report(state),
        lambda t: t.to_matter({**state, "on": {}}),
        *(lambda t, c=c: t.to_vendor(c, state=state) for c in commands()),
    ):
        produced = outcome(lambda r=run: r(module))
        assert produced == outcome(lambda r=run: r(interpreter))
        assert produced[0] in {"ok", "problems"}
    first = module.to_vendor(commands()[0], state=state)[0]
    assert first["url"].startswith("https://h.example/" + on_the_wire(hostile(4)))
    assert first["headers"]["X-H"] == on_the_wire(hostile(6))


@pytest.mark.parametrize("name", ["os.system", "__import__", "a-b", "x y", "print", "class", "_ok\n", "é"])
def test_names_from_a_mapping_must_be_plain_identifiers(name: str) -> None:
    document = mapping(benign)
    document["vendor"] = name
    with pytest.raises((MappingError, CodegenError)):
        module_path(compile_text(json.dumps(document), "hostile/light.yaml").compiled)
    with pytest.raises(CodegenError):
        identifier(name)


@pytest.mark.parametrize("text", ["😀", "\ud83d", "\ud83d\ude00", "\U0010ffff", "\x85\u2028"])
def test_characters_yaml_cannot_carry_are_still_literals(text: str) -> None:
    emitted = literal({text: [text]}).text
    assert ast.literal_eval(emitted) == {text: [text]}
    assert not any(c in emitted for c in "\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029")


# --- the suite can fail ------------------------------------------------------------------------------------


@contextmanager
def naive_strings() -> Iterator[None]:
    """A generator that pastes strings between double quotes instead of writing repr literals."""
    original = literals._string
    literals._string = lambda value: '"' + value + '"'
    try:
        yield
    finally:
        literals._string = original


@contextmanager
def naive_comments() -> Iterator[None]:
    """A generator that copies text into `#` comments as it is (in every generator module that imported it)."""
    modules = [m for n, m in sys.modules.items() if n.startswith("matter_map.codegen") and hasattr(m, "comment")]
    originals = [m.comment for m in modules]
    for module in modules:
        module.comment = literals._make
    try:
        yield
    finally:
        for module, original in zip(modules, originals, strict=True):
            module.comment = original


def test_a_naive_string_formatting_generator_is_caught() -> None:
    twin = render_module(compile_mapping(benign))
    with naive_strings():
        naive_twin = render_module(compile_mapping(benign))
        naive = render_module(compile_mapping(hostile))
    assert naive_twin == twin  # on plain strings the naive generator writes the same module
    problems = injected(naive, twin)
    assert problems
    assert any("parse" in p or "differs" in p or "names" in p for p in problems)


def test_a_naive_generator_is_caught_on_each_injection_alone() -> None:
    """Every injection string, alone in the title, breaks out of a naively quoted literal."""
    twin = render_module(compile_mapping(benign))
    for injection in INJECTIONS:

        def strings(i: int, injection: str = injection) -> str:
            return injection if i == 0 else benign(i)

        assert injected(render_module(compile_mapping(strings)), twin) == []
        with naive_strings():
            assert injected(render_module(compile_mapping(strings)), twin), injection


def test_a_generator_with_naive_comments_is_caught() -> None:
    """Comments carry YAML file names; a file name with a line break must not start a statement."""
    compiled = compile_mapping(benign)
    sneaky = "hostile/light.yaml\n__import__('os').system('x')\n#"
    twin = render_module(compiled)
    source = compile_text(json.dumps(mapping(benign), indent=1), sneaky).compiled
    assert injected(render_module(source), twin) == []
    with naive_comments():
        assert injected(render_module(source), twin)
