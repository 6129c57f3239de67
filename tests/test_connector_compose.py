"""The connector composes a mapping per device from the vendor folder's profile: discovery, commands and events."""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Mapping
from typing import Any

import pytest

from matter_map.connector import ConnectorError, Credentials, Deadline, folder_profile, load_mappings, make_handler
from matter_map.payload_check import check_connector_event

from .conftest import ROOT
from .connector_support import RecordingSender, command_event, lambda_event, oauth

TUYA = ROOT / "mappings" / "tuya"
SAMPLES = TUYA / "compose" / "samples"
TOKEN = "tuya-token-1"


def sample(name: str) -> dict[str, Any]:
    return dict(json.loads((SAMPLES / name).read_text(encoding="utf-8")))


class TuyaCloud:
    """An in-memory Tuya cloud: devices by id; a command request sets the codes it names in the device's status."""

    def __init__(self, devices: list[dict[str, Any]]) -> None:
        self.devices = {d["id"]: copy.deepcopy(d) for d in devices}
        self.sent: list[dict[str, Any]] = []

    def user_id(self, credentials: Credentials, deadline: Deadline) -> str:
        return "tuya-user"

    def list_devices(self, credentials: Credentials, deadline: Deadline) -> list[Any]:
        return [copy.deepcopy(d) for d in self.devices.values()]

    def get_state(self, credentials: Credentials, device_id: str, deadline: Deadline) -> Any:
        return copy.deepcopy(self.devices[device_id])

    def send(self, credentials: Credentials, request: Mapping[str, Any], deadline: Deadline) -> Any:
        self.sent.append(copy.deepcopy(dict(request)))
        device_id = str(request["url"]).split("/devices/")[1].split("/")[0]
        device = self.devices[device_id]
        for item in request["body"]["commands"]:
            if item["code"] not in device["function"]:
                raise AssertionError(f"the device does not declare {item['code']}")
            device["status"][item["code"]] = item["value"]
        return {"success": True, "result": True}

    def revoke(self, credentials: Credentials, deadline: Deadline) -> None:
        return None


@pytest.fixture
def cloud() -> TuyaCloud:
    return TuyaCloud([sample("strip.json"), sample("light_old_dp.json"), sample("metering_plug.json")])


@pytest.fixture
def sender() -> RecordingSender:
    return RecordingSender()


@pytest.fixture
def connector(cloud: TuyaCloud, sender: RecordingSender) -> Any:
    profile = folder_profile(TUYA)
    assert profile is not None
    return make_handler(load_mappings(TUYA), cloud, event_sender=sender, connector_id="tuya-c", profile=profile)


def _endpoint_ids(report: Mapping[str, Any]) -> list[str]:
    return [e["id"] for e in report["endpoints"]]


def test_discovery_reports_each_device_with_the_endpoints_its_parts_give(
    connector: Any, sender: RecordingSender
) -> None:
    reply = connector(lambda_event("AWS.DiscoverDevices", oauth(TOKEN), deviceDiscoveryId="d1"))
    assert reply["header"]["responseCode"] == 200, reply
    (event,) = [r for r in sender.sent if r["Operation"] == "DEVICE_DISCOVERY"]
    assert check_connector_event(event) == []
    devices = {d["ConnectorDeviceId"]: d for d in event["Devices"]}
    names = ("strip.json", "light_old_dp.json", "metering_plug.json")
    assert set(devices) == {sample(n)["id"] for n in names}
    strip = devices["bf07a2b3c4d5e6f7a8b9c0"]["CapabilityReport"]
    outlets = [code for code in sample("strip.json")["function"] if re.fullmatch(r"switch_\d+", code)]
    on_off = [e for e in strip["endpoints"] if any(c["id"] == "0x0006" for c in e["clusters"])]
    assert len(on_off) == len(outlets) == 3  # one Matter endpoint per outlet the device declares


def test_on_for_the_second_outlet_writes_the_code_the_device_declares(
    connector: Any, cloud: TuyaCloud, sender: RecordingSender
) -> None:
    device = "bf07a2b3c4d5e6f7a8b9c0"
    before = copy.deepcopy(cloud.devices[device]["status"])
    assert before["switch_2"] is False
    event = command_event(oauth(TOKEN), device, "t-on-2", ("0x0006", "0x01", {}))
    event["payload"]["endpoints"][0]["id"] = "2"
    reply = connector(event)
    assert reply["header"]["responseCode"] == 200, reply
    ((request,),) = [[r] for r in cloud.sent]
    assert request["body"] == {"commands": [{"code": "switch_2", "value": True}]}
    assert cloud.devices[device]["status"] == {**before, "switch_2": True}  # no other outlet changed
    (response,) = [r for r in sender.sent if r["Operation"] == "DEVICE_COMMAND_RESPONSE"]
    assert check_connector_event(response) == []


def test_move_to_level_on_an_old_dp_light_uses_its_own_code_and_range(connector: Any, cloud: TuyaCloud) -> None:
    light = sample("light_old_dp.json")
    spec = light["function"]["bright_value"]["value"]  # Tuya's older DP set: 25..255
    event = command_event(oauth(TOKEN), light["id"], "t-level", ("0x0008", "0x00", {"0x0000": 254}))
    reply = connector(event)
    assert reply["header"]["responseCode"] == 200, reply
    (request,) = cloud.sent
    (item,) = [i for i in request["body"]["commands"] if i["code"].startswith("bright")]
    assert item["code"] == "bright_value"
    assert item["value"] == spec["max"]


def test_a_metering_plug_state_becomes_device_events_with_its_measurements(connector: Any) -> None:
    plug = sample("metering_plug.json")
    requests = connector.vendor_event(plug)
    assert {r["Operation"] for r in requests} == {"DEVICE_EVENT"}
    assert all(check_connector_event(r) == [] for r in requests)
    clusters = {c["id"] for r in requests for c in r["MatterEndpoint"]["clusters"]}
    assert {"0x0006", "0x0090", "0x0091"} <= clusters  # on/off, electrical power and energy measurement


def test_without_a_profile_an_uncovered_shape_is_refused_with_the_candidates(
    cloud: TuyaCloud, sender: RecordingSender
) -> None:
    connector = make_handler(load_mappings(TUYA), cloud, event_sender=sender, connector_id="tuya-c")
    with pytest.raises(ConnectorError, match="no mapping recognises this payload tried tuya") as caught:
        connector.vendor_event(sample("strip.json"))
    assert caught.value.status == 404
    assert sender.sent == []


def test_a_kind_composed_in_another_invocation_is_composed_again_from_the_payload(
    connector: Any, cloud: TuyaCloud, sender: RecordingSender
) -> None:
    fresh = make_handler(
        load_mappings(TUYA), cloud, event_sender=sender, connector_id="tuya-c", profile=folder_profile(TUYA)
    )
    kind = fresh.translator_for(sample("strip.json")).identity
    assert kind not in connector.by_identity
    requests = connector.vendor_event(sample("strip.json"), kind=kind)
    assert [r["MatterEndpoint"]["id"] for r in requests] == ["1", "2", "3"]
    without_profile = make_handler(load_mappings(TUYA), cloud, event_sender=sender, connector_id="tuya-c")
    with pytest.raises(ConnectorError, match="no mapping has that vendor kind"):
        without_profile.vendor_event(sample("strip.json"), kind=kind)
