"""The payload check compiled per shape: it takes the fast path on valid payloads, and never passes one that the
full check (model walk, botocore's validator, the C2C contract) would refuse."""

from __future__ import annotations

import copy
import json
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from matter_map.loader import load_mapping, mapping_files
from matter_map.payload_check import _fast_valid_connector_event, check_connector_event, full_connector_event_problems
from matter_map.translator import Translator

from .conftest import MAPPINGS, load_json

pytest.importorskip("botocore", reason="the payload check reads botocore's service model")

FILES = sorted(mapping_files([MAPPINGS]))


def payloads() -> list[dict[str, Any]]:
    """Every DEVICE_EVENT and DEVICE_DISCOVERY request the shipped mappings make from their samples."""
    found: list[dict[str, Any]] = []
    for file in FILES:
        translator = Translator(load_mapping(file).compiled)
        for sample in sorted((file.parent / "samples").glob("*.json")):
            state = load_json(sample)
            if sample.name.startswith("command") or not translator.recognises(state):
                continue
            try:
                found += translator.to_matter(state, user_id="u-1")
                report = translator.capability_report(state)
            except ValueError:
                continue
            found.append(
                {
                    "ConnectorId": "c",
                    "Operation": "DEVICE_DISCOVERY",
                    "OperationVersion": "1.0",
                    "DeviceDiscoveryId": "d1",
                    "Devices": [report],
                }
            )
    return found


PAYLOADS = payloads()
ODD = st.sampled_from(
    [
        None,
        True,
        0,
        -1,
        2**40,
        1.5,
        float("nan"),
        float("inf"),
        "",
        "x" * 300,
        "0x1",
        "0x100000000",
        "12",
        "DEVICE_EVENT",
        [],
        {},
        (),
        {"0x0000": 1},
        Decimal(1),
        {1: 2},
    ]
)


def test_valid_payloads_take_the_fast_path() -> None:
    assert len(PAYLOADS) > 40
    for payload in PAYLOADS:
        assert full_connector_event_problems(payload) == []
        assert _fast_valid_connector_event(payload), json.dumps(payload)[:200]


@st.composite
def mutated(draw: st.DrawFn) -> Any:
    payload = copy.deepcopy(draw(st.sampled_from(PAYLOADS)))
    for _ in range(draw(st.integers(1, 3))):
        containers: list[Any] = []
        stack: list[Any] = [payload]
        while stack:
            item = stack.pop()
            if isinstance(item, dict | list) and len(containers) < 500:
                containers.append(item)
                stack.extend(item.values() if isinstance(item, dict) else item)
        target = draw(st.sampled_from(containers))
        if isinstance(target, dict) and target:
            key = draw(st.sampled_from(sorted(target, key=str)))
            action = draw(st.sampled_from(["replace", "delete", "add"]))
            if action == "replace":
                target[key] = copy.deepcopy(draw(ODD))
            elif action == "delete":
                del target[key]
            else:
                target[draw(st.sampled_from(["0x0001", "extra", "0xZZ", "5", "responseCode"]))] = copy.deepcopy(
                    draw(ODD)
                )
        elif isinstance(target, list) and target:
            target[draw(st.integers(0, len(target) - 1))] = copy.deepcopy(draw(ODD))
    return payload


@settings(max_examples=600, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutated())
def test_the_fast_path_never_passes_what_the_full_check_refuses(payload: Any) -> None:
    if _fast_valid_connector_event(payload):
        assert full_connector_event_problems(payload) == []
    assert check_connector_event(payload) == full_connector_event_problems(payload)
