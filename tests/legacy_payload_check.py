"""The payload check as it was (model walk, botocore ParamValidator, contract): the differential oracle."""

from __future__ import annotations

import difflib
import functools
import json
import math
import re
import unicodedata
import warnings
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

__all__ = [
    "PROBLEM_CODES",
    "PayloadInvalid",
    "PayloadProblem",
    "check_connector_event",
    "check_managed_thing_command",
    "check_operation_input",
    "ensure_valid_connector_event",
]

SERVICE_NAME = "iot-managed-integrations"
_MAX_DOCUMENT_DEPTH = 64
_VALUE_PREVIEW = 40


@dataclass(frozen=True, slots=True)
class PayloadProblem:
    """One rule a payload breaks: where (a dotted path), which rule (a stable code) and why."""

    path: str
    code: str
    message: str

    def __str__(self) -> str:
        return f"{self.path or '<payload>'}: {self.message} [{self.code}]"


class PayloadInvalid(ValueError):  # noqa: N818 -- the public name is fixed by the package API
    """Raised by the ``ensure_valid_*`` functions; ``problems`` holds every problem found."""

    def __init__(self, problems: Iterable[PayloadProblem]) -> None:
        self.problems: tuple[PayloadProblem, ...] = tuple(problems)
        super().__init__("\n".join(str(problem) for problem in self.problems))


PROBLEM_CODES: Mapping[str, str] = {
    "missing-required": "a member the model (or the C2C contract, for this Operation) requires is absent",
    "unknown-member": "a key that is not a member of the model structure",
    "wrong-type": "a value of the wrong JSON/Python type for its shape (bool is not an integer here)",
    "enum": "a string outside the shape's enum",
    "pattern": "a string the shape's pattern does not fully match",
    "pattern-unsupported": "the model pattern cannot be translated to Python: fails closed",
    "too-short": "a string, list or map shorter than the shape's min",
    "too-long": "a string, list or map longer than the shape's max",
    "too-small": "a number below the shape's min",
    "too-large": "a number above the shape's max",
    "not-json": "not JSON: NaN, infinity, a non-string key, a set, too deep; or json.dumps refuses it",
    "hex-id": "a Matter id the C2C contract wants as 0x + hex digits (at most 32 bits)",
    "document": "a document member whose JSON shape the C2C contract fixes (an object) is something else",
    "union": "botocore: a tagged union with zero or several members set",
    "botocore": "botocore's ParamValidator reports something this checker does not classify",
}


# --------------------------------------------------------------------------------------------------------
# The model: loaded lazily, once.


@functools.cache
def _service_model() -> Any:
    import botocore.session

    return botocore.session.get_session().get_service_model(SERVICE_NAME)


def _input_shape(operation: str) -> Any:
    model = _service_model()
    names: list[str] = list(model.operation_names)
    if operation not in names:
        hint = difflib.get_close_matches(operation, names, n=1)
        suggestion = f"; did you mean {hint[0]!r}?" if hint else ""
        raise ValueError(f"{SERVICE_NAME} has no operation {operation!r}{suggestion}")
    return model.operation_model(operation).input_shape


# --------------------------------------------------------------------------------------------------------
# Model patterns (Java/ECMAScript flavoured, unanchored) translated to Python regexes used with fullmatch.

_MINOR_CATEGORIES = {
    "L": "ultmo",
    "M": "nce",
    "N": "dlo",
    "P": "cdseifo",
    "S": "mcko",
    "Z": "slp",
    "C": "cfson",
}
_CATEGORIES = tuple(major + minor for major, minors in _MINOR_CATEGORIES.items() for minor in minors)
# With \p{..} in a pattern, every non-ASCII character of the value is folded to the private-use
# placeholder of its Unicode general category; \p{..} itself becomes ASCII members + placeholders.
_PLACEHOLDERS = {category: chr(0xE000 + index) for index, category in enumerate(_CATEGORIES)}
_PASSED_LETTER_ESCAPES = frozenset("sSdDwWtnrf")
_CATEGORY_ESCAPE = re.compile(r"\{([A-Za-z]{1,2})\}|([A-Za-z])")
_CODEPOINT_ESCAPE = re.compile(r"\{([0-9a-fA-F]{1,6})\}")
_CARET, _DOLLAR = "\x00^", "\x00$"  # markers for anchors at the top level of an alternative


