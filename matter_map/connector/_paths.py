"""Device ids and request paths that cannot leave the URL prefix they were put under.

A vendor id becomes part of a URL path. Ids that are (or hold) dot segments — `.`, `..`, `%2E%2E`, fullwidth
`．．` that NFKC-normalises to `..` — or encoded separators (`%2F`, `\\`) would move the request elsewhere once
a server or client normalises the path; they are refused before any URL is built, and every request path is
checked again before it is sent.
"""

from __future__ import annotations

import unicodedata
from urllib.parse import unquote, urlsplit

from matter_map.connector._errors import ConnectorError

MAX_VENDOR_ID = 512
_DOT_SEGMENTS = frozenset({".", ".."})


def _readings(text: str) -> set[str]:
    """The ways a server might read `text`: as is, percent-decoded (twice), and NFKC-normalised."""
    readings = {text}
    decoded = text
    for _ in range(2):
        decoded = unquote(decoded, errors="replace")
        readings.add(decoded)
    return readings | {unicodedata.normalize("NFKC", r) for r in readings}


def _unsafe(segment: str) -> bool:
    for reading in _readings(segment):
        if reading in _DOT_SEGMENTS or "\\" in reading or any(ord(c) < 0x20 or ord(c) == 0x7F for c in reading):
            return True
        if "/" in reading and reading != segment:  # an encoded or look-alike separator
            return True
    return False


def check_vendor_id(vendor_id: str) -> None:
    """Refuse (400 bad-device-id) an id with a dot segment, an encoded separator, a control character, or bad text.

    `/` itself is allowed between segments (Nest's ids are resource paths, put in URLs as `{device_path}`);
    where a mapping puts the id in one segment (`{device_id}`) the `/` is percent-encoded and `request_path_is_safe`
    refuses it before sending.
    """
    refusal = ConnectorError(400, "bad-device-id", "the device id is not a safe URL path segment")
    if not isinstance(vendor_id, str) or not vendor_id or len(vendor_id) > MAX_VENDOR_ID:
        raise refusal
    try:
        vendor_id.encode("utf-8")
    except UnicodeEncodeError:
        raise refusal from None
    if any(_unsafe(segment) for segment in vendor_id.split("/")):
        raise refusal


def request_path_is_safe(url: str) -> bool:
    """Whether normalising the URL's path could not change it: no dot segment, no encoded separator."""
    path = urlsplit(url).path
    return not any(_unsafe(segment) for segment in path.split("/"))
