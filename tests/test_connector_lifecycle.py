"""The whole life of a user on loopback, with real parts: set-up calls through boto3, ActivateUser and
DiscoverDevices invoked by the AWS stand-in, a signed webhook and a scheduled poll turned into DEVICE_EVENTs,
SendCommand and its retry (the vendor acts once), DeactivateUser, and an event for that user dropped.

State lives in a DynamoDB-compatible endpoint (moto's server mode) reached with the real boto3 client;
every SendConnectorEvent the AWS stand-in received is checked against the service model.
"""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest

from matter_map.connector import Connector, DynamoDBStore, SecretsManagerResolver, sign
from matter_map.connector.loopback import DynamoDBOnLoopback, ManagedIntegrationsEndpoint, VendorCloudEmulator
from matter_map.connector.setup import Setup, parse_config
from matter_map.payload_check import check_connector_event

from .conftest import HUE
from .connector_support import SCHEDULE_EVENT, LambdaContext, command_event, function_url_event, run_local

TOKEN = "life-token-7c2e"
APP_KEY = "life-application-key"
WEBHOOK_SECRET = "life-webhook-secret"
SECRET_ARN = "arn:aws:secretsmanager:us-east-1:123456789012:secret:hue-user-1"
REVOKE = "/oauth2/revoke"
SECRET_VERSION = "b2c3d4e5-6789-0abc-def0-000000000002"
AUTH = {"type": "GeneralAuthorization", "secretsManager": {"arn": SECRET_ARN, "versionId": SECRET_VERSION}}
LIGHTS = "/clip/v2/resource/light"
CONFIG = {
    "connector": {"name": "hue-connector", "lambda_arn": "arn:aws:lambda:us-east-1:123456789012:function:hue"},
    "destination": {
        "name": "hue-destination",
        "oauth": {
            "authUrl": "https://vendor.example/oauth2/auth",
            "tokenUrl": "https://vendor.example/oauth2/token",
            "scope": "lights",
            "tokenEndpointAuthenticationScheme": "HTTP_BASIC",
        },
        "secret": {
            "arn": "arn:aws:secretsmanager:us-east-1:123456789012:secret:hue-client",
            "versionId": "a1b2c3d4-5678-90ab-cdef-000000000001",
        },
    },
    "account_association": {"name": "living-room"},
    "devices": "all",
}


@dataclass
class Life:
    cloud: VendorCloudEmulator
    aws: ManagedIntegrationsEndpoint
    connector: Connector
    store: DynamoDBStore


@pytest.fixture(scope="module")
def dynamo() -> Iterator[DynamoDBOnLoopback]:
    with DynamoDBOnLoopback() as endpoint:
        yield endpoint


@pytest.fixture
def life(dynamo: DynamoDBOnLoopback) -> Iterator[Life]:
    example = run_local()
    lights = [example.sample(name) for name in example.LIGHT_SAMPLES]
    client = dynamo.client()
    table = dynamo.new_table(client)
    with (
        VendorCloudEmulator(
            {LIGHTS: lights, "/clip/v2/resource/motion": [example.sample("motion_event")]},
            token=TOKEN,
            documents={example.BRIDGE: {"errors": [], "data": [{"id": "b0", "bridge_id": example.BRIDGE_ID}]}},
            revoke_path=REVOKE,
            required_headers={"hue-application-key": APP_KEY},
            lifetime_s=60,
        ) as cloud,
        ManagedIntegrationsEndpoint(secrets={SECRET_ARN: TOKEN}, auth=AUTH, lifetime_s=60) as aws,
    ):
        secrets = SecretsManagerResolver(aws_client("secretsmanager", aws.url))
        connector = example.build(
            cloud.url,
            HUE,
            events_client=example.aws_client(aws.url),
            client_options={"trust_env": False, "timeout_s": 0.5},
            application_key=APP_KEY,
            revoke_path=REVOKE,
            webhook_secret=WEBHOOK_SECRET,
            table_name=table,
            dynamodb_client=client,
            secret_resolver=secrets,
            connector_id="hue-connector",
        )
        aws.connector = connector
        with connector:
            yield Life(cloud, aws, connector, DynamoDBStore(table, client))


