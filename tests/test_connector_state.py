"""The connector's memory and inbound paths in detail: the DynamoDB store (moto's server on loopback, real boto3),
idempotent SendCommand, webhook signatures (properties), the poller, events dropped for unknown or inactive users."""

from __future__ import annotations

import base64
import json
from collections.abc import Iterator
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from matter_map.connector import (
    Connector,
    ConnectorError,
    CredentialReference,
    DeviceRecord,
    DynamoDBStore,
    Secret,
    UserRecord,
    WebhookConfig,
    make_handler,
    sign,
    stable_user_id,
)
from matter_map.connector._webhook import verified_body
from matter_map.connector.loopback import DynamoDBOnLoopback

from .conftest import SAMPLES, load_json
from .connector_support import (
    SCHEDULE_EVENT,
    FakeVendor,
    LambdaContext,
    RecordingSender,
    command_event,
    function_url_event,
    general,
    lambda_event,
    oauth,
)

TOKEN = "state-token"
LIGHT = load_json(SAMPLES / "extended_color_light.json")
ARN = "arn:aws:secretsmanager:us-east-1:123456789012:secret:user"
VERSION = "c3d4e5f6-7890-abcd-ef01-000000000003"


@pytest.fixture(scope="module")
def dynamo() -> Iterator[DynamoDBOnLoopback]:
    with DynamoDBOnLoopback() as endpoint:
        yield endpoint


@pytest.fixture(scope="module")
def dynamo_client(dynamo: DynamoDBOnLoopback) -> Any:
    return dynamo.client()


@pytest.fixture
def table(dynamo: DynamoDBOnLoopback, dynamo_client: Any) -> str:
    return dynamo.new_table(dynamo_client)


@pytest.fixture
def store(table: str, dynamo_client: Any) -> DynamoDBStore:
    return DynamoDBStore(table, dynamo_client)


def connector(
    hue_mappings: list[Any], vendor: FakeVendor, table: str, client: Any, sender: RecordingSender, **options: Any
) -> Connector:
    return make_handler(
        hue_mappings,
        vendor,
        event_sender=sender,
        connector_id="c",
        table_name=table,
        dynamodb_client=client,
        secret_resolver=lambda arn, version: Secret(TOKEN),
        **options,
    )


# --- the store -----------------------------------------------------------------------------------------

ids = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), min_size=1, max_size=40)


@settings(max_examples=25, deadline=None)
@given(vendor_user=ids, devices=st.lists(ids, max_size=4, unique=True), version=st.none() | ids)
def test_what_is_saved_is_what_is_read(
    dynamo: DynamoDBOnLoopback, dynamo_client: Any, vendor_user: str, devices: list[str], version: str | None
) -> None:
    store = DynamoDBStore(dynamo.new_table(dynamo_client), dynamo_client)
    user = UserRecord(stable_user_id(vendor_user), vendor_user, True, CredentialReference(ARN, version))
    store.save_user(user)
    records = [
        DeviceRecord(d, user.user_id, "philips_hue/extended_color_light", f"digest-{i}") for i, d in enumerate(devices)
    ]
    store.save_devices(user.user_id, records)
    assert store.user(user.user_id) == user
    assert store.active_users() == [user]
    assert [store.device(d) for d in devices] == records
    assert sorted(d.device_id for d in store.devices_of(user.user_id)) == sorted(devices)
    store.deactivate(user.user_id)
    assert store.user(user.user_id) == UserRecord(user.user_id, vendor_user, False, None)
    assert store.active_users() == []
    assert [store.device(d) for d in devices] == [None] * len(devices)
    assert store.devices_of(user.user_id) == []


def unreachable_dynamodb() -> Any:
    import boto3  # type: ignore[import-untyped]
    from botocore.config import Config

    return boto3.client(
        "dynamodb",
        endpoint_url="http://127.0.0.1:9",  # discard port: nothing listens
        region_name="us-east-1",
        aws_access_key_id="x",
        aws_secret_access_key="x",
        config=Config(connect_timeout=0.2, retries={"total_max_attempts": 1}),
    )


