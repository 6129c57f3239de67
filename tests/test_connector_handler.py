"""The connector's operations with an in-memory vendor and a recording sender: replies, events, error codes."""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest

from matter_map.connector import Connector, ConnectorError, Secret, VendorError, load_mappings, make_handler
from matter_map.payload_check import check_connector_event

from .conftest import HUE, SAMPLES, load_json
from .connector_support import DOORBELL, FakeVendor, RecordingSender, command_event, general, lambda_event, oauth

TOKEN = "test-token-1"
LIGHT = load_json(SAMPLES / "extended_color_light.json")
DIMMABLE = load_json(SAMPLES / "dimmable_light.json")
MOTION = load_json(SAMPLES / "motion_event.json")


@pytest.fixture(scope="module")
def hue_mappings() -> list[Any]:
    return load_mappings(HUE)


@pytest.fixture
def vendor() -> FakeVendor:
    return FakeVendor([LIGHT, DIMMABLE, MOTION], token=TOKEN)


@pytest.fixture
def sender() -> RecordingSender:
    return RecordingSender()


@pytest.fixture
def connector(hue_mappings: list[Any], vendor: FakeVendor, sender: RecordingSender) -> Connector:
    return make_handler(hue_mappings, vendor, event_sender=sender, connector_id="hue-connector")


def status(reply: dict[str, Any]) -> int:
    return int(reply["header"]["responseCode"])


def test_activate_user_replies_with_the_vendor_user(connector: Connector, sender: RecordingSender) -> None:
    reply = connector(lambda_event("AWS.ActivateUser", oauth(TOKEN)), None)
    assert reply == {
        "header": {"responseCode": 200},
        "payload": {"responseMessage": "user activated", "userId": "user-1"},
    }
    assert sender.sent == []


def test_user_ids_outside_the_alphabet_are_encoded_or_hashed(connector: Connector, vendor: FakeVendor) -> None:
    vendor.user = "bridge:01/a"
    reply = connector(lambda_event("AWS.ActivateUser", oauth(TOKEN)), None)
    assert reply["payload"]["userId"] == "bridge@3A01@2Fa"
    vendor.user = "u" * 80
    long_id = connector(lambda_event("AWS.ActivateUser", oauth(TOKEN)), None)["payload"]["userId"]
    assert long_id.startswith("sha256-")
    assert len(long_id) == 64
    assert connector(lambda_event("AWS.ActivateUser", oauth(TOKEN)), None)["payload"]["userId"] == long_id


def test_discovery_reports_every_recognised_device(connector: Connector, sender: RecordingSender) -> None:
    reply = connector(lambda_event("AWS.DiscoverDevices", oauth(TOKEN), deviceDiscoveryId="disc42"), None)
    assert status(reply) == 200
    [event] = sender.sent
    assert check_connector_event(event) == []
    assert (event["Operation"], event["DeviceDiscoveryId"], event["ConnectorId"]) == (
        "DEVICE_DISCOVERY",
        "disc42",
        "hue-connector",
    )
    assert [d["ConnectorDeviceId"] for d in event["Devices"]] == [LIGHT["id"], DIMMABLE["id"], MOTION["id"]]
    light_report = event["Devices"][0]["CapabilityReport"]["endpoints"][0]
    assert light_report["deviceTypes"] == ["Extended Color Light"]
    assert {"0x0006", "0x0008", "0x0300", "0x0003"} <= {c["id"] for c in light_report["clusters"]}


def test_discovery_skips_devices_no_mapping_recognises(
    connector: Connector, vendor: FakeVendor, sender: RecordingSender
) -> None:
    vendor.devices["plug"] = {"id": "plug", "type": "smart_plug"}
    reply = connector(lambda_event("AWS.DiscoverDevices", oauth(TOKEN), deviceDiscoveryId="d1"), None)
    assert reply["payload"]["responseMessage"] == "3 of 4 devices reported"
    assert len(sender.sent[0]["Devices"]) == 3


