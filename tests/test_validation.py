"""Mapping validation: every problem reported at file:line:col with a stable code and a hint."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from matter_map.cli import main
from matter_map.diagnostics import MappingError
from matter_map.loader import compile_text, load_mapping, mapping_files

from .conftest import HUE, MAPPINGS, ROOT

EXTENDED = (HUE / "extended_color_light.yaml").read_text()


def problems(text: str, name: str = "m.yaml") -> list[tuple[str, str, str]]:
    """(code, file:line:col, hint) of each problem in a mapping text."""
    with pytest.raises(MappingError) as info:
        compile_text(text, name)
    return [(d.code, str(d.position), d.hint) for d in info.value.diagnostics]


def line_col(text: str, needle: str, occurrence: int = 1) -> str:
    index = -1
    for _ in range(occurrence):
        index = text.index(needle, index + 1)
    line = text.count("\n", 0, index) + 1
    col = index - (text.rfind("\n", 0, index) + 1) + 1
    return f"{line}:{col}"


def test_every_shipped_mapping_is_valid() -> None:
    files = sorted(mapping_files([MAPPINGS]))  # compose/ holds profiles and fragments
    assert len(files) >= 6
    for file in files:
        assert load_mapping(file).compiled.endpoints


def test_cli_validate_exits_zero_on_shipped_mappings(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", str(MAPPINGS)]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["ok"] is True
    assert len(out["files"]) >= 6


def test_misspelt_attribute_points_at_the_line_and_suggests(tmp_path: Path) -> None:
    broken = tmp_path / "hue.yaml"
    broken.write_text(EXTENDED.replace("          CurrentLevel:\n", "          CurentLevel:\n"))
    completed = subprocess.run(
        [sys.executable, "-m", "matter_map", "validate", str(broken)],
        capture_output=True,
        text=True,
        check=False,
        cwd=ROOT,
    )
    assert completed.returncode == 1
    expected = f"{broken}:{line_col(EXTENDED, 'CurrentLevel:')}: error[unknown-attribute]"
    assert expected in completed.stderr
    assert "hint: did you mean `CurrentLevel`" in completed.stderr
    assert "Traceback" not in completed.stderr


def test_all_problems_are_collected_in_one_run() -> None:
    text = (
        EXTENDED.replace("CurrentLevel:\n", "CurentLevel:\n")
        .replace("ColorControl:", "ColourControl:")
        .replace("Toggle: {toggle: OnOff}", "Toggel: {toggle: OnOff}")
        .replace("ExtendedColorLight", "ExtendedColourLight")
    )
    found = problems(text)
    codes = sorted(code for code, _, _ in found)
    assert codes == [
        *["unbound-write-target"] * 4,  # MoveToLevel, MoveToLevelWithOnOff, Step, StepWithOnOff
        "unknown-attribute",
        "unknown-cluster",
        "unknown-command",
        "unknown-device-type",
    ]
    hints = " ".join(h for _, _, h in found)
    for suggestion in ("`CurrentLevel`", "`ColorControl`", "`Toggle`", "`ExtendedColorLight`"):
        assert suggestion in hints


@pytest.mark.parametrize(
    ("edit", "code", "needle"),
    [
        (("round: half_even}", "round: none}"), "type-mismatch", "transforms:\n              - linear"),
        (("features: [OO, LT]", "features: [OO, LTX]"), "unknown-feature", "LTX"),
        (
            ("{write: {CurrentLevel: $Level}}", "{write: {CurrentLevel: $Levl}}"),
            "unknown-field",
            "CurrentLevel: $Levl",
        ),
        (("{write: {OnOff: false}}", "{write: {OnOff: 3}}"), "const-out-of-range", "OnOff: 3"),
        (
            ("{write: {OnOff: false}}", "{write: {GlobalSceneControl: false}}"),
            "unbound-write-target",
            "GlobalSceneControl",
        ),
        (("MinLevel: {const: 1}", "MinLevel: {const: 300}"), "const-out-of-range", "const: 300"),
        (("path: on.on", "path: on..on"), "bad-path", "on..on"),
        (("linear: {", "lineer: {"), "unknown-transform", "- lineer"),
        (("optional: true", "optinal: true"), "unknown-key", "optinal"),
        (("kind: extended_color_light", "kind: Extended Color"), "invalid-value", "Extended Color"),
        (('spec_version: "1.4"', "spec_version: 1.4"), "wrong-type", "1.4\n"),
        (
            (
                "values: {ColorTemperatureMireds: true, CurrentXAndCurrentY: false}",
                "values: {ColorTemperatureMireds: true, CurrentXAndCurrentY: true}",
            ),
            "non-invertible-transform",
            "values: {ColorTemperatureMireds: true, CurrentXAndCurrentY: true}",
        ),
        (
            (
                "values: {ColorTemperatureMireds: true, CurrentXAndCurrentY: false}",
                "values: {ColorTemperatureMired: true, CurrentXAndCurrentY: false}",
            ),
            "unknown-enum-value",
            "ColorTemperatureMired: true",
        ),
    ],
)
def test_each_problem_has_its_code_and_position(edit: tuple[str, str], code: str, needle: str) -> None:
    old, new = edit
    assert old in EXTENDED
    text = EXTENDED.replace(old, new, 1)
    found = problems(text)
    assert code in [c for c, _, _ in found], found
    position = next(p for c, p, _ in found if c == code)
    line = int(position.split(":")[1])
    assert line == text.count("\n", 0, text.index(needle)) + 1, (found, needle)


def test_range_proof_without_clamp() -> None:
    text = EXTENDED.replace("              - clamp: {min: 1, max: 254}\n", "").replace(
        "matter: [0, 254]", "matter: [0, 300]"
    )
    ((code, position, hint),) = problems(text)
    assert code == "range-exceeds-constraint"
    assert position == f"m.yaml:{line_col(text, 'CurrentLevel:')}"
    assert "clamp" in hint


def test_const_attribute_rejects_transforms() -> None:
    text = EXTENDED.replace("MinLevel: {const: 1}", "MinLevel: {const: 1, transforms: [cie_xy]}")
    assert [c for c, _, _ in problems(text)] == ["invalid"]


def test_write_without_write_encoding() -> None:
    text = EXTENDED.replace("write:\n  method: PUT\n  url: /clip/v2/resource/light/{device_id}\n  body: merge\n", "")
    codes = {c for c, _, _ in problems(text)}
    assert codes == {"missing-write-encoding"}


@pytest.mark.parametrize(
    "text",
    [
        "",
        "- a list",
        "matter_map: 1\n",
        "\x00\x01",
        "a: &a [*a]",
        "{{ }}: '",
        "matter_map: 1\nmatter_map: 1\n",
    ],
)
def test_hostile_or_malformed_files_give_diagnostics_not_tracebacks(text: str) -> None:
    with pytest.raises(MappingError) as info:
        compile_text(text, "h.yaml")
    assert info.value.diagnostics
    assert all(d.position is None or d.position.file == "h.yaml" for d in info.value.diagnostics)


def test_non_utf8_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "latin1.yaml"
    bad.write_bytes("title: caf\xe9\n".encode("latin-1"))
    assert main(["validate", str(bad)]) == 1
    assert "error[encoding]" in capsys.readouterr().err


def test_json_schema_is_current_and_accepts_every_shipped_mapping() -> None:
    import jsonschema

    from matter_map.schema_export import mapping_schema_text
    from matter_map.yaml_loader import load_yaml

    committed = (ROOT / "schemas" / "mapping.schema.json").read_text()
    assert committed == mapping_schema_text(), "run python scripts/build_mapping_schema.py"
    schema = json.loads(committed)
    jsonschema.Draft202012Validator.check_schema(schema)
    validator = jsonschema.Draft202012Validator(schema)
    for file in sorted(mapping_files([MAPPINGS])):
        document = load_yaml(file.read_text(), str(file))
        assert list(validator.iter_errors(document.value)) == [], file
    broken = load_yaml(EXTENDED.replace("kind: extended_color_light", "kinds: x"), "x.yaml")
    assert list(validator.iter_errors(broken.value))
