"""Input validation at the boundary: the ValidatingTranslator and the CLI's --no-validate-input switch."""

from __future__ import annotations

import copy
import json
import re
from pathlib import Path
from typing import Any

import pytest

from matter_map.cli import main
from matter_map.errors import TranslationError
from matter_map.loader import load_mapping
from matter_map.payload_check import ensure_valid_connector_event
from matter_map.translator import Translator
from matter_map.vendor_validation import ValidatingTranslator, VendorValidator, available_engines, vendor_validator

from .conftest import HUE, SAMPLES, load_json

LIGHT = load_json(SAMPLES / "extended_color_light.json")
BAD = {**copy.deepcopy(LIGHT), "dimming": {"brightness": "50%"}}


@pytest.fixture(scope="module")
def validating() -> ValidatingTranslator:
    return ValidatingTranslator(
        load_mapping(HUE / "extended_color_light.yaml").compiled, check=ensure_valid_connector_event
    )


def test_valid_payloads_translate_as_without_validation(validating: ValidatingTranslator) -> None:
    plain = Translator(validating.compiled, check=ensure_valid_connector_event)
    assert validating.to_matter(LIGHT) == plain.to_matter(LIGHT)
    assert validating.capability_report(LIGHT) == plain.capability_report(LIGHT)
    update = {"id": LIGHT["id"], "on": {"on": False}}
    assert validating.to_matter(update, partial=True) == plain.to_matter(update, partial=True)


def test_invalid_payloads_are_stopped_before_translation(validating: ValidatingTranslator) -> None:
    for call in (
        lambda: validating.to_matter(BAD),
        lambda: validating.capability_report(BAD),
        lambda: validating.discovery_event([BAD], discovery_id="d1"),
        lambda: validating.to_matter({"on": {"on": "off"}}, partial=True),
    ):
        with pytest.raises(TranslationError) as caught:
            call()
        (problem,) = caught.value.problems
        assert problem.vendor_path in ("dimming.brightness", "on.on")
        assert re.search(r"extended_color_light\.yaml:\d+:\d+$", problem.source), problem
        assert problem.rule in ("LevelControl.CurrentLevel", "OnOff.OnOff")
    # without validation the translator reports the same value, from deeper inside
    with pytest.raises(TranslationError) as plain:
        Translator(validating.compiled).to_matter(BAD)
    assert plain.value.problems[0].vendor_path == "dimming.brightness"


def test_the_state_given_to_to_vendor_is_checked_as_a_partial_state(validating: ValidatingTranslator) -> None:
    command = {
        "Endpoints": [
            {
                "endpointId": "1",
                "capabilities": [
                    {"id": "matter.OnOff@1.4", "name": "OnOff", "version": "1", "actions": [{"name": "Toggle"}]}
                ],
            }
        ]
    }
    assert validating.to_vendor(command, state=LIGHT)[0]["body"] == {"on": {"on": False}}
    with pytest.raises(TranslationError) as caught:
        validating.to_vendor(command, state={**LIGHT, "on": {"on": "yes"}})
    assert caught.value.problems[0].vendor_path == "on.on"


def test_validators_are_built_once_per_mapping() -> None:
    compiled = load_mapping(HUE / "dimmable_light.yaml").compiled
    assert vendor_validator(compiled) is vendor_validator(compiled)
    assert vendor_validator(compiled, "jsonschema") is not vendor_validator(compiled)


def test_unknown_engine_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown validation engine"):
        VendorValidator(load_mapping(HUE / "on_off_light.yaml").compiled, engine="nope").problems({})


def test_the_fastest_engine_comes_first() -> None:
    assert available_engines()[-1] == "jsonschema"


# --- the command line ---------------------------------------------------------------------------------------


def _write(tmp_path: Path, payload: Any) -> str:
    path = tmp_path / "state.json"
    path.write_text(json.dumps(payload), encoding="utf-8")
    return str(path)


@pytest.mark.parametrize("command", ["to-matter", "discover"])
def test_cli_validates_input_by_default(command: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    mapping = str(HUE / "extended_color_light.yaml")
    state = _write(tmp_path, {**LIGHT, "dimming": {"brightness": 250}})
    assert main([command, mapping, state]) == 1
    err = capsys.readouterr().err
    assert "`dimming.brightness`" in err
    assert "above the maximum 100" in err
    assert "LevelControl.CurrentLevel" in err
    # switched off, the translator still refuses a value outside the binding's declared vendor range (no clamping)
    assert main([command, mapping, state, "--no-validate-input"]) == 1
    assert "implausible-vendor-value" in capsys.readouterr().err


def test_cli_schema_vendor_prints_the_derived_schema(capsys: pytest.CaptureFixture[str]) -> None:
    mapping = str(HUE / "extended_color_light.yaml")
    assert main(["schema", "vendor", mapping]) == 0
    full = json.loads(capsys.readouterr().out)
    assert main(["schema", "vendor", mapping, "--partial"]) == 0
    partial = json.loads(capsys.readouterr().out)
    assert full["$id"].endswith("extended_color_light")
    assert partial["$id"].endswith(":partial")
    assert "required" in full
    assert "required" not in partial
