"""`matter-map init`: drafts that validate and pass `matter-map test` unedited, on real payloads of several vendors."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from matter_map.cli import main
from matter_map.drafting import DraftingError, draft_mapping, leaves, to_yaml
from matter_map.loader import compile_text
from matter_map.testing.runner import check_file
from matter_map.yaml_loader import load_yaml

from .conftest import corpus_file, load_json

FIXTURE = Path(__file__).parent / "fixtures" / "acme_plug.json"


def hue_light() -> Any:
    resources = load_json(corpus_file("hue", "aiohue_v2_resources.json"))
    return next(r for r in resources if r["type"] == "light" and "dimming" in r)


# vendor, kind, sample, the bindings init must find in it
CORPUS_CASES = [
    ("philips_hue", "light", hue_light, {"OnOff.OnOff", "LevelControl.CurrentLevel"}),
    (
        "tuya",
        "pir",
        lambda: load_json(corpus_file("tuya", "pir_fcdjzz3s.json")),
        {"OccupancySensing.Occupancy", "PowerSource.BatPercentRemaining"},
    ),
    (
        "tuya",
        "temperature_humidity",
        lambda: load_json(corpus_file("tuya", "wsdcg_iq4ygaai.json")),
        {"TemperatureMeasurement.MeasuredValue"},
    ),
    (
        "smartthings",
        "dimmer",
        lambda: load_json(corpus_file("smartthings", "device_status", "switch_level.json")),
        {"OnOff.OnOff", "LevelControl.CurrentLevel"},
    ),
    (
        "smartthings",
        "multipurpose",
        lambda: load_json(corpus_file("smartthings", "device_status", "multipurpose_sensor.json")),
        {"TemperatureMeasurement.MeasuredValue", "BooleanState.StateValue", "PowerSource.BatPercentRemaining"},
    ),
    (
        "yale_august",
        "lock",
        lambda: load_json(corpus_file("yale_august", "get_lock.online.json")),
        {"DoorLock.LockState", "PowerSource.BatPercentRemaining"},
    ),
    (
        "lifx",
        "bulb",
        lambda: load_json(corpus_file("lifx", "bulb_GU10.json")),
        {"OnOff.OnOff", "LevelControl.CurrentLevel"},
    ),
    (
        "govee",
        "appliance",
        lambda: load_json(corpus_file("govee", "get_device_state.json")),
        {"OnOff.OnOff"},
    ),
]


@pytest.mark.parametrize(
    ("vendor", "kind", "sample", "expected"), CORPUS_CASES, ids=[f"{c[0]}-{c[1]}" for c in CORPUS_CASES]
)
def test_init_on_real_payloads_validates_and_passes_the_laws_unedited(
    vendor: str, kind: str, sample: Any, expected: set[str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    payload = tmp_path / "sample.json"
    payload.write_text(json.dumps(sample()), encoding="utf-8")
    target = tmp_path / f"{kind}.yaml"
    assert main(["init", vendor, kind, str(payload), "-o", str(target), "--format", "json"]) == 0
    listed = json.loads(capsys.readouterr().out)
    found = {f"{b['cluster']}.{b['attribute']}" for b in listed["bindings"]}
    assert expected <= found
    assert all(b["evidence"] and b["path"] for b in listed["bindings"])
    report = check_file(target)
    assert not report.error, report.error
    assert report.ok, "\n".join(f.render() for f in report.failures)
    assert report.bindings_checked >= len(expected)


def test_corpus_cases_cover_five_vendors() -> None:
    assert len({case[0] for case in CORPUS_CASES}) >= 5


def test_the_draft_of_a_new_kind_translates_its_own_sample() -> None:
    sample = load_json(FIXTURE)
    draft = draft_mapping("acme", "smart_plug", sample)
    compiled = compile_text(draft.text, "acme.yaml").compiled
    assert draft.id_path == "deviceId"
    assert [(b.cluster, b.attribute, b.path) for b in draft.bindings] == [
        ("OnOff", "OnOff", "state.power"),
        ("LevelControl", "CurrentLevel", "state.brightness"),
        ("TemperatureMeasurement", "MeasuredValue", "state.temperature"),
    ]
    assert draft.device_types == ("DimmableLight", "TemperatureSensor")
    assert compiled.device_name is not None
    assert compiled.device_name.text == "deviceName"

    from matter_map.translator import Translator

    event = Translator(compiled).to_matter(sample)[0]
    clusters = {c["id"]: c["attributes"] for c in event["MatterEndpoint"]["clusters"]}
    assert clusters["0x0006"]["0x0000"] is True
    assert clusters["0x0008"]["0x0000"] == 183  # 72 of 0..100 → 182.88 of 0..254


def test_a_device_type_given_names_the_first_endpoint(tmp_path: Path) -> None:
    draft = draft_mapping("acme", "socket", {"id": "x", "switch": True}, device_type="OnOffPlugInUnit")
    assert draft.device_types == ("OnOffPlugInUnit",)
    assert "OnOffPlugInUnit" in draft.text


def test_a_path_through_a_list_selection_is_read_only_with_a_note() -> None:
    sample = {"device": "d1", "capabilities": [{"instance": "powerSwitch", "state": {"value": 1}}]}
    draft = draft_mapping("acme", "light", sample)
    assert draft.bindings[0].path == "capabilities[instance=powerSwitch].state.value"
    assert any("read-only" in note for note in draft.notes)
    compiled = compile_text(draft.text, "x.yaml").compiled
    assert all(not c.commands for _, c in compiled.clusters())


def test_a_specification_range_and_scale_are_used() -> None:
    sample = {
        "id": "t1",
        "category": "dj",
        "status": {"switch_led": True, "bright_value": 500, "va_temperature": 215},
        "status_range": {
            "bright_value": {"type": "Integer", "value": {"min": 10, "max": 1000, "scale": 0, "step": 1}},
            "va_temperature": {"type": "Integer", "value": {"min": -200, "max": 600, "scale": 1, "step": 1}},
        },
    }
    draft = draft_mapping("acme", "light", sample)
    level = next(b for b in draft.bindings if b.attribute == "CurrentLevel")
    assert level.spec["range"] == [10, 1000]
    temperature = next(b for b in draft.bindings if b.cluster == "TemperatureMeasurement")
    assert temperature.spec["transforms"][0] == {"decimal": {"scale": 1, "max_quantum": 1}}
    compiled = compile_text(draft.text, "x.yaml").compiled
    from matter_map.translator import Translator

    event = Translator(compiled).to_matter(sample)
    measured = [c for e in event for c in e["MatterEndpoint"]["clusters"] if c["id"] == "0x0402"]
    assert measured[0]["attributes"]["0x0000"] == 2150  # 21.5 °C


@pytest.mark.parametrize(
    ("sample", "message"),
    [([1, 2], "must be a JSON object"), ({"id": "x", "colour": "red"}, "no field of the sample was recognised")],
)
def test_nothing_to_draft_is_a_clear_error(sample: Any, message: str) -> None:
    with pytest.raises(DraftingError, match=message):
        draft_mapping("acme", "thing", sample)


def test_init_refuses_to_overwrite_and_bad_names(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "plug.yaml"
    target.write_text("keep me", encoding="utf-8")
    assert main(["init", "acme", "plug", str(FIXTURE), "-o", str(target)]) == 1
    assert "exists: pass --force" in capsys.readouterr().err
    assert target.read_text(encoding="utf-8") == "keep me"
    assert main(["init", "Acme Inc", "plug", str(FIXTURE), "-o", str(target)]) == 1
    assert "lower case" in capsys.readouterr().err
    assert main(["init", "acme", "plug", str(FIXTURE), "--device-type", "DimableLight", "-o", "-"]) == 1
    assert "did you mean `DimmableLight`" in capsys.readouterr().err


json_scalars = st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False) | st.text()
json_values = st.recursive(
    json_scalars,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(min_size=1, max_size=8), inner, max_size=4),
    max_leaves=12,
)


@given(st.dictionaries(st.text(min_size=1, max_size=10), json_values, min_size=1, max_size=5))
def test_the_yaml_writer_reads_back_to_the_same_json(document: dict[str, Any]) -> None:
    text = "\n".join(to_yaml(document)) + "\n"
    assert load_yaml(text, "draft.yaml").value == document


@given(json_values)
def test_every_leaf_path_reads_back_its_value(sample: Any) -> None:
    from matter_map.paths import VendorPath

    for leaf in leaves({"root": sample}):
        assert VendorPath.parse(leaf.path).get({"root": sample}) == leaf.value


LOCK = """\
matter_map: 1
vendor: acme
kind: lock
title: enum constants by name
spec_version: "1.4"
match: {path: kind, equals: lock}
device: {id: id}
write: {method: PUT, url: "/locks/{device_id}", body: merge}
endpoints:
  - id: 1
    device_types: [DoorLock]
    clusters:
      DoorLock:
        attributes:
          LockState:
            path: status
            transforms: [{enum: {values: {Locked: locked, Unlocked: unlocked}}}]
          LockType: {const: LOCK_TYPE}
          ActuatorEnabled: {const: true}
          OperatingMode: {const: Normal}
          SupportedOperatingModes: {const: 65534}
        commands:
          LockDoor: {write: {LockState: Locked}}
          UnlockDoor: {write: {LockState: 2}}
