"""The Matter data model (clusters, datatypes, device types) as frozen records, from the generated catalog."""

from __future__ import annotations

import dataclasses
import difflib
import functools
import json
import re
import sys
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal, TypeAlias

__all__ = [
    "DEFAULT_PATH",
    "AttributeInfo",
    "Bound",
    "BoundRef",
    "Catalog",
    "ClusterInfo",
    "ClusterRequirement",
    "CommandInfo",
    "DeviceRequirement",
    "DeviceTypeInfo",
    "Direction",
    "ElementRequirement",
    "EventInfo",
    "FeatureInfo",
    "FieldInfo",
    "JsonKind",
    "JsonValue",
    "Number",
    "RequirementKind",
    "Side",
    "json_kind",
    "load_catalog",
    "type_limits",
]

JsonValue: TypeAlias = bool | int | float | str | list["JsonValue"] | dict[str, "JsonValue"] | None
Number: TypeAlias = int | float
JsonKind: TypeAlias = Literal["bool", "int", "float", "string", "bytes", "list", "object"]
Direction: TypeAlias = Literal["request", "response"]
Side: TypeAlias = Literal["server", "client"]
RequirementKind: TypeAlias = Literal["feature", "attribute", "command", "event", "condition"]

DEFAULT_PATH = Path(__file__).parent / "data" / "matter-catalog.json"

_HEX = re.compile(r"0[xX][0-9a-fA-F]+")
_DECIMAL = re.compile(r"[0-9]+")
_INTEGER = re.compile(r"(u?int|enum|map)(8|16|24|32|40|48|56|64)")
_FLOAT_LIMITS: dict[str, float] = {"single": 3.4028234663852886e38, "double": sys.float_info.max}
_KINDS: dict[str, JsonKind] = {
    "bool": "bool",
    "single": "float",
    "double": "float",
    "string": "string",
    "octstr": "bytes",
    "list": "list",
    "struct": "object",
}
_DIRECTIONS: dict[str, Direction] = {"request": "request", "response": "response"}
_SIDES: dict[str, Side] = {"serverCluster": "server", "clientCluster": "client"}
_REQUIREMENT_KINDS: dict[str, RequirementKind] = {
    "feature": "feature",
    "attribute": "attribute",
    "command": "command",
    "event": "event",
    "condition": "condition",
}


@dataclass(frozen=True, slots=True)
class BoundRef:
    """A constraint bound naming another attribute or field, plus a constant: `MinMeasuredValue + 1`."""

    ref: str
    offset: Number = 0


Bound: TypeAlias = Number | BoundRef | None
"""A parsed constraint end: a number, a reference, or None (unconstrained, or not a simple expression)."""


@dataclass(frozen=True, slots=True)
class FeatureInfo:
    bit: int
    code: str
    name: str
    conformance: str


@dataclass(frozen=True, slots=True)
class FieldInfo:
    """A command, event or struct field; for string, octstr and list types `min`/`max` bound the length."""

    id: int
    name: str
    type: str
    base: str
    nullable: bool
    constraint: str
    min: Bound
    max: Bound
    conformance: str
    default: JsonValue


@dataclass(frozen=True, slots=True)
class AttributeInfo:
    """An attribute; `default` is None when the model states none or states null."""

    id: int
    name: str
    type: str
    base: str
    nullable: bool
    constraint: str
    min: Bound
    max: Bound
    access: str
    quality: str
    conformance: str
    default: JsonValue
    writable: bool


def _find(items: Sequence[Any], key: str | int) -> Any:
    number = _as_id(key)
    for item in items:
        if item.name == key or (number is not None and item.id == number):
            return item
    return None


@dataclass(frozen=True, slots=True)
class CommandInfo:
    """A command; `access` is its invoke privilege (`O`, `A T`, `F M`...); `timed` if invoked timed only."""

    id: int
    name: str
    direction: Direction
    response: str | None
    conformance: str
    fields: tuple[FieldInfo, ...]
    access: str = "O"
    timed: bool = False

    def field(self, key: str | int) -> FieldInfo | None:
        found: FieldInfo | None = _find(self.fields, key)
        return found


@dataclass(frozen=True, slots=True)
class EventInfo:
    id: int
    name: str
    priority: str
    conformance: str
    fields: tuple[FieldInfo, ...]
    access: str = "V"

    def field(self, key: str | int) -> FieldInfo | None:
        found: FieldInfo | None = _find(self.fields, key)
        return found


