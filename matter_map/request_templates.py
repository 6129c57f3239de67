"""Request templates compiled once into nodes: JSON literals, whole `$Field` values, `{$Field}` text holes,
`$state:<path>` reads, and the holes of a URL (`{device_id}`, `{device_path}`, `{$Field}`)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from matter_map.paths import PathError, VendorPath

_NAME = "[A-Za-z][A-Za-z0-9]*"
#: a whole-string reference to a command field in a write value (`$Level`; `$$` escapes a literal `$`)
_FIELD_REFERENCE = re.compile(rf"^\$({_NAME})$")
#: a field interpolated into a string (`"hue:{$Hue}"`, a URL's `/scenes/{$SceneId}`)
_INTERPOLATION = re.compile(rf"\{{\$({_NAME})\}}")
_URL_HOLE = re.compile(rf"\{{\$({_NAME})\}}|\{{device_id\}}|\{{device_path\}}")
STATE_PREFIX = "$state:"


# --- body nodes --------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Literal:
    """A JSON value sent as written (a `$$text` string is sent as `$text`)."""

    value: Any


@dataclass(frozen=True, slots=True)
class FieldValue:
    """`"$Name"`: the field's value, whole (any JSON)."""

    name: str


@dataclass(frozen=True, slots=True)
class StateValue:
    """`"$state:<path>"`: the vendor value at the path (this command's own writes first, then the state)."""

    text: str
    #: the parsed path; None when the text is not a vendor path (the linker reports it)
    path: VendorPath | None


@dataclass(frozen=True, slots=True)
class FieldText:
    """`{$Name}` inside a string: the field's value as text."""

    name: str


@dataclass(frozen=True, slots=True)
class Text:
    """A string with `{$Name}` holes."""

    parts: tuple[str | FieldText, ...]


@dataclass(frozen=True, slots=True)
class ObjectNode:
    items: tuple[tuple[str, Node], ...]


@dataclass(frozen=True, slots=True)
class ArrayNode:
    items: tuple[Node, ...]


Node = Literal | FieldValue | StateValue | Text | ObjectNode | ArrayNode


@dataclass(frozen=True, slots=True)
class BodyTemplate:
    """A request body template: as written (the form the runtime's `fill` reads) and compiled."""

    raw: Any
    root: Node
    #: every field name the body takes: whole `$Name` values and `{$Name}` holes
    fields: frozenset[str]
    #: the names of `{$Name}` holes only (a field left out would leave its text empty)
    interpolated: frozenset[str]
    #: every `$state:` read, in document order
    states: tuple[StateValue, ...]


# --- URL nodes ---------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class DeviceId:
    """`{device_id}`: the vendor device id, percent-encoded whole."""


@dataclass(frozen=True, slots=True)
class DevicePath:
    """`{device_path}`: the vendor device id with its `/` kept (Nest `enterprises/p/devices/d`)."""


UrlPart = str | FieldText | DeviceId | DevicePath


@dataclass(frozen=True, slots=True)
class UrlTemplate:
    """A URL template (under the mapping's base URL): as written and split at its holes."""

    raw: str
    parts: tuple[UrlPart, ...]

    @property
    def fields(self) -> frozenset[str]:
        return frozenset(p.name for p in self.parts if isinstance(p, FieldText))

    def __str__(self) -> str:
        return self.raw


# --- compiling ---------------------------------------------------------------------------------------------


def compile_body(raw: Any) -> BodyTemplate:
    """A body template compiled as the runtime fills it."""
    root = _node(raw)
    fields: set[str] = set()
    interpolated: set[str] = set()
    states: list[StateValue] = []
    for node in walk(root):
        match node:
            case FieldValue(name=name):
                fields.add(name)
            case Text(parts=parts):
                names = {p.name for p in parts if isinstance(p, FieldText)}
                fields |= names
                interpolated |= names
            case StateValue():
                states.append(node)
    return BodyTemplate(raw, root, frozenset(fields), frozenset(interpolated), tuple(states))


def compile_url(raw: str) -> UrlTemplate:
    parts: list[UrlPart] = []
    position = 0
    for found in _URL_HOLE.finditer(raw):
        if found.start() > position:
            parts.append(raw[position : found.start()])
        hole = found.group(0)
        if hole == "{device_id}":
            parts.append(DeviceId())
        elif hole == "{device_path}":
            parts.append(DevicePath())
        else:
            parts.append(FieldText(found.group(1)))
        position = found.end()
    if position < len(raw):
        parts.append(raw[position:])
    return UrlTemplate(raw, tuple(parts))


def field_reference(value: Any) -> str | None:
    """The field a command's write value names (`"$Level"`), or None for a literal."""
    found = _FIELD_REFERENCE.match(value) if isinstance(value, str) else None
    return found.group(1) if found else None


def walk(node: Node) -> list[Node]:
    """The node and every node inside it, in document order."""
    match node:
        case ObjectNode(items=items):
            return [node, *(n for _, child in items for n in walk(child))]
        case ArrayNode(items=children):
            return [node, *(n for child in children for n in walk(child))]
    return [node]


def _node(raw: Any) -> Node:
    if isinstance(raw, str):
        return _string(raw)
    if isinstance(raw, dict):
        return ObjectNode(tuple((str(k), _node(v)) for k, v in raw.items()))
    if isinstance(raw, list):
        return ArrayNode(tuple(_node(v) for v in raw))
    return Literal(raw)


def _string(text: str) -> Node:
    if text.startswith(STATE_PREFIX):
        path_text = text[len(STATE_PREFIX) :]
        try:
            path: VendorPath | None = VendorPath.parse(path_text)
        except PathError:
            path = None
        return StateValue(path_text, path)
    if text.startswith("$$"):
        return Literal(text[1:])
    if text.startswith("$"):
        return FieldValue(text[1:])
    if "{$" not in text:
        return Literal(text)
    parts: list[str | FieldText] = []
    position = 0
    for found in _INTERPOLATION.finditer(text):
        if found.start() > position:
            parts.append(text[position : found.start()])
        parts.append(FieldText(found.group(1)))
        position = found.end()
    if position < len(text):
        parts.append(text[position:])
    return Text(tuple(parts)) if position else Literal(text)
