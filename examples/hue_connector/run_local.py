"""Watch the Hue connector work on this machine: a Hue-like cloud and the AWS endpoint on loopback, real boto3.

    .venv/bin/python examples/hue_connector/run_local.py

Each step invokes the Lambda handler with an AWS.* event, then shows the requests the vendor cloud received
and the SendConnectorEvent requests the AWS stand-in received. Users and devices are kept in a DynamoDB table
on a loopback stand-in (moto's server mode, from the `test` extra): the light's wall switch reaches the
connector as a signed webhook, and after AWS.DeactivateUser the same webhook is dropped. Nothing leaves
127.0.0.1.
"""

from __future__ import annotations

import json
import logging
import sys
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
sys.path.insert(0, str(HERE))

from handler import LIGHT, MOTION, build  # noqa: E402 -- the example's own module, found through sys.path

from matter_map.connector import Connector, default_client, sign  # noqa: E402
from matter_map.connector.loopback import (  # noqa: E402
    DynamoDBOnLoopback,
    ManagedIntegrationsEndpoint,
    VendorCloudEmulator,
)

HUE_MAPPINGS = ROOT / "mappings" / "philips_hue"
SAMPLES = HUE_MAPPINGS / "samples"
LIGHT_SAMPLES = ("extended_color_light", "color_temperature_light", "dimmable_light", "on_off_light")
BRIDGE = "/clip/v2/resource/bridge"
BRIDGE_ID = "001788fffe6a4c21"
CONNECTOR_ID = "hue-local"
WEBHOOK_SECRET = "local-webhook-secret"  # noqa: S105 -- shared with the pretend vendor below
REVOKE = "/oauth2/revoke"


def sample(name: str) -> dict[str, Any]:
    return json.loads((SAMPLES / f"{name}.json").read_text(encoding="utf-8"))


def hue_cloud(
    token: str, *, lights: list[dict[str, Any]] | None = None, lifetime_s: float = 60.0
) -> VendorCloudEmulator:
    """A Hue-like cloud holding the shipped samples (four lights, a motion sensor) behind a bearer token."""
    lights = lights if lights is not None else [sample(n) for n in LIGHT_SAMPLES]
    return VendorCloudEmulator(
        {LIGHT: lights, MOTION: [sample("motion_event")]},
        token=token,
        documents={BRIDGE: {"errors": [], "data": [{"id": "b0", "type": "bridge", "bridge_id": BRIDGE_ID}]}},
        revoke_path=REVOKE,
        lifetime_s=lifetime_s,
    )


def aws_client(endpoint_url: str) -> Any:
    """The connector's own boto3 iot-managed-integrations client, aimed at the loopback stand-in (dummy keys)."""
    return default_client(
        region_name="us-east-1",
        endpoint_url=endpoint_url,
        aws_access_key_id="local",
        aws_secret_access_key="local",  # noqa: S106 -- a dummy for the loopback endpoint
    )


def lambda_event(operation: str, auth: dict[str, Any], **payload: Any) -> dict[str, Any]:
    """An AWS.* invocation as the service sends it."""
    return {
        "header": {"auth": auth},
        "payload": {"operationName": operation, "operationVersion": "1.0", "connectorId": CONNECTOR_ID, **payload},
    }


def send_command(
    auth: dict[str, Any], device: str, trace: str, command: tuple[str, str, dict[str, Any]]
) -> dict[str, Any]:
    """An AWS.SendCommand event for one command `(cluster id, command id, fields by id)` on endpoint 1."""
    cluster, command_id, fields = command
    endpoints = [{"id": "1", "clusters": [{"id": cluster, "commands": {command_id: fields}}]}]
    return lambda_event("AWS.SendCommand", auth, connectorDeviceId=device, traceId=trace, endpoints=endpoints)


def main() -> int:
    token = "local-demo-token"  # noqa: S105 -- the emulator's own bearer token
    auth = {"type": "OAuth2.0", "token": token}
    light = sample("extended_color_light")["id"]
    with hue_cloud(token) as cloud, ManagedIntegrationsEndpoint() as aws, DynamoDBOnLoopback() as dynamo:
        tables = dynamo.client()
        connector = build(
            cloud.url,
            HUE_MAPPINGS,
            events_client=aws_client(aws.url),
            connector_id=CONNECTOR_ID,
            client_options={"trust_env": False},
            table_name=dynamo.new_table(tables),
            dynamodb_client=tables,
            webhook_secret=WEBHOOK_SECRET,
            revoke_path=REVOKE,
        )
        with connector:
            steps_and_report(connector, cloud, aws, auth, light)
    return 0