def aws_client(service: str, url: str) -> Any:
    import boto3  # type: ignore[import-untyped]

    return boto3.client(
        service,
        endpoint_url=url,
        region_name="us-east-1",
        aws_access_key_id="local",
        aws_secret_access_key="local",
    )


def webhook(*updates: dict[str, Any]) -> dict[str, Any]:
    body = json.dumps([{"type": "update", "id": "e1", "data": list(updates)}]).encode()
    return function_url_event(body, signature=sign(WEBHOOK_SECRET, body))


def test_the_whole_life_of_a_user(life: Life) -> None:
    example = run_local()
    user_id = example.BRIDGE_ID  # the encoded form ActivateUser returns (nothing to escape in a Hue bridge id)
    living_room, kitchen = example.sample("extended_color_light")["id"], example.sample("dimmable_light")["id"]

    # set-up: the six calls through boto3; the stand-in links the account (ActivateUser) and discovers
    out = io.StringIO()
    result = Setup(parse_config(CONFIG), aws_client("iot-managed-integrations", life.aws.url), out=out, poll_s=0).run()
    posts = [call for call in life.aws.set_up_calls() if call[0] != "GET"]
    assert [path.split("/")[1] for _, path in posts] == [
        "cloud-connectors",
        "connector-destinations",
        "account-associations",
        "device-discoveries",
        *["managed-things", "managed-thing-associations"] * 5,
    ]
    assert len(result.managed_things) == 5
    assert life.aws.resources[result.managed_things[living_room]]["registered"]["DeviceDiscoveryId"] == (
        result.device_discovery_id
    )
    assert [e["payload"]["operationName"] for e in life.aws.invocations] == ["AWS.ActivateUser", "AWS.DiscoverDevices"]
    [discovery] = life.aws.connector_events
    assert (discovery["Operation"], discovery["UserId"]) == ("DEVICE_DISCOVERY", user_id)
    assert discovery["ConnectorId"] == result.cloud_connector_id
    user = life.store.user(user_id)
    assert user is not None
    assert user.active
    assert user.credential is not None
    assert user.credential.arn == SECRET_ARN
    stored = life.store.device(living_room)
    assert stored is not None
    assert stored.kind == "philips_hue/extended_color_light"

    # a webhook: a partial Hue event-stream update, its kind remembered from discovery
    seen = len(life.aws.connector_events)
    life.cloud.change(LIGHTS, living_room, {"on": {"on": False}})
    answer = life.connector(webhook({"id": living_room, "type": "light", "on": {"on": False}}), None)
    assert answer["statusCode"] == 200
    assert json.loads(answer["body"]) == {"reported": 1, "dropped": 0, "failed": 0}
    [event] = life.aws.connector_events[seen:]
    assert (event["Operation"], event["UserId"], event["ConnectorDeviceId"]) == ("DEVICE_EVENT", user_id, living_room)
    assert event["MatterEndpoint"]["clusters"] == [{"id": "0x0006", "attributes": {"0x0000": False}}]

    # a polled change: the poll reports the devices whose state differs from what was last reported
    # (the living room lamp, changed above through the webhook, and the kitchen light dimmed now)
    seen = len(life.aws.connector_events)
    life.cloud.change(LIGHTS, kitchen, {"dimming": {"brightness": 20.0}})
    summary = life.connector(SCHEDULE_EVENT, LambdaContext(5000))
    assert summary == {"polled": 1, "reported": 2, "skipped": 0}
    polled = life.aws.connector_events[seen:]
    assert {e["ConnectorDeviceId"] for e in polled} == {living_room, kitchen}
    assert all(e["Operation"] == "DEVICE_EVENT" and e["UserId"] == user_id for e in polled)
    clusters = [c for e in polled if e["ConnectorDeviceId"] == kitchen for c in e["MatterEndpoint"]["clusters"]]
    [level] = [c for c in clusters if c["id"] == "0x0008"]
    assert level["attributes"]["0x0000"] == 51  # 20 % of 254
    seen = len(life.aws.connector_events)
    assert life.connector(SCHEDULE_EVENT, LambdaContext(5000))["reported"] == 0  # nothing changed since
    assert life.aws.connector_events[seen:] == []

    # SendCommand Toggle; its report fails to reach AWS after the vendor acted: 503, and the service retries
    puts = lambda: [r for r in life.cloud.received if r.method == "PUT"]  # noqa: E731
    toggle = command_event(AUTH, living_room, "Root=1-life:toggle", ("0x0006", "0x02", {}))
    life.aws.fail_next(500, count=2, headers={"x-amzn-ErrorType": "InternalServerException"})
    assert life.connector(toggle, LambdaContext())["header"]["responseCode"] == 503
    assert len(puts()) == 1
    assert life.cloud.resource(LIGHTS, living_room)["on"] == {"on": True}
    seen = len(life.aws.connector_events)
    assert life.connector(toggle, LambdaContext())["header"]["responseCode"] == 200
    assert len(puts()) == 1  # answered from the idempotency record: the light was toggled once
    assert life.cloud.resource(LIGHTS, living_room)["on"] == {"on": True}
    [response] = life.aws.connector_events[seen:]
    assert (response["Operation"], response["TraceId"], response["UserId"]) == (
        "DEVICE_COMMAND_RESPONSE",
        "Root=1-life:toggle",
        user_id,
    )
    assert response["MatterEndpoint"]["clusters"][0]["attributes"]["0x0000"] is True

    # DeactivateUser: the grant is revoked at the vendor, the user forgotten, its events stop
    deactivate = {
        "header": {"auth": AUTH},
        "payload": {"operationName": "AWS.DeactivateUser", "operationVersion": "1.0", "connectorId": "hue-connector"},
    }
    assert life.connector(deactivate, LambdaContext())["header"]["responseCode"] == 200
    assert [r.path for r in life.cloud.received if r.method == "POST"] == [REVOKE]
    assert life.cloud.revoked
    gone = life.store.user(user_id)
    assert gone is not None
    assert not gone.active
    assert gone.credential is None
    assert life.store.devices_of(user_id) == []
    seen = len(life.aws.connector_events)
    answer = life.connector(webhook({"id": living_room, "type": "light", "on": {"on": False}}), None)
    assert json.loads(answer["body"]) == {"reported": 0, "dropped": 1, "failed": 0}
    assert life.connector(SCHEDULE_EVENT, LambdaContext(5000)) == {"polled": 0, "reported": 0, "skipped": 0}
    assert life.aws.connector_events[seen:] == []

    # every SendConnectorEvent AWS received is valid, and each one about a device names the user
    events = life.aws.connector_events
    for sent in events:
        assert check_connector_event(sent) == [], sent["Operation"]
        assert sent["UserId"] == user_id
    # the vendor saw the token and the application key on every request
    assert {r.header("Authorization") for r in life.cloud.received} == {f"Bearer {TOKEN}"}
    assert {r.header("hue-application-key") for r in life.cloud.received} == {APP_KEY}


