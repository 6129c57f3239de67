"""Lens laws for each named transform, within the loss each one declares."""

from __future__ import annotations

import json
import math

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from matter_map.paths import MISSING, VendorPath
from matter_map.runtime import TransformError, round_by
from matter_map.transforms import (
    BoolMap,
    CieXy,
    Clamp,
    EnumTable,
    Field,
    Invert,
    JsonString,
    Linear,
    Reciprocal,
    Ref,
    Scale,
    Temperature,
)

LEVEL = Linear(vendor_lo=0, vendor_hi=100, matter_lo=0, matter_hi=254, rounding="half_even")


@given(st.integers(0, 254))
def test_linear_put_get_is_exact(level: int) -> None:
    assert LEVEL.forward(LEVEL.inverse(level, MISSING, None), None) == level


@given(st.floats(0, 100, allow_nan=False))
def test_linear_get_put_within_declared_loss(brightness: float) -> None:
    back = LEVEL.inverse(LEVEL.forward(brightness, None), MISSING, None)
    assert abs(back - brightness) <= LEVEL.loss.vendor + 1e-9


@given(st.integers(0, 254))
def test_linear_stability(level: int) -> None:
    once = LEVEL.inverse(LEVEL.forward(LEVEL.inverse(level, MISSING, None), None), MISSING, None)
    twice = LEVEL.inverse(LEVEL.forward(once, None), MISSING, None)
    assert once == twice


def test_linear_level_examples() -> None:
    assert LEVEL.inverse(127, MISSING, None) == 50.0
    assert LEVEL.forward(50.0, None) == 127
    assert LEVEL.forward(0.2, None) == 1  # 0.508 rounds to 1
    assert LEVEL.forward(10, None) == 25  # 25.4 → 25


def test_linear_bounds_from_payload() -> None:
    tuya = Linear(
        vendor_lo=Ref(VendorPath.parse("r.min")),
        vendor_hi=Ref(VendorPath.parse("r.max")),
        matter_lo=1,
        matter_hi=254,
        rounding="half_even",
        vendor_rounding="half_even",
    )
    state = {"r": {"min": 10, "max": 1000}}
    assert tuya.forward(1000, state) == 254
    assert tuya.inverse(1, MISSING, state) == 10
    assert tuya.image((0, 1)) is None
    with pytest.raises(TransformError, match=r"r\.min"):
        tuya.forward(5, {})


@pytest.mark.parametrize(
    ("policy", "value", "expected"),
    [
        ("half_even", 2.5, 2),
        ("half_even", 3.5, 4),
        ("half_up", 2.5, 3),
        ("floor", 2.9, 2),
        ("ceil", 2.1, 3),
        ("trunc", -2.9, -2),
        ("none", 2.25, 2.25),
        ("floor", 126.99999999999999, 127),  # float noise is removed before rounding
    ],
)
def test_rounding_policies(policy: str, value: float, expected: float) -> None:
    assert round_by(value, policy) == expected


MIREDS = Reciprocal(numerator=1_000_000, rounding="half_even", vendor_rounding="half_even")


@given(st.integers(153, 500))
def test_reciprocal_put_get_within_one_mired(mireds: int) -> None:
    assert abs(MIREDS.forward(MIREDS.inverse(mireds, MISSING, None), None) - mireds) <= 1


@given(st.integers(153, 65279))
def test_reciprocal_stability(mireds: int) -> None:
    kelvin = MIREDS.inverse(mireds, MISSING, None)
    assume(kelvin > 0)
    again = MIREDS.inverse(MIREDS.forward(kelvin, None), MISSING, None)
    assert MIREDS.inverse(MIREDS.forward(again, None), MISSING, None) == again


def test_reciprocal_refuses_zero() -> None:
    with pytest.raises(TransformError, match="0 has no reciprocal"):
        MIREDS.forward(0, None)


TEMPS = [Temperature(unit="C"), Temperature(unit="F")]


@pytest.mark.parametrize("transform", TEMPS, ids=["C", "F"])
@given(centi=st.integers(-27315, 32767))
def test_temperature_put_get_is_exact(transform: Temperature, centi: int) -> None:
    assert transform.forward(transform.inverse(centi, MISSING, None), None) == centi


def test_temperature_examples() -> None:
    assert Temperature(unit="C").forward(22.55, None) == 2255
    assert Temperature(unit="F").forward(212, None) == 10000
    assert Temperature(unit="F", vendor_rounding="half_even").inverse(2000, MISSING, None) == 68


@given(st.integers(0, 65279))
def test_cie_xy_put_get_within_declared_loss(value: int) -> None:
    xy = CieXy()
    assert abs(xy.forward(xy.inverse(value, MISSING, None), None) - value) <= xy.loss.matter


