"""Commands the device sends (DEVICE_COMMAND_REQUEST): the `command_requests` language extension, end to end."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from matter_map.diagnostics import MappingError
from matter_map.errors import TranslationError
from matter_map.loader import compile_text, load_mapping
from matter_map.payload_check import check_connector_event, ensure_valid_connector_event
from matter_map.translator import Translator

from .conftest import load_json
from .connector_support import DOORBELL

MAPPING = DOORBELL / "video_doorbell.yaml"
RING = load_json(DOORBELL / "samples" / "ring_event.json")
IDLE = load_json(DOORBELL / "samples" / "idle_state.json")


@pytest.fixture(scope="module")
def doorbell() -> Translator:
    return Translator(load_mapping(MAPPING).compiled, check=ensure_valid_connector_event)


def commands_by_cluster(requests: list[dict[str, Any]]) -> dict[str, Any]:
    return {c["id"]: c["commands"] for r in requests for c in r["MatterEndpoint"]["clusters"]}


def test_the_example_compiles_without_warnings() -> None:
    result = load_mapping(MAPPING)
    assert result.warnings == ()
    clusters = {c.name: c for c in result.compiled.endpoints[0].clusters}
    offer = clusters["WebRtcTransportRequestor"].command_requests[0]
    assert (offer.name, offer.hex_id, [f.name for f in offer.fields]) == ("Offer", "0x00", ["WebRtcSessionId", "Sdp"])
    assert clusters["WebRtcTransportRequestor"].client_only
    assert not clusters["Switch"].client_only


def test_a_ring_sends_the_chime_and_the_offer(doorbell: Translator) -> None:
    requests = doorbell.command_requests(RING, trace_id="abc:1=2", connector_id="bell", user_id="u-1")
    [request] = requests
    assert check_connector_event(request) == []
    assert request["Operation"] == "DEVICE_COMMAND_REQUEST"
    assert (request["TraceId"], request["UserId"], request["ConnectorId"]) == ("abc:1=2", "u-1", "bell")
    assert request["ConnectorDeviceId"] == "front-door@2Fcam@231"
    assert commands_by_cluster(requests) == {
        "0x0556": {"0x00": {}},
        "0x0554": {"0x00": {"0x0000": 17, "0x0001": RING["event"]["webrtc"]["sdp_offer"]}},
    }


def test_no_ring_no_request(doorbell: Translator) -> None:
    assert doorbell.command_requests(IDLE, trace_id="t") == []


def test_a_ring_without_an_offer_only_rings_the_chime(doorbell: Translator) -> None:
    ring = copy.deepcopy(RING)
    del ring["event"]["webrtc"]
    assert commands_by_cluster(doorbell.command_requests(ring, trace_id="t")) == {"0x0556": {"0x00": {}}}


@given(st.integers(min_value=0, max_value=65535))
def test_every_session_id_in_range_is_sent(session: int) -> None:
    translator = Translator(load_mapping(MAPPING).compiled)
    ring = copy.deepcopy(RING)
    ring["event"]["webrtc"]["session_id"] = session
    assert commands_by_cluster(translator.command_requests(ring, trace_id="t"))["0x0554"]["0x00"]["0x0000"] == session


@pytest.mark.parametrize("session", [-1, 65536, "17", None, 1.5])
def test_field_values_outside_the_type_are_refused(doorbell: Translator, session: Any) -> None:
    ring = copy.deepcopy(RING)
    ring["event"]["webrtc"]["session_id"] = session
    with pytest.raises(TranslationError) as refused:
        doorbell.command_requests(ring, trace_id="t")
    assert refused.value.problems[0].code == "out-of-range"
    assert refused.value.problems[0].rule == "WebRtcTransportRequestor.Offer"


def test_a_missing_field_value_is_refused(doorbell: Translator) -> None:
    ring = copy.deepcopy(RING)
    del ring["event"]["webrtc"]["session_id"]
    with pytest.raises(TranslationError) as refused:
        doorbell.command_requests(ring, trace_id="t")
    assert refused.value.problems[0].code == "missing-vendor-value"


def test_client_clusters_are_reported_as_such(doorbell: Translator) -> None:
    device = doorbell.capability_report(RING)
    [endpoint] = device["CapabilityReport"]["endpoints"]
    assert endpoint["clientClusters"] == ["0x0556", "0x0554"]
    assert [c["id"] for c in endpoint["clusters"]] == ["0x0003", "0x003B"]
    event = doorbell.discovery_event([RING], discovery_id="d1")
    assert check_connector_event(event) == []


def test_mappings_without_command_requests_report_no_client_clusters() -> None:
    from .conftest import SAMPLES, translator

    device = translator("extended_color_light").capability_report(load_json(SAMPLES / "extended_color_light.json"))
    assert all("clientClusters" not in e for e in device["CapabilityReport"]["endpoints"])


def test_to_matter_is_unchanged_by_command_requests(doorbell: Translator) -> None:
    [event] = doorbell.to_matter(RING)
    clusters = {c["id"]: c for c in event["MatterEndpoint"]["clusters"]}
    assert set(clusters) == {"0x0003", "0x003B"}
    assert clusters["0x003B"]["events"] == {"0x01": {"0x0000": 1}}


def compile_variant(old: str, new: str) -> Any:
    text = MAPPING.read_text(encoding="utf-8")
    assert old in text
    return compile_text(text.replace(old, new), str(Path("variant.yaml")))


@pytest.mark.parametrize(
    ("old", "new", "code"),
    [
        ("- command: Offer", "- command: Ofer", "unknown-command"),
        ("WebRtcTransportRequestor:", "WebRtcTransportProvider:", "unknown-command"),  # Offer is not its command
        ("Sdp: {path: event.webrtc.sdp_offer}", "Spd: {path: event.webrtc.sdp_offer}", "unknown-field"),
        ("Sdp: {path: event.webrtc.sdp_offer}", "IceServers: {const: []}", "missing-field"),
        ("WebRtcSessionId: {path: event.webrtc.session_id}", "WebRtcSessionId: {const: 70000}", "const-out-of-range"),
        ("WebRtcSessionId: {path: event.webrtc.session_id}", "WebRtcSessionId: {path: 'a[['}", "bad-path"),
    ],
)
def test_mistakes_are_diagnosed(old: str, new: str, code: str) -> None:
    with pytest.raises(MappingError) as failed:
        compile_variant(old, new)
    assert code in [d.code for d in failed.value.diagnostics]


def test_a_constant_field_is_sent_as_is() -> None:
    compiled = compile_variant(
        "WebRtcSessionId: {path: event.webrtc.session_id}", "WebRtcSessionId: {const: 4}"
    ).compiled
    requests = Translator(compiled).command_requests(RING, trace_id="t")
    assert commands_by_cluster(requests)["0x0554"]["0x00"]["0x0000"] == 4


def test_a_misspelt_key_is_refused() -> None:
    with pytest.raises(MappingError) as failed:
        compile_variant(
            "command_requests:\n          - command: PlayChimeSound",
            "command_request:\n          - command: PlayChimeSound",
        )
    assert "unknown-key" in [d.code for d in failed.value.diagnostics]