class _UnsupportedPatternError(ValueError):
    pass


@dataclass(frozen=True, slots=True)
class _CompiledPattern:
    regex: re.Pattern[str]
    folds_categories: bool

    def accepts(self, value: str) -> bool:
        if self.folds_categories:
            value = "".join(char if char < "\x80" else _PLACEHOLDERS[unicodedata.category(char)] for char in value)
        return self.regex.fullmatch(value) is not None


def _category_class_body(name: str, negated: bool) -> str:
    chosen = {category for category in _CATEGORIES if category == name or category[0] == name}
    if not chosen:
        raise _UnsupportedPatternError(f"unknown Unicode category {name!r}")
    if negated:
        chosen = set(_CATEGORIES) - chosen
    ascii_members = (f"\\x{code:02x}" for code in range(128) if unicodedata.category(chr(code)) in chosen)
    folded = (f"\\u{ord(_PLACEHOLDERS[category]):04x}" for category in _CATEGORIES if category in chosen)
    return "".join(ascii_members) + "".join(folded)


def _translate_escape(pattern: str, index: int, in_class: bool) -> tuple[str, int, bool]:
    """Translate the escape at ``pattern[index] == '\\'``: (python source, next index, uses categories)."""
    if index + 1 >= len(pattern):
        raise _UnsupportedPatternError("trailing backslash")
    letter = pattern[index + 1]
    if letter in "pP":
        match = _CATEGORY_ESCAPE.match(pattern, index + 2)
        if match is None:
            raise _UnsupportedPatternError("malformed \\p escape")
        body = _category_class_body(match[1] or match[2], negated=letter == "P")
        return (body if in_class else f"[{body}]"), match.end(), True
    if letter == "x" and pattern.startswith("{", index + 2):
        match = _CODEPOINT_ESCAPE.match(pattern, index + 2)
        if match is None:
            raise _UnsupportedPatternError("malformed \\x{...} escape")
        return f"\\U{int(match[1], 16):08x}", match.end(), False
    if letter.isascii() and letter.isalnum() and letter not in _PASSED_LETTER_ESCAPES:
        raise _UnsupportedPatternError(f"escape \\{letter} has no certain Python equivalent")
    return "\\" + letter, index + 2, False


def _translate_pattern(pattern: str) -> tuple[str, bool]:
    """Model pattern -> (Python source for ``re.fullmatch``, whether values need category folding)."""
    alternatives: list[list[str]] = [[]]
    depth, index, in_class, folds = 0, 0, False, False
    while index < len(pattern):
        char = pattern[index]
        token, index = char, index + 1
        if char == "\\":
            token, index, uses_categories = _translate_escape(pattern, index - 1, in_class)
            folds = folds or uses_categories
        elif in_class:
            if char == "[" or pattern.startswith("&&", index - 1):
                raise _UnsupportedPatternError("nested classes and class intersections are Java-only")
            if char == "]":
                in_class = False
            elif char in "&~|":
                token = "\\" + char  # literal in Java; Python warns about future set operations
        elif char == "[":
            in_class = True
            if pattern.startswith("^", index):
                token, index = "[^", index + 1
            if pattern.startswith("]", index):
                raise _UnsupportedPatternError("a leading ']' in a class differs between dialects")
        elif char == "(":
            if pattern.startswith("?<", index) and pattern[index + 2 : index + 3].isalpha():
                raise _UnsupportedPatternError("named groups are spelled differently in Python")
            depth += 1
        elif char == ")":
            depth -= 1
        elif depth == 0 and char == "|":
            alternatives.append([])
            continue
        elif depth == 0 and char in "^$":
            token = _CARET if char == "^" else _DOLLAR
        alternatives[-1].append(token)
    if in_class or depth != 0:
        raise _UnsupportedPatternError("unbalanced brackets")
    if folds and not pattern.isascii():
        raise _UnsupportedPatternError("non-ASCII literals cannot be combined with \\p{...}")
    sources = []
    for tokens in alternatives:
        start = 1 if tokens[:1] == [_CARET] else 0
        end = len(tokens) - 1 if tokens[start:][-1:] == [_DOLLAR] else len(tokens)
        sources.append("".join(token.removeprefix("\x00") for token in tokens[start:end]))
    return "(?:" + "|".join(sources) + ")", folds


