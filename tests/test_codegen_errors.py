"""Errors both back ends report alike: device ids (missing vs. not encodable), writes without a write encoding."""

from __future__ import annotations

from typing import Any

import pytest

from matter_map.translator import Translator

from .codegen_support import generated
from .conftest import HUE, SAMPLES, load_json

FILE = HUE / "extended_color_light.yaml"


def _codes(run: Any) -> list[str]:
    with pytest.raises(Exception) as caught:  # noqa: PT011 - both back ends raise their own TranslationError
        run()
    assert type(caught.value).__name__ == "TranslationError"
    return [p.code for p in caught.value.problems]  # type: ignore[attr-defined]


@pytest.mark.parametrize("removed", [None, "none", "list"])
def test_a_missing_device_id_is_reported_as_missing(removed: str | None) -> None:
    compiled, module = generated(FILE)
    interpreter = Translator(compiled)
    state = load_json(SAMPLES / "extended_color_light.json")
    if removed is None:
        del state["id"]
    else:
        state["id"] = None if removed == "none" else ["x"]
    for back_end in (interpreter, module):
        assert _codes(lambda b=back_end: b.to_matter(state)) == ["missing-device-id"]
        assert _codes(lambda b=back_end: b.capability_report(state)) == ["missing-device-id"]


def test_an_id_that_cannot_be_encoded_is_bad() -> None:
    compiled, module = generated(FILE)
    state = load_json(SAMPLES / "extended_color_light.json")
    too_long = "x" * 2000
    interpreter_codes = _codes(lambda: Translator(compiled).to_matter(state, device_id=too_long))
    assert interpreter_codes == ["bad-device-id"]
    assert _codes(lambda: module.to_matter(state, device_id=too_long)) == interpreter_codes


def test_a_write_without_a_write_encoding_is_unsupported() -> None:
    compiled, module = generated(HUE / "light_sensor.yaml")
    assert compiled.write is None
    command = {
        "Endpoints": [
            {
                "endpointId": "1",
                "capabilities": [
                    {
                        "id": "matter.IlluminanceMeasurement@1.4",
                        "name": "IlluminanceMeasurement",
                        "version": "1",
                        "actions": [{"name": "UpdateState", "parameters": {"MeasuredValue": 0}}],
                    }
                ],
            }
        ]
    }
    for back_end in (Translator(compiled), module):
        assert _codes(lambda b=back_end: b.to_vendor(command, device_id="d1")) == ["unsupported"]
