"""Vendor JSON paths and the reversible ConnectorDeviceId encoding."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from matter_map.ids import decode_device_id, encode_device_id, hex_id, parse_id
from matter_map.paths import MISSING, PathError, Select, VendorPath

DOC = {
    "a": {"b": [10, {"c": 3}]},
    "traits": {"sdm.devices.traits.Temperature": {"ambientTemperatureCelsius": 19.5}},
    "caps": [
        {"instance": "powerSwitch", "state": {"value": 1}},
        {"instance": "brightness", "state": {"value": 7}},
    ],
}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("a.b[0]", 10),
        ("a.b[1].c", 3),
        ("a.b[-1].c", 3),
        ('traits["sdm.devices.traits.Temperature"].ambientTemperatureCelsius', 19.5),
        ("caps[instance=brightness].state.value", 7),
        ("a.x", MISSING),
        ("a.b[5]", MISSING),
        ("caps[instance=nope].state", MISSING),
        ("a.b.c", MISSING),
    ],
)
def test_get(text: str, expected: object) -> None:
    assert VendorPath.parse(text).get(DOC) == expected


@pytest.mark.parametrize("text", ["", "a..b", "a.", ".a", "a b", "a[", "a[x"])
def test_bad_paths(text: str) -> None:
    with pytest.raises(PathError):
        VendorPath.parse(text)


def test_select_segment_is_not_writable() -> None:
    path = VendorPath.parse("caps[instance=x].value")
    assert path.segments[1] == Select("instance", "x")
    assert not path.writable
    assert VendorPath.parse("on.on").writable


keys = st.from_regex(r"[a-z_][a-z0-9_]{0,8}", fullmatch=True)


@given(st.lists(keys, min_size=1, max_size=5), st.integers() | st.text(max_size=5) | st.booleans())
def test_set_then_get(segments: list[str], value: object) -> None:
    path = VendorPath.parse(".".join(segments))
    body: dict[str, object] = {}
    path.set(body, value)
    assert path.get(body) == value


@given(st.text(min_size=1, max_size=21))
def test_device_id_encoding_round_trips_and_fits_the_pattern(vendor_id: str) -> None:
    encoded = encode_device_id(vendor_id)  # a character encodes to at most 12 (4 UTF-8 bytes as @XX)
    assert re.fullmatch(r"[a-zA-Z0-9_.,@-]+", encoded)
    assert decode_device_id(encoded) == vendor_id


def test_overlong_encoded_ids_are_refused() -> None:
    with pytest.raises(ValueError, match="longer than 256"):
        encode_device_id("/" * 86)
    assert len(encode_device_id("/" * 85)) == 255


def test_plain_ids_are_unchanged() -> None:
    assert encode_device_id("01b1da1b-2cb1-eb71-5391-63b5ae1ceb6c") == "01b1da1b-2cb1-eb71-5391-63b5ae1ceb6c"
    assert encode_device_id("enterprises/p/devices/d") == "enterprises@2Fp@2Fdevices@2Fd"
    assert encode_device_id("a@b") == "a@40b"


def test_hex_ids() -> None:
    assert hex_id(6) == "0x0006"
    assert hex_id(10, 2) == "0x0A"
    assert parse_id("0x0300") == 0x300
    assert parse_id("8") == 8
    with pytest.raises(ValueError, match="not an id"):
        parse_id("LevelControl")
