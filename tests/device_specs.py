"""Device payloads generated from the vendors' published specifications: every combination of optional parts,
alternative codes and ranges a category allows (Tuya standard instruction sets per category, SmartThings
capability definitions), with values drawn inside each device's own spec. Written from the documented formats."""

from __future__ import annotations

import itertools
import json
import random
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Device:
    vendor: str
    category: str
    name: str
    state: dict[str, Any]


# --- Tuya --------------------------------------------------------------------------------------------


def integer(low: int, high: int, scale: int = 0, step: int = 1, unit: str = "") -> dict[str, Any]:
    return {"type": "Integer", "value": {"unit": unit, "min": low, "max": high, "scale": scale, "step": step}}


def enum(*values: str) -> dict[str, Any]:
    return {"type": "Enum", "value": {"range": list(values)}}


BOOLEAN: dict[str, Any] = {"type": "Boolean", "value": {}}


def colour_spec(sv_max: int) -> dict[str, Any]:
    part = {"min": 0, "scale": 0, "step": 1}
    return {
        "type": "Json",
        "value": {"h": {**part, "max": 360}, "s": {**part, "max": sv_max}, "v": {**part, "max": sv_max}},
    }


def _value(spec: dict[str, Any], rng: random.Random) -> Any:
    kind, value = spec["type"], spec["value"]
    if kind == "Boolean":
        return rng.random() < 0.5
    if kind == "Integer":
        steps = (value["max"] - value["min"]) // value["step"]
        return value["min"] + rng.randint(0, steps) * value["step"]
    if kind == "Enum":
        return rng.choice(value["range"])
    if kind == "Json":
        if rng.random() < 0.15:
            return ""  # a light that holds no colour yet
        colour = {k: rng.randint(v["min"], v["max"]) for k, v in value.items()}
        return json.dumps(colour) if rng.random() < 0.5 else colour  # the wire's string, or the SDK's object
    return ""


def tuya_device(
    category: str, codes: dict[str, dict[str, Any]], rng: random.Random, read_only: tuple[str, ...] = ()
) -> dict[str, Any]:
    """A device as the device-sharing SDK returns it; `read_only` codes are reported but not in `function`."""
    status = {code: _value(spec, rng) for code, spec in codes.items()}
    return {
        "id": f"bf{rng.getrandbits(64):016x}",
        "name": f"{category} device",
        "category": category,
        "product_id": f"gen-{category}",
        "online": True,
        "function": {c: s for c, s in codes.items() if c not in read_only},
        "status_range": dict(codes),
        "status": status,
    }


LIGHT_CATEGORIES = ("dj", "dd", "xdd", "fwd", "dc", "tgq")
RELAY_CATEGORIES = ("cz", "pc", "kg", "tdq")
#: energy counters of the standard sets: sockets' add_ele, meters' and breakers' forward energy
ENERGY_CODES = ("add_ele", "forward_energy_total", "total_forward_energy")


def tuya_lights(rng: random.Random) -> Iterator[Device]:
    brights = {"none": {}, "v2": {"bright_value_v2": integer(10, 1000)}, "v1": {"bright_value": integer(25, 255)}}
    temps = {"none": {}, "v2": {"temp_value_v2": integer(0, 1000)}, "v1": {"temp_value": integer(0, 255)}}
    colours = {"none": {}, "v2": {"colour_data_v2": colour_spec(1000)}, "v1": {"colour_data": colour_spec(255)}}
    extras = {
        "plain": {},
        "timer": {"countdown_1": integer(0, 86400, unit="s")},
        "scenes": {"scene_data_v2": {"type": "Json", "value": {}}, "music_data": {"type": "Json", "value": {}}},
    }
    for (b, bright), (t, temp), (c, colour), (e, extra), mode_dp in itertools.product(
        brights.items(), temps.items(), colours.items(), extras.items(), (True, False)
    ):
        modes: tuple[str, ...] = ("white",) if not colour else ("white", "colour", "scene", "music")
        with_mode = (bool(colour) or bool(temp)) and mode_dp  # some products declare no work_mode
        if not mode_dp and not (colour or temp):
            continue
        codes: dict[str, dict[str, Any]] = {"switch_led": BOOLEAN}
        if with_mode:
            codes["work_mode"] = enum(*modes)
        codes |= bright | temp | colour | extra
        category = rng.choice(LIGHT_CATEGORIES)
        name = f"light bright={b} temp={t} colour={c} mode={mode_dp} {e}"
        yield Device("tuya", category, name, tuya_device(category, codes, rng))


