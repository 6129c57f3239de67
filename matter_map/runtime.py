"""The translation runtime: standard library only, shared by the interpreter and every generated module."""

# This file is copied verbatim next to generated modules (`_runtime.py`) and inlined by `generate --standalone`,
# so it imports nothing from matter_map and nothing outside the standard library.

from __future__ import annotations

import math

TYPE_CHECKING = False
if TYPE_CHECKING:  # annotations only: importing typing and dataclasses would slow every cold start
    from collections.abc import Callable, Iterable, Mapping, Sequence
    from typing import Any, Final, Self

    #: where a binding was declared: (vendor path, rule such as `LevelControl.CurrentLevel`, mapping file:line:col)
    Where = tuple[str, str, str]
    #: a Matter value type as the runtime checks it: (kind, nullable, minimum, maximum, enum members, allowed
    #: values); kind is bool | int | float | string | bytes | list | object
    ValueType = Sequence[Any]
    #: `$state:<path>` in a request body: the vendor value at that path (this command's own writes first)
    StateLookup = Callable[[str], Any]
    #: what a write, toggle or step command produces: (attribute, Matter value) pairs
    Changes = list[tuple["AttributeBinding", Any]]

DEFAULT_CONNECTOR_ID = "matter-map"
MAX_CLUSTERS_PER_EVENT = 5
MAX_SHOWN_VALUE = 60
MAX_CONNECTOR_DEVICE_ID = 256
GENERIC_ACTIONS = ("UpdateState", "ReadState")
INF = math.inf
#: what indexing a vendor document raises when a step of an inlined path does not exist
NOT_FOUND = (KeyError, TypeError)
#: the characters a ConnectorDeviceId keeps as they are; every other one is escaped (`encode_device_id`)
ID_CHARS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.,-"
_HEX_UPPER = "0123456789ABCDEF"
#: fractional parts within this window of .5 are snapped to 1e-9 before rounding half to even (`round_by`);
#: outside it the snap (at most 5e-10) cannot cross the tie, so `round(x)` gives the same integer
NEAR_HALF = (0.4999, 0.5001)
_URL_SAFE = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_.-~"
MAX_DEPTH = 64  # nested objects and lists; vendor payloads nest a handful of levels
MAX_NODES = 100_000  # values in one payload (objects, lists and scalars)
MAX_TEXT = 65_536  # characters of one string or object key
MAX_MAGNITUDE = 2**64  # integers beyond a 64-bit Matter integer are refused (and every non-finite float)
MAX_DEVICE_ID = 1024  # characters of a vendor device id
_SHOWN_PATH = 80
_PLAIN_SEGMENT = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_~"
_DECODED = {"2e": ".", "2f": "/", "5c": "\\", "25": "%"}


class _Missing:
    """The value at a vendor path that does not exist (distinct from JSON null); one instance."""

    _instance: _Missing | None = None
    __slots__ = ()

    def __new__(cls) -> _Missing:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "MISSING"

    def __bool__(self) -> bool:
        return False


MISSING: Final = _Missing()


# --- problems ----------------------------------------------------------------------------------------------

#: the codes a translation raises here or in generated modules, each declared once: code -> (layers it arises
#: in, what it means, what to do). `matter_map.problems` declares the codes of the other layers (mapping
#: files, payload checks, the connector) and registers them beside these; docs/problems.md lists them all.
PROBLEM_CODES: dict[str, tuple[tuple[str, ...], str, str]] = {
    "bad-command": (
        ("translation",),
        "the Matter command is malformed, or a field of it is missing or of the wrong kind",
        "fix the command at the path shown (the shape is in SendManagedThingCommand and AWS.SendCommand)",
    ),
    "bad-device-id": (
        ("translation", "connector"),
        "a device id is not text, is empty or too long, or would move a vendor request to another URL path",
        "send the device id exactly as the vendor cloud gave it",
    ),
    "bad-input": (
        ("translation",),
        "the input is beyond the bounds of a JSON document (nesting depth, size, integer width, text)",
        "send plain JSON within the limits: 64 levels, 100,000 values, 64-bit integers, valid Unicode",
    ),
    "bad-vendor-value": (
        ("translation",),
        "a transform of the mapping cannot map the value the vendor sent (wrong kind, unknown enum value)",
        "check the value at the vendor path; if the vendor really sends it, extend the transform in the mapping",
    ),
    "implausible-vendor-value": (
        ("translation",),
        "a numeric vendor value lies outside the binding's declared vendor range (it is reported, never clamped)",
        "check the device; if the vendor really sends such values, widen the binding's `range:` in the mapping",
    ),
    "missing-device-id": (
        ("translation",),
        "the payload does not hold the device id where the mapping's `device.id` reads it",
        "pass the device id (`--device-id`, `device_id=`), or send a payload that holds it",
    ),
    "missing-vendor-value": (
        ("translation",),
        "a vendor path a binding reads is absent or null",
        "send the device's full state, or translate an event update as partial (`--partial`)",
    ),
    "needs-state": (
        ("translation",),
        "the command depends on the device's current state (Toggle, a step, a per-device range)",
        "pass the vendor state along with the command (`--state`, `state=`)",
    ),
    "nothing-to-report": (
        ("translation",),
        "no binding of the mapping found a value in the payload",
        "check that the payload is a state or event of the device kind the mapping is for",
    ),
    "out-of-range": (
        ("translation", "mapping"),
        "a value is outside the range its Matter type, the device or the mapping's declaration allows",
        "send a value within the range shown; in a mapping file, keep the number within its bounds",
    ),
    "unsupported": (
        ("translation", "mapping"),
        "something was asked that the mapping declares no way to do",
        "bind the command or attribute in the mapping, or do not send it to this device kind",
    ),
}
#: every code a Problem may carry: the runtime's own, and those `register_problem_codes` adds
_KNOWN_CODES: dict[str, object] = {**PROBLEM_CODES}
_NO_STEPS: tuple[str | int, ...] = ()


class UnknownProblemCodeError(LookupError):
    """A problem was made with a code that no table declares (a bug of the code that made it)."""


def register_problem_codes(codes: Iterable[str]) -> None:
    """Make codes declared outside the runtime (mapping files, payload checks, the connector) known."""
    for code in codes:
        _KNOWN_CODES[code] = ()


def _rebuilt(cls: type[tuple[Any, ...]], fields: tuple[Any, ...]) -> Any:
    """A Location or Problem from its fields, as copy and pickle rebuild one (its code was checked when made)."""
    return tuple.__new__(cls, fields)


class Location(tuple[str, str, str, int, int, "tuple[str | int, ...]"]):
    """Where a problem is, as data: `kind` names the document (mapping | vendor | command | payload | request),
    `path` the place in it (`endpoints[0].clusters.OnOff`, `state.bri`), and for a file its line and column.
    Frozen (a tuple); `steps`, the path as steps when the reporter knows them, is not compared."""

    __slots__ = ()

    def __new__(  # noqa: PLR0917 - the fields of a frozen record
        cls, kind: str, path: str = "", file: str = "", line: int = 0, column: int = 0, steps: Any = _NO_STEPS
    ) -> Self:
        return tuple.__new__(cls, (kind, path, file, line, column, steps if type(steps) is tuple else tuple(steps)))

    @property
    def kind(self) -> str:
        return self[0]

    @property
    def path(self) -> str:
        return self[1]

    @property
    def file(self) -> str:
        return self[2]

    @property
    def line(self) -> int:
        return self[3]

    @property
    def column(self) -> int:
        return self[4]

    @property
    def steps(self) -> tuple[str | int, ...]:
        return self[5]

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Location) and self[:5] == other[:5]

    def __ne__(self, other: object) -> bool:
        return not self == other

    def __hash__(self) -> int:
        return hash(self[:5])

    def __reduce__(self) -> tuple[Any, ...]:
        return (_rebuilt, (type(self), tuple(self)))

    def __repr__(self) -> str:
        return f"Location({', '.join(repr(f) for f in self[:5])})"

    def __str__(self) -> str:
        """`file:line:col` for a place in a file, else the path."""
        return f"{self[2]}:{self[3]}:{self[4]}" if self[2] and self[3] else self[1]


class Problem(tuple[str, str, "Location | None", str, str, str, str]):
    """One problem, the one type every layer reports: a registered code, a message, where it is (a Location),
    the rule it broke (`LevelControl.CurrentLevel`, and `source`: the mapping file:line:col declaring it), a
    hint, and its severity (error | warning). Frozen (a tuple, made fast on error paths); equal when every
    field is and the other is a Problem too."""

    __slots__ = ()

    def __new__(  # noqa: PLR0917 - the fields of a frozen record
        cls,
        code: str,
        message: str,
        location: Location | None = None,
        rule: str = "",
        source: str = "",
        hint: str = "",
        severity: str = "error",
    ) -> Self:
        if code not in _KNOWN_CODES:
            raise UnknownProblemCodeError(f"problem code {code!r} is not registered (see matter_map/problems.py)")
        return tuple.__new__(cls, (code, message, location, rule, source, hint, severity))

    @property
    def code(self) -> str:
        return self[0]

    @property
    def message(self) -> str:
        return self[1]

    @property
    def location(self) -> Location | None:
        return self[2]

    @property
    def rule(self) -> str:
        """The mapping rule the problem broke (`LevelControl.CurrentLevel`), or empty."""
        return self[3]

    @property
    def source(self) -> str:
        """Where the rule is declared (mapping file:line:col), or empty."""
        return self[4]

    @property
    def hint(self) -> str:
        return self[5]

    @property
    def severity(self) -> str:
        """error | warning."""
        return self[6]

    @property
    def path(self) -> str:
        """The location's path (a document, vendor, command or payload path), or empty."""
        location = self[2]
        return location[1] if location is not None else ""

    @property
    def vendor_path(self) -> str:
        """The path in the translated input (what `TranslationProblem` has always called it)."""
        return self.path

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Problem) and tuple.__eq__(self, other)

    def __ne__(self, other: object) -> bool:
        return not self == other

    def __hash__(self) -> int:
        return tuple.__hash__(self)

    def __reduce__(self) -> tuple[Any, ...]:
        return (_rebuilt, (type(self), tuple(self)))

    def __repr__(self) -> str:
        return f"{type(self).__name__}({', '.join(repr(f) for f in self)})"

    def __str__(self) -> str:
        rule, source = self[3], self[4]
        where = f" ({source}, {rule})" if source else (f" ({rule})" if rule else "")
        return f"{self[0]}: {self[1]}{where}"

    def as_json(self) -> dict[str, object]:
        """The problem as JSON, the same keys for every layer (null where a layer has no such thing)."""
        location = self.location
        at = location if location is not None and location.file else None
        return {
            "code": self.code,
            "severity": str(self.severity),
            "message": self.message,
            "file": at.file if at else None,
            "line": at.line if at else None,
            "column": at.column if at else None,
            "path": self.path,
            "path_in": location.kind if location is not None else None,
            "rule": self.rule,
            "source": self.source,
            "hint": self.hint,
        }