@functools.cache
def _compile_pattern(pattern: str) -> _CompiledPattern | None:
    """The model pattern as a full-match checker, or None when it cannot be translated faithfully."""
    try:
        source, folds = _translate_pattern(pattern)
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            # ASCII: Java's \s, \d, \w are ASCII-only; Python's Unicode defaults would accept more.
            return _CompiledPattern(re.compile(source, re.ASCII), folds)
    except (_UnsupportedPatternError, re.error, FutureWarning, DeprecationWarning):
        return None


# --------------------------------------------------------------------------------------------------------
# Paths and problem collection.

_PLAIN_KEY = re.compile(r"[A-Za-z0-9_-]{1,64}")
# Keys inside sensitive members are shown only when they look like Matter ids or names.
_ID_LIKE_KEY = re.compile(r"0[xX][0-9a-fA-F]{1,16}|[0-9]{1,10}|[A-Za-z][A-Za-z0-9]{0,63}")
_HEX_ID = re.compile(r"0x[0-9a-fA-F]+")
_MAX_MATTER_ID = 0xFFFF_FFFF


def _join(path: str, name: str) -> str:
    return f"{path}.{name}" if path else name


def _key_path(path: str, key: object, index: int, sensitive: bool) -> str:
    if isinstance(key, str):
        if (_ID_LIKE_KEY if sensitive else _PLAIN_KEY).fullmatch(key):
            return _join(path, key)
        if not sensitive:
            return f"{path}[{json.dumps(key)}]"
    return _join(path, f"<key {index}>")


def _shown(value: object, sensitive: bool) -> str:
    """The value for a message, or nothing when the model marks it sensitive."""
    if sensitive:
        return ""
    text = repr(value)
    return (text if len(text) <= _VALUE_PREVIEW else text[: _VALUE_PREVIEW - 3] + "...") + " "


def _type_name(value: object) -> str:
    return "null" if value is None else type(value).__name__


class _Problems:
    def __init__(self) -> None:
        self.items: list[PayloadProblem] = []

    def add(self, path: str, code: str, message: str) -> None:
        self.items.append(PayloadProblem(path, code, message))

    def has(self, codes: Iterable[str]) -> bool:
        wanted = set(codes)
        return any(problem.code in wanted for problem in self.items)


# --------------------------------------------------------------------------------------------------------
# The model walk: types, required, unknown members, and every min/max/pattern/enum in shape metadata.