def test_discovery_failure_still_closes_the_discovery(
    connector: Connector, vendor: FakeVendor, sender: RecordingSender
) -> None:
    vendor.failure = VendorError(503, "vendor-unavailable", "down", vendor_status=502)
    reply = connector(lambda_event("AWS.DiscoverDevices", oauth(TOKEN), deviceDiscoveryId="d2"), None)
    assert status(reply) == 503
    [event] = sender.sent
    assert check_connector_event(event) == []
    assert (event["Devices"], event["StatusCode"], event["DeviceDiscoveryId"]) == ([], 503, "d2")


@pytest.mark.parametrize("discovery_id", [None, "", "has-dash", "x" * 201])
def test_discovery_needs_a_valid_discovery_id(connector: Connector, vendor: FakeVendor, discovery_id: Any) -> None:
    reply = connector(lambda_event("AWS.DiscoverDevices", oauth(TOKEN), deviceDiscoveryId=discovery_id), None)
    assert status(reply) == 400
    assert vendor.calls == []


def test_send_command_writes_rereads_and_reports(
    connector: Connector, vendor: FakeVendor, sender: RecordingSender
) -> None:
    trace = "Root=1-6543210a:abcdef_01"
    event = command_event(oauth(TOKEN), LIGHT["id"], trace, ("0x0008", "0x00", {"0x0000": 254}))
    reply = connector(event, None)
    assert status(reply) == 200
    assert vendor.names() == ["get_state", "send", "get_state"]
    assert vendor.calls[1][1]["body"] == {"dimming": {"brightness": 100.0}}
    [report] = sender.sent
    assert check_connector_event(report) == []
    assert report["TraceId"] == trace
    assert (report["Operation"], report["StatusCode"], report["ConnectorDeviceId"]) == (
        "DEVICE_COMMAND_RESPONSE",
        200,
        LIGHT["id"],
    )
    assert report["MatterEndpoint"] == {
        "id": "1",
        "clusters": [{"id": "0x0008", "attributes": {"0x0000": 254}, "commands": {"0x00": {}}}],
    }


def test_result_from_write_skips_the_second_read(
    hue_mappings: list[Any], vendor: FakeVendor, sender: RecordingSender
) -> None:
    connector = make_handler(hue_mappings, vendor, event_sender=sender, connector_id="c", result_from="write")
    connector(command_event(oauth(TOKEN), LIGHT["id"], "t1", ("0x0006", "0x00", {})), None)
    assert vendor.names() == ["get_state", "send"]
    assert sender.sent[0]["MatterEndpoint"]["clusters"][0]["attributes"] == {"0x0000": False}


def test_a_command_outside_the_constraints_is_400_without_a_vendor_call(
    connector: Connector, vendor: FakeVendor, sender: RecordingSender
) -> None:
    reply = connector(command_event(oauth(TOKEN), LIGHT["id"], "t-300", ("0x0008", "0x00", {"0x0000": 300})), None)
    assert status(reply) == 400
    assert "above the maximum 254" in reply["payload"]["responseMessage"]
    assert vendor.calls == []
    [report] = sender.sent
    assert check_connector_event(report) == []
    assert report["StatusCode"] == 400
    assert report["TraceId"] == "t-300"
    result = report["MatterEndpoint"]["clusters"][0]["commands"]["0x00"]
    assert result["responseCode"] == 400
    assert result["errors"]["code"] == "out-of-range"


@pytest.mark.parametrize(
    ("command", "code"),
    [
        (("0x0008", "0x00", {"0x0009": 1}), "bad-command"),  # no such field
        (("0x0101", "0x00", {}), "unsupported"),  # DoorLock is in no mapping
        (("0x0006", "0x7F", {}), "unsupported"),  # no such command
    ],
)
def test_commands_no_mapping_accepts_are_400(
    connector: Connector, vendor: FakeVendor, sender: RecordingSender, command: Any, code: str
) -> None:
    reply = connector(command_event(oauth(TOKEN), LIGHT["id"], "t", command), None)
    assert status(reply) == 400
    assert vendor.calls == []
    assert sender.sent[0]["MatterEndpoint"]["clusters"][0]["commands"][command[1]]["errors"]["code"] == code


