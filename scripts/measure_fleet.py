"""Measure a folder of real device payloads: per vendor and category, how many translate to valid payloads.

    python3 scripts/measure_fleet.py FOLDER [--mappings mappings] [--target 0.95]

Every `*.json` under FOLDER is one device as its vendor's cloud returns it: a Tuya device (the device-sharing
SDK's shape: `category`, `function`, `status_range`, `status`) or a SmartThings device status (`components`).
Each is translated through its vendor folder as the connector does (`selection.select_for_device`: the one
whole-shape mapping that recognises it, else the mapping the folder's profile composes): DEVICE_EVENT and
DEVICE_DISCOVERY checked against the service model. For Tuya lights and plugs, On, Off and MoveToLevel on every
switched endpoint must write only codes of the device's own `function` list with values its spec allows.
Prints one row per vendor and category (devices, those reporting no value at all, translated, refused with the
reasons, crashed, commands, what no part binds) and exits 1 when a category translates fewer than `--target` of
its devices that report a state, a command body breaks the device's spec, or anything crashed.
"""

from __future__ import annotations

import argparse
import json
import sys
import traceback
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from matter_map.errors import TranslationError, TranslationProblem
from matter_map.ir import CompiledMapping
from matter_map.loader import load_mapping, read_text
from matter_map.payload_check import PayloadInvalid, ensure_valid_connector_event
from matter_map.selection import Selection, folder_profile, select_for_device
from matter_map.translator import Translator
from matter_map.yaml_loader import load_yaml

ROOT = Path(__file__).resolve().parent.parent
#: Tuya categories whose On/Off/MoveToLevel bodies are checked against the device's own function spec
SWITCHED_CLASSES = ("light", "plug")
#: SmartThings capabilities that name a device's kind, most specific first
SMARTTHINGS_KINDS = (
    ("thermostatHeatingSetpoint", "thermostat"),
    ("thermostatMode", "thermostat"),
    ("lock", "lock"),
    ("windowShade", "window_shade"),
    ("colorControl", "colour_light"),
    ("colorTemperature", "ct_light"),
    ("switchLevel", "dimmer"),
    ("switch", "switch"),
    ("motionSensor", "motion_sensor"),
    ("contactSensor", "contact_sensor"),
    ("temperatureMeasurement", "temperature_sensor"),
    ("relativeHumidityMeasurement", "humidity_sensor"),
    ("powerMeter", "meter"),
    ("energyMeter", "meter"),
)


@dataclass(frozen=True, slots=True)
class Device:
    vendor: str
    category: str
    name: str
    state: dict[str, Any]


@dataclass
class Row:
    covered: bool = True  # a category the vendor folder claims; the others are shown, not held to the target
    devices: int = 0
    empty: int = 0  # devices whose payload reports no value at all (never set up, never reported): not measurable
    translated: int = 0
    refused: Counter[str] = field(default_factory=Counter)
    crashed: list[str] = field(default_factory=list)
    commands: int = 0
    bad_commands: list[str] = field(default_factory=list)
    unmapped: Counter[str] = field(default_factory=Counter)