@dataclass(frozen=True, slots=True)
class _Datatypes:
    enums: Mapping[str, Mapping[str, int]]
    bitmaps: Mapping[str, Mapping[str, int]]
    structs: Mapping[str, tuple[FieldInfo, ...]]


@dataclass(frozen=True, slots=True)
class ClusterInfo:
    """A cluster with its global attributes merged in; element lookups take a name or an id (int, "0x..")."""

    id: int
    name: str
    revision: int
    features: tuple[FeatureInfo, ...]
    attributes: tuple[AttributeInfo, ...]
    commands: tuple[CommandInfo, ...]
    events: tuple[EventInfo, ...]
    classification: str = ""
    derived_from: str | None = None
    _local: _Datatypes = dataclasses.field(default_factory=lambda: _Datatypes({}, {}, {}), repr=False, compare=False)
    _shared: _Datatypes = dataclasses.field(default_factory=lambda: _Datatypes({}, {}, {}), repr=False, compare=False)

    def attribute(self, key: str | int) -> AttributeInfo | None:
        found: AttributeInfo | None = _find(self.attributes, key)
        return found

    def command(self, key: str | int, direction: Direction | None = None) -> CommandInfo | None:
        """By name, or by id (request and response ids overlap: a bare id finds the request)."""
        candidates = [c for c in self.commands if direction is None or c.direction == direction]
        if direction is None and _as_id(key) is not None:
            candidates.sort(key=lambda command: command.direction != "request")
        found: CommandInfo | None = _find(candidates, key)
        return found

    def event(self, key: str | int) -> EventInfo | None:
        found: EventInfo | None = _find(self.events, key)
        return found

    def feature(self, code: str) -> FeatureInfo | None:
        """By code (`LT`) or by name (`Lighting`)."""
        return next((f for f in self.features if code in (f.code, f.name)), None)

    def enum(self, name: str) -> dict[str, int] | None:
        """Members by value; cluster types first, then globals; inline enums go by their element's name."""
        found = self._local.enums.get(name, self._shared.enums.get(name))
        return None if found is None else dict(found)

    def bitmap(self, name: str) -> dict[str, int] | None:
        """Members by mask (1 << bit, or the contiguous mask of a multi-bit member)."""
        found = self._local.bitmaps.get(name, self._shared.bitmaps.get(name))
        return None if found is None else dict(found)

    def struct(self, name: str) -> tuple[FieldInfo, ...] | None:
        return self._local.structs.get(name, self._shared.structs.get(name))


@dataclass(frozen=True, slots=True)
class ElementRequirement:
    """A device type's requirement on a cluster element; features go by code, conformance stays text."""

    kind: RequirementKind
    name: str
    conformance: str
    constraint: str


@dataclass(frozen=True, slots=True)
class ClusterRequirement:
    id: int
    name: str
    side: Side
    conformance: str
    elements: tuple[ElementRequirement, ...]


@dataclass(frozen=True, slots=True)
class DeviceRequirement:
    """A device type a composed device contains, with overrides of that device type's cluster requirements."""

    id: int
    name: str
    conformance: str
    constraint: str
    requirements: tuple[ClusterRequirement, ...]


@dataclass(frozen=True, slots=True)
class DeviceTypeInfo:
    """A device type and what it requires of an endpoint, conformance kept as expressions.

    A requirement whose conformance is "" states none in matter.js (Descriptor, whose presence the "Base"
    device type requires of every endpoint). `conditions` are names it declares for its conformance expressions.
    """

    id: int
    name: str
    revision: int
    category: str
    requirements: tuple[ClusterRequirement, ...]
    devices: tuple[DeviceRequirement, ...] = ()
    condition_requirements: tuple[ElementRequirement, ...] = ()
    conditions: tuple[str, ...] = ()

    def cluster(self, key: str | int, side: Side = "server") -> ClusterRequirement | None:
        found: ClusterRequirement | None = _find([r for r in self.requirements if r.side == side], key)
        return found


