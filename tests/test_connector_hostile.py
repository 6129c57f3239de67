"""The connector against a hostile vendor cloud and hostile ids: no cookies carried across users, no header
value in any log at DEBUG, one deadline for a vendor that drips its answer, deep JSON answered cleanly, and
request paths that stay under their template's prefix for every shipped mapping."""

from __future__ import annotations

import dataclasses
import logging
import socket
import threading
import time
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit

import httpx
import pytest

from matter_map.connector import (
    OAUTH,
    ConnectorError,
    Credentials,
    Deadline,
    HttpVendorClient,
    Secret,
    SecretsManagerResolver,
    VendorError,
    check_vendor_id,
    make_handler,
    request_path_is_safe,
)
from matter_map.connector.loopback import LoopbackServer, ManagedIntegrationsEndpoint, Received, Reply
from matter_map.ir import CompiledMapping, RequestIR, WriteEncodingIR
from matter_map.loader import load_mapping, mapping_files
from matter_map.translator import Translator

from .conftest import HUE, ROOT, SAMPLES, load_json
from .connector_support import RecordingSender, command_event, lambda_event, oauth

LIGHT = load_json(SAMPLES / "extended_color_light.json")


def credentials(token: str) -> Credentials:
    return Credentials(OAUTH, Secret(token))


class CookieCloud(LoopbackServer):
    """Sets a per-user session cookie on every answer and records the Cookie header it receives."""

    def respond(self, request: Received) -> Reply:
        user = (request.header("Authorization") or "").rpartition(" ")[2]
        headers = {"Set-Cookie": f"session=secret-of-{user}; Path=/; HttpOnly"}
        return Reply(200, {"data": [{"id": "x", "bridge_id": user}]}, headers)


def test_vendor_cookies_are_not_replayed_across_users() -> None:
    with CookieCloud(lifetime_s=10) as cloud:
        vendor = HttpVendorClient(
            cloud.url,
            list_paths=["/l"],
            state_paths=["/l/{device_id}"],
            user_path="/me",
            user_id_path="data[0].bridge_id",
            trust_env=False,
        )
        with vendor.http:
            assert vendor.user_id(credentials("alice"), Deadline.after(2)) == "alice"
            assert vendor.user_id(credentials("bob"), Deadline.after(2)) == "bob"
            assert vendor.user_id(credentials("alice"), Deadline.after(2)) == "alice"
        assert [r.header("Cookie") for r in cloud.received] == [None, None, None]
        assert len(vendor.http.cookies) == 0


@pytest.fixture
def debug_logs(caplog: pytest.LogCaptureFixture) -> Iterator[pytest.LogCaptureFixture]:
    """Every library logger at DEBUG for the test (their levels restored afterwards)."""
    names = ("httpx", "httpcore", "botocore", "urllib3", "matter_map")
    levels = {name: logging.getLogger(name).level for name in names}
    with caplog.at_level(logging.DEBUG):
        for name in names:
            logging.getLogger(name).setLevel(logging.DEBUG)
        try:
            yield caplog
        finally:
            for name, level in levels.items():
                logging.getLogger(name).setLevel(level)


def test_no_header_value_reaches_any_log_at_debug(debug_logs: pytest.LogCaptureFixture) -> None:
    tokens = ["plain-token-0001", "bad\r\nX-Injected: yes", "nul\x00token", "tab\tend\n"]
    arn = "arn:aws:secretsmanager:us-east-1:123456789012:secret:debug-user"
    version = "e5f6a7b8-9012-cdef-0123-000000000005"
    with (
        CookieCloud(lifetime_s=10) as cloud,
        ManagedIntegrationsEndpoint(secrets={arn: "secret-token-0002"}, lifetime_s=10) as aws,
    ):
        vendor = HttpVendorClient(
            cloud.url,
            list_paths=["/l"],
            state_paths=["/l/{device_id}"],
            user_path="/me",
            user_id_path="data[0].bridge_id",
            trust_env=False,
        )
        connector = make_handler(
            [load_mapping(HUE / "extended_color_light.yaml").compiled],
            vendor,
            events_client=aws_client("iot-managed-integrations", aws.url),
            secret_resolver=SecretsManagerResolver(aws_client("secretsmanager", aws.url)),
            connector_id="c",
        )
        with connector:
            replies = [connector(lambda_event("AWS.ActivateUser", oauth(token)), None) for token in tokens]
            general = {"type": "GeneralAuthorization", "secretsManager": {"arn": arn, "versionId": version}}
            discovery = connector(lambda_event("AWS.DiscoverDevices", general, deviceDiscoveryId="d1"), None)
    assert [r["header"]["responseCode"] for r in replies] == [200, 401, 401, 401]
    assert discovery["header"]["responseCode"] == 200
    assert len(cloud.received) == 3  # the malformed tokens never left the process
    signatures = [r.header("Authorization") for r in aws.received]
    assert len(signatures) == 2
    assert all(s and s.startswith("AWS4-HMAC-SHA256") for s in signatures)
    records = debug_logs.records
    text = "\n".join(f"{r.name} {r.getMessage()} {r.exc_text or ''} {r.args!r}" for r in records)
    assert any(r.name.startswith("httpcore") for r in records)  # the DEBUG logs were on
    assert any(r.name.startswith("botocore") for r in records)
    values = ["plain-token-0001", "secret-token-0002", "X-Injected", "nul\x00token", "secret-of-", "tab\tend"]
    for value in [*values, *(s.rpartition("Signature=")[2] for s in signatures if s)]:
        assert value not in text
    assert all("Injected" not in str(reply) for reply in replies)


