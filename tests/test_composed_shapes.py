"""The device shapes whole-shape mappings refused, composed from their parts: each sample (written from the
documented formats, under mappings/<vendor>/compose/samples/) translates through its vendor folder."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from matter_map.errors import TranslationError
from matter_map.outcomes import attribute_outcomes
from matter_map.payload_check import ensure_valid_connector_event
from matter_map.selection import Selection
from matter_map.translator import Translator

from .conftest import MAPPINGS, load_json
from .test_fleet_table import choose


def sample(vendor: str, name: str) -> Any:
    return load_json(MAPPINGS / vendor / "compose" / "samples" / f"{name}.json")


def composed(vendor: str, name: str) -> tuple[Selection, Any]:
    state = sample(vendor, name)
    chosen = choose(vendor, state)
    assert chosen.composed, f"{name} should be composed, not matched by {chosen.compiled.identity}"
    return chosen, state


def device_types(chosen: Selection) -> list[list[str]]:
    return [[name for _, name in e.device_types] for e in chosen.compiled.endpoints]


def attributes(chosen: Selection, state: Any, cluster: str, endpoint: str = "1") -> dict[str, Any]:
    events = Translator(chosen.compiled, check=ensure_valid_connector_event).to_matter(state)
    found: dict[str, Any] = {}
    for event in events:
        if event["MatterEndpoint"]["id"] == endpoint:
            for entry in event["MatterEndpoint"]["clusters"]:
                if entry["id"] == cluster:
                    found |= entry.get("attributes", {})
    return found


def command(endpoint: str, capability: str, action: str, parameters: dict[str, Any] | None = None) -> dict[str, Any]:
    return {
        "Endpoints": [
            {
                "endpointId": endpoint,
                "capabilities": [
                    {
                        "id": f"matter.{capability}@1.4",
                        "name": capability,
                        "version": "1",
                        "actions": [{"name": action, "parameters": parameters or {}}],
                    }
                ],
            }
        ]
    }


def bodies(chosen: Selection, state: Any, call: dict[str, Any]) -> list[Any]:
    return [r["body"] for r in Translator(chosen.compiled).to_vendor(call, state=state)]


# --- Tuya lights ---------------------------------------------------------------------------------------


def test_light_with_the_older_dp_set_reads_its_own_ranges() -> None:
    chosen, state = composed("tuya", "light_old_dp")
    assert chosen.composed_from == ("light_switch", "light_level_white_colour", "light_colour_ct")
    assert device_types(chosen) == [["Color Temperature Light"]]
    level = attributes(chosen, state, "0x0008")["0x0000"]
    assert level == round(1 + (140 - 25) * 253 / 230)  # bright_value 25..255 onto 1..254
    assert attributes(chosen, state, "0x0300")["0x0007"] == round(500 + 128 * (153 - 500) / 255)
    assert bodies(chosen, state, command("1", "LevelControl", "MoveToLevel", {"Level": 254})) == [
        {"commands": [{"code": "bright_value", "value": 255}]}
    ]


def test_white_only_light_is_dimmable() -> None:
    chosen, state = composed("tuya", "light_white")
    assert device_types(chosen) == [["Dimmable Light"]]
    assert attributes(chosen, state, "0x0006") == {"0x0000": False, "0x4001": 0, "0x4002": 0}
    assert "0x0300" not in {c.hex_id for c in chosen.compiled.endpoints[0].clusters}


def test_colour_temperature_only_light() -> None:
    chosen, state = composed("tuya", "light_ct")
    assert device_types(chosen) == [["Color Temperature Light"]]
    assert attributes(chosen, state, "0x0300")["0x0007"] == 500  # temp_value_v2 0 is the warm end
    assert chosen.unmapped == ("work_mode",)  # a white-only mode enum: nothing to bind


def test_colour_light_without_a_white_brightness_takes_its_level_from_the_colour() -> None:
    chosen, state = composed("tuya", "light_colour_no_bright")
    assert "light_level_colour" in chosen.composed_from
    assert attributes(chosen, state, "0x0008")["0x0000"] == 127  # v 500 of 0..1000
    assert bodies(chosen, state, command("1", "LevelControl", "MoveToLevel", {"Level": 254})) == [
        {"commands": [{"code": "colour_data_v2", "value": {"h": 240, "s": 1000, "v": 1000}}]}
    ]


# --- Tuya relays ---------------------------------------------------------------------------------------


def test_plug_whose_switch_code_is_switch() -> None:
    chosen, state = composed("tuya", "plug_switch")
    assert device_types(chosen) == [["On/Off Plug In Unit"]]
    assert bodies(chosen, state, command("1", "OnOff", "Off")) == [{"commands": [{"code": "switch", "value": False}]}]


def test_plug_without_countdown_offers_no_timed_on() -> None:
    chosen, state = composed("tuya", "plug_no_countdown")
    assert chosen.unmapped == ("relay_status",)
    with pytest.raises(TranslationError):
        Translator(chosen.compiled).to_vendor(command("1", "OnOff", "OnWithTimedOff", {"OnTime": 50}), state=state)


def test_power_strip_has_one_endpoint_per_outlet() -> None:
    chosen, state = composed("tuya", "strip")
    assert [e.id for e in chosen.compiled.endpoints] == ["1", "2", "3"]
    assert device_types(chosen) == [["On/Off Plug In Unit"]] * 3
    assert attributes(chosen, state, "0x0006", endpoint="2")["0x0000"] is False
    assert attributes(chosen, state, "0x0006", endpoint="2")["0x4001"] == 1200  # countdown_2 120 s
    assert bodies(chosen, state, command("3", "OnOff", "On")) == [{"commands": [{"code": "switch_3", "value": True}]}]
    assert chosen.unmapped == ("switch_usb1",)


def test_wall_switch_category_kg_has_the_plug_dps() -> None:
    chosen, state = composed("tuya", "switch_two_gang")
    assert device_types(chosen) == [["On/Off Plug In Unit"]] * 2  # a relay, not the client On/Off Light Switch
    assert bodies(chosen, state, command("2", "OnOff", "On")) == [{"commands": [{"code": "switch_2", "value": True}]}]


def test_a_relay_the_function_list_lacks_is_read_only_and_its_commands_are_refused() -> None:
    chosen, state = composed("tuya", "plug_read_only_relay")
    assert attributes(chosen, state, "0x0006")["0x0000"] is True
    for action in ("On", "Off", "Toggle", "OnWithTimedOff"):
        with pytest.raises(TranslationError) as caught:
            Translator(chosen.compiled).to_vendor(command("1", "OnOff", action, {"OnTime": 10}), state=state)
        assert caught.value.problems[0].code in {"unsupported", "unsupported-command"}
    on_off = next(c for c in chosen.compiled.endpoints[0].clusters if c.name == "OnOff")
    assert dict(on_off.unavailable)["On"].startswith("the device's function list does not declare")


# --- Tuya covers and air conditioners ------------------------------------------------------------------


def test_cover_with_only_percent_control() -> None:
    chosen, state = composed("tuya", "cover_percent_control")
    values = attributes(chosen, state, "0x0102")
    assert values["0x000E"] == values["0x000B"] == 7500  # 25 % open is 75 % closed
    assert bodies(chosen, state, command("1", "WindowCovering", "UpOrOpen")) == [
        {"commands": [{"code": "percent_control", "value": 100}]}
    ]
    with pytest.raises(TranslationError):
        Translator(chosen.compiled).to_vendor(command("1", "WindowCovering", "StopMotion"), state=state)


def test_cover_with_only_control() -> None:
    chosen, state = composed("tuya", "cover_control")
    assert device_types(chosen) == [["Window Covering"]]
    assert bodies(chosen, state, command("1", "WindowCovering", "StopMotion")) == [
        {"commands": [{"code": "control", "value": "stop"}]}
    ]
    with pytest.raises(TranslationError):
        Translator(chosen.compiled).to_vendor(
            command("1", "WindowCovering", "GoToLiftPercentage", {"LiftPercent100thsValue": 0}), state=state
        )


def test_air_conditioner_category_kt() -> None:
    chosen, state = composed("tuya", "air_conditioner_kt")
    assert device_types(chosen) == [["Room Air Conditioner"]]
    values = attributes(chosen, state, "0x0201")
    assert values["0x0000"] == 2680  # temp_current 268 at scale 1
    assert values["0x0012"] == 2250  # temp_set 225 at scale 1
    assert values["0x001C"] == 3  # cold is Cool
    assert chosen.unmapped == ("windspeed",)


# --- SmartThings ---------------------------------------------------------------------------------------


def test_heat_only_thermostat() -> None:
    chosen, state = composed("smartthings", "thermostat_heat_only")
    assert device_types(chosen) == [["Thermostat"]]
    thermostat = next(c for c in chosen.compiled.endpoints[0].clusters if c.name == "Thermostat")
    assert thermostat.features == ("HEAT",)
    values = attributes(chosen, state, "0x0201")
    assert values["0x0000"] == 2000  # 68 °F
    assert "0x0011" not in values  # no cooling setpoint
    assert values["0x001B"] == 2  # HeatingOnly


def test_heat_only_thermostat_without_a_mode_capability() -> None:
    chosen, state = composed("smartthings", "radiator_valve")
    assert attributes(chosen, state, "0x0201")["0x001C"] == 4  # Heat, the only thing it does
    assert attributes(chosen, state, "0x002F")["0x000C"] == 160  # battery 80 % in half-percent


def test_multi_sensor_gets_one_endpoint_per_sensor() -> None:
    chosen, state = composed("smartthings", "multi_sensor")
    assert device_types(chosen) == [["Occupancy Sensor"], ["Temperature Sensor"], ["Humidity Sensor"]]
    assert attributes(chosen, state, "0x0406")["0x0000"] == 1
    assert attributes(chosen, state, "0x0402", endpoint="2")["0x0000"] == 2150
    assert attributes(chosen, state, "0x0405", endpoint="3")["0x0000"] == 4800
    assert chosen.unmapped == ("main.healthCheck",)


def test_outlet_strip_components_become_endpoints() -> None:
    chosen, state = composed("smartthings", "outlet_strip")
    assert len(chosen.compiled.endpoints) == 3
    assert bodies(chosen, state, command("3", "OnOff", "On")) == [
        {"commands": [{"component": "switch2", "capability": "switch", "command": "on"}]}
    ]


# --- positions, cache, whole-shape precedence ----------------------------------------------------------


def test_composed_elements_point_at_their_fragment_file() -> None:
    chosen, _ = composed("tuya", "strip")
    on_off = next(c for c in chosen.compiled.endpoints[1].clusters if c.name == "OnOff")
    sources = {a.name: a.source for a in on_off.attributes}
    assert sources["OnOff"].file.endswith("compose/relay_gang.yaml")
    assert sources["OnTime"].file.endswith("compose/countdown_gang.yaml")
    assert sources["OnOff"].line > 1


def test_devices_of_one_shape_share_one_compiled_mapping() -> None:
    first, state = composed("tuya", "strip")
    state = dict(state, id="bf99other", status=dict(state["status"], switch_1=False))
    again = choose("tuya", state)
    assert again.compiled is first.compiled


def test_whole_shape_mappings_still_win_when_exactly_one_matches() -> None:
    state = load_json(MAPPINGS / "tuya" / "samples" / "plug.json")
    chosen = choose("tuya", state)
    assert not chosen.composed
    assert chosen.compiled.identity == "tuya/plug"


def test_metering_plug_reports_power_voltage_current_and_energy_on_an_electrical_sensor() -> None:
    chosen, state = composed("tuya", "metering_plug")
    assert device_types(chosen) == [["On/Off Plug In Unit"], ["Electrical Sensor"]]
    assert {c.name for c in chosen.compiled.endpoints[1].clusters} >= {
        "PowerTopology",
        "ElectricalPowerMeasurement",
        "ElectricalEnergyMeasurement",
    }
    power = attributes(chosen, state, "0x0090", endpoint="2")
    assert (power["0x0008"], power["0x0004"], power["0x0005"]) == (1234500, 230100, 5370)  # mW, mV, mA
    energy = attributes(chosen, state, "0x0091", endpoint="2")
    assert energy["0x0001"] == {"0x0000": 1500000}  # add_ele 1500 at scale 3: 1.5 kWh in mWh
    implausible = dict(state, status=dict(state["status"], cur_power=250000))  # beyond the spec's 99999
    assert "0x0008" not in attributes(chosen, implausible, "0x0090", endpoint="2")  # omitted, not clamped
    why = next(o for o in attribute_outcomes(chosen.compiled, implausible) if o.attribute == "ActivePower")
    assert (why.status, "outside the declared vendor range [0, 99999]" in why.reason) == ("omitted", True)


def test_the_command_line_composes_through_the_vendor_folder(capsys: pytest.CaptureFixture[str]) -> None:
    import json

    from matter_map.cli import main

    folder, state = MAPPINGS / "tuya", MAPPINGS / "tuya" / "compose" / "samples" / "metering_plug.json"
    assert main(["to-matter", str(folder), str(state)]) == 0  # vendor input validation on, as by default
    events = json.loads(capsys.readouterr().out)
    assert [e["MatterEndpoint"]["id"] for e in events] == ["1", "2"]
    assert main(["discover", str(folder), str(state)]) == 0
    report = json.loads(capsys.readouterr().out)
    assert "Electrical Sensor" in json.dumps(report)


@pytest.mark.parametrize("name", sorted(p.stem for p in (MAPPINGS / "tuya" / "compose" / "samples").glob("*.json")))
def test_a_status_that_omits_a_secondary_code_still_translates(name: str) -> None:
    """Real devices do not always report every code their spec declares: only the primary part may be required."""
    state = sample("tuya", name)
    primary = {"switch", "switch_led", "control", "percent_control", "temp_set", "mode"} | {
        f"switch_{n}" for n in range(1, 9)
    }
    for code in [c for c in state["status"] if c not in primary]:
        reduced = dict(state, status={k: v for k, v in state["status"].items() if k != code})
        chosen = choose("tuya", reduced)
        assert Translator(chosen.compiled, check=ensure_valid_connector_event).to_matter(reduced), code


@pytest.mark.parametrize(
    "name", sorted(p.stem for p in (MAPPINGS / "smartthings" / "compose" / "samples").glob("*.json"))
)
def test_a_capability_that_omits_a_secondary_attribute_still_translates(name: str) -> None:
    state = sample("smartthings", name)
    primary = {("switch", "switch"), ("thermostatHeatingSetpoint", "heatingSetpoint"), ("motionSensor", "motion")}
    for component, capabilities in state["components"].items():
        for capability, attributes_ in capabilities.items():
            for attribute in [a for a in attributes_ if (capability, a) not in primary]:
                reduced = copy.deepcopy(state)
                del reduced["components"][component][capability][attribute]
                chosen = choose("smartthings", reduced)
                events = Translator(chosen.compiled, check=ensure_valid_connector_event).to_matter(reduced)
                assert events, (component, capability, attribute)