class _ModelWalk:
    def __init__(self, problems: _Problems) -> None:
        self.problems = problems

    def value(self, value: object, shape: Any, path: str, sensitive: bool, subject: str = "value") -> None:
        sensitive = sensitive or bool(shape.metadata.get("sensitive"))
        kind: str = shape.type_name
        if kind == "structure" and shape.metadata.get("document"):
            self.document(value, path, sensitive, depth=0)
        elif kind == "structure":
            self.structure(value, shape, path, sensitive)
        elif kind == "list":
            self.list(value, shape, path, sensitive)
        elif kind == "map":
            self.map(value, shape, path, sensitive)
        elif kind == "string":
            self.string(value, shape, path, sensitive, subject)
        else:
            self.scalar(value, shape, path, sensitive, kind)

    def wrong_type(self, path: str, expected: str, value: object) -> None:
        self.problems.add(path, "wrong-type", f"expected {expected}, got {_type_name(value)}")

    def structure(self, value: object, shape: Any, path: str, sensitive: bool) -> None:
        if not isinstance(value, dict):
            self.wrong_type(path, f"an object ({shape.name})", value)
            return
        members: Mapping[str, Any] = shape.members
        for name in shape.metadata.get("required", ()):
            if name not in value:
                self.problems.add(_join(path, name), "missing-required", f"{shape.name} requires {name}")
        for index, (key, item) in enumerate(value.items()):
            if key in members:
                self.value(item, members[key], _join(path, key), sensitive)
                continue
            hint = difflib.get_close_matches(key, members, n=1) if isinstance(key, str) else []
            guess = f"; did you mean {hint[0]}?" if hint else ""
            self.problems.add(
                _key_path(path, key, index, sensitive),
                "unknown-member",
                f"not a member of {shape.name}{guess}",
            )

    def list(self, value: object, shape: Any, path: str, sensitive: bool) -> None:
        if not isinstance(value, list | tuple):
            self.wrong_type(path, f"a list ({shape.name})", value)
            return
        self.count(len(value), shape, path, "items")
        for index, item in enumerate(value):
            self.value(item, shape.member, f"{path}[{index}]", sensitive)

    def map(self, value: object, shape: Any, path: str, sensitive: bool) -> None:
        if not isinstance(value, dict):
            self.wrong_type(path, f"an object ({shape.name})", value)
            return
        self.count(len(value), shape, path, "entries")
        for index, (key, item) in enumerate(value.items()):
            entry_path = _key_path(path, key, index, sensitive)
            self.value(key, shape.key, entry_path, sensitive, subject="key")
            self.value(item, shape.value, entry_path, sensitive)

    def count(self, size: int, shape: Any, path: str, unit: str) -> None:
        low, high = shape.metadata.get("min"), shape.metadata.get("max")
        if low is not None and size < low:
            self.problems.add(path, "too-short", f"has {size} {unit}; at least {low} required")
        if high is not None and size > high:
            self.problems.add(path, "too-long", f"has {size} {unit}; at most {high} allowed")

    def string(self, value: object, shape: Any, path: str, sensitive: bool, subject: str) -> None:
        if not isinstance(value, str):
            self.wrong_type(path, f"a string {subject} ({shape.name})", value)
            return
        metadata = shape.metadata
        shown = _shown(value, sensitive)
        enum = metadata.get("enum")
        if enum is not None and value not in enum:
            self.problems.add(path, "enum", f"{subject} {shown}is not one of {', '.join(enum)}")
        low, high = metadata.get("min"), metadata.get("max")
        if low is not None and len(value) < low:
            self.problems.add(path, "too-short", f"{subject} has {len(value)} characters; at least {low}")
        if high is not None and len(value) > high:
            self.problems.add(path, "too-long", f"{subject} has {len(value)} characters; at most {high}")
        pattern = metadata.get("pattern")
        if pattern is None:
            return
        compiled = _compile_pattern(pattern)
        if compiled is None:
            self.problems.add(path, "pattern-unsupported", f"model pattern {pattern} cannot be checked")
        elif not compiled.accepts(value):
            self.problems.add(path, "pattern", f"{subject} {shown}does not match pattern {pattern}")

    def scalar(self, value: object, shape: Any, path: str, sensitive: bool, kind: str) -> None:
        if kind in ("integer", "long"):
            valid = isinstance(value, int) and not isinstance(value, bool)
        elif kind in ("double", "float"):
            valid = isinstance(value, int | float | Decimal) and not isinstance(value, bool)
        elif kind == "boolean":
            valid = isinstance(value, bool)
        elif kind == "timestamp":
            valid = _is_timestamp(value)
        elif kind == "blob":
            valid = isinstance(value, bytes | bytearray | str) or hasattr(value, "read")
        else:
            valid = True  # a type this walk does not know: left to botocore's second opinion
        if not valid:
            self.wrong_type(path, f"{kind} ({shape.name})", value)
            return
        if kind not in ("integer", "long", "double", "float"):
            return
        number: Any = value
        low, high = shape.metadata.get("min"), shape.metadata.get("max")
        if low is not None and number < low:
            self.problems.add(path, "too-small", f"{_shown(value, sensitive)}is below the minimum {low}")
        if high is not None and number > high:
            self.problems.add(path, "too-large", f"{_shown(value, sensitive)}is above the maximum {high}")

    def document(
        self, value: object, path: str, sensitive: bool, depth: int, open_: frozenset[int] = frozenset()
    ) -> None:
        """``open_``: the ids of the lists and objects ``value`` is nested in (a cycle is reported, not walked)."""
        if depth > _MAX_DOCUMENT_DEPTH:
            self.problems.add(path, "not-json", f"nested deeper than {_MAX_DOCUMENT_DEPTH} levels")
        elif value is None or isinstance(value, str | bool | int):
            return
        elif isinstance(value, float):
            if not math.isfinite(value):
                self.problems.add(path, "not-json", "NaN and infinities are not JSON numbers")
        elif isinstance(value, list | dict) and id(value) in open_:
            self.problems.add(path, "not-json", f"a {_type_name(value)} nested in itself (a cycle) is not JSON")
        elif isinstance(value, list):
            for index, item in enumerate(value):
                self.document(item, f"{path}[{index}]", sensitive, depth + 1, open_ | {id(value)})
        elif isinstance(value, dict):
            for index, (key, item) in enumerate(value.items()):
                item_path = _key_path(path, key, index, sensitive)
                if not isinstance(key, str):
                    self.problems.add(item_path, "not-json", f"object keys must be strings, not {_type_name(key)}")
                self.document(item, item_path, sensitive, depth + 1, open_ | {id(value)})
        else:
            self.problems.add(
                path,
                "not-json",
                f"{_type_name(value)} is not a JSON value (null, bool, number, string, list, object)",
            )


