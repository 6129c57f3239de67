"""HttpVendorClient against a loopback vendor cloud: each vendor failure maps to its status, retries stay bounded."""

from __future__ import annotations

import socket
import time
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from matter_map.connector import Credentials, Deadline, HttpVendorClient, Secret, VendorError
from matter_map.connector.loopback import VendorCloudEmulator

LIGHTS = "/clip/v2/resource/light"
TOKEN = "http-test-token"
CREDENTIALS = Credentials("OAuth2.0", Secret(TOKEN))
LAMP = {"id": "lamp-1", "type": "light", "on": {"on": True}, "dimming": {"brightness": 50.0}}


@pytest.fixture(scope="module")
def cloud() -> Iterator[VendorCloudEmulator]:
    with VendorCloudEmulator(
        {LIGHTS: [LAMP]},
        token=TOKEN,
        documents={"/account": {"user": {"id": "acct-7"}}},
        revoke_path="/oauth/revoke",
        lifetime_s=60,
    ) as server:
        yield server  # type: ignore[misc]


@pytest.fixture
def waits() -> list[float]:
    return []


@pytest.fixture
def client(cloud: VendorCloudEmulator, waits: list[float]) -> Iterator[HttpVendorClient]:
    cloud.reset()
    vendor = HttpVendorClient(
        cloud.url,
        list_paths=[LIGHTS],
        state_paths=[LIGHTS + "/{device_id}"],
        user_path="/account",
        user_id_path="user.id",
        timeout_s=0.2,
        max_attempts=3,
        trust_env=False,
        sleep=waits.append,
    )
    yield vendor
    vendor.close()


def budget(seconds: float = 1.0) -> Deadline:
    return Deadline.after(seconds)


def fails(call: Any) -> VendorError:
    with pytest.raises(VendorError) as caught:
        call()
    return caught.value


def test_the_happy_paths(client: HttpVendorClient, cloud: VendorCloudEmulator) -> None:
    assert client.user_id(CREDENTIALS, budget()) == "acct-7"
    assert [d["id"] for d in client.list_devices(CREDENTIALS, budget())] == ["lamp-1"]
    assert client.get_state(CREDENTIALS, "lamp-1", budget())["on"] == {"on": True}
    request = {
        "method": "PUT",
        "url": LIGHTS + "/lamp-1",
        "headers": {"Content-Type": "application/json"},
        "body": {"on": {"on": False}},
    }
    client.send(CREDENTIALS, request, budget())
    assert cloud.resource(LIGHTS, "lamp-1")["on"] == {"on": False}
    assert all(r.header("Authorization") == f"Bearer {TOKEN}" for r in cloud.received)
    cloud.change(LIGHTS, "lamp-1", {"on": {"on": True}})


@pytest.mark.parametrize(("vendor_status", "expected"), [(401, 401), (403, 401), (400, 400), (409, 400)])
def test_client_errors_are_mapped_and_not_retried(
    client: HttpVendorClient, cloud: VendorCloudEmulator, vendor_status: int, expected: int
) -> None:
    cloud.fail_next(vendor_status)
    error = fails(lambda: client.get_state(CREDENTIALS, "lamp-1", budget()))
    assert (error.status, error.vendor_status) == (expected, vendor_status)
    assert len(cloud.received) == 1


def test_a_wrong_token_is_401(client: HttpVendorClient, cloud: VendorCloudEmulator) -> None:
    error = fails(lambda: client.list_devices(Credentials("OAuth2.0", Secret("other")), budget()))
    assert error.status == 401


def test_an_unknown_device_is_404_after_every_state_path(cloud: VendorCloudEmulator, waits: list[float]) -> None:
    vendor = HttpVendorClient(
        cloud.url,
        list_paths=[],
        state_paths=["/clip/v2/resource/motion/{device_id}", LIGHTS + "/{device_id}"],
        trust_env=False,
    )
    cloud.reset()
    assert vendor.get_state(CREDENTIALS, "lamp-1", budget())["id"] == "lamp-1"  # found on the second path
    assert fails(lambda: vendor.get_state(CREDENTIALS, "nope", budget())).status == 404
    assert [r.path for r in cloud.received[-2:]] == ["/clip/v2/resource/motion/nope", LIGHTS + "/nope"]
    vendor.close()


def test_429_is_retried_then_succeeds(client: HttpVendorClient, cloud: VendorCloudEmulator, waits: list[float]) -> None:
    cloud.fail_next(429, headers={"Retry-After": "0.25"})
    assert client.get_state(CREDENTIALS, "lamp-1", budget())["id"] == "lamp-1"
    assert len(cloud.received) == 2
    assert waits == [0.25]  # Retry-After honoured


def test_429_after_every_attempt_is_429(
    client: HttpVendorClient, cloud: VendorCloudEmulator, waits: list[float]
) -> None:
    cloud.fail_next(429, count=3, headers={"Retry-After": "0"})
    error = fails(lambda: client.get_state(CREDENTIALS, "lamp-1", budget()))
    assert error.status == 429
    assert len(cloud.received) == 3
    assert len(waits) == 2


def test_a_retry_after_beyond_the_budget_is_not_waited_for(
    client: HttpVendorClient, cloud: VendorCloudEmulator, waits: list[float]
) -> None:
    cloud.fail_next(429, headers={"Retry-After": "30"})
    started = time.monotonic()
    error = fails(lambda: client.get_state(CREDENTIALS, "lamp-1", budget(1.0)))
    assert error.status == 429
    assert len(cloud.received) == 1
    assert waits == []
    assert time.monotonic() - started < 5  # not the 30 s asked for


