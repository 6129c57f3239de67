"""The vendor payload schema derived from each mapping: valid, deterministic, faithful to the translator."""

from __future__ import annotations

import copy
import functools
import json
import re
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from jsonschema import Draft202012Validator

from matter_map.errors import TranslationError
from matter_map.ir import CompiledMapping
from matter_map.loader import compile_text, load_mapping, mapping_files
from matter_map.paths import MISSING, VendorPath
from matter_map.translator import Translator
from matter_map.vendor_schema import derive, dumps, rule_schema
from matter_map.vendor_validation import VendorValidator, available_engines, vendor_validator

from .conftest import CORPUS, HUE, MAPPINGS, SAMPLES, load_json

LIGHT = load_json(SAMPLES / "extended_color_light.json")
SOURCE = re.compile(r"\.yaml:\d+:\d+$")


def shipped() -> list[CompiledMapping]:
    return [load_mapping(f).compiled for f in mapping_files([MAPPINGS])]


@pytest.fixture(scope="module")
def light() -> CompiledMapping:
    return load_mapping(HUE / "extended_color_light.yaml").compiled


@pytest.fixture(scope="module", params=available_engines())
def validator(request: pytest.FixtureRequest, light: CompiledMapping) -> VendorValidator:
    return VendorValidator(light, engine=request.param)


def test_every_shipped_schema_is_valid_draft_2020_12() -> None:
    mappings = shipped()
    assert mappings
    for compiled in mappings:
        derived = derive(compiled)
        for document in (derived.full, derived.partial):
            Draft202012Validator.check_schema(document)
            assert document["$schema"] == "https://json-schema.org/draft/2020-12/schema"


def test_derivation_is_deterministic_and_independent_of_the_folder(tmp_path: Path) -> None:
    text = (HUE / "extended_color_light.yaml").read_text(encoding="utf-8")
    (tmp_path / "extended_color_light.yaml").write_text(text, encoding="utf-8")
    here = derive(load_mapping(HUE / "extended_color_light.yaml").compiled)
    there = derive(load_mapping(tmp_path / "extended_color_light.yaml").compiled)
    again = derive(load_mapping(HUE / "extended_color_light.yaml").compiled)
    assert dumps(here.full) == dumps(again.full) == dumps(there.full)
    assert dumps(here.partial) == dumps(there.partial)


def test_required_paths_and_types_of_the_hue_light(light: CompiledMapping) -> None:
    schema = derive(light).full
    props = schema["properties"]
    assert set(schema["required"]) >= {"on", "dimming", "color", "color_temperature"}
    brightness = props["dimming"]["properties"]["brightness"]
    assert (brightness["type"], brightness["minimum"], brightness["maximum"]) == ("number", 0, 100)
    assert props["on"]["properties"]["on"]["type"] == "boolean"
    assert props["color_temperature"]["properties"]["mirek_valid"]["enum"] == [True, False]
    # the optional custom property: null allowed, not required
    assert props["effects"]["properties"]["status"]["type"] == ["string", "null"]
    assert "required" not in props["effects"]
    # the `when`-guarded ColorTemperatureMireds is an if/then block, not a top-level constraint
    assert "mirek" not in props["color_temperature"]["properties"]
    guarded = [b for b in schema["allOf"] if "if" in b]
    assert any("mirek" in json.dumps(b["then"]) for b in guarded)


def test_partial_schema_requires_nothing_and_skips_the_match_rule(light: CompiledMapping) -> None:
    derived = derive(light)
    assert "required" not in derived.partial
    assert "required" not in json.dumps(derived.partial["properties"])
    validator = VendorValidator(light)
    assert validator.problems({"on": {"on": False}}, partial=True) == []
    assert validator.problems({"on": {"on": False}}) != []


def test_every_sample_validates_against_its_mapping() -> None:
    mappings = shipped()
    checked = 0
    for sample in sorted(MAPPINGS.rglob("samples/*.json")):
        payload = load_json(sample)
        for compiled in mappings:
            if Translator(compiled).recognises(payload):
                assert VendorValidator(compiled).problems(payload) == [], f"{sample.name} vs {compiled.identity}"
                checked += 1
    assert checked >= 3


