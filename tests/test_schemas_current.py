"""The committed schemas/vendor and schemas/capabilities files are current and valid JSON Schema."""

from __future__ import annotations

import json

from jsonschema import Draft202012Validator

from matter_map.schema_files import CAPABILITY_DIR, VENDOR_DIR, generated_files, stale_files

from .conftest import ROOT


def test_committed_schema_files_are_current() -> None:
    assert stale_files(ROOT) == [], "run python scripts/build_schemas.py"


def test_every_committed_schema_file_is_valid_draft_2020_12() -> None:
    files = sorted((ROOT / VENDOR_DIR).rglob("*.json")) + sorted((ROOT / CAPABILITY_DIR).glob("*.json"))
    assert len(files) >= 3
    for file in files:
        Draft202012Validator.check_schema(json.loads(file.read_text(encoding="utf-8")))


def test_the_generated_set_covers_the_shipped_hue_light() -> None:
    names = {str(path) for path in generated_files(ROOT)}
    assert "schemas/vendor/philips_hue/extended_color_light.schema.json" in names
    assert "schemas/capabilities/matter.ColorControl@1.4.json" in names
    assert "schemas/capabilities/hue.Effects@1.0.json" in names