def tuya_dimmers(rng: random.Random) -> Iterator[Device]:
    """Dimmers (tgq) and dimmer switches (tgkg): one light per gang, switch_led_N with bright_value_N and its
    limits; some light-category dimmer modules name the gang's switch switch_N."""
    for category, gangs, switch, timer in itertools.product(("tgq", "tgkg", "dj"), (1, 2, 3), ("led", "plain"), (0, 1)):
        if switch == "plain" and category != "dj":
            continue
        codes: dict[str, dict[str, Any]] = {}
        for n in range(1, gangs + 1):
            codes[f"switch_led_{n}" if switch == "led" else f"switch_{n}"] = BOOLEAN
            codes[f"bright_value_{n}"] = integer(10, 1000) if switch == "led" else integer(0, 1000)
            codes[f"brightness_min_{n}"] = integer(10, 1000)
            codes[f"led_type_{n}"] = enum("led", "incandescent", "halogen")
            if timer:
                codes[f"countdown_{n}"] = integer(0, 86400, unit="s")
        name = f"light dimmer gangs={gangs} switch={switch} timer={timer}"
        yield Device("tuya", category, name, tuya_device(category, codes, rng))


def tuya_relays(rng: random.Random) -> Iterator[Device]:
    metering = {
        "cur_power": integer(0, 99999, scale=1, unit="W"),
        "cur_voltage": integer(0, 5000, scale=1, unit="V"),
        "cur_current": integer(0, 30000, unit="mA"),
        "add_ele": integer(0, 500000, scale=3, step=100, unit="kW·h"),
    }
    for category in RELAY_CATEGORIES:
        for gangs, timer, meter, extra in itertools.product((0, 1, 2, 3, 4, 6), (False, True), (0, 1, 2), (0, 1)):
            codes: dict[str, dict[str, Any]] = {}
            if gangs == 0:  # older products: one relay named `switch`
                codes["switch"] = BOOLEAN
                if timer:
                    codes["countdown"] = integer(0, 86400, unit="s")
            for n in range(1, gangs + 1):
                codes[f"switch_{n}"] = BOOLEAN
                if timer:
                    codes[f"countdown_{n}"] = integer(0, 86400, unit="s")
            if meter == 1:  # power only
                codes["cur_power"] = metering["cur_power"]
            elif meter == 2:
                codes |= metering
            if extra:
                codes["relay_status"] = enum("power_off", "power_on", "last")
                codes["child_lock"] = BOOLEAN
            name = f"relay gangs={gangs or 'switch'} timer={timer} meter={meter} extra={extra}"
            yield Device("tuya", category, name, tuya_device(category, codes, rng))


def tuya_meters(rng: random.Random) -> Iterator[Device]:
    """Breakers (dlq) and meters: energy counters with or without a relay, power or a temperature reading of their
    own (a breaker's temp_value is its temperature, not a light's colour temperature)."""
    relays = ("none", "switch", "switch_1")
    for code, relay, power, temperature, export in itertools.product(ENERGY_CODES, relays, *[(0, 1)] * 3):
        codes: dict[str, dict[str, Any]] = {code: integer(0, 99999999, scale=2, unit="kW·h")}
        if export:  # a bidirectional meter (solar): the exported energy too
            exported = "pro_add_ele" if code == "add_ele" else "reverse_energy_total"
            codes[exported] = integer(0, 99999999, scale=2, unit="kW·h")
        if relay != "none":
            codes[relay] = BOOLEAN
        if power:
            codes["cur_power"] = integer(0, 99999, scale=1, unit="W")
        if temperature:
            codes["temp_value"] = integer(0, 999, unit="℃")
        codes["fault"] = {"type": "Bitmap", "value": {"label": ["ov_cr", "ov_vol", "short_circuit_alarm"]}}
        name = f"meter energy={code} relay={relay} power={power} temp_value={temperature} export={export}"
        yield Device("tuya", "dlq", name, tuya_device("dlq", codes, rng))


def tuya_controllers(rng: random.Random) -> Iterator[Device]:
    """Temperature controllers (wk) without a setpoint: a power switch, a reading and limits of their own."""
    for scale, limits in itertools.product((0, 1), (False, True)):
        reading = integer(-30 * 10**scale, 110 * 10**scale, scale=scale, unit="℃")
        codes: dict[str, dict[str, Any]] = {"switch": BOOLEAN, "temp_current": reading}
        if limits:
            codes |= {"upper_temp": reading, "lower_temp": reading, "work_state": enum("cold", "hot")}
        yield Device("tuya", "wk", f"controller scale={scale} limits={limits}", tuya_device("wk", codes, rng))


