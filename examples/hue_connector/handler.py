"""The Hue connector Lambda: the shipped Hue mappings, the Hue CLIP v2 API over HTTP, and matter_map's handler."""

from __future__ import annotations

import functools
import os
from pathlib import Path
from typing import Any

from matter_map.connector import Connector, HttpVendorClient, load_mappings, make_handler

HERE = Path(__file__).resolve().parent
LIGHT = "/clip/v2/resource/light"
MOTION = "/clip/v2/resource/motion"


def hue_client(base_url: str, **options: Any) -> HttpVendorClient:
    """Hue CLIP v2: lights and motion services, `{"errors": [], "data": [...]}`, the bridge id as the user id."""
    return HttpVendorClient(
        base_url,
        list_paths=[LIGHT, MOTION],
        state_paths=[LIGHT + "/{device_id}", MOTION + "/{device_id}"],
        user_path="/clip/v2/resource/bridge",
        user_id_path="data[0].bridge_id",
        **options,
    )


def build(
    base_url: str, mappings: str | Path, *, client_options: dict[str, Any] | None = None, **options: Any
) -> Connector:
    """The handler: `options` go to `make_handler` (events_client, connector_id, budget_s, ...)."""
    return make_handler(load_mappings(mappings), hue_client(base_url, **(client_options or {})), **options)


@functools.cache
def _connector() -> Connector:
    # built on the first invocation of a Lambda instance and reused while it stays warm
    return build(
        os.environ["HUE_BASE_URL"],
        os.environ.get("MAPPINGS_DIR", str(HERE / "mappings")),
        connector_id=os.environ.get("CONNECTOR_ID") or None,
    )


if "HUE_BASE_URL" in os.environ:
    _connector()  # in Lambda: load the mappings during the init phase, not in the first invocation


def handler(event: Any, context: Any) -> dict[str, Any]:
    """The Lambda entry point for AWS.ActivateUser, AWS.DiscoverDevices, AWS.SendCommand, AWS.DeactivateUser."""
    return _connector()(event, context)