def aws_client(service: str, url: str) -> Any:
    import boto3  # type: ignore[import-untyped]

    return boto3.client(
        service,
        endpoint_url=url,
        region_name="us-east-1",
        aws_access_key_id="local",
        aws_secret_access_key="local",
    )


class DrippingCloud(LoopbackServer):
    """Answers with headers at once, then the body one byte every `interval_s` (10 s for the whole body)."""

    def __init__(self, interval_s: float = 0.05) -> None:
        super().__init__(lifetime_s=15)
        self.interval_s = interval_s
        self._listener = socket.create_server(("127.0.0.1", 0))
        self._stop = threading.Event()

    @property
    def url(self) -> str:
        host, port = self._listener.getsockname()[:2]
        return f"http://{host}:{port}"

    def start(self) -> DrippingCloud:
        threading.Thread(target=self._serve, daemon=True).start()
        return self

    def stop(self) -> None:
        self._stop.set()
        self._listener.close()

    def _serve(self) -> None:
        while not self._stop.is_set():
            try:
                connection, _ = self._listener.accept()
            except OSError:
                return
            threading.Thread(target=self._drip, args=(connection,), daemon=True).start()

    def _drip(self, connection: socket.socket) -> None:
        body = b'{"data": [{"id": "x", "bridge_id": "' + b"a" * 200 + b'"}]}'
        with connection:
            connection.recv(65536)
            connection.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n")
            connection.sendall(b"Content-Length: " + str(len(body)).encode() + b"\r\n\r\n")
            for byte in body:
                if self._stop.is_set():
                    return
                try:
                    connection.sendall(bytes([byte]))
                except OSError:
                    return
                time.sleep(self.interval_s)


def test_a_dripping_vendor_is_cut_off_at_the_deadline() -> None:
    with DrippingCloud() as cloud:
        vendor = HttpVendorClient(
            cloud.url,
            list_paths=["/l"],
            state_paths=["/l/{device_id}"],
            user_path="/me",
            user_id_path="data[0].bridge_id",
            trust_env=False,
            timeout_s=1.0,
        )
        with vendor.http:
            started = time.monotonic()
            with pytest.raises(VendorError) as failed:
                vendor.user_id(credentials("t"), Deadline.after(0.5))
            elapsed = time.monotonic() - started
    assert (failed.value.status, failed.value.code) == (503, "vendor-timeout")
    assert elapsed < 1.0  # the whole body would take 12 s; each read alone never times out


def test_a_dripping_vendor_gets_the_service_an_answer_within_the_budget() -> None:
    with DrippingCloud() as cloud:
        vendor = HttpVendorClient(
            cloud.url,
            list_paths=["/l"],
            state_paths=["/l/{device_id}"],
            user_path="/me",
            user_id_path="data[0].bridge_id",
            trust_env=False,
        )
        connector = make_handler(
            [load_mapping(HUE / "extended_color_light.yaml").compiled],
            vendor,
            event_sender=RecordingSender(),
            connector_id="c",
            budget_s=1.5,
        )
        with connector:
            started = time.monotonic()
            reply = connector(lambda_event("AWS.ActivateUser", oauth("t")), None)
            elapsed = time.monotonic() - started
    assert reply["header"]["responseCode"] == 503
    assert elapsed < 2.0  # the service's own timeout


