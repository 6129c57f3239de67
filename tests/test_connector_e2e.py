"""End to end with real parts: the Hue example's handler, a Hue-like cloud and the AWS endpoint on loopback,
and a real boto3 client serialising every SendConnectorEvent onto the wire."""

from __future__ import annotations

import copy
import json
from collections.abc import Iterator
from typing import Any

import pytest

from matter_map.connector import Connector
from matter_map.connector.loopback import ManagedIntegrationsEndpoint, VendorCloudEmulator
from matter_map.payload_check import check_connector_event

from .conftest import HUE, SAMPLES, load_json
from .connector_support import command_event, lambda_event, oauth, run_local

TOKEN = "e2e-token-5b1c"
CONNECTOR_ID = "hue-connector"
LIGHT_ID = load_json(SAMPLES / "extended_color_light.json")["id"]


class World:
    def __init__(self, cloud: VendorCloudEmulator, aws: ManagedIntegrationsEndpoint, connector: Connector) -> None:
        self.cloud, self.aws, self.connector = cloud, aws, connector

    def light(self) -> dict[str, Any]:
        return self.cloud.resource("/clip/v2/resource/light", LIGHT_ID)

    def new_events(self, since: int) -> list[dict[str, Any]]:
        return self.aws.connector_events[since:]


@pytest.fixture
def world() -> Iterator[World]:
    example = run_local()
    lights = [example.sample(name) for name in example.LIGHT_SAMPLES]
    lights[0]["on"] = {"on": False}  # the living room lamp starts off
    with (
        example.hue_cloud(TOKEN, lights=lights, lifetime_s=30) as cloud,
        ManagedIntegrationsEndpoint(lifetime_s=30) as aws,
    ):
        connector = example.build(
            cloud.url,
            HUE,
            events_client=example.aws_client(aws.url),
            connector_id=CONNECTOR_ID,
            client_options={"trust_env": False, "timeout_s": 0.3},
        )
        with connector:
            yield World(cloud, aws, connector)