class TranslationProblem(Problem):
    """A problem of a translation, made as the runtime and generated modules always have: the path in the
    translated input (vendor JSON, or `where` the Matter command), the mapping rule and its source."""

    __slots__ = ()

    def __new__(  # noqa: PLR0917 - the fields translations give, by position as generated code does
        cls, code: str, message: str, vendor_path: str = "", rule: str = "", source: str = "", where: str = "vendor"
    ) -> Self:
        if code not in _KNOWN_CODES:
            raise UnknownProblemCodeError(f"problem code {code!r} is not registered (see matter_map/problems.py)")
        location = tuple.__new__(Location, (where, vendor_path, "", 0, 0, _NO_STEPS)) if vendor_path else None
        return tuple.__new__(cls, (code, message, location, rule, source, "", "error"))


class TranslationError(ValueError):
    """Nothing was emitted: every problem found in the input is listed."""

    def __init__(self, problems: Iterable[TranslationProblem]) -> None:
        self.problems = tuple(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


class TransformError(ValueError):
    """A value a transform cannot map (wrong type, unknown enum value, missing device range)."""


def shown(value: object) -> str:
    """A short, safe rendering of an input value for an error message."""
    text = repr(value)
    return text if len(text) <= MAX_SHOWN_VALUE else text[: MAX_SHOWN_VALUE - 3] + "..."


def binding_problem(where: Where, code: str, message: str) -> TranslationProblem:
    """A problem of one binding."""
    return TranslationProblem(code, message, where[0], where[1], where[2])


def binding_error(where: Where, code: str, message: str) -> TranslationError:
    return TranslationError([binding_problem(where, code, message)])


def missing_value(where: Where, raw: Any) -> TranslationProblem:
    what = "missing" if raw is MISSING else "null"
    return binding_problem(where, "missing-vendor-value", f"vendor path `{where[0]}` is {what}")


def absent_value(where: Where, raw: Any, partial: bool) -> Any:
    """What a required binding whose vendor value is absent gives: MISSING in a partial report, else its problem."""
    if partial:
        return MISSING
    raise TranslationError([missing_value(where, raw)])


def bad_value(where: Where, raw: Any, exc: Exception) -> TranslationProblem:
    return binding_problem(where, "bad-vendor-value", f"vendor value {shown(raw)} at `{where[0]}`: {exc}")


def out_of_range(where: Where, raw: Any, problem: str) -> TranslationProblem:
    return binding_problem(where, "out-of-range", f"vendor value {shown(raw)} at `{where[0]}` gives {problem}")


def implausible_value(where: Where, raw: Any, why: str) -> TranslationProblem:
    return binding_problem(where, "implausible-vendor-value", f"vendor value {shown(raw)} at `{where[0]}` {why}")


def unsupported(message: str) -> TranslationError:
    return TranslationError([TranslationProblem("unsupported", message)])


# --- input bounds: depth, size, numbers, ids as text, URL path segments ------------------------------------


def input_problem(value: Any) -> tuple[str, str] | None:
    """Where (a vendor path) and why `value` is outside the bounds of a JSON input, or None.

    The walk is iterative, so a value nested a million levels deep is refused without recursion. A first walk
    only decides (no paths kept); the value's path is found by a second walk when there is a problem."""
    return None if within_bounds(value) else located_input_problem(value)


def located_input_problem(value: Any) -> tuple[str, str] | None:
    """`input_problem` by one walk that keeps every value's path (slower; run when there is a problem)."""
    stack: list[tuple[Any, int, Any]] = [(value, 0, None)]  # (value, depth, (parent's path, key) or None)
    nodes = 1
    while stack:
        item, depth, path = stack.pop()
        kind = type(item)
        if kind is str:
            if len(item) > MAX_TEXT:
                return _where(path), f"a string longer than {MAX_TEXT} characters"
            if not item.isascii() and not is_text(item):
                return _where(path), "a string that is not valid Unicode (a lone surrogate)"
        elif kind is int:
            if not -MAX_MAGNITUDE <= item <= MAX_MAGNITUDE:
                return _where(path), "an integer beyond 64 bits"
        elif kind is float:
            if not math.isfinite(item):
                return _where(path), f"a non-finite number ({item!r})"
        elif kind is dict or kind is list:
            if depth >= MAX_DEPTH:
                return _where(path), f"a value nested deeper than {MAX_DEPTH} levels"
            nodes += len(item)
            if nodes > MAX_NODES:
                return _where(path), f"more than {MAX_NODES} values"
            if kind is dict:
                for key, child in item.items():
                    if type(key) is not str:
                        return _where(path), f"an object key that is not a string ({type(key).__name__})"
                    if len(key) > MAX_TEXT:
                        return _where(path), f"an object key longer than {MAX_TEXT} characters"
                    if not key.isascii() and not is_text(key):
                        return _where(path), "an object key that is not valid Unicode (a lone surrogate)"
                    stack.append((child, depth + 1, (path, key)))
            else:
                stack.extend((child, depth + 1, (path, i)) for i, child in enumerate(item))
        elif item is not None and kind is not bool:
            return _where(path), f"not a JSON value ({kind.__name__})"
    return None


def within_bounds(value: Any) -> bool:
    """Whether `value` is a JSON value within the bounds (what `input_problem` checks, without the paths)."""
    kind = type(value)
    if kind is not dict and kind is not list:
        return within_bounds([value])  # a scalar: the walk below starts at a container
    max_text, max_magnitude, max_depth, inf = MAX_TEXT, MAX_MAGNITUDE, MAX_DEPTH, INF  # locals: a hot loop
    stack: list[tuple[Any, int]] = [(value, 0)]
    push = stack.append
    nodes = 1
    while stack:
        item, depth = stack.pop()
        if depth >= max_depth:
            return False
        nodes += len(item)
        if nodes > MAX_NODES:
            return False
        if type(item) is dict:
            for key in item:
                if type(key) is not str or len(key) > max_text or not (key.isascii() or is_text(key)):
                    return False
            children = item.values()
        else:
            children = item
        for child in children:
            kind = type(child)
            if kind is str:
                if len(child) > max_text or not (child.isascii() or is_text(child)):
                    return False
            elif kind is dict or kind is list:
                push((child, depth + 1))
            elif kind is int:
                if not -max_magnitude <= child <= max_magnitude:
                    return False
            elif kind is float:
                if not -inf < child < inf:
                    return False
            elif child is not None and kind is not bool:
                return False
    return True


def _where(path: Any) -> str:
    """`a.b[0]` from the linked (parent, key) pairs of the walk; long paths are cut."""
    parts: list[str | int] = []
    while path is not None:
        path, key = path
        parts.append(key)
    text = ""
    for part in reversed(parts):
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else part)
        if len(text) > _SHOWN_PATH:
            return text[:_SHOWN_PATH] + "..."
    return text


def is_text(text: str) -> bool:
    """Whether `text` encodes as UTF-8 (it holds no lone surrogate)."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def bad_input(value: Any, what: str) -> TranslationProblem | None:
    """The `bad-input` problem of `value` (a vendor state, a command) when it is outside the bounds, or None."""
    problem = input_problem(value)
    if problem is None:
        return None
    where, why = problem
    at = f" at `{where}`" if where else ""
    return TranslationProblem("bad-input", f"{what} holds {why}{at}", vendor_path=where)


def check_input(value: Any, what: str) -> None:
    """Raise a `bad-input` TranslationError when `value` (a vendor state, a command) is outside the bounds."""
    if within_bounds(value):
        return  # the common case: one walk, no paths kept
    problem = bad_input(value, what)
    if problem is not None:
        raise TranslationError([problem])


def device_id_problem(device_id: Any) -> str | None:
    """Why `device_id` cannot be a vendor device id (it must be non-empty UTF-8 text of bounded length), or None."""
    if type(device_id) is not str:
        return f"a device id must be text, not {type(device_id).__name__}"
    if not device_id:
        return "a device id must not be empty"
    if len(device_id) > MAX_DEVICE_ID:
        return f"a device id must not be longer than {MAX_DEVICE_ID} characters"
    if device_id.isascii():
        return None  # the common case: no surrogate possible
    try:
        device_id.encode("utf-8")
    except UnicodeEncodeError:
        return "a device id must be valid Unicode text (it holds a lone surrogate)"
    return None


def checked_device_id(device_id: Any, vendor_path: str) -> str:
    """The device id when it can be one; `bad-device-id` otherwise."""
    problem = device_id_problem(device_id)
    if problem is not None:
        raise TranslationError([TranslationProblem("bad-device-id", problem, vendor_path=vendor_path)])
    return str(device_id)


def segment_problem(text: str) -> str | None:
    """Why `text`, placed in a URL path, could move the request once a server normalises the path, or None.

    Compatibility forms are folded (NFKC: fullwidth `．`, `／`), `%2E`/`%2F`/`%5C` decoded (also when encoded
    twice) and `\\` read as `/`; no `/`-separated part of the result may then be empty, `.` or `..`. A `/`
    itself is allowed: `{device_id}` sends it as `%2F`, `{device_path}` as a separator, under the prefix."""
    if text and not text.strip(_PLAIN_SEGMENT):
        return None  # letters, digits, `-`, `_`, `~` only: nothing to fold or decode (the common case)
    import re  # only URLs with a slot pay for the imports
    import unicodedata

    folded = unicodedata.normalize("NFKC", text)
    for _ in range(8):
        decoded = re.sub(r"%(?:2[eEfF]|5[cC]|25)", lambda m: _DECODED[m.group(0)[1:].lower()], folded)
        if decoded == folded:
            break
        folded = decoded
    for part in folded.replace("\\", "/").split("/"):
        if part in ("", ".", ".."):
            what = "an empty" if not part else f"a `{part}`"
            return f"{shown(text)} would make {what} path segment once normalised"
    return None


def check_segment(template: str, slot: str, value: str) -> None:
    """Refuse a value for a slot of a URL template's path that could move the request elsewhere."""
    if slot not in template.partition("?")[0]:
        return
    problem = segment_problem(value)
    if problem is not None:
        code = "bad-device-id" if slot in ("{device_id}", "{device_path}") else "bad-command"
        raise TranslationError([TranslationProblem(code, f"{slot} in the URL: {problem}")])