def _corpus_payloads(document: Any) -> list[dict[str, Any]]:
    """A corpus file's candidate device payloads: the object itself, or the objects of its top-level lists."""
    if isinstance(document, list):
        return [d for d in document if isinstance(d, dict)]
    if isinstance(document, dict):
        found = [document]
        for value in document.values():
            if isinstance(value, list):
                found += [d for d in value if isinstance(d, dict)]
        return found
    return []


def test_every_corpus_device_of_a_covered_kind_validates() -> None:
    if not CORPUS.exists():
        pytest.skip(f"vendor corpus not present at {CORPUS} (CI provides ../shared/corpus)")
    mappings = shipped()
    validators = {m.identity: VendorValidator(m) for m in mappings}
    covered: dict[str, int] = {}
    for file in sorted(CORPUS.rglob("*.json")):
        for payload in _corpus_payloads(json.loads(file.read_text(encoding="utf-8"))):
            for compiled in mappings:
                if Translator(compiled).recognises(payload):
                    problems = validators[compiled.identity].problems(payload)
                    assert problems == [], f"{file.name} {payload.get('id')}: {[str(p) for p in problems]}"
                    covered[compiled.identity] = covered.get(compiled.identity, 0) + 1
    assert covered.get("philips_hue/extended_color_light", 0) >= 4
    assert sum(covered.values()) >= 10


def _set(payload: dict[str, Any], path: str, value: Any) -> dict[str, Any]:
    out = copy.deepcopy(payload)
    VendorPath.parse(path).set(out, value)
    return out


def _drop(payload: dict[str, Any], path: str) -> dict[str, Any]:
    out = copy.deepcopy(payload)
    *parents, last = VendorPath.parse(path).segments
    node: Any = out
    for key in parents:
        node = node[key]
    del node[last]
    return out


CORRUPTIONS = [
    ("wrong type", lambda p: _set(p, "on.on", "true"), "on.on", "bad-vendor-value", "OnOff.OnOff"),
    ("wrong type", lambda p: _set(p, "color.xy.x", None), "color.xy.x", "bad-vendor-value", "ColorControl.CurrentX"),
    ("out of range", lambda p: _set(p, "dimming.brightness", 100.5), "dimming.brightness", "out-of-range", "Level"),
    ("out of range", lambda p: _set(p, "color.xy.y", -0.1), "color.xy.y", "out-of-range", "ColorControl.CurrentY"),
    ("missing", lambda p: _drop(p, "dimming.brightness"), "dimming.brightness", "missing-vendor-value", "Level"),
    (
        "missing",
        lambda p: _drop(p, "color_temperature.mirek_schema.mirek_maximum"),
        "color_temperature.mirek_schema.mirek_maximum",
        "missing-vendor-value",
        "ColorControl.",
    ),
    ("nesting", lambda p: _set(p, "dimming.brightness", {"value": 50}), "dimming.brightness", "bad-vendor-value", "L"),
    ("nesting", lambda p: _set(p, "on", {"on": {"on": True}}), "on.on", "bad-vendor-value", "OnOff.OnOff"),
    ("nesting", lambda p: _set(p, "color", {"color": p["color"]}), "color.xy", "missing-vendor-value", "ColorCont"),
    ("not the kind", lambda p: _set(p, "type", "grouped_light"), "type", "unrecognised-payload", "match rule"),
    (
        "when-guarded",
        lambda p: _set(p, "color_temperature.mirek", "warm"),
        "color_temperature.mirek",
        "bad-vendor-value",
        "ColorControl.ColorTemperatureMireds",
    ),
]


@pytest.mark.parametrize(("kind", "corrupt", "path", "code", "rule"), CORRUPTIONS, ids=[c[0] for c in CORRUPTIONS])
def test_corrupted_payloads_are_rejected_with_the_exact_vendor_path(
    validator: VendorValidator, kind: str, corrupt: Any, path: str, code: str, rule: str
) -> None:
    problems = validator.problems(corrupt(LIGHT))
    assert problems, kind
    found = [p for p in problems if p.vendor_path == path]
    assert found, f"{kind}: {[str(p) for p in problems]}"
    problem = found[0]
    assert problem.code == code
    assert f"`{path}`" in problem.message
    assert problem.rule.startswith(rule)
    assert SOURCE.search(problem.source), problem


