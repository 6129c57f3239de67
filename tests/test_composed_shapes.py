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


def test_a_brightness_below_the_spec_minimum_is_omitted_not_clamped() -> None:
    chosen, state = composed("tuya", "light_old_dp")
    dim = dict(state, status=dict(state["status"], bright_value=11))  # a product reporting below its spec's 25
    assert "0x0000" not in attributes(chosen, dim, "0x0008")
    why = next(o for o in attribute_outcomes(chosen.compiled, dim) if o.attribute == "CurrentLevel")
    assert why.status == "omitted"
    assert "outside the declared vendor range [25, 255]" in why.reason


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


def test_dimmer_switch_has_one_dimmable_light_per_gang() -> None:
    chosen, state = composed("tuya", "dimmer_switch_two_gang")
    assert device_types(chosen) == [["Dimmable Light"], ["Dimmable Light"]]
    assert attributes(chosen, state, "0x0008")["0x0000"] == 128  # bright_value_1 505 of 10..1000
    assert attributes(chosen, state, "0x0006", endpoint="2")["0x0000"] is False
    level = {"Level": 254, "TransitionTime": 0, "OptionsMask": 0, "OptionsOverride": 0}
    assert bodies(chosen, state, command("2", "LevelControl", "MoveToLevel", level)) == [
        {"commands": [{"code": "bright_value_2", "value": 1000}]}
    ]
    assert bodies(chosen, state, command("1", "OnOff", "Off")) == [
        {"commands": [{"code": "switch_led_1", "value": False}]}
    ]
    assert chosen.unmapped == ("brightness_min_1", "brightness_min_2", "led_type_1", "led_type_2")


def test_dimmer_module_whose_gang_switch_is_switch_n_is_a_light() -> None:
    chosen, state = composed("tuya", "light_dimmer_module")
    assert device_types(chosen) == [["Dimmable Light"]]
    assert attributes(chosen, state, "0x0008")["0x0000"] == 64  # bright_value_1 250 of 0..1000
    assert bodies(chosen, state, command("1", "OnOff", "On")) == [{"commands": [{"code": "switch_1", "value": True}]}]


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


def test_curtain_with_the_older_mach_operate_and_position_set() -> None:
    chosen, state = composed("tuya", "curtain_mach_operate")
    assert device_types(chosen) == [["Window Covering"]]
    assert attributes(chosen, state, "0x0102")["0x000E"] == 7000  # position 30 % open is 70 % closed
    assert bodies(chosen, state, command("1", "WindowCovering", "UpOrOpen")) == [
        {"commands": [{"code": "mach_operate", "value": "FZ"}]}
    ]
    assert bodies(chosen, state, command("1", "WindowCovering", "StopMotion")) == [
        {"commands": [{"code": "mach_operate", "value": "STOP"}]}
    ]
    go = command("1", "WindowCovering", "GoToLiftPercentage", {"LiftPercent100thsValue": 2500})
    assert bodies(chosen, state, go) == [{"commands": [{"code": "position", "value": 75}]}]


def test_two_gang_curtain_switch_has_one_window_covering_per_curtain() -> None:
    chosen, state = composed("tuya", "curtain_switch_two_gang")
    assert device_types(chosen) == [["Window Covering"], ["Window Covering"]]
    assert attributes(chosen, state, "0x0102")["0x000B"] == 0  # percent_control 100 % open
    assert attributes(chosen, state, "0x0102", endpoint="2")["0x000B"] == 6000  # percent_control_2 40 % open
    assert bodies(chosen, state, command("2", "WindowCovering", "UpOrOpen")) == [
        {"commands": [{"code": "control_2", "value": "open"}]}
    ]
    go = command("2", "WindowCovering", "GoToLiftPercentage", {"LiftPercent100thsValue": 2500})
    assert bodies(chosen, state, go) == [{"commands": [{"code": "percent_control_2", "value": 75}]}]
    assert chosen.unmapped == ("control_back_mode",)