@given(st.floats(0, 1))
def test_cie_xy_stays_in_matter_range(x: float) -> None:
    assert 0 <= CieXy().forward(x, None) <= 65279


def test_clamp_is_idempotent_and_reads_device_bounds() -> None:
    clamp = Clamp(lo=Ref(VendorPath.parse("min")), hi=Ref(VendorPath.parse("max")), within=(1, 65279))
    state = {"min": 153, "max": 500}
    assert clamp.forward(600, state) == 500
    assert clamp.inverse(100, MISSING, state) == 153
    assert clamp.forward(clamp.forward(42, state), state) == clamp.forward(42, state)
    assert clamp.forward(70000, {"min": 0, "max": 99999}) == 65279  # bounds kept within
    assert clamp.image(None) == (1, 65279)


LOCK = EnumTable(
    to_matter=(("locked", 1), ("unlocked", 2), ("not fully locked", 0)),
    aliases=(("kAugLockState_Locked", "locked"),),
    default=0,
)


def test_enum_round_trips_and_aliases() -> None:
    for vendor, matter in LOCK.to_matter:
        assert LOCK.forward(vendor, None) == matter
        assert LOCK.inverse(matter, MISSING, None) == vendor
    assert LOCK.forward("kAugLockState_Locked", None) == 1
    assert LOCK.forward("jammed", None) == 0
    with pytest.raises(TransformError, match="no vendor value"):
        LOCK.inverse(7, MISSING, None)


def test_enum_keeps_true_and_one_apart() -> None:
    table = EnumTable(to_matter=((True, 1), (1, 2)))
    assert table.forward(True, None) == 1
    assert table.forward(1, None) == 2


def test_enum_without_default_names_known_values() -> None:
    strict = EnumTable(to_matter=(("on", 1),))
    with pytest.raises(TransformError, match="'off' is not one of 'on'"):
        strict.forward("off", None)


def test_bool_map() -> None:
    switch = BoolMap(true="on", false="off")
    assert switch.forward("on", None) is True
    assert switch.inverse(False, MISSING, None) == "off"
    with pytest.raises(TransformError):
        switch.forward("maybe", None)
    with pytest.raises(TransformError):
        switch.inverse(1, MISSING, None)


hsv = st.fixed_dictionaries({"h": st.integers(0, 360), "s": st.integers(0, 1000), "v": st.integers(0, 1000)})


@given(hsv, st.integers(0, 360), st.booleans())
def test_json_field_lens_laws(colour: dict[str, int], hue: int, as_string: bool) -> None:
    """get(put(v, s)) == v, put(get(s), s) == s, and writing h keeps s and v."""
    decode, member = JsonString(), Field(key="h")
    stored: object = json.dumps(colour, separators=(",", ":")) if as_string else colour

    def get(source: object) -> object:
        return member.forward(decode.forward(source, None), None)

    def put(value: object, source: object) -> object:
        inner = member.inverse(value, decode.forward(source, None), None)
        return decode.inverse(inner, source, None)

    assert put(get(stored), stored) == stored
    written = put(hue, stored)
    assert get(written) == hue
    assert isinstance(written, str) == as_string
    after = decode.forward(written, None)
    assert isinstance(after, dict)
    assert (after["s"], after["v"]) == (colour["s"], colour["v"])


def test_json_string_refuses_empty_and_garbage() -> None:
    with pytest.raises(TransformError, match="empty string"):
        JsonString().forward("", None)
    with pytest.raises(TransformError, match="not valid JSON"):
        JsonString().forward("{h:", None)


@given(st.floats(0, 100))
def test_invert_is_an_involution(x: float) -> None:
    flip = Invert(maximum=100)
    assert math.isclose(flip.inverse(flip.forward(x, None), MISSING, None), x, abs_tol=1e-9)


@pytest.mark.parametrize("bad", [True, "12", None, float("nan"), [1]])
def test_numeric_transforms_refuse_non_numbers(bad: object) -> None:
    for transform in (LEVEL, Scale(factor=10), MIREDS, Temperature(unit="C"), CieXy()):
        with pytest.raises(TransformError):
            transform.forward(bad, None)


@pytest.mark.parametrize("value", [{"value": 1}, [1, 2]])
def test_enum_and_bool_refuse_objects_without_crashing(value: object) -> None:
    strict = EnumTable(to_matter=(("on", 1),))
    with pytest.raises(TransformError, match="is not one of"):
        strict.forward(value, None)
    assert LOCK.forward(value, None) == 0  # the declared default covers unknown vendor values
    with pytest.raises(TransformError):
        BoolMap(true="on", false="off").forward(value, None)


@given(st.floats(0, 1))
def test_cie_xy_get_put_within_declared_loss_including_the_clamp(x: float) -> None:
    xy = CieXy()
    assert abs(xy.inverse(xy.forward(x, None), MISSING, None) - x) <= xy.loss.vendor + 1e-12