# --- Matter values -----------------------------------------------------------------------------------------


def kind_name(value: Any) -> str:
    names = {bool: "a bool", int: "an integer", float: "a number", str: "a string", list: "a list", dict: "an object"}
    return names.get(type(value), type(value).__name__)


def fmt_number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:g}"


def check_value(value: Any, mtype: ValueType) -> str | None:
    """Why `value` is not a valid Matter value of `mtype`, or None."""
    kind, nullable, minimum, maximum, enum, values = mtype
    if (  # the common case, decided at once
        type(value) is int
        and kind == "int"
        and not values
        and not enum
        and (minimum is None or value >= minimum)
        and (maximum is None or value <= maximum)
    ):
        return None
    if value is None:
        return None if nullable else "null is not allowed (the attribute is not nullable)"
    if values and not any(isinstance(value, bool) is isinstance(v, bool) and value == v for v in values):
        return f"{value!r} is not one of the declared values ({', '.join(repr(v) for v in values)})"
    if kind == "bool":
        return None if isinstance(value, bool) else f"expected true or false, got {kind_name(value)}"
    if kind in ("int", "float"):
        if isinstance(value, bool) or not isinstance(value, int | float):
            return f"expected a number, got {kind_name(value)}"
        if kind == "int" and isinstance(value, float) and not value.is_integer():
            return f"expected an integer, got {value!r}"
        if isinstance(value, float) and not math.isfinite(value):
            return "expected a finite number"
        if minimum is not None and value < minimum:
            return f"{fmt_number(value)} is below the minimum {fmt_number(minimum)}"
        if maximum is not None and value > maximum:
            return f"{fmt_number(value)} is above the maximum {fmt_number(maximum)}"
        if enum and kind == "int" and value not in {v for _, v in enum}:
            members = ", ".join(f"{n}={v}" for n, v in enum)
            return f"{fmt_number(value)} is not a member of the enum ({members})"
        return None
    if kind in ("string", "bytes"):  # an octet string travels as text (hex or base64)
        return None if isinstance(value, str) else f"expected a string, got {kind_name(value)}"
    if kind == "list":
        return None if isinstance(value, list) else f"expected a list, got {kind_name(value)}"
    if kind == "object":
        return None if isinstance(value, dict) else f"expected an object, got {kind_name(value)}"
    return None


# --- vendor paths ------------------------------------------------------------------------------------------


class Select(tuple[str, str]):
    """A path segment: the first list element whose `key` equals `value` (`capabilities[instance=power]`)."""

    __slots__ = ()

    def __new__(cls, key: str, value: str) -> Select:
        return super().__new__(cls, (key, value))

    @property
    def key(self) -> str:
        return self[0]

    @property
    def value(self) -> str:
        return self[1]

    def __repr__(self) -> str:
        return f"Select(key={self[0]!r}, value={self[1]!r})"


def get_path(document: Any, segments: Sequence[Any]) -> Any:
    """The value at a path (keys, list indexes, `(key, value)` list selections), or MISSING."""
    current = document
    for segment in segments:
        if isinstance(segment, str):
            if not isinstance(current, dict) or segment not in current:
                return MISSING
            current = current[segment]
        elif isinstance(segment, int):
            if not isinstance(current, list) or not -len(current) <= segment < len(current):
                return MISSING
            current = current[segment]
        else:
            if not isinstance(current, list):
                return MISSING
            key, wanted = segment
            for item in current:
                if isinstance(item, dict) and str(item.get(key)) == wanted:
                    current = item
                    break
            else:
                return MISSING
    return current


def set_path(document: dict[str, Any], keys: Sequence[Any], value: Any) -> None:
    """Write `value` at a key path into a partial object, creating objects on the way."""
    current = document
    for segment in keys[:-1]:  # only key paths are writable (the linker refuses the others)
        child = current.get(segment)
        if not isinstance(child, dict):
            child = {}
            current[segment] = child
        current = child
    current[keys[-1]] = value


def scalar_key(value: Any) -> Any:
    """JSON scalars compare by type and value (True and 1 stay distinct); objects and lists get a key of their own."""
    if isinstance(value, dict | list):
        return (type(value).__name__, repr(value))
    return (type(value).__name__, value)


def rule_key(value: Any) -> Any:
    """Rules compare JSON values as `scalar_key` does; objects and lists by their text."""
    if isinstance(value, dict | list):
        return repr(value)
    return (type(value).__name__, value)


def contains(value: Any, key: object) -> bool:
    """Whether a vendor list holds a value (compared as `rule_key` does)."""
    return isinstance(value, list) and key in {rule_key(v) for v in value}


# --- transforms (the general forms; generated code inlines the common cases) ---------------------------------


def number(value: Any, what: str) -> float | int:
    """A finite JSON number, or a TransformError naming the transform."""
    kind = type(value)
    if kind is int or (kind is float and -INF < value < INF):
        return value  # type: ignore[no-any-return] # the common case, decided at once (a bool's type is not int)
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise TransformError(f"{what}: expected a number, got {type(value).__name__} {value!r}")
    if isinstance(value, float) and not math.isfinite(value):
        raise TransformError(f"{what}: expected a finite number, got {value!r}")
    return value


def round_by(value: float, policy: str) -> float | int:
    """Round with an explicit policy; float noise below 1e-9 is removed first so 126.99999999 rounds as 127."""
    if policy == "none":
        return value
    if isinstance(value, float) and not math.isfinite(value):
        raise TransformError(f"rounding: {value!r} is not a finite number")
    if policy == "half_even" and not NEAR_HALF[0] < value % 1 < NEAR_HALF[1]:
        return round(value)  # far from a tie, the snap cannot change the result (and costs the most)
    snapped = round(value, 9)
    if policy == "half_even":
        return round(snapped)
    if policy == "half_up":
        return math.floor(snapped + 0.5)
    if policy == "floor":
        return math.floor(snapped)
    if policy == "ceil":
        return math.ceil(snapped)
    if policy == "trunc":
        return math.trunc(snapped)
    raise TransformError(f"unknown rounding policy {policy!r}")


class Ref:
    """A transform parameter read from the device's own payload (a per-device range bound)."""

    __slots__ = ("segments", "text")

    def __init__(self, segments: Sequence[Any], text: str) -> None:
        self.segments = segments
        self.text = text


def resolve(context: Any, segments: Sequence[Any], text: str) -> float | int:
    """The number at a path of the device's own payload, needed as a transform parameter."""
    value = get_path(context, segments)
    if value is MISSING or value is None:
        raise TransformError(f"the device payload has no value at `{text}` (needed as a range bound)")
    return number(value, f"device range at `{text}`")


def param(value: Any, context: Any) -> Any:
    return resolve(context, value.segments, value.text) if isinstance(value, Ref) else value


def implausible(raw: Any, low: Any, high: Any, context: Any) -> str | None:
    """Why a numeric vendor value lies outside the binding's declared vendor range, or None: such a value is
    reported, never clamped into a valid-looking Matter value."""
    if isinstance(raw, bool) or not isinstance(raw, int | float):
        return None
    try:
        low, high = sorted((param(low, context), param(high, context)))
    except TransformError:
        return None  # a bound the device does not declare: the transforms report what they need
    if low <= raw <= high:
        return None
    return f"is outside the declared vendor range [{fmt_number(low)}, {fmt_number(high)}]"


def decimal_spec(scale: Any, step: Any, max_quantum: float | None, context: Any) -> tuple[int, int]:
    scale, step = param(scale, context), param(step, context)
    if isinstance(scale, float) and scale.is_integer():
        scale = int(scale)
    if isinstance(step, float) and step.is_integer():
        step = int(step)
    if not isinstance(scale, int) or not 0 <= scale <= 9:
        raise TransformError(f"decimal: scale {scale!r} is not an integer in 0..9")
    if not isinstance(step, int) or step < 1:
        raise TransformError(f"decimal: step {step!r} is not a positive integer")
    quantum = step / 10**scale
    if max_quantum is not None and quantum > max_quantum + 1e-12:
        raise TransformError(
            f"decimal: the device's resolution {quantum:g} is coarser than the mapping's max_quantum {max_quantum:g}"
        )
    return scale, step


def decimal_forward(value: Any, scale: Any, step: Any, max_quantum: float | None, context: Any) -> Any:
    raw = number(value, "decimal")
    digits, _ = decimal_spec(scale, step, max_quantum, context)
    return raw if digits == 0 else raw / 10**digits