def devices_in(folder: Path) -> Iterator[Device]:
    """Every device payload under `folder` whose vendor is recognised by its shape, in name order."""
    for file in sorted(folder.rglob("*.json")):
        try:
            state = json.loads(file.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        if not isinstance(state, dict):
            continue
        if isinstance(state.get("components"), dict):
            yield Device("smartthings", smartthings_kind(state["components"]), file.stem, state)
        elif isinstance(state.get("status_range"), dict) or isinstance(state.get("function"), dict):
            yield Device("tuya", str(state.get("category", "?")), file.stem, state)


def reports_nothing(device: Device) -> bool:
    """True when the payload holds no value: a Tuya status that is empty, or SmartThings attributes all null."""
    if device.vendor == "tuya":
        status = device.state.get("status")
        return not isinstance(status, dict) or not status
    values = [
        attribute.get("value")
        for component in device.state["components"].values()
        if isinstance(component, dict)
        for capability in component.values()
        if isinstance(capability, dict)
        for attribute in capability.values()
        if isinstance(attribute, dict)
    ]
    return all(value is None for value in values)


def smartthings_kind(components: dict[str, Any]) -> str:
    main = components.get("main")
    declared = set(main) if isinstance(main, dict) else set()
    disabled = (main or {}).get("custom.disabledCapabilities", {}).get("disabledCapabilities", {}).get("value")
    declared -= set(disabled) if isinstance(disabled, list) else set()
    return next((kind for capability, kind in SMARTTHINGS_KINDS if capability in declared), "other")


class Fleet:
    """The shipped vendor folders, loaded once: whole-shape mappings and the folder's profile."""

    def __init__(self, mappings: Path) -> None:
        self.root = mappings
        self._mappings: dict[str, list[CompiledMapping]] = {}

    def select(self, vendor: str, state: Any) -> Selection:
        if vendor not in self._mappings:
            self._mappings[vendor] = [load_mapping(p).compiled for p in sorted((self.root / vendor).glob("*.yaml"))]
        return select_for_device(self._mappings[vendor], folder_profile(self.root / vendor), state)

    def covered(self, vendor: str, category: str) -> bool:
        """Whether the vendor folder claims the category: SmartThings kinds the script names (not `other`); a Tuya
        category the profile's classes or fragments name, or a whole-shape mapping's match rule asks for."""
        if vendor == "smartthings":
            return category != "other"
        profile = folder_profile(self.root / vendor)
        named: set[str] = set()
        if profile is not None:
            named.update(c for categories in profile.model.classes.values() for c in categories)
            named.update(c for f in profile.fragments for c in f.model.categories or ())
        for file in sorted((self.root / vendor).glob("*.yaml")):
            named.update(_category_tests(load_yaml(read_text(file), str(file)).value.get("match")))
        return category in named

    def device_class(self, vendor: str, category: str) -> str | None:
        profile = folder_profile(self.root / vendor)
        if profile is None:
            return None
        return next((name for name, cats in profile.model.classes.items() if category in cats), None)


def _category_tests(rule: Any) -> Iterator[str]:
    """The categories a match rule asks for (`{path: category, equals: X}` anywhere in it)."""
    if isinstance(rule, dict):
        if rule.get("path") == "category" and isinstance(rule.get("equals"), str):
            yield rule["equals"]
        for value in rule.values():
            yield from _category_tests(value)
    elif isinstance(rule, list):
        for item in rule:
            yield from _category_tests(item)


def own_id(chosen: Selection, device: Device) -> str | None:
    """None when the payload carries its id; else a stable stand-in (some captured payloads have none)."""
    own = chosen.compiled.device_id.get(device.state)
    return None if isinstance(own, str | int) and str(own) else f"fleet-{device.name}"


def translate(fleet: Fleet, device: Device) -> Selection:
    """Selection, DEVICE_EVENT and DEVICE_DISCOVERY for one device, every payload checked against the model."""
    chosen = fleet.select(device.vendor, device.state)
    device_id = own_id(chosen, device)
    translator = Translator(chosen.compiled, check=ensure_valid_connector_event)
    if not translator.to_matter(device.state, device_id=device_id):
        raise TranslationError([TranslationProblem("no-event", "the device translated to no DEVICE_EVENT")])
    report = translator.capability_report(device.state, device_id=device_id)
    discovery = {"ConnectorId": "fleet", "Operation": "DEVICE_DISCOVERY", "OperationVersion": "1.0"}
    ensure_valid_connector_event(discovery | {"DeviceDiscoveryId": "fleet1", "Devices": [report]})
    return chosen


def command(endpoint: str, capability: str, action: str, parameters: dict[str, Any]) -> dict[str, Any]:
    actions = [{"name": action, "parameters": parameters}]
    capability_entry = {"id": f"matter.{capability}@1.4", "name": capability, "version": "1", "actions": actions}
    return {"Endpoints": [{"endpointId": endpoint, "capabilities": [capability_entry]}]}


LEVEL = {"Level": 200, "TransitionTime": 0, "OptionsMask": 0, "OptionsOverride": 0}


def check_tuya_commands(chosen: Selection, state: dict[str, Any], device_id: str | None) -> tuple[int, list[str]]:
    """On, Off and MoveToLevel on every endpoint with OnOff (level where LevelControl is): the number of calls and
    what is wrong with any (a refusal of a command the device declares, a code or value its spec does not allow)."""
    translator = Translator(chosen.compiled)
    functions: dict[str, Any] = state["function"] if isinstance(state.get("function"), dict) else {}
    count, problems = 0, []
    for endpoint in chosen.compiled.endpoints:
        clusters = {c.name: c for c in endpoint.clusters}
        calls: list[tuple[str, str, dict[str, Any]]] = []
        if "OnOff" in clusters:
            calls += [("OnOff", "On", {}), ("OnOff", "Off", {})]
        if "LevelControl" in clusters:
            calls.append(("LevelControl", "MoveToLevel", LEVEL))
        for capability, action, parameters in calls:
            count += 1
            if action not in {c.name for c in clusters[capability].commands}:
                continue  # not offered: the device declares no write for it (refused with the reason)
            call = command(endpoint.id, capability, action, parameters)
            try:
                requests = translator.to_vendor(call, state=state, device_id=device_id)
            except TranslationError as exc:
                problems.append(f"{action}@{endpoint.id}: refused: {exc.problems[0].message}")
                continue
            for request in requests:
                items = request.get("body", {}).get("commands", []) if isinstance(request.get("body"), dict) else []
                for item in items:
                    spec = functions.get(item.get("code"))
                    why = "not in the function list" if spec is None else tuya_value_problem(spec, item.get("value"))
                    if why:
                        problems.append(f"{action}@{endpoint.id}: {item.get('code')}={item.get('value')!r}: {why}")
    return count, problems


def _number(value: Any) -> float:
    return float(value)  # Tuya specs give bounds as numbers, some products as numeric strings


def tuya_value_problem(spec: Any, value: Any) -> str | None:
    """Why `value` is not one the Tuya DP spec allows, or None."""
    kind = spec.get("type") if isinstance(spec, dict) else None
    values = spec.get("value") if isinstance(spec, dict) else None
    if isinstance(values, str):
        values = json.loads(values)
    if kind == "Boolean":
        return None if isinstance(value, bool) else f"{value!r} is not a Boolean"
    if kind == "Integer" and isinstance(values, dict):
        if isinstance(value, bool) or not isinstance(value, int):
            return f"{value!r} is not an integer"
        low, high, step = _number(values["min"]), _number(values["max"]), _number(values.get("step", 1)) or 1
        if not low <= value <= high:
            return f"{value} is outside {values['min']}..{values['max']}"
        return None if (value - low) % step == 0 else f"{value} is off the step {values.get('step')}"
    if kind == "Enum" and isinstance(values, dict):
        return None if value in values.get("range", []) else f"{value!r} is not one of {values.get('range')}"
    if kind == "Json":
        data = json.loads(value) if isinstance(value, str) else value
        return None if isinstance(data, dict) else f"{value!r} is not a JSON object"
    return f"unexpected spec type {kind}"


def measure(devices: Sequence[Device], mappings: Path = ROOT / "mappings") -> dict[tuple[str, str], Row]:
    fleet = Fleet(mappings)
    rows: dict[tuple[str, str], Row] = {}
    for device in devices:
        row = rows.setdefault(
            (device.vendor, device.category), Row(covered=fleet.covered(device.vendor, device.category))
        )
        row.devices += 1
        row.empty += reports_nothing(device)
        try:
            chosen = translate(fleet, device)
        except TranslationError as exc:
            row.refused[exc.problems[-1].code] += 1
            continue
        except PayloadInvalid as exc:  # a payload the service would reject: the library's fault, not the device's
            row.refused[f"invalid-payload({exc.problems[0].code})"] += 1
            row.crashed.append(f"{device.name}: invalid payload: {exc.problems[0]}")
            continue
        except Exception as exc:  # noqa: BLE001 - a crash is what this measures
            where = traceback.extract_tb(exc.__traceback__)[-1]
            row.crashed.append(f"{device.name}: {type(exc).__name__}: {exc} ({where.filename}:{where.lineno})")
            continue
        row.translated += 1
        row.unmapped.update(part.split(".")[-1] for part in chosen.unmapped)
        if device.vendor == "tuya" and fleet.device_class("tuya", device.category) in SWITCHED_CLASSES:
            count, problems = check_tuya_commands(chosen, device.state, own_id(chosen, device))
            row.commands += count
            row.bad_commands.extend(f"{device.name}: {p}" for p in problems)
    return rows


def render(rows: dict[tuple[str, str], Row], *, detail: bool = True) -> str:
    head = (
        f"{'vendor':<12} {'category':<24} {'devices':>7} {'empty':>5} {'translated':>10} {'refused':>7} {'crashed':>7} "
        f"{'commands ok':>11}  reasons / unmapped"
    )
    lines = [head, "-" * len(head)]
    totals = Row()
    for (vendor, category), row in sorted(rows.items()):
        reasons = ", ".join(f"{code}×{n}" for code, n in sorted(row.refused.items()))
        unmapped = ", ".join(f"{code}×{n}" for code, n in row.unmapped.most_common(6))
        more = len(row.unmapped) - 6
        unmapped += f", +{more} more" if more > 0 else ""
        text = "; ".join(x for x in (reasons and f"refused: {reasons}", unmapped and f"unmapped: {unmapped}") if x)
        commands = f"{row.commands - len(row.bad_commands)}/{row.commands}" if row.commands else "-"
        refused = sum(row.refused.values())
        shown = category if row.covered else f"{category} (not covered)"
        lines.append(
            f"{vendor:<12} {shown:<24} {row.devices:>7} {row.empty:>5} {row.translated:>10} {refused:>7} "
            f"{len(row.crashed):>7} {commands:>11}  {text}"
        )
        totals.devices += row.devices
        totals.empty += row.empty
        totals.translated += row.translated
        totals.refused.update(row.refused)
        totals.crashed.extend(row.crashed)
        totals.commands += row.commands
        totals.bad_commands.extend(row.bad_commands)
    ok = f"{totals.commands - len(totals.bad_commands)}/{totals.commands}"
    lines.append("-" * len(head))
    refused = sum(totals.refused.values())
    lines.append(
        f"{'all':<12} {'':<24} {totals.devices:>7} {totals.empty:>5} {totals.translated:>10} {refused:>7} "
        f"{len(totals.crashed):>7} {ok:>11}"
    )
    if detail:
        lines.extend(f"crashed: {c}" for c in totals.crashed)
        lines.extend(f"bad command: {c}" for c in totals.bad_commands)
    return "\n".join(lines)


def short_of(rows: dict[tuple[str, str], Row], target: float) -> dict[tuple[str, str], str]:
    """The covered categories that translate fewer than `target` of the devices reporting a state, or any with a
    crash or a bad command body, with their counts."""
    return {
        key: f"{row.translated}/{row.devices - row.empty}"
        for key, row in rows.items()
        if (row.covered and row.translated < target * (row.devices - row.empty)) or row.crashed or row.bad_commands
    }


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("folder", type=Path, help="a folder of device payloads (*.json, searched recursively)")
    parser.add_argument("--mappings", type=Path, default=ROOT / "mappings", help="the vendor folders")
    parser.add_argument("--target", type=float, default=0.95, help="the share each category must translate")
    args = parser.parse_args(argv)
    if not args.folder.is_dir():
        print(f"measure_fleet: no folder {args.folder}", file=sys.stderr)
        return 2
    devices = list(devices_in(args.folder))
    if not devices:
        print(f"measure_fleet: no Tuya or SmartThings device payload under {args.folder}", file=sys.stderr)
        return 2
    rows = measure(devices, args.mappings)
    print(render(rows))
    return 1 if short_of(rows, args.target) else 0


if __name__ == "__main__":
    sys.exit(main())