def test_a_command_valid_elsewhere_but_not_for_this_device_is_400_after_reading_it(
    connector: Connector, vendor: FakeVendor
) -> None:
    # MoveToColorTemperature exists in the colour mappings, but the device is a dimmable light
    reply = connector(command_event(oauth(TOKEN), DIMMABLE["id"], "t", ("0x0300", "0x0A", {"0x0000": 300})), None)
    assert status(reply) == 400
    assert vendor.names() == ["get_state"]


@pytest.mark.parametrize(
    ("failure", "expected"),
    [
        (VendorError(401, "unauthorized", "x", vendor_status=403), 401),
        (VendorError(404, "not-found", "x", vendor_status=404), 404),
        (VendorError(429, "throttled", "x", vendor_status=429), 429),
        (VendorError(503, "vendor-timeout", "x"), 503),
    ],
)
def test_vendor_failures_are_reported_with_their_code(
    connector: Connector, vendor: FakeVendor, sender: RecordingSender, failure: VendorError, expected: int
) -> None:
    vendor.failure = failure
    reply = connector(command_event(oauth(TOKEN), LIGHT["id"], "t-f", ("0x0006", "0x01", {})), None)
    assert status(reply) == expected
    [report] = sender.sent
    assert check_connector_event(report) == []
    assert report["StatusCode"] == expected
    assert report["MatterEndpoint"]["clusters"][0]["commands"]["0x01"]["responseCode"] == expected


def test_an_unknown_device_is_404(connector: Connector, sender: RecordingSender) -> None:
    reply = connector(command_event(oauth(TOKEN), "no-such-light", "t", ("0x0006", "0x01", {})), None)
    assert status(reply) == 404
    assert sender.sent[0]["StatusCode"] == 404


def test_a_device_no_mapping_recognises_is_404(connector: Connector, vendor: FakeVendor) -> None:
    vendor.devices["plug"] = {"id": "plug", "type": "smart_plug"}
    assert status(connector(command_event(oauth(TOKEN), "plug", "t", ("0x0006", "0x01", {})), None)) == 404


def test_encoded_device_ids_are_decoded_for_the_vendor(hue_mappings: list[Any], sender: RecordingSender) -> None:
    light = copy.deepcopy(LIGHT) | {"id": "lamp:7/a b"}
    vendor = FakeVendor([light], token=TOKEN)
    connector = make_handler(hue_mappings, vendor, event_sender=sender, connector_id="c")
    discovery = connector(lambda_event("AWS.DiscoverDevices", oauth(TOKEN), deviceDiscoveryId="d"), None)
    assert status(discovery) == 200
    encoded = sender.sent[0]["Devices"][0]["ConnectorDeviceId"]
    assert encoded == "lamp@3A7@2Fa@20b"
    vendor.calls.clear()
    reply = connector(command_event(oauth(TOKEN), encoded, "t", ("0x0006", "0x01", {})), None)
    assert status(reply) == 200
    assert vendor.calls[0] == ("get_state", "lamp:7/a b")
    assert vendor.calls[1][1]["url"].endswith("/lamp%3A7%2Fa%20b")
    assert sender.sent[1]["ConnectorDeviceId"] == encoded


@pytest.mark.parametrize("trace", [None, "", "has space", "t" * 129, "slash/no"])
def test_send_command_needs_a_valid_trace_id(
    connector: Connector, vendor: FakeVendor, sender: RecordingSender, trace: Any
) -> None:
    event = command_event(oauth(TOKEN), LIGHT["id"], "x", ("0x0006", "0x01", {}))
    event["payload"]["traceId"] = trace
    assert status(connector(event, None)) == 400
    assert vendor.calls == []
    assert sender.sent == []


def test_deactivate_user_revokes(connector: Connector, vendor: FakeVendor) -> None:
    reply = connector(lambda_event("AWS.DeactivateUser", oauth(TOKEN)), None)
    assert status(reply) == 200
    assert vendor.revoked


