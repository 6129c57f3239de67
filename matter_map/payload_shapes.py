"""Compiles service-model shapes into checkers that find every model rule a payload breaks in one walk."""

from __future__ import annotations

import difflib
import json
import math
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from matter_map.payload_patterns import compile_pattern

__all__ = [
    "MAX_DOCUMENT_DEPTH",
    "MAX_DOCUMENT_VALUES",
    "Check",
    "Findings",
    "Hook",
    "Hooks",
    "ShapeCompiler",
    "join",
    "key_path",
    "shown",
    "type_name",
]

MAX_DOCUMENT_DEPTH = 64
# Values one walk visits inside documents: a list or object shared many times over (a Python payload may hold
# the same one at many places) cannot make the walk, or its problems, grow beyond this.
MAX_DOCUMENT_VALUES = 100_000
_VALUE_PREVIEW = 40
_PLAIN_KEY = re.compile(r"[A-Za-z0-9_-]{1,64}")
# Keys inside sensitive members are shown only when they look like Matter ids or names.
_ID_LIKE_KEY = re.compile(r"0[xX][0-9a-fA-F]{1,16}|[0-9]{1,10}|[A-Za-z][A-Za-z0-9]{0,63}")
_JSON_SCALARS = frozenset({str, int, bool, type(None)})
_ITEMS = "[]"  # in a Hooks tree: the items of a list


# --------------------------------------------------------------------------------------------------------
# Paths and values in messages.


def join(path: str, name: str) -> str:
    return f"{path}.{name}" if path else name


def key_path(path: str, key: object, index: int, sensitive: bool) -> str:
    """The path of a map or document entry; keys that could be secrets or break the path are shown by index."""
    if isinstance(key, str):
        if (_ID_LIKE_KEY if sensitive else _PLAIN_KEY).fullmatch(key):
            return join(path, key)
        if not sensitive:
            return f"{path}[{json.dumps(key)}]"
    return join(path, f"<key {index}>")


def shown(value: object, sensitive: bool) -> str:
    """The value for a message, or nothing when the model marks it sensitive."""
    if sensitive:
        return ""
    text = repr(value)
    return (text if len(text) <= _VALUE_PREVIEW else text[: _VALUE_PREVIEW - 3] + "...") + " "


def type_name(value: object) -> str:
    return "null" if value is None else type(value).__name__


# --------------------------------------------------------------------------------------------------------
# What a walk finds, and the shape of a compiled checker.


class Findings:
    """One walk's results: model problems in walk order, contract problems with their section, and whether a
    value was passed that the walk cannot vouch is JSON (then ``json.dumps`` decides, as a last resort)."""

    __slots__ = ("contract", "document_values_left", "problems", "unvouched")

    def __init__(self) -> None:
        self.problems: list[tuple[str, str, str]] = []
        self.contract: list[tuple[int, str, str, str]] = []
        self.unvouched = False
        self.document_values_left = MAX_DOCUMENT_VALUES


Check = Callable[[object, str, Findings], None]
Hook = Callable[[dict[str, Any], str, Findings], None]


@dataclass(frozen=True, eq=False)
class Hooks:
    """Extra rules at fixed places of an operation's input: ``here`` runs on the object at this place before its
    members are walked; ``inner`` leads to places below, by member name (``"[]"``: a list's items)."""

    here: Hook | None = None
    inner: Mapping[str, Hooks] = field(default_factory=dict)


# --------------------------------------------------------------------------------------------------------
# The compiler.


