"""Every device of the shared vendor corpus: the kind that accepts it, valid payloads both ways, golden snapshots.

Golden files (tests/golden/<vendor>.json) hold this project's own outputs for each corpus device: the
SendConnectorEvent requests, the discovery entry, and a representative command's vendor requests. Refresh them
with `MATTER_MAP_UPDATE_GOLDEN=1 python -m pytest tests/test_corpus_acceptance.py` and review the diff.
"""

from __future__ import annotations

import json
import os
import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from matter_map.errors import TranslationError
from matter_map.ir import CompiledMapping
from matter_map.loader import load_mapping
from matter_map.outcomes import attribute_outcomes
from matter_map.payload_check import check_connector_event, ensure_valid_connector_event
from matter_map.rules import matches
from matter_map.rules_explain import why_not
from matter_map.translator import Translator

from .conftest import MAPPINGS, corpus_file, load_json

GOLDEN = Path(__file__).parent / "golden"
UPDATE = os.environ.get("MATTER_MAP_UPDATE_GOLDEN") == "1"
HUE_TYPES = {"light", "grouped_light", "motion", "temperature", "light_level", "contact", "device_power"}


@dataclass(frozen=True)
class Device:
    vendor: str
    key: str  # stable name: file, plus an index or id for files holding several devices
    document: Any


def corpus_devices() -> Iterator[Device]:
    """Every device state of the corpus (resource lists and wrappers unpacked), in a stable order."""
    for name in ("aiohue_v2_resources.json", "aiohue_v2_resources_at_8ff4f18.json"):
        for resource in load_json(corpus_file("hue", name)):
            if resource["type"] in HUE_TYPES:
                yield Device("philips_hue", f"{name}#{resource['id']}", resource)
    for file in sorted(corpus_file("tuya").glob("*.json")):
        yield Device("tuya", file.name, load_json(file))
    for file in sorted((corpus_file("smartthings") / "device_status").glob("*.json")):
        yield Device("smartthings", f"device_status/{file.name}", load_json(file))
    yield Device("smartthings", "device.json", load_json(corpus_file("smartthings", "device.json")))
    for file in sorted(corpus_file("yale_august").glob("*.json")):
        yield Device("yale_august", file.name, load_json(file))
    for i, thermostat in enumerate(load_json(corpus_file("ecobee", "ecobee-data.json"))["thermostatList"]):
        yield Device("ecobee", f"ecobee-data.json#{i}", thermostat)
    for file in sorted(corpus_file("lifx").glob("*.json")):
        yield Device("lifx", file.name, load_json(file))
    for name in ("list_devices.json", "list_devices_issue4.json"):
        for i, entry in enumerate(load_json(corpus_file("govee", name))["data"]):
            yield Device("govee", f"{name}#{i}", entry)
    yield Device("govee", "get_device_state.json", load_json(corpus_file("govee", "get_device_state.json"))["payload"])


_MAPPINGS: dict[str, list[CompiledMapping]] = {}


def mappings_of(vendor: str) -> list[CompiledMapping]:
    if vendor not in _MAPPINGS:
        _MAPPINGS[vendor] = [load_mapping(p).compiled for p in sorted((MAPPINGS / vendor).glob("*.yaml"))]
    return _MAPPINGS[vendor]


def device_id_for(mapping: CompiledMapping, device: Device) -> str | None:
    """The payload's own id, or a stable stand-in where the corpus file carries none (Tuya, SmartThings)."""
    value = mapping.device_id.get(device.document)
    if isinstance(value, str | int) and not isinstance(value, bool) and str(value):
        return None
    return "corpus-" + re.sub(r"[^A-Za-z0-9]+", "-", device.key).strip("-")


def representative_command(mapping: CompiledMapping) -> dict[str, Any] | None:
    """The first command of a fixed preference list the mapping binds (the same choice every run)."""
    preferences: list[tuple[str, str, dict[str, Any]]] = [
        ("OnOff", "Toggle", {}),
        ("DoorLock", "LockDoor", {}),
        ("WindowCovering", "GoToLiftPercentage", {"LiftPercent100thsValue": 5000}),
        ("Thermostat", "SetpointRaiseLower", {"Mode": 0, "Amount": 10}),
    ]
    bound = {(c.name, cmd.name) for _, c in mapping.clusters() for cmd in c.commands}
    for cluster, action, params in preferences:
        if (cluster, action) in bound:
            endpoint = next(e.id for e, c in mapping.clusters() if c.name == cluster)
            capability = {"id": f"matter.{cluster}@{mapping.spec_version}", "name": cluster, "version": "1"}
            action_entry = {"name": action, "parameters": params}
            return {
                "Endpoints": [{"endpointId": endpoint, "capabilities": [{**capability, "actions": [action_entry]}]}]
            }
    return None


