"""Hypothesis strategies of IoT Managed Integrations payloads: inputs drawn valid from the service model's shapes,
realistic requests of the shipped mappings, and mutations of both that break one rule or several."""

from __future__ import annotations

import copy
import functools
import sys
import unicodedata
from collections.abc import Mapping
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from hypothesis import strategies as st

from matter_map.loader import load_mapping, mapping_files
from matter_map.payload_model import input_shape_name, service_model
from matter_map.payload_patterns import compile_pattern

from .conftest import MAPPINGS, load_json

SHAPES: Mapping[str, Any] = service_model()["shapes"]
OPERATIONS: list[str] = sorted(service_model()["operations"])
JSON_LEAVES = (
    st.none() | st.booleans() | st.integers(-(2**40), 2**40) | st.floats(allow_nan=False) | st.text(max_size=8)
)
JSON_VALUES = st.recursive(
    JSON_LEAVES,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner, max_size=3),
    max_leaves=8,
)


@functools.cache
def _category_samples() -> dict[str, str]:
    """A non-ASCII character of each Unicode general category (patterns with \\p{..} fold to these)."""
    samples: dict[str, str] = {}
    for code in range(0x80, sys.maxunicode + 1):
        samples.setdefault(unicodedata.category(chr(code)), chr(code))
    return samples


def _unfold(text: str) -> str:
    """Replace the pattern translation's category placeholders by real characters of those categories."""
    from matter_map.payload_patterns import _PLACEHOLDERS

    back = {placeholder: _category_samples()[category] for category, placeholder in _PLACEHOLDERS.items()}
    return "".join(back.get(char, char) for char in text)


def _string(shape: Mapping[str, Any]) -> st.SearchStrategy[str]:
    if "enum" in shape:
        return st.sampled_from(shape["enum"])
    low, high = shape.get("min", 0), shape.get("max", 64)
    pattern = shape.get("pattern")
    if pattern is None:
        return st.text(min_size=low, max_size=min(high, low + 12))
    compiled = compile_pattern(pattern)
    assert compiled is not None, pattern
    drawn = st.from_regex(compiled.regex, fullmatch=True).map(_unfold)
    return drawn.filter(lambda text: low <= len(text) <= high and compiled.accepts(text))


@functools.cache
def valid(name: str) -> st.SearchStrategy[Any]:
    """Values of the shape ``name`` that pass its model rules (the contract's rules are not considered)."""
    shape = SHAPES[name]
    kind = shape["type"]
    low, high = shape.get("min", 0), shape.get("max")
    if kind == "structure" and shape.get("document"):
        return JSON_VALUES
    if kind == "structure":
        members = {member: st.deferred(lambda ref=ref: valid(ref["shape"])) for member, ref in shape["members"].items()}
        required = {member: members.pop(member) for member in shape.get("required", ())}
        return st.fixed_dictionaries(required, optional=members)
    if kind == "list":
        return st.lists(valid(shape["member"]["shape"]), min_size=low, max_size=min(high or 3, low + 3))
    if kind == "map":
        keys, values = valid(shape["key"]["shape"]), valid(shape["value"]["shape"])
        return st.dictionaries(keys, values, min_size=low, max_size=min(high or 3, low + 3))
    if kind == "string":
        return _string(shape)
    if kind in ("integer", "long"):
        return st.integers(shape.get("min"), shape.get("max"))
    if kind in ("double", "float"):
        return st.floats(shape.get("min"), shape.get("max"), allow_nan=False, allow_infinity=False)
    if kind == "boolean":
        return st.booleans()
    if kind == "timestamp":
        return st.datetimes(timezones=st.just(UTC))
    if kind == "blob":
        return st.binary(max_size=8)
    raise AssertionError(f"no strategy for {kind}")


def valid_input(operation: str) -> st.SearchStrategy[dict[str, Any]]:
    return valid(input_shape_name(operation))


@functools.cache
def shipped_requests() -> list[dict[str, Any]]:
    """Every DEVICE_EVENT and DEVICE_DISCOVERY request the shipped mappings make from their samples."""
    from matter_map.translator import Translator

    found: list[dict[str, Any]] = []
    for file in sorted(mapping_files([MAPPINGS])):
        translator = Translator(load_mapping(file).compiled)
        for sample in sorted((file.parent / "samples").glob("*.json")):
            state = load_json(sample)
            if sample.name.startswith("command") or not translator.recognises(state):
                continue
            try:
                found += translator.to_matter(state, user_id="u-1")
                report = translator.capability_report(state)
            except ValueError:
                continue
            found.append(
                {
                    "ConnectorId": "c",
                    "Operation": "DEVICE_DISCOVERY",
                    "OperationVersion": "1.0",
                    "DeviceDiscoveryId": "d1",
                    "Devices": [report],
                }
            )
    return found


def _self_loop() -> list[Any]:
    loop: list[Any] = []
    loop.append(loop)
    return loop


def _deep(levels: int) -> Any:
    value: Any = 1
    for _ in range(levels):
        value = [value]
    return value


ODD: st.SearchStrategy[Any] = st.sampled_from(
    [
        None,
        True,
        False,
        0,
        -1,
        99,
        2**40,
        2**64,
        1.5,
        float("nan"),
        float("inf"),
        Decimal("1.5"),
        "",
        " ",
        "x" * 300,
        "0x1",
        "0X1F",
        "0x100000000",
        "12",
        "6a",
        "DEVICE_EVENT",
        "DEVICE_DISCOVERY",
        "hunter2:Tok/en#xyz",
        "é日Ⅻ",
        "a\nb",
        [],
        [1, "x"],
        {},
        (),
        ("0x0006",),
        {"0x0000": 1},
        {"0x0000": {"0x01": [1, None]}},
        {1: 2},
        {(1, 2): 3},
        {1, 2},
        b"bytes",
        bytearray(b"x"),
        datetime(2026, 1, 1, tzinfo=UTC),
        _deep(70),
    ]
).map(copy.deepcopy) | st.builds(_self_loop)
NEW_KEYS = st.sampled_from(
    ["0x0001", "0xZZ", "5", "responseCode", "errors", "extra", "Devicse", "Message", "id", "clusters", "a b", "", 7]
)


@st.composite
def mutated(draw: st.DrawFn, base: st.SearchStrategy[Any]) -> Any:
    """A payload from ``base`` with one to three edits: values replaced, keys dropped, added or reordered."""
    payload = copy.deepcopy(draw(base))
    for _ in range(draw(st.integers(1, 3))):
        containers: list[Any] = []
        stack: list[Any] = [payload]
        while stack and len(containers) < 300:
            item = stack.pop()
            if isinstance(item, dict | list) and not any(item is seen for seen in containers):
                containers.append(item)
                stack.extend(item.values() if isinstance(item, dict) else item)
        target = draw(st.sampled_from(containers))
        action = draw(st.sampled_from(["replace", "delete", "add", "reorder", "repeat"]))
        if isinstance(target, dict) and target:
            key = draw(st.sampled_from(list(target)))
            if action == "replace":
                target[key] = draw(ODD)
            elif action == "delete":
                del target[key]
            elif action == "reorder":
                items = draw(st.permutations(list(target.items())))
                target.clear()
                target.update(items)
            else:
                target[draw(NEW_KEYS)] = draw(ODD)
        elif isinstance(target, list) and target:
            index = draw(st.integers(0, len(target) - 1))
            if action == "repeat":
                target.extend([target[index]] * draw(st.integers(1, 6)))
            elif action == "delete":
                del target[index]
            else:
                target[index] = draw(ODD)
    return payload
