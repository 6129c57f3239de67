"""Shared pieces of the connector tests: an in-memory vendor, a recording event sender, the examples' modules."""

from __future__ import annotations

import copy
import importlib.util
import sys
from collections.abc import Iterator, Mapping
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from matter_map.connector import Credentials, Deadline, VendorError, deep_merge
from matter_map.connector.loopback import DynamoDBOnLoopback
from matter_map.payload_check import ensure_valid_connector_event

from .conftest import ROOT

EXAMPLES = ROOT / "examples"
HUE_EXAMPLE = EXAMPLES / "hue_connector"
DOORBELL = EXAMPLES / "video_doorbell"


def example_module(path: Path, name: str) -> ModuleType:
    """Import an example script by file (the examples are not a package)."""
    if name in sys.modules:
        return sys.modules[name]
    if str(path.parent) not in sys.path:
        sys.path.insert(0, str(path.parent))  # the example imports its sibling `handler`
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


def run_local() -> ModuleType:
    return example_module(HUE_EXAMPLE / "run_local.py", "hue_connector_run_local")


def lambda_event(operation: str, auth: Mapping[str, Any] | None, **payload: Any) -> dict[str, Any]:
    event: dict[str, Any] = {
        "header": {} if auth is None else {"auth": dict(auth)},
        "payload": {"operationName": operation, "operationVersion": "1.0", "connectorId": "hue-connector", **payload},
    }
    return event


def oauth(token: str) -> dict[str, Any]:
    return {"type": "OAuth2.0", "token": token}


def general(arn: str, version: str = "v1") -> dict[str, Any]:
    return {"type": "GeneralAuthorization", "secretsManager": {"arn": arn, "versionId": version}}


def command_event(
    auth: Mapping[str, Any] | None, device: str, trace: str, *commands: tuple[str, str, dict[str, Any]]
) -> dict[str, Any]:
    clusters = [{"id": cluster, "commands": {command: fields}} for cluster, command, fields in commands]
    return lambda_event(
        "AWS.SendCommand", auth, connectorDeviceId=device, traceId=trace, endpoints=[{"id": "1", "clusters": clusters}]
    )


class RecordingSender:
    """An EventSender that checks each request like the real one and keeps it."""

    def __init__(self) -> None:
        self.sent: list[dict[str, Any]] = []

    def send(self, request: Mapping[str, Any]) -> None:
        ensure_valid_connector_event(request)
        self.sent.append(copy.deepcopy(dict(request)))


class FakeVendor:
    """An in-memory vendor cloud: devices by id, writes merged into them, every call recorded."""

    def __init__(self, devices: list[dict[str, Any]], *, token: str, user: str = "user-1") -> None:
        self.devices = {d["id"]: copy.deepcopy(d) for d in devices}
        self.token = token
        self.user = user
        self.calls: list[tuple[str, Any]] = []
        self.failure: VendorError | None = None
        self.revoked = False

    def _enter(self, name: str, credentials: Credentials, argument: Any = None) -> None:
        self.calls.append((name, argument))
        if self.failure is not None:
            raise self.failure
        if credentials.token.reveal() != self.token:
            raise VendorError(401, "unauthorized", "bad token", vendor_status=401)

    def user_id(self, credentials: Credentials, deadline: Deadline) -> str:
        self._enter("user_id", credentials)
        return self.user

    def list_devices(self, credentials: Credentials, deadline: Deadline) -> list[Any]:
        self._enter("list_devices", credentials)
        return [copy.deepcopy(d) for d in self.devices.values()]

    def get_state(self, credentials: Credentials, device_id: str, deadline: Deadline) -> Any:
        self._enter("get_state", credentials, device_id)
        if device_id not in self.devices:
            raise VendorError(404, "not-found", "no such device", vendor_status=404)
        return copy.deepcopy(self.devices[device_id])

    def send(self, credentials: Credentials, request: Mapping[str, Any], deadline: Deadline) -> Any:
        self._enter("send", credentials, copy.deepcopy(dict(request)))
        device_id = str(request["url"]).rpartition("/")[2]
        if isinstance(request.get("body"), dict) and device_id in self.devices:
            deep_merge(self.devices[device_id], request["body"])
        return {"errors": [], "data": []}

    def revoke(self, credentials: Credentials, deadline: Deadline) -> None:
        self._enter("revoke", credentials)
        self.revoked = True

    def names(self) -> list[str]:
        return [name for name, _ in self.calls]


@pytest.fixture(scope="session")
def dynamodb() -> Iterator[DynamoDBOnLoopback]:
    """A DynamoDB-compatible endpoint on loopback (moto's server mode) for the module's tests; tables per test."""
    with DynamoDBOnLoopback() as endpoint:
        yield endpoint


class LambdaContext:
    """The part of Lambda's context object the connector reads."""

    def __init__(self, remaining_ms: int = 2000) -> None:
        self.remaining_ms = remaining_ms
        self.function_name = "connector"
        self.aws_request_id = "local"

    def get_remaining_time_in_millis(self) -> int:
        return self.remaining_ms


def function_url_event(body: bytes, *, signature: str | None, base64: bool = False) -> dict[str, Any]:
    """A Lambda Function URL request event (payload format 2.0) carrying `body`."""
    import base64 as b64

    headers = {"content-type": "application/json"}
    if signature is not None:
        headers["x-signature"] = signature
    return {
        "version": "2.0",
        "rawPath": "/",
        "headers": headers,
        "requestContext": {"http": {"method": "POST", "path": "/"}},
        "body": b64.b64encode(body).decode() if base64 else body.decode("utf-8"),
        "isBase64Encoded": base64,
    }


SCHEDULE_EVENT: dict[str, Any] = {
    "version": "0",
    "id": "poll",
    "detail-type": "Scheduled Event",
    "source": "aws.events",
    "detail": {},
}
