"""Draft a mapping from one sample vendor payload: field names, value kinds and ranges as evidence."""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

# generic leaf names: the field that names the reading is the one above them
_GENERIC = {"value", "state", "status", "data", "report", "reading"}
_SELECT_KEYS = ("instance", "code", "name", "type", "id")
_PLAIN = re.compile(r"[A-Za-z_][A-Za-z0-9_./-]*")
_WORD = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
# characters YAML forbids or reads as line breaks (json.dumps already escapes the C0 controls)
_NOT_PRINTABLE = re.compile("[\x7f-\x9f\ud800-\udfff\u2028\u2029\ufeff\ufffe\uffff]")
_NOT_PLAIN = {"null", "true", "false", "y", "yes", "n", "no", "on", "off", "~"}
_ID_NAMES = ("id", "deviceid", "device_id", "lockid", "identifier", "uuid", "device", "mac", "serialnumber")
_NAME_NAMES = ("name", "label", "lockname", "devicename", "device_name")
_KIND_NAMES = ("type", "category", "devicetype", "device_type", "sku", "model", "modelnumber")


@dataclass(frozen=True, slots=True)
class Leaf:
    """One scalar of the sample: its vendor path, the word that names it, and its value."""

    path: str
    name: str
    value: Any
    depth: int


@dataclass(frozen=True, slots=True)
class Binding:
    """One attribute bound from a sample field, with the evidence that chose it."""

    device_type: str
    cluster: str
    attribute: str
    path: str
    evidence: str
    spec: dict[str, Any]


@dataclass(frozen=True, slots=True)
class Draft:
    """A drafted mapping: its YAML text and what was bound or left for the author."""

    text: str
    bindings: tuple[Binding, ...]
    device_types: tuple[str, ...]
    id_path: str
    notes: tuple[str, ...] = field(default=())

    def as_json(self) -> dict[str, Any]:
        return {
            "device_types": list(self.device_types),
            "id_path": self.id_path,
            "bindings": [
                {"cluster": b.cluster, "attribute": b.attribute, "path": b.path, "evidence": b.evidence}
                for b in self.bindings
            ],
            "notes": list(self.notes),
        }


class DraftingError(ValueError):
    """The sample cannot be drafted from (not an object, or nothing recognisable in it)."""


# --- the sample's leaves -----------------------------------------------------------------------------


def leaves(sample: Any) -> list[Leaf]:
    """Every scalar of the sample reachable by a plain path, in document order."""
    return list(_walk(sample, "", "", 0))


def _walk(node: Any, path: str, name: str, depth: int) -> Iterator[Leaf]:
    if isinstance(node, dict):
        for key, value in node.items():
            if not _WORD.fullmatch(key):
                continue
            child_name = name if key.lower() in _GENERIC and name else key
            yield from _walk(value, f"{path}.{key}" if path else key, child_name, depth + 1)
    elif isinstance(node, list):
        selector = _selector(node)
        if selector is None:
            return
        for item in node:
            tag = item[selector]
            yield from _walk(item, f"{path}[{selector}={tag}]", tag, depth + 1)
    elif (node is None or isinstance(node, bool | int | float | str)) and path:
        yield Leaf(path, name, node, depth)


def _selector(items: list[Any]) -> str | None:
    """The key that tells the objects of a list apart (`capabilities[instance=powerSwitch]`), if any."""
    if not items or not all(isinstance(i, dict) for i in items):
        return None
    for key in _SELECT_KEYS:
        tags = [i.get(key) for i in items]
        if all(isinstance(t, str) and _WORD.fullmatch(t) for t in tags) and len(set(tags)) == len(tags):
            return key
    return None


# --- evidence -------------------------------------------------------------------------------------------


def _words(leaf: Leaf) -> str:
    return leaf.name.lower()


def _spec_range(sample: Any, leaf: Leaf) -> tuple[float, float, int] | None:
    """A Tuya-style specification of the field (`status_range.<code>.value.{min,max,scale}`), when present."""
    if not isinstance(sample, dict):
        return None
    for key in ("status_range", "function", "functions"):
        spec = sample.get(key)
        entry = spec.get(leaf.name) if isinstance(spec, dict) else None
        values = entry.get("value") if isinstance(entry, dict) else None
        if isinstance(values, dict) and _number(values.get("min")) and _number(values.get("max")):
            scale = values.get("scale", 0)
            return float(values["min"]), float(values["max"]), scale if isinstance(scale, int) else 0
    return None


