"""Hex ids for Matter elements and a reversible encoding of vendor ids into ConnectorDeviceId's alphabet."""

from __future__ import annotations

import re

_ALLOWED = re.compile(r"[a-zA-Z0-9_.,-]")
_ALLOWED_RUN = re.compile(r"[a-zA-Z0-9_.,-]+")
_ESCAPED = re.compile(r"@([0-9A-F]{2})")
MAX_CONNECTOR_DEVICE_ID = 256


def hex_id(value: int, width: int = 4) -> str:
    """`0x0006` for clusters, attributes and fields (width 4); `0x0A` for commands and events (width 2)."""
    return f"0x{value:0{width}X}"


def parse_id(text: str | int) -> int:
    """`0x0006`, `6` or 6 → 6; raises ValueError otherwise."""
    if isinstance(text, bool):
        raise ValueError(f"not an id: {text!r}")
    if isinstance(text, int):
        return text
    if not isinstance(text, str):
        raise ValueError(f"not an id: {type(text).__name__}")
    stripped = text.strip()
    if stripped.lower().startswith("0x"):
        return int(stripped[2:], 16)
    if stripped.isdigit():
        return int(stripped)
    raise ValueError(f"not an id: {text!r}")


def encode_device_id(vendor_id: str) -> str:
    """Encode a vendor id into `[a-zA-Z0-9_.,@-]+`: other bytes, and `@` itself, become `@XX` (UTF-8 hex)."""
    if type(vendor_id) is not str:
        raise ValueError(f"a device id must be text, not {type(vendor_id).__name__}")
    if len(vendor_id) <= MAX_CONNECTOR_DEVICE_ID and _ALLOWED_RUN.fullmatch(vendor_id):
        return vendor_id  # nothing to escape (the common case, without a per-character loop)
    out = []
    for char in vendor_id:
        if _ALLOWED.fullmatch(char):
            out.append(char)
        elif "\ud800" <= char <= "\udfff":
            raise ValueError("a device id must be valid Unicode text (it holds a lone surrogate)")
        else:
            out.extend(f"@{byte:02X}" for byte in char.encode("utf-8"))
    encoded = "".join(out)
    if not encoded:
        raise ValueError("a device id must not be empty")
    if len(encoded) > MAX_CONNECTOR_DEVICE_ID:
        raise ValueError(f"the encoded device id is longer than {MAX_CONNECTOR_DEVICE_ID} characters")
    return encoded


def decode_device_id(connector_device_id: str) -> str:
    """The inverse of `encode_device_id`; ValueError when the id is not text or does not decode to UTF-8 text."""
    if type(connector_device_id) is not str:
        raise ValueError(f"a ConnectorDeviceId must be text, not {type(connector_device_id).__name__}")
    raw = bytearray()
    pos = 0
    try:
        for match in _ESCAPED.finditer(connector_device_id):
            raw.extend(connector_device_id[pos : match.start()].encode("utf-8"))
            raw.append(int(match.group(1), 16))
            pos = match.end()
        raw.extend(connector_device_id[pos:].encode("utf-8"))
        return raw.decode("utf-8", errors="strict")
    except UnicodeError:
        raise ValueError("the ConnectorDeviceId does not decode to UTF-8 text") from None