def test_an_unreachable_store_is_a_503(hue_mappings: list[Any]) -> None:
    client = unreachable_dynamodb()
    with pytest.raises(ConnectorError) as failed:
        DynamoDBStore("t", client).user("u")
    assert (failed.value.status, failed.value.code) == (503, "store-unavailable")
    sender = RecordingSender()
    handler = connector(hue_mappings, FakeVendor([LIGHT], token=TOKEN), "t", client, sender)
    assert handler(SCHEDULE_EVENT, LambdaContext())["error"] == "store-unavailable"
    reply = handler(lambda_event("AWS.ActivateUser", oauth(TOKEN)), None)
    assert reply["header"]["responseCode"] == 503
    reply = handler(command_event(oauth(TOKEN), LIGHT["id"], "trace-9", ("0x0006", "0x01", {})), None)
    assert reply["header"]["responseCode"] == 503
    [response] = sender.sent
    assert (response["Operation"], response["StatusCode"]) == ("DEVICE_COMMAND_RESPONSE", 503)


def test_setting_the_digest_of_an_unknown_device_is_refused(store: DynamoDBStore) -> None:
    with pytest.raises(ConnectorError) as failed:
        store.set_digest("nobody", "d")
    assert failed.value.status == 404


# --- idempotent SendCommand --------------------------------------------------------------------------


def test_a_retried_command_reaches_the_vendor_once(
    hue_mappings: list[Any], table: str, dynamo_client: Any, store: DynamoDBStore
) -> None:
    vendor = FakeVendor([LIGHT], token=TOKEN)
    sender = RecordingSender()
    handler = connector(hue_mappings, vendor, table, dynamo_client, sender)
    handler(lambda_event("AWS.DiscoverDevices", oauth(TOKEN), deviceDiscoveryId="d1"), None)
    toggle = command_event(oauth(TOKEN), LIGHT["id"], "trace-1", ("0x0006", "0x02", {}))
    replies = [handler(toggle, LambdaContext())["header"]["responseCode"] for _ in range(3)]
    assert replies == [200, 200, 200]
    assert vendor.names().count("send") == 1
    responses = [e for e in sender.sent if e["Operation"] == "DEVICE_COMMAND_RESPONSE"]
    assert len(responses) == 3  # each attempt reports, from the one execution
    assert all(r["UserId"] == "user-1" for r in responses)
    assert len({json.dumps(r, sort_keys=True) for r in responses}) == 1


def test_a_reused_trace_id_for_another_command_is_refused(
    hue_mappings: list[Any], table: str, dynamo_client: Any
) -> None:
    vendor = FakeVendor([LIGHT], token=TOKEN)
    handler = connector(hue_mappings, vendor, table, dynamo_client, RecordingSender())
    on = command_event(oauth(TOKEN), LIGHT["id"], "trace-2", ("0x0006", "0x01", {}))
    off = command_event(oauth(TOKEN), LIGHT["id"], "trace-2", ("0x0006", "0x00", {}))
    assert handler(on, None)["header"]["responseCode"] == 200
    reply = handler(off, None)
    assert reply["header"]["responseCode"] == 400
    assert vendor.names().count("send") == 1


def test_a_failed_command_is_not_remembered(hue_mappings: list[Any], table: str, dynamo_client: Any) -> None:
    from matter_map.connector import VendorError

    vendor = FakeVendor([LIGHT], token=TOKEN)
    handler = connector(hue_mappings, vendor, table, dynamo_client, RecordingSender())
    on = command_event(oauth(TOKEN), LIGHT["id"], "trace-3", ("0x0006", "0x01", {}))
    vendor.failure = VendorError(503, "vendor-unavailable", "down", vendor_status=503)
    assert handler(on, None)["header"]["responseCode"] == 503
    vendor.failure = None
    assert handler(on, None)["header"]["responseCode"] == 200  # the retry runs: the vendor had done nothing
    assert vendor.names().count("send") == 1


# --- webhooks ------------------------------------------------------------------------------------------

SECRET = "webhook-secret"
CONFIG = WebhookConfig(Secret(SECRET))


