"""End to end on Philips Hue lights: vendor state → Matter, commands → vendor requests, discovery."""

from __future__ import annotations

import copy
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from matter_map.errors import TranslationError
from matter_map.ir import CompiledMapping
from matter_map.payload_check import check_connector_event
from matter_map.selection import select_mapping
from matter_map.translator import Translator

from .conftest import SAMPLES, corpus_file, load_json, translator

LIGHT = load_json(SAMPLES / "extended_color_light.json")


def attributes(events: list[dict[str, Any]], cluster: str) -> dict[str, Any]:
    found: dict[str, Any] = {}
    for event in events:
        for entry in event["MatterEndpoint"]["clusters"]:
            if entry["id"] == cluster:
                found.update(entry.get("attributes", {}))
    return found


def command(cluster: str, action: str, **params: Any) -> dict[str, Any]:
    return {
        "Endpoints": [
            {
                "endpointId": "1",
                "capabilities": [
                    {
                        "id": f"matter.{cluster}@1.4",
                        "name": cluster,
                        "version": "1",
                        "actions": [{"name": action, "parameters": params}],
                    }
                ],
            }
        ]
    }


def hue_lights() -> list[dict[str, Any]]:
    lights = []
    for name in ("aiohue_v2_resources.json", "aiohue_v2_resources_at_8ff4f18.json"):
        lights += [r for r in load_json(corpus_file("hue", name)) if r.get("type") == "light"]
    return lights


def test_sample_state_to_matter() -> None:
    events = translator("extended_color_light").to_matter(LIGHT, connector_id="hue-connector")
    for event in events:
        assert check_connector_event(event) == []
        assert event["Operation"] == "DEVICE_EVENT"
        assert event["ConnectorDeviceId"] == LIGHT["id"]
    # OnOff, then OnTime and OffWaitTime (0: no timed-on runs), which the LT feature makes mandatory
    assert attributes(events, "0x0006") == {"0x0000": True, "0x4001": 0, "0x4002": 0}
    level = attributes(events, "0x0008")
    assert level["0x0000"] == 126  # 49.8 % · 254 / 100 = 126.49 → 126
    assert (level["0x0002"], level["0x0003"]) == (1, 254)
    colour = attributes(events, "0x0300")
    assert colour["0x0007"] == 366
    assert colour["0x0003"] == round(0.4573 * 65536)
    assert colour["0x0008"] == 2  # ColorMode: colour temperature
    assert (colour["0x400B"], colour["0x400C"]) == (153, 500)


def test_more_than_five_clusters_split_into_several_events() -> None:
    events = translator("extended_color_light").to_matter(LIGHT)
    assert all(1 <= len(e["MatterEndpoint"]["clusters"]) <= 5 for e in events)
    ids = [c["id"] for e in events for c in e["MatterEndpoint"]["clusters"]]
    assert len(ids) == len(set(ids)) == 4


def test_every_corpus_light_translates(hue_mappings: list[CompiledMapping]) -> None:
    lights = hue_lights()
    assert len(lights) == 14
    for light in lights:
        mapping = select_mapping(hue_mappings, light)
        events = Translator(mapping).to_matter(light)
        for event in events:
            assert check_connector_event(event) == [], light["id"]
        assert attributes(events, "0x0006")["0x0000"] == light["on"]["on"]
        dimming = light.get("dimming")
        if dimming:
            expected = min(max(round(dimming["brightness"] * 254 / 100), 1), 254)
            assert attributes(events, "0x0008")["0x0000"] == expected
        else:
            assert attributes(events, "0x0008") == {}
        ct = light.get("color_temperature")
        colour = attributes(events, "0x0300")
        if ct and ct["mirek_valid"]:
            assert colour["0x0007"] == ct["mirek"]
        else:
            assert "0x0007" not in colour


def test_corpus_lights_choose_the_expected_kind(hue_mappings: list[CompiledMapping]) -> None:
    kinds = {light["metadata"]["name"]: select_mapping(hue_mappings, light).kind for light in hue_lights()}
    assert kinds["Hue on/off light"] == "on_off_light"
    assert kinds["Hue light with color only"] == "color_light"
    assert kinds["Hue light with color temperature only"] == "color_temperature_light"
    assert kinds["Light 1"] == "extended_color_light"


