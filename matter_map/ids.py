"""Hex ids for Matter elements and a reversible encoding of vendor ids into ConnectorDeviceId's alphabet."""

from __future__ import annotations

from matter_map.runtime import MAX_CONNECTOR_DEVICE_ID, decode_device_id, encode_device_id, hex_id, parse_id

__all__ = ["MAX_CONNECTOR_DEVICE_ID", "decode_device_id", "encode_device_id", "hex_id", "parse_id"]
