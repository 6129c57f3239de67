"""Mutation suite: deliberately broken copies of a mapping must each fail a named law at the mutated rule.

Every mutant is one textual edit of tests/property_mappings/tuya_colour_light.yaml (which passes every law). A
mutant is killed when the laws of the mutated rule report a failure naming that law and rule, or when the
static range proof refuses the mapping. The summary test prints killed/total and fails if any mutant survives.
"""

from __future__ import annotations

import shutil
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from matter_map.testing.runner import MappingReport, check_file

BASE = Path(__file__).parent / "property_mappings" / "tuya_colour_light.yaml"
HUE_LINE = "linear: {vendor: [0, 360], matter: [0, 254], round: half_even, vendor_round: half_even}"


@dataclass(frozen=True)
class Mutant:
    name: str
    bug: str
    old: str
    new: str
    rule: str
    laws: tuple[str, ...]  # the laws (or the static proof's diagnostic code) expected to report it


MUTANTS = (
    Mutant(
        "wrong-scale",
        "hue read as tenths of a degree (0–3600) although the device reports 0–360",
        HUE_LINE,
        HUE_LINE.replace("[0, 360]", "[0, 3600]"),
        "ColorControl.CurrentHue",
        ("put-get", "validity"),
    ),
    Mutant(
        "truncation-drift",
        "int() truncation where rounding is declared: each round trip loses a step",
        HUE_LINE,
        HUE_LINE.replace("round: half_even,", "round: trunc,"),
        "ColorControl.CurrentHue",
        ("stability", "put-get"),
    ),
    Mutant(
        "missing-clamp",
        "device kelvin bounds trusted without static limits: 10 K gives 100000 mireds > 65279",
        "                  within: [2000, 6500]\n",
        "",
        "ColorControl.ColorTemperatureMireds",
        ("validity", "put-get", "get-put"),
    ),
    Mutant(
        "non-bijective-enum",
        "two Matter keys name the same member (On and 1): power_on reads as On but is written back as last",
        "Toggle: last}",
        '"1": last}',
        "OnOff.StartUpOnOff",
        ("get-put",),
    ),
    Mutant(
        "colour-write-resets-brightness",
        "MoveToHue also writes a full brightness into the shared colour_data_v2",
        "MoveToHue: {write: {CurrentHue: $Hue}}",
        "MoveToHue: {write: {CurrentHue: $Hue, LevelControl.CurrentLevel: 254}}",
        "ColorControl.MoveToHue",
        ("composite",),
    ),
    Mutant(
        "toggle-ignores-state",
        "Toggle always switches on instead of flipping the current state",
        "Toggle: {toggle: OnOff}",
        "Toggle: {write: {OnOff: true}}",
        "OnOff.Toggle",
        ("command-effect",),
    ),
    Mutant(
        "range-exceeds-constraint",
        "saturation mapped onto 0–300 although Matter allows at most 254",
        "linear: {vendor: [0, 1000], matter: [0, 254]",
        "linear: {vendor: [0, 1000], matter: [0, 300]",
        "ColorControl.CurrentSaturation",
        ("range-exceeds-constraint",),
    ),
)


def mutate(mutant: Mutant, folder: Path) -> Path:
    """The base mapping with one edit, beside a copy of its samples."""
    text = BASE.read_text(encoding="utf-8")
    assert text.count(mutant.old) == 1, f"{mutant.name}: the edit must apply exactly once"
    shutil.copytree(BASE.parent / "samples", folder / "samples")
    path = folder / BASE.name
    path.write_text(text.replace(mutant.old, mutant.new), encoding="utf-8")
    return path


def verdict(mutant: Mutant, report: MappingReport) -> str:
    """The message that kills the mutant (naming law and rule), or "" when it survives."""
    if report.error:
        attribute = mutant.rule.split(".")[-1]
        for diagnostic in report.diagnostics:
            if diagnostic.code in mutant.laws and attribute in diagnostic.path:
                return diagnostic.render()
        return ""
    for outcome in report.failures:
        if outcome.law in mutant.laws and outcome.rule == mutant.rule:
            return outcome.render()
    return ""


@pytest.fixture(scope="module")
def results(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[Mutant, MappingReport]]:
    out = {}
    for mutant in MUTANTS:
        path = mutate(mutant, tmp_path_factory.mktemp(mutant.name))
        out[mutant.name] = (mutant, check_file(path, rules={mutant.rule}))
    return out


def test_the_base_mapping_passes_every_law() -> None:
    report = check_file(BASE)
    assert report.error == ""
    assert [o.render() for o in report.failures] == []
    assert report.bindings_checked == 6
    assert report.commands_checked == 8


@pytest.mark.parametrize("mutant", MUTANTS, ids=lambda m: m.name)
def test_mutant_is_killed_with_a_message_naming_law_and_rule(
    mutant: Mutant, results: dict[str, tuple[Mutant, MappingReport]]
) -> None:
    _, report = results[mutant.name]
    message = verdict(mutant, report)
    assert message, f"{mutant.name} survived: {mutant.bug}"
    if report.error:
        assert "error[range-exceeds-constraint]" in message
        assert f"{BASE.name}:" in message
    else:
        assert f"failed for {mutant.rule}: " in message
        assert f"{BASE.name}:" in message.splitlines()[0]  # the mapping file, line and column


def test_mutation_score(results: dict[str, tuple[Mutant, MappingReport]], capsys: pytest.CaptureFixture[str]) -> None:
    killed = [name for name, (mutant, report) in results.items() if verdict(mutant, report)]
    lines = [f"mutation suite: killed {len(killed)}/{len(MUTANTS)}"]
    for name, (mutant, report) in results.items():
        first = verdict(mutant, report).splitlines()[:1]
        lines.append(f"  {'killed  ' if name in killed else 'SURVIVED'} {name}: {first[0] if first else mutant.bug}")
    with capsys.disabled():
        sys.stdout.write("\n" + "\n".join(lines) + "\n")
    assert len(killed) == len(MUTANTS), "\n".join(lines)