def _is_timestamp(value: object) -> bool:
    from botocore.utils import parse_to_aware_datetime

    try:
        parse_to_aware_datetime(value)
    except (TypeError, ValueError, AttributeError, OverflowError):
        return False
    return True


# --------------------------------------------------------------------------------------------------------
# Second opinion: botocore's own ParamValidator, reported only where the walk above found nothing alike.

_BOTOCORE_CODES = {
    "missing required field": "missing-required",
    "unknown field": "unknown-member",
    "invalid type": "wrong-type",
    "invalid range": "too-small",
    "invalid length": "too-short",
    "invalid type for document": "not-json",
    "unable to encode to json": "not-json",
    "more than one input": "union",
    "empty input": "union",
}
_BOTOCORE_SEGMENT = re.compile(r"\.([A-Za-z0-9_]+)|\[([0-9]+)\]")


def _botocore_path(name: str, shape: Any) -> tuple[str, bool]:
    """The longest prefix of a botocore error name through structure members and list items; whole?"""
    path, position = "", 0
    while (match := _BOTOCORE_SEGMENT.match(name, position)) is not None:
        if match[1] is not None and shape.type_name == "structure" and match[1] in shape.members:
            path, shape = _join(path, match[1]), shape.members[match[1]]
        elif match[2] is not None and shape.type_name == "list":
            path, shape = f"{path}[{match[2]}]", shape.member
        else:
            break
        position = match.end()
    return path, position == len(name)


def _botocore_problems(params: Mapping[str, Any], shape: Any, known: _Problems) -> None:
    from botocore.validate import ParamValidator

    try:
        report = ParamValidator().validate(params, shape)
    except RecursionError:  # a self-referencing document: the walk reports it as too deep
        if not known.has(("not-json",)):
            known.add("", "not-json", "botocore ParamValidator cannot finish: nesting too deep")
        return
    errors: list[tuple[str, str, dict[str, Any]]] = list(getattr(report, "_errors", ()))
    if report.has_errors() and not errors:  # private layout changed: still never pass silently
        errors = [("unknown", "", {})]
    for reason, name, details in errors:
        code = _BOTOCORE_CODES.get(reason, "botocore")
        # Nested document errors carry a bare key as name, and map entries carry their keys: cut both off.
        prefix, whole = _botocore_path(name if name.startswith(".") else "", shape)
        extra = details.get("required_name") or details.get("unknown_param")
        if whole and isinstance(extra, str) and _PLAIN_KEY.fullmatch(extra):
            prefix = _join(prefix, extra)
        if any(
            problem.path == prefix or (problem.code == code and problem.path.startswith(prefix))
            for problem in known.items
        ):
            continue  # the walk already explains it (botocore reads True as 1, say: wrong-type here)
        known.add(prefix, code, f"botocore ParamValidator reports {reason}")