def decimal_inverse(value: Any, scale: Any, step: Any, max_quantum: float | None, context: Any) -> Any:
    real = number(value, "decimal")
    digits, grid = decimal_spec(scale, step, max_quantum, context)
    return int(round_by(real * 10**digits / grid, "half_even")) * grid


def format_forward(value: Any, prefix: str, suffix: str, digits: int) -> Any:
    if not isinstance(value, str):
        raise TransformError(f"format: expected a string, got {type(value).__name__}")
    if not (value.startswith(prefix) and value.endswith(suffix)):
        raise TransformError(f"format: {value!r} does not read {prefix!r}…{suffix!r}")
    middle = value[len(prefix) : len(value) - len(suffix)]
    try:
        parsed = float(middle)
    except ValueError:
        raise TransformError(f"format: {middle!r} in {value!r} is not a number") from None
    if not math.isfinite(parsed):
        raise TransformError(f"format: {middle!r} is not a finite number")
    return round_by(parsed, "half_even") if digits == 0 else round(parsed, digits)


def format_inverse(value: Any, prefix: str, suffix: str, digits: int) -> Any:
    real = number(value, "format")
    text = str(round_by(real, "half_even")) if digits == 0 else f"{real:.{digits}f}"
    return f"{prefix}{text}{suffix}"


class EnumMap:
    """A bijective table of vendor values ↔ Matter values, with vendor aliases and a default for unknowns."""

    __slots__ = ("default", "forward", "inverse", "known_matter", "known_vendor")

    def __init__(
        self, pairs: Iterable[Sequence[Any]], aliases: Iterable[Sequence[Any]], default: Sequence[Any] = ()
    ) -> None:
        """`default` holds the Matter value for unknown vendor values, or nothing (unknown values are errors)."""
        pairs = [tuple(p) for p in pairs]
        forward = {scalar_key(v): m for v, m in pairs}
        for alias, canonical in aliases:
            forward[scalar_key(alias)] = forward[scalar_key(canonical)]
        self.forward = forward
        self.inverse = {scalar_key(m): v for v, m in pairs}
        self.default = default[0] if default else MISSING
        self.known_vendor = ", ".join(repr(v) for v, _ in pairs)
        self.known_matter = ", ".join(repr(m) for _, m in pairs)


def enum_forward(table: EnumMap, value: Any) -> Any:
    key = scalar_key(value)
    if key in table.forward:
        return table.forward[key]
    if table.default is not MISSING:
        return table.default
    raise TransformError(f"enum: vendor value {value!r} is not one of {table.known_vendor}")


def enum_inverse(table: EnumMap, value: Any) -> Any:
    key = scalar_key(value)
    if key not in table.inverse:
        raise TransformError(f"enum: Matter value {value!r} has no vendor value (known: {table.known_matter})")
    return table.inverse[key]


def bool_forward(value: Any, true: Any, false: Any) -> bool:
    if scalar_key(value) == scalar_key(true):
        return True
    if scalar_key(value) == scalar_key(false):
        return False
    raise TransformError(f"bool: vendor value {value!r} is neither {true!r} nor {false!r}")


def bool_inverse(value: Any, true: Any, false: Any) -> Any:
    if not isinstance(value, bool):
        raise TransformError(f"bool: expected true or false, got {value!r}")
    return true if value else false


def json_string_forward(value: Any) -> Any:
    import json

    if isinstance(value, dict | list):
        return value
    if value == "":
        raise TransformError("json_string: the vendor value is an empty string")
    if not isinstance(value, str):
        raise TransformError(f"json_string: expected a JSON string, got {type(value).__name__}")
    try:
        return json.loads(value)
    except json.JSONDecodeError as exc:
        raise TransformError(f"json_string: not valid JSON ({exc.msg})") from None


def json_string_inverse(value: Any, old: Any) -> Any:
    import json

    if isinstance(old, dict | list):
        return value
    return json.dumps(value, separators=(",", ":"), allow_nan=False)


def field_forward(value: Any, key: str) -> Any:
    if not isinstance(value, dict):
        raise TransformError(f"field: expected an object holding {key!r}, got {type(value).__name__}")
    if key not in value:
        raise TransformError(f"field: the object has no member {key!r}")
    return value[key]


def field_inverse(value: Any, old: Any, key: str, defaults: Iterable[Sequence[Any]]) -> Any:
    base = dict(old) if isinstance(old, dict) else {k: v for k, v in defaults}  # noqa: C416 - pairs may be lists
    base[key] = value
    return base


# --- ids ---------------------------------------------------------------------------------------------------


def hex_id(value: int, width: int = 4) -> str:
    """`0x0006` for clusters, attributes and fields (width 4); `0x0A` for commands and events (width 2)."""
    return f"0x{value:0{width}X}"


def parse_id(text: str | int) -> int:
    """`0x0006`, `6` or 6 → 6; raises ValueError otherwise."""
    if isinstance(text, bool):
        raise ValueError(f"not an id: {text!r}")
    if isinstance(text, int):
        return text
    if not isinstance(text, str):
        raise ValueError(f"not an id: {type(text).__name__}")
    stripped = text.strip()
    if stripped.lower().startswith("0x"):
        return int(stripped[2:], 16)
    if stripped.isdigit():
        return int(stripped)
    raise ValueError(f"not an id: {text!r}")


class _IdEscapes(dict[int, str]):
    """The `str.translate` table of `encode_device_id`: a character outside ID_CHARS → `@XX` per UTF-8 byte, worked
    out on first use (kept for the first 2048 code points; a lone surrogate is refused)."""

    def __missing__(self, code: int) -> str:
        char = chr(code)
        if "\ud800" <= char <= "\udfff":
            raise ValueError("a device id must be valid Unicode text (it holds a lone surrogate)")
        escaped = char if char in ID_CHARS else "".join(f"@{byte:02X}" for byte in char.encode("utf-8"))
        if code < 2048:
            self[code] = escaped
        return escaped


_ID_ESCAPES = _IdEscapes()


def encode_device_id(vendor_id: str) -> str:
    """Encode a vendor id into `[a-zA-Z0-9_.,@-]+`: other bytes, and `@` itself, become `@XX` (UTF-8 hex)."""
    if type(vendor_id) is not str:
        raise ValueError(f"a device id must be text, not {type(vendor_id).__name__}")
    if vendor_id and not vendor_id.strip(ID_CHARS) and len(vendor_id) <= MAX_CONNECTOR_DEVICE_ID:
        return vendor_id  # nothing to escape (the common case, without a per-character loop)
    encoded = vendor_id.translate(_ID_ESCAPES)
    if not encoded:
        raise ValueError("a device id must not be empty")
    if len(encoded) > MAX_CONNECTOR_DEVICE_ID:
        raise ValueError(f"the encoded device id is longer than {MAX_CONNECTOR_DEVICE_ID} characters")
    return encoded


def decode_device_id(connector_device_id: str) -> str:
    """The inverse of `encode_device_id`; ValueError when the id is not text or does not decode to UTF-8 text."""
    if type(connector_device_id) is not str:
        raise ValueError(f"a ConnectorDeviceId must be text, not {type(connector_device_id).__name__}")
    raw = bytearray()
    pos = 0
    scan = connector_device_id.find("@")
    try:
        while scan != -1:
            digits = connector_device_id[scan + 1 : scan + 3]
            if len(digits) == 2 and digits[0] in _HEX_UPPER and digits[1] in _HEX_UPPER:
                raw.extend(connector_device_id[pos:scan].encode("utf-8"))
                raw.append(int(digits, 16))
                pos = scan + 3
                scan = connector_device_id.find("@", pos)
            else:
                scan = connector_device_id.find("@", scan + 1)
        raw.extend(connector_device_id[pos:].encode("utf-8"))
        return raw.decode("utf-8", errors="strict")
    except UnicodeError:
        raise ValueError("the ConnectorDeviceId does not decode to UTF-8 text") from None


def vendor_device_id(value: Any, path: str) -> str:
    """The vendor id read at the mapping's `device_id` path, as text; `missing-device-id` when there is none."""
    if value is MISSING or value is None or isinstance(value, bool | dict | list):
        message = f"vendor path `{path}` holds no device id; pass one explicitly"
        raise TranslationError([TranslationProblem("missing-device-id", message, path)])
    return checked_device_id(value if isinstance(value, str) else str(value), path)


def vendor_id_at(state: Any, device_id: str | None, segments: Sequence[Any], path: str) -> str:
    """The vendor's id of the device: given (checked as text), or read at the mapping's `device_id` path."""
    if device_id is not None:
        return checked_device_id(device_id, "")
    value = get_path(state, segments)
    if type(value) is str and 0 < len(value) <= MAX_DEVICE_ID and value.isascii():
        return value  # the common case: what `vendor_device_id` accepts as it is
    return vendor_device_id(value, path)


def connector_id_at(state: Any, device_id: str | None, segments: Sequence[Any], path: str) -> str:
    """The ConnectorDeviceId of the device: its vendor id (`vendor_id_at`), escaped."""
    vendor_id = vendor_id_at(state, device_id, segments, path)
    if len(vendor_id) <= MAX_CONNECTOR_DEVICE_ID and not vendor_id.strip(ID_CHARS):
        return vendor_id  # the common case: nothing to escape
    return connector_device_id(vendor_id)


def connector_device_id(vendor_id: str) -> str:
    """The ConnectorDeviceId of a vendor id; a problem `bad-device-id` when it cannot be one."""
    try:
        return encode_device_id(vendor_id)
    except ValueError as exc:
        raise TranslationError([TranslationProblem("bad-device-id", str(exc))]) from None


