"""No secret in any log, error, reply or emitted request: a canary token is planted and looked for everywhere."""

from __future__ import annotations

import json
import logging
import uuid
from typing import Any

import pytest

from matter_map.connector import Secret, SecretsManagerResolver
from matter_map.connector.loopback import ManagedIntegrationsEndpoint

from .conftest import HUE, SAMPLES, load_json
from .connector_support import command_event, general, lambda_event, oauth, run_local

CANARY = f"canary-SECRET-{uuid.uuid4().hex}"
WRONG_CANARY = f"canary-SECRET-wrong-{uuid.uuid4().hex}"
ARN = "arn:aws:secretsmanager:us-east-1:123456789012:secret:hue-key-AbCdEf"
WRONG_ARN = "arn:aws:secretsmanager:us-east-1:123456789012:secret:hue-old-key-XyZ123"
VERSION = str(uuid.uuid4())  # Secrets Manager version ids are UUIDs
LOGGERS = ("", "matter_map", "botocore", "boto3", "urllib3", "httpx", "httpcore")
LIGHT_ID = load_json(SAMPLES / "extended_color_light.json")["id"]


def test_secret_never_shows_itself() -> None:
    secret = Secret(CANARY)
    shown = [repr(secret), str(secret), f"{secret}", f"{secret!r}", "%s" % secret, json.dumps({"s": str(secret)})]  # noqa: UP031
    assert all(CANARY not in text for text in shown)
    assert secret.reveal() == CANARY
    with pytest.raises(TypeError):
        __import__("pickle").dumps(secret)
    with pytest.raises(ValueError, match="non-empty"):
        Secret("")


@pytest.fixture
def debug_logs(caplog: pytest.LogCaptureFixture) -> pytest.LogCaptureFixture:
    for name in LOGGERS:
        caplog.set_level(logging.DEBUG, logger=name)
    return caplog


def every_operation(auth: dict[str, Any]) -> list[dict[str, Any]]:
    """Each AWS.* operation, succeeding and failing."""
    return [
        lambda_event("AWS.ActivateUser", auth),
        lambda_event("AWS.DiscoverDevices", auth, deviceDiscoveryId="canary1"),
        command_event(auth, LIGHT_ID, "t-ok", ("0x0006", "0x01", {})),
        command_event(auth, LIGHT_ID, "t-range", ("0x0008", "0x00", {"0x0000": 999})),
        command_event(auth, "not-a-device", "t-404", ("0x0006", "0x01", {})),
        lambda_event("AWS.DeactivateUser", auth),
    ]


def test_the_canary_appears_only_in_the_vendor_auth_header(
    debug_logs: pytest.LogCaptureFixture, capsys: pytest.CaptureFixture[str]
) -> None:
    example = run_local()
    replies: list[Any] = []
    emitted: list[Any] = []
    with (
        example.hue_cloud(CANARY, lifetime_s=30) as cloud,
        ManagedIntegrationsEndpoint(secrets={ARN: CANARY, WRONG_ARN: WRONG_CANARY}, lifetime_s=30) as aws,
    ):
        aws_options = {
            "region_name": "us-east-1",
            "endpoint_url": aws.url,
            "aws_access_key_id": "x",
            "aws_secret_access_key": "x",
        }
        import boto3  # type: ignore[import-untyped]

        resolver = SecretsManagerResolver(boto3.client("secretsmanager", **aws_options))
        connector = example.build(
            cloud.url,
            HUE,
            client_options={"trust_env": False, "timeout_s": 0.2},
            events_client=example.aws_client(aws.url),
            connector_id="hue-connector",
            secret_resolver=resolver,
        )
        with connector:
            auths = {
                "oauth": oauth(CANARY),
                "secret": general(ARN, VERSION),
                "wrong oauth": oauth(WRONG_CANARY),
                "wrong secret": general(WRONG_ARN, VERSION),
                "missing secret": general(ARN + "-gone", VERSION),
            }
            activations = {}
            for kind, auth in auths.items():
                cloud.revoked = False
                for event in every_operation(auth):
                    replies.append(connector(event, None))
                activations[kind] = replies[-len(every_operation(auth))]["header"]["responseCode"]
                # vendor faults on the way: throttled, failing, slow
                for status, headers, delay in ((429, {"Retry-After": "0"}, 0.0), (500, {}, 0.0), (200, {}, 0.4)):
                    cloud.fail_next(status, count=3, headers=headers, delay_s=delay)
                    replies.append(connector(command_event(auth, LIGHT_ID, "t-fault", ("0x0006", "0x00", {})), None))
                emitted.extend(connector.vendor_event(load_json(SAMPLES / "motion_event.json"), user_id="u1"))
            # an internal failure too: its text is never shown
            connector.vendor.list_devices = None  # type: ignore[method-assign,assignment]
            replies.append(connector(lambda_event("AWS.DiscoverDevices", oauth(CANARY), deviceDiscoveryId="x"), None))
    # both credential kinds really reached the vendor; the wrong ones were refused there or before
    assert activations == {"oauth": 200, "secret": 200, "wrong oauth": 401, "wrong secret": 401, "missing secret": 500}
    codes = [r["header"]["responseCode"] for r in replies]
    assert {200, 400, 401, 404, 429, 500, 503} <= set(codes)  # every kind of outcome was exercised

    # the logs, at DEBUG for every library involved, formatted and raw
    assert debug_logs.records, "nothing was logged: the test would prove nothing"
    assert any(r.name.startswith("botocore") for r in debug_logs.records)
    assert any(r.name.startswith("httpcore") or r.name.startswith("httpx") for r in debug_logs.records)
    for record in debug_logs.records:
        for text in (record.getMessage(), repr(record.args), record.exc_text or ""):
            assert CANARY not in text, record.name
            assert WRONG_CANARY not in text, record.name
    captured = capsys.readouterr()
    assert CANARY not in captured.out + captured.err

    # replies and emitted events
    assert CANARY not in json.dumps(replies) + json.dumps(emitted)

    # everything the AWS stand-in received (SendConnectorEvent and GetSecretValue requests)
    assert aws.received
    for request in aws.received:
        assert CANARY not in f"{request.method} {request.path} {request.headers}"
        assert CANARY.encode() not in request.body

    # everything the vendor received: only the Authorization header, exactly as configured
    bearer = 0
    for request in cloud.received:
        for name, value in request.headers:
            if name.lower() == "authorization" and CANARY in value:
                assert value in (f"Bearer {CANARY}", f"Bearer {WRONG_CANARY}")
                bearer += 1
            else:
                assert CANARY not in value, name
        assert CANARY not in request.path
        assert CANARY.encode() not in request.body
    assert bearer > 0
