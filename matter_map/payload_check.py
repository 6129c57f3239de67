"""Checks outgoing IoT Managed Integrations payloads against the service model and the C2C contract."""

from __future__ import annotations

import functools
import json
from collections.abc import Iterable, Mapping
from typing import Any, Self

from matter_map.payload_contract import CONNECTOR_EVENT_HOOKS, MANAGED_THING_COMMAND_HOOKS
from matter_map.payload_model import input_shape_name, service_model
from matter_map.payload_shapes import Check, Findings, ShapeCompiler
from matter_map.problems import Location, Problem, codes_of

__all__ = [
    "MAX_ENCODED_VALUES",
    "PROBLEM_CODES",
    "PayloadInvalid",
    "PayloadProblem",
    "check_connector_event",
    "check_managed_thing_command",
    "check_operation_input",
    "ensure_valid_connector_event",
]


class PayloadProblem(Problem):
    """One rule a payload breaks: where (a dotted payload path), which rule (a registered code) and why."""

    __slots__ = ()

    def __new__(cls, path: str, code: str, message: str) -> Self:
        return super().__new__(cls, code, message, Location("payload", path))

    def __str__(self) -> str:
        return f"{self.path or '<payload>'}: {self.message} [{self.code}]"


class PayloadInvalid(ValueError):  # noqa: N818 -- the public name is fixed by the package API
    """Raised by the ``ensure_valid_*`` functions; ``problems`` holds every problem found."""

    def __init__(self, problems: Iterable[PayloadProblem]) -> None:
        self.problems: tuple[PayloadProblem, ...] = tuple(problems)
        super().__init__("\n".join(str(problem) for problem in self.problems))


#: the payload codes and what each means (declared in matter_map/problems.py, the registry of every code)
PROBLEM_CODES: Mapping[str, str] = codes_of("payload")

#: a payload ``json.dumps`` would write with more values than this is reported instead of encoded
MAX_ENCODED_VALUES = 1_000_000

_CONTRACTS = {"event": CONNECTOR_EVENT_HOOKS, "command": MANAGED_THING_COMMAND_HOOKS}


# --------------------------------------------------------------------------------------------------------
# Checkers compiled from the model once per operation (and contract), on first use.


@functools.cache
def _checker(operation: str, contract: str) -> Check:
    hooks = _CONTRACTS.get(contract)
    return _compiler().compile(input_shape_name(operation), hooks)


@functools.cache
def _compiler() -> ShapeCompiler:
    return ShapeCompiler(service_model()["shapes"])


def _walk(operation: str, contract: str, params: object) -> Findings:
    found = Findings()
    _checker(operation, contract)(params, "", found)
    return found


def _problems(found: Findings, params: object, *, json_checked: bool) -> list[PayloadProblem]:
    problems = [PayloadProblem(*problem) for problem in found.problems]
    if found.contract:
        problems += [
            PayloadProblem(path, code, message) for _, path, code, message in sorted(found.contract, key=_section)
        ]
    if json_checked and found.unvouched and not any(problem.code in ("wrong-type", "not-json") for problem in problems):
        problems += _last_resort(params)
    return problems


def _last_resort(params: object) -> list[PayloadProblem]:
    """``json.dumps`` decides for values the walk passed without vouching that they are JSON, unless the text
    would hold more than MAX_ENCODED_VALUES values (a list shared at many places is written at each place)."""
    try:
        if _encoded_values(params, {}) > MAX_ENCODED_VALUES:
            return [PayloadProblem("", "too-long", f"payload as JSON holds more than {MAX_ENCODED_VALUES} values")]
        json.dumps(params, allow_nan=False)
    except (TypeError, ValueError, RecursionError) as error:
        return [PayloadProblem("", "not-json", f"payload is not JSON-serialisable ({type(error).__name__})")]
    return []


def _encoded_values(value: object, sizes: dict[int, int]) -> int:
    """How many values ``json.dumps`` writes for ``value``, each list and object counted once (``sizes``, by id)."""
    if isinstance(value, dict):
        children: Iterable[object] = value.values()
    elif isinstance(value, list | tuple):
        children = value
    else:
        return 1
    known = sizes.get(id(value))
    if known is not None:
        return known
    sizes[id(value)] = 1  # a cycle: json.dumps refuses it
    size = 1 + sum(_encoded_values(child, sizes) for child in children)
    sizes[id(value)] = size
    return size


def _section(problem: tuple[int, str, str, str]) -> int:
    return problem[0]


# --------------------------------------------------------------------------------------------------------
# Public API.


def check_operation_input(operation: str, params: Mapping[str, Any]) -> list[PayloadProblem]:
    """Every model rule ``params`` breaks as input of ``operation`` (any operation of the service)."""
    return _problems(_walk(operation, "", params), params, json_checked=False)


def check_connector_event(request: Mapping[str, Any]) -> list[PayloadProblem]:
    """Every model and C2C contract rule a SendConnectorEvent request breaks."""
    found = _walk("SendConnectorEvent", "event", request)
    if not found.problems and not found.contract and not found.unvouched:
        return []
    return _problems(found, request, json_checked=True)


def check_managed_thing_command(request: Mapping[str, Any]) -> list[PayloadProblem]:
    """Every model rule a SendManagedThingCommand request breaks, plus JSON-serialisability."""
    return _problems(_walk("SendManagedThingCommand", "command", request), request, json_checked=True)


def ensure_valid_connector_event(request: Mapping[str, Any]) -> None:
    """Raise PayloadInvalid listing every problem of a SendConnectorEvent request, if it has any."""
    problems = check_connector_event(request)
    if problems:
        raise PayloadInvalid(problems)
