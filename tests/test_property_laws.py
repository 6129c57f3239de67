"""matter_map.testing: strategies, domains, the simulated device, the laws' reports, the CLI and the pytest plugin."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings

from matter_map.cli import main
from matter_map.ir import FieldRef
from matter_map.loader import compile_text, load_mapping
from matter_map.paths import MISSING
from matter_map.rules import matches
from matter_map.testing import semantics
from matter_map.testing.documents import deep_merge, put_path, same_json
from matter_map.testing.domains import Finite, Interval
from matter_map.testing.harness import Harness
from matter_map.testing.profiles import profile
from matter_map.testing.runner import FAILED, PASSED, check_file, laws_of, run_law
from matter_map.testing.simulator import Simulator
from matter_map.testing.strategies import vendor_states
from matter_map.transforms import JsonString, Linear
from matter_map.translator import Translator

from .test_mutation import BASE, MUTANTS, mutate

HARNESS = Harness(load_mapping(BASE).compiled)
BY_RULE = {b.rule: b for b in HARNESS.subjects.bindings}

MERGE_MAPPING = """
matter_map: 1
vendor: test_vendor
kind: dimmer
title: test-only merge encoding with a prefix and one attribute with its own write template
match: {path: kind, equals: dimmer}
device: {id: id}
write: {method: PUT, url: "/devices/{device_id}", body: merge, prefix: state}
endpoints:
  - id: 1
    device_types: [DimmableLight]
    clusters:
      OnOff:
        features: [LT]
        attributes:
          OnOff:
            path: state.power
            transforms: [bool: {"true": "on", "false": "off"}]
            write:
              method: POST
              url: "/devices/{device_id}/commands"
              body: {commands: [{capability: switch, command: $value}]}
        commands:
          "On": {write: {OnOff: true}}
      LevelControl:
        features: [OO, LT]
        attributes:
          CurrentLevel:
            path: state.dimming.level
            range: [0, 100]
            transforms:
              - linear: {vendor: [0, 100], matter: [0, 254], round: half_even}
              - clamp: {min: 1, max: 254}
        commands:
          MoveToLevelWithOnOff: {write: {CurrentLevel: $Level, OnOff.OnOff: true}}
