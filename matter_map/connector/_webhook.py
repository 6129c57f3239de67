"""Vendor webhooks through a Lambda Function URL: the request verified by an HMAC signature, its updates listed.

The vendor signs the raw body with a shared secret: `signature_header` carries `signature_prefix` followed by
the hex HMAC-SHA256 of the body. The comparison is constant-time (`hmac.compare_digest`); a request without a
valid signature is refused before its body is parsed.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from matter_map.connector._errors import ConnectorError
from matter_map.connector._http_vendor import MAX_JSON_DEPTH, depth_exceeds
from matter_map.connector._secrets import Secret

MAX_WEBHOOK_BYTES = 256 * 1024


@dataclass(frozen=True, slots=True)
class WebhookConfig:
    """How the vendor signs its webhook requests."""

    secret: Secret
    signature_header: str = "x-signature"
    signature_prefix: str = "sha256="
    max_body_bytes: int = MAX_WEBHOOK_BYTES


def is_function_url_event(event: Any) -> bool:
    """A Lambda Function URL (or API Gateway HTTP API, payload 2.0) request event."""
    if not isinstance(event, dict):
        return False
    context = event.get("requestContext")
    return isinstance(context, dict) and isinstance(context.get("http"), dict)


def sign(secret: str, body: bytes, prefix: str = "sha256=") -> str:
    """The signature header value a vendor sends for `body` (used by tests and local runs)."""
    return prefix + hmac.new(secret.encode("utf-8"), body, hashlib.sha256).hexdigest()


def verified_body(event: Mapping[str, Any], config: WebhookConfig) -> Any:
    """The JSON body of a Function URL request whose signature is valid; ConnectorError (401/400/413) otherwise."""
    raw = event.get("body")
    if raw is None:
        raw = ""
    if not isinstance(raw, str):
        raise ConnectorError(400, "bad-webhook", "the webhook request has no text body")
    if len(raw) > config.max_body_bytes * 2:
        raise ConnectorError(413, "webhook-too-large", "the webhook body is too large")
    body = raw.encode("utf-8")
    if event.get("isBase64Encoded") is True:
        try:
            body = base64.b64decode(body, validate=True)
        except (binascii.Error, ValueError):
            raise ConnectorError(400, "bad-webhook", "the webhook body is not valid base64") from None
    if len(body) > config.max_body_bytes:
        raise ConnectorError(413, "webhook-too-large", "the webhook body is too large")
    headers = event.get("headers")
    given = _header(headers, config.signature_header)
    expected = sign(config.secret.reveal(), body, config.signature_prefix)
    if given is None or not hmac.compare_digest(given.encode("utf-8", "replace"), expected.encode("utf-8")):
        raise ConnectorError(401, "bad-signature", "the webhook signature is missing or wrong")
    try:
        document = json.loads(body)
    except (ValueError, RecursionError):
        raise ConnectorError(400, "bad-webhook", "the webhook body is not JSON") from None
    if depth_exceeds(document, MAX_JSON_DEPTH):
        raise ConnectorError(400, "bad-webhook", "the webhook body is nested too deeply")
    return document


def updates_of(document: Any) -> list[dict[str, Any]]:
    """The resource updates in a webhook body: Hue's event stream (`[{"type": "update", "data": [...]}]`), an
    object with a `data` list, or one resource object."""
    items = document if isinstance(document, list) else [document]
    updates: list[dict[str, Any]] = []
    for item in items:
        if not isinstance(item, dict):
            continue
        data = item.get("data")
        if isinstance(data, list):
            if item.get("type", "update") in ("update", "add"):
                updates.extend(d for d in data if isinstance(d, dict))
        else:
            updates.append(item)
    return updates


def http_response(status: int, **body: Any) -> dict[str, Any]:
    """A Function URL response."""
    return {"statusCode": status, "headers": {"content-type": "application/json"}, "body": json.dumps(body)}


def _header(headers: Any, name: str) -> str | None:
    if not isinstance(headers, dict):
        return None
    wanted = name.lower()
    for key, value in headers.items():
        if isinstance(key, str) and key.lower() == wanted and isinstance(value, str):
            return value
    return None