# --------------------------------------------------------------------------------------------------------
# The C2C contract (docs c2c-contract.md section 4): rules the model cannot express.

_FIELD_KEYS_IN_COMMAND_RESULTS = frozenset({"responseCode", "errors"})
_REQUIRED_BY_OPERATION = {
    "DEVICE_EVENT": ("MatterEndpoint",),
    "DEVICE_COMMAND_RESPONSE": ("MatterEndpoint", "TraceId"),
    "DEVICE_COMMAND_REQUEST": ("TraceId",),
    "DEVICE_DISCOVERY": ("DeviceDiscoveryId", "Devices"),
}


def _check_hex_id(value: object, path: str, subject: str, problems: _Problems) -> None:
    if not isinstance(value, str):
        return  # a wrong type was already reported by the model walk
    if _HEX_ID.fullmatch(value) and int(value, 16) <= _MAX_MATTER_ID:
        return
    decimal = value.isascii() and value.isdigit()  # as the library: `²` is a digit to str.isdigit, not to int()
    hint = f"; decimal {value} is 0x{int(value):04x}" if decimal and int(value) <= _MAX_MATTER_ID else ""
    problems.add(path, "hex-id", f"{subject} must be 0x followed by hex digits, at most 0xFFFFFFFF{hint}")


def _require(container: Mapping[str, Any], member: str, path: str, reason: str, problems: _Problems) -> None:
    if member not in container:
        problems.add(_join(path, member), "missing-required", f"{member} is required by the C2C contract {reason}")


def _dicts(value: object) -> Iterable[tuple[int, dict[str, Any]]]:
    """(index, item) for the object items of a list; anything else was already reported by the model walk."""
    if isinstance(value, list | tuple):
        yield from ((index, item) for index, item in enumerate(value) if isinstance(item, dict))


def _check_id_keyed(value: object, path: str, subject: str, sensitive: bool, problems: _Problems) -> None:
    if not isinstance(value, dict):
        problems.add(path, "document", f"must be an object keyed by hex {subject}s, not {_type_name(value)}")
        return
    for index, key in enumerate(value):
        if subject == "field id" and key in _FIELD_KEYS_IN_COMMAND_RESULTS:
            continue
        _check_hex_id(key, _key_path(path, key, index, sensitive), subject, problems)


def _check_matter_endpoint(endpoint: object, problems: _Problems) -> None:
    if not isinstance(endpoint, dict):
        return
    for member in ("id", "clusters"):
        _require(endpoint, member, "MatterEndpoint", "for a MatterEndpoint", problems)
    for index, cluster in _dicts(endpoint.get("clusters")):
        path = f"MatterEndpoint.clusters[{index}]"
        _require(cluster, "id", path, "for a cluster", problems)
        _check_hex_id(cluster.get("id"), f"{path}.id", "cluster id", problems)
        if "attributes" in cluster:
            _check_id_keyed(cluster["attributes"], f"{path}.attributes", "attribute id", True, problems)
        for member, subject in (("commands", "command id"), ("events", "event id")):
            entries = cluster.get(member)
            if not isinstance(entries, dict):
                continue
            for key_index, (key, fields) in enumerate(entries.items()):
                entry_path = _key_path(f"{path}.{member}", key, key_index, False)
                _check_hex_id(key, entry_path, subject, problems)
                field_subject = "field id" if member == "commands" else "event field id"
                _check_id_keyed(fields, entry_path, field_subject, True, problems)