class Catalog:
    """Lookups over the generated catalog; cluster and device type records are built on first use."""

    __slots__ = ("_clusters", "_devices", "_globals", "_ids", "_raw", "_shared", "_source")

    def __init__(self, document: Mapping[str, Any]) -> None:
        self._source = {str(k): str(v) for k, v in document["source"].items()}
        self._globals = tuple(_attribute(item) for item in document["globals"]["attributes"])
        self._shared = _datatypes(document["globals"]["datatypes"])
        kinds = ("clusters", "device_types")
        self._raw: dict[str, dict[int, Any]] = {k: {i["id"]: i for i in document[k]} for k in kinds}
        self._ids: dict[str, dict[str, int]] = {k: {i["name"]: i["id"] for i in document[k]} for k in kinds}
        self._clusters: dict[int, ClusterInfo] = {}
        self._devices: dict[int, DeviceTypeInfo] = {}

    @property
    def source(self) -> dict[str, str]:
        return dict(self._source)

    @property
    def global_attributes(self) -> tuple[AttributeInfo, ...]:
        return self._globals

    @property
    def clusters(self) -> tuple[ClusterInfo, ...]:
        return tuple(self._cluster(number) for number in self._raw["clusters"])

    @property
    def device_types(self) -> tuple[DeviceTypeInfo, ...]:
        return tuple(self._device_type(number) for number in self._raw["device_types"])

    def cluster(self, key: str | int) -> ClusterInfo | None:
        """By name (`LevelControl`), id (`8`) or id text (`"0x0008"`, `"8"`)."""
        number = self._resolve("clusters", key)
        return None if number is None else self._cluster(number)

    def device_type(self, key: str | int) -> DeviceTypeInfo | None:
        number = self._resolve("device_types", key)
        return None if number is None else self._device_type(number)

    def cluster_json(self, cluster: ClusterInfo) -> dict[str, JsonValue]:
        """The cluster's record as the catalog file spells it (implied values left out), as a fresh copy."""
        copied: dict[str, JsonValue] = json.loads(json.dumps(self._raw["clusters"][cluster.id]))
        return copied

    def device_type_json(self, device_type: DeviceTypeInfo) -> dict[str, JsonValue]:
        copied: dict[str, JsonValue] = json.loads(json.dumps(self._raw["device_types"][device_type.id]))
        return copied

    @staticmethod
    def suggest(word: str, candidates: Iterable[str]) -> list[str]:
        """Up to three close matches for a "did you mean" hint (case is ignored when comparing)."""
        by_folded: dict[str, str] = {}
        for candidate in candidates:
            by_folded.setdefault(candidate.casefold(), candidate)
        matches = difflib.get_close_matches(word.casefold(), list(by_folded), n=3)
        return [by_folded[match] for match in matches]

    def numeric_range(self, cluster: str | int, attribute: str | int) -> tuple[Number, Number] | None:
        """The attribute's value range: its constraint with references resolved, within its type's limits.

        None for non-numeric types (bool, strings, lists, structs). Raises KeyError for unknown names.
        """
        info = self._require_cluster(cluster)
        target = info.attribute(attribute)
        if target is None:
            raise KeyError(_unknown("attribute", attribute, info.name, [a.name for a in info.attributes]))
        return _Ranges(info, ()).of(target, frozenset())

    def field_range(self, cluster: str | int, command: str | int, field: str | int) -> tuple[Number, Number] | None:
        """Like numeric_range, for a field of a request command (a bare id finds the request)."""
        info = self._require_cluster(cluster)
        found = info.command(command)
        if found is None:
            raise KeyError(_unknown("command", command, info.name, [c.name for c in info.commands]))
        target = found.field(field)
        if target is None:
            names = [f.name for f in found.fields]
            raise KeyError(_unknown("field", field, f"{info.name}.{found.name}", names))
        return _Ranges(info, found.fields).of(target, frozenset())

    def _require_cluster(self, key: str | int) -> ClusterInfo:
        info = self.cluster(key)
        if info is None:
            raise KeyError(_unknown("cluster", key, "the catalog", list(self._ids["clusters"])))
        return info

    def _resolve(self, kind: str, key: str | int) -> int | None:
        number = _as_id(key)
        if number is None:
            return self._ids[kind].get(str(key))
        return number if number in self._raw[kind] else None

    def _cluster(self, number: int) -> ClusterInfo:
        if number not in self._clusters:
            self._clusters[number] = _cluster(self._raw["clusters"][number], self._globals, self._shared)
        return self._clusters[number]

    def _device_type(self, number: int) -> DeviceTypeInfo:
        if number not in self._devices:
            self._devices[number] = _device_type(self._raw["device_types"][number])
        return self._devices[number]


