"""The runtime's short roads give what its general roads give: plain commands, half-even rounding, device ids."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from matter_map import runtime
from matter_map.loader import load_mapping
from matter_map.translator import Translator

from .codegen_support import outcome
from .conftest import ROOT

MAPPINGS = sorted((ROOT / "mappings").glob("*/*.yaml"))
#: values a command parameter may hold: in range, out of range, of the wrong kind, absent-like
PARAMETER = st.one_of(
    st.integers(-3, 300),
    st.integers(-(2**20), 2**20),
    st.floats(-1e6, 1e6),
    st.booleans(),
    st.none(),
    st.text(max_size=4),
    st.lists(st.integers(0, 3), max_size=2),
)


def _write_commands(translator: Translator) -> list[tuple[str, str, str, list[str]]]:
    """(endpoint id, capability id, command name, field names) of every mapped command of the mapping."""
    found = []
    for endpoint in translator.compiled.endpoints:
        for cluster in endpoint.clusters:
            for command in cluster.commands:
                found.append((endpoint.id, cluster.capability_id, command.name, [f.name for f in command.fields]))
    return found


@pytest.fixture(scope="module")
def translators() -> dict[Path, Translator]:
    return {file: Translator(load_mapping(file).compiled) for file in MAPPINGS}


@pytest.mark.parametrize("file", MAPPINGS, ids=lambda f: f"{f.parent.name}/{f.stem}")
@settings(max_examples=80, deadline=None)
@given(data=st.data())
def test_commands_give_the_same_requests_on_both_roads(
    file: Path, translators: dict[Path, Translator], data: st.DataObject
) -> None:
    translator = translators[file]
    commands = _write_commands(translator)
    if not commands:
        return
    samples = sorted((file.parent / "samples").glob(f"{file.stem}*.json"))
    state: Any = None
    if samples and data.draw(st.booleans(), label="with state"):
        state = json.loads(samples[0].read_text(encoding="utf-8"))
    chosen = data.draw(st.lists(st.sampled_from(commands), min_size=1, max_size=2), label="calls")
    capabilities = []
    for endpoint_id, capability_id, name, fields in chosen:
        if data.draw(st.booleans(), label="every field, mostly in range"):
            params = data.draw(
                st.fixed_dictionaries(
                    {f: st.integers(0, 254) | st.integers(0, 100) | st.just(1) | PARAMETER for f in fields}
                )
            )
        else:
            params = data.draw(st.dictionaries(st.sampled_from([*fields, "Nonsense"]), PARAMETER, max_size=4))
        action: dict[str, Any] = {"name": name, "parameters": params}
        capabilities.append((endpoint_id, {"id": capability_id, "actions": [action]}))
    command = {
        "Endpoints": [
            {"endpointId": endpoint_id, "capabilities": [capability]} for endpoint_id, capability in capabilities
        ]
    }
    device_id = data.draw(st.sampled_from([None, "lamp-1", "lamp-2", "a b/c", ""]), label="device id")
    short = outcome(lambda: translator.to_vendor(command, state=state, device_id=device_id))
    with pytest.MonkeyPatch.context() as patched:
        patched.setattr(runtime, "plain_requests", lambda *args: None)
        general = outcome(lambda: translator.to_vendor(command, state=state, device_id=device_id))
    assert short == general


def test_the_short_road_is_taken_by_a_plain_command() -> None:
    file = ROOT / "mappings" / "philips_hue" / "extended_color_light.yaml"
    translator = Translator(load_mapping(file).compiled)
    command = {
        "Endpoints": [
            {
                "endpointId": "1",
                "capabilities": [
                    {
                        "id": "matter.LevelControl@1.4",
                        "actions": [{"name": "MoveToLevel", "parameters": {"Level": 127}}],
                    }
                ],
            }
        ]
    }
    requests = runtime.plain_requests(translator.device, command, None, "lamp-1")
    assert requests == [
        {
            "method": "PUT",
            "url": "/clip/v2/resource/light/lamp-1",
            "headers": {"Content-Type": "application/json"},
            "body": {"dimming": {"brightness": 50.0}},
        }
    ]
    command["Endpoints"][0]["capabilities"][0]["actions"][0]["parameters"] = {"Level": 999}
    assert runtime.plain_requests(translator.device, command, None, "lamp-1") is None


@settings(max_examples=2000)
@given(
    st.floats(allow_nan=False, allow_infinity=False, min_value=-1e15, max_value=1e15)
    | st.integers(-(2**60), 2**60)
    | st.integers(-1000, 1000).map(lambda n: n + 0.5)
    | st.integers(-1000, 1000).map(lambda n: n + 0.5 - 1e-10)
    | st.integers(-1000, 1000).map(lambda n: n + 0.5 + 3e-10)
)
def test_half_even_rounding_far_from_a_tie_skips_the_snap_and_agrees(value: float) -> None:
    assert runtime.round_by(value, "half_even") == round(round(value, 9))
    assert type(runtime.round_by(value, "half_even")) is int


@given(st.text(max_size=20))
def test_device_ids_escaped_by_the_table_decode_back(text: str) -> None:
    try:
        encoded = runtime.encode_device_id(text)
    except ValueError:
        assert not text or any("\ud800" <= c <= "\udfff" for c in text) or len(text.encode()) * 3 > 256
        return
    assert encoded.strip(runtime.ID_CHARS + "@") == ""
    assert runtime.decode_device_id(encoded) == text


def test_a_lone_surrogate_is_refused_by_the_escape_table() -> None:
    with pytest.raises(ValueError, match="surrogate"):
        runtime.encode_device_id("lamp\ud800")
