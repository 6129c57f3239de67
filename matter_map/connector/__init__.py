"""Run mappings inside an AWS IoT Managed Integrations C2C connector Lambda (the only part using boto3 and httpx)."""

try:
    import httpx  # noqa: F401 -- imported by the vendor client below; checked first for a clear message
except ModuleNotFoundError as exc:
    raise ModuleNotFoundError(
        f"matter_map.connector needs the `connector` extra ({exc.name} is not installed): "
        "pip install 'matter-map[connector]'",
        name=exc.name,
    ) from None

from matter_map.connector._auth import GENERAL, OAUTH, Credentials, credentials_from
from matter_map.connector._connector import (
    Connector,
    applied_writes,
    deep_merge,
    load_mappings,
    make_handler,
    new_trace_id,
    reply,
    stable_user_id,
)
from matter_map.connector._deadline import Deadline
from matter_map.connector._errors import (
    ConnectorError,
    VendorError,
    sanitise_message,
    translation_error,
    vendor_status_error,
)
from matter_map.connector._events import Boto3EventSender, EventSender, default_client
from matter_map.connector._http_vendor import HttpVendorClient
from matter_map.connector._secrets import Secret, SecretResolver, SecretsManagerResolver, quiet_aws_logs
from matter_map.connector._vendor import VendorClient

__all__ = [
    "GENERAL",
    "OAUTH",
    "Boto3EventSender",
    "Connector",
    "ConnectorError",
    "Credentials",
    "Deadline",
    "EventSender",
    "HttpVendorClient",
    "Secret",
    "SecretResolver",
    "SecretsManagerResolver",
    "VendorClient",
    "VendorError",
    "applied_writes",
    "credentials_from",
    "deep_merge",
    "default_client",
    "load_mappings",
    "make_handler",
    "new_trace_id",
    "quiet_aws_logs",
    "reply",
    "sanitise_message",
    "stable_user_id",
    "translation_error",
    "vendor_status_error",
]
