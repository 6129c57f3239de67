"""SendConnectorEvent through boto3's iot-managed-integrations client; every request is checked before it leaves."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any, Protocol

from matter_map.connector._errors import ConnectorError
from matter_map.payload_check import ensure_valid_connector_event

log = logging.getLogger("matter_map.connector.events")

SERVICE = "iot-managed-integrations"


class EventSender(Protocol):
    def send(self, request: Mapping[str, Any]) -> None:
        """Deliver one SendConnectorEvent request or raise ConnectorError."""
        ...


def default_client(**kwargs: Any) -> Any:
    """The boto3 client with timeouts that fit the 2 s invocation budget (`kwargs` go to `boto3.client`)."""
    import boto3  # type: ignore[import-untyped]
    from botocore.config import Config

    config = Config(connect_timeout=0.3, read_timeout=0.5, retries={"total_max_attempts": 2, "mode": "standard"})
    return boto3.client(SERVICE, config=kwargs.pop("config", config), **kwargs)


class Boto3EventSender:
    """The `EventSender` over a boto3 client (created on first use when none is given).

    Each request is checked with `ensure_valid_connector_event` unless `check=False` (the connector checks
    every request itself before handing it over).
    """

    def __init__(self, client: Any = None, *, check: bool = True) -> None:
        self._client = client
        self.check = check

    @property
    def client(self) -> Any:
        if self._client is None:
            self._client = default_client()
        return self._client

    def close(self) -> None:
        if self._client is not None:
            self._client.close()

    def send(self, request: Mapping[str, Any]) -> None:
        if self.check:
            ensure_valid_connector_event(request)
        from botocore.exceptions import BotoCoreError, ClientError

        try:
            self.client.send_connector_event(**request)
        except ClientError as exc:
            code = str(exc.response.get("Error", {}).get("Code", "unknown"))
            status = exc.response.get("ResponseMetadata", {}).get("HTTPStatusCode")
            log.warning("SendConnectorEvent %s refused: %s %s", request.get("Operation"), status, code)
            raise ConnectorError(503, "event-not-delivered", f"SendConnectorEvent was refused with {code}") from None
        except BotoCoreError as exc:
            log.warning("SendConnectorEvent %s failed: %s", request.get("Operation"), type(exc).__name__)
            raise ConnectorError(503, "event-not-delivered", "SendConnectorEvent could not be delivered") from None