@settings(max_examples=200, deadline=None)
@given(
    payload=st.recursive(
        st.none() | st.booleans() | st.integers() | st.text(),
        lambda c: st.lists(c) | st.dictionaries(st.text(), c),
        max_leaves=10,
    ),
    flip=st.integers(min_value=0),
    encode=st.booleans(),
)
def test_a_signed_body_is_accepted_and_any_changed_byte_refused(payload: Any, flip: int, encode: bool) -> None:
    body = json.dumps(payload).encode()
    signature = sign(SECRET, body)
    assert verified_body(function_url_event(body, signature=signature, base64=encode), CONFIG) == payload
    changed = bytearray(body)
    changed[flip % len(changed)] ^= 0x01
    with pytest.raises(ConnectorError) as refused:
        verified_body(function_url_event(bytes(changed), signature=signature, base64=True), CONFIG)
    assert refused.value.status == 401


@settings(max_examples=100, deadline=None)
@given(body=st.binary(max_size=64), signature=st.text(max_size=80))
def test_a_forged_signature_is_refused(body: bytes, signature: str) -> None:
    event = function_url_event(body, signature=signature, base64=True)
    with pytest.raises(ConnectorError) as refused:
        verified_body(event, CONFIG)
    assert refused.value.status in (401, 400)
    assert signature != sign(SECRET, body)


def test_oversized_and_malformed_webhooks_are_refused() -> None:
    big = b"[" + b"0," * 200_000 + b"0]"
    assert _status(function_url_event(big, signature=sign(SECRET, big))) == 413
    bad = b"{not json"
    assert _status(function_url_event(bad, signature=sign(SECRET, bad))) == 400
    for depth in (65, 100_000):
        deep = b"[" * depth + b"]" * depth
        assert _status(function_url_event(deep, signature=sign(SECRET, deep))) == 400
    event = function_url_event(b"{}", signature=sign(SECRET, b"{}"), base64=True)
    event["body"] = "***"
    assert _status(event) == 400


def _status(event: dict[str, Any]) -> int:
    try:
        verified_body(event, CONFIG)
    except ConnectorError as exc:
        return exc.status
    return 200


def test_a_connector_without_a_webhook_answers_404(hue_mappings: list[Any]) -> None:
    handler = make_handler(hue_mappings, FakeVendor([LIGHT], token=TOKEN), event_sender=RecordingSender())
    body = base64.b64encode(b"{}")
    answer = handler(function_url_event(body, signature="x"), None)
    assert answer["statusCode"] == 404


def test_webhook_updates_for_unknown_devices_are_dropped_and_known_ones_use_the_remembered_kind(
    hue_mappings: list[Any], table: str, dynamo_client: Any
) -> None:
    vendor = FakeVendor([LIGHT], token=TOKEN)
    sender = RecordingSender()
    handler = connector(hue_mappings, vendor, table, dynamo_client, sender, webhook=CONFIG)
    handler(lambda_event("AWS.DiscoverDevices", oauth(TOKEN), deviceDiscoveryId="d1"), None)
    sender.sent.clear()
    # a partial update: only `dimming` (no `type`, no `color`): the kind comes from discovery
    updates = [{"id": LIGHT["id"], "dimming": {"brightness": 50.0}}, {"id": "unknown-light", "on": {"on": True}}]
    body = json.dumps([{"type": "update", "data": updates}]).encode()
    answer = handler(function_url_event(body, signature=sign(SECRET, body)), None)
    assert json.loads(answer["body"]) == {"reported": 1, "dropped": 1, "failed": 0}
    [event] = sender.sent
    assert event["UserId"] == "user-1"
    assert event["MatterEndpoint"]["clusters"] == [{"id": "0x0008", "attributes": {"0x0000": 127}}]


# --- the poller --------------------------------------------------------------------------------------


def test_the_poller_reports_changes_of_generalauthorization_users_only(
    hue_mappings: list[Any], table: str, dynamo_client: Any, store: DynamoDBStore
) -> None:
    vendor = FakeVendor([LIGHT], token=TOKEN)
    sender = RecordingSender()
    handler = connector(hue_mappings, vendor, table, dynamo_client, sender)
    assert handler(lambda_event("AWS.ActivateUser", general(ARN, VERSION)), None)["header"]["responseCode"] == 200
    handler(lambda_event("AWS.DiscoverDevices", general(ARN, VERSION), deviceDiscoveryId="d1"), None)
    vendor.user = "user-2"
    handler(lambda_event("AWS.ActivateUser", oauth(TOKEN)), None)  # an OAuth user: nothing stored to poll with
    sender.sent.clear()
    assert handler(SCHEDULE_EVENT, LambdaContext(5000)) == {"polled": 1, "reported": 0, "skipped": 1}
    vendor.devices[LIGHT["id"]]["on"] = {"on": False}
    assert handler(SCHEDULE_EVENT, LambdaContext(5000)) == {"polled": 1, "reported": 1, "skipped": 1}
    [event] = sender.sent
    assert (event["Operation"], event["UserId"]) == ("DEVICE_EVENT", "user-1")
    stored = store.user("user-1")
    assert stored is not None
    assert stored.credential == CredentialReference(ARN, VERSION)


