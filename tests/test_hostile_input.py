"""Hostile vendor states, commands and device ids: the interpreter and the generated module answer alike,
with a result or the project's own error (a code and a vendor path), never a Python exception of their own."""

from __future__ import annotations

import copy
import json
import math
import types
from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from matter_map.ids import MAX_CONNECTOR_DEVICE_ID, decode_device_id, encode_device_id
from matter_map.input_limits import MAX_DEPTH, MAX_NODES, MAX_TEXT, input_problem, segment_problem
from matter_map.translator import Translator

from .codegen_support import generated
from .conftest import HUE, MAPPINGS, SAMPLES, load_json

LIGHT = load_json(SAMPLES / "dimmable_light.json")
LOCK = load_json(MAPPINGS / "smartthings" / "samples" / "lock.json")


def _pair(file: Any) -> list[Any]:
    compiled, module = generated(file)
    return [Translator(compiled), module]


@pytest.fixture(scope="module", params=["interpreter", "generated"])
def light(request: pytest.FixtureRequest) -> Translator | types.ModuleType:
    translators = _pair(HUE / "dimmable_light.yaml")
    return translators[0 if request.param == "interpreter" else 1]  # type: ignore[no-any-return]


@pytest.fixture(scope="module", params=["interpreter", "generated"])
def lock(request: pytest.FixtureRequest) -> Translator | types.ModuleType:
    translators = _pair(MAPPINGS / "smartthings" / "lock.yaml")
    return translators[0 if request.param == "interpreter" else 1]  # type: ignore[no-any-return]


def nested(depth: int) -> Any:
    value: Any = 1
    for _ in range(depth):
        value = [value]
    return value


def problem_of(run: Callable[[], Any]) -> tuple[str, str, str]:
    """The one problem the call raised (the interpreter's or the generated module's TranslationError)."""
    with pytest.raises(Exception) as caught:  # noqa: PT011 - the generated module has its own TranslationError
        run()
    assert type(caught.value).__name__ == "TranslationError", repr(caught.value)
    problems = caught.value.problems  # type: ignore[attr-defined]
    assert len(problems) == 1, problems
    return problems[0].code, problems[0].message, problems[0].vendor_path


def with_brightness(value: Any) -> dict[str, Any]:
    state = copy.deepcopy(LIGHT)
    state["dimming"]["brightness"] = value
    return state


def on(device_id: str | None = None, connector_device_id: str | None = None) -> dict[str, Any]:
    body: dict[str, Any] = {"endpoints": [{"id": "1", "clusters": [{"id": "0x0006", "commands": {"0x01": {}}}]}]}
    if connector_device_id is not None:
        body["connectorDeviceId"] = connector_device_id
    return {"payload": body}


@pytest.mark.parametrize(
    ("value", "why"),
    [
        (nested(100_000), f"nested deeper than {MAX_DEPTH} levels"),
        (float("inf"), "non-finite number (inf)"),
        (float("-inf"), "non-finite number (-inf)"),
        (float("nan"), "non-finite number (nan)"),
        (10**400, "integer beyond 64 bits"),
        (-(2**64) - 1, "integer beyond 64 bits"),
        ("x" * (MAX_TEXT + 1), f"longer than {MAX_TEXT} characters"),
        (list(range(MAX_NODES + 1)), f"more than {MAX_NODES} values"),
        ({1: 2}, "key that is not a string"),
        ((1, 2), "not a JSON value (tuple)"),
    ],
    ids=["deep", "inf", "-inf", "nan", "10**400", "-2**64-1", "long-string", "many-values", "int-key", "tuple"],
)
def test_out_of_bounds_vendor_values_are_located_errors(light: Any, value: Any, why: str) -> None:
    state = with_brightness(value)
    for run in (
        lambda: light.to_matter(state),
        lambda: light.capability_report(state),
        lambda: light.command_requests(state, trace_id="t"),
        lambda: light.to_vendor(on(), state=state),
    ):
        code, message, where = problem_of(run)
        assert (code, where[:18]) == ("bad-input", "dimming.brightness"), (code, message, where)
        assert why in message
    assert light.recognises(state) is False


