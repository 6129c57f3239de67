"""The fuzz suite's quick profile over every shipped mapping, and the fuzzer's own oracles shown to catch
what they are for (a translator with the guards taken out is caught, the table counts it)."""

from __future__ import annotations

import dataclasses
import unittest.mock
from typing import Any

import pytest

from matter_map import runtime
from matter_map.catalog import load_catalog
from matter_map.loader import mapping_files
from matter_map.testing.fuzz import COLUMNS, PROFILES, Tally, fuzz, fuzz_mapping, load_subject, table
from matter_map.testing.fuzz_inputs import InputFactory
from matter_map.testing.fuzz_oracles import (
    normalised_path,
    out_of_type_fields,
    payload_problems,
    remove_dot_segments,
    url_escape,
)
from matter_map.translator import Translator

from .conftest import HUE, MAPPINGS, ROOT, SAMPLES, load_json

FILES = sorted(mapping_files([MAPPINGS]))


def test_quick_profile_finds_nothing_in_any_shipped_mapping() -> None:
    states, commands = PROFILES["quick"]
    tallies = fuzz(FILES, ROOT, states=states, commands=commands, seed=0)
    report = table(tallies, 0, "quick")  # shown when an assertion fails
    assert [t.name for t in tallies] == [f"{f.parent.name}/{f.stem}" for f in FILES]
    assert all(t.states == states and t.commands == commands for t in tallies)
    assert sum(t.results for t in tallies) > (states + commands) * len(tallies) // 2, "most inputs were refused"
    assert {k: sum(t.counts[k] for t in tallies) for k in COLUMNS} == dict.fromkeys(COLUMNS, 0), report


def test_the_inputs_depend_only_on_the_seed() -> None:
    subject = load_subject(HUE / "extended_color_light.yaml", ROOT)

    def drawn(seed: int) -> list[Any]:
        factory = InputFactory(subject.compiled, subject.samples, seed)
        return [repr(c) for c in factory.states(30)] + [repr(c) for c in factory.command_cases(30)]

    assert drawn(1) == drawn(1)
    assert drawn(1) != drawn(2)


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("/a/b/c/./../../g", "/a/g"),  # RFC 3986 5.2.4 example
        ("mid/content=5/../6", "mid/6"),
        ("/clip/v2/resource/light/..", "/clip/v2/resource/"),
        ("/v1/devices/../commands", "/v1/commands"),
        ("/a/./b/", "/a/b/"),
    ],
)
def test_dot_segment_removal_follows_rfc_3986(path: str, expected: str) -> None:
    assert remove_dot_segments(path) == expected


def test_the_url_oracle_decodes_before_it_normalises() -> None:
    assert normalised_path("/v1/devices/%2E%2E/commands?x=1") == "/v1/commands"
    assert normalised_path("/v1/devices/a%2F%2e%2e%2F%2e%2e/commands") == "/v1/commands"
    assert normalised_path("/v1/devices/%252E%252E/commands") == "/v1/commands"
    templates = ["https://api/v1/devices/{device_id}/commands"]
    assert url_escape("https://api/v1/devices/dev-1/commands", templates) is None
    assert url_escape("https://api/v1/devices/a%2Fb/commands", templates) is None  # deeper, still under the prefix
    assert "outside" in str(url_escape("https://api/v1/devices/%2E%2E/commands", templates))
    assert "outside" in str(url_escape("https://api/v1/devices/./commands", templates))
    assert "matches none" in str(url_escape("https://api/v2/other", templates))


def test_the_type_oracle_reads_the_catalog_not_the_mapping() -> None:
    catalog = load_catalog()

    def lock_door(fields: dict[str, Any]) -> dict[str, Any]:
        clusters = [{"id": "0x0101", "commands": {"0x00": fields}}]
        return {"payload": {"endpoints": [{"id": "1", "clusters": clusters}]}}

    assert out_of_type_fields(lock_door({"0x0000": "1234"}), catalog) == []
    for wrong in ([1, 2], -1, 2**64, None):
        assert out_of_type_fields(lock_door({"0x0000": wrong}), catalog), wrong
    assert out_of_type_fields(lock_door({"0x0007": "1"}), catalog) == ["DoorLock.LockDoor.0x0007 = '1': no such field"]
    by_name = {
        "Endpoints": [
            {
                "endpointId": "1",
                "capabilities": [
                    {
                        "id": "matter.LevelControl@1.4",
                        "actions": [{"name": "MoveToLevel", "parameters": {"Level": 255}}],
                    }
                ],
            }
        ]
    }
    assert out_of_type_fields(by_name, catalog) == []  # 255 is a uint8 (the constraint is the mapping's business)
    by_name["Endpoints"][0]["capabilities"][0]["actions"][0]["parameters"] = {"Level": 256}
    assert out_of_type_fields(by_name, catalog) == ["LevelControl.MoveToLevel.Level = 256: outside 0..255"]


def test_the_payload_oracle_is_the_service_model() -> None:
    request = Translator(load_subject(HUE / "dimmable_light.yaml", ROOT).compiled).to_matter(
        load_json(SAMPLES / "dimmable_light.json")
    )
    assert payload_problems(request) == []
    broken = [dict(request[0], ConnectorDeviceId="a b/c", Operation="NOT_AN_OPERATION")]
    assert len(payload_problems(broken)) >= 2


class _Unguarded(Translator):
    """The interpreter as it was before the hardening: ids pasted into URLs without a path-segment check (the
    runtime builds every URL, so its check is what is taken away)."""

    def to_vendor(self, command: Any, *, state: Any = None, device_id: str | None = None) -> list[dict[str, Any]]:
        with unittest.mock.patch.object(runtime, "check_segment", return_value=None):
            return super().to_vendor(command, state=state, device_id=device_id)


def test_a_translator_without_the_url_guard_is_caught_by_the_fuzzer() -> None:
    subject = load_subject(HUE / "dimmable_light.yaml", ROOT)
    unguarded = dataclasses.replace(subject, interpreter=_Unguarded(subject.compiled), module=_Module(subject))
    tally = fuzz_mapping(unguarded, 0, 400, seed=0, catalog=load_catalog())
    assert tally.counts["URL escapes"] > 0, table([tally], 0, "test")
    assert tally.counts["uncaught"] == 0


class _Module:
    """The unguarded interpreter standing in for the generated module too, so both sides agree."""

    def __init__(self, subject: Any) -> None:
        self._translator = _Unguarded(subject.compiled)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._translator, name)


def test_the_table_has_a_row_per_mapping_and_a_total() -> None:
    tallies = [Tally("a/x", states=3, commands=4, results=5, seconds=0.25), Tally("b/y", states=1, commands=1)]
    tallies[1].found("URL escapes", "u")
    lines = table(tallies, 7, "quick").splitlines()
    assert lines[0] == "fuzz profile quick, seed 7: interpreter and generated module side by side"
    assert [line.split(" | ")[0].strip() for line in lines[3:5]] == ["a/x", "b/y"]
    assert lines[6].split(" | ")[0].strip() == "total"
    assert [c.strip() for c in lines[6].split(" | ")[1:4]] == ["4", "5", "5"]
    assert lines[6].split(" | ")[-2].strip() == "1"
    assert lines[-1] == "  URL escapes: b/y: u"