def struct_field_range(
    cluster: ClusterInfo, fields: tuple[FieldInfo, ...], field: FieldInfo
) -> tuple[Number, Number] | None:
    """Like Catalog.numeric_range, for a field of a struct (its sibling fields resolve references)."""
    return _Ranges(cluster, fields).of(field, frozenset())


def load_catalog(path: Path | None = None) -> Catalog:
    """The catalog shipped with the package (cached), or one read from `path`."""
    return _default_catalog() if path is None else Catalog(json.loads(path.read_bytes()))


@functools.cache
def _default_catalog() -> Catalog:
    return Catalog(json.loads(DEFAULT_PATH.read_bytes()))


def json_kind(base: str) -> JsonKind:
    """The JSON kind of a value of a primitive type: `uint8` -> int, `octstr` -> bytes, `struct` -> object."""
    if _INTEGER.fullmatch(base):
        return "int"
    if base in _KINDS:
        return _KINDS[base]
    raise ValueError(f"no JSON kind for Matter type {base!r}")


def type_limits(base: str, nullable: bool = False) -> tuple[Number, Number] | None:
    """The value range of a primitive type; if nullable, the null sentinel of ints and enums is excluded."""
    match = _INTEGER.fullmatch(base)
    if match is None:
        limit = _FLOAT_LIMITS.get(base)
        return None if limit is None else (-limit, limit)
    family, bits = match.group(1), int(match.group(2))
    if family == "int":
        low, high = -(1 << (bits - 1)), (1 << (bits - 1)) - 1
        return (low + 1 if nullable else low), high
    high = (1 << bits) - 1
    return 0, (high - 1 if nullable and family != "map" else high)


#: derived types whose spec definition bounds the value below the base type's limit
_SEMANTIC_MAXIMUM: dict[str, Number] = {"percent": 100, "percent100ths": 10000}


class _Ranges:
    """Resolves `{"ref": ...}` bounds: fields first (for command fields), then the cluster's attributes."""

    __slots__ = ("_cluster", "_fields")

    def __init__(self, cluster: ClusterInfo, fields: tuple[FieldInfo, ...]) -> None:
        self._cluster = cluster
        self._fields = fields

    def of(self, value: AttributeInfo | FieldInfo, visiting: frozenset[str]) -> tuple[Number, Number] | None:
        limits = type_limits(value.base, value.nullable)
        if limits is None:
            return None
        semantic = _SEMANTIC_MAXIMUM.get(value.type)
        if semantic is not None:
            limits = (limits[0], min(limits[1], semantic))
        key = f"{type(value).__name__}:{value.name}"
        low = self._bound(value.min, 0, visiting | {key})
        high = self._bound(value.max, 1, visiting | {key})
        low = limits[0] if low is None else max(limits[0], low)
        high = limits[1] if high is None else min(limits[1], high)
        return low, high

    def _bound(self, bound: Bound, side: int, visiting: frozenset[str]) -> Number | None:
        if not isinstance(bound, BoundRef):
            return bound
        target: AttributeInfo | FieldInfo | None = _find(self._fields, bound.ref)
        if target is None:
            target = self._cluster.attribute(bound.ref)
        if target is None or f"{type(target).__name__}:{target.name}" in visiting:
            return None  # unknown name or a cycle: the side falls back to the type's limit
        scope = self if isinstance(target, FieldInfo) else _Ranges(self._cluster, ())
        resolved = scope.of(target, visiting)
        return None if resolved is None else resolved[side] + bound.offset


def _unknown(kind: str, key: str | int, where: str, names: Iterable[str]) -> str:
    hint = Catalog.suggest(str(key), names)
    return f"unknown {kind} {key!r} in {where}" + (f"; did you mean {', '.join(hint)}?" if hint else "")


def _as_id(key: str | int) -> int | None:
    if isinstance(key, bool):
        raise TypeError("a bool is not an element key")
    if isinstance(key, int):
        return key
    if _HEX.fullmatch(key):
        return int(key, 16)
    if _DECIMAL.fullmatch(key):
        return int(key)
    return None