class ShapeCompiler:
    """Compiles shapes of one model, each (shape, sensitivity, hooks) once; recursive shapes are allowed."""

    def __init__(self, shapes: Mapping[str, Any]) -> None:
        self._shapes = shapes
        self._compiled: dict[tuple[str, bool, str, bool, int], Check] = {}

    def compile(self, name: str, hooks: Hooks | None = None) -> Check:
        """The checker of the shape ``name`` at the root of a payload."""
        return self._shape({"shape": name}, sensitive=False, subject="value", hooks=hooks)

    def _shape(self, reference: Mapping[str, Any], *, sensitive: bool, subject: str, hooks: Hooks | None) -> Check:
        name: str = reference["shape"]
        shape: Mapping[str, Any] = self._shapes[name]
        sensitive = sensitive or bool(shape.get("sensitive"))
        host_label = bool(reference.get("hostLabel")) and "min" not in shape
        key = (name, sensitive, subject, host_label, id(hooks))
        if key in self._compiled:
            return self._compiled[key]
        cell: list[Check] = []

        def deferred(value: object, path: str, found: Findings) -> None:  # a recursive shape meets itself here
            cell[0](value, path, found)

        self._compiled[key] = deferred
        kind: str = shape["type"]
        check: Check
        if kind == "structure" and shape.get("document"):
            check = _document_check(sensitive)
        elif kind == "structure":
            check = self._structure(name, shape, sensitive, hooks)
        elif kind == "list":
            item_hooks = hooks.inner.get(_ITEMS) if hooks else None
            item = self._shape(shape["member"], sensitive=sensitive, subject="value", hooks=item_hooks)
            check = _list_check(name, shape, item, host_label)
        elif kind == "map":
            check = self._map(name, shape, sensitive)
        elif kind == "string":
            check = _string_check(name, shape, sensitive, subject, host_label)
        elif kind in ("integer", "long", "double", "float"):
            check = _number_check(name, shape, sensitive, kind, host_label)
        else:
            check = _other_check(name, kind)
        cell.append(check)
        self._compiled[key] = check
        return check

    def _structure(self, name: str, shape: Mapping[str, Any], sensitive: bool, hooks: Hooks | None) -> Check:
        references: Mapping[str, Mapping[str, Any]] = shape.get("members", {})
        members = {
            member: (
                "." + member,
                self._shape(
                    reference,
                    sensitive=sensitive,
                    subject="value",
                    hooks=hooks.inner.get(member) if hooks else None,
                ),
            )
            for member, reference in references.items()
        }
        names = list(members)
        required = tuple(shape.get("required", ()))
        here = hooks.here if hooks else None
        union = bool(shape.get("union"))
        expected = f"expected an object ({name}), got "

        def check(value: object, path: str, found: Findings) -> None:
            if not isinstance(value, dict):
                found.problems.append((path, "wrong-type", expected + type_name(value)))
                return
            if here is not None:
                here(value, path, found)
            for member in required:
                if member not in value:
                    found.problems.append((join(path, member), "missing-required", f"{name} requires {member}"))
            for index, (key, item) in enumerate(value.items()):
                entry = members.get(key)
                if entry is not None:
                    entry[1](item, path + entry[0] if path else entry[0][1:], found)
                    continue
                found.unvouched = True  # not walked: json.dumps decides whether it is JSON
                hint = difflib.get_close_matches(key, names, n=1) if isinstance(key, str) else []
                guess = f"; did you mean {hint[0]}?" if hint else ""
                found.problems.append(
                    (key_path(path, key, index, sensitive), "unknown-member", f"not a member of {name}{guess}")
                )
            if union and len(value) != 1:
                found.problems.append(
                    (path, "union", f"{name} is a union: set exactly one of {', '.join(names)}, not {len(value)}")
                )

        return check

    def _map(self, name: str, shape: Mapping[str, Any], sensitive: bool) -> Check:
        key_check = self._shape(shape["key"], sensitive=sensitive, subject="key", hooks=None)
        value_check = self._shape(shape["value"], sensitive=sensitive, subject="value", hooks=None)
        keys_are_strings = self._shapes[shape["key"]["shape"]]["type"] == "string"
        count = _counter(shape, "entries", host_label=False)
        expected = f"expected an object ({name}), got "

        def check(value: object, path: str, found: Findings) -> None:
            if not isinstance(value, dict):
                found.problems.append((path, "wrong-type", expected + type_name(value)))
                return
            count(len(value), path, found)
            if not keys_are_strings:
                found.unvouched = True
            for index, (key, item) in enumerate(value.items()):
                entry_path = key_path(path, key, index, sensitive)
                key_check(key, entry_path, found)
                value_check(item, entry_path, found)

        return check