def tuya_covers(rng: random.Random) -> Iterator[Device]:
    percent = integer(0, 100, unit="%")
    parts = {
        "percent_control": {"percent_control": percent},
        "percent_state": {"percent_state": percent},
        "control": {"control": enum("open", "stop", "close", "continue")},
        "work_state": {"work_state": enum("opening", "closing")},
    }
    for category in ("cl", "clkg"):
        for mask in range(1, 16):
            chosen = [name for i, name in enumerate(parts) if mask >> i & 1]
            if chosen in (["percent_state"], ["work_state"], ["percent_state", "work_state"]):
                continue  # nothing to drive: not a cover of the standard set
            codes: dict[str, dict[str, Any]] = {}
            for name in chosen:
                codes |= parts[name]
            codes["control_back_mode"] = enum("forward", "back")
            name = "cover " + "+".join(chosen)
            yield Device("tuya", category, name, tuya_device(category, codes, rng, read_only=("percent_state",)))
        for curtains, kind in itertools.product((2, 3), ("control", "target", "state")):  # multi-curtain modules
            codes = {}
            for n in range(1, curtains + 1):
                suffix = "" if n == 1 else f"_{n}"
                codes |= {f"control{suffix}": enum("open", "stop", "close")}
                codes |= {f"percent_control{suffix}": percent} if kind != "control" else {}
                codes |= {f"percent_state{suffix}": percent} if kind == "state" else {}
            name = f"cover curtains={curtains} parts={kind}"
            yield Device("tuya", category, name, tuya_device(category, codes, rng))
        # the older curtain set: mach_operate (FZ opens, ZZ closes, STOP) and position
        codes = {"mach_operate": enum("FZ", "ZZ", "STOP"), "position": percent}
        yield Device("tuya", category, "cover mach_operate+position", tuya_device(category, codes, rng))


def tuya_air_conditioners(rng: random.Random) -> Iterator[Device]:
    setpoints = {"C": integer(16, 30, unit="℃"), "C/10": integer(160, 300, scale=1, step=5, unit="℃")}
    currents = {"none": None, "C": integer(-20, 50, unit="℃"), "C/10": integer(-200, 500, scale=1, unit="℃")}
    # portable units declare no mode: they only cool
    modes = {"none": None, "cool-heat": enum("cold", "hot"), "all": enum("cold", "hot", "wet", "wind", "auto")}
    for (s, setpoint), (c, current), (m, mode) in itertools.product(setpoints.items(), currents.items(), modes.items()):
        codes = {"switch": BOOLEAN, "temp_set": setpoint, "windspeed": enum("low", "mid", "high")}
        if mode is not None:
            codes["mode"] = mode
        if current is not None:
            codes["temp_current"] = current
        yield Device("tuya", "kt", f"kt set={s} current={c} modes={m}", tuya_device("kt", codes, rng))


def tuya_devices(seed: int = 10) -> list[Device]:
    rng = random.Random(seed)
    return [
        *tuya_lights(rng),
        *tuya_dimmers(rng),
        *tuya_relays(rng),
        *tuya_meters(rng),
        *tuya_controllers(rng),
        *tuya_covers(rng),
        *tuya_air_conditioners(rng),
    ]


# --- SmartThings ---------------------------------------------------------------------------------------


def _reading(value: Any, unit: str | None = None) -> dict[str, Any]:
    out = {"value": value, "timestamp": "2026-03-02T08:15:00.000Z"}
    if unit is not None:
        out["unit"] = unit
    return out


def st_capability(name: str, rng: random.Random, unit: str) -> dict[str, Any]:
    """One capability's attributes, as the capability definitions describe them."""
    temp = (lambda c: round(c * 9 / 5 + 32)) if unit == "F" else (lambda c: round(c, 1))
    table: dict[str, Any] = {
        "switch": lambda: {"switch": _reading(rng.choice(["on", "off"]))},
        "switchLevel": lambda: {"level": _reading(rng.randint(0, 100), "%")},
        "colorTemperature": lambda: {
            "colorTemperature": _reading(rng.randint(2200, 6500), "K"),
            "colorTemperatureRange": _reading({"minimum": 2000, "maximum": 6500}),
        },
        "colorControl": lambda: {
            "hue": _reading(round(rng.uniform(0, 100), 4), "%"),
            "saturation": _reading(round(rng.uniform(0, 100), 4), "%"),
            "color": _reading(None),
        },
        "motionSensor": lambda: {"motion": _reading(rng.choice(["active", "inactive"]))},
        "contactSensor": lambda: {"contact": _reading(rng.choice(["open", "closed"]))},
        "temperatureMeasurement": lambda: {"temperature": _reading(temp(rng.uniform(-10, 35)), unit)},
        "relativeHumidityMeasurement": lambda: {"humidity": _reading(rng.randint(0, 100), "%")},
        "battery": lambda: {"battery": _reading(rng.randint(0, 100), "%")},
        "thermostatHeatingSetpoint": lambda: {"heatingSetpoint": _reading(temp(rng.uniform(15, 24)), unit)},
        "thermostatCoolingSetpoint": lambda: {"coolingSetpoint": _reading(temp(rng.uniform(24, 30)), unit)},
        "thermostatMode": lambda: {
            "thermostatMode": _reading(rng.choice(["off", "heat"])),
            "supportedThermostatModes": _reading(["off", "heat"]),
        },
        "thermostatOperatingState": lambda: {"thermostatOperatingState": _reading(rng.choice(["idle", "heating"]))},
        "lock": lambda: {"lock": _reading(rng.choice(["locked", "unlocked"]))},
        "windowShade": lambda: {
            "windowShade": _reading(rng.choice(["open", "closed", "partially open"])),
            "supportedWindowShadeCommands": _reading(["open", "close", "pause"]),
        },
        "windowShadeLevel": lambda: {"shadeLevel": _reading(rng.randint(0, 100), "%")},
        "powerMeter": lambda: {"power": _reading(round(rng.uniform(0, 3500), 2), "W")},
        "energyMeter": lambda: {"energy": _reading(round(rng.uniform(0, 50000), 3), "kWh")},
        "healthCheck": lambda: {"DeviceWatch-DeviceStatus": _reading("online")},
        "refresh": dict,
    }
    return dict(table[name]())