def snapshot(mapping: CompiledMapping, device: Device) -> dict[str, Any]:
    """What the project emits for one corpus device; every AWS payload is checked on the way."""
    translator = Translator(mapping, check=ensure_valid_connector_event)
    device_id = device_id_for(mapping, device)
    events = translator.to_matter(device.document, connector_id="corpus", device_id=device_id)
    discovery = translator.capability_report(device.document, device_id=device_id)
    request = {
        "ConnectorId": "corpus",
        "Operation": "DEVICE_DISCOVERY",
        "DeviceDiscoveryId": "d1",
        "Devices": [discovery],
    }
    assert check_connector_event(request) == []
    omitted = [str(o) for o in attribute_outcomes(mapping, device.document) if o.status != "reported"]
    failed = [o for o in attribute_outcomes(mapping, device.document) if o.status == "failed"]
    assert failed == [], failed
    call = representative_command(mapping)
    vendor: Any = None
    if call is not None:
        try:
            vendor = translator.to_vendor(call, state=device.document, device_id=device_id)
        except TranslationError as exc:
            vendor = {"refused": [p.message for p in exc.problems]}
    return {
        "mapping": mapping.identity,
        "events": events,
        "discovery": discovery,
        "omitted": omitted,
        "command": call,
        "requests": vendor,
    }


def classify(device: Device) -> tuple[CompiledMapping | None, str]:
    found = [m for m in mappings_of(device.vendor) if matches(m.match, device.document)]
    assert len(found) <= 1, f"{device.key}: several kinds accept it: {[m.kind for m in found]}"
    if found:
        return found[0], ""
    reasons = [f"{m.kind}: {why_not(m.match, device.document)}" for m in mappings_of(device.vendor)]
    return None, "; ".join(reasons)


#: corpus files that hold no device state, or devices of kinds no mapping covers (pinned: a change shows here)
NOT_DEVICES = {
    ("smartthings", "device.json"): "a device description (GET /v1/devices/{id}), not a status",
    ("yale_august", "door_open_activity.json"): "an activity-feed item (an event), not a lock state",
    ("yale_august", "remote_lock_activity_v4.json"): "an activity-feed item (an event), not a lock state",
    ("yale_august", "get_locks.json"): "the list of a user's locks, not a lock state",
    ("yale_august", "lock.json"): "the response of a lock command, not a lock state",
    ("yale_august", "unlock.json"): "the response of an unlock command, not a lock state",
    ("yale_august", "unlatch.json"): "the response of an unlatch command, not a lock state",
    ("govee", "list_devices_issue4.json#0"): "a fan: no Govee fan mapping",
    ("govee", "list_devices_issue4.json#1"): "a humidifier: no Govee humidifier mapping",
    ("govee", "list_devices_issue4.json#2"): "a space heater: no Govee heater mapping",
    ("govee", "list_devices_issue4.json#3"): "an air purifier: no Govee purifier mapping",
    ("govee", "get_device_state.json"): "a humidifier's state (H7143): no Govee humidifier mapping",
}


def test_every_corpus_device_of_a_covered_kind_translates(capsys: pytest.CaptureFixture[str]) -> None:
    tally: dict[str, list[int]] = {}
    unaccepted: dict[tuple[str, str], str] = {}
    golden: dict[str, dict[str, Any]] = {}
    for device in corpus_devices():
        mapping, reason = classify(device)
        counts = tally.setdefault(device.vendor, [0, 0])
        counts[1] += 1
        if mapping is None:
            unaccepted[(device.vendor, device.key)] = reason
            continue
        counts[0] += 1
        golden.setdefault(device.vendor, {})[device.key] = snapshot(mapping, device)
    lines = ["", "corpus devices accepted / total, per vendor:"]
    lines += [f"  {vendor:<12} {accepted:>3} / {total}" for vendor, (accepted, total) in sorted(tally.items())]
    lines += [
        f"  not accepted: {vendor}/{key}: {NOT_DEVICES.get((vendor, key), '?')} ({reason})"
        for (vendor, key), reason in sorted(unaccepted.items())
    ]
    with capsys.disabled():
        sys.stdout.write("\n".join(lines) + "\n")
    assert set(unaccepted) == set(NOT_DEVICES)
    compare_golden(golden)


def compare_golden(found: dict[str, dict[str, Any]]) -> None:
    stale = []
    for vendor, devices in sorted(found.items()):
        file = GOLDEN / f"{vendor}.json"
        text = json.dumps(devices, indent=1, sort_keys=True, ensure_ascii=False) + "\n"
        if UPDATE:
            file.parent.mkdir(exist_ok=True)
            file.write_text(text, encoding="utf-8")
        elif not file.exists() or file.read_text(encoding="utf-8") != text:
            stale.append(file.name)
    assert stale == [], f"golden snapshots differ for {stale}: review, then refresh with MATTER_MAP_UPDATE_GOLDEN=1"


def test_golden_files_are_only_for_known_vendors() -> None:
    corpus_file("hue")  # skips with the corpus absent, like the snapshots themselves
    assert {p.stem for p in GOLDEN.glob("*.json")} <= {p.name for p in MAPPINGS.iterdir() if p.is_dir()}
