"""The vendor credential of one invocation, from `header.auth`: an OAuth token or a Secrets Manager reference."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from matter_map.connector._errors import ConnectorError, at_request
from matter_map.connector._secrets import Secret, SecretResolver

OAUTH = "OAuth2.0"
GENERAL = "GeneralAuthorization"
_AUTH = at_request("header.auth")


@dataclass(frozen=True, slots=True)
class Credentials:
    """`kind` is OAuth2.0 or GeneralAuthorization; `token` is the vendor credential (never shown)."""

    kind: str
    token: Secret


def credentials_from(event: Mapping[str, Any], resolve_secret: SecretResolver) -> Credentials:
    """Read `header.auth` of an AWS.* Lambda event; a missing or malformed credential is a 401."""
    header = event.get("header")
    auth = header.get("auth") if isinstance(header, dict) else None
    if not isinstance(auth, dict):
        raise ConnectorError(401, "missing-auth", "the request carries no header.auth", location=_AUTH)
    kind = auth.get("type")
    if kind == OAUTH:
        token = auth.get("token")
        if not isinstance(token, str) or not token:
            raise ConnectorError(401, "missing-auth", "the OAuth2.0 auth carries no token", location=_AUTH)
        return Credentials(OAUTH, Secret(token))
    if kind == GENERAL:
        reference = auth.get("secretsManager")
        arn = reference.get("arn") if isinstance(reference, dict) else None
        version = reference.get("versionId") if isinstance(reference, dict) else None
        if not isinstance(arn, str) or not arn or not (version is None or isinstance(version, str)):
            raise ConnectorError(
                401, "missing-auth", "the GeneralAuthorization auth carries no secretsManager arn", location=_AUTH
            )
        try:
            secret = resolve_secret(arn, version)
        except Exception as exc:  # noqa: BLE001 -- any resolver failure is one outcome; its text may hold secrets
            raise ConnectorError(
                500, "secret-unavailable", f"the secret could not be read ({type(exc).__name__})"
            ) from None
        return Credentials(GENERAL, secret)
    raise ConnectorError(
        401,
        "unsupported-auth",
        "header.auth.type is neither OAuth2.0 nor GeneralAuthorization",
        location=at_request("header.auth.type"),
    )