def test_the_largest_64_bit_numbers_pass_the_input_bounds_and_are_reported_implausible(light: Any) -> None:
    assert input_problem({"a": [2**64, -(2**64), 1.7e308]}) is None
    # what the input bounds let through meets the binding's declared vendor range: reported, never clamped
    code, message, where = problem_of(lambda: light.to_matter(with_brightness(2**64)))
    assert (code, where) == ("implausible-vendor-value", "dimming.brightness")
    assert "outside the declared vendor range [0, 100]" in message


def test_deep_command_fields_are_located_errors(light: Any) -> None:
    command = on()
    command["payload"]["endpoints"][0]["clusters"][0]["commands"]["0x01"] = {"0x0000": nested(5000)}
    code, _, where = problem_of(lambda: light.to_vendor(command, device_id="d1"))
    assert code == "bad-input"
    assert where.startswith("payload.endpoints[0].clusters[0].commands.0x01.0x0000[0][0]")


@pytest.mark.parametrize(
    ("device_id", "why"),
    [
        (5, "must be text, not int"),
        (["a"], "must be text, not list"),
        ("", "must not be empty"),
        ("\ud800", "lone surrogate"),
        ("x" * 2000, "longer than 1024"),
    ],
)
def test_device_ids_are_validated_as_text(light: Any, device_id: Any, why: str) -> None:
    for run in (
        lambda: light.to_matter(LIGHT, device_id=device_id),
        lambda: light.capability_report(LIGHT, device_id=device_id),
        lambda: light.to_vendor(on(), device_id=device_id),
    ):
        code, message, _ = problem_of(run)
        assert code == "bad-device-id"
        assert why in message


@pytest.mark.parametrize("read_id", [["a"], {"a": 1}, True])
def test_a_device_id_read_from_the_state_must_be_a_scalar(light: Any, read_id: Any) -> None:
    assert problem_of(lambda: light.to_matter({**LIGHT, "id": read_id}))[0] == "missing-device-id"


@pytest.mark.parametrize(
    "connector_device_id",
    ["@FF", "@ED@A0@80", "@C0@AF", "abc@80"],
    ids=["0xFF", "surrogate-bytes", "overlong", "continuation"],
)
def test_connector_device_ids_that_are_not_utf8_are_refused(light: Any, connector_device_id: str) -> None:
    code, message, where = problem_of(lambda: light.to_vendor(on(connector_device_id=connector_device_id)))
    assert (code, where) == ("bad-device-id", "payload.connectorDeviceId")
    assert "UTF-8" in message


ESCAPES = [
    ".",
    "..",
    "．．",  # fullwidth full stops
    "‥",  # two dot leader: NFKC makes it `..`
    "%2E%2E",
    "%2e.",
    "%252E%252E",
    "a/../..",
    "../x",
    "a%2F..%2Fb",
    "..\\x",
    "x／．．",
    "a//b",
    "/",
]


@pytest.mark.parametrize("vendor_id", ESCAPES)
def test_ids_that_normalise_to_dot_segments_never_reach_a_url(light: Any, vendor_id: str) -> None:
    assert segment_problem(vendor_id) is not None
    code, message, _ = problem_of(lambda: light.to_vendor(on(), device_id=vendor_id))
    assert code == "bad-device-id"
    assert "{device_id} in the URL" in message


@pytest.mark.parametrize(("encoded", "decoded"), [("@2E@2E", ".."), ("@2E", "."), ("a@2F@2E@2E", "a/..")])
def test_dot_segments_decoded_from_a_connector_device_id_are_refused(light: Any, encoded: str, decoded: str) -> None:
    code, message, _ = problem_of(lambda: light.to_vendor(on(connector_device_id=encoded)))
    assert code == "bad-device-id"
    assert repr(decoded) in message


@pytest.mark.parametrize("vendor_id", ["lamp:7/a b", "a.b", "...", "..a", "é", "a%2Fb"])
def test_ids_with_dots_or_slashes_inside_a_segment_are_sent_encoded(light: Any, vendor_id: str) -> None:
    (request,) = light.to_vendor(on(), device_id=vendor_id)
    assert request["url"].startswith("/clip/v2/resource/light/")
    assert "/" not in request["url"][len("/clip/v2/resource/light/") :]