def test_every_problem_is_reported_at_once(validator: VendorValidator) -> None:
    payload = _set(_set(_drop(LIGHT, "color.xy.y"), "on.on", 1), "dimming.brightness", 300)
    paths = {p.vendor_path for p in validator.problems(payload)}
    assert paths == {"color.xy.y", "on.on", "dimming.brightness"}


def test_engines_agree() -> None:
    engines = available_engines()
    if len(engines) < 2:
        pytest.skip("only one validation engine is installed")
    compiled = load_mapping(HUE / "extended_color_light.yaml").compiled
    a, b = (VendorValidator(compiled, engine=e) for e in engines[:2])
    for _, corrupt, *_ in CORRUPTIONS:
        payload = corrupt(LIGHT)
        assert {(p.code, p.vendor_path) for p in a.problems(payload)} == {
            (p.code, p.vendor_path) for p in b.problems(payload)
        }


# --- the law: the schema accepts exactly what the translator can read ---------------------------------------

LEAVES = [
    "on.on",
    "dimming.brightness",
    "color.xy.x",
    "color.xy.y",
    "color_temperature.mirek",
    "color_temperature.mirek_valid",
    "color_temperature.mirek_schema.mirek_minimum",
    "color_temperature.mirek_schema.mirek_maximum",
]
VALUES = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-5, 600),
    st.floats(-1, 2, allow_nan=False),
    st.sampled_from(["", "x", "50"]),
    st.just({"value": 1}),
    st.just([1]),
)
VENDOR_SIDE = {"missing-vendor-value", "bad-vendor-value"}


DROP = "<drop>"


@functools.cache
def _light() -> CompiledMapping:
    return load_mapping(HUE / "extended_color_light.yaml").compiled


@settings(max_examples=150, deadline=None)
@given(edits=st.lists(st.tuples(st.sampled_from(LEAVES), st.one_of(VALUES, st.just(DROP))), max_size=3))
def test_the_schema_accepts_what_the_translator_reads(edits: list[tuple[str, Any]]) -> None:
    """Accepted ⇒ translated without a vendor-side error; a vendor-side error ⇒ rejected, at the same path."""
    light = _light()
    payload = LIGHT
    for path, value in edits:
        if value != DROP:
            payload = _set(payload, path, value)
        elif VendorPath.parse(path).get(payload) is not MISSING:
            payload = _drop(payload, path)
    problems = vendor_validator(light).problems(payload)
    translated: list[Any] = []
    try:
        Translator(light).capability_report(payload)
    except TranslationError as exc:
        translated = [p for p in exc.problems if p.code in VENDOR_SIDE]
    except TypeError:
        # the translator crashes on some values (an object where an enum expects a scalar): the boundary
        # check must stop every such payload before it gets there
        assert problems, "the translator crashed on a payload the schema accepts"
        return
    if not problems:
        assert translated == [], f"schema accepted, translator refused: {translated}"
    for refused in translated:
        # the translator names the value's path, and in its message the range bound it could not read
        named = {refused.vendor_path, *re.findall(r"`([^`]+)`", refused.message)}
        assert any(p.vendor_path in named for p in problems), (refused, problems)


# --- path forms: selectors, indexes, quoted keys, nested JSON, ranges from the payload ------------------------

FORMS = """
matter_map: 1
vendor: acme
kind: forms
title: every path form
match: {path: kind, equals: plug}
device: {id: id}
endpoints:
  - id: 1
    device_types: [OnOffPlugInUnit]
    clusters:
      OnOff:
        attributes:
          OnOff: {path: "status[code=switch_1].value", read_only: true}
      LevelControl:
        attributes:
          CurrentLevel:
            path: levels[0]
            read_only: true
            range: [{path: spec.min}, {path: spec.max}]
            transforms:
              - linear: {vendor: [{path: spec.min}, {path: spec.max}], matter: [1, 254], round: half_even}
          OnLevel:
            path: 'traits["sdm.level"].colour'
            read_only: true
            transforms: [json_string, field: {key: v}, clamp: {min: 1, max: 254}]
"""


