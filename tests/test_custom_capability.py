"""Custom capabilities (vendor features beyond Matter): linking, discovery with schemas, commands."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from matter_map.diagnostics import MappingError
from matter_map.errors import TranslationError
from matter_map.loader import compile_text, load_mapping
from matter_map.payload_check import check_connector_event, ensure_valid_connector_event
from matter_map.translator import Translator

from .conftest import HUE, SAMPLES, corpus_file, load_json

LIGHT = load_json(SAMPLES / "extended_color_light.json")
EFFECTS = ["no_effect", "candle", "fire", "sparkle"]
PLAYING = {**copy.deepcopy(LIGHT), "effects": {"status": "candle", "status_values": EFFECTS, "effect_values": EFFECTS}}


@pytest.fixture(scope="module")
def hue() -> Translator:
    return Translator(load_mapping(HUE / "extended_color_light.yaml").compiled, check=ensure_valid_connector_event)


def effects_entry(device: dict[str, Any]) -> dict[str, Any]:
    (endpoint,) = device["CapabilityReport"]["endpoints"]
    return next(c for c in endpoint["clusters"] if c["publicId"] == "hue.Effects@1.0")


def test_discovery_reports_the_custom_capability_and_its_schema(hue: Translator) -> None:
    event = hue.discovery_event([PLAYING], discovery_id="disc1", connector_id="hue-connector")
    assert check_connector_event(event) == []
    (device,) = event["Devices"]
    entry = effects_entry(device)
    assert entry["id"] == "0xFC00"
    assert entry["revision"] == 1
    assert entry["specVersion"] == "1.0"
    assert entry["commands"] == ["0x00"]
    assert entry["attributes"] == [
        {"id": "0x0000", "name": "Effect", "value": "candle"},
        {"id": "0x0001", "name": "SupportedEffects", "value": EFFECTS},
    ]
    (schema,) = device["CapabilitySchemas"]
    assert (schema["Format"], schema["CapabilityId"], schema["ExtrinsicId"], schema["ExtrinsicVersion"]) == (
        "AWS",
        "hue.Effects@1.0",
        "0xFC00",
        1,
    )
    assert schema["Schema"]["$id"] == "/schema-versions/capability/hue.Effects@1.0"


def test_a_light_without_effects_reports_the_capability_without_values(hue: Translator) -> None:
    entry = effects_entry(hue.capability_report(LIGHT))
    assert entry["attributes"] == []


def test_a_discovery_with_a_broken_schema_item_fails_the_aws_checks(hue: Translator) -> None:
    event = hue.discovery_event([PLAYING], discovery_id="disc1")
    event["Devices"][0]["CapabilitySchemas"][0]["ExtrinsicVersion"] = 11
    event["Devices"][0]["CapabilitySchemas"][0]["Format"] = "JSON"
    paths = {p.path for p in check_connector_event(event)}
    assert "Devices[0].CapabilitySchemas[0].ExtrinsicVersion" in paths
    assert "Devices[0].CapabilitySchemas[0].Format" in paths


def test_the_corpus_lights_with_effects_are_discovered(hue: Translator) -> None:
    resources = load_json(corpus_file("hue", "aiohue_v2_resources.json"))
    lights = [r for r in resources if r.get("type") == "light" and "effects" in r and hue.recognises(r)]
    assert lights
    event = hue.discovery_event(lights, discovery_id="disc2")
    assert check_connector_event(event) == []
    for device in event["Devices"]:
        assert effects_entry(device)["attributes"][0]["value"] == "no_effect"


def set_effect(effect: Any, capability: str = "hue.Effects@1.0", action: str = "SetEffect") -> dict[str, Any]:
    return {
        "Endpoints": [
            {
                "endpointId": "1",
                "capabilities": [
                    {
                        "id": capability,
                        "name": "Effects",
                        "version": "1",
                        "actions": [{"name": action, "parameters": {"Effect": effect}}],
                    }
                ],
            }
        ]
    }


def test_set_effect_becomes_the_documented_hue_request(hue: Translator) -> None:
    (request,) = hue.to_vendor(set_effect("candle"), state=LIGHT)
    assert request["method"] == "PUT"
    assert request["url"].endswith(f"/clip/v2/resource/light/{LIGHT['id']}")
    assert request["body"] == {"effects": {"effect": "candle"}}


def test_set_effect_by_hex_ids(hue: Translator) -> None:
    event = {
        "payload": {
            "operationName": "AWS.SendCommand",
            "connectorDeviceId": LIGHT["id"],
            "traceId": "t1",
            "endpoints": [{"id": "1", "clusters": [{"id": "0xFC00", "commands": {"0x00": {"0x0000": "fire"}}}]}],
        }
    }
    (request,) = hue.to_vendor(event)
    assert request["body"] == {"effects": {"effect": "fire"}}


@pytest.mark.parametrize(
    ("command", "message"),
    [
        (set_effect("disco"), "not one of the declared values"),
        (set_effect(3), "not one of the declared values"),
        (set_effect("candle", capability="hue.Lights@1.0"), "is not on endpoint 1"),
        (set_effect("candle", capability="tuya.Effects@1.0"), "custom capabilities: hue.Effects@1.0"),
        (set_effect("candle", action="Blink"), "command Blink is not mapped"),
    ],
)
def test_bad_actions_are_refused(hue: Translator, command: dict[str, Any], message: str) -> None:
    with pytest.raises(TranslationError) as caught:
        hue.to_vendor(command, state=LIGHT)
    assert message in str(caught.value)


def test_update_state_refuses_the_read_only_property(hue: Translator) -> None:
    command = set_effect("x", action="UpdateState")
    command["Endpoints"][0]["capabilities"][0]["actions"][0]["parameters"] = {"Effect": "candle"}
    with pytest.raises(TranslationError, match="not a writable binding"):
        hue.to_vendor(command, state=LIGHT)


# --- linking ------------------------------------------------------------------------------------------------

BASE = """matter_map: 1
vendor: acme
kind: lamp
title: a lamp
match: {path: type, equals: lamp}
device: {id: id}
write: {method: PUT, url: "/lamps/{device_id}"}
endpoints:
  - id: 1
    device_types: [OnOffLight]
    clusters:
      OnOff:
        attributes:
          OnOff: {path: on}
    capabilities:
"""
GOOD = """      acme.Scene:
        id: 0xFC01
        properties:
          Mode: {id: 0, type: string, values: [reading, party], path: scene.mode}
          Speed: {id: 1, type: integer, minimum: 1, maximum: 10, path: scene.speed, optional: true}
        actions:
          SetMode:
            id: 0
            parameters:
              Mode: {id: 0, type: string, values: [reading, party]}
            write: {Mode: $Mode}
"""


def test_a_writable_custom_property_is_written_through_the_write_encoding() -> None:
    translator = Translator(compile_text(BASE + GOOD, "lamp.yaml").compiled)
    state = {"type": "lamp", "id": "l1", "on": True, "scene": {"mode": "reading"}}
    command = set_effect("party", capability="acme.Scene@1.0", action="SetMode")
    command["Endpoints"][0]["capabilities"][0]["actions"][0]["parameters"] = {"Mode": "party"}
    (request,) = translator.to_vendor(command, state=state)
    assert request["body"] == {"scene": {"mode": "party"}}
    update = set_effect("x", capability="acme.Scene@1.0", action="UpdateState")
    update["Endpoints"][0]["capabilities"][0]["actions"][0]["parameters"] = {"Speed": 11}
    with pytest.raises(TranslationError, match="above the maximum 10"):
        translator.to_vendor(update, state=state)
    with pytest.raises(TranslationError, match="not one of the declared values"):
        translator.capability_report({**state, "scene": {"mode": "disco"}})


@pytest.mark.parametrize(
    ("block", "code", "where"),
    [
        (GOOD.replace("acme.Scene", "aws.Scene"), "bad-capability-id", "aws.Scene"),
        (GOOD.replace("acme.Scene", "matter.Scene"), "bad-capability-id", "matter.Scene"),
        (GOOD.replace("acme.Scene", "ac.Scene"), "bad-capability-id", "ac.Scene"),
        (GOOD.replace("acme.Scene", "Acme.Scene"), "bad-capability-id", "Acme.Scene"),
        (GOOD.replace("acme.Scene", "averylongnamespace.Scene"), "bad-capability-id", "averylong"),
        (GOOD.replace("id: 1, type: integer", "id: 0, type: integer"), "duplicate-id", "properties"),
        (GOOD.replace("write: {Mode: $Mode}", "write: {Mood: $Mode}"), "unknown-property", "Mood"),
        (GOOD.replace("write: {Mode: $Mode}", "write: {Mode: $Moode}"), "unknown-field", "SetMode"),
        (GOOD.replace("path: scene.mode}", "path: scene.mode, read_only: true}"), "read-only-write-target", "Mode"),
        (GOOD.replace("id: 0xFC01", "id: 9999999999"), "bad-id", "id"),
    ],
)
def test_linking_problems_are_diagnostics(block: str, code: str, where: str) -> None:
    with pytest.raises(MappingError) as caught:
        compile_text(BASE + block, "lamp.yaml")
    found = [d for d in caught.value.diagnostics if d.code == code]
    assert found, [d.render() for d in caught.value.diagnostics]
    assert where in found[0].path + found[0].message
    assert found[0].position is not None


def test_an_action_needs_write_or_request() -> None:
    with pytest.raises(MappingError, match="problem"):
        compile_text(BASE + GOOD.replace("            write: {Mode: $Mode}\n", ""), "lamp.yaml")
