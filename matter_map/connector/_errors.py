"""Connector failures as HTTP-style status codes, and messages made safe for SendConnectorEvent and logs."""

from __future__ import annotations

import re
from collections.abc import Iterable

from matter_map.errors import Location, Problem, TranslationError

MAX_MESSAGE = 256
# SendConnectorEvent.Message: [\sa-zA-Z0-9_.,@-]+ (ASCII classes, as the service model's Java pattern reads)
_NOT_ALLOWED = re.compile(r"[^\sa-zA-Z0-9_.,@-]+", re.ASCII)
_SPACES = re.compile(r"\s+", re.ASCII)

#: translation problem codes that mean the command itself is wrong (400) rather than the device or vendor
BAD_REQUEST_CODES = frozenset({"out-of-range", "bad-command", "unsupported", "needs-state", "bad-device-id"})
UNKNOWN_DEVICE_CODES = frozenset({"no-matching-mapping", "ambiguous-mapping", "missing-device-id"})


def at_request(path: str) -> Location:
    """The place of a field in the AWS request the connector was given (`payload.traceId`, `header.auth`)."""
    return Location("request", path)


def sanitise_message(text: str) -> str:
    """Keep only the characters the Message field allows, collapse spaces, cut to 256; never empty."""
    readable = text.replace(": ", ", ").replace(" = ", " ")
    cleaned = _SPACES.sub(" ", _NOT_ALLOWED.sub(" ", readable)).strip()
    return cleaned[:MAX_MESSAGE].rstrip() or "error"


class ConnectorError(Exception):
    """An operation failed: `status` is the HTTP-style response code, `problem` what failed (a registered code,
    safe text, and where and which rule when a translation failed); `code` and `message` are the problem's.

    Messages are built by the connector itself from status codes and translation problems; vendor response
    bodies and credentials never enter them.
    """

    def __init__(
        self,
        status: int,
        code: str,
        message: str,
        *,
        location: Location | None = None,
        rule: str = "",
        source: str = "",
    ) -> None:
        self.status = status
        self.problem = Problem(code, sanitise_message(message), location, rule, source)
        self.code = code
        self.message = self.problem.message
        super().__init__(f"{status} {code}: {self.message}")


class VendorError(ConnectorError):
    """The vendor cloud refused or failed a request (after the retries the budget allowed)."""

    def __init__(self, status: int, code: str, message: str, *, vendor_status: int | None = None) -> None:
        super().__init__(status, code, message)
        self.vendor_status = vendor_status


def vendor_status_error(vendor_status: int, what: str) -> VendorError:
    """Map a vendor HTTP status onto the connector's: 401/403 → 401, 404, 429, 5xx → 503, other 4xx → 400."""
    if vendor_status in (401, 403):
        return VendorError(
            401, "unauthorized", f"the vendor refused the credentials for {what}", vendor_status=vendor_status
        )
    if vendor_status == 404:
        return VendorError(404, "not-found", f"the vendor does not know {what}", vendor_status=vendor_status)
    if vendor_status == 429:
        return VendorError(429, "throttled", f"the vendor throttled {what}", vendor_status=vendor_status)
    if vendor_status >= 500:
        return VendorError(
            503, "vendor-unavailable", f"the vendor failed {what} with {vendor_status}", vendor_status=vendor_status
        )
    return VendorError(
        400, "vendor-rejected", f"the vendor rejected {what} with {vendor_status}", vendor_status=vendor_status
    )


def translation_error(exc: TranslationError) -> ConnectorError:
    """A translation failure as a connector error: bad commands are 400, unknown device kinds 404, else 500;
    the error carries the location and rule of the problem that chose its code."""
    codes = {p.code for p in exc.problems}
    message = "; ".join(p.message for p in exc.problems[:3])
    if codes and codes <= BAD_REQUEST_CODES:
        return _carrying(400, _first(exc.problems, BAD_REQUEST_CODES), message)
    if codes & UNKNOWN_DEVICE_CODES:
        return _carrying(404, _first(exc.problems, UNKNOWN_DEVICE_CODES), message)
    if not exc.problems:
        return ConnectorError(500, "translation", message)
    return _carrying(500, exc.problems[0], message)


def _carrying(status: int, problem: Problem, message: str) -> ConnectorError:
    return ConnectorError(
        status, problem.code, message, location=problem.location, rule=problem.rule, source=problem.source
    )


def _first(problems: Iterable[Problem], codes: frozenset[str]) -> Problem:
    return next(p for p in problems if p.code in codes)
