"""The shipped vendor mappings on their own samples: recognition, state → Matter values, commands → requests."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest

from matter_map.errors import TranslationError
from matter_map.ir import CompiledMapping
from matter_map.loader import load_mapping
from matter_map.payload_check import check_connector_event, ensure_valid_connector_event
from matter_map.selection import select_mapping
from matter_map.translator import Translator

from .conftest import MAPPINGS, load_json

VENDORS = sorted(p.name for p in MAPPINGS.iterdir() if p.is_dir())


def vendor_mappings(vendor: str) -> list[CompiledMapping]:
    return [load_mapping(p).compiled for p in sorted((MAPPINGS / vendor).glob("*.yaml"))]


_CACHE: dict[str, list[CompiledMapping]] = {}


def mappings_of(vendor: str) -> list[CompiledMapping]:
    if vendor not in _CACHE:
        _CACHE[vendor] = vendor_mappings(vendor)
    return _CACHE[vendor]


def sample(vendor: str, name: str) -> Any:
    return load_json(MAPPINGS / vendor / "samples" / f"{name}.json")


def state_samples() -> list[tuple[str, str, Path]]:
    """(vendor, expected kind, file) for every sample named after a kind of its vendor (or kind_variant)."""
    found = []
    for vendor in VENDORS:
        kinds = {p.stem for p in (MAPPINGS / vendor).glob("*.yaml")}
        for file in sorted((MAPPINGS / vendor / "samples").glob("*.json")):
            kind = max((k for k in kinds if file.stem == k or file.stem.startswith(k + "_")), key=len, default=None)
            if kind is not None:
                found.append((vendor, kind, file))
    return found


def translate(vendor: str, state: Any) -> tuple[CompiledMapping, list[dict[str, Any]]]:
    mapping = select_mapping(mappings_of(vendor), state)
    device_id = None if Translator(mapping).compiled.device_id.get(state) else "sample-device"
    events = Translator(mapping, check=ensure_valid_connector_event).to_matter(state, device_id=device_id)
    return mapping, events


def attributes(events: list[dict[str, Any]], cluster: str, endpoint: str = "1") -> dict[str, Any]:
    found: dict[str, Any] = {}
    for event in events:
        if event["MatterEndpoint"]["id"] != endpoint:
            continue
        for entry in event["MatterEndpoint"]["clusters"]:
            if entry["id"] == cluster:
                found.update(entry.get("attributes", {}))
    return found


def command(cluster: str, action: str, **params: Any) -> dict[str, Any]:
    capability = {"id": f"matter.{cluster}@1.4", "name": cluster, "version": "1"}
    return {
        "Endpoints": [
            {"endpointId": "1", "capabilities": [{**capability, "actions": [{"name": action, "parameters": params}]}]}
        ]
    }


def requests(vendor: str, state: Any, call: dict[str, Any]) -> list[dict[str, Any]]:
    mapping = select_mapping(mappings_of(vendor), state)
    return Translator(mapping).to_vendor(call, state=state)


def test_at_least_25_kinds_across_8_vendors() -> None:
    kinds = [(v, p.stem) for v in VENDORS for p in (MAPPINGS / v).glob("*.yaml")]
    assert len(VENDORS) >= 8
    assert len(kinds) >= 25


@pytest.mark.parametrize(("vendor", "kind", "file"), state_samples(), ids=lambda v: getattr(v, "name", v))
def test_every_sample_selects_its_kind_and_translates(vendor: str, kind: str, file: Path) -> None:
    state = load_json(file)
    mapping, events = translate(vendor, state)
    assert mapping.kind == kind
    assert events
    for event in events:
        assert check_connector_event(event) == []
    report = Translator(mapping).capability_report(state, device_id="sample-device")
    discovery = {"ConnectorId": "c", "Operation": "DEVICE_DISCOVERY", "DeviceDiscoveryId": "d1", "Devices": [report]}
    assert check_connector_event(discovery) == []


def test_every_kind_has_a_sample() -> None:
    covered = {(v, k) for v, k, _ in state_samples()}
    missing = [(v, p.stem) for v in VENDORS for p in (MAPPINGS / v).glob("*.yaml") if (v, p.stem) not in covered]
    assert missing == []


# --- Tuya ------------------------------------------------------------------------------------------------


def test_tuya_colour_light_reads_the_colour_v_as_level_in_colour_mode() -> None:
    light = sample("tuya", "light_colour_ct")
    _, events = translate("tuya", light)
    assert attributes(events, "0x0008")["0x0000"] == round(800 / 1000 * 254)  # v of colour_data_v2
    colour = attributes(events, "0x0300")
    assert colour["0x0000"] == round(120 / 360 * 254)
    assert colour["0x0008"] == 0  # ColorMode: hue and saturation (work_mode colour)
    white = copy.deepcopy(light)
    white["status"]["work_mode"] = "white"
    _, events = translate("tuya", white)
    assert attributes(events, "0x0008")["0x0000"] == round(1 + (505 - 10) * 253 / 990)  # bright_value_v2
    assert attributes(events, "0x0300")["0x0008"] == 2


@pytest.mark.parametrize("colour", ['{"h":120,"s":1000,"v":800}', {"h": 120, "s": 1000, "v": 800}, ""])
def test_tuya_colour_data_as_string_object_or_empty(colour: Any) -> None:
    light = sample("tuya", "light_colour_ct")
    light["status"]["colour_data_v2"] = colour
    _, events = translate("tuya", light)
    hue = attributes(events, "0x0300").get("0x0000")
    level = attributes(events, "0x0008")["0x0000"]
    if colour == "":
        assert hue is None  # omitted: the light holds no colour yet
        assert level is None  # CurrentLevel is nullable: unknown until a colour is set
    else:
        assert (hue, level) == (85, 203)
    (request,) = requests("tuya", light, command("ColorControl", "MoveToHue", Hue=0, Direction=0, TransitionTime=0))
    (item, mode) = request["body"]["commands"]
    assert mode == {"code": "work_mode", "value": "colour"}
    value = item["value"]
    decoded = json.loads(value) if isinstance(value, str) else value
    assert isinstance(value, dict) == isinstance(colour, dict)  # the vendor's own form is kept
    expected_rest = {"s": 1000, "v": 800} if colour else {"s": 1000, "v": 1000}  # the defaults when it was ""
    assert decoded == {"h": 0, **expected_rest}


def test_tuya_colour_temperature_switches_work_mode_to_white() -> None:
    light = sample("tuya", "light_colour_ct")
    (request,) = requests(
        "tuya", light, command("ColorControl", "MoveToColorTemperature", ColorTemperatureMireds=153, TransitionTime=0)
    )
    assert request["body"]["commands"] == [
        {"code": "temp_value_v2", "value": 1000},  # 153 mireds is the coolest end
        {"code": "work_mode", "value": "white"},
    ]


def test_tuya_level_write_follows_work_mode() -> None:
    light = sample("tuya", "light_colour_ct")
    (request,) = requests("tuya", light, command("LevelControl", "MoveToLevel", Level=254))
    (item,) = request["body"]["commands"]
    assert item["code"] == "colour_data_v2"
    assert json.loads(item["value"]) == {"h": 120, "s": 1000, "v": 1000}
    light["status"]["work_mode"] = "white"
    (request,) = requests("tuya", light, command("LevelControl", "MoveToLevel", Level=254))
    assert request["body"]["commands"] == [{"code": "bright_value_v2", "value": 1000}]


def test_tuya_step_hue_wraps_around() -> None:
    light = sample("tuya", "light_colour_ct")  # hue 85 (120°)
    call = command("ColorControl", "StepHue", StepMode=3, StepSize=100, TransitionTime=0)
    (request,) = requests("tuya", light, call)
    items = {item["code"]: item["value"] for item in request["body"]["commands"]}
    assert json.loads(items["colour_data_v2"])["h"] == round((85 - 100) % 255 * 360 / 254)  # 240 → 340°
    assert items["work_mode"] == "colour"


@pytest.mark.parametrize(
    ("name", "scale", "raw", "centi"), [("thermostat", 1, 215, 2150), ("air_conditioner", 0, 23, 2300)]
)
def test_tuya_setpoint_scale_is_read_from_the_spec(name: str, scale: int, raw: int, centi: int) -> None:
    device = sample("tuya", name)
    assert device["status_range"]["temp_set"]["value"]["scale"] == scale
    _, events = translate("tuya", device)
    assert attributes(events, "0x0201")["0x0012"] == centi


def test_tuya_setpoint_writes_snap_to_the_spec_step() -> None:
    boiler = sample("tuya", "thermostat")  # scale 1, step 5: 0.5 °C
    call = command("Thermostat", "SetpointRaiseLower", Mode=0, Amount=7)  # +0.7 °C from 21.5
    (request,) = requests("tuya", boiler, call)
    assert request["body"]["commands"] == [{"code": "temp_set", "value": 220}]  # 22.2 → 22.0
    boiler["status_range"]["temp_set"]["value"]["step"] = 1  # a finer device: 0.1 °C
    (request,) = requests("tuya", boiler, call)
    assert request["body"]["commands"] == [{"code": "temp_set", "value": 222}]


def test_tuya_setpoint_stays_within_the_spec_range() -> None:
    boiler = sample("tuya", "thermostat")
    (request,) = requests("tuya", boiler, command("Thermostat", "SetpointRaiseLower", Mode=0, Amount=127))
    assert request["body"]["commands"] == [{"code": "temp_set", "value": 340}]  # 21.5 + 12.7 → 34.2 → 34.0
    boiler["status"]["temp_set"] = 350
    (request,) = requests("tuya", boiler, command("Thermostat", "SetpointRaiseLower", Mode=0, Amount=50))
    assert request["body"]["commands"] == [{"code": "temp_set", "value": 350}]  # clamped to the spec maximum


def test_tuya_plug_timed_on_uses_the_countdown() -> None:
    call = command("OnOff", "OnWithTimedOff", OnOffControl=0, OnTime=600, OffWaitTime=0)
    (request,) = requests("tuya", sample("tuya", "plug"), call)
    assert request["body"] == {"commands": [{"code": "switch_1", "value": True}, {"code": "countdown_1", "value": 60}]}
    _, events = translate("tuya", sample("tuya", "plug"))
    assert attributes(events, "0x0006")["0x4001"] == 900  # countdown_1 90 s in tenths


def test_tuya_pir_value_outside_the_declared_enum_reads_unoccupied() -> None:
    pir = sample("tuya", "motion_sensor")
    pir["status"]["pir"] = "nopir"
    _, events = translate("tuya", pir)
    assert attributes(events, "0x0406")["0x0000"] == 0


def test_tuya_contact_reports_on_either_data_point() -> None:
    sensor = sample("tuya", "contact_sensor")
    _, events = translate("tuya", sensor)
    assert attributes(events, "0x0045") == {"0x0000": False}  # doorcontact_state true: open
    del sensor["status"]["doorcontact_state"]
    sensor["status"]["switch"] = False
    _, events = translate("tuya", sensor)
    assert attributes(events, "0x0045") == {"0x0000": True}


def test_tuya_lock_without_remote_operation_refuses_lock_door() -> None:
    lock = sample("tuya", "lock")
    with pytest.raises(TranslationError, match="LockDoor is not mapped"):
        requests("tuya", lock, command("DoorLock", "LockDoor"))


# --- SmartThings -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "local", "heat", "cool"),
    [("thermostat_celsius", 2150, 2050, 2500), ("thermostat_fahrenheit", 2000, 1889, 2444)],
)
def test_smartthings_temperatures_in_the_unit_each_reading_carries(name: str, local: int, heat: int, cool: int) -> None:
    _, events = translate("smartthings", sample("smartthings", name))
    thermostat = attributes(events, "0x0201")
    assert (thermostat["0x0000"], thermostat["0x0012"], thermostat["0x0011"]) == (local, heat, cool)


@pytest.mark.parametrize(
    ("name", "expected"), [("thermostat_celsius", [21.5, 26]), ("thermostat_fahrenheit", [68, 78])]
)
def test_smartthings_setpoints_are_written_in_the_device_unit(name: str, expected: list[float]) -> None:
    call = command("Thermostat", "SetpointRaiseLower", Mode=2, Amount=10)
    found = requests("smartthings", sample("smartthings", name), call)
    assert [r["body"]["commands"][0]["command"] for r in found] == ["setHeatingSetpoint", "setCoolingSetpoint"]
    assert [r["body"]["commands"][0]["arguments"][0] for r in found] == expected


def test_smartthings_unknown_thermostat_mode_is_omitted() -> None:
    thermostat = sample("smartthings", "thermostat_celsius")
    thermostat["components"]["main"]["thermostatMode"]["thermostatMode"]["value"] = "rush hour"
    _, events = translate("smartthings", thermostat)
    assert "0x001C" not in attributes(events, "0x0201")


def test_smartthings_hue_is_a_percentage_of_the_wheel() -> None:
    _, events = translate("smartthings", sample("smartthings", "color_light"))
    colour = attributes(events, "0x0300")
    assert colour["0x0000"] == round(33.3 * 254 / 100)
    assert colour["0x0007"] == 250  # 4000 K
    assert (colour["0x400B"], colour["0x400C"]) == (154, 455)  # 6500 K and 2200 K
    call = command("ColorControl", "MoveToHueAndSaturation", Hue=127, Saturation=254, TransitionTime=0)
    (request,) = requests("smartthings", sample("smartthings", "color_light"), call)
    assert request["body"]["commands"][0]["arguments"] == [{"hue": 50.0, "saturation": 100.0}]


def test_smartthings_colour_temperature_within_the_device_range() -> None:
    call = command("ColorControl", "MoveToColorTemperature", ColorTemperatureMireds=100, TransitionTime=0)
    (request,) = requests("smartthings", sample("smartthings", "color_light"), call)
    assert request["url"] == "/v1/devices/3b8e1a9c-2d4f-4e6a-8b1c-9d0e2f4a6b8c/commands"
    assert request["body"]["commands"][0]["arguments"] == [6500]


def test_smartthings_toggle_uses_the_state() -> None:
    (request,) = requests("smartthings", sample("smartthings", "dimmer"), command("OnOff", "Toggle"))
    assert request["body"] == {"commands": [{"component": "main", "capability": "switch", "command": "off"}]}


def test_smartthings_lock_and_shade_commands() -> None:
    (lock,) = requests("smartthings", sample("smartthings", "lock"), command("DoorLock", "UnlockDoor"))
    assert lock["body"] == {"commands": [{"component": "main", "capability": "lock", "command": "unlock"}]}
    shade = sample("smartthings", "window_shade")
    _, events = translate("smartthings", shade)
    assert attributes(events, "0x0102")["0x000E"] == 6000  # 40 % open is 60 % closed
    (request,) = requests(
        "smartthings", shade, command("WindowCovering", "GoToLiftPercentage", LiftPercent100thsValue=2500)
    )
    assert request["body"]["commands"][0]["arguments"] == [75]


# --- Google Nest, Yale, Ecobee, LIFX, Govee --------------------------------------------------------------


def test_nest_commands_go_to_execute_command_on_the_device_path() -> None:
    nest = sample("google_nest", "thermostat")
    found = requests("google_nest", nest, command("Thermostat", "SetpointRaiseLower", Mode=2, Amount=-5))
    base = "https://smartdevicemanagement.googleapis.com/v1/enterprises/project-7e2a/devices/AVPHwEu4c1b2d3e4f5"
    assert [r["url"] for r in found] == [f"{base}:executeCommand"] * 2
    assert [r["body"] for r in found] == [
        {"command": "sdm.devices.commands.ThermostatTemperatureSetpoint.SetHeat", "params": {"heatCelsius": 19.0}},
        {"command": "sdm.devices.commands.ThermostatTemperatureSetpoint.SetCool", "params": {"coolCelsius": 23.5}},
    ]


def test_nest_eco_reads_as_unoccupied_with_the_eco_setpoints() -> None:
    mapping, events = translate("google_nest", sample("google_nest", "thermostat_heat_only"))
    assert mapping.kind == "thermostat_heat_only"
    thermostat = attributes(events, "0x0201")
    assert thermostat["0x0002"] == 0  # Occupancy: eco on
    assert thermostat["0x0014"] == 1500  # UnoccupiedHeatingSetpoint
    assert "0x0012" not in thermostat  # the setpoint trait is empty while eco is on
    assert attributes(events, "0x0405", endpoint="2")["0x0000"] == 5200


def test_yale_states_in_both_spellings() -> None:
    lock = sample("yale_august", "lock_with_doorsense")
    _, events = translate("yale_august", lock)
    assert attributes(events, "0x0101")["0x0000"] == 2  # kAugLockState_Unlocked
    assert attributes(events, "0x0101")["0x0003"] == 0  # kAugDoorState_Open
    lock["LockStatus"]["status"] = "kAugLockState_SecureMode"
    _, events = translate("yale_august", lock)
    assert attributes(events, "0x0101")["0x0000"] == 1
    (request,) = requests("yale_august", lock, command("DoorLock", "LockDoor"))
    assert (request["method"], request["body"]) == ("PUT", None)
    assert request["url"] == "https://api-production.august.com/remoteoperate/5C1E2D3F4A5B6C7D8E9F0A1B2C3D4E5F/lock"


def test_ecobee_tenths_of_fahrenheit_and_paired_setpoints() -> None:
    ecobee = sample("ecobee", "thermostat")
    _, events = translate("ecobee", ecobee)
    thermostat = attributes(events, "0x0201")
    assert thermostat["0x0000"] == round((71.2 - 32) * 5 / 9 * 100)
    assert thermostat["0x0019"] == 22  # heatCoolMinDelta 4.0 °F → 2.2 °C
    (request,) = requests("ecobee", ecobee, command("Thermostat", "SetpointRaiseLower", Mode=0, Amount=10))
    params = request["body"]["functions"][0]["params"]
    assert params == {"holdType": "nextTransition", "heatHoldTemp": 708, "coolHoldTemp": 760}
    assert request["body"]["selection"]["selectionMatch"] == "511892759243"


def test_lifx_colour_strings() -> None:
    lifx = sample("lifx", "color_light")
    call = command("ColorControl", "MoveToHueAndSaturation", Hue=85, Saturation=127, TransitionTime=0)
    (request,) = requests("lifx", lifx, call)
    assert request == {
        "method": "PUT",
        "url": "https://api.lifx.com/v1/lights/id:d073d5001a2b/state",
        "headers": {"Content-Type": "application/json"},
        "body": {"color": "hue:120 saturation:0.500"},
    }
    call = command("ColorControl", "MoveToColorTemperature", ColorTemperatureMireds=500, TransitionTime=0)
    (request,) = requests("lifx", lifx, call)
    assert request["body"] == {"color": "kelvin:2500"}  # 2000 K, kept within min_kelvin
    (request,) = requests("lifx", lifx, command("Identify", "TriggerEffect", EffectIdentifier=1, EffectVariant=0))
    assert request["url"].endswith("/effects/breathe")


def test_govee_control_carries_sku_and_device() -> None:
    govee = sample("govee", "light")
    (request,) = requests("govee", govee, command("LevelControl", "MoveToLevel", Level=254))
    assert request["body"]["payload"] == {
        "sku": "H6008",
        "device": "AB:CD:EF:01:23:45:67:89",
        "capability": {"type": "devices.capabilities.range", "instance": "brightness", "value": 100},
    }


def test_hue_step_color_moves_x_and_y_together() -> None:
    light = sample("philips_hue", "extended_color_light")
    call = command("ColorControl", "StepColor", StepX=-1000, StepY=500, TransitionTime=0)
    (request,) = requests("philips_hue", light, call)
    x, y = light["color"]["xy"]["x"], light["color"]["xy"]["y"]
    assert request["body"]["color"]["xy"] == {
        "x": round((round(x * 65536) - 1000) / 65536, 4),
        "y": round((round(y * 65536) + 500) / 65536, 4),
    }


def test_hue_trigger_effect_breathe_only() -> None:
    light = sample("philips_hue", "extended_color_light")
    (request,) = requests(
        "philips_hue", light, command("Identify", "TriggerEffect", EffectIdentifier=1, EffectVariant=0)
    )
    assert request["body"] == {"alert": {"action": "breathe"}}
    with pytest.raises(TranslationError, match="no vendor value"):
        requests("philips_hue", light, command("Identify", "TriggerEffect", EffectIdentifier=0, EffectVariant=0))


def test_step_with_on_off_switches_on_above_the_minimum_and_off_at_it() -> None:
    light = sample("philips_hue", "dimmable_light")
    light["on"]["on"] = False
    up = command("LevelControl", "StepWithOnOff", StepMode=0, StepSize=10, TransitionTime=0)
    (request,) = requests("philips_hue", light, up)
    assert request["body"]["on"] == {"on": True}
    down = command("LevelControl", "StepWithOnOff", StepMode=1, StepSize=254, TransitionTime=0)
    (request,) = requests("philips_hue", light, down)
    assert request["body"]["on"] == {"on": False}  # the step ends at MinLevel
    (request,) = requests("philips_hue", light, command("LevelControl", "Step", StepMode=0, StepSize=10))
    assert "on" not in request["body"]  # plain Step leaves OnOff alone
