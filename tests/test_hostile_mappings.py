"""Hostile mapping inputs: `matter-map validate` runs in a subprocess held to 2 s of CPU and 200 MB of address
space, and each case ends with exit status 1 and a located diagnostic (`file:line:col: error[code]`), never a
traceback, a hang or an exhausted machine."""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
from pathlib import Path

import pytest

from matter_map import vendor_schema_check
from matter_map.diagnostics import Diagnostic, MappingError, Severity
from matter_map.loader import load_mapping

from .conftest import HUE

CPU_SECONDS = 2
ADDRESS_SPACE = 200 << 20
BASE = (HUE / "dimmable_light.yaml").read_text(encoding="utf-8")


def _limits() -> None:
    resource.setrlimit(resource.RLIMIT_CPU, (CPU_SECONDS, CPU_SECONDS))
    resource.setrlimit(resource.RLIMIT_AS, (ADDRESS_SPACE, ADDRESS_SPACE))


def validate(file: Path) -> subprocess.CompletedProcess[str]:
    """`matter-map validate file` within the limits (the wall-clock timeout only guards a blocked process)."""
    return subprocess.run(
        [sys.executable, "-m", "matter_map", "validate", str(file)],
        capture_output=True,
        text=True,
        timeout=30,
        preexec_fn=_limits,
        check=False,
    )


def mapping(folder: Path, vendor_schema: str | None = None, *, text: str = BASE) -> Path:
    if vendor_schema is not None:
        text = text.replace("\nendpoints:", f"\nvendor_schema: {json.dumps(vendor_schema)}\nendpoints:", 1)
    file = folder / "lamp.yaml"
    file.write_text(text, encoding="utf-8")
    return file


def assert_refused(file: Path, code: str, *fragments: str) -> None:
    done = validate(file)
    assert done.returncode == 1, (done.returncode, done.stderr[-2000:])
    assert "Traceback" not in done.stderr
    located = [line for line in done.stderr.splitlines() if line.startswith(f"{file}:") and f"error[{code}]" in line]
    assert any(all(f in line for f in fragments) for line in located), done.stderr[-2000:]


def test_the_limits_are_enforced_on_the_child(tmp_path: Path) -> None:
    hog = tmp_path / "hog.py"
    hog.write_text("x = bytearray(300 << 20)\n", encoding="utf-8")
    done = subprocess.run(
        [sys.executable, str(hog)],
        capture_output=True,
        text=True,
        timeout=30,
        preexec_fn=_limits,
        check=False,
    )
    assert done.returncode != 0
    assert "MemoryError" in done.stderr


def test_a_benign_mapping_passes_within_the_limits(tmp_path: Path) -> None:
    done = validate(mapping(tmp_path))
    assert done.returncode == 0, done.stderr


@pytest.mark.parametrize("target", ["/etc/passwd", "../outside.json#/$defs/light"])
def test_a_vendor_schema_outside_the_mapping_folder_is_refused(tmp_path: Path, target: str) -> None:
    folder = tmp_path / "vendor"
    folder.mkdir()
    (tmp_path / "outside.json").write_text('{"$defs": {"light": {"type": "object"}}}', encoding="utf-8")
    assert_refused(mapping(folder, target), "vendor-schema-refused", "outside the mapping's folder")


def test_a_ref_leaving_the_mapping_folder_is_refused(tmp_path: Path) -> None:
    folder = tmp_path / "vendor"
    folder.mkdir()
    (tmp_path / "secret.json").write_text("{}", encoding="utf-8")
    (folder / "schema.json").write_text('{"$ref": "../secret.json"}', encoding="utf-8")
    assert_refused(mapping(folder, "schema.json"), "vendor-schema-refused", "outside the mapping's folder")


def test_a_symlink_to_a_device_is_refused(tmp_path: Path) -> None:
    (tmp_path / "zero.json").symlink_to("/dev/zero")
    assert_refused(mapping(tmp_path, "zero.json"), "vendor-schema-refused", "outside the mapping's folder")


def test_a_fifo_is_refused_without_opening_it(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "pipe.json")
    assert_refused(mapping(tmp_path, "pipe.json"), "vendor-schema-refused", "not a regular file")


def test_an_oversized_schema_is_refused_unread(tmp_path: Path) -> None:
    (tmp_path / "big.json").write_text('{"x": "' + "a" * (5 << 20) + '"}', encoding="utf-8")
    assert_refused(mapping(tmp_path, "big.json"), "vendor-schema-refused", "larger than")


def test_a_deeply_nested_json_schema_is_refused(tmp_path: Path) -> None:
    (tmp_path / "deep.json").write_text("[" * 200_000 + "]" * 200_000, encoding="utf-8")
    assert_refused(mapping(tmp_path, "deep.json"), "vendor-schema-refused", "nested too deeply")


def test_a_deeply_nested_yaml_schema_is_refused(tmp_path: Path) -> None:
    (tmp_path / "deep.yaml").write_text("[" * 50_000 + "]" * 50_000 + "\n", encoding="utf-8")
    assert_refused(mapping(tmp_path, "deep.yaml"), "vendor-schema-refused")


