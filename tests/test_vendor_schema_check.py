"""`vendor_schema:`: every path a mapping reads or writes must exist in the hand-written vendor schema."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from matter_map.diagnostics import Diagnostic, MappingError, Severity
from matter_map.loader import load_mapping, mapping_files

from .conftest import HUE, MAPPINGS, corpus_file

SCHEMA = {
    "$defs": {
        "light": {
            "type": "object",
            "properties": {
                "id": {"type": "string"},
                "type": {"type": "string"},
                "on": {"$ref": "#/$defs/on"},
                "dimming": {"type": "object", "properties": {"brightness": {"type": "number", "maximum": 100}}},
                "mode": {"type": "string", "enum": ["normal", "streaming"]},
                "owner": {"$ref": "other.json#/$defs/owner"},
                "extra": {"type": "object"},
            },
        },
        "on": {"type": "object", "properties": {"on": {"type": "boolean"}}},
        "put": {"type": "object", "properties": {"on": {"$ref": "#/$defs/on"}}},
    }
}

MAPPING = """matter_map: 1
vendor: acme
kind: lamp
title: a lamp
match: {{path: type, equals: light}}
device: {{id: id}}
vendor_schema: {vendor_schema}
write: {{method: PUT, url: "/lights/{{device_id}}"}}
endpoints:
  - id: 1
    device_types: [DimmableLight]
    clusters:
      OnOff:
        attributes:
          OnOff: {{path: {on_path}{on_transforms}}}
        commands:
          Off: {{write: {{OnOff: false}}}}
      LevelControl:
        attributes:
          CurrentLevel:
            path: dimming.brightness
            range: [0, {top}]
            read_only: true
            transforms:
              - linear: {{vendor: [0, 100], matter: [0, 254], round: half_even}}
              - clamp: {{min: 1, max: 254}}