def test_deactivation_with_a_dead_token_still_forgets_the_user(
    hue_mappings: list[Any], table: str, dynamo_client: Any, store: DynamoDBStore
) -> None:
    from matter_map.connector import VendorError

    vendor = FakeVendor([LIGHT], token=TOKEN)
    handler = connector(hue_mappings, vendor, table, dynamo_client, RecordingSender())
    handler(lambda_event("AWS.ActivateUser", general(ARN, VERSION)), None)
    vendor.failure = VendorError(401, "unauthorized", "expired", vendor_status=401)
    reply = handler(lambda_event("AWS.DeactivateUser", general(ARN, VERSION)), None)
    assert reply["header"]["responseCode"] == 401  # the revocation itself failed: the service is told
    vendor.failure = None
    vendor.token = "another"  # the vendor no longer knows the credential at all
    reply = handler(lambda_event("AWS.DeactivateUser", general(ARN, VERSION)), None)
    assert reply["header"]["responseCode"] == 401
    user = store.user("user-1")
    assert user is not None
    assert user.active  # a failed revocation leaves the user as it was


def test_a_webhook_ring_becomes_an_event_and_a_command_request_for_the_owner(table: str, dynamo_client: Any) -> None:
    from matter_map.connector import load_mappings

    from .connector_support import DOORBELL

    idle = load_json(DOORBELL / "samples" / "idle_state.json")
    ring = load_json(DOORBELL / "samples" / "ring_event.json")
    vendor = FakeVendor([], token=TOKEN)
    vendor.devices = {idle["device"]["id"]: idle}
    sender = RecordingSender()
    handler = connector(load_mappings(DOORBELL), vendor, table, dynamo_client, sender, webhook=CONFIG)
    handler(lambda_event("AWS.DiscoverDevices", oauth(TOKEN), deviceDiscoveryId="d1"), None)
    sender.sent.clear()
    body = json.dumps(ring).encode()
    answer = handler(function_url_event(body, signature=sign(SECRET, body)), None)
    assert json.loads(answer["body"]) == {"reported": 1, "dropped": 0, "failed": 0}
    assert [e["Operation"] for e in sender.sent] == ["DEVICE_EVENT", "DEVICE_COMMAND_REQUEST"]
    assert {e["UserId"] for e in sender.sent} == {"user-1"}
    assert {e["ConnectorDeviceId"] for e in sender.sent} == {"front-door@2Fcam@231"}


def test_a_retry_while_the_command_still_runs_is_told_to_come_back(
    hue_mappings: list[Any], table: str, dynamo_client: Any
) -> None:
    import threading
    import time

    sending = threading.Event()

    class SlowVendor(FakeVendor):
        def send(self, credentials: Any, request: Any, deadline: Any) -> Any:
            sending.set()
            time.sleep(0.4)
            return super().send(credentials, request, deadline)

    vendor = SlowVendor([LIGHT], token=TOKEN)
    handler = connector(hue_mappings, vendor, table, dynamo_client, RecordingSender())
    toggle = command_event(oauth(TOKEN), LIGHT["id"], "trace-slow", ("0x0006", "0x02", {}))
    first: list[int] = []
    worker = threading.Thread(target=lambda: first.append(handler(toggle, None)["header"]["responseCode"]))
    worker.start()
    assert sending.wait(2)
    retry = handler(toggle, None)
    worker.join()
    assert first == [200]
    assert retry["header"]["responseCode"] == 503  # the service retries later, and is answered from the record
    assert vendor.names().count("send") == 1
    assert handler(toggle, None)["header"]["responseCode"] == 200
    assert vendor.names().count("send") == 1
