"""For every shipped mapping that writes, and any device id: each URL the interpreter or the generated module
produces, once `%2E`/`%2F` are decoded and dot segments removed (RFC 3986), keeps the shape of its template
(so it stays under the template's prefix); ids that would not are refused with the project's own error."""

from __future__ import annotations

import copy
import types
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from matter_map.ids import encode_device_id
from matter_map.loader import mapping_files
from matter_map.testing.fuzz import Subject, load_subject, outcome
from matter_map.testing.fuzz_inputs import InputFactory
from matter_map.testing.fuzz_oracles import url_escape

from .conftest import MAPPINGS, ROOT

FILES = sorted(mapping_files([MAPPINGS]))
PIECES = [".", "..", "/", "\\", "%2E", "%2e", "%2F", "%2f", "%25", "%5C", "．", "／", "‥", "a", "é", "@2E", "~", " "]
IDS = st.one_of(
    st.lists(st.sampled_from(PIECES), min_size=1, max_size=8).map("".join),
    st.text(min_size=1, max_size=12),
)


@cache
def subject_of(file: Path) -> Subject:
    return load_subject(file, ROOT)


@cache
def writing(file: Path) -> tuple[Subject, tuple[tuple[Any, Any], ...]]:
    """The mapping and commands (with a state) that produce vendor requests: one per distinct set of URLs."""
    subject = subject_of(file)
    factory = InputFactory(subject.compiled, subject.samples, seed=0)
    found: dict[tuple[str, ...], tuple[Any, Any]] = {}
    for case in factory.command_cases(1500):
        state = factory.sample()
        result = outcome(lambda c=case, s=state: subject.interpreter.to_vendor(c.command, state=s, device_id="dev-1"))
        if result[0] == "ok" and result[1]:
            key = tuple(sorted(r["url"] for r in result[1]))
            found.setdefault(key, (case.command, state))
    return subject, tuple(found.values())


WRITERS = [f for f in FILES if subject_of(f).templates]


def test_every_mapping_with_a_url_template_has_commands_that_reach_it() -> None:
    assert len(WRITERS) >= 25
    for file in WRITERS:
        subject, commands = writing(file)
        assert commands, f"{subject.name}: no command produced a request"


def _with_connector_id(command: Any, vendor_id: str) -> Any | None:
    """The command in AWS.SendCommand form carrying the id as ConnectorDeviceId, or None (other form)."""
    if not isinstance(command, dict) or not isinstance(command.get("payload"), dict):
        return None
    try:
        encoded = encode_device_id(vendor_id)
    except ValueError:
        return None
    changed = copy.deepcopy(command)
    changed["payload"]["connectorDeviceId"] = encoded
    return changed


@pytest.mark.parametrize("file", WRITERS, ids=[f"{f.parent.name}/{f.stem}" for f in WRITERS])
def test_urls_stay_under_their_template_for_any_device_id(file: Path) -> None:
    subject, commands = writing(file)
    sides: list[Any] = [subject.interpreter, subject.module]

    @settings(max_examples=60, deadline=None, derandomize=True)
    @given(vendor_id=IDS, index=st.integers(0, len(commands) - 1), via_connector_id=st.booleans())
    def law(vendor_id: str, index: int, via_connector_id: bool) -> None:
        command, state = commands[index]
        sent = _with_connector_id(command, vendor_id) if via_connector_id else None
        for side in sides:
            if sent is not None:
                result = outcome(lambda t=side: t.to_vendor(sent, state=state))
            else:
                result = outcome(lambda t=side: t.to_vendor(command, state=state, device_id=vendor_id))
            assert result[0] in ("ok", "problems"), result
            if result[0] == "ok":
                for request in result[1]:
                    assert url_escape(request["url"], subject.templates) is None, (vendor_id, request["url"])
            else:
                assert {p[0] for p in result[1]} <= {"bad-device-id", "bad-command"}, result

    law()


def test_the_law_is_not_vacuous() -> None:
    """A dot segment id is refused (not silently sent) on a shipped writer, by both implementations."""
    subject, commands = writing(MAPPINGS / "philips_hue" / "dimmable_light.yaml")
    command, state = commands[0]
    implementations: list[Any] = [subject.interpreter, subject.module]
    for side in implementations:
        assert isinstance(side, types.ModuleType) or side is subject.interpreter
        result = outcome(lambda t=side: t.to_vendor(command, state=state, device_id=".."))
        assert result[0] == "problems"
        assert result[1][0][0] == "bad-device-id"
