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
from collections.abc import Iterable, Mapping
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
    `auth_format` with the token, else 401; answers are `{"errors": [], "data": [...]}`.
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
        lifetime_s: float = 60.0,
    ) -> None:
        super().__init__(lifetime_s=lifetime_s)
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
        if request.header(self.auth_header) != self.expected_auth or self.revoked:
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
    """Stands in for AWS: records `POST /connector-event/{ConnectorId}` (rest-json) and answers Secrets Manager
    `GetSecretValue` (json 1.1) from `secrets` (ARN → SecretString)."""

    def __init__(self, *, secrets: Mapping[str, str] | None = None, lifetime_s: float = 60.0) -> None:
        super().__init__(lifetime_s=lifetime_s)
        self.secrets = dict(secrets or {})

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

    def respond(self, request: Received) -> Reply:
        path = urlsplit(request.path).path
        if request.method == "POST" and path.startswith("/connector-event/"):
            return Reply(202, {"ConnectorId": unquote(path.rpartition("/")[2])})
        if request.header("X-Amz-Target") == "secretsmanager.GetSecretValue":
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
        return Reply(404, {"message": "no such operation here"}, {"x-amzn-ErrorType": "ResourceNotFoundException"})


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