"""


def test_enum_constants_are_written_by_name_or_number() -> None:
    compiled = compile_text(LOCK.replace("LOCK_TYPE", "DeadBolt"), "lock.yaml").compiled
    from matter_map.translator import Translator

    event = Translator(compiled).to_matter({"id": "l1", "kind": "lock", "status": "locked"})[0]
    attributes = event["MatterEndpoint"]["clusters"][0]["attributes"]
    assert attributes["0x0001"] == 0  # LockType DeadBolt
    assert attributes["0x0025"] == 0  # OperatingMode Normal
    lock = {"Endpoints": [{"endpointId": "1", "capabilities": [{"id": "matter.DoorLock@1.4", "name": "DoorLock",
            "version": "1", "actions": [{"name": "LockDoor"}]}]}]}  # fmt: skip
    assert Translator(compiled).to_vendor(lock, device_id="l1")[0]["body"] == {"status": "locked"}


def test_an_enum_name_that_is_not_a_member_lists_the_members() -> None:
    from matter_map.diagnostics import MappingError

    with pytest.raises(MappingError) as caught:
        compile_text(LOCK.replace("LOCK_TYPE", "Deadbolt"), "lock.yaml")
    (problem,) = caught.value.diagnostics
    assert problem.code == "const-out-of-range"
    assert "'Deadbolt' is not a member of the enum (DeadBolt, Magnetic" in problem.message