"""


def update_state(cluster: str, **values: Any) -> dict[str, Any]:
    action = {"name": "UpdateState", "parameters": values}
    return {"Endpoints": [{"endpointId": "1", "capabilities": [{"id": f"matter.{cluster}@1.4", "actions": [action]}]}]}


# --- JSON documents ------------------------------------------------------------------------------------


def test_put_path_creates_objects_lists_and_selected_elements() -> None:
    from matter_map.paths import VendorPath

    doc: dict[str, Any] = {"status": [{"code": "a", "value": 1}]}
    put_path(doc, VendorPath.parse("status[code=b].value"), 2)
    put_path(doc, VendorPath.parse("x.y[1].z"), True)
    assert doc == {"status": [{"code": "a", "value": 1}, {"code": "b", "value": 2}], "x": {"y": [None, {"z": True}]}}


def test_deep_merge_merges_objects_and_replaces_the_rest() -> None:
    target = {"a": {"b": 1, "c": [1, 2]}, "d": 1}
    deep_merge(target, {"a": {"c": [3]}, "e": {"f": None}})
    assert target == {"a": {"b": 1, "c": [3]}, "d": 1, "e": {"f": None}}


def test_same_json_keeps_true_apart_from_one() -> None:
    assert same_json(1, 1.0)
    assert not same_json(True, 1)
    assert not same_json({"a": True}, {"a": 1})


# --- the simulated device ------------------------------------------------------------------------------


def test_items_requests_set_the_binding_paths() -> None:
    state = {"id": "d1", "status": {"switch_led": True}}
    request = {"method": "POST", "body": {"commands": [{"code": "switch_led", "value": False}]}}
    after = Simulator(HARNESS.compiled).run(state, [request])
    assert after["status"]["switch_led"] is False
    assert state["status"]["switch_led"] is True  # the input is left alone


def test_merge_bodies_are_merged_under_the_prefix_and_templates_are_matched() -> None:
    compiled = compile_text(MERGE_MAPPING, "merge.yaml").compiled
    translator = Translator(compiled)
    state = {"id": "d1", "kind": "dimmer", "state": {"power": "off", "dimming": {"level": 20, "min": 1}}}
    requests = translator.to_vendor(update_state("LevelControl", CurrentLevel=127), state=state)
    assert requests[0]["body"] == {"dimming": {"level": 50.0}}
    after = Simulator(compiled).run(state, requests)
    assert after["state"]["dimming"] == {"level": 50.0, "min": 1}
    requests = translator.to_vendor(update_state("OnOff", OnOff=True), state=state)
    assert requests[0]["body"] == {"commands": [{"capability": "switch", "command": "on"}]}
    assert Simulator(compiled).run(state, requests)["state"]["power"] == "on"


def test_every_law_holds_on_the_merge_mapping() -> None:
    compiled = compile_text(MERGE_MAPPING, "merge.yaml").compiled
    outcomes = [run_law(law) for law in laws_of(compiled)]
    assert [o.render() for o in outcomes if o.status == FAILED] == []
    assert {o.law for o in outcomes} >= {"validity", "put-get", "get-put", "stability", "command-effect"}


# --- domains and strategies ----------------------------------------------------------------------------


def test_a_composite_binding_splits_into_member_selection_and_value_core() -> None:
    lens = BY_RULE["ColorControl.CurrentHue"].lens
    assert type(lens.prefix.transforms[0]) is JsonString
    assert [type(t) for t in lens.core.transforms] == [Linear]
    state = {"status": {"colour_data_v2": '{"h": 120, "s": 5, "v": 10}'}}
    assert lens.read_core(state) == 120
    lens.write_core(state, 7)
    assert json.loads(state["status"]["colour_data_v2"]) == {"h": 7, "s": 5, "v": 10}
    assert lens.vendor_domain(state) == Interval(0, 360, True, 0)


def test_vendor_domains_follow_the_device_bounds_within_the_static_limits() -> None:
    lens = BY_RULE["ColorControl.ColorTemperatureMireds"].lens
    narrow = {"status_range": {"temp_kelvin": {"min": 2700, "max": 5000}}}
    wild = {"status_range": {"temp_kelvin": {"min": 5, "max": 90000}}}
    assert (lens.vendor_domain(narrow).lo, lens.vendor_domain(narrow).hi) == (2700, 5000)  # type: ignore[union-attr]
    assert (lens.vendor_domain(wild).lo, lens.vendor_domain(wild).hi) == (2000, 6500)  # type: ignore[union-attr]
    assert lens.matter_domain(narrow) == Interval(200, 370, True)


def test_the_reciprocal_loss_is_evaluated_at_the_value() -> None:
    lens = BY_RULE["ColorControl.ColorTemperatureMireds"].lens
    state = {"status_range": {"temp_kelvin": {"min": 2000, "max": 6500}}}
    warm, cool = lens.vendor_tolerance(2000, state)[0], lens.vendor_tolerance(6500, state)[0]
    assert cool > warm  # one mired spans more kelvin at the cool end: 0.5·k²/10⁶ + ½
    assert cool == pytest.approx(0.5 * 6500**2 / 1e6 + 0.5, rel=1e-6)


def test_enum_domains_list_vendor_values_and_their_images() -> None:
    lens = BY_RULE["OnOff.StartUpOnOff"].lens
    assert lens.vendor_domain({}) == Finite(("power_off", "power_on", "last"))
    assert lens.matter_domain({}) == Finite((0, 1, 2))


@settings(max_examples=30, deadline=None, database=None)
@given(vendor_states(HARNESS.subjects, BY_RULE["ColorControl.ColorTemperatureMireds"]))
def test_generated_states_are_recognised_and_keep_device_bounds_ordered(state: dict[str, Any]) -> None:
    assert matches(HARNESS.compiled.match, state)
    bounds = state["status_range"]["temp_kelvin"]
    assert bounds["min"] < bounds["max"]
    for binding in HARNESS.subjects.bindings:
        domain = binding.lens.vendor_domain(state)
        value = binding.lens.read_core(state)
        assert domain is None or value is MISSING or domain.contains(value) or value == json.loads("null")


# --- command meanings ----------------------------------------------------------------------------------


def command(cluster: str, name: str) -> Any:
    return next(c.command for c in HARNESS.subjects.commands if (c.cluster.name, c.command.name) == (cluster, name))


def test_meanings_come_from_matter_not_from_the_mapping() -> None:
    def current(cluster: str, name: str) -> Any:
        return {("OnOff", "OnOff"): True, ("LevelControl", "MinLevel"): 1}.get((cluster, name), MISSING)

    def bound(cluster: str, name: str) -> bool:
        return True

    toggle = semantics.meaning(command("OnOff", "Toggle"), {}, current, bound)
    assert toggle.expected == {("OnOff", "OnOff"): False}
    assert toggle.origin == "Matter"
    level = semantics.meaning(command("LevelControl", "MoveToLevel"), {"Level": 77}, current, bound)
    assert level.expected == {("LevelControl", "CurrentLevel"): 77}
    with pytest.raises(semantics.NeedsStateError):
        semantics.meaning(command("OnOff", "Toggle"), {}, lambda c, n: MISSING, bound)


def test_a_command_without_a_matter_meaning_is_held_to_its_declared_writes() -> None:
    hue = command("ColorControl", "MoveToHue")
    assert isinstance(hue.writes[0].value, FieldRef)
    assert semantics.declared(hue, {"Hue": 9}, lambda c, n: MISSING) == {("ColorControl", "CurrentHue"): 9}


# --- reports -------------------------------------------------------------------------------------------


def test_a_failure_names_file_line_law_rule_and_the_shrunk_counterexample(tmp_path: Path) -> None:
    toggle = next(m for m in MUTANTS if m.name == "toggle-ignores-state")
    report = check_file(mutate(toggle, tmp_path), rules={"OnOff.Toggle"})
    (failure,) = report.failures
    text = failure.render()
    assert text.startswith(f"{tmp_path / BASE.name}:35:11: command-effect failed for OnOff.Toggle: ")
    assert failure.counterexample is not None
    assert failure.counterexample["vendor state"]["status"]["switch_led"] is True  # shrunk to the state that shows it
    assert failure.counterexample["parameters"] == {}
    assert json.dumps(failure.as_json())


def test_the_default_profile_is_deterministic_and_thorough_runs_more() -> None:
    law = next(
        law for law in laws_of(HARNESS.compiled) if (law.rule, law.name) == ("ColorControl.CurrentHue", "put-get")
    )
    first, second = run_law(law), run_law(law)
    assert first.status == second.status == PASSED
    assert first.examples == second.examples > 0
    assert profile("default").derandomize
    assert profile("default").deadline is None
    assert profile("thorough").max_examples >= 10 * profile("default").max_examples


def test_explicit_requests_are_reported_as_not_checked() -> None:
    compiled = compile_text(
        MERGE_MAPPING.replace('"On": {write: {OnOff: true}}', "Toggle: {request: {body: {toggle: true}}}"),
        "request.yaml",
    ).compiled
    (toggle,) = [law for law in laws_of(compiled) if law.rule == "OnOff.Toggle"]
    outcome = run_law(toggle)
    assert (outcome.status, outcome.message) == ("not-checked", "not checked (explicit request)")


# --- the static range proof ----------------------------------------------------------------------------


def test_a_declared_member_range_and_per_device_linear_ends_are_proven() -> None:
    assert load_mapping(BASE).warnings == ()
    tuya_like = MERGE_MAPPING.replace(
        "            range: [0, 100]\n            transforms:\n              - linear: {vendor: [0, 100],",
        "            range: [{path: spec.min}, {path: spec.max}]\n            transforms:\n"
        "              - linear: {vendor: [{path: spec.min}, {path: spec.max}],",
    ).replace("              - clamp: {min: 1, max: 254}\n", "", 1)
    assert [w.code for w in compile_text(tuya_like, "ref.yaml").warnings] == []
    unproven = tuya_like.replace("            range: [{path: spec.min}, {path: spec.max}]\n", "")
    assert [w.code for w in compile_text(unproven, "ref.yaml").warnings] == ["range-unproven"]


# --- the command line and the pytest plugin ------------------------------------------------------------


def test_cli_prints_a_table_on_stderr_and_json_on_stdout(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    assert main(["test", str(BASE)]) == 0
    out, err = capsys.readouterr()
    summary = json.loads(out)
    assert summary["ok"] is True
    assert summary["totals"]["bindings_checked"] == 6
    assert summary["totals"]["examples"] > 0
    assert err.splitlines()[0].split() == [
        "mapping",
        "bindings",
        "commands",
        "examples",
        "failures",
        "not",
        "checked",
        "seconds",
    ]
    broken = mutate(next(m for m in MUTANTS if m.name == "non-bijective-enum"), tmp_path)
    assert main(["test", str(broken)]) == 1
    out, err = capsys.readouterr()
    assert json.loads(out)["totals"]["failures"] >= 1
    assert "get-put failed for OnOff.StartUpOnOff" in err


def run_pytest(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-p",
            "no:cacheprovider",
            "-W",
            "error",
            "--rootdir",
            str(tmp_path),
            *args,
        ],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def test_the_plugin_collects_one_item_per_law_and_reports_failures(tmp_path: Path) -> None:
    broken = mutate(next(m for m in MUTANTS if m.name == "toggle-ignores-state"), tmp_path / "broken")
    done = run_pytest(
        tmp_path, "--matter-map", str(BASE), "--matter-map", str(broken), "-k", "Toggle or CurrentHue", "-rf"
    )
    assert done.returncode == 1, done.stdout + done.stderr
    assert "FAILED broken/tuya_colour_light.yaml::OnOff.Toggle[command-effect]" in done.stdout
    assert "broken/tuya_colour_light.yaml:35:11: command-effect failed for OnOff.Toggle" in done.stdout
    assert done.stdout.strip().splitlines()[-1].startswith("1 failed, 11 passed, 72 deselected")


def test_without_the_option_the_plugin_adds_nothing(tmp_path: Path) -> None:
    done = run_pytest(tmp_path)
    assert done.returncode == 5, done.stdout + done.stderr  # no tests collected
    assert "no tests ran" in done.stdout
