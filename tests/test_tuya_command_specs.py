"""On/Off/MoveToLevel on any Tuya light or plug of the generated fleet: every request body uses only codes of the
device's own `function` list, with values its spec allows; a command the device cannot perform is refused."""

from __future__ import annotations

import json
import random
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from matter_map.errors import TranslationError
from matter_map.translator import Translator

from .device_specs import Device, tuya_device, tuya_devices
from .test_composed_shapes import command
from .test_fleet_table import choose

SWITCHED = [d for d in tuya_devices() if d.name.startswith(("light", "relay"))]
# the same devices with their switch codes reported but missing from `function` (read-only relays and lights)
READ_ONLY = [
    tuya_device(
        d.category,
        d.state["status_range"],
        random.Random(7),
        read_only=tuple(c for c in d.state["status_range"] if c.startswith("switch")),
    )
    for d in SWITCHED[::7]
]

ACTIONS = st.sampled_from(["On", "Off", "Toggle", "MoveToLevel", "MoveToLevelWithOnOff"])


def allowed(spec: dict[str, Any], value: Any) -> str | None:
    """Why `value` is not a value the Tuya spec allows, or None."""
    kind, values = spec["type"], spec["value"]
    if kind == "Boolean":
        return None if isinstance(value, bool) else f"{value!r} is not a Boolean"
    if kind == "Integer":
        if isinstance(value, bool) or not isinstance(value, int):
            return f"{value!r} is not an integer"
        if not values["min"] <= value <= values["max"]:
            return f"{value} is outside {values['min']}..{values['max']}"
        return None if (value - values["min"]) % values["step"] == 0 else f"{value} is off the step {values['step']}"
    if kind == "Enum":
        return None if value in values["range"] else f"{value!r} is not one of {values['range']}"
    if kind == "Json":
        data = json.loads(value) if isinstance(value, str) else value
        if not isinstance(data, dict) or set(data) != set(values):
            return f"{value!r} does not have the fields {sorted(values)}"
        for key, sub in values.items():
            if not isinstance(data[key], int) or not sub["min"] <= data[key] <= sub["max"]:
                return f"{key}={data[key]!r} is outside {sub['min']}..{sub['max']}"
        return None
    return f"unexpected spec type {kind}"


def check_bodies(state: dict[str, Any], requests: list[dict[str, Any]]) -> None:
    functions = state["function"]
    for request in requests:
        assert request["url"].endswith("/commands")
        for item in request["body"]["commands"]:
            assert item["code"] in functions, f"{item['code']} is not in the device's function list"
            problem = allowed(functions[item["code"]], item["value"])
            assert problem is None, f"{item['code']}: {problem}"


def run(state: dict[str, Any], endpoint_index: int, action: str, level: int) -> list[dict[str, Any]] | None:
    chosen = choose("tuya", state)
    capability = "OnOff" if action in ("On", "Off", "Toggle") else "LevelControl"
    # an endpoint that has the cluster (a meter endpoint has no OnOff); with none, the first, which must refuse
    endpoints = [e for e in chosen.compiled.endpoints if capability in {c.name for c in e.clusters}]
    endpoints = endpoints or list(chosen.compiled.endpoints[:1])
    endpoint = endpoints[endpoint_index % len(endpoints)]
    parameters = {} if capability == "OnOff" else {"Level": level, "TransitionTime": 0, "OptionsMask": 0}
    call = command(endpoint.id, capability, action, parameters | ({"OptionsOverride": 0} if parameters else {}))
    try:
        return Translator(chosen.compiled).to_vendor(call, state=state)
    except TranslationError as exc:
        refusal = exc
    assert refusal.problems[0].message, "a refusal names its reason"
    return None


@given(st.sampled_from(SWITCHED), st.integers(0, 7), ACTIONS, st.integers(0, 254))
def test_commands_use_only_codes_and_values_the_device_declares(
    device: Device, endpoint_index: int, action: str, level: int
) -> None:
    requests = run(device.state, endpoint_index, action, level)
    if requests is None:  # only a level command on a device without a brightness may be refused
        assert action.startswith("MoveToLevel")
        assert not {"bright_value", "bright_value_v2", "colour_data", "colour_data_v2"} & set(device.state["function"])
        return
    assert requests
    check_bodies(device.state, requests)


@given(st.sampled_from(READ_ONLY), st.integers(0, 7), st.sampled_from(["On", "Off", "Toggle"]))
def test_switching_a_relay_missing_from_the_function_list_is_refused_with_no_request(
    state: dict[str, Any], endpoint_index: int, action: str
) -> None:
    assert run(state, endpoint_index, action, 0) is None