def test_air_conditioner_category_kt() -> None:
    chosen, state = composed("tuya", "air_conditioner_kt")
    assert device_types(chosen) == [["Room Air Conditioner"]]
    values = attributes(chosen, state, "0x0201")
    assert values["0x0000"] == 2680  # temp_current 268 at scale 1
    assert values["0x0012"] == 2250  # temp_set 225 at scale 1
    assert values["0x001C"] == 3  # cold is Cool
    assert chosen.unmapped == ("windspeed",)


def test_air_conditioner_without_a_mode_only_cools() -> None:
    chosen, state = composed("tuya", "air_conditioner_cool_only")
    assert device_types(chosen) == [["Room Air Conditioner"]]
    thermostat = next(c for c in chosen.compiled.endpoints[0].clusters if c.name == "Thermostat")
    assert thermostat.features == ("COOL",)
    values = attributes(chosen, state, "0x0201")
    assert (values["0x0000"], values["0x0011"]) == (2700, 2400)  # temp_current 27, temp_set 24 (scale 0)
    assert (values["0x001C"], values["0x001B"]) == (3, 0)  # SystemMode Cool, CoolingOnly
    assert "0x0012" not in values  # no heating setpoint
    assert bodies(chosen, state, command("1", "OnOff", "Off")) == [{"commands": [{"code": "switch", "value": False}]}]


def test_breaker_reports_its_energy_and_its_temperature_is_no_colour_temperature() -> None:
    chosen, state = composed("tuya", "breaker_energy")
    assert device_types(chosen) == [["On/Off Plug In Unit"], ["Electrical Sensor"]]
    assert "ColorControl" not in {c.name for e in chosen.compiled.endpoints for c in e.clusters}
    energy = attributes(chosen, state, "0x0091", endpoint="2")
    assert energy["0x0001"] == {"0x0000": 1234560000}  # total_forward_energy 123456 at scale 2: 1234.56 kWh in mWh
    assert chosen.unmapped == ("fault", "temp_value")


def test_bidirectional_meter_reports_imported_and_exported_energy() -> None:
    chosen, state = composed("tuya", "bidirectional_meter")
    meter = next(c for c in chosen.compiled.endpoints[1].clusters if c.name == "ElectricalEnergyMeasurement")
    assert set(meter.features) == {"IMPE", "EXPE", "CUME"}
    energy = attributes(chosen, state, "0x0091", endpoint="2")
    assert energy["0x0001"] == {"0x0000": 12300000}  # add_ele 12300 at scale 3: 12.3 kWh in mWh
    assert energy["0x0002"] == {"0x0000": 4500000}  # pro_add_ele 4.5 kWh exported
    assert chosen.unmapped == ("energy_status",)


def test_energy_meter_without_a_relay_is_an_electrical_sensor() -> None:
    chosen, state = composed("tuya", "energy_meter")
    assert device_types(chosen) == [["Electrical Sensor"]]
    assert {c.name for c in chosen.compiled.endpoints[0].clusters} == {
        "PowerTopology",
        "ElectricalEnergyMeasurement",
        "Identify",
    }
    assert attributes(chosen, state, "0x0091")["0x0001"] == {"0x0000": 24354160000}  # 24354.16 kWh


def test_temperature_controller_without_a_setpoint_is_a_relay_and_a_temperature_sensor() -> None:
    chosen, state = composed("tuya", "temperature_controller")
    assert device_types(chosen) == [["On/Off Plug In Unit"], ["Temperature Sensor"]]
    reading = attributes(chosen, state, "0x0402", endpoint="2")
    assert (reading["0x0000"], reading["0x0001"], reading["0x0002"]) == (6120, -3000, 11000)  # scale 1 °C
    assert bodies(chosen, state, command("1", "OnOff", "Off")) == [{"commands": [{"code": "switch", "value": False}]}]
    assert chosen.unmapped == ("lower_temp", "upper_temp", "work_state")
    hot = dict(state, status=dict(state["status"], temp_current=1500))  # beyond the spec's 1100
    assert "0x0000" not in attributes(chosen, hot, "0x0402", endpoint="2")  # omitted, not clamped