@pytest.mark.parametrize(
    ("event", "expected"),
    [
        ({"payload": {"operationName": "AWS.Reboot"}}, 400),
        ({"payload": "nope"}, 400),
        ("not an object", 400),
        (lambda_event("AWS.ActivateUser", None), 401),
        (lambda_event("AWS.ActivateUser", {"type": "OAuth2.0"}), 401),
        (lambda_event("AWS.ActivateUser", {"type": "Basic", "token": "x"}), 401),
        (lambda_event("AWS.ActivateUser", {"type": "GeneralAuthorization", "secretsManager": {}}), 401),
        (lambda_event("AWS.ActivateUser", oauth("wrong-token")), 401),
    ],
)
def test_malformed_events_get_error_replies(connector: Connector, event: Any, expected: int) -> None:
    reply = connector(event, None)
    assert status(reply) == expected
    assert set(reply) == {"header", "payload"}


def test_general_authorization_resolves_the_secret(hue_mappings: list[Any], vendor: FakeVendor) -> None:
    asked: list[tuple[str, str | None]] = []

    def resolve(arn: str, version: str | None) -> Secret:
        asked.append((arn, version))
        return Secret(TOKEN)

    connector = make_handler(hue_mappings, vendor, event_sender=RecordingSender(), secret_resolver=resolve)
    arn = "arn:aws:secretsmanager:us-east-1:123456789012:secret:hue-abcdef"
    reply = connector(lambda_event("AWS.ActivateUser", general(arn, "v7")), None)
    assert status(reply) == 200
    assert asked == [(arn, "v7")]


def test_a_failing_secret_resolver_is_500_and_says_nothing_of_the_secret(
    hue_mappings: list[Any], vendor: FakeVendor
) -> None:
    def resolve(arn: str, version: str | None) -> Secret:
        raise RuntimeError("secret value leaked-in-message")

    connector = make_handler(hue_mappings, vendor, event_sender=RecordingSender(), secret_resolver=resolve)
    reply = connector(lambda_event("AWS.ActivateUser", general("arn:x")), None)
    assert status(reply) == 500
    assert "leaked" not in json.dumps(reply)
    assert vendor.calls == []


def test_internal_errors_are_500_without_their_text(hue_mappings: list[Any], sender: RecordingSender) -> None:
    class Broken(FakeVendor):
        def user_id(self, credentials: Any, deadline: Any) -> str:
            raise KeyError("internal detail " + credentials.token.reveal())

    connector = make_handler(hue_mappings, Broken([], token=TOKEN), event_sender=sender)
    reply = connector(lambda_event("AWS.ActivateUser", oauth(TOKEN)), None)
    assert reply == {"header": {"responseCode": 500}, "payload": {"responseMessage": "internal error"}}


def test_the_lambda_context_shortens_the_budget(connector: Connector, vendor: FakeVendor) -> None:
    seen: list[float] = []
    original = vendor.get_state

    def spy(credentials: Any, device_id: str, deadline: Any) -> Any:
        seen.append(deadline.remaining())
        return original(credentials, device_id, deadline)

    vendor.get_state = spy  # type: ignore[method-assign]

    class Context:
        def get_remaining_time_in_millis(self) -> int:
            return 900

    connector(command_event(oauth(TOKEN), LIGHT["id"], "t", ("0x0006", "0x01", {})), Context())
    # 0.9 s left, less the 0.1 s margin and the 0.4 s kept for SendConnectorEvent
    assert 0 < seen[0] <= 0.4


def test_an_undeliverable_report_makes_the_reply_an_error(connector: Connector, sender: RecordingSender) -> None:
    def refuse(request: Any) -> None:
        raise ConnectorError(503, "event-not-delivered", "refused")

    sender.send = refuse  # type: ignore[method-assign]
    reply = connector(lambda_event("AWS.DiscoverDevices", oauth(TOKEN), deviceDiscoveryId="d"), None)
    assert status(reply) == 503


# --- vendor events ------------------------------------------------------------------------------------


