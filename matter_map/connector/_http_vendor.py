"""A vendor cloud over HTTP (httpx): configured paths and auth headers, one deadline per call, bounded retries.

The shared client keeps no per-user state: cookies the vendor sets are never stored (so never replayed on
another user's request), and header values never reach a log (a credential with CR, LF or NUL is refused
before httpx sees it, so no protocol error can echo it). The deadline covers the whole call: connecting,
the headers and the body, which is read in chunks against it (a vendor that drips its answer is cut off).
"""

from __future__ import annotations

import email.utils
import http.cookiejar
import json
import logging
import random
import re
import time
import urllib.request
from collections.abc import Callable, Mapping, Sequence
from typing import Any
from urllib.parse import quote, urlsplit

import httpx

from matter_map.connector._auth import Credentials
from matter_map.connector._deadline import Deadline
from matter_map.connector._errors import VendorError, vendor_status_error
from matter_map.connector._log_redaction import redact_library_logs
from matter_map.connector._paths import check_vendor_id, request_path_is_safe
from matter_map.paths import MISSING, VendorPath

log = logging.getLogger("matter_map.connector.vendor")

IDEMPOTENT = frozenset({"GET", "HEAD", "PUT", "DELETE", "OPTIONS"})
MAX_BODY_BYTES = 8 * 1024 * 1024
#: vendor JSON nested deeper than this is refused (the translator and the service need a handful of levels)
MAX_JSON_DEPTH = 64
# a header value: visible ASCII, spaces and tabs inside (RFC 9110 field-value, no obs-text)
_HEADER_VALUE = re.compile(r"[\x21-\x7e]([\x20-\x7e\t]*[\x21-\x7e])?|")


class NoCookies(http.cookiejar.CookieJar):
    """A cookie jar that stores nothing: a shared client must not carry one user's cookies to the next."""

    def set_cookie(self, cookie: http.cookiejar.Cookie) -> None:
        return

    def extract_cookies(self, response: Any, request: urllib.request.Request) -> None:
        return