def test_a_bad_signature_is_refused_before_anything_is_read(life: Life) -> None:
    body = json.dumps([{"type": "update", "data": [{"id": "x", "type": "light"}]}]).encode()
    for signature in (None, "sha256=" + "0" * 64, sign("another-secret", body), sign(WEBHOOK_SECRET, body + b" ")):
        answer = life.connector(function_url_event(body, signature=signature), None)
        assert answer["statusCode"] == 401
    assert life.aws.connector_events == []
    assert life.cloud.received == []


def test_the_setup_dry_run_prints_each_request_and_sends_nothing(life: Life) -> None:
    out = io.StringIO()
    Setup(parse_config({**CONFIG, "devices": ["lamp1"]}), None, out=out, dry_run=True).run()
    lines = out.getvalue().splitlines()
    assert [line.split(" ", 1)[0] for line in lines] == [
        "CreateCloudConnector",
        "CreateConnectorDestination",
        "CreateAccountAssociation",
        "StartDeviceDiscovery",
        "CreateManagedThing",
        "RegisterAccountAssociation",
    ]
    destination = json.loads(lines[1].split(" ", 1)[1])
    assert destination["CloudConnectorId"] == "<CreateCloudConnector.Id>"
    assert destination["AuthConfig"]["oAuth"]["tokenUrl"] == "https://vendor.example/oauth2/token"
    assert life.aws.received == []