def test_move_to_level_127_sets_brightness_50() -> None:
    (request,) = translator("extended_color_light").to_vendor(
        command("LevelControl", "MoveToLevel", Level=127), state=LIGHT
    )
    assert request["method"] == "PUT"
    assert request["url"].endswith(f"/clip/v2/resource/light/{LIGHT['id']}")
    assert request["body"] == {"dimming": {"brightness": pytest.approx(50, abs=0.5)}}


def test_off_command() -> None:
    (request,) = translator("on_off_light").to_vendor(command("OnOff", "Off"), device_id="abc")
    assert request["body"] == {"on": {"on": False}}
    assert request["url"] == "/clip/v2/resource/light/abc"


def test_out_of_range_parameter_is_refused_with_no_request() -> None:
    with pytest.raises(TranslationError) as info:
        translator("extended_color_light").to_vendor(command("LevelControl", "MoveToLevel", Level=300), state=LIGHT)
    (problem,) = info.value.problems
    assert problem.code == "out-of-range"
    assert "Level" in problem.message
    assert "300" in problem.message


def test_send_command_event_by_hex_ids() -> None:
    event = load_json(SAMPLES / "command_send_command_event.json")
    (request,) = translator("extended_color_light").to_vendor(event, state=LIGHT)
    assert request["url"].endswith(LIGHT["id"])
    assert request["body"] == {"on": {"on": True}, "color_temperature": {"mirek": 250}}


def test_colour_temperature_is_clamped_to_the_device_range() -> None:
    (request,) = translator("extended_color_light").to_vendor(
        command("ColorControl", "MoveToColorTemperature", ColorTemperatureMireds=600), state=LIGHT
    )
    assert request["body"] == {"color_temperature": {"mirek": 500}}


def test_toggle_needs_and_uses_the_state() -> None:
    hue = translator("extended_color_light")
    with pytest.raises(TranslationError, match="needs the device's current state"):
        hue.to_vendor(command("OnOff", "Toggle"), device_id="x")
    (request,) = hue.to_vendor(command("OnOff", "Toggle"), state=LIGHT)
    assert request["body"] == {"on": {"on": False}}


def test_step_uses_the_current_level() -> None:
    (request,) = translator("extended_color_light").to_vendor(
        command("LevelControl", "Step", StepMode=0, StepSize=20), state=LIGHT
    )
    assert request["body"]["dimming"]["brightness"] == pytest.approx((126 + 20) * 100 / 254)


def test_identify_is_an_explicit_request() -> None:
    (request,) = translator("dimmable_light").to_vendor(command("Identify", "Identify", IdentifyTime=5), device_id="d1")
    assert request["body"] == {"identify": {"action": "identify"}}


def test_several_actions_merge_into_one_request() -> None:
    cmd = command("OnOff", "On")
    cmd["Endpoints"][0]["capabilities"].append(
        {
            "id": "matter.ColorControl@1.4",
            "name": "Color",
            "version": "1",
            "actions": [{"name": "MoveToColor", "parameters": {"ColorX": 29970, "ColorY": 26869}}],
        }
    )
    (request,) = translator("extended_color_light").to_vendor(cmd, state=LIGHT)
    assert request["body"] == {"on": {"on": True}, "color": {"xy": {"x": 0.4573, "y": 0.41}}}


@pytest.mark.parametrize(
    ("cmd", "code"),
    [
        (command("LevelControl", "MoveToLevel"), "bad-command"),
        (command("LevelControl", "MoveToLevel", Level=True), "out-of-range"),
        (command("LevelControl", "MoveToLevel", Level=1.5), "out-of-range"),
        (command("LevelControl", "MoveToLevel", Level=10, Colour=3), "bad-command"),
        (command("DoorLock", "LockDoor"), "unsupported"),
        (command("OnOff", "OnWithTimedOff"), "unsupported"),
        ({"Endpoints": "x"}, "bad-command"),
        ({"nothing": 1}, "bad-command"),
    ],
)
def test_bad_commands_are_refused(cmd: dict[str, Any], code: str) -> None:
    with pytest.raises(TranslationError) as info:
        translator("extended_color_light").to_vendor(cmd, state=LIGHT)
    assert [p.code for p in info.value.problems] == [code]