def _number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _sibling(sample: Any, leaf: Leaf, key: str) -> Any:
    """The value next to the leaf (`...temperature.unit` beside `...temperature.value`)."""
    parent, _, _ = leaf.path.rpartition(".")
    node = sample
    for part in parent.split(".") if parent else []:
        if not isinstance(node, dict) or part not in node:
            return None
        node = node[part]
    return node.get(key) if isinstance(node, dict) else None


Rule = Callable[[Any, Leaf], Binding | None]


def _on_off(sample: Any, leaf: Leaf) -> Binding | None:
    words = _words(leaf)
    if not (words in ("on", "power", "onoff", "on_off", "powerswitch", "switch_led") or words.startswith("switch")):
        return None
    value = leaf.value
    spec: dict[str, Any] = {"path": leaf.path}
    if isinstance(value, bool):
        evidence = "a boolean"
    elif isinstance(value, str) and value.lower() in ("on", "off"):
        on, off = ("on", "off") if value.islower() else ("ON", "OFF")
        spec["transforms"] = [{"bool": {"true": on, "false": off}}]
        evidence = f"the string {value!r} of on/off"
    elif _number(value) and value in (0, 1):
        spec["transforms"] = [{"bool": {"true": 1, "false": 0}}]
        evidence = f"the number {value} of 0/1"
    else:
        return None
    return Binding("OnOffPlugInUnit", "OnOff", "OnOff", leaf.path, f"name {leaf.name!r}, {evidence}", spec)


def _level(sample: Any, leaf: Leaf) -> Binding | None:
    words = _words(leaf)
    if not (words.startswith(("bright", "level", "dimming")) and _number(leaf.value)):
        return None
    found = _spec_range(sample, leaf)
    if found is not None:
        low, high, _ = found
        evidence = f"range [{_n(low)}, {_n(high)}] from the device's specification"
    else:
        low, high = 0.0, next(h for h in (1.0, 100.0, 255.0, 1000.0, 65535.0) if float(leaf.value) <= h)
        evidence = f"value {leaf.value} read as a level in [0, {_n(high)}]"
    integer = isinstance(leaf.value, int) and high > 1
    linear: dict[str, Any] = {
        "vendor": [_n(low), _n(high)],
        "matter": [0 if low == 0 else 1, 254],
        "round": "half_even",
    }
    if integer:
        linear["vendor_round"] = "half_even"
    spec = {
        "path": leaf.path,
        "range": [_n(low), _n(high)],
        "transforms": [{"linear": linear}, {"clamp": {"min": 1, "max": 254}}],
    }
    return Binding("DimmableLight", "LevelControl", "CurrentLevel", leaf.path, f"name {leaf.name!r}, {evidence}", spec)


def _temperature(sample: Any, leaf: Leaf) -> Binding | None:
    words = _words(leaf)
    if not (("temp" in words and "color" not in words and "colour" not in words) and _number(leaf.value)):
        return None
    if words.startswith(("temp_set", "target", "set")) or "setpoint" in words or words == "temp_value":
        return None
    unit = _sibling(sample, leaf, "unit")
    unit = unit if unit in ("C", "F") else "C"
    steps: list[dict[str, Any]] = []
    found = _spec_range(sample, leaf)
    evidence = f"unit {unit}"
    if found is not None and found[2]:
        steps.append({"decimal": {"scale": found[2], "max_quantum": 1}})
        evidence += f", {found[2]} decimal place(s) from the device's specification"
    steps += [{"temperature": {"unit": unit, "vendor_round": "half_even"}}, {"clamp": {"min": -27315, "max": 32767}}]
    spec = {"path": leaf.path, "optional": True, "read_only": True, "transforms": steps}
    return Binding(
        "TemperatureSensor",
        "TemperatureMeasurement",
        "MeasuredValue",
        leaf.path,
        f"name {leaf.name!r}, {evidence}",
        spec,
    )


def _humidity(sample: Any, leaf: Leaf) -> Binding | None:
    if "humidity" not in _words(leaf) or not _number(leaf.value) or "target" in _words(leaf):
        return None
    steps: list[dict[str, Any]] = []
    found = _spec_range(sample, leaf)
    evidence = "percent"
    if found is not None and found[2]:
        steps.append({"decimal": {"scale": found[2], "max_quantum": 1}})
        evidence += f", {found[2]} decimal place(s) from the device's specification"
    steps += [{"scale": {"factor": 100, "round": "half_even"}}, {"clamp": {"min": 0, "max": 10000}}]
    spec = {"path": leaf.path, "optional": True, "read_only": True, "range": [0, 100], "transforms": steps}
    return Binding(
        "HumiditySensor",
        "RelativeHumidityMeasurement",
        "MeasuredValue",
        leaf.path,
        f"name {leaf.name!r}, {evidence}",
        spec,
    )