def quote(text: str, safe: str = "") -> str:
    """Percent-encode every byte outside `A-Za-z0-9_.-~` and `safe` (urllib.parse.quote's rules)."""
    if not text:
        return text
    data = text.encode("utf-8")
    allowed = _URL_SAFE + safe.encode("ascii", "ignore") if safe else _URL_SAFE
    if not data.rstrip(allowed):
        return data.decode()
    return "".join(chr(byte) if byte in allowed else f"%{byte:02X}" for byte in data)


def device_name(name: str) -> str:
    """The service allows letters, digits, space, `.`, `_` and `-` only (pattern [\\p{L}\\p{N} ._-]+)."""
    import re

    return re.sub(r"[^\w .-]", "-", name.strip())[:256]


# --- commands: the two command forms parsed into one ----------------------------------------------------------


class CommandCall:
    """One Matter command (or generic action) addressed to one endpoint and cluster."""

    __slots__ = ("action_trace_id", "by_id", "cluster", "command", "endpoint_id", "namespace", "params")

    def __init__(  # noqa: PLR0917 - the fields in their order
        self,
        endpoint_id: str,
        cluster: str | int,  # name (capability form) or id (hex form)
        command: str | int,
        params: Mapping[str, Any] | None = None,  # by field name, or by hex field id
        by_id: bool = False,
        namespace: str = "matter",
        action_trace_id: str | None = None,
    ) -> None:
        self.endpoint_id = endpoint_id
        self.cluster = cluster
        self.command = command
        self.params: Mapping[str, Any] = {} if params is None else params
        self.by_id = by_id
        self.namespace = namespace
        self.action_trace_id = action_trace_id

    def _fields(self) -> tuple[Any, ...]:
        return (
            self.endpoint_id,
            self.cluster,
            self.command,
            self.params,
            self.by_id,
            self.namespace,
            self.action_trace_id,
        )

    def __eq__(self, other: object) -> bool:
        return isinstance(other, CommandCall) and other._fields() == self._fields()

    def __hash__(self) -> int:  # params (a mutable mapping) left out: equal calls still hash alike
        return hash((self.endpoint_id, self.cluster, self.command, self.by_id, self.namespace))

    def __repr__(self) -> str:
        return f"CommandCall{self._fields()!r}"


class ParsedCommand:
    """The calls of one command payload, with the device and trace ids it names (AWS.SendCommand)."""

    __slots__ = ("calls", "connector_device_id", "trace_id")

    def __init__(
        self, calls: tuple[CommandCall, ...], connector_device_id: str | None = None, trace_id: str | None = None
    ) -> None:
        self.calls = calls
        self.connector_device_id = connector_device_id
        self.trace_id = trace_id

    def __eq__(self, other: object) -> bool:
        return isinstance(other, ParsedCommand) and (other.calls, other.connector_device_id, other.trace_id) == (
            self.calls,
            self.connector_device_id,
            self.trace_id,
        )

    def __hash__(self) -> int:
        return hash((self.calls, self.connector_device_id, self.trace_id))

    def __repr__(self) -> str:
        return f"ParsedCommand({self.calls!r}, {self.connector_device_id!r}, {self.trace_id!r})"


def _bad_command(message: str, path: str) -> TranslationError:
    return TranslationError([TranslationProblem("bad-command", message, path, where="command")])


def _alnum(text: str) -> bool:
    return text.isascii() and text.isalnum()


def capability_parts(text: str) -> tuple[str, str] | None:
    """`matter.LevelControl@1.4` → ("matter", "LevelControl"); None when the id is not of that form."""
    if text.endswith("\n"):
        text = text[:-1]
    namespace, dot, rest = text.partition(".")
    name, at, version = rest.partition("@")
    if not (dot and at and _alnum(namespace) and _alnum(name)):
        return None
    if version != "$latest":
        parts = version.split(".")  # 2 or 3 non-empty runs of decimal digits
        if not (2 <= len(parts) <= 3 and "" not in parts and "".join(parts).isdecimal()):
            return None
    return namespace, name


_CAPABILITIES: dict[str, tuple[str, str] | None] = {}


def known_capability(text: str) -> tuple[str, str] | None:
    """`capability_parts`, remembered for the first 256 ids seen (a connector sees the same few again and again)."""
    found = _CAPABILITIES.get(text, MISSING)
    if found is MISSING:
        found = capability_parts(text)
        if len(_CAPABILITIES) < 256:
            _CAPABILITIES[text] = found
    return found  # type: ignore[return-value]


def parse_command(payload: Any) -> ParsedCommand:
    """Accept a SendManagedThingCommand request, an AWS.SendCommand Lambda event, or that event's payload."""
    if not isinstance(payload, dict):
        raise _bad_command("a command must be a JSON object", "")
    if "Endpoints" in payload:
        return _parse_by_name(payload)
    body = payload.get("payload") if isinstance(payload.get("payload"), dict) else payload
    if isinstance(body, dict) and "endpoints" in body:
        operation = body.get("operationName")
        if operation is not None and operation != "AWS.SendCommand":
            raise _bad_command(f"operation {shown(operation)} is not AWS.SendCommand", "payload.operationName")
        return _parse_by_id(body)
    raise _bad_command(
        "not a command: expected `Endpoints` (SendManagedThingCommand) or `payload.endpoints` (AWS.SendCommand)",
        "",
    )


def _parse_by_name(payload: dict[str, Any]) -> ParsedCommand:
    """The calls of a SendManagedThingCommand; the path of a problem is spelled only when there is one."""
    calls = []
    endpoints = payload["Endpoints"]
    if not isinstance(endpoints, list) or not endpoints:
        raise _bad_command("`Endpoints` must be a non-empty list", "Endpoints")
    for i, endpoint in enumerate(endpoints):
        if not isinstance(endpoint, dict) or not isinstance(endpoint.get("endpointId"), str):
            raise _bad_command("an endpoint needs a string `endpointId`", f"Endpoints[{i}]")
        capabilities = endpoint.get("capabilities")
        if not isinstance(capabilities, list) or not capabilities:
            raise _bad_command("`capabilities` must be a non-empty list", f"Endpoints[{i}].capabilities")
        for j, capability in enumerate(capabilities):
            if not isinstance(capability, dict):
                raise _bad_command("a capability must be an object", f"Endpoints[{i}].capabilities[{j}]")
            parts = known_capability(str(capability.get("id", "")))
            if parts is None:
                raise _bad_command(
                    f"capability id {shown(capability.get('id'))} is not like `matter.LevelControl@1.4`",
                    f"Endpoints[{i}].capabilities[{j}].id",
                )
            actions = capability.get("actions")
            if not isinstance(actions, list) or not actions:
                raise _bad_command("`actions` must be a non-empty list", f"Endpoints[{i}].capabilities[{j}].actions")
            for k, action in enumerate(actions):
                if not isinstance(action, dict) or not isinstance(action.get("name"), str):
                    where = f"Endpoints[{i}].capabilities[{j}].actions[{k}]"
                    raise _bad_command("an action needs a string `name`", where)
                params = action.get("parameters", {})
                if params is None:
                    params = {}
                if not isinstance(params, dict):
                    where = f"Endpoints[{i}].capabilities[{j}].actions[{k}].parameters"
                    raise _bad_command("`parameters` must be an object", where)
                trace = action.get("actionTraceId")
                calls.append(
                    CommandCall(endpoint["endpointId"], parts[1], action["name"], params, False, parts[0], trace)
                )
    return ParsedCommand(tuple(calls))


def _parse_by_id(body: dict[str, Any]) -> ParsedCommand:
    calls = []
    endpoints = body["endpoints"]
    if not isinstance(endpoints, list) or not endpoints:
        raise _bad_command("`endpoints` must be a non-empty list", "payload.endpoints")
    for i, endpoint in enumerate(endpoints):
        where = f"payload.endpoints[{i}]"
        if not isinstance(endpoint, dict):
            raise _bad_command("an endpoint must be an object", where)
        endpoint_id = endpoint.get("id", endpoint.get("endpointId"))
        if not isinstance(endpoint_id, str | int) or isinstance(endpoint_id, bool):
            raise _bad_command("an endpoint needs an `id`", where)
        clusters = endpoint.get("clusters")
        if not isinstance(clusters, list) or not clusters:
            raise _bad_command("`clusters` must be a non-empty list", f"{where}.clusters")
        for j, cluster in enumerate(clusters):
            cwhere = f"{where}.clusters[{j}]"
            if not isinstance(cluster, dict):
                raise _bad_command("a cluster must be an object", cwhere)
            try:
                cluster_id = parse_id(cluster.get("id", ""))
            except ValueError:
                raise _bad_command(f"cluster id {shown(cluster.get('id'))} is not a hex id", f"{cwhere}.id") from None
            for command_key, raw_fields in _command_items(cluster.get("commands"), f"{cwhere}.commands"):
                try:
                    command_id = parse_id(command_key)
                except ValueError:
                    raise _bad_command(
                        f"command id {shown(command_key)} is not a hex id", f"{cwhere}.commands"
                    ) from None
                fields = {} if raw_fields is None else raw_fields
                if not isinstance(fields, dict):
                    raise _bad_command("command fields must be an object keyed by hex field id", f"{cwhere}.commands")
                calls.append(CommandCall(str(endpoint_id), cluster_id, command_id, params=fields, by_id=True))
    device = body.get("connectorDeviceId")
    trace = body.get("traceId")
    return ParsedCommand(
        tuple(calls),
        connector_device_id=device if isinstance(device, str) else None,
        trace_id=trace if isinstance(trace, str) else None,
    )


def _command_items(commands: Any, where: str) -> list[tuple[str, Any]]:
    """`commands` is either one map of id → fields, or a list of single-key maps."""
    if isinstance(commands, dict) and commands:
        return list(commands.items())
    if isinstance(commands, list) and commands:
        items: list[tuple[str, Any]] = []
        for entry in commands:
            if not isinstance(entry, dict) or len(entry) != 1:
                raise _bad_command("each command must be an object with one command id", where)
            items.extend(entry.items())
        return items
    raise _bad_command("`commands` must be a non-empty map or list", where)


