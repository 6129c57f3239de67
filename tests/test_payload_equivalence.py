"""The compiled one-walk payload check gives exactly the problems of the old two-walk check (model walk, botocore's
ParamValidator, contract), on valid payloads drawn from the model, shipped requests and their mutations."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from matter_map.payload_check import check_connector_event, check_managed_thing_command, check_operation_input

from . import legacy_payload_check as legacy
from .payload_strategies import OPERATIONS, mutated, shipped_requests, valid_input


def same(new: list[Any], old: Any) -> None:
    """Equal problems; where the old check crashed (botocore names a non-string document key), the new one reports."""
    try:
        expected = old()
    except AttributeError:
        assert any(p.code == "not-json" for p in new)
        return
    assert [(p.path, p.code, p.message) for p in new] == [(p.path, p.code, p.message) for p in expected]


def test_shipped_requests_are_valid_for_both() -> None:
    requests = shipped_requests()
    assert len(requests) > 40
    for request in requests:
        assert check_connector_event(request) == legacy.check_connector_event(request) == []


@settings(max_examples=150, suppress_health_check=[HealthCheck.filter_too_much, HealthCheck.too_slow])
@given(mutated(st.sampled_from(shipped_requests())))
def test_connector_events_from_the_mappings(request: Any) -> None:
    same(check_connector_event(request), lambda: legacy.check_connector_event(request))


@settings(max_examples=150, suppress_health_check=[HealthCheck.filter_too_much, HealthCheck.too_slow])
@given(valid_input("SendConnectorEvent") | mutated(valid_input("SendConnectorEvent")))
def test_connector_events_from_the_model(request: Any) -> None:
    same(check_connector_event(request), lambda: legacy.check_connector_event(request))


@settings(max_examples=100, suppress_health_check=[HealthCheck.filter_too_much, HealthCheck.too_slow])
@given(valid_input("SendManagedThingCommand") | mutated(valid_input("SendManagedThingCommand")))
def test_managed_thing_commands(request: Any) -> None:
    same(check_managed_thing_command(request), lambda: legacy.check_managed_thing_command(request))


@pytest.mark.parametrize("operation", OPERATIONS)
@settings(max_examples=5, suppress_health_check=[HealthCheck.filter_too_much, HealthCheck.too_slow])
@given(data=st.data())
def test_every_operation(operation: str, data: st.DataObject) -> None:
    params = data.draw(valid_input(operation) | mutated(valid_input(operation)))
    same(check_operation_input(operation, params), lambda: legacy.check_operation_input(operation, params))