_CONTACT_WORDS = {"closed": "open", "contact": "no_contact"}


def _contact(sample: Any, leaf: Leaf) -> Binding | None:
    words = _words(leaf)
    value = leaf.value
    transforms: list[dict[str, Any]]
    if isinstance(value, str) and value in (*_CONTACT_WORDS, *_CONTACT_WORDS.values()):
        closed = value if value in _CONTACT_WORDS else next(k for k, v in _CONTACT_WORDS.items() if v == value)
        transforms = [{"enum": {"values": {"true": closed, "false": _CONTACT_WORDS[closed]}}}]
        evidence = f"the string {value!r} of {closed}/{_CONTACT_WORDS[closed]}"
    elif isinstance(value, bool) and ("contact" in words or "door" in words):
        transforms = [{"bool": {"true": False, "false": True}}]
        evidence = "a boolean, true read as open"
    else:
        return None
    spec = {"path": leaf.path, "read_only": True, "transforms": transforms}
    return Binding("ContactSensor", "BooleanState", "StateValue", leaf.path, f"name {leaf.name!r}, {evidence}", spec)


def _motion(sample: Any, leaf: Leaf) -> Binding | None:
    words = _words(leaf)
    if not any(w in words for w in ("motion", "pir", "presence", "occupancy")):
        return None
    value = leaf.value
    values: dict[str, Any]
    if isinstance(value, bool):
        values, evidence = {"1": True, "0": False}, "a boolean"
    elif value in ("active", "inactive"):
        values, evidence = {"1": "active", "0": "inactive"}, f"the string {value!r} of active/inactive"
    elif value in ("pir", "nopir", "none"):
        values, evidence = {"1": "pir", "0": "none"}, f"the string {value!r} of pir/none"
    else:
        return None
    enum: dict[str, Any] = {"values": values}
    if not isinstance(value, bool):
        enum["default"] = 0
    spec = {"path": leaf.path, "read_only": True, "transforms": [{"enum": enum}]}
    return Binding(
        "OccupancySensor", "OccupancySensing", "Occupancy", leaf.path, f"name {leaf.name!r}, {evidence}", spec
    )


def _lock(sample: Any, leaf: Leaf) -> Binding | None:
    if leaf.value not in ("locked", "unlocked"):
        return None
    spec = {
        "path": leaf.path,
        "optional": True,
        "transforms": [{"enum": {"values": {"Locked": "locked", "Unlocked": "unlocked"}}}],
    }
    evidence = f"the string {leaf.value!r} of locked/unlocked"
    return Binding("DoorLock", "DoorLock", "LockState", leaf.path, f"name {leaf.name!r}, {evidence}", spec)