@pytest.mark.parametrize(
    ("pin", "why"),
    [
        ([1, 2, 3, 4], "expected a string, got a list"),
        (-1, "expected a string, got an integer"),
        (2**64, "expected a string, got an integer"),
        ({"a": 1}, "expected a string, got an object"),
    ],
)
def test_command_fields_the_mapping_does_not_use_are_type_checked(lock: Any, pin: Any, why: str) -> None:
    command = {
        "Endpoints": [
            {
                "endpointId": "1",
                "capabilities": [
                    {
                        "id": "matter.DoorLock@1.4",
                        "name": "Door Lock",
                        "version": "1",
                        "actions": [{"name": "LockDoor", "parameters": {"PinCode": pin}}],
                    }
                ],
            }
        ]
    }
    code, message, _ = problem_of(lambda: lock.to_vendor(command, state=LOCK))
    assert code == "out-of-range"
    assert f"LockDoor.PinCode = {pin!r}"[:40] in message
    assert why in message
    command["Endpoints"][0]["capabilities"][0]["actions"][0]["parameters"] = {"PinCode": "1234"}
    (request,) = lock.to_vendor(command, state=LOCK)
    assert request["method"] == "POST"


ANY_TEXT = st.characters(exclude_categories=())  # lone surrogates included
JSON_LIKE = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-(2**70), 2**70)
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text(ANY_TEXT, max_size=5),
    lambda children: (
        st.lists(children, max_size=3) | st.dictionaries(st.text(ANY_TEXT, max_size=3), children, max_size=3)
    ),
    max_leaves=30,
)


def _depth(value: Any) -> int:
    if isinstance(value, dict):
        return 1 + max((_depth(v) for v in value.values()), default=0)
    if isinstance(value, list):
        return 1 + max((_depth(v) for v in value), default=0)
    return 0


@given(JSON_LIKE, st.integers(0, 80))
def test_input_bounds_accept_exactly_the_bounded_json(value: Any, wrap: int) -> None:
    for _ in range(wrap):
        value = [value]
    problem = input_problem(value)
    numbers = _numbers(value)
    bounded = (
        _depth(value) <= MAX_DEPTH
        and all(math.isfinite(n) for n in numbers if isinstance(n, float))
        and all(abs(n) <= 2**64 for n in numbers if isinstance(n, int))
        and all(_is_text(s) for s in _strings(value))
    )
    assert (problem is None) == bounded, (problem, value)
    if problem is None:
        json.dumps(value, allow_nan=False).encode("utf-8")  # what is accepted can be sent on


def _numbers(value: Any) -> list[Any]:
    if isinstance(value, dict):
        return [n for v in value.values() for n in _numbers(v)]
    if isinstance(value, list):
        return [n for v in value for n in _numbers(v)]
    return [value] if isinstance(value, int | float) and not isinstance(value, bool) else []


def _strings(value: Any) -> list[str]:
    if isinstance(value, dict):
        return [*value.keys(), *(s for v in value.values() for s in _strings(v))]
    if isinstance(value, list):
        return [s for v in value for s in _strings(v)]
    return [value] if isinstance(value, str) else []


def _is_text(text: str) -> bool:
    return not any("\ud800" <= c <= "\udfff" for c in text)


@given(st.text(ANY_TEXT) | st.lists(st.sampled_from(["@FF", "@2E", "@C3@A9", "@ED@A0@80", "a", "@"])).map("".join))
def test_any_connector_device_id_decodes_to_text_or_a_value_error(text: str) -> None:
    try:
        decoded = decode_device_id(text)
    except ValueError:
        return
    assert _is_text(decoded)


@given(st.text(ANY_TEXT, min_size=1))
def test_encoding_round_trips_every_valid_id(text: str) -> None:
    if not _is_text(text):
        with pytest.raises(ValueError, match="lone surrogate"):
            encode_device_id(text)
        return
    if len(text.encode("utf-8")) * 3 > MAX_CONNECTOR_DEVICE_ID:  # may need more than 256 characters once escaped
        return
    assert decode_device_id(encode_device_id(text)) == text