"""


def write(
    tmp_path: Path,
    *,
    vendor_schema: str = "vendor.json#/$defs/light",
    on_path: str = "on.on",
    on_transforms: str = "",
    top: int = 100,
    schema: dict[str, object] | None = None,
) -> Path:
    (tmp_path / "vendor.json").write_text(json.dumps(SCHEMA if schema is None else schema), encoding="utf-8")
    text = MAPPING.format(vendor_schema=vendor_schema, on_path=on_path, on_transforms=on_transforms, top=top)
    file = tmp_path / "lamp.yaml"
    file.write_text(text, encoding="utf-8")
    return file


def problems(file: Path) -> list[Diagnostic]:
    try:
        return list(load_mapping(file).warnings)
    except MappingError as exc:
        return list(exc.diagnostics)


def codes(file: Path) -> list[tuple[str, Severity]]:
    return [(d.code, d.severity) for d in problems(file) if d.code.startswith("vendor-schema")]


def test_a_mapping_that_fits_its_schema_loads_without_schema_diagnostics(tmp_path: Path) -> None:
    assert codes(write(tmp_path)) == []


def test_every_shipped_mapping_that_names_a_schema_fits_it() -> None:
    named = 0
    for file in mapping_files([MAPPINGS]):
        if "vendor_schema:" in file.read_text(encoding="utf-8"):
            named += 1
            assert [d.render() for d in load_mapping(file).warnings if d.code.startswith("vendor-schema")] == []
    assert named >= 1


def test_a_path_missing_from_the_schema_is_an_error_at_the_binding(tmp_path: Path) -> None:
    file = write(tmp_path, on_path="on.onn")
    with pytest.raises(MappingError) as caught:
        load_mapping(file)
    (diagnostic,) = [d for d in caught.value.diagnostics if d.code == "vendor-schema-missing-path"][:1]
    assert "`on.onn`" in diagnostic.message
    assert "it lists on" in diagnostic.message
    assert diagnostic.position is not None
    assert diagnostic.position.file == str(file)
    line = file.read_text(encoding="utf-8").splitlines()[diagnostic.position.line - 1]
    assert "OnOff:" in line
    assert diagnostic.path == "endpoints[0].clusters.OnOff.attributes.OnOff"


def test_a_type_that_does_not_fit_is_an_error(tmp_path: Path) -> None:
    file = write(tmp_path, on_transforms=", transforms: [bool: {true: 1, false: 0}]")
    found = problems(file)
    assert ("vendor-schema-type", Severity.ERROR) in [(d.code, d.severity) for d in found]
    message = next(d.message for d in found if d.code == "vendor-schema-type")
    assert "expects integer at `on.on`" in message
    assert "declares boolean" in message


def test_reading_inside_a_scalar_is_an_error(tmp_path: Path) -> None:
    file = write(tmp_path, on_path="dimming.brightness.value")
    messages = [d.message for d in problems(file) if d.code == "vendor-schema-type"]
    assert any("declares `dimming.brightness` as number" in m for m in messages), messages


def test_an_unresolvable_reference_stops_the_check_below_it_with_a_warning(tmp_path: Path) -> None:
    file = write(tmp_path, on_path="owner.rid")
    # read by OnOff, and written by Off: both unchecked, neither an error
    assert codes(file) == [("vendor-schema-unresolved", Severity.WARNING)] * 2


def test_open_objects_accept_any_member(tmp_path: Path) -> None:
    assert codes(write(tmp_path, on_path="extra.anything")) == []


def test_a_declared_range_narrower_than_the_schema_is_a_warning(tmp_path: Path) -> None:
    assert codes(write(tmp_path, top=50)) == [("vendor-schema-range", Severity.WARNING)]


def test_enum_values_the_schema_never_allows_are_a_warning(tmp_path: Path) -> None:
    file = write(tmp_path, on_path="mode", on_transforms=", transforms: [bool: {true: normal, false: paused}]")
    found = [d for d in problems(file) if d.code == "vendor-schema-enum"]
    assert len(found) == 2  # read by OnOff, written by Off
    assert all('"paused"' in d.message and '"normal"' not in d.message.split("allows")[0] for d in found)


def test_writes_are_checked_against_the_write_schema(tmp_path: Path) -> None:
    schema = json.loads(json.dumps(SCHEMA))
    schema["$defs"]["put"]["properties"] = {"dimming": {"type": "object"}}
    file = write(
        tmp_path, schema=schema, vendor_schema="{state: vendor.json#/$defs/light, write: vendor.json#/$defs/put}"
    )
    found = [d for d in problems(file) if d.code == "vendor-schema-missing-path"]
    assert len(found) == 1
    assert "OnOff.OnOff writes `on.on`" in found[0].message


def test_an_unreadable_schema_is_only_a_warning(tmp_path: Path) -> None:
    file = write(tmp_path, vendor_schema="missing.json")
    assert codes(file) == [("vendor-schema-unreadable", Severity.WARNING)]
    file = write(tmp_path, vendor_schema="vendor.json#/$defs/nothing")
    assert codes(file) == [("vendor-schema-unreadable", Severity.WARNING)]


def test_validate_reports_schema_problems_with_positions(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from matter_map.cli import main

    file = write(tmp_path, on_path="on.state")
    assert main(["validate", str(file)]) == 1
    err = capsys.readouterr().err
    assert f"{file}:" in err
    assert "error[vendor-schema-missing-path]" in err


# --- the openhue-api OpenAPI schemas of the vendor corpus ------------------------------------------------------

_OPENHUE_DIRS = ("common", "light/schemas", "motion/schemas")


def _openhue_tree(tmp_path: Path) -> Path:
    """The corpus keeps openhue-api files flattened (`src_light_schemas_LightGet.yaml`): put them back in a tree
    so their relative `$ref`s resolve."""
    folder = corpus_file("hue", "openhue-api")
    root = tmp_path / "openhue"
    for file in folder.glob("src_*.yaml"):
        for directory in sorted(_OPENHUE_DIRS, key=len, reverse=True):
            prefix = "src_" + directory.replace("/", "_") + "_"
            if file.name.startswith(prefix):
                target = root / "src" / directory / file.name[len(prefix) :]
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(file, target)
                break
    return root


def test_the_hue_light_mapping_against_the_openapi_light_schema(tmp_path: Path) -> None:
    root = _openhue_tree(tmp_path)
    state = root / "src" / "light" / "schemas" / "LightGet.yaml"
    text = (HUE / "extended_color_light.yaml").read_text(encoding="utf-8")
    start = text.index("vendor_schema:")
    end = text.index("\nendpoints:")
    text = text[:start] + f"vendor_schema: {{state: {state}}}\n" + text[end + 1 :]
    file = tmp_path / "extended_color_light.yaml"
    file.write_text(text, encoding="utf-8")
    found = problems(file)
    missing = {d.message.split("`")[1] for d in found if d.code == "vendor-schema-missing-path"}
    checked_fine = {"on.on", "dimming.brightness", "color.xy.x", "color.xy.y", "color_temperature.mirek_valid"}
    assert not missing & checked_fine
    # paths under files the corpus does not hold (ResourceOwned.yaml) are reported as unchecked, not wrong
    unresolved = {d.message.split("`")[1] for d in found if d.code == "vendor-schema-unresolved"}
    assert {"id", "type"} <= unresolved


def test_a_typo_is_caught_by_the_openapi_schema(tmp_path: Path) -> None:
    root = _openhue_tree(tmp_path)
    state = root / "src" / "light" / "schemas" / "LightGet.yaml"
    text = MAPPING.format(vendor_schema=f"'{state}'", on_path="on.onn", on_transforms="", top=100)
    file = tmp_path / "lamp.yaml"
    file.write_text(text, encoding="utf-8")
    found = [d for d in problems(file) if d.code == "vendor-schema-missing-path"]
    assert [d.message.split("`")[1] for d in found] == ["on.onn", "on.onn"]  # read, and written by Off


OPENAPI = """openapi: 3.0.3
info: {title: lamps, version: "1"}
paths: {}
components:
  schemas:
    Light:
      type: object
      properties:
        id: {type: string}
        type: {type: string, enum: [light]}
        on: {$ref: '#/components/schemas/On'}
        dimming:
          allOf:
            - {$ref: 'common.yaml#/Dimming'}
    On:
      type: object
      required: [on]
      properties:
        on: {type: boolean}
"""
COMMON = """Dimming:
  type: object
  properties:
    brightness: {type: number, minimum: 0, maximum: 100, nullable: true}
"""


def test_an_openapi_component_with_refs_across_files(tmp_path: Path) -> None:
    (tmp_path / "api.yaml").write_text(OPENAPI, encoding="utf-8")
    (tmp_path / "common.yaml").write_text(COMMON, encoding="utf-8")
    file = write(tmp_path, vendor_schema="api.yaml#/components/schemas/Light")
    assert codes(file) == []
    typo = write(tmp_path, vendor_schema="api.yaml#/components/schemas/Light", on_path="dimming.brightnes")
    found = [d for d in problems(typo) if d.code == "vendor-schema-missing-path"]
    assert found
    assert "it lists brightness" in found[0].message