def _bound(raw: Any) -> Bound:
    if isinstance(raw, dict):
        return BoundRef(raw["ref"], raw.get("offset", 0))
    if raw is None or isinstance(raw, int | float):
        return raw
    raise ValueError(f"not a bound: {raw!r}")


def _field(raw: Mapping[str, Any]) -> FieldInfo:
    return FieldInfo(
        id=raw["id"],
        name=raw["name"],
        type=raw["type"],
        base=raw["base"],
        nullable=raw.get("nullable", False),
        constraint=raw.get("constraint", ""),
        min=_bound(raw.get("min")),
        max=_bound(raw.get("max")),
        conformance=raw["conformance"],
        default=raw.get("default"),
    )


def _attribute(raw: Mapping[str, Any]) -> AttributeInfo:
    return AttributeInfo(
        id=raw["id"],
        name=raw["name"],
        type=raw["type"],
        base=raw["base"],
        nullable=raw.get("nullable", False),
        constraint=raw.get("constraint", ""),
        min=_bound(raw.get("min")),
        max=_bound(raw.get("max")),
        access=raw["access"],
        quality=raw.get("quality", ""),
        conformance=raw["conformance"],
        default=raw.get("default"),
        writable=raw.get("writable", False),
    )


def _command(raw: Mapping[str, Any]) -> CommandInfo:
    access: str = raw["access"]
    return CommandInfo(
        id=raw["id"],
        name=raw["name"],
        direction=_DIRECTIONS[raw["direction"]],
        response=raw["response"],
        conformance=raw["conformance"],
        fields=tuple(_field(item) for item in raw["fields"]),
        access=access,
        timed="T" in access.split(),
    )


def _event(raw: Mapping[str, Any]) -> EventInfo:
    fields = tuple(_field(item) for item in raw["fields"])
    return EventInfo(raw["id"], raw["name"], raw["priority"], raw["conformance"], fields, raw["access"])


def _datatypes(raw: Mapping[str, Any]) -> _Datatypes:
    structs = {name: tuple(_field(item) for item in fields) for name, fields in raw["structs"].items()}
    return _Datatypes(raw["enums"], raw["bitmaps"], structs)


def _cluster(raw: Mapping[str, Any], globals_: tuple[AttributeInfo, ...], shared: _Datatypes) -> ClusterInfo:
    own = [_attribute(item) for item in raw["attributes"]]
    present = {attribute.id for attribute in own}
    attributes = sorted(own + [g for g in globals_ if g.id not in present], key=lambda item: item.id)
    return ClusterInfo(
        id=raw["id"],
        name=raw["name"],
        revision=raw["revision"],
        features=tuple(FeatureInfo(f["bit"], f["code"], f["name"], f["conformance"]) for f in raw["features"]),
        attributes=tuple(attributes),
        commands=tuple(_command(item) for item in raw["commands"]),
        events=tuple(_event(item) for item in raw["events"]),
        classification=raw["classification"],
        derived_from=raw["derived_from"],
        _local=_datatypes(raw["datatypes"]),
        _shared=shared,
    )


def _element(raw: Mapping[str, Any]) -> ElementRequirement:
    kind = _REQUIREMENT_KINDS[raw["element"]]
    return ElementRequirement(kind, raw["name"], raw["conformance"], raw.get("constraint", ""))


def _cluster_requirement(raw: Mapping[str, Any]) -> ClusterRequirement:
    elements = tuple(_element(item) for item in raw.get("requirements", ()))
    return ClusterRequirement(raw["id"], raw["name"], _SIDES[raw["element"]], raw["conformance"], elements)


def _device_type(raw: Mapping[str, Any]) -> DeviceTypeInfo:
    items: list[Mapping[str, Any]] = raw["requirements"]
    devices = tuple(
        DeviceRequirement(
            item["id"],
            item["name"],
            item["conformance"],
            item.get("constraint", ""),
            tuple(_cluster_requirement(child) for child in item.get("requirements", ())),
        )
        for item in items
        if item["element"] == "deviceType"
    )
    return DeviceTypeInfo(
        id=raw["id"],
        name=raw["name"],
        revision=raw["revision"],
        category=raw["category"],
        requirements=tuple(_cluster_requirement(item) for item in items if item["element"] in _SIDES),
        devices=devices,
        condition_requirements=tuple(_element(item) for item in items if item["element"] == "condition"),
        conditions=tuple(raw["conditions"]),
    )