def test_5xx_on_idempotent_requests_is_retried_then_503(
    client: HttpVendorClient, cloud: VendorCloudEmulator, waits: list[float]
) -> None:
    cloud.fail_next(500, count=3)
    error = fails(lambda: client.get_state(CREDENTIALS, "lamp-1", budget()))
    assert (error.status, error.vendor_status) == (503, 500)
    assert len(cloud.received) == 3
    assert len(waits) == 2
    assert waits[0] < waits[1] * 2


def test_5xx_once_is_absorbed_by_a_retry(client: HttpVendorClient, cloud: VendorCloudEmulator) -> None:
    cloud.fail_next(502)
    request = {"method": "PUT", "url": LIGHTS + "/lamp-1", "body": {"dimming": {"brightness": 20.0}}}
    client.send(CREDENTIALS, request, budget())
    assert cloud.resource(LIGHTS, "lamp-1")["dimming"]["brightness"] == 20.0
    assert [r.method for r in cloud.received] == ["PUT", "PUT"]


def test_5xx_on_post_is_not_retried(client: HttpVendorClient, cloud: VendorCloudEmulator) -> None:
    cloud.fail_next(503)
    error = fails(lambda: client.send(CREDENTIALS, {"method": "POST", "url": "/anything", "body": {}}, budget()))
    assert error.status == 503
    assert len(cloud.received) == 1


def test_a_timeout_is_503_and_the_deadline_cuts_the_retries(
    client: HttpVendorClient, cloud: VendorCloudEmulator
) -> None:
    cloud.fail_next(200, count=3, delay_s=0.5)
    # each attempt may take 0.2 s and three are allowed, but the deadline leaves time for fewer
    error = fails(lambda: client.get_state(CREDENTIALS, "lamp-1", budget(0.25)))
    assert (error.status, error.code) == (503, "vendor-timeout")
    assert 1 <= len(cloud.received) < 3


def test_an_unreachable_vendor_is_503() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    vendor = HttpVendorClient(
        f"http://127.0.0.1:{port}", list_paths=["/x"], state_paths=[], trust_env=False, sleep=lambda s: None
    )
    error = fails(lambda: vendor.list_devices(CREDENTIALS, budget()))
    assert (error.status, error.code) == (503, "vendor-unreachable")


def test_no_budget_left_means_no_request(client: HttpVendorClient, cloud: VendorCloudEmulator) -> None:
    error = fails(lambda: client.get_state(CREDENTIALS, "lamp-1", Deadline(time.monotonic() - 1)))
    assert error.status == 503
    assert cloud.received == []


def test_credentials_never_go_to_another_origin(client: HttpVendorClient, cloud: VendorCloudEmulator) -> None:
    request = {"method": "PUT", "url": "http://127.0.0.2:9/steal", "body": {}}
    error = fails(lambda: client.send(CREDENTIALS, request, budget()))
    assert error.code == "foreign-url"
    assert cloud.received == []


def test_revocation_treats_already_invalid_as_done(client: HttpVendorClient, cloud: VendorCloudEmulator) -> None:
    vendor = HttpVendorClient(cloud.url, list_paths=[], state_paths=[], revoke_path="/oauth/revoke", trust_env=False)
    cloud.fail_next(401)
    vendor.revoke(CREDENTIALS, budget())  # no error
    cloud.fail_next(500)
    assert fails(lambda: vendor.revoke(CREDENTIALS, budget())).status == 503
    vendor.close()


def mock_client(answer: httpx.Response, **options: Any) -> HttpVendorClient:
    return HttpVendorClient(
        "https://vendor.example",
        list_paths=["/devices"],
        state_paths=["/devices/{device_id}"],
        transport=httpx.MockTransport(lambda request: answer),
        **options,
    )


def test_a_body_that_is_not_json_is_503() -> None:
    vendor = mock_client(httpx.Response(200, content=b"<html>"))
    error = fails(lambda: vendor.list_devices(CREDENTIALS, budget()))
    assert (error.status, error.code) == (503, "bad-vendor-response")


def test_a_list_that_is_not_a_list_is_503() -> None:
    vendor = mock_client(httpx.Response(200, json={"data": {"not": "a list"}}))
    assert fails(lambda: vendor.list_devices(CREDENTIALS, budget())).code == "bad-vendor-response"


def test_retry_after_as_an_http_date() -> None:
    waits: list[float] = []
    answers = iter(
        [
            httpx.Response(429, headers={"Retry-After": "Wed, 21 Oct 2015 07:28:00 GMT"}),
            httpx.Response(200, json={"data": []}),
        ]
    )
    vendor = HttpVendorClient(
        "https://vendor.example",
        list_paths=["/devices"],
        state_paths=[],
        transport=httpx.MockTransport(lambda request: next(answers)),
        sleep=waits.append,
    )
    assert vendor.list_devices(CREDENTIALS, budget()) == []
    assert waits == [0.0]  # a date in the past: retry at once


def test_auth_header_templates() -> None:
    seen: list[httpx.Request] = []

    def answer(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, json={"data": []})

    vendor = HttpVendorClient(
        "https://bridge.example",
        list_paths=["/clip/v2/resource/light"],
        state_paths=[],
        auth_headers={"hue-application-key": "{token}"},
        transport=httpx.MockTransport(answer),
    )
    vendor.list_devices(CREDENTIALS, budget())
    assert seen[0].headers["hue-application-key"] == TOKEN
    assert "authorization" not in seen[0].headers