# --- SmartThings ---------------------------------------------------------------------------------------


def test_switch_with_a_motion_sensor_is_one_endpoint_of_both_types() -> None:
    chosen, state = composed("smartthings", "camera_switch_motion")
    assert device_types(chosen) == [["On/Off Plug In Unit", "Occupancy Sensor"]]
    assert attributes(chosen, state, "0x0006")["0x0000"] is True
    assert attributes(chosen, state, "0x002F")["0x000C"] == 176  # battery 88 % in half-percent


def test_metering_plug_reports_power_and_energy_on_an_electrical_sensor() -> None:
    chosen, state = composed("smartthings", "metering_plug")
    assert device_types(chosen) == [["On/Off Plug In Unit"], ["Electrical Sensor"]]
    assert attributes(chosen, state, "0x0090", endpoint="2")["0x0008"] == 1234500  # W → mW
    assert attributes(chosen, state, "0x0091", endpoint="2")["0x0001"] == {"0x0000": 321125000}  # kWh → mWh
    in_wh = copy.deepcopy(state)
    in_wh["components"]["main"]["energyMeter"]["energy"] = {"value": 321125.0, "unit": "Wh"}
    assert "0x0001" not in attributes(chosen, in_wh, "0x0091", endpoint="2")  # another unit is not misread
    why = next(o for o in attribute_outcomes(chosen.compiled, in_wh) if o.attribute == "CumulativeEnergyImported")
    assert why.status != "reported"


def test_a_capability_the_cloud_has_not_reported_yet_is_omitted_with_the_reason() -> None:
    chosen, state = composed("smartthings", "thermostat_unreported_switch")
    on_off = attributes(chosen, state, "0x0006")
    assert "0x0000" not in on_off  # switch value null: omitted, the rest of the device translates
    assert attributes(chosen, state, "0x0201")["0x0012"] == 2300
    assert attributes(chosen, state, "0x0402", endpoint="2")["0x0000"] == 4550
    why = next(o for o in attribute_outcomes(chosen.compiled, state) if o.attribute == "OnOff")
    assert why.status == "omitted"


@pytest.mark.parametrize("name", ["switch", "dimmer"])
def test_a_whole_shape_switch_not_reported_yet_translates_without_on_off(name: str) -> None:
    state = copy.deepcopy(load_json(MAPPINGS / "smartthings" / "samples" / f"{name}.json"))
    state["components"]["main"]["switch"]["switch"]["value"] = None  # the cloud has no value yet
    chosen = choose("smartthings", state)
    assert chosen.compiled.identity == f"smartthings/{name}"
    assert "0x0000" not in attributes(chosen, state, "0x0006")
    why = next(o for o in attribute_outcomes(chosen.compiled, state) if o.attribute == "OnOff")
    assert why.status == "omitted"


def test_an_implausible_setpoint_is_omitted_not_clamped() -> None:
    chosen, state = composed("smartthings", "thermostat_heat_only")
    state = copy.deepcopy(state)
    state["components"]["main"]["thermostatHeatingSetpoint"]["heatingSetpoint"] = {"value": 814.75, "unit": "F"}
    assert "0x0012" not in attributes(chosen, state, "0x0201")  # 435 °C: beyond Matter's limits, not 327.67 °C
    why = next(o for o in attribute_outcomes(chosen.compiled, state) if o.attribute == "OccupiedHeatingSetpoint")
    assert why.status == "omitted"
    assert "outside the declared vendor range" in why.reason


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
    primary = {"switch", "switch_led", "control", "percent_control", "position", "temp_set", "mode"}
    primary |= {f"switch_{n}" for n in range(1, 9)} | {f"switch_led_{n}" for n in range(1, 5)}
    primary |= {f"{code}_{n}" for code in ("control", "percent_control") for n in (2, 3)}
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
