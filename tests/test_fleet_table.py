"""A fleet of devices generated from the vendors' category specs (plus the shared corpus when present), translated
through the vendor folder as a user would: whole-shape mapping or composed. Prints a table per vendor and
category — devices, translated, refused with a reason, unmapped capabilities — and holds each category to 95 %."""

from __future__ import annotations

import sys
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

import pytest

from matter_map.composer import compose_for_device
from matter_map.errors import TranslationError
from matter_map.ir import CompiledMapping
from matter_map.loader import load_mapping
from matter_map.payload_check import ensure_valid_connector_event
from matter_map.selection import Selection, folder_profile, select_for_device
from matter_map.translator import Translator

from .conftest import CORPUS, MAPPINGS, load_json
from .device_specs import Device, smartthings_devices, tuya_devices

TARGET = 0.95
_MAPPINGS: dict[str, list[CompiledMapping]] = {}


def whole_shape(vendor: str) -> list[CompiledMapping]:
    if vendor not in _MAPPINGS:
        _MAPPINGS[vendor] = [load_mapping(p).compiled for p in sorted((MAPPINGS / vendor).glob("*.yaml"))]
    return _MAPPINGS[vendor]


def choose(vendor: str, state: Any) -> Selection:
    return select_for_device(whole_shape(vendor), folder_profile(MAPPINGS / vendor), state)


def translate(vendor: str, state: Any, device_id: str | None = None) -> Selection:
    """Selection, DEVICE_EVENT and DEVICE_DISCOVERY, every payload checked against the service model."""
    chosen = choose(vendor, state)
    translator = Translator(chosen.compiled, check=ensure_valid_connector_event)
    events = translator.to_matter(state, device_id=device_id)
    assert events
    report = translator.capability_report(state, device_id=device_id)
    discovery = {
        "ConnectorId": "matter-map",
        "Operation": "DEVICE_DISCOVERY",
        "OperationVersion": "1.0",
        "DeviceDiscoveryId": "fleet1",
        "Devices": [report],
    }
    ensure_valid_connector_event(discovery)
    return chosen


@dataclass
class Row:
    devices: int = 0
    translated: int = 0
    refused: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    parts: set[str] = field(default_factory=set)
    unmapped: dict[str, int] = field(default_factory=lambda: defaultdict(int))


def corpus_devices() -> list[Device]:
    out: list[Device] = []
    for vendor, folder in (("tuya", CORPUS / "tuya"), ("smartthings", CORPUS / "smartthings" / "device_status")):
        for file in sorted(folder.glob("*.json")) if folder.is_dir() else []:
            state = load_json(file)
            category = str(state.get("category", "corpus")) if vendor == "tuya" else "corpus"
            out.append(Device(vendor, f"{category} (corpus)", file.stem, state))
    return out


def run_fleet(devices: list[Device]) -> dict[tuple[str, str], Row]:
    rows: dict[tuple[str, str], Row] = defaultdict(Row)
    for device in devices:
        row = rows[(device.vendor, device.category)]
        row.devices += 1
        device_id = None if "id" in device.state or "deviceId" in device.state else f"corpus-{device.name}"
        try:
            chosen = translate(device.vendor, device.state, device_id)
        except TranslationError as exc:
            row.refused[exc.problems[-1].code] += 1
            continue
        row.translated += 1
        profile = folder_profile(MAPPINGS / device.vendor)
        if profile is not None:  # what the profile would compose, whole-shape match or not: every fragment linked
            try:
                parts = compose_for_device(profile, device.state).parts
            except TranslationError:
                parts = ()
            row.parts.update(part.split("/")[-1].split("[")[0] for part in parts)
        for part in chosen.unmapped:
            row.unmapped[part.split(".")[-1]] += 1
    return rows


def render(rows: dict[tuple[str, str], Row]) -> str:
    head = f"{'vendor':<12} {'category':<16} {'devices':>7} {'translated':>10} {'refused':>7}  reasons / unmapped"
    lines = [head, "-" * len(head)]
    for (vendor, category), row in sorted(rows.items()):
        reasons = ", ".join(f"{code}×{n}" for code, n in sorted(row.refused.items()))
        unmapped = ", ".join(f"{code}×{n}" for code, n in sorted(row.unmapped.items()))
        detail = "; ".join(x for x in (reasons and f"refused: {reasons}", unmapped and f"unmapped: {unmapped}") if x)
        refused = sum(row.refused.values())
        lines.append(f"{vendor:<12} {category:<16} {row.devices:>7} {row.translated:>10} {refused:>7}  {detail}")
    return "\n".join(lines)


def test_fleet_table_every_category_translates(capsys: pytest.CaptureFixture[str]) -> None:
    devices = [*tuya_devices(), *smartthings_devices(), *corpus_devices()]
    rows = run_fleet(devices)
    with capsys.disabled():
        sys.stdout.write("\n" + render(rows) + "\n")
    generated = {(d.vendor, d.category) for d in devices if "(corpus)" not in d.category}
    assert len(generated) >= 14  # every covered category of both vendors is in the set
    short = {k: f"{row.translated}/{row.devices}" for k, row in rows.items() if row.translated < TARGET * row.devices}
    assert short == {}
    # a profile bug (fragments that do not link, or parts that make no conformant device) is never a reason
    reasons = {code for row in rows.values() for code in row.refused}
    assert reasons <= {"no-fragment-applies", "missing-vendor-value", "implausible-vendor-value"}, reasons
    # every fragment of both profiles is composed, so linked and conformance-checked, by some device of the fleet
    used = {part for row in rows.values() for part in row.parts}
    for vendor in ("tuya", "smartthings"):
        profile = folder_profile(MAPPINGS / vendor)
        assert profile is not None
        declared = {f.model.fragment for f in profile.fragments if not f.model.every_endpoint}
        assert declared - used == set(), vendor


def test_a_refusal_names_its_reason() -> None:
    state = {"id": "bf1", "category": "cz", "status_range": {"child_lock": {"type": "Boolean", "value": {}}}}
    state |= {"function": {}, "status": {"child_lock": False}}
    with pytest.raises(TranslationError) as caught:
        choose("tuya", state)
    codes = [p.code for p in caught.value.problems]
    assert codes == ["no-matching-mapping", "no-fragment-applies"]
    assert "child_lock" in caught.value.problems[-1].message