@pytest.fixture(scope="module")
def forms() -> CompiledMapping:
    return compile_text(FORMS, "forms.yaml").compiled


FORMS_OK = {
    "kind": "plug",
    "id": "p1",
    "status": [{"code": "countdown", "value": 3}, {"code": "switch_1", "value": True}],
    "levels": [500],
    "spec": {"min": 10, "max": 1000},
    "traits": {"sdm.level": {"colour": '{"v": 30}'}},
}


def test_path_forms_in_the_schema(forms: CompiledMapping) -> None:
    schema = derive(forms).full
    status = schema["properties"]["status"]
    assert status["contains"]["properties"]["code"]["enum"] == ["switch_1"]
    assert status["items"]["then"]["properties"]["value"]["type"] == "boolean"
    assert schema["properties"]["levels"]["minItems"] == 1
    assert "sdm.level" in schema["properties"]["traits"]["properties"]
    nested = schema["properties"]["traits"]["properties"]["sdm.level"]["properties"]["colour"]
    assert nested["contentMediaType"] == "application/json"
    assert nested["contentSchema"]["required"] == ["v"]
    Draft202012Validator.check_schema(schema)
    assert VendorValidator(forms).problems(FORMS_OK) == []
    Translator(forms).capability_report(FORMS_OK)


@pytest.mark.parametrize(
    ("edit", "path", "code"),
    [
        (lambda p: _set(p, "status", [{"code": "countdown", "value": 3}]), "status", "missing-vendor-value"),
        (lambda p: {**p, "status": [{"code": "switch_1", "value": "on"}]}, "status[code=switch_1].value", "bad"),
        (lambda p: {**p, "levels": []}, "levels", "missing-vendor-value"),
        (lambda p: {**p, "levels": ["x"]}, "levels[0]", "bad-vendor-value"),
        (lambda p: {**p, "levels": [5]}, "levels[0]", "out-of-range"),
        (lambda p: {**p, "levels": [1001]}, "levels[0]", "out-of-range"),
        (lambda p: _set(p, "traits", {"sdm.level": {"colour": ""}}), 'traits["sdm.level"].colour', "bad-vendor-value"),
        (lambda p: _set(p, "traits", {"sdm.level": {"colour": {"w": 1}}}), 'traits["sdm.level"].colour.v', "missing"),
        (lambda p: _drop(p, "spec.max"), "spec.max", "missing-vendor-value"),
    ],
)
def test_path_forms_are_named_exactly(forms: CompiledMapping, edit: Any, path: str, code: str) -> None:
    for engine in available_engines():
        problems = VendorValidator(forms, engine=engine).problems(edit(FORMS_OK))
        assert any(p.vendor_path == path and p.code.startswith(code) for p in problems), [str(p) for p in problems]


def test_the_range_read_from_the_payload_is_checked(forms: CompiledMapping) -> None:
    derived = derive(forms)
    assert "$comment" in json.dumps(derived.full["properties"]["levels"])
    problem = VendorValidator(forms).problems({**FORMS_OK, "levels": [9]})[0]
    assert "minimum 10" in problem.message
    assert "`spec.min`" in problem.message
    assert problem.rule == "LevelControl.CurrentLevel"


def test_rule_schemas_agree_with_rule_evaluation(light: CompiledMapping) -> None:
    """Every rule of every shipped mapping, as a schema, holds on exactly the payloads the rule matches."""
    from matter_map.rules import matches
    from matter_map.vendor_reads import all_rules

    payloads: list[Any] = [LIGHT, _drop(LIGHT, "dimming"), _set(LIGHT, "type", "x"), {}, _drop(LIGHT, "color.xy")]
    payloads += [load_json(sample) for sample in sorted(MAPPINGS.rglob("samples/*.json"))]
    if CORPUS.exists():
        for file in sorted(CORPUS.rglob("*.json")):
            payloads += _corpus_payloads(json.loads(file.read_text(encoding="utf-8")))
    rules = [rule for compiled in shipped() for _, rule in all_rules(compiled)]
    assert len(rules) >= 10
    for rule in rules:
        validator = Draft202012Validator(rule_schema(rule))
        for payload in payloads:
            assert validator.is_valid(payload) == matches(rule, payload), (rule, payload.get("id"))