# --------------------------------------------------------------------------------------------------------
# Checkers of each kind of shape.


def _counter(shape: Mapping[str, Any], unit: str, *, host_label: bool) -> Callable[[int, str, Findings], None]:
    low: int | None = 1 if host_label else shape.get("min")
    high: int | None = shape.get("max")

    def count(size: int, path: str, found: Findings) -> None:
        if low is not None and size < low:
            found.problems.append((path, "too-short", f"has {size} {unit}; at least {low} required"))
        if high is not None and size > high:
            found.problems.append((path, "too-long", f"has {size} {unit}; at most {high} allowed"))

    return count


def _list_check(name: str, shape: Mapping[str, Any], item: Check, host_label: bool) -> Check:
    count = _counter(shape, "items", host_label=host_label)
    expected = f"expected a list ({name}), got "

    def check(value: object, path: str, found: Findings) -> None:
        if not isinstance(value, list | tuple):
            found.problems.append((path, "wrong-type", expected + type_name(value)))
            return
        count(len(value), path, found)
        for index, each in enumerate(value):
            item(each, f"{path}[{index}]", found)

    return check


def _string_check(name: str, shape: Mapping[str, Any], sensitive: bool, subject: str, host_label: bool) -> Check:
    enum_list: list[str] | None = shape.get("enum")
    enum = frozenset(enum_list) if enum_list is not None else None
    enum_text = ", ".join(enum_list or ())
    low: int | None = 1 if host_label else shape.get("min")
    high: int | None = shape.get("max")
    pattern: str | None = shape.get("pattern")
    compiled = compile_pattern(pattern) if pattern is not None else None
    unsupported = pattern is not None and compiled is None
    accepts = None if compiled is None else compiled.regex.fullmatch if not compiled.folds_categories else None
    folding = compiled if compiled is not None and compiled.folds_categories else None
    expected = f"expected a string {subject} ({name}), got "

    def check(value: object, path: str, found: Findings) -> None:
        if not isinstance(value, str):
            found.problems.append((path, "wrong-type", expected + type_name(value)))
            return
        if enum is not None and value not in enum:
            found.problems.append((path, "enum", f"{subject} {shown(value, sensitive)}is not one of {enum_text}"))
        size = len(value)
        if low is not None and size < low:
            found.problems.append((path, "too-short", f"{subject} has {size} characters; at least {low}"))
        if high is not None and size > high:
            found.problems.append((path, "too-long", f"{subject} has {size} characters; at most {high}"))
        if accepts is not None:
            if accepts(value) is None:
                found.problems.append(
                    (path, "pattern", f"{subject} {shown(value, sensitive)}does not match pattern {pattern}")
                )
        elif folding is not None:
            if not folding.accepts(value):
                found.problems.append(
                    (path, "pattern", f"{subject} {shown(value, sensitive)}does not match pattern {pattern}")
                )
        elif unsupported:
            found.problems.append((path, "pattern-unsupported", f"model pattern {pattern} cannot be checked"))

    return check


def _number_check(name: str, shape: Mapping[str, Any], sensitive: bool, kind: str, host_label: bool) -> Check:
    integral = kind in ("integer", "long")
    types: tuple[type, ...] = (int,) if integral else (int, float, Decimal)
    low: float | None = 1 if host_label and "min" not in shape else shape.get("min")
    high: float | None = shape.get("max")
    expected = f"expected {kind} ({name}), got "

    def check(value: object, path: str, found: Findings) -> None:
        if not isinstance(value, types) or isinstance(value, bool):
            found.problems.append((path, "wrong-type", expected + type_name(value)))
            return
        number: Any = value
        if not integral and not (isinstance(number, int) or (isinstance(number, float) and math.isfinite(number))):
            found.unvouched = True  # Decimal, NaN, infinities: json.dumps decides
        if low is not None and number < low:
            found.problems.append((path, "too-small", f"{shown(value, sensitive)}is below the minimum {low}"))
        if high is not None and number > high:
            found.problems.append((path, "too-large", f"{shown(value, sensitive)}is above the maximum {high}"))

    return check


