"""A vendor value outside its declared vendor range is reported or omitted with a reason, never clamped."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from matter_map.errors import TranslationError
from matter_map.loader import load_mapping
from matter_map.outcomes import attribute_outcomes
from matter_map.translator import Translator

from .codegen_support import generated, outcome
from .conftest import ROOT

THERMOSTAT = ROOT / "mappings/smartthings/thermostat.yaml"
SAMPLE = ROOT / "mappings/smartthings/samples/thermostat_fahrenheit.json"
PLUG = ROOT / "mappings/tuya/plug.yaml"
PLUG_SAMPLE = ROOT / "mappings/tuya/samples/plug.json"


def _sample(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8"))


def _with_temperature(value: float) -> Any:
    state = copy.deepcopy(_sample(SAMPLE))
    state["components"]["main"]["temperatureMeasurement"]["temperature"]["value"] = value
    return state


def _local_temperature(requests: list[dict[str, Any]]) -> Any:
    for request in requests:
        for cluster in request["MatterEndpoint"]["clusters"]:
            if cluster["id"] == "0x0201":
                return cluster.get("attributes", {}).get("0x0000")
    return None


def test_8554_fahrenheit_is_omitted_with_a_reason_not_clamped() -> None:
    compiled = load_mapping(THERMOSTAT).compiled
    state = _with_temperature(8554)
    requests = Translator(compiled).to_matter(state)
    assert _local_temperature(requests) is None  # never 32767
    why = next(o for o in attribute_outcomes(compiled, state) if o.attribute == "LocalTemperature")
    assert why.status == "omitted"
    assert "8554" in why.reason
    assert "outside the declared vendor range" in why.reason


def test_a_plausible_reading_is_still_reported() -> None:
    requests = Translator(load_mapping(THERMOSTAT).compiled).to_matter(_with_temperature(70))
    assert _local_temperature(requests) == 2111


def test_a_required_binding_outside_its_range_is_a_problem() -> None:
    state = copy.deepcopy(_sample(PLUG_SAMPLE))
    state["status"]["countdown_1"] = 90000  # the binding declares range [0, 86400]
    with pytest.raises(TranslationError) as caught:
        Translator(load_mapping(PLUG).compiled).to_matter(state)
    assert [p.code for p in caught.value.problems] == ["implausible-vendor-value"]


@given(st.floats(min_value=-1000, max_value=20000, allow_nan=False) | st.integers(-1000, 20000))
def test_generated_module_agrees_on_implausible_readings(value: float) -> None:
    compiled, module = _THERMOSTAT_PAIR
    state = _with_temperature(value)
    assert outcome(lambda: module.to_matter(state)) == outcome(lambda: Translator(compiled).to_matter(state))


@given(st.integers(-10, 100000))
def test_generated_module_agrees_on_required_bindings(value: int) -> None:
    compiled, module = _PLUG_PAIR
    state = copy.deepcopy(_sample(PLUG_SAMPLE))
    state["status"]["countdown_1"] = value
    assert outcome(lambda: module.to_matter(state)) == outcome(lambda: Translator(compiled).to_matter(state))


_THERMOSTAT_PAIR = generated(THERMOSTAT)
_PLUG_PAIR = generated(PLUG)