def test_activate_discover_command_and_report(world: World) -> None:
    auth = oauth(TOKEN)

    # ActivateUser: the bridge id is the user id
    reply = world.connector(lambda_event("AWS.ActivateUser", auth), None)
    assert reply["header"]["responseCode"] == 200
    assert reply["payload"]["userId"] == run_local().BRIDGE_ID

    # DiscoverDevices: one DEVICE_DISCOVERY with the echoed id and every sample device
    reply = world.connector(lambda_event("AWS.DiscoverDevices", auth, deviceDiscoveryId="e2eDiscovery1"), None)
    assert reply["header"]["responseCode"] == 200
    [discovery] = world.new_events(0)
    assert discovery["ConnectorId"] == CONNECTOR_ID
    assert (discovery["Operation"], discovery["DeviceDiscoveryId"]) == ("DEVICE_DISCOVERY", "e2eDiscovery1")
    expected_ids = [load_json(SAMPLES / f"{n}.json")["id"] for n in run_local().LIGHT_SAMPLES]
    expected_ids.append(load_json(SAMPLES / "motion_event.json")["id"])
    assert [d["ConnectorDeviceId"] for d in discovery["Devices"]] == expected_ids
    names = {d["ConnectorDeviceId"]: d.get("ConnectorDeviceName") for d in discovery["Devices"]}
    assert names[LIGHT_ID] == "Living room lamp"

    # SendCommand On, MoveToLevel, MoveToColorTemperature: the vendor state changes, each result is reported
    steps = [
        ("0x0006", "0x01", {}, "Root=1-e2e:on", {"0x0000": True}),
        ("0x0008", "0x00", {"0x0000": 127, "0x0001": 0}, "Root=1-e2e:level", {"0x0000": 127}),
        ("0x0300", "0x0A", {"0x0000": 250}, "Root=1-e2e:ct", {"0x0007": 250}),
    ]
    for cluster, command, fields, trace, expected in steps:
        before = len(world.aws.connector_events)
        reply = world.connector(command_event(auth, LIGHT_ID, trace, (cluster, command, fields)), None)
        assert reply["header"]["responseCode"] == 200, reply
        [report] = world.new_events(before)
        assert report["Operation"] == "DEVICE_COMMAND_RESPONSE"
        assert report["TraceId"] == trace  # echoed exactly
        assert (report["StatusCode"], report["ConnectorDeviceId"]) == (200, LIGHT_ID)
        [entry] = report["MatterEndpoint"]["clusters"]
        assert entry["id"] == cluster
        assert entry["commands"] == {command: {}}
        assert expected.items() <= entry["attributes"].items()
    light = world.light()
    assert light["on"] == {"on": True}
    assert light["dimming"]["brightness"] == pytest.approx(127 * 100 / 254)
    assert light["color_temperature"]["mirek"] == 250
    puts = [r.json() for r in world.cloud.received if r.method == "PUT"]
    assert puts == [
        {"on": {"on": True}},
        {"dimming": {"brightness": pytest.approx(50.0)}},
        {"color_temperature": {"mirek": 250}},
    ]

    # a vendor event: switched off at the wall, dimmed; reported for the user as DEVICE_EVENTs
    before = len(world.aws.connector_events)
    changed = world.cloud.change(
        "/clip/v2/resource/light", LIGHT_ID, {"on": {"on": False}, "dimming": {"brightness": 10.0}}
    )
    sent = world.connector.vendor_event(changed, user_id=reply_user(world))
    received = world.new_events(before)
    assert received == json.loads(json.dumps(sent))
    assert all(e["Operation"] == "DEVICE_EVENT" and e["UserId"] == run_local().BRIDGE_ID for e in received)
    attributes = {c["id"]: c.get("attributes", {}) for e in received for c in e["MatterEndpoint"]["clusters"]}
    assert attributes["0x0006"]["0x0000"] is False
    assert attributes["0x0008"]["0x0000"] == 25  # 10 % of 254, rounded

    # a motion event without a user: the OccupancyChanged event travels with the attributes
    before = len(world.aws.connector_events)
    world.connector.vendor_event(load_json(SAMPLES / "motion_event.json"))
    [motion] = world.new_events(before)
    assert "UserId" not in motion
    [occupancy] = [c for c in motion["MatterEndpoint"]["clusters"] if c["id"] == "0x0406"]
    assert occupancy["events"] == {"0x00": {"0x0000": True}}

    # every request AWS received is a valid SendConnectorEvent, signed and serialised by boto3
    for event in world.aws.connector_events:
        assert check_connector_event(event) == [], event["Operation"]
    for request in world.aws.received:
        assert request.method == "POST"
        assert request.path == f"/connector-event/{CONNECTOR_ID}"
        assert (request.header("Authorization") or "").startswith("AWS4-HMAC-SHA256 ")
        assert request.header("Content-Type") == "application/json"
    # the vendor saw only the user's bearer token
    assert {r.header("Authorization") for r in world.cloud.received} == {f"Bearer {TOKEN}"}


def reply_user(world: World) -> str:
    reply = world.connector(lambda_event("AWS.ActivateUser", oauth(TOKEN)), None)
    return str(reply["payload"]["userId"])


@pytest.mark.parametrize(
    ("vendor_status", "headers", "faults", "expected", "requests"),
    [
        (401, {}, 1, 401, 1),
        (403, {}, 1, 401, 1),
        (404, {}, 1, 404, 2),  # not a light; not a motion sensor either (the emulator's own 404)
        (429, {"Retry-After": "0"}, 3, 429, 3),
        (500, {}, 3, 503, 3),
        (503, {}, 3, 503, 3),
    ],
)
def test_vendor_failures_reach_aws_with_their_code(
    world: World, vendor_status: int, headers: dict[str, str], faults: int, expected: int, requests: int
) -> None:
    world.cloud.fail_next(vendor_status, count=faults, headers=headers)
    reply = world.connector(command_event(oauth(TOKEN), LIGHT_ID, "trace-fail", ("0x0006", "0x01", {})), None)
    assert reply["header"]["responseCode"] == expected
    [report] = world.aws.connector_events
    assert check_connector_event(report) == []
    assert (report["StatusCode"], report["TraceId"]) == (expected, "trace-fail")
    assert len(world.cloud.received) == requests  # the retries were bounded
    assert world.light()["on"] == {"on": False}  # nothing was written