def webhook(update: dict[str, Any]) -> dict[str, Any]:
    """The vendor's signed webhook request, as the Lambda Function URL hands it over."""
    body = json.dumps([{"type": "update", "data": [update]}]).encode()
    return {
        "version": "2.0",
        "headers": {"content-type": "application/json", "x-signature": sign(WEBHOOK_SECRET, body)},
        "requestContext": {"http": {"method": "POST", "path": "/"}},
        "body": body.decode(),
        "isBase64Encoded": False,
    }


def steps_and_report(
    connector: Connector, cloud: VendorCloudEmulator, aws: ManagedIntegrationsEndpoint, auth: dict[str, Any], light: str
) -> None:
    """Invoke the handler step by step; after each, show what the vendor and AWS received."""
    seen_vendor = seen_aws = 0
    steps = [
        ("AWS.ActivateUser", lambda_event("AWS.ActivateUser", auth)),
        ("AWS.DiscoverDevices", lambda_event("AWS.DiscoverDevices", auth, deviceDiscoveryId="demo1")),
        ("On", send_command(auth, light, "demo-on", ("0x0006", "0x01", {}))),
        ("MoveToLevel 200", send_command(auth, light, "demo-level", ("0x0008", "0x00", {"0x0000": 200}))),
        ("MoveToColorTemperature 250", send_command(auth, light, "demo-ct", ("0x0300", "0x0A", {"0x0000": 250}))),
        ("MoveToLevel 300 (refused)", send_command(auth, light, "demo-bad", ("0x0008", "0x00", {"0x0000": 300}))),
    ]
    for title, event in steps:
        started = time.perf_counter()
        answer = connector(event, None)
        elapsed = (time.perf_counter() - started) * 1000
        print(f"\n== {title}: {answer['header']['responseCode']} in {elapsed:.1f} ms  {json.dumps(answer['payload'])}")
        seen_vendor, seen_aws = show(cloud, aws, seen_vendor, seen_aws)
    print("\n== the light is switched off at the wall: the vendor's webhook reports it")
    cloud.change(LIGHT, light, {"on": {"on": False}})
    answer = connector(webhook({"id": light, "type": "light", "on": {"on": False}}), None)
    print(f"   webhook -> {answer['statusCode']} {answer['body']}")
    seen_vendor, seen_aws = show(cloud, aws, seen_vendor, seen_aws)
    print("\n== AWS.DeactivateUser: the grant is revoked, the user forgotten")
    answer = connector(lambda_event("AWS.DeactivateUser", auth), None)
    print(f"   {answer['header']['responseCode']} {json.dumps(answer['payload'])}")
    seen_vendor, seen_aws = show(cloud, aws, seen_vendor, seen_aws)
    print("\n== the same webhook again: the user is gone, nothing is reported")
    answer = connector(webhook({"id": light, "type": "light", "on": {"on": True}}), None)
    print(f"   webhook -> {answer['statusCode']} {answer['body']}")
    seen_vendor, seen_aws = show(cloud, aws, seen_vendor, seen_aws)


def show(
    cloud: VendorCloudEmulator, aws: ManagedIntegrationsEndpoint, seen_vendor: int, seen_aws: int
) -> tuple[int, int]:
    for request in cloud.received[seen_vendor:]:
        body = f" {request.body.decode()}" if request.body else ""
        print(f"   vendor  <- {request.method} {request.path}{body}")
    events = aws.connector_events
    for event in events[seen_aws:]:
        print(f"   AWS     <- SendConnectorEvent {summary(event)}")
    return len(cloud.received), len(events)


def summary(event: dict[str, Any]) -> str:
    operation = event["Operation"]
    if operation == "DEVICE_DISCOVERY":
        names = [d.get("ConnectorDeviceName", d["ConnectorDeviceId"]) for d in event["Devices"]]
        return f"{operation} id={event['DeviceDiscoveryId']} devices={names}"
    extra = f" trace={event['TraceId']} status={event.get('StatusCode')}" if "TraceId" in event else ""
    extra += f" user={event['UserId']}" if "UserId" in event else ""
    return f"{operation}{extra} {json.dumps(event['MatterEndpoint']['clusters'])}"


if __name__ == "__main__":
    logging.basicConfig(stream=sys.stdout, level=logging.INFO, format="   log     %(name)s: %(message)s")
    logging.getLogger("httpx").setLevel(logging.WARNING)
    raise SystemExit(main())
