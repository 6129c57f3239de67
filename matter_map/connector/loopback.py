"""Loopback stand-ins for running a connector locally: a vendor cloud and the managed-integrations endpoint.

Both listen on 127.0.0.1 (a free port), record every request they receive, and stop by themselves after
`lifetime_s` even if nobody stops them. Used by the end-to-end tests, the local demo and the benchmark.
"""

from __future__ import annotations

import copy
import json
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import unquote, urlsplit

from matter_map.connector._connector import deep_merge

MAX_REQUEST_BYTES = 1024 * 1024


@dataclass(frozen=True, slots=True)
class Received:
    """One request as the server saw it."""

    method: str
    path: str
    headers: tuple[tuple[str, str], ...]
    body: bytes

    def header(self, name: str) -> str | None:
        return next((v for k, v in self.headers if k.lower() == name.lower()), None)

    def json(self) -> Any:
        return json.loads(self.body) if self.body else None


@dataclass(slots=True)
class Reply:
    status: int
    body: Any = None
    headers: Mapping[str, str] = field(default_factory=dict)
    delay_s: float = 0.0


class LoopbackServer:
    """A threaded HTTP server on 127.0.0.1 that answers through `respond` and records what it receives."""

    def __init__(self, *, lifetime_s: float = 60.0) -> None:
        self.received: list[Received] = []
        self._faults: deque[Reply] = deque()
        self._lock = threading.Lock()
        owner = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            disable_nagle_algorithm = True  # keep-alive replies otherwise wait for the client's delayed ACK

            def _serve(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(min(length, MAX_REQUEST_BYTES))
                request = Received(self.command, self.path, tuple(self.headers.items()), body)
                with owner._lock:
                    owner.received.append(request)
                    fault = owner._faults.popleft() if owner._faults else None
                answer = fault or owner.respond(request)
                if answer.delay_s:
                    time.sleep(answer.delay_s)
                data = b"" if answer.body is None else json.dumps(answer.body).encode("utf-8")
                try:
                    self.send_response(answer.status)
                    for name, value in answer.headers.items():
                        self.send_header(name, value)
                    self.send_header("Content-Type", answer.headers.get("Content-Type", "application/json"))
                    self.send_header("Content-Length", str(len(data)))
                    self.end_headers()
                    self.wfile.write(data)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up (a timeout under test)

            do_GET = do_PUT = do_POST = do_PATCH = do_DELETE = _serve  # noqa: N815 -- http.server's names

            def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 -- the overridden signature
                return

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self._thread = threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
        self._timer = threading.Timer(lifetime_s, self.stop)
        self._timer.daemon = True
        self._stopped = False

    @property
    def url(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host!s}:{port}"

    def start(self) -> LoopbackServer:
        self._thread.start()
        self._timer.start()
        return self

    def stop(self) -> None:
        with self._lock:
            if self._stopped:
                return
            self._stopped = True
        self._timer.cancel()
        self.server.shutdown()
        self.server.server_close()

    def __enter__(self) -> LoopbackServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def fail_next(
        self, status: int, *, count: int = 1, headers: Mapping[str, str] | None = None, delay_s: float = 0.0
    ) -> None:
        """Answer the next `count` requests with `status` (or, with `delay_s`, late) instead of normally."""
        body = {"errors": [{"description": f"injected {status}"}]}
        with self._lock:
            self._faults.extend(Reply(status, body, dict(headers or {}), delay_s) for _ in range(count))

    def reset(self) -> None:
        """Forget the requests received and the failures still queued."""
        with self._lock:
            self.received.clear()
            self._faults.clear()

    def respond(self, request: Received) -> Reply:
        raise NotImplementedError


class VendorCloudEmulator(LoopbackServer):
    """A Hue-CLIP-v2-like cloud: `GET {collection}` lists, `GET/PUT {collection}/{id}` read and deep-merge.

    `collections` maps a path (`/clip/v2/resource/light`) to its resources (each with an `id`); `documents`
    maps other paths to fixed bodies (an account resource). Requests must carry `auth_header` equal to
    `auth_format` with the token and every `required_headers` value (Hue's `hue-application-key`), else 401;
    a POST to `revoke_path` revokes the token (401 from then on); answers are `{"errors": [], "data": [...]}`.
    """

    def __init__(
        self,
        collections: Mapping[str, Iterable[Mapping[str, Any]]],
        *,
        token: str,
        documents: Mapping[str, Any] | None = None,
        auth_header: str = "Authorization",
        auth_format: str = "Bearer {token}",
        revoke_path: str | None = None,
        required_headers: Mapping[str, str] | None = None,
        lifetime_s: float = 60.0,
    ) -> None:
        super().__init__(lifetime_s=lifetime_s)
        self.required_headers = dict(required_headers or {})
        self.collections = {
            path.rstrip("/"): [copy.deepcopy(dict(r)) for r in items] for path, items in collections.items()
        }
        self.documents = dict(documents or {})
        self.expected_auth = auth_format.replace("{token}", token)
        self.auth_header = auth_header
        self.revoke_path = revoke_path
        self.revoked = False

    def resource(self, collection: str, resource_id: str) -> dict[str, Any]:
        """A copy of one resource's current state."""
        with self._lock:
            return copy.deepcopy(self._find(collection, resource_id) or {})

    def change(self, collection: str, resource_id: str, patch: Mapping[str, Any]) -> dict[str, Any]:
        """Change a resource as the device itself would (a wall switch); returns the new state."""
        with self._lock:
            found = self._find(collection, resource_id)
            if found is None:
                raise KeyError(resource_id)
            deep_merge(found, patch)
            return copy.deepcopy(found)

    def _find(self, collection: str, resource_id: str) -> dict[str, Any] | None:
        return next((r for r in self.collections.get(collection, []) if r.get("id") == resource_id), None)

    def respond(self, request: Received) -> Reply:
        wrong = any(request.header(name) != value for name, value in self.required_headers.items())
        if request.header(self.auth_header) != self.expected_auth or self.revoked or wrong:
            return Reply(401, {"errors": [{"description": "unauthorized"}], "data": []})
        raw_path = urlsplit(request.path).path.rstrip("/")
        path = unquote(raw_path)
        if self.revoke_path is not None and path == self.revoke_path and request.method == "POST":
            self.revoked = True
            return Reply(200, {"errors": [], "data": []})
        if request.method == "GET" and path in self.documents:
            return Reply(200, self.documents[path])
        if request.method == "GET" and path in self.collections:
            with self._lock:
                return Reply(200, {"errors": [], "data": copy.deepcopy(self.collections[path])})
        raw_collection, _, raw_id = raw_path.rpartition("/")
        collection, resource_id = unquote(raw_collection), unquote(raw_id)
        with self._lock:
            found = self._find(collection, resource_id)
            if found is None:
                return Reply(404, {"errors": [{"description": "not found"}], "data": []})
            if request.method == "GET":
                return Reply(200, {"errors": [], "data": [copy.deepcopy(found)]})
            if request.method == "PUT":
                patch = _json_object(request.body)
                if patch is None:
                    return Reply(400, {"errors": [{"description": "body must be a JSON object"}], "data": []})
                deep_merge(found, patch)
                return Reply(200, {"errors": [], "data": [{"rid": resource_id, "rtype": found.get("type")}]})
        return Reply(405, {"errors": [{"description": "method not allowed"}], "data": []})


class ManagedIntegrationsEndpoint(LoopbackServer):
    """Stands in for AWS: records `POST /connector-event/{ConnectorId}` (rest-json), answers Secrets Manager
    `GetSecretValue` (json 1.1) from `secrets` (ARN → SecretString), and plays the service's side of the set-up.

    With `connector` (the Lambda handler, called in-process) and `auth` (the `header.auth` the service would
    hold for the linked account), CreateAccountAssociation links the account at once by invoking
    AWS.ActivateUser, and StartDeviceDiscovery invokes AWS.DiscoverDevices: the devices of the DEVICE_DISCOVERY
    event the connector sends back are what ListDiscoveredDevices lists.
    """

    ACCOUNT = "123456789012"

    def __init__(
        self,
        *,
        secrets: Mapping[str, str] | None = None,
        connector: Callable[[dict[str, Any], Any], dict[str, Any]] | None = None,
        auth: Mapping[str, Any] | None = None,
        lifetime_s: float = 60.0,
    ) -> None:
        super().__init__(lifetime_s=lifetime_s)
        self.secrets = dict(secrets or {})
        self.connector = connector
        self.auth = dict(auth or {})
        self.resources: dict[str, dict[str, Any]] = {}  # id → what was created (with its kind)
        self.invocations: list[dict[str, Any]] = []  # the AWS.* events sent to the connector
        self._ids = 0
        self.cloud_connector_id: str | None = None

    @property
    def connector_events(self) -> list[dict[str, Any]]:
        """Every SendConnectorEvent received, as the request dict (ConnectorId from the path)."""
        events = []
        with self._lock:
            received = list(self.received)
        for request in received:
            path = urlsplit(request.path).path
            if request.method == "POST" and path.startswith("/connector-event/"):
                events.append({"ConnectorId": unquote(path.rpartition("/")[2]), **(request.json() or {})})
        return events

    def set_up_calls(self) -> list[tuple[str, str]]:
        """(method, path) of every set-up request received, in order."""
        with self._lock:
            received = list(self.received)
        return [
            (r.method, urlsplit(r.path).path)
            for r in received
            if not urlsplit(r.path).path.startswith("/connector-event/") and r.header("X-Amz-Target") is None
        ]

    def respond(self, request: Received) -> Reply:
        path = urlsplit(request.path).path
        if request.method == "POST" and path.startswith("/connector-event/"):
            return Reply(202, {"ConnectorId": unquote(path.rpartition("/")[2])})
        if request.header("X-Amz-Target") == "secretsmanager.GetSecretValue":
            return self._secret(request)
        return self._set_up(request.method, path, _json_object(request.body) or {})

    def _secret(self, request: Received) -> Reply:
        query = _json_object(request.body) or {}
        arn = query.get("SecretId")
        if arn not in self.secrets:
            return Reply(
                400,
                {"__type": "ResourceNotFoundException", "message": "secret not found"},
                {"Content-Type": "application/x-amz-json-1.1"},
            )
        answer = {
            "ARN": arn,
            "Name": str(arn).rpartition(":")[2],
            "VersionId": query.get("VersionId", "v1"),
            "SecretString": self.secrets[str(arn)],
            "VersionStages": ["AWSCURRENT"],
            "CreatedDate": 1.7e9,
        }
        return Reply(200, answer, {"Content-Type": "application/x-amz-json-1.1"})

    def _new_id(self, kind: str, body: Mapping[str, Any]) -> str:
        with self._lock:
            self._ids += 1
            identifier = f"{kind}{self._ids:04d}"
            self.resources[identifier] = {"kind": kind, **body}
        return identifier

    def _set_up(self, method: str, path: str, body: dict[str, Any]) -> Reply:
        parts = [unquote(p) for p in path.strip("/").split("/")]
        route = (method, parts[0] if parts else "", len(parts))
        if route == ("POST", "cloud-connectors", 1):
            self.cloud_connector_id = self._new_id("cc", body)
            return Reply(201, {"Id": self.cloud_connector_id})
        if route == ("POST", "connector-destinations", 1):
            if body.get("CloudConnectorId") not in self.resources:
                return _not_found("no such cloud connector")
            return Reply(201, {"Id": self._new_id("cd", body)})
        if route == ("POST", "account-associations", 1):
            if body.get("ConnectorDestinationId") not in self.resources:
                return _not_found("no such connector destination")
            identifier = self._new_id("aa", body)
            state = "ASSOCIATION_IN_PROGRESS"
            if self.connector is not None:
                answer = self._invoke("AWS.ActivateUser")
                linked = answer.get("header", {}).get("responseCode") == 200
                state = "ASSOCIATION_SUCCEEDED" if linked else "ASSOCIATION_FAILED"
                self.resources[identifier]["UserId"] = answer.get("payload", {}).get("userId")
            self.resources[identifier]["AssociationState"] = state
            return Reply(
                201,
                {
                    "AccountAssociationId": identifier,
                    "AssociationState": state,
                    "OAuthAuthorizationUrl": f"https://vendor.example/authorize?association={identifier}",
                    "Arn": f"arn:aws:iotmanagedintegrations:us-east-1:{self.ACCOUNT}:account-association/{identifier}",
                },
            )
        if route == ("GET", "account-associations", 2):
            found = self.resources.get(parts[1])
            if found is None:
                return _not_found("no such account association")
            return Reply(
                200,
                {
                    "AccountAssociationId": parts[1],
                    "AssociationState": found.get("AssociationState"),
                    "OAuthAuthorizationUrl": "https://vendor.example/authorize",
                },
            )
        if route == ("POST", "device-discoveries", 1):
            if body.get("AccountAssociationId") not in self.resources:
                return _not_found("no such account association")
            identifier = self._new_id("dd", body)
            if self.connector is not None:
                self._invoke("AWS.DiscoverDevices", deviceDiscoveryId=identifier)
            return Reply(201, {"Id": identifier, "StartedAt": time.time()})
        if route[0] == "GET" and route[1] == "device-discoveries" and route[2] in (2, 3):
            return self._discovery(parts[1], devices=route[2] == 3)
        if route == ("POST", "managed-things", 1):
            identifier = self._new_id("mt", body)
            arn = f"arn:aws:iotmanagedintegrations:us-east-1:{self.ACCOUNT}:managed-thing/{identifier}"
            return Reply(201, {"Id": identifier, "Arn": arn, "CreatedAt": time.time()})
        if route == ("PUT", "managed-thing-associations", 2) and parts[1] == "register":
            for key in ("ManagedThingId", "AccountAssociationId", "DeviceDiscoveryId"):
                if body.get(key) not in self.resources:
                    return _not_found(f"no such {key}")
            self.resources[str(body["ManagedThingId"])]["registered"] = dict(body)
            return Reply(201, {k: body[k] for k in ("ManagedThingId", "AccountAssociationId", "DeviceDiscoveryId")})
        return _not_found("no such operation here")

    def _discovery(self, identifier: str, *, devices: bool) -> Reply:
        if identifier not in self.resources:
            return _not_found("no such device discovery")
        reports = [
            e
            for e in self.connector_events
            if e.get("Operation") == "DEVICE_DISCOVERY" and e.get("DeviceDiscoveryId") == identifier
        ]
        if not devices:
            status = "SUCCEEDED" if reports else "RUNNING"
            if reports and reports[-1].get("StatusCode", 200) != 200:
                status = "FAILED"
            arn = f"arn:aws:iotmanagedintegrations:us-east-1:{self.ACCOUNT}:device-discovery/{identifier}"
            return Reply(
                200, {"Id": identifier, "Arn": arn, "DiscoveryType": "CLOUD", "Status": status, "StartedAt": 1.7e9}
            )
        items = []
        for report in reports:
            for device in report.get("Devices", []):
                items.append(
                    {
                        "ConnectorDeviceId": device["ConnectorDeviceId"],
                        "ConnectorDeviceName": device.get("ConnectorDeviceName", device["ConnectorDeviceId"]),
                        "AuthenticationMaterial": f"CLOUD:{report['ConnectorId']}:{device['ConnectorDeviceId']}",
                    }
                )
        return Reply(200, {"Items": items})

    def _invoke(self, operation: str, **payload: Any) -> dict[str, Any]:
        """Call the connector as the service does, on a thread of its own (as a Lambda invocation would be)."""
        assert self.connector is not None
        event = {
            "header": {"auth": dict(self.auth)},
            "payload": {"operationName": operation, "operationVersion": "1.0", **payload},
        }
        if self.cloud_connector_id is not None:
            event["payload"]["connectorId"] = self.cloud_connector_id
        self.invocations.append(event)
        answer: dict[str, Any] = {}
        connector = self.connector

        def invoke() -> None:
            answer.update(connector(event, None))

        worker = threading.Thread(target=invoke, daemon=True)
        worker.start()
        worker.join(timeout=10)
        return answer


def _not_found(message: str) -> Reply:
    return Reply(404, {"message": message}, {"x-amzn-ErrorType": "ResourceNotFoundException"})


def _json_object(body: bytes) -> dict[str, Any] | None:
    try:
        value = json.loads(body or b"null")
    except ValueError:
        return None
    return value if isinstance(value, dict) else None


class DynamoDBOnLoopback:
    """A DynamoDB-compatible endpoint on 127.0.0.1 (moto's server mode, the `test` extra) and clients for it.

    `client()` is a real boto3 `dynamodb` client pointed at it, with dummy credentials; `new_table()` creates
    a connector table under a fresh name.
    """

    REGION = "us-east-1"

    def __init__(self) -> None:
        from moto.server import ThreadedMotoServer

        self._server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
        self._tables = 0

    @property
    def url(self) -> str:
        host, port = self._server.get_host_and_port()
        return f"http://{host}:{port}"

    def start(self) -> DynamoDBOnLoopback:
        import logging

        logging.getLogger("werkzeug").setLevel(logging.WARNING)  # one access-log line per request otherwise
        self._server.start()
        return self

    def stop(self) -> None:
        self._server.stop()

    def __enter__(self) -> DynamoDBOnLoopback:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def client(self) -> Any:
        import boto3  # type: ignore[import-untyped]

        return boto3.client(
            "dynamodb",
            endpoint_url=self.url,
            region_name=self.REGION,
            aws_access_key_id="loopback",
            aws_secret_access_key="loopback",  # noqa: S106 -- a dummy for the loopback endpoint
        )

    def new_table(self, client: Any = None) -> str:
        from matter_map.connector._store import create_table

        self._tables += 1
        name = f"connector-{self._tables}-{time.monotonic_ns()}"
        create_table(client or self.client(), name)
        return name