@pytest.mark.parametrize("depth", [65, 5_000, 200_000])
def test_deep_vendor_json_is_a_clean_error(depth: int) -> None:
    deep = b'{"data": [' + b"[" * depth + b"]" * depth + b"]}"
    vendor = HttpVendorClient(
        "https://vendor.example",
        list_paths=["/l"],
        state_paths=["/l/{device_id}"],
        transport=httpx.MockTransport(lambda request: httpx.Response(200, content=deep)),
    )
    sender = RecordingSender()
    connector = make_handler(
        [load_mapping(HUE / "extended_color_light.yaml").compiled], vendor, event_sender=sender, connector_id="c"
    )
    with connector:
        reply = connector(command_event(oauth("t"), LIGHT["id"], "trace-deep", ("0x0006", "0x01", {})), None)
    assert reply["header"]["responseCode"] == 503
    assert (
        "nested too deeply" in reply["payload"]["responseMessage"] or "not JSON" in reply["payload"]["responseMessage"]
    )
    assert sender.sent[0]["StatusCode"] == 503


HOSTILE_IDS = [
    ".",
    "..",
    "%2E",
    "%2e%2E",
    "．．",
    "．",
    "%EF%BC%8E%EF%BC%8E",
    "../x",
    "x/..",
    "a/../b",
    "..%2F",
    "%2F",
    "a%2Fb",
    "a%252Fb",
    "..\\",
    "\\",
    "a\x00b",
    "a\nb",
]


@pytest.mark.parametrize("vendor_id", HOSTILE_IDS)
def test_hostile_device_ids_are_refused_before_a_url_is_built(vendor_id: str) -> None:
    with pytest.raises(ConnectorError) as refused:
        check_vendor_id(vendor_id)
    assert (refused.value.status, refused.value.code) == (400, "bad-device-id")


def test_a_hostile_connector_device_id_never_reaches_the_vendor() -> None:
    seen: list[httpx.Request] = []
    vendor = HttpVendorClient(
        "https://vendor.example",
        list_paths=["/l"],
        state_paths=["/clip/v2/resource/light/{device_id}"],
        transport=httpx.MockTransport(lambda request: seen.append(request) or httpx.Response(200, json={"data": []})),
    )
    connector = make_handler(
        [load_mapping(HUE / "extended_color_light.yaml").compiled],
        vendor,
        event_sender=RecordingSender(),
        connector_id="c",
    )
    with connector:
        for device in ["@2E@2E", "@2E", "@EF@BC@8E@EF@BC@8E", "a@2F@2E@2E", "@25@32@46", "@FF"]:
            reply = connector(command_event(oauth("t"), device, "trace-id", ("0x0006", "0x01", {})), None)
            assert reply["header"]["responseCode"] == 400, device
    assert seen == []


def _templates(node: Any) -> Iterator[str]:
    """Every URL template in a compiled mapping (write encodings and request templates, wherever they are)."""
    if isinstance(node, RequestIR | WriteEncodingIR):
        yield str(node.url)
    if dataclasses.is_dataclass(node) and not isinstance(node, type):
        for item in dataclasses.fields(node):
            yield from _templates(getattr(node, item.name))
    elif isinstance(node, tuple | list):
        for item in node:
            yield from _templates(item)


def shipped_mappings() -> list[CompiledMapping]:
    return [load_mapping(path).compiled for path in mapping_files([ROOT / "mappings"])]


def test_every_shipped_url_template_stays_under_its_prefix() -> None:
    sent: list[httpx.Request] = []
    seen_templates: set[str] = set()
    checked = refused = 0
    for compiled in shipped_mappings():
        translator = Translator(compiled)
        base = compiled.base_url or "https://vendor.example/api"
        vendor = HttpVendorClient(
            base,
            list_paths=["/l"],
            state_paths=["/l/{device_id}"],
            transport=httpx.MockTransport(lambda request: sent.append(request) or httpx.Response(200, json={})),
        )
        templates = sorted(set(_templates(compiled)))  # sensors declare none
        seen_templates.update(templates)
        for template in templates:
            prefix = urlsplit(base.rstrip("/") + template.split("{", 1)[0]).path
            for vendor_id in [*HOSTILE_IDS, "ordinary-id-1"]:
                try:
                    url = translator.url(template, vendor_id, {"EffectIdentifier": "1"})
                except (ValueError, UnicodeError):
                    refused += 1
                    continue
                before = len(sent)
                if not request_path_is_safe(url):
                    with pytest.raises(VendorError) as failed:
                        vendor.send(credentials("t"), {"method": "PUT", "url": url, "body": {}}, Deadline.after(2))
                    assert (failed.value.status, failed.value.code) == (400, "bad-url"), (template, vendor_id)
                    assert len(sent) == before
                    refused += 1
                    continue
                vendor.send(credentials("t"), {"method": "PUT", "url": url, "body": {}}, Deadline.after(2))
                [request] = sent[before:]
                assert request.url.path.startswith(prefix), (compiled.identity, template, vendor_id, request.url)
                assert ".." not in request.url.path.split("/")
                checked += 1
        vendor.close()
    assert len(seen_templates) >= 10
    assert checked >= len(seen_templates)
    assert refused >= len(HOSTILE_IDS)
