"""The Hue connector Lambda: the shipped Hue mappings, the Hue CLIP v2 API over HTTP, and matter_map's handler.

One function serves the AWS.* operations, the vendor webhook (its Function URL) and the poll schedule
(EventBridge); users and devices live in the DynamoDB table `TABLE_NAME`, which also holds the SendCommand
idempotency records. Secrets (the Hue application key, the webhook signing secret) are read from Secrets
Manager by ARN through Powertools' parameters utility, which caches them for the warm instance.
"""

from __future__ import annotations

import functools
import os
from pathlib import Path
from typing import Any

from matter_map.connector import Connector, HttpVendorClient, Secret, WebhookConfig, load_mappings, make_handler

HERE = Path(__file__).resolve().parent
LIGHT = "/clip/v2/resource/light"
MOTION = "/clip/v2/resource/motion"
BRIDGE = "/clip/v2/resource/bridge"
#: Hue's remote API wants the application key (the bridge whitelist entry) beside the OAuth bearer token
APPLICATION_KEY_HEADER = "hue-application-key"


def hue_client(
    base_url: str, *, application_key: str | None = None, revoke_path: str | None = None, **options: Any
) -> HttpVendorClient:
    """Hue CLIP v2: lights and motion services, `{"errors": [], "data": [...]}`, the bridge id as the user id."""
    headers = dict(options.pop("headers", {}))
    if application_key:
        headers[APPLICATION_KEY_HEADER] = application_key
    return HttpVendorClient(
        base_url,
        list_paths=[LIGHT, MOTION],
        state_paths=[LIGHT + "/{device_id}", MOTION + "/{device_id}"],
        user_path=BRIDGE,
        user_id_path="data[0].bridge_id",
        revoke_path=revoke_path,
        headers=headers,
        **options,
    )


def build(
    base_url: str,
    mappings: str | Path,
    *,
    client_options: dict[str, Any] | None = None,
    application_key: str | None = None,
    revoke_path: str | None = None,
    webhook_secret: str | None = None,
    **options: Any,
) -> Connector:
    """The handler: `options` go to `make_handler` (events_client, connector_id, table_name, budget_s, ...)."""
    client = hue_client(base_url, application_key=application_key, revoke_path=revoke_path, **(client_options or {}))
    webhook = WebhookConfig(Secret(webhook_secret)) if webhook_secret else None
    return make_handler(load_mappings(mappings), client, webhook=webhook, **options)


def _secret(arn_variable: str) -> str | None:
    arn = os.environ.get(arn_variable)
    if not arn:
        return None
    from aws_lambda_powertools.utilities import parameters

    value = parameters.get_secret(arn, max_age=300)
    return value if isinstance(value, str) else None


@functools.cache
def _connector() -> Connector:
    # built on the first invocation of a Lambda instance and reused while it stays warm
    return build(
        os.environ["HUE_BASE_URL"],
        os.environ.get("MAPPINGS_DIR", str(HERE / "mappings")),
        connector_id=os.environ.get("CONNECTOR_ID") or None,
        table_name=os.environ.get("TABLE_NAME") or None,
        application_key=_secret("HUE_APPLICATION_KEY_ARN"),
        revoke_path=os.environ.get("HUE_REVOKE_PATH") or None,
        webhook_secret=_secret("WEBHOOK_SECRET_ARN"),
    )


if "HUE_BASE_URL" in os.environ:
    _connector()  # in Lambda: load the mappings during the init phase, not in the first invocation


def handler(event: Any, context: Any) -> dict[str, Any]:
    """The Lambda entry point: AWS.* operations, the webhook Function URL and the poll schedule."""
    return _connector()(event, context)