def test_a_vendor_state_becomes_device_events_with_or_without_user(
    connector: Connector, sender: RecordingSender
) -> None:
    with_user = connector.vendor_event(LIGHT, user_id="user-1")
    without = connector.vendor_event(LIGHT)
    assert with_user
    assert all(e["UserId"] == "user-1" for e in with_user)
    assert without
    assert all("UserId" not in e for e in without)
    assert sender.sent == with_user + without
    for event in sender.sent:
        assert event["Operation"] == "DEVICE_EVENT"
        assert check_connector_event(event) == []


def test_a_partial_update_names_its_kind(connector: Connector, sender: RecordingSender) -> None:
    update = {"id": LIGHT["id"], "type": "light", "on": {"on": False}}
    [event] = connector.vendor_event(update, kind="philips_hue/extended_color_light", partial=True)
    assert event["MatterEndpoint"]["clusters"] == [{"id": "0x0006", "attributes": {"0x0000": False}}]
    with pytest.raises(ConnectorError) as unknown:
        connector.vendor_event(update, kind="philips_hue/toaster")
    assert unknown.value.status == 400


def test_a_motion_event_carries_the_matter_event(connector: Connector) -> None:
    [event] = connector.vendor_event(MOTION)
    [occupancy] = [c for c in event["MatterEndpoint"]["clusters"] if c["id"] == "0x0406"]
    assert occupancy["events"] == {"0x00": {"0x0000": True}}


def test_a_ring_becomes_a_device_event_and_command_requests(vendor: FakeVendor, sender: RecordingSender) -> None:
    connector = make_handler(load_mappings(DOORBELL), vendor, event_sender=sender, connector_id="bell-connector")
    ring = load_json(DOORBELL / "samples" / "ring_event.json")
    events = connector.vendor_event(ring, user_id="user-9", trace_id="ring-1")
    assert [e["Operation"] for e in events] == ["DEVICE_EVENT", "DEVICE_COMMAND_REQUEST"]
    for event in events:
        assert check_connector_event(event) == []
        assert event["ConnectorDeviceId"] == "front-door@2Fcam@231"
        assert event["UserId"] == "user-9"
    request = events[1]
    assert request["TraceId"] == "ring-1"
    commands = {c["id"]: c["commands"] for c in request["MatterEndpoint"]["clusters"]}
    assert commands["0x0556"] == {"0x00": {}}
    assert commands["0x0554"]["0x00"]["0x0000"] == 17
    assert commands["0x0554"]["0x00"]["0x0001"] == ring["event"]["webrtc"]["sdp_offer"]
    # a generated trace id when none is given
    again = connector.vendor_event(ring)
    assert again[1]["TraceId"] != "ring-1"
    assert check_connector_event(again[1]) == []


def test_an_idle_doorbell_state_sends_no_command_request(sender: RecordingSender) -> None:
    connector = make_handler(
        load_mappings(DOORBELL), FakeVendor([], token=TOKEN), event_sender=sender, connector_id="c"
    )
    events = connector.vendor_event(load_json(DOORBELL / "samples" / "idle_state.json"))
    assert [e["Operation"] for e in events] == ["DEVICE_EVENT"]
    assert all("events" not in c for c in events[0]["MatterEndpoint"]["clusters"])


def test_a_vendor_event_needs_a_connector_id(hue_mappings: list[Any], vendor: FakeVendor) -> None:
    connector = make_handler(hue_mappings, vendor, event_sender=RecordingSender())
    with pytest.raises(ConnectorError) as missing:
        connector.vendor_event(LIGHT)
    assert missing.value.status == 400


def test_an_invalid_event_is_never_handed_to_the_sender(hue_mappings: list[Any], vendor: FakeVendor) -> None:
    handed: list[Any] = []

    class Unchecked:
        def send(self, request: Any) -> None:
            handed.append(request)

    connector = make_handler(hue_mappings, vendor, event_sender=Unchecked(), connector_id="c")
    with pytest.raises(ConnectorError) as refused:
        connector.vendor_event(LIGHT, user_id="not a valid user id!")
    assert (refused.value.status, refused.value.code) == (400, "bad-user-id")
    assert handed == []
    connector.vendor_event(LIGHT, user_id="valid-user")
    assert handed