def st_device(category: str, components: dict[str, list[str]], rng: random.Random, unit: str = "C") -> Device:
    state = {
        "deviceId": f"{rng.getrandbits(128):032x}",
        "components": {name: {cap: st_capability(cap, rng, unit) for cap in caps} for name, caps in components.items()},
    }
    described = "; ".join(f"{n}: {'+'.join(c)}" for n, c in components.items())
    return Device("smartthings", category, described, state)


def smartthings_devices(seed: int = 10) -> list[Device]:
    rng = random.Random(seed)
    out: list[Device] = []
    common = ["healthCheck", "refresh"]
    for level, ct, colour in itertools.product((False, True), (False, True), (False, True)):
        if (ct or colour) and not level:
            continue
        caps = ["switch", *(["switchLevel"] if level else []), *(["colorTemperature"] if ct else [])]
        caps += ["colorControl"] if colour else []
        out.append(st_device("light", {"main": [*caps, *common]}, rng))
    for outlets in (2, 3, 4):  # multi-outlet strips: one component per outlet
        components = {"main": ["switch", *common]} | {f"switch{n}": ["switch"] for n in range(1, outlets + 1)}
        out.append(st_device("switch", components, rng))
    sensors = ["motionSensor", "temperatureMeasurement", "relativeHumidityMeasurement", "contactSensor"]
    for mask in range(1, 16):
        chosen = [s for i, s in enumerate(sensors) if mask >> i & 1]
        for battery, unit in itertools.product((False, True), ("C", "F")):
            out.append(st_device("sensor", {"main": [*chosen, *(["battery"] if battery else []), *common]}, rng, unit))
    for sensor, battery in itertools.product(sensors, (False, True)):  # a switch that senses too (camera, plug)
        caps = ["switch", sensor, *(["battery"] if battery else []), *common]
        out.append(st_device("switch", {"main": caps}, rng))
    for switch, power, energy in itertools.product((False, True), repeat=3):  # plugs and meters that meter
        caps = [
            *(["switch"] if switch else []),
            *(["powerMeter"] if power else []),
            *(["energyMeter"] if energy else []),
        ]
        if power or energy:
            out.append(st_device("meter", {"main": [*caps, *common]}, rng))
    for battery in (False, True):
        out.append(st_device("lock", {"main": ["lock", *(["battery"] if battery else []), *common]}, rng))
    for level, switch_level in itertools.product((False, True), (False, True)):
        caps = ["windowShade", *(["windowShadeLevel"] if level else []), *(["switchLevel"] if switch_level else [])]
        out.append(st_device("window_shade", {"main": [*caps, *common]}, rng))
    for cooling, mode, operating, unit in itertools.product((False, True), (False, True), (False, True), ("C", "F")):
        if cooling and not mode:
            continue  # a thermostat that both heats and cools declares thermostatMode to choose between them
        caps = ["temperatureMeasurement", "thermostatHeatingSetpoint"]
        caps += ["thermostatCoolingSetpoint"] if cooling else []
        caps += ["thermostatMode"] if mode else []
        caps += ["thermostatOperatingState"] if operating else []
        out.append(st_device("thermostat", {"main": [*caps, *common]}, rng, unit))
    # a thermostat with a relay the cloud has not reported yet (value null) and a second probe component
    components = {"main": ["temperatureMeasurement", "thermostatHeatingSetpoint", "thermostatMode", "switch"]}
    unreported = st_device("thermostat", components | {"main02": ["temperatureMeasurement"]}, rng)
    unreported.state["components"]["main"]["switch"]["switch"]["value"] = None
    out.append(unreported)
    return out
