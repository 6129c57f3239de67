"""Lens laws of the vendor transforms (decimal, format, field defaults), within the loss each declares."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from matter_map.paths import MISSING, VendorPath
from matter_map.runtime import TransformError
from matter_map.transforms import Decimal, Field, Format, Ref

SPEC = {"spec": {"scale": 1, "step": 5}}
DYNAMIC = Decimal(scale=Ref(VendorPath.parse("spec.scale")), step=Ref(VendorPath.parse("spec.step")), max_quantum=1)


@st.composite
def decimal_and_grid_value(draw: st.DrawFn) -> tuple[Decimal, int]:
    scale = draw(st.integers(0, 4))
    step = draw(st.integers(1, 10))
    raw = draw(st.integers(-20000, 20000)) * step  # a vendor value on the step grid
    return Decimal(scale=scale, step=step), raw


@given(decimal_and_grid_value())
def test_decimal_get_put_is_exact_on_the_grid(case: tuple[Decimal, int]) -> None:
    transform, raw = case
    assert transform.inverse(transform.forward(raw, None), MISSING, None) == raw
    assert transform.loss.vendor == 0


@given(st.integers(0, 4), st.integers(1, 10), st.floats(-1000, 1000, allow_nan=False))
def test_decimal_put_get_within_half_a_quantum(scale: int, step: int, real: float) -> None:
    transform = Decimal(scale=scale, step=step)
    back = transform.forward(transform.inverse(real, MISSING, None), None)
    assert abs(back - real) <= transform.loss.matter + 1e-9
    assert transform.loss.matter == pytest.approx(step / 10**scale / 2)


@given(st.integers(0, 4), st.integers(1, 10), st.floats(-1000, 1000, allow_nan=False))
def test_decimal_writes_land_on_the_step_grid_and_are_stable(scale: int, step: int, real: float) -> None:
    transform = Decimal(scale=scale, step=step)
    raw = transform.inverse(real, MISSING, None)
    assert isinstance(raw, int)
    assert raw % step == 0
    again = transform.inverse(transform.forward(raw, None), MISSING, None)
    assert again == raw


def test_decimal_reads_scale_and_step_from_the_payload() -> None:
    assert DYNAMIC.forward(220, SPEC) == 22.0
    assert DYNAMIC.inverse(22.2, MISSING, SPEC) == 220  # 222 snapped to a multiple of 5
    assert DYNAMIC.inverse(22.3, MISSING, SPEC) == 225
    assert DYNAMIC.forward(27, {"spec": {"scale": 0, "step": 1}}) == 27
    assert DYNAMIC.loss.matter == 0.5  # stated against max_quantum
    assert DYNAMIC.image((0, 100)) is None  # the scale is per device: no static image


def test_decimal_refuses_a_device_coarser_than_declared() -> None:
    with pytest.raises(TransformError, match="coarser"):
        DYNAMIC.forward(20, {"spec": {"scale": 0, "step": 2}})
    with pytest.raises(TransformError, match=r"spec\.scale"):
        DYNAMIC.forward(20, {})
    with pytest.raises(TransformError, match="not an integer"):
        DYNAMIC.forward(20, {"spec": {"scale": 1.5, "step": 1}})


def test_decimal_static_image() -> None:
    transform = Decimal(scale=1, step=5)
    assert transform.image((50, 350)) == (5.0, 35.0)
    assert transform.preimage((5, 35)) == (50, 350)
    assert transform.slope == pytest.approx(0.1)


KELVIN = Format(prefix="kelvin:")
SATURATION = Format(prefix="saturation:", digits=3)


@given(st.integers(0, 100000))
def test_format_get_put_is_exact_on_canonical_strings(kelvin: int) -> None:
    text = f"kelvin:{kelvin}"
    assert KELVIN.inverse(KELVIN.forward(text, None), MISSING, None) == text


@given(st.floats(0, 1, allow_nan=False))
def test_format_put_get_within_declared_loss(saturation: float) -> None:
    text = SATURATION.inverse(saturation, MISSING, None)
    assert text.startswith("saturation:")
    assert abs(SATURATION.forward(text, None) - saturation) <= SATURATION.loss.matter + 1e-12


def test_format_examples_and_errors() -> None:
    assert KELVIN.inverse(3499.6, MISSING, None) == "kelvin:3500"
    assert SATURATION.inverse(0.5, MISSING, None) == "saturation:0.500"
    assert Format(prefix="[", suffix="]").forward("[12]", None) == 12
    assert Format().forward("782", None) == 782  # ecobee sensor values are strings
    with pytest.raises(TransformError, match="does not read"):
        KELVIN.forward("hue:120", None)
    with pytest.raises(TransformError, match="not a number"):
        KELVIN.forward("kelvin:warm", None)
    with pytest.raises(TransformError, match="finite"):
        KELVIN.forward("kelvin:inf", None)
    assert KELVIN.image((2500, 9000)) == (2500, 9000)
    assert not math.isnan(KELVIN.loss.matter)


FIELD = Field(key="h", defaults=(("h", 0), ("s", 1000), ("v", 1000)))


@given(st.integers(0, 360), st.integers(0, 1000), st.integers(0, 1000), st.integers(0, 360))
def test_field_put_keeps_the_other_members(h: int, s: int, v: int, new: int) -> None:
    old = {"h": h, "s": s, "v": v}
    written = FIELD.inverse(new, old, None)
    assert written == {"h": new, "s": s, "v": v}
    assert FIELD.forward(written, None) == new  # put-get
    assert FIELD.inverse(FIELD.forward(old, None), old, None) == old  # get-put


def test_field_starts_from_its_defaults_without_an_object() -> None:
    assert FIELD.inverse(120, MISSING, None) == {"h": 120, "s": 1000, "v": 1000}
    assert FIELD.inverse(120, "", None) == {"h": 120, "s": 1000, "v": 1000}
    assert Field(key="h").inverse(120, MISSING, None) == {"h": 120}