# --- vendor requests ---------------------------------------------------------------------------------------


class WriteEncoding:
    """How attribute writes reach the vendor: one request whose body merges the paths, or a list of items."""

    __slots__ = ("base_url", "body", "headers", "item", "items_key", "method", "prefix", "url", "write_headers")

    def __init__(  # noqa: PLR0917 - built positionally by generated modules
        self,
        base_url: str,
        method: str | None,  # None: the mapping declares no `write:`
        url: str = "",
        headers: Sequence[Sequence[str]] = (),
        body: str = "merge",  # merge | items
        items_key: str = "",
        item: Any = None,
        prefix: Sequence[Any] = (),
    ) -> None:
        self.base_url = base_url
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
        self.items_key = items_key
        self.item = item
        self.prefix = list(prefix)
        #: the headers of the write request: the mapping's, with `Content-Type` when it names none
        self.write_headers = {k: v for k, v in headers}  # noqa: C416 - pairs may be lists
        self.write_headers.setdefault("Content-Type", "application/json")


_PLAIN_IDS: dict[str, bool] = {}


def plain_segment(text: str) -> bool:
    """Whether `text` is letters, digits, `-`, `_` and `~` only (nothing a URL path folds, decodes or quotes);
    remembered for the first 1024 texts asked about, since a connector sees the same device ids again and again."""
    plain = bool(text) and not text.strip(_PLAIN_SEGMENT)
    if len(_PLAIN_IDS) < 1024:
        _PLAIN_IDS[text] = plain
    return plain


def url(base_url: str, template: str, device_id: str, params: Mapping[str, Any] | None = None) -> str:
    """`{device_id}` is percent-encoded whole; `{device_path}` keeps its `/` (Nest `enterprises/p/devices/d`).
    A value that would change the path once a server normalises it (`..`, `%2F`, fullwidth dots) is refused."""
    if not params and (_PLAIN_IDS.get(device_id) or plain_segment(device_id)):
        # the common case: an id of letters, digits, `-`, `_`, `~` has nothing to refuse, fold or quote
        return base_url + template.replace("{device_id}", device_id).replace("{device_path}", device_id)
    check_segment(template, "{device_id}", device_id)
    check_segment(template, "{device_path}", device_id)
    if params:
        for name, value in params.items():
            check_segment(template, "{$" + name + "}", str(value))
    text = template
    if "{device_id}" in text:
        text = text.replace("{device_id}", quote(device_id))
    if "{device_path}" in text:  # quoting never makes a `{`, so the order of the two does not matter
        text = text.replace("{device_path}", quote(device_id, "/"))
    if params and "{$" in text:
        for name, value in params.items():
            text = text.replace("{$" + name + "}", quote(str(value)))
    return base_url + text


def fill(template: Any, values: Mapping[str, Any], lookup: StateLookup | None = None) -> Any:
    """Replace `$name` strings in a JSON template with values (the whole string), `{$name}` inside strings with
    the value's text (LIFX `"hue:{$Hue} saturation:{$Saturation}"`), and `$state:<path>` with the vendor value
    at that path (through `lookup`)."""
    if isinstance(template, str) and template.startswith("$state:") and lookup is not None:
        return lookup(template[7:])
    if isinstance(template, str) and template.startswith("$"):
        if template.startswith("$$"):
            return template[1:]
        return values.get(template[1:])
    if isinstance(template, str) and "{$" in template:
        import re

        return re.sub(r"\{\$([A-Za-z][A-Za-z0-9]*)\}", lambda m: str(values.get(m.group(1), "")), template)
    if isinstance(template, dict):
        return {k: fill(v, values, lookup) for k, v in template.items()}
    if isinstance(template, list):
        return [fill(v, values, lookup) for v in template]
    return template


def state_lookup(pending: Mapping[str, Any], context: Any, segments_of: Callable[[str], Sequence[Any]]) -> StateLookup:
    """`$state:<path>`: this command's own writes first, then the current state (None when absent)."""

    def lookup(text: str) -> Any:
        if text in pending:
            return pending[text]
        value = get_path(context, segments_of(text))
        return None if value is MISSING else value

    return lookup


def write_request(
    encoding: WriteEncoding, writes: Sequence[tuple[str, Sequence[Any], Any]], device_id: str
) -> dict[str, Any]:
    """The one request of the mapping's write encoding for (path text, path segments, vendor value) writes."""
    if encoding.method is None:  # e.g. `UpdateState` of a sensor mapping that declares no `write:`
        raise unsupported("the mapping declares no write encoding (`write:`), so it cannot write attributes")
    body: Any
    if encoding.body == "merge":
        body = {}
        prefix = encoding.prefix
        cut = len(prefix)
        for _, segments, value in writes:
            set_path(body, segments[cut:] if cut and list(segments[:cut]) == prefix else segments, value)
    else:
        latest: dict[str, tuple[Sequence[Any], Any]] = {}
        for text, segments, value in writes:
            latest[text] = (segments, value)
        items = [fill(encoding.item, {"key": str(s[-1]), "value": v}) for s, v in latest.values()]
        body = {encoding.items_key: items}
    return {
        "method": encoding.method,
        "url": url(encoding.base_url, encoding.url, device_id),
        "headers": dict(encoding.write_headers),
        "body": body,
    }


def template_request(
    encoding: WriteEncoding, method: str, template: str, body: Any, *, device_id: str, params: Mapping[str, Any]
) -> dict[str, Any]:
    """A request of its own (a `request` command, or an attribute's own write): the encoding's headers."""
    headers = {k: v for k, v in encoding.headers} if encoding.method is not None else {}  # noqa: C416
    if body is not None:
        headers.setdefault("Content-Type", "application/json")
    return {
        "method": method,
        "url": url(encoding.base_url, template, device_id, params),
        "headers": headers,
        "body": body,
    }


def read_problems(state: Any, partial: bool, *readers: Callable[[Any, bool], Any]) -> list[TranslationProblem]:
    """Every problem of the readers, in order: the slow path, taken once one of them has failed."""
    problems: list[TranslationProblem] = []
    for read in readers:
        try:
            read(state, partial)
        except TranslationError as exc:
            problems.extend(exc.problems)
    return problems


def report_attribute(  # noqa: PLR0917 - one call per attribute in generated capability reports
    out: list[dict[str, Any]],
    problems: list[TranslationProblem],
    state: Any,
    attribute_id: str,
    name: str,
    read: Callable[[Any], Any],
) -> None:
    """Append `{id, name, value}` of an attribute the state reports; its problems are collected, not raised."""
    try:
        value = read(state)
    except TranslationError as exc:
        problems.extend(exc.problems)
        return
    if value is not MISSING:
        out.append({"id": attribute_id, "name": name, "value": value})


def partial_values(attributes: dict[str, Any], constants: Sequence[str]) -> dict[str, Any]:
    """The attributes a partial report (an event payload) sends: those read from it, without the mapping's
    constants (nothing new) and without those it does not hold."""
    return {k: v for k, v in attributes.items() if v is not MISSING and k not in constants}


def json_copy(value: Any) -> Any:
    """A fresh copy of a JSON value (objects and lists copied, scalars shared): a constant handed to a caller."""
    if type(value) is dict:
        return {k: json_copy(v) for k, v in value.items()}
    if type(value) is list:
        return [json_copy(v) for v in value]
    return value


def reported_endpoints(state: Any, table: Sequence[Sequence[Any]]) -> list[dict[str, Any]]:
    """The `endpoints` of a capability report from a generated module's table: per endpoint (id, device types,
    clusters, client clusters), per cluster the `cluster_report` arguments with its attributes as (id, name,
    reader or None, constant); every attribute's problem is collected, then raised together."""
    problems: list[TranslationProblem] = []
    endpoints = []
    for endpoint_id, device_types, clusters, client_clusters in table:
        reports = []
        for hex_id, revision, public_id, name, spec_version, attributes, commands, events, features in clusters:
            values: list[dict[str, Any]] = []
            for attribute_id, attribute_name, read, const in attributes:
                if read is None:
                    values.append({"id": attribute_id, "name": attribute_name, "value": json_copy(const)})
                else:
                    report_attribute(values, problems, state, attribute_id, attribute_name, read)
            reports.append(
                cluster_report(
                    hex_id, revision, public_id, name, spec_version, values, list(commands), list(events), features
                )
            )
        entry: dict[str, Any] = {"id": endpoint_id, "deviceTypes": list(device_types), "clusters": reports}
        if client_clusters:
            entry["clientClusters"] = list(client_clusters)
        endpoints.append(entry)
    if problems:
        raise TranslationError(problems)
    return endpoints


def cluster_report(  # noqa: PLR0917 - one call per cluster in generated capability reports
    cluster_id: str,
    revision: int,
    public_id: str,
    name: str,
    spec_version: str,
    attributes: list[dict[str, Any]],
    commands: list[str],
    events: list[str],
    feature_map: int,
) -> dict[str, Any]:
    """A cluster of a capability report (DEVICE_DISCOVERY), its keys in the service's order."""
    return {
        "id": cluster_id,
        "revision": revision,
        "publicId": public_id,
        "name": name,
        "specVersion": spec_version,
        "attributes": attributes,
        "commands": commands,
        "events": events,
        "featureMap": feature_map,
    }