def _battery(sample: Any, leaf: Leaf) -> Binding | None:
    if "battery" not in _words(leaf) or not _number(leaf.value) or isinstance(leaf.value, bool):
        return None
    high = 1 if isinstance(leaf.value, float) and leaf.value <= 1 else 100
    if leaf.value > high:
        return None
    spec = {
        "path": leaf.path,
        "optional": True,
        "read_only": True,
        "range": [0, high],
        "transforms": [{"scale": {"factor": 200 // high, "round": "half_even"}}, {"clamp": {"min": 0, "max": 200}}],
    }
    evidence = f"name {leaf.name!r}, a percentage in [0, {high}]"
    return Binding("PowerSource", "PowerSource", "BatPercentRemaining", leaf.path, evidence, spec)


RULES: tuple[Rule, ...] = (_on_off, _level, _lock, _temperature, _humidity, _contact, _motion, _battery)

# the attributes every drafted cluster reports beside the bound one, and the commands it maps
_FIXED: dict[str, dict[str, Any]] = {
    "LevelControl": {
        "MinLevel": {"const": 1},
        "MaxLevel": {"const": 254},
        "Options": {"const": 0},
        "OnLevel": {"const": None},
    },
    "TemperatureMeasurement": {"MinMeasuredValue": {"const": None}, "MaxMeasuredValue": {"const": None}},
    "RelativeHumidityMeasurement": {"MinMeasuredValue": {"const": None}, "MaxMeasuredValue": {"const": None}},
    "OccupancySensing": {"OccupancySensorType": {"const": 0}, "OccupancySensorTypeBitmap": {"const": 1}},
    "DoorLock": {
        "LockType": {"const": 0},
        "ActuatorEnabled": {"const": True},
        "OperatingMode": {"const": 0},
        "SupportedOperatingModes": {"const": 65534},
    },
    "PowerSource": {
        "Status": {"const": 0},
        "Order": {"const": 0},
        "Description": {"const": "Battery"},
        "EndpointList": {"const": []},
    },
}
_FEATURES = {"OnOff": ["LT"], "LevelControl": ["OO", "LT"], "OccupancySensing": ["PIR"], "PowerSource": ["BAT"]}


def _commands(cluster: str, clusters: dict[str, Any]) -> dict[str, Any]:
    if cluster == "OnOff":
        return {"Off": {"write": {"OnOff": False}}, "On": {"write": {"OnOff": True}}, "Toggle": {"toggle": "OnOff"}}
    if cluster == "LevelControl":
        commands: dict[str, Any] = {"MoveToLevel": {"write": {"CurrentLevel": "$Level"}}}
        if "OnOff" in clusters:
            commands["MoveToLevelWithOnOff"] = {"write": {"CurrentLevel": "$Level", "OnOff.OnOff": True}}
        return commands
    if cluster == "DoorLock":
        return {"LockDoor": {"write": {"LockState": "Locked"}}, "UnlockDoor": {"write": {"LockState": "Unlocked"}}}
    return {}


# --- the draft ------------------------------------------------------------------------------------------


def find_bindings(sample: Any) -> list[Binding]:
    """The first field recognised by each rule (one binding per attribute, one attribute per field)."""
    found: dict[tuple[str, str], Binding] = {}
    used: set[str] = set()
    fields = sorted(leaves(sample), key=lambda leaf: leaf.depth)
    for rule in RULES:
        for leaf in fields:
            if leaf.path in used or _is_specification(leaf):
                continue
            binding = rule(sample, leaf)
            if binding is not None and (binding.cluster, binding.attribute) not in found:
                found[(binding.cluster, binding.attribute)] = binding
                used.add(leaf.path)
                break
    bindings = list(found.values())
    if not any(b.cluster == "OnOff" for b in bindings):
        bindings = [b for b in bindings if b.cluster != "LevelControl"]
    return bindings


def _is_specification(leaf: Leaf) -> bool:
    return leaf.path.split(".", 1)[0] in ("status_range", "function", "functions")


def _first(sample: Any, names: tuple[str, ...], kinds: tuple[type, ...]) -> Leaf | None:
    candidates = [leaf for leaf in leaves(sample) if leaf.depth <= 2 and isinstance(leaf.value, kinds)]
    for name in names:
        for leaf in sorted(candidates, key=lambda c: c.depth):
            if leaf.path.rsplit(".", 1)[-1].lower() == name and not isinstance(leaf.value, bool):
                return leaf
    return None


def draft_mapping(vendor: str, kind: str, sample: Any, *, device_type: str | None = None, source: str = "") -> Draft:
    """A mapping for `vendor/kind` drafted from one sample payload; raises DraftingError when nothing is found."""
    if not isinstance(sample, dict):
        raise DraftingError("the sample must be a JSON object (one device's state)")
    bindings = find_bindings(sample)
    if not bindings:
        raise DraftingError(
            "no field of the sample was recognised (on/off, level, temperature, humidity, contact, motion, lock, "
            "battery): start from a shipped mapping under mappings/"
        )
    notes: list[str] = []
    id_leaf = _first(sample, _ID_NAMES, (str, int))
    if id_leaf is None:
        notes.append("the sample carries no device id: `device.id` reads deviceId, which the connector must add")
    id_path = id_leaf.path if id_leaf is not None else "deviceId"
    name_leaf = _first(sample, _NAME_NAMES, (str,))
    kind_leaf = _first(sample, _KIND_NAMES, (str, int))
    endpoints = _endpoints(bindings, kind, device_type, notes)
    match: list[dict[str, Any]] = []
    if kind_leaf is not None:
        match.append({"path": kind_leaf.path, "equals": kind_leaf.value})
    match += [{"path": b.path, "present": True} for b in bindings]
    device: dict[str, Any] = {"id": id_path}
    if name_leaf is not None:
        device["name"] = name_leaf.path
    document: dict[str, Any] = {
        "matter_map": 1,
        "vendor": vendor,
        "kind": kind,
        "title": f"{vendor} {kind} (drafted by matter-map init{' from ' + source if source else ''})",
        "spec_version": "1.4",
        "match": {"all": match},
        "device": device,
        "write": {"method": "PUT", "url": "/devices/{device_id}", "body": "merge"},
        "endpoints": endpoints,
    }
    header = [
        f"# Drafted by `matter-map init` from {source or 'a sample payload'}: review every binding, the match rule",
        "# and the write endpoint (PUT /devices/{device_id} with the changed fields is a placeholder).",
        *(f"# note: {n}" for n in notes),
    ]
    text = "\n".join([*header, *to_yaml(document)]) + "\n"
    device_types = tuple(e["device_types"][0] for e in endpoints)
    return Draft(text, tuple(bindings), device_types, id_path, tuple(notes))


def _endpoints(bindings: list[Binding], kind: str, device_type: str | None, notes: list[str]) -> list[dict[str, Any]]:
    """One endpoint per device type: the light or plug (OnOff, LevelControl) first, then each sensor or lock."""
    groups: dict[str, dict[str, dict[str, Any]]] = {}
    for binding in bindings:
        group = "DimmableLight" if binding.cluster in ("OnOff", "LevelControl") else binding.device_type
        attributes = groups.setdefault(group, {}).setdefault(binding.cluster, {})
        spec = {**binding.spec, "description": f"drafted: {binding.evidence}"}
        if "[" in binding.path and not spec.get("read_only"):
            spec["read_only"] = True
            notes.append(f"{binding.path} selects from a list: read-only until you add a `request:` for its writes")
        attributes[binding.attribute] = spec
    endpoints = []
    for number, (group, clusters) in enumerate(groups.items(), start=1):
        name = group
        if group == "DimmableLight" and "LevelControl" not in clusters:
            name = "OnOffLight" if any(w in kind.lower() for w in ("light", "bulb", "lamp")) else "OnOffPlugInUnit"
        if number == 1 and device_type:
            name = device_type
        rendered: dict[str, Any] = {}
        for cluster_name, attributes in clusters.items():
            cluster: dict[str, Any] = {}
            if cluster_name in _FEATURES:
                cluster["features"] = _FEATURES[cluster_name]
            cluster["attributes"] = {**attributes, **_FIXED.get(cluster_name, {})}
            writable = not any(a.get("read_only") for a in attributes.values())
            commands = _commands(cluster_name, clusters) if writable else {}
            if commands:
                cluster["commands"] = commands
            rendered[cluster_name] = cluster
        endpoints.append({"id": number, "device_types": [name], "clusters": rendered})
    return endpoints


# --- YAML text ------------------------------------------------------------------------------------------


def scalar(value: Any) -> str:
    """A scalar as YAML that the strict loader reads back to the same JSON value."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return json.dumps(value)
    text = str(value)
    if _PLAIN.fullmatch(text) and text.lower() not in _NOT_PLAIN and not text[0].isdigit():
        return text
    return _NOT_PRINTABLE.sub(lambda m: f"\\u{ord(m.group()):04x}", json.dumps(text, ensure_ascii=False))


def flow(value: Any) -> str:
    """A value in YAML flow style (`{path: a.b, transforms: [...]}`)."""
    if isinstance(value, dict):
        return "{" + ", ".join(f"{scalar(k)}: {flow(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list):
        return "[" + ", ".join(flow(v) for v in value) + "]"
    return scalar(value)


def to_yaml(value: Any, indent: int = 0, width: int = 110) -> list[str]:
    """Block style for the outline, flow style for anything that fits on its line."""
    pad = " " * indent
    lines: list[str] = []
    if isinstance(value, dict):
        for key, item in value.items():
            head = f"{pad}{scalar(key)}:"
            inline = flow(item)
            if not isinstance(item, dict | list) or len(head) + 1 + len(inline) <= width or not item:
                lines.append(f"{head} {inline}")
            else:
                lines.append(head)
                lines += to_yaml(item, indent + 2, width)
    elif isinstance(value, list):
        for item in value:
            inline = flow(item)
            if not isinstance(item, dict) or len(pad) + 2 + len(inline) <= width:
                lines.append(f"{pad}- {inline}")
            else:
                body = to_yaml(item, indent + 2, width)
                lines.append(f"{pad}- {body[0].lstrip()}")
                lines += body[1:]
    return lines


def _n(number: float) -> int | float:
    return int(number) if float(number).is_integer() else number