class HttpVendorClient:
    """The `VendorClient` for JSON-over-HTTP vendor clouds.

    `auth_headers` are templates where `{token}` is the credential (`{"Authorization": "Bearer {token}"}`, or
    Hue's `{"hue-application-key": "{token}"}`); they go only to `base_url`'s origin. Paths are relative to
    `base_url`; `{device_id}` in `state_paths` is the percent-encoded vendor id. Failed requests are retried
    (at most `max_attempts` in all) when that is safe and the deadline leaves time: 429 always (honouring
    `Retry-After`), 5xx and read timeouts for idempotent methods, connection failures always.
    """

    def __init__(
        self,
        base_url: str,
        *,
        list_paths: Sequence[str],
        state_paths: Sequence[str],
        list_items_path: str = "data",
        state_item_path: str = "data[0]",
        user_path: str | None = None,
        user_id_path: str = "id",
        revoke_path: str | None = None,
        revoke_method: str = "POST",
        auth_headers: Mapping[str, str] | None = None,
        headers: Mapping[str, str] | None = None,
        timeout_s: float = 1.0,
        connect_timeout_s: float = 0.5,
        max_attempts: int = 3,
        backoff_s: float = 0.05,
        transport: httpx.BaseTransport | None = None,
        trust_env: bool = True,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        if max_attempts < 1:
            raise ValueError("max_attempts must be at least 1")
        self.base_url = base_url.rstrip("/")
        self.origin = _origin(self.base_url)
        self.list_paths = tuple(list_paths)
        self.state_paths = tuple(state_paths)
        self.list_items_path = VendorPath.parse(list_items_path)
        self.state_item_path = VendorPath.parse(state_item_path)
        self.user_path = user_path
        self.user_id_path = VendorPath.parse(user_id_path)
        self.revoke_path = revoke_path
        self.revoke_method = revoke_method.upper()
        self.auth_headers = dict(auth_headers or {"Authorization": "Bearer {token}"})
        self.timeout_s = timeout_s
        self.connect_timeout_s = connect_timeout_s
        self.max_attempts = max_attempts
        self.backoff_s = backoff_s
        self.sleep = sleep
        redact_library_logs()
        static_headers = {"Accept": "application/json", **dict(headers or {})}
        for value in [*static_headers.values(), *self.auth_headers.values()]:
            if not _HEADER_VALUE.fullmatch(value):
                raise ValueError("header values must be visible ASCII without CR, LF or NUL")
        self.base_path = urlsplit(self.base_url).path.rstrip("/")
        self.http = httpx.Client(
            base_url=self.base_url,
            headers=static_headers,
            cookies=NoCookies(),
            transport=transport,
            trust_env=trust_env,
            follow_redirects=False,
        )

    def close(self) -> None:
        self.http.close()

    # --- VendorClient --------------------------------------------------------------------------------

    def user_id(self, credentials: Credentials, deadline: Deadline) -> str:
        if self.user_path is None:
            raise VendorError(500, "not-configured", "no user endpoint is configured for this vendor")
        document = self.request("GET", self.user_path, credentials, deadline, what="the account")
        value = self.user_id_path.get(document)
        if value is MISSING or value is None or isinstance(value, bool | dict | list):
            raise VendorError(503, "bad-vendor-response", "the vendor account response holds no user id")
        return str(value)

    def list_devices(self, credentials: Credentials, deadline: Deadline) -> list[Any]:
        devices: list[Any] = []
        for path in self.list_paths:
            document = self.request("GET", path, credentials, deadline, what="the device list")
            items = self.list_items_path.get(document)
            if not isinstance(items, list):
                raise VendorError(503, "bad-vendor-response", "the vendor device list is not a list")
            devices.extend(item for item in items if isinstance(item, dict))
        return devices

    def get_state(self, credentials: Credentials, device_id: str, deadline: Deadline) -> Any:
        check_vendor_id(device_id)
        encoded = quote(device_id, safe="")
        for template in self.state_paths:
            try:
                document = self.request(
                    "GET", template.replace("{device_id}", encoded), credentials, deadline, what="the device"
                )
            except VendorError as exc:
                if exc.status == 404:
                    continue
                raise
            state = self.state_item_path.get(document)
            if isinstance(state, dict):
                return state
        raise VendorError(404, "not-found", "the vendor does not know the device")

    def send(self, credentials: Credentials, request: Mapping[str, Any], deadline: Deadline) -> Any:
        return self.request(
            str(request["method"]),
            str(request["url"]),
            credentials,
            deadline,
            body=request.get("body"),
            headers=request.get("headers") or {},
            what="the command",
        )

    def revoke(self, credentials: Credentials, deadline: Deadline) -> None:
        if self.revoke_path is None:
            return
        try:
            self.request(self.revoke_method, self.revoke_path, credentials, deadline, what="the revocation")
        except VendorError as exc:
            if exc.status not in (401, 404):  # already invalid or unknown: revoked as far as anyone can tell
                raise

    # --- one request, with retries -------------------------------------------------------------------

    def request(
        self,
        method: str,
        url: str,
        credentials: Credentials,
        deadline: Deadline,
        *,
        body: Any = None,
        headers: Mapping[str, str] | None = None,
        what: str = "the request",
    ) -> Any:
        """Send one request (retrying within the deadline) and decode its JSON body; raises VendorError."""
        method = method.upper()
        self._check_origin(url)
        self._check_path(url)
        all_headers = {**dict(headers or {}), **self._auth(credentials)}
        for name, value in all_headers.items():
            if not (isinstance(value, str) and _HEADER_VALUE.fullmatch(value) and _HEADER_VALUE.fullmatch(name)):
                raise VendorError(401, "bad-header", f"a header of {what} is not a valid header value")
        attempt = 0
        while True:
            attempt += 1
            remaining = deadline.remaining()
            if remaining <= 0:
                raise VendorError(503, "vendor-timeout", f"no time left in the budget for {what}")
            timeout = httpx.Timeout(min(self.timeout_s, remaining), connect=min(self.connect_timeout_s, remaining))
            retry_after: float | None = None
            started = time.perf_counter()
            try:
                status, response_headers, content = self._exchange(
                    method, url, headers=all_headers, body=body, timeout=timeout, deadline=deadline
                )
            except _DeadlinePassedError:
                raise VendorError(503, "vendor-timeout", f"the vendor did not answer {what} in time") from None
            except _TooLargeError:
                raise VendorError(503, "bad-vendor-response", f"the vendor response to {what} is too large") from None
            except httpx.TimeoutException as exc:
                failure = VendorError(503, "vendor-timeout", f"the vendor did not answer {what} in time")
                retryable = isinstance(exc, httpx.ConnectTimeout | httpx.PoolTimeout) or method in IDEMPOTENT
            except httpx.TransportError as exc:
                failure = VendorError(503, "vendor-unreachable", f"the vendor could not be reached for {what}")
                retryable = isinstance(exc, httpx.ConnectError) or method in IDEMPOTENT
            else:
                elapsed_ms = (time.perf_counter() - started) * 1000
                log.debug("vendor %s %s -> %d in %.1f ms", method, _path_only(url), status, elapsed_ms)
                if 200 <= status < 300:
                    return _decode(content, what)
                failure = vendor_status_error(status, what)
                retryable = status == 429 or (status >= 500 and method in IDEMPOTENT)
                if status in (429, 503):
                    retry_after = _retry_after(response_headers.get("Retry-After"))
            if not retryable or attempt >= self.max_attempts:
                raise failure
            wait = retry_after if retry_after is not None else self._backoff(attempt)
            if wait >= deadline.remaining():
                raise failure  # waiting as asked would overrun the budget
            log.debug("vendor %s %s: retry %d in %.3f s", method, _path_only(url), attempt, wait)
            self.sleep(wait)

    def _exchange(
        self,
        method: str,
        url: str,
        *,
        headers: Mapping[str, str],
        body: Any,
        timeout: httpx.Timeout,
        deadline: Deadline,
    ) -> tuple[int, httpx.Headers, bytes]:
        """One request; the body is read (and decompressed) chunk by chunk, checked against the deadline and size."""
        request = self.http.build_request(method, url, headers=headers, json=body, timeout=timeout)
        if not request.url.path.startswith(self.base_path + "/") and request.url.path != self.base_path:
            raise VendorError(400, "bad-url", "a request path leaves the vendor base path")
        response = self.http.send(request, stream=True)
        try:
            chunks: list[bytes] = []
            size = 0
            for chunk in response.iter_bytes():
                size += len(chunk)
                if size > MAX_BODY_BYTES:
                    raise _TooLargeError
                chunks.append(chunk)
                if deadline.remaining() <= 0:
                    raise _DeadlinePassedError
            if deadline.remaining() <= 0:
                raise _DeadlinePassedError
            return response.status_code, response.headers, b"".join(chunks)
        finally:
            response.close()

    def _check_path(self, url: str) -> None:
        if not request_path_is_safe(url):
            raise VendorError(400, "bad-url", "a request path holds a dot segment or an encoded separator")

    def _backoff(self, attempt: int) -> float:
        jitter = random.uniform(0.5, 1.0)  # noqa: S311 -- spreads retries; nothing secret depends on it
        return float(self.backoff_s * (2 ** (attempt - 1)) * jitter)

    def _auth(self, credentials: Credentials) -> dict[str, str]:
        token = credentials.token.reveal()
        return {name: template.replace("{token}", token) for name, template in self.auth_headers.items()}

    def _check_origin(self, url: str) -> None:
        if "://" in url and _origin(url) != self.origin:
            raise VendorError(500, "foreign-url", "a request URL points outside the vendor base URL")


def _origin(url: str) -> tuple[str, str]:
    parts = urlsplit(url)
    return parts.scheme.lower(), parts.netloc.lower()


def _path_only(url: str) -> str:
    return urlsplit(url).path


class _DeadlinePassedError(Exception):
    """The call's deadline passed while the body was still arriving."""


class _TooLargeError(Exception):
    """The body is larger than MAX_BODY_BYTES."""


def _decode(content: bytes, what: str) -> Any:
    if not content.strip():
        return None
    try:
        value = json.loads(content)
    except (ValueError, RecursionError):
        raise VendorError(503, "bad-vendor-response", f"the vendor response to {what} is not JSON") from None
    if content.count(b"[") + content.count(b"{") > MAX_JSON_DEPTH and depth_exceeds(value, MAX_JSON_DEPTH):
        raise VendorError(503, "bad-vendor-response", f"the vendor response to {what} is nested too deeply")
    return value


def depth_exceeds(value: Any, limit: int) -> bool:
    """Whether a decoded JSON value nests arrays/objects more than `limit` deep (walked without recursion)."""
    pending: list[tuple[Any, int]] = [(value, 0)]
    while pending:
        item, depth = pending.pop()
        if isinstance(item, dict | list):
            if depth >= limit:
                return True
            children = item.values() if isinstance(item, dict) else item
            pending.extend((child, depth + 1) for child in children if isinstance(child, dict | list))
    return False


def _retry_after(value: str | None) -> float | None:
    """Seconds from a Retry-After header (delta-seconds or an HTTP date); None when absent or unreadable."""
    if value is None:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - time.time())