@pytest.mark.parametrize(
    ("name", "text", "where"),
    [("bad.json", '{"type": "object",\n  "properties": {', "bad.json:2:"), ("bad.yaml", "a: [1, 2\n", "bad.yaml:")],
)
def test_a_syntactically_bad_schema_is_refused_with_its_position(
    tmp_path: Path, name: str, text: str, where: str
) -> None:
    (tmp_path / name).write_text(text, encoding="utf-8")
    assert_refused(mapping(tmp_path, name), "vendor-schema-refused", where)


def test_a_catastrophic_pattern_runs_in_linear_time(tmp_path: Path) -> None:
    schema = {
        "type": "object",
        "properties": {"id": {"type": "string"}},
        "patternProperties": {"^(a+)+$": {"type": "object"}},
    }
    (tmp_path / "re.json").write_text(json.dumps(schema), encoding="utf-8")
    key = "a" * 5000 + "!"  # Python's backtracking engine would take longer than the age of the universe
    text = BASE.replace("path: on.on", f"path: '[\"{key}\"].on'", 1)
    assert text != BASE
    assert_refused(mapping(tmp_path, "re.json", text=text), "vendor-schema-missing-path", "aaaa")


def test_an_all_of_fan_out_is_expanded_once_per_object(tmp_path: Path) -> None:
    levels = 25  # ten branches per level: 10**25 views if every branch were followed (depth 51 of 64)
    defs = {f"l{i}": {"allOf": [{"$ref": f"#/$defs/l{i + 1}"}] * 10} for i in range(levels)}
    defs[f"l{levels}"] = {"type": "object", "properties": {"id": {"type": "string"}}}
    (tmp_path / "fan.json").write_text(json.dumps({"$defs": defs, "$ref": "#/$defs/l0"}), encoding="utf-8")
    assert_refused(mapping(tmp_path, "fan.json"), "vendor-schema-missing-path", "on.on")


def test_expansion_beyond_the_budget_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    parts = [{"type": "object", "description": str(i)} for i in range(100)]
    (tmp_path / "wide.json").write_text(json.dumps({"anyOf": parts}), encoding="utf-8")
    monkeypatch.setattr(vendor_schema_check, "MAX_EXPANSION", 50)
    (found,) = _diagnostics(mapping(tmp_path, "wide.json"))
    assert (found.code, found.severity) == ("vendor-schema-refused", Severity.ERROR)
    assert "expands to more than 50 objects" in found.message


def _diagnostics(file: Path) -> list[Diagnostic]:
    try:
        load_mapping(file)
    except MappingError as exc:
        return list(exc.diagnostics)
    return []


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("url: /clip/v2/resource/light/{device_id}", 'url: "/clip/v2/resource/light/{device_id}\\r\\nX-Evil: 1"'),
        ("url: /clip/v2/resource/light/{device_id}", 'url: "/clip/v2/resource/light/{device_id}\\n"'),
        (
            "url: /clip/v2/resource/light/{device_id}",
            'url: /clip/v2/resource/light/{device_id}\n  headers: {X-Key: "a\\0b"}',
        ),
        (
            "url: /clip/v2/resource/light/{device_id}",
            'url: /clip/v2/resource/light/{device_id}\n  headers: {"X-A\\rB": "1"}',
        ),
        ("\nwrite:", '\nbase_url: "https://hue\\r\\n.example"\nwrite:'),
    ],
    ids=["url-crlf", "url-lf", "header-nul", "header-name-cr", "base-url-crlf"],
)
def test_control_characters_in_urls_and_headers_are_errors(tmp_path: Path, old: str, new: str) -> None:
    text = BASE.replace(old, new, 1)
    assert text != BASE
    assert_refused(mapping(tmp_path, text=text), "invalid", "control character")


def translate(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "matter_map", *args],
        capture_output=True,
        text=True,
        timeout=30,
        preexec_fn=_limits,
        check=False,
    )


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[" * 100_000 + "]" * 100_000, "JSON nested too deeply to read"),
        ('{"id": "x", "dimming": {"brightness": ' + "9" * 5000 + "}}", "a number too long to convert"),
        ('{"id": "x", "type": "light", "dimming": {"brightness": Infinity}}', "non-finite number (inf)"),
        ('{"id": "x", "type": "light", "dimming": {"brightness": ' + "9" * 100 + "}}", "integer beyond 64 bits"),
        ('{"id": "\\ud800", "type": "light", "on": {"on": true}}', "not valid Unicode"),
        ('{"type": "light", "a": ' + "[" * 500 + "]" * 500 + "}", "nested deeper than 64 levels at `a[0][0]"),
    ],
    ids=["deep-json", "long-number", "infinity", "huge-int", "lone-surrogate", "deep-state"],
)
@pytest.mark.parametrize("validate_input", [True, False], ids=["validated", "unvalidated"])
def test_the_translate_path_answers_hostile_vendor_json_with_one_line(
    tmp_path: Path, text: str, message: str, validate_input: bool
) -> None:
    state = tmp_path / "state.json"
    state.write_text(text, encoding="utf-8")
    for command in ("to-matter", "discover"):
        args = [command, str(HUE / "dimmable_light.yaml"), str(state)]
        done = translate(*args) if validate_input else translate(*args, "--no-validate-input")
        assert done.returncode == 1, (command, done.stderr[-2000:])
        assert "Traceback" not in done.stderr
        assert message in done.stderr, done.stderr[-2000:]