def _check_capability_reports(devices: object, problems: _Problems) -> None:
    for device_index, device in _dicts(devices):
        report = device.get("CapabilityReport")
        if not isinstance(report, dict):
            continue
        for endpoint_index, endpoint in _dicts(report.get("endpoints")):
            endpoint_path = f"Devices[{device_index}].CapabilityReport.endpoints[{endpoint_index}]"
            _check_hex_list(endpoint.get("clientClusters"), f"{endpoint_path}.clientClusters", "cluster id", problems)
            for cluster_index, cluster in _dicts(endpoint.get("clusters")):
                path = f"{endpoint_path}.clusters[{cluster_index}]"
                _check_hex_id(cluster.get("id"), f"{path}.id", "cluster id", problems)
                for attribute_index, attribute in _dicts(cluster.get("attributes")):
                    attribute_path = f"{path}.attributes[{attribute_index}].id"
                    _check_hex_id(attribute.get("id"), attribute_path, "attribute id", problems)
                _check_hex_list(cluster.get("commands"), f"{path}.commands", "command id", problems)
                _check_hex_list(cluster.get("generatedCommands"), f"{path}.generatedCommands", "command id", problems)
                _check_hex_list(cluster.get("events"), f"{path}.events", "event id", problems)


def _check_hex_list(values: object, path: str, subject: str, problems: _Problems) -> None:
    if isinstance(values, list | tuple):
        for index, value in enumerate(values):
            _check_hex_id(value, f"{path}[{index}]", subject, problems)


def _check_json_serialisable(payload: Mapping[str, Any], problems: _Problems) -> None:
    if problems.has(("wrong-type", "not-json")):
        return  # the cause is already reported, with a path
    try:
        json.dumps(payload, allow_nan=False)
    except (TypeError, ValueError, RecursionError) as error:
        problems.add("", "not-json", f"payload is not JSON-serialisable ({type(error).__name__})")


# --------------------------------------------------------------------------------------------------------
# Public API.


def _check_model(operation: str, params: Mapping[str, Any]) -> _Problems:
    shape = _input_shape(operation)
    problems = _Problems()
    _ModelWalk(problems).value(params, shape, "", sensitive=False)
    _botocore_problems(params, shape, problems)
    return problems


def check_operation_input(operation: str, params: Mapping[str, Any]) -> list[PayloadProblem]:
    """Every model rule ``params`` breaks as input of ``operation`` (any operation of the service)."""
    return _check_model(operation, params).items


def check_connector_event(request: Mapping[str, Any]) -> list[PayloadProblem]:
    """Every model and C2C contract rule a SendConnectorEvent request breaks."""
    problems = _check_model("SendConnectorEvent", request)
    if isinstance(request, dict):
        for member in _REQUIRED_BY_OPERATION.get(str(request.get("Operation")), ()):
            _require(request, member, "", f"for Operation {request['Operation']}", problems)
        _check_matter_endpoint(request.get("MatterEndpoint"), problems)
        _check_capability_reports(request.get("Devices"), problems)
    _check_json_serialisable(request, problems)
    return problems.items


def check_managed_thing_command(request: Mapping[str, Any]) -> list[PayloadProblem]:
    """Every model rule a SendManagedThingCommand request breaks, plus JSON-serialisability."""
    problems = _check_model("SendManagedThingCommand", request)
    if isinstance(request, dict):
        for endpoint_index, endpoint in _dicts(request.get("Endpoints")):
            for capability_index, capability in _dicts(endpoint.get("capabilities")):
                for action_index, action in _dicts(capability.get("actions")):
                    parameters = action.get("parameters")
                    if parameters is not None and not isinstance(parameters, dict):
                        path = (
                            f"Endpoints[{endpoint_index}].capabilities[{capability_index}]"
                            f".actions[{action_index}].parameters"
                        )
                        problems.add(path, "document", f"must be an object, not {_type_name(parameters)}")
    _check_json_serialisable(request, problems)
    return problems.items


def ensure_valid_connector_event(request: Mapping[str, Any]) -> None:
    """Raise PayloadInvalid listing every problem of a SendConnectorEvent request, if it has any."""
    problems = check_connector_event(request)
    if problems:
        raise PayloadInvalid(problems)
