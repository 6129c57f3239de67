"""Through the connector, every composed shape of the Tuya profile's samples: discovered with valid payloads, and a
command on a gang of a dimmer switch written with the gang's own code."""

from __future__ import annotations

import json
from typing import Any

from matter_map.connector import folder_profile, load_mappings, make_handler
from matter_map.payload_check import check_connector_event

from .connector_support import RecordingSender, command_event, lambda_event, oauth
from .test_connector_compose import SAMPLES, TOKEN, TUYA, TuyaCloud


def samples() -> list[dict[str, Any]]:
    return [json.loads(p.read_text(encoding="utf-8")) for p in sorted(SAMPLES.glob("*.json"))]


def connector(cloud: TuyaCloud, sender: RecordingSender) -> Any:
    profile = folder_profile(TUYA)
    assert profile is not None
    return make_handler(load_mappings(TUYA), cloud, event_sender=sender, connector_id="tuya-c", profile=profile)


def test_every_sample_is_discovered_with_valid_payloads() -> None:
    devices, sender = samples(), RecordingSender()
    handler = connector(TuyaCloud(devices), sender)
    reply = handler(lambda_event("AWS.DiscoverDevices", oauth(TOKEN), deviceDiscoveryId="d2"))
    assert reply["header"]["responseCode"] == 200, reply
    discovered = [r for r in sender.sent if r["Operation"] == "DEVICE_DISCOVERY"]
    assert all(check_connector_event(event) == [] for event in discovered)
    found = {d["ConnectorDeviceId"] for event in discovered for d in event["Devices"]}
    assert found == {d["id"] for d in devices}


def test_on_for_the_second_gang_of_a_dimmer_switch_writes_its_own_code() -> None:
    dimmer = next(d for d in samples() if d["category"] == "tgkg")
    cloud, sender = TuyaCloud([dimmer]), RecordingSender()
    event = command_event(oauth(TOKEN), dimmer["id"], "t-on-gang-2", ("0x0006", "0x01", {}))
    event["payload"]["endpoints"][0]["id"] = "2"
    reply = connector(cloud, sender)(event)
    assert reply["header"]["responseCode"] == 200, reply
    (request,) = cloud.sent
    assert request["body"] == {"commands": [{"code": "switch_led_2", "value": True}]}
    assert cloud.devices[dimmer["id"]]["status"]["switch_led_1"] == dimmer["status"]["switch_led_1"]