def split_endpoint(endpoint_id: str, clusters: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """MatterEndpoint objects of one endpoint, at most MAX_CLUSTERS_PER_EVENT clusters each."""
    return [
        {"id": endpoint_id, "clusters": clusters[start : start + MAX_CLUSTERS_PER_EVENT]}
        for start in range(0, len(clusters), MAX_CLUSTERS_PER_EVENT)
    ]


def event_requests(
    endpoints: list[dict[str, Any]], connector_id: str, device_id: str, user_id: str | None
) -> list[dict[str, Any]]:
    """SendConnectorEvent requests (Operation DEVICE_EVENT), one per MatterEndpoint."""
    requests = []
    for endpoint in endpoints:
        request: dict[str, Any] = {
            "ConnectorId": connector_id,
            "Operation": "DEVICE_EVENT",
            "OperationVersion": "1.0",
            "ConnectorDeviceId": device_id,
            "MatterEndpoint": endpoint,
        }
        if user_id is not None:
            request["UserId"] = user_id
        requests.append(request)
    return requests


def command_request(
    endpoint: dict[str, Any], connector_id: str, device_id: str, trace_id: str, user_id: str | None
) -> dict[str, Any]:
    """A SendConnectorEvent request (Operation DEVICE_COMMAND_REQUEST) for one MatterEndpoint."""
    request: dict[str, Any] = {
        "ConnectorId": connector_id,
        "Operation": "DEVICE_COMMAND_REQUEST",
        "OperationVersion": "1.0",
        "ConnectorDeviceId": device_id,
        "TraceId": trace_id,
        "MatterEndpoint": endpoint,
    }
    if user_id is not None:
        request["UserId"] = user_id
    return request


# --- commands to vendor requests: the tables a translator builds, and the engine that runs them ----------------


class AttributeBinding:
    """A bound attribute as commands see it: its vendor path, type, writability, reader and inverse."""

    __slots__ = (
        "any_writable",
        "mtype",
        "name",
        "otherwise",
        "path",
        "read",
        "request",
        "segments",
        "when",
        "where",
        "writable",
        "write",
    )

    def __init__(  # noqa: PLR0917 - records are built positionally by generated tables
        self,
        name: str,
        where: Where,
        mtype: ValueType,
        segments: Sequence[Any],
        writable: bool,
        read: Callable[[Any], Any] | None,
        write: Callable[[Any, Any, Any], Any] | None,
        when: Callable[[Any], bool] | None = None,
        otherwise: AttributeBinding | None = None,
        any_writable: bool = False,
        request: Sequence[Any] | None = None,
    ) -> None:
        self.name = name
        self.any_writable = any_writable
        self.when = when
        self.otherwise = otherwise
        self.where = where
        self.path = where[0]
        self.mtype = mtype
        self.segments = segments
        self.writable = writable
        self.read = read
        self.write = write
        self.request = request  # (method, url, body template): a request of its own for writes


class CommandBinding:
    """A mapped command: its fields (id, name, type) and the function that turns parameters into writes or a
    request (`kind` = request); the other kinds give their work as data instead, which the runtime runs: writes
    as (attribute, field name or None, literal value), and a `step` command's steps as (attribute, `step` spec,
    on/off attribute or None, the level at or below which it is off); a `toggle` names its attribute in
    `writes`."""

    __slots__ = (
        "by_id",
        "by_name",
        "field_names",
        "kind",
        "name",
        "plain",
        "rule",
        "run",
        "source",
        "steps",
        "writes",
    )

    def __init__(  # noqa: PLR0917 - records are built positionally by generated tables
        self,
        name: str,
        rule: str,
        source: str,
        kind: str,
        fields: Sequence[Sequence[Any]],
        run: Callable[..., Any] | None = None,
        writes: Sequence[tuple[AttributeBinding, str | None, Any]] = (),
        steps: Sequence[tuple[AttributeBinding, Sequence[Any], AttributeBinding | None, float]] = (),
    ) -> None:
        self.name = name
        self.rule = rule
        self.source = source
        self.kind = kind
        self.by_name = {f[1]: f for f in fields}
        self.by_id = {f[0]: f for f in fields}
        self.field_names = ", ".join(f[1] for f in fields) or "none"
        self.writes = writes
        self.steps = steps
        runs = {"toggle": self.toggled, "step": self.stepped}
        self.run: Callable[..., Any] = run if run is not None else runs.get(kind, self.planned_writes)
        #: every write goes straight through one binding into the shared request (`plain_requests` takes it)
        self.plain = (
            run is None
            and kind == "write"
            and all(a.otherwise is None and a.writable and a.request is None and a.write for a, _, _ in writes)
        )

    def planned_writes(self, params: Mapping[str, Any], state: Any) -> Changes:
        """The writes of a `write` command: each a literal, or a field's value (refused when it is absent)."""
        return [
            (attribute, value if field is None else command_field(params, field, self))
            for attribute, field, value in self.writes
        ]

    def toggled(self, params: Mapping[str, Any], state: Any) -> Changes:
        """A `toggle` command: its attribute written as the opposite of its current value."""
        return [(attribute, not current_value(attribute, state, self.rule)) for attribute, _, _ in self.writes]

    def stepped(self, params: Mapping[str, Any], state: Any) -> Changes:
        """A `step` command: each step (with the on/off write of a *WithOnOff step), then its plain writes."""
        changes: Changes = []
        for attribute, spec, on_off, minimum in self.steps:
            change = step(params, state, self.rule, attribute, spec)
            if change is not None:
                changes.append(change)
                if on_off is not None:
                    changes.append((on_off, change[1] > minimum))
        return changes + self.planned_writes(params, state)


class ClusterBinding:
    """A mapped cluster of one endpoint: commands by name and by id, attributes by name."""

    __slots__ = ("attributes", "commands", "commands_by_id", "known", "name")

    def __init__(
        self, name: str, commands: Sequence[tuple[int, CommandBinding]], attributes: Sequence[AttributeBinding]
    ) -> None:
        self.name = name
        self.commands = {c.name: c for _, c in commands}
        self.commands_by_id = {i: c for i, c in commands}  # noqa: C416 - pairs may be lists
        self.known = ", ".join(self.commands) or "none"
        self.attributes = {a.name: a for a in attributes}


class EndpointBinding:
    """A mapped endpoint: clusters by name and by id (custom capabilities by their extrinsic id too), custom
    capabilities by `namespace.Name`, and the custom capability ids for messages."""

    __slots__ = ("by_id", "by_name", "custom", "known")

    def __init__(
        self,
        by_name: Mapping[str, ClusterBinding],
        by_id: Mapping[int, ClusterBinding],
        custom: Mapping[str, ClusterBinding],
        known: str,
    ) -> None:
        self.by_name = by_name
        self.by_id = by_id
        self.custom = custom
        self.known = known


class DeviceBinding:
    """Everything `translate_command` needs from one mapping."""

    __slots__ = ("encoding", "endpoints", "state_paths", "vendor_device_id")

    def __init__(
        self,
        encoding: WriteEncoding,
        endpoints: Mapping[str, EndpointBinding],
        vendor_device_id: Callable[[Any, str | None], str],
        state_paths: Mapping[str, Sequence[Any]],
    ) -> None:
        self.encoding = encoding
        self.endpoints = endpoints
        self.vendor_device_id = vendor_device_id
        self.state_paths = state_paths


def find_command(
    endpoints: Mapping[str, EndpointBinding], call: CommandCall
) -> tuple[ClusterBinding, CommandBinding | None]:
    """The cluster and command a call addresses; None for the generic actions (UpdateState, ReadState)."""
    endpoint = endpoints.get(call.endpoint_id) if isinstance(call.endpoint_id, str) else None
    if endpoint is None:
        raise unsupported(f"endpoint {shown(call.endpoint_id)} is not in this mapping")
    cluster = _find_cluster(endpoint, call)
    if cluster is None:
        shown_cluster = hex_id(call.cluster) if isinstance(call.cluster, int) else call.cluster
        raise unsupported(f"cluster {shown_cluster} is not mapped on endpoint {call.endpoint_id}")
    if not call.by_id and call.command in GENERIC_ACTIONS:
        return cluster, None
    table: Mapping[Any, CommandBinding] = cluster.commands_by_id if call.by_id else cluster.commands
    command = table.get(call.command)
    if command is None:
        shown_command = hex_id(call.command, 2) if isinstance(call.command, int) else call.command
        raise unsupported(f"{cluster.name} command {shown_command} is not mapped (mapped: {cluster.known})")
    return cluster, command


def _find_cluster(endpoint: EndpointBinding, call: CommandCall) -> ClusterBinding | None:
    """A Matter cluster, or a custom capability (by its namespace and name, or by its extrinsic id)."""
    if call.by_id:
        return endpoint.by_id.get(call.cluster)  # type: ignore[arg-type]
    if call.namespace == "matter":
        return endpoint.by_name.get(call.cluster)  # type: ignore[arg-type]
    wanted = f"{call.namespace}.{call.cluster}"
    found = endpoint.custom.get(wanted)
    if found is None:
        raise unsupported(
            f"capability {wanted} is not on endpoint {call.endpoint_id} (custom capabilities: {endpoint.known})"
        )
    return found


def command_params(call: CommandCall, command: CommandBinding) -> dict[str, Any]:
    """Field values by name, checked against the catalog constraints; unknown fields are refused."""
    params: dict[str, Any] = {}
    problems = []
    fields = command.by_id if call.by_id else command.by_name
    for key, value in call.params.items():
        lookup: Any = key
        if call.by_id:
            try:
                lookup = parse_id(key)
            except ValueError:
                lookup = None
        spec = fields.get(lookup)
        if spec is None:
            problems.append(
                TranslationProblem(
                    "bad-command",
                    f"{command.name} has no field {shown(key)} (fields: {command.field_names})",
                    rule=command.rule,
                )
            )
            continue
        problem = check_value(value, spec[2])
        if problem:
            problems.append(
                TranslationProblem(
                    "out-of-range",
                    f"{command.name}.{spec[1]} = {shown(value)}: {problem}",
                    rule=command.rule,
                    source=command.source,
                )
            )
            continue
        params[spec[1]] = value
    if problems:
        raise TranslationError(problems)
    return params


def command_field(params: Mapping[str, Any], name: str, command: CommandBinding) -> Any:
    """The value of a command field that a write needs."""
    if name not in params or params[name] is None:
        message = f"{command.name} needs the field {name}"
        raise TranslationError([TranslationProblem("bad-command", message, rule=command.rule, source=command.source)])
    return params[name]


def current_value(attribute: AttributeBinding, state: Any, rule: str) -> Any:
    """The current Matter value of an attribute, for commands that change it relative to the state."""
    if state is None:
        raise TranslationError(
            [TranslationProblem("needs-state", f"{rule} needs the device's current state", rule=rule)]
        )
    assert attribute.read is not None
    value = attribute.read(state)
    if value is MISSING:
        message = f"the current state has no value for {attribute.where[1]}"
        raise TranslationError([binding_problem(attribute.where, "needs-state", message)])
    return value


def step(
    params: Mapping[str, Any], state: Any, rule: str, attribute: AttributeBinding, spec: Sequence[Any]
) -> tuple[AttributeBinding, Any] | None:
    """Current value ± the step (times its factor); a signed size when there is no direction field; wraps or
    stops at the ends; None when the step's `only_if` fields do not hold.

    `spec` is (direction field, size field, up value, down value, wrap, factor, only_if)."""
    direction_field, size_field, up, down, wrap, factor, only_if = spec
    for name, values in only_if:
        if params.get(name) not in values:
            return None
    for name in (direction_field, size_field):
        if name is not None and params.get(name) is None:
            raise TranslationError([TranslationProblem("bad-command", f"{rule} needs {name}", rule=rule)])
    current = current_value(attribute, state, rule)
    amount = params[size_field]
    if direction_field is not None:
        direction = params[direction_field]
        if direction not in (up, down):
            message = f"{direction_field} = {shown(direction)} is not handled"
            raise TranslationError([TranslationProblem("bad-command", message, rule=rule)])
        amount = amount if direction == up else -amount
    target = current + amount * factor
    if isinstance(target, float) and target.is_integer():
        target = int(target)
    low, high = attribute.mtype[2], attribute.mtype[3]
    if wrap and low is not None and high is not None:
        span = int(high - low + 1)
        return attribute, int(low + (target - low) % span)
    if low is not None:
        target = max(target, low)
    if high is not None:
        target = min(target, high)
    return attribute, target


def write_binding(attribute: AttributeBinding, state: Any) -> AttributeBinding:
    """The binding a write goes through: the one whose `when` holds in the current state (if given), or,
    when that one is a constant or read-only (e.g. saturation 0 in a white mode), the first writable one."""
    if attribute.otherwise is None and attribute.writable:
        return attribute  # the common case: what the search below chooses too
    chain = [attribute]
    while chain[-1].otherwise is not None:
        chain.append(chain[-1].otherwise)
    if state is None:
        chosen = attribute
    else:
        chosen = next((a for a in chain if a.when is None or a.when(state)), attribute)
        if not chosen.writable:
            chosen = next((a for a in chain if a.writable), chosen)
    if not chosen.writable:
        message = f"{attribute.where[1]} cannot be written in the current state"
        raise TranslationError([binding_problem(chosen.where, "unsupported", message)])
    return chosen


def generic_writes(call: CommandCall, cluster: ClusterBinding) -> Changes:
    """`UpdateState` writes the named attributes (each checked against its type); `ReadState` writes nothing."""
    if call.command == "ReadState":
        return []
    writes = []
    problems = []
    for name, value in call.params.items():
        attribute = cluster.attributes.get(name)
        if attribute is None or not attribute.any_writable:
            problems.append(
                TranslationProblem(
                    "unsupported", f"UpdateState: {cluster.name}.{shown(name)} is not a writable binding"
                )
            )
            continue
        problem = check_value(value, attribute.mtype)
        if problem:
            problems.append(
                binding_problem(attribute.where, "out-of-range", f"UpdateState {name} = {shown(value)}: {problem}")
            )
            continue
        writes.append((attribute, value))
    if problems:
        raise TranslationError(problems)
    return writes


def explicit_request(  # noqa: PLR0917 - called by generated request functions
    device: DeviceBinding,
    command: CommandBinding,
    method: str,
    template: str,
    body_template: Any,
    values: dict[str, Any],
    device_id: str,
    needs: Sequence[str],
    context: Any,
) -> dict[str, Any]:
    """The request of a `request` command; `needs` are the fields interpolated into the body's strings."""
    absent = [name for name in needs if values.get(name) is None]
    if absent:
        message = f"{command.name} needs {', '.join(absent)}"
        raise TranslationError([TranslationProblem("bad-command", message, source=command.source)])
    lookup = state_lookup({}, context, device.state_paths.__getitem__)
    body = fill(body_template, {**values, "device_id": device_id}, lookup)
    return template_request(device.encoding, method, template, body, device_id=device_id, params=values)


def plain_requests(
    device: DeviceBinding, command: Any, state: Any, device_id: str | None
) -> list[dict[str, Any]] | None:
    """The requests of the common command by the short road: a SendManagedThingCommand whose every action is a
    mapped `write` command of plain bindings with valid fields, all merged into the one write request. None for
    anything else, errors included: the general road (`translate_command`) then runs and says what is wrong, so
    both roads give the same requests wherever this one gives any."""
    endpoints = command.get("Endpoints") if type(command) is dict else None
    if type(endpoints) is not list or not endpoints:
        return None
    try:
        vendor_id = device.vendor_device_id(state, device_id)
    except TranslationError:
        return None
    context = state if state is not None else {}
    writes: list[tuple[str, Sequence[Any], Any]] = []
    pending: dict[str, Any] = {}
    for endpoint in endpoints:
        endpoint_id = endpoint.get("endpointId") if type(endpoint) is dict else None
        binding = device.endpoints.get(endpoint_id) if type(endpoint_id) is str else None
        capabilities = endpoint.get("capabilities") if binding is not None else None
        if binding is None or type(capabilities) is not list or not capabilities:
            return None
        for capability in capabilities:
            capability_id = capability.get("id") if type(capability) is dict else None
            parts = _CAPABILITIES.get(capability_id) if type(capability_id) is str else None
            if parts is None and type(capability_id) is str:
                parts = known_capability(capability_id)
            cluster = binding.by_name.get(parts[1]) if parts is not None and parts[0] == "matter" else None
            actions = capability.get("actions") if cluster is not None else None
            if cluster is None or type(actions) is not list or not actions:
                return None
            for action in actions:
                name = action.get("name") if type(action) is dict else None
                found = cluster.commands.get(name) if type(name) is str and name not in GENERIC_ACTIONS else None
                if found is None or not found.plain:
                    return None
                params = action.get("parameters")
                if params is None:
                    params = {}
                elif type(params) is not dict:
                    return None
                fields = found.by_name
                for key, value in params.items():
                    spec = fields.get(key)
                    if spec is None or check_value(value, spec[2]) is not None:
                        return None
                for attribute, field, literal in found.writes:
                    value = literal if field is None else params.get(field)
                    if value is None and field is not None:
                        return None
                    path = attribute.path
                    old = pending.get(path, get_path(context, attribute.segments))
                    try:
                        vendor_value = attribute.write(value, old, context)  # type: ignore[misc]
                    except TransformError:
                        return None
                    pending[path] = vendor_value
                    writes.append((path, attribute.segments, vendor_value))
    if not writes:
        return []
    try:
        return [write_request(device.encoding, writes, vendor_id)]
    except TranslationError:
        return None


def translate_command(
    device: DeviceBinding, command: Any, state: Any = None, device_id: str | None = None
) -> list[dict[str, Any]]:
    """Vendor requests `{method, url, headers, body}` for a command; nothing is returned on any error."""
    if not within_bounds(command):  # the common case without a call more: `check_input` says what is wrong
        check_input(command, "the command")
    if state is not None and not within_bounds(state):
        check_input(state, "the vendor state")
    plain = plain_requests(device, command, state, device_id)
    if plain is not None:
        return plain
    parsed = parse_command(command)
    if device_id is None and parsed.connector_device_id is not None:
        try:
            device_id = decode_device_id(parsed.connector_device_id)
        except ValueError as exc:
            problem = TranslationProblem("bad-device-id", str(exc), "payload.connectorDeviceId", where="command")
            raise TranslationError([problem]) from None
    device_id = device.vendor_device_id(state, device_id)  # given (checked as text) or read from the state
    context = state if state is not None else {}
    writes: list[tuple[AttributeBinding, Any]] = []
    explicit: list[dict[str, Any]] = []
    problems: list[TranslationProblem] = []
    pending: dict[str, Any] = {}
    for call in parsed.calls:
        try:
            cluster, found = find_command(device.endpoints, call)
            if found is None:
                changes = generic_writes(call, cluster)
            elif found.kind == "request":
                explicit.append(found.run(command_params(call, found), device_id, context))
                continue
            else:
                changes = found.run(command_params(call, found), state)
            for bound, matter_value in changes:
                attribute = write_binding(bound, state)
                old = pending.get(attribute.path, get_path(context, attribute.segments))
                try:
                    assert attribute.write is not None
                    vendor_value = attribute.write(matter_value, old, context)
                except TransformError as exc:
                    raise binding_error(
                        attribute.where, "bad-command", f"cannot write {shown(matter_value)}: {exc}"
                    ) from None
                pending[attribute.path] = vendor_value
                writes.append((attribute, vendor_value))
        except TranslationError as exc:
            problems.extend(exc.problems)
    if problems:
        raise TranslationError(problems)
    shared = [(a.path, a.segments, v) for a, v in writes if a.request is None]
    requests = [write_request(device.encoding, shared, device_id)] if shared else []
    lookup = state_lookup(pending, context, device.state_paths.__getitem__)
    for attribute, value in writes:
        if attribute.request is not None:
            method, template, body_template = attribute.request
            body = fill(body_template, {"value": value, "device_id": device_id}, lookup)
            params = {"value": value}
            requests.append(
                template_request(device.encoding, method, template, body, device_id=device_id, params=params)
            )
    return requests + explicit
