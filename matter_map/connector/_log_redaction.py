"""Keep header values (tokens, cookies, signatures) out of the HTTP and AWS libraries' DEBUG logs.

httpcore logs whole response headers (`Set-Cookie` included) and protocol errors that quote the offending
header; botocore logs request headers, canonical requests and response headers. A filter on those loggers
keeps each DEBUG record's event name and drops its values.
"""

from __future__ import annotations

import logging

LOGGERS = (
    "httpcore.connection",
    "httpcore.http11",
    "httpcore.http2",
    "httpcore.proxy",
    "httpcore.socks",
    "botocore.endpoint",
    "botocore.auth",
    "botocore.parsers",
    "botocore.httpsession",
    "botocore.retryhandler",
    "botocore.hooks",
    "botocore.awsrequest",
    "urllib3.connectionpool",
)
REDACTED = "[values redacted]"


class RedactValues(logging.Filter):
    """Rewrite DEBUG records to their event name (`receive_response_headers.complete`, `Response headers`)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.levelno > logging.DEBUG:
            return True
        text = record.msg if isinstance(record.msg, str) else type(record.msg).__name__
        if record.name.startswith("httpcore"):
            head = text.split(" ", 1)[0]
        else:
            head = text.split("%", 1)[0].split("\n", 1)[0].rstrip(" :")
        record.msg = f"{head} {REDACTED}"
        record.args = None
        record.exc_info = None
        record.exc_text = None
        return True


_FILTER = RedactValues()


def redact_library_logs() -> None:
    """Install the filter on the HTTP and AWS libraries' loggers (once; safe to call again)."""
    for name in LOGGERS:
        logger = logging.getLogger(name)
        if _FILTER not in logger.filters:
            logger.addFilter(_FILTER)
