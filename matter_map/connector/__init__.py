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
    is_schedule_event,
    load_mappings,
    make_handler,
    new_trace_id,
    reply,
    stable_user_id,
    state_digest,
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
from matter_map.connector._http_vendor import HttpVendorClient, NoCookies
from matter_map.connector._idempotency import IdempotentCommands
from matter_map.connector._paths import check_vendor_id, request_path_is_safe
from matter_map.connector._secrets import Secret, SecretResolver, SecretsManagerResolver, quiet_aws_logs
from matter_map.connector._store import ConnectorStore, CredentialReference, DeviceRecord, DynamoDBStore, UserRecord
from matter_map.connector._vendor import VendorClient
from matter_map.connector._webhook import WebhookConfig, is_function_url_event, sign, updates_of
from matter_map.selection import folder_profile

__all__ = [
    "GENERAL",
    "OAUTH",
    "Boto3EventSender",
    "Connector",
    "ConnectorError",
    "ConnectorStore",
    "CredentialReference",
    "Credentials",
    "Deadline",
    "DeviceRecord",
    "DynamoDBStore",
    "EventSender",
    "HttpVendorClient",
    "IdempotentCommands",
    "NoCookies",
    "Secret",
    "SecretResolver",
    "SecretsManagerResolver",
    "UserRecord",
    "VendorClient",
    "VendorError",
    "WebhookConfig",
    "applied_writes",
    "check_vendor_id",
    "credentials_from",
    "deep_merge",
    "default_client",
    "folder_profile",
    "is_function_url_event",
    "is_schedule_event",
    "load_mappings",
    "make_handler",
    "new_trace_id",
    "quiet_aws_logs",
    "reply",
    "request_path_is_safe",
    "sanitise_message",
    "sign",
    "stable_user_id",
    "state_digest",
    "translation_error",
    "updates_of",
    "vendor_status_error",
]