def test_a_vendor_timeout_is_503_within_the_budget(world: World) -> None:
    world.cloud.fail_next(200, count=5, delay_s=0.6)
    reply = world.connector(command_event(oauth(TOKEN), LIGHT_ID, "trace-slow", ("0x0006", "0x01", {})), None)
    assert reply["header"]["responseCode"] == 503
    assert world.aws.connector_events[0]["StatusCode"] == 503


def test_a_constraint_violation_is_400_and_the_vendor_hears_nothing(world: World) -> None:
    reply = world.connector(
        command_event(oauth(TOKEN), LIGHT_ID, "trace-bad", ("0x0008", "0x00", {"0x0000": 255})), None
    )
    assert reply["header"]["responseCode"] == 400
    assert world.cloud.received == []
    [report] = world.aws.connector_events
    assert report["StatusCode"] == 400
    assert check_connector_event(report) == []


def test_aws_refusing_the_event_makes_the_reply_503(world: World) -> None:
    world.aws.fail_next(500, count=2, headers={"x-amzn-ErrorType": "InternalServerException"})
    reply = world.connector(lambda_event("AWS.DiscoverDevices", oauth(TOKEN), deviceDiscoveryId="d9"), None)
    assert reply["header"]["responseCode"] == 503
    assert len(world.aws.received) == 2  # the client's two attempts, no more


def test_the_state_is_reread_from_the_vendor(world: World) -> None:
    # the vendor clamps what it is sent (a real Hue light keeps mirek within its schema): the report says so
    original = world.cloud.respond

    def clamping(request: Any) -> Any:
        answer = original(request)
        if request.method == "PUT":
            world.cloud.change("/clip/v2/resource/light", LIGHT_ID, {"color_temperature": {"mirek": 500}})
        return answer

    world.cloud.respond = clamping  # type: ignore[method-assign]
    world.connector(command_event(oauth(TOKEN), LIGHT_ID, "trace-ct", ("0x0300", "0x0A", {"0x0000": 600})), None)
    [report] = world.aws.connector_events
    assert report["MatterEndpoint"]["clusters"][0]["attributes"]["0x0007"] == 500


def test_the_local_demo_runs(capsys: pytest.CaptureFixture[str]) -> None:
    assert run_local().main() == 0
    out = capsys.readouterr().out
    assert out.count("AWS     <- SendConnectorEvent DEVICE_COMMAND_RESPONSE") == 4
    assert 'PUT /clip/v2/resource/light/3f9c2a1e-5b7d-4c8e-9a01-2b3c4d5e6f70 {"dimming":{"brightness":78.74' in out
    assert "== MoveToLevel 300 (refused): 400" in out
    assert out.count("SendConnectorEvent DEVICE_EVENT") == 1  # the webhook after DeactivateUser is dropped
    assert 'webhook -> 200 {"reported": 1, "dropped": 0, "failed": 0}' in out
    assert 'webhook -> 200 {"reported": 0, "dropped": 1, "failed": 0}' in out
    assert "vendor  <- POST /oauth2/revoke" in out


def test_samples_are_not_modified() -> None:
    # the emulator works on copies: the shipped sample files stay as they are
    light = load_json(SAMPLES / "extended_color_light.json")
    assert light == copy.deepcopy(light)
    assert light["on"] == {"on": True}