def _other_check(name: str, kind: str) -> Check:
    """Booleans, timestamps, blobs and kinds this checker does not know (accepted, left to json.dumps)."""
    valid: Callable[[object], bool]
    if kind == "boolean":
        valid = _is_bool
    elif kind == "timestamp":
        valid = _is_timestamp
    elif kind == "blob":
        valid = _is_blob
    else:
        valid = _anything
    vouches = kind == "boolean"
    expected = f"expected {kind} ({name}), got "

    def check(value: object, path: str, found: Findings) -> None:
        if not valid(value):
            found.problems.append((path, "wrong-type", expected + type_name(value)))
        elif not vouches:
            found.unvouched = True

    return check


def _is_bool(value: object) -> bool:
    return isinstance(value, bool)


def _is_blob(value: object) -> bool:
    return isinstance(value, bytes | bytearray | str) or hasattr(value, "read")


def _anything(value: object) -> bool:
    return True


def _is_timestamp(value: object) -> bool:
    """What botocore's client accepts as a timestamp (its parser, imported only when a timestamp is checked)."""
    from botocore.utils import parse_to_aware_datetime

    try:
        parse_to_aware_datetime(value)
    except (TypeError, ValueError, AttributeError, OverflowError):
        return False
    return True


# --------------------------------------------------------------------------------------------------------
# Documents: any JSON value, within a depth.


def _document_check(sensitive: bool) -> Check:
    def check(value: object, path: str, found: Findings) -> None:
        _DocumentWalk(sensitive, found).value(value, path, 0)

    return check


class _DocumentWalk:
    """One document's walk: ``open`` holds the ids of the lists and objects the current value is nested in."""

    __slots__ = ("found", "open", "sensitive")

    def __init__(self, sensitive: bool, found: Findings) -> None:
        self.sensitive = sensitive
        self.found = found
        self.open: set[int] = set()

    def value(self, value: object, path: str, depth: int) -> None:
        found = self.found
        if depth > MAX_DOCUMENT_DEPTH:
            found.problems.append((path, "not-json", f"nested deeper than {MAX_DOCUMENT_DEPTH} levels"))
        elif value is None or isinstance(value, str | bool | int):
            return
        elif isinstance(value, float):
            if not math.isfinite(value):
                found.problems.append((path, "not-json", "NaN and infinities are not JSON numbers"))
        elif isinstance(value, list | dict):
            self.container(value, path, depth)
        else:
            found.problems.append(
                (path, "not-json", f"{type_name(value)} is not a JSON value (null, bool, number, string, list, object)")
            )

    def container(self, value: list[Any] | dict[Any, Any], path: str, depth: int) -> None:
        found = self.found
        if id(value) in self.open:
            found.problems.append((path, "not-json", f"a {type_name(value)} nested in itself (a cycle) is not JSON"))
            return
        if found.document_values_left < 0:
            return  # over the budget, already reported
        found.document_values_left -= 1 + len(value)
        if found.document_values_left < 0:
            found.problems.append((path, "too-long", f"documents hold more than {MAX_DOCUMENT_VALUES} values"))
            return
        self.open.add(id(value))
        if isinstance(value, list):
            self.items(value, path, depth)
        else:
            self.entries(value, path, depth)
        self.open.discard(id(value))

    def items(self, value: list[Any], path: str, depth: int) -> None:
        for index, item in enumerate(value):
            if depth < MAX_DOCUMENT_DEPTH and type(item) in _JSON_SCALARS:
                continue
            self.value(item, f"{path}[{index}]", depth + 1)

    def entries(self, value: dict[Any, Any], path: str, depth: int) -> None:
        for index, (key, item) in enumerate(value.items()):
            if depth < MAX_DOCUMENT_DEPTH and type(key) is str:
                kind = type(item)
                if kind in _JSON_SCALARS or (kind is float and math.isfinite(item)):
                    continue  # the common leaf, decided without a path
            item_path = key_path(path, key, index, self.sensitive)
            if not isinstance(key, str):
                self.found.problems.append(
                    (item_path, "not-json", f"object keys must be strings, not {type_name(key)}")
                )
            self.value(item, item_path, depth + 1)