def test_missing_vendor_field_names_path_and_mapping_line() -> None:
    broken = copy.deepcopy(LIGHT)
    del broken["dimming"]["brightness"]
    with pytest.raises(TranslationError) as info:
        translator("extended_color_light").to_matter(broken)
    (problem,) = info.value.problems
    assert problem.code == "missing-vendor-value"
    assert problem.vendor_path == "dimming.brightness"
    assert problem.rule == "LevelControl.CurrentLevel"
    assert problem.source.startswith(str(SAMPLES.parent / "extended_color_light.yaml") + ":")


def test_wrong_vendor_type_is_reported_not_half_emitted() -> None:
    broken = copy.deepcopy(LIGHT)
    broken["dimming"]["brightness"] = "bright"
    broken["color"]["xy"]["x"] = None
    with pytest.raises(TranslationError) as info:
        translator("extended_color_light").to_matter(broken)
    assert sorted(p.vendor_path for p in info.value.problems) == ["color.xy.x", "dimming.brightness"]


def test_partial_update_reports_only_what_it_holds() -> None:
    update = {"id": LIGHT["id"], "type": "light", "dimming": {"brightness": 100.0}}
    events = translator("extended_color_light").to_matter(update, partial=True)
    assert [c for e in events for c in e["MatterEndpoint"]["clusters"]] == [
        {"id": "0x0008", "attributes": {"0x0000": 254}}
    ]


def test_motion_event_is_emitted() -> None:
    motion = load_json(SAMPLES / "motion_event.json")
    (event,) = translator("motion_sensor").to_matter(motion)
    assert check_connector_event(event) == []
    (occupancy,) = [c for c in event["MatterEndpoint"]["clusters"] if c["id"] == "0x0406"]
    assert occupancy["attributes"]["0x0000"] == 1
    assert occupancy["events"] == {"0x00": {"0x0000": 1}}
    quiet = copy.deepcopy(motion)
    quiet["motion"]["motion_report"]["motion"] = False
    (event,) = translator("motion_sensor").to_matter(quiet)
    (occupancy,) = [c for c in event["MatterEndpoint"]["clusters"] if c["id"] == "0x0406"]
    assert "events" not in occupancy
    assert occupancy["attributes"]["0x0000"] == 0


def test_capability_report_passes_the_aws_checks() -> None:
    hue = translator("extended_color_light")
    device = hue.capability_report(LIGHT)
    request = hue.discovery_event([LIGHT], discovery_id="abc123")
    assert check_connector_event(request) == []
    report = device["CapabilityReport"]
    assert report["version"] == "1.0.0"
    (endpoint,) = report["endpoints"]
    assert endpoint["deviceTypes"] == ["Extended Color Light"]
    clusters = {c["id"]: c for c in endpoint["clusters"]}
    assert clusters["0x0006"]["publicId"] == "matter.OnOff@1.4"
    assert clusters["0x0006"]["commands"] == ["0x00", "0x01", "0x02", "0x40"]  # Off, On, Toggle, OffWithEffect
    assert clusters["0x0300"]["featureMap"] == (1 << 3) | (1 << 4)
    assert clusters["0x0008"]["featureMap"] == 0b11
    assert all(1 <= c["revision"] <= 10 for c in clusters.values())
    assert device["ConnectorDeviceName"] == "Living room lamp"


@given(st.integers(1, 254))
def test_level_round_trip_through_a_simulated_bridge(level: int) -> None:
    hue = translator("extended_color_light")
    (request,) = hue.to_vendor(command("LevelControl", "MoveToLevel", Level=level), state=LIGHT)
    after = copy.deepcopy(LIGHT)
    after["dimming"].update(request["body"]["dimming"])
    assert attributes(hue.to_matter(after), "0x0008")["0x0000"] == level


def test_six_clusters_are_split_over_two_events() -> None:
    from matter_map.loader import compile_text

    text = (SAMPLES.parent / "extended_color_light.yaml").read_text()
    extra = """      BridgedDeviceBasicInformation:
        attributes:
          Reachable: {const: true}
          UniqueId: {path: id, read_only: true}
      Groups:
        attributes:
          NameSupport: {const: 0}
"""
    compiled = compile_text(text + extra, "six.yaml").compiled
    assert len(compiled.endpoints[0].clusters) == 6
    events = Translator(compiled).to_matter(LIGHT)
    assert [len(e["MatterEndpoint"]["clusters"]) for e in events] == [5, 1]
    assert {e["ConnectorDeviceId"] for e in events} == {LIGHT["id"]}
    for event in events:
        assert check_connector_event(event) == []
