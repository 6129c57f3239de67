"""Secrets that never print themselves, and GeneralAuthorization references resolved through Secrets Manager."""

from __future__ import annotations

import contextlib
import json
import logging
from collections import OrderedDict
from collections.abc import Callable, Iterator
from contextvars import ContextVar
from typing import Any

REDACTED = "***"

# botocore logs whole response bodies at DEBUG (botocore.parsers), which for GetSecretValue is the secret:
# while a secret is being fetched, records from these loggers are dropped.
_AWS_BODY_LOGGERS = (
    "botocore.parsers",
    "botocore.endpoint",
    "botocore.hooks",
    "botocore.httpsession",
    "botocore.retryhandler",
    "urllib3.connectionpool",
)
_FETCHING_SECRET: ContextVar[bool] = ContextVar("matter_map_fetching_secret", default=False)


class Secret:
    """A secret string: `repr`, `str` and formatting show `***`; `reveal()` is the one way to the value."""

    __slots__ = ("_value",)

    def __init__(self, value: str) -> None:
        if not isinstance(value, str) or not value:
            raise ValueError("a secret must be a non-empty string")
        self._value = value

    def reveal(self) -> str:
        return self._value

    def __repr__(self) -> str:
        return f"Secret({REDACTED!r})"

    def __str__(self) -> str:
        return REDACTED

    def __format__(self, spec: str) -> str:
        return REDACTED

    def __reduce__(self) -> Any:
        raise TypeError("secrets are not pickled")


#: (secret ARN, version id or None) → the secret
SecretResolver = Callable[[str, str | None], Secret]


class _DropWhileFetchingSecret(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        return not _FETCHING_SECRET.get()


_FILTER = _DropWhileFetchingSecret()


@contextlib.contextmanager
def quiet_aws_logs() -> Iterator[None]:
    """Drop botocore's and urllib3's log records (which carry response bodies) inside the block."""
    for name in _AWS_BODY_LOGGERS:
        logger = logging.getLogger(name)
        if _FILTER not in logger.filters:
            logger.addFilter(_FILTER)
    token = _FETCHING_SECRET.set(True)
    try:
        yield
    finally:
        _FETCHING_SECRET.reset(token)


class SecretsManagerResolver:
    """Resolve `{"secretsManager": {"arn", "versionId"}}` with boto3's Secrets Manager client.

    `field` picks one key of a JSON secret (e.g. `"token"`); without it the whole SecretString is the secret.
    A pinned version never changes, so resolved secrets are kept (at most `cache_size`) for warm invocations.
    """

    def __init__(self, client: Any = None, *, field: str | None = None, cache_size: int = 16) -> None:
        self._client = client
        self.field = field
        self.cache_size = cache_size
        self._cache: OrderedDict[tuple[str, str], Secret] = OrderedDict()

    @property
    def client(self) -> Any:
        if self._client is None:
            import boto3  # type: ignore[import-untyped]
            from botocore.config import Config

            config = Config(
                connect_timeout=0.3, read_timeout=0.5, retries={"total_max_attempts": 2, "mode": "standard"}
            )
            self._client = boto3.client("secretsmanager", config=config)
        return self._client

    def close(self) -> None:
        if self._client is not None:
            self._client.close()

    def __call__(self, arn: str, version_id: str | None) -> Secret:
        key = (arn, version_id or "")
        if version_id and key in self._cache:
            self._cache.move_to_end(key)
            return self._cache[key]
        request: dict[str, str] = {"SecretId": arn}
        if version_id:
            request["VersionId"] = version_id
        with quiet_aws_logs():
            response = self.client.get_secret_value(**request)
        secret = Secret(self._pick(response.get("SecretString")))
        if version_id:
            self._cache[key] = secret
            while len(self._cache) > self.cache_size:
                self._cache.popitem(last=False)
        return secret

    def _pick(self, text: Any) -> str:
        if not isinstance(text, str):
            raise ValueError("the secret has no SecretString")
        if self.field is None:
            return text
        try:
            document = json.loads(text)
        except ValueError:
            raise ValueError("the secret is not a JSON object") from None
        value = document.get(self.field) if isinstance(document, dict) else None
        if not isinstance(value, str):
            raise ValueError(f"the secret has no string member {self.field!r}")
        return value
