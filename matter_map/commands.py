"""Parse the two command forms (SendManagedThingCommand by names, AWS.SendCommand by hex ids) into one."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from matter_map.errors import TranslationError, TranslationProblem, shown
from matter_map.ids import parse_id

_CAPABILITY_ID = re.compile(r"^([a-zA-Z0-9]+)\.([A-Za-z0-9]+)@(\d+\.\d+(?:\.\d+)?|\$latest)$")
GENERIC_ACTIONS = ("UpdateState", "ReadState")


@dataclass(frozen=True, slots=True)
class CommandCall:
    """One Matter command (or generic action) addressed to one endpoint and cluster."""

    endpoint_id: str
    cluster: str | int  # name (capability form) or id (hex form)
    command: str | int
    params: Mapping[str, Any] = field(default_factory=dict)  # by field name, or by hex field id
    by_id: bool = False
    namespace: str = "matter"
    action_trace_id: str | None = None


@dataclass(frozen=True, slots=True)
class ParsedCommand:
    calls: tuple[CommandCall, ...]
    connector_device_id: str | None = None
    trace_id: str | None = None


def _bad(message: str, path: str) -> TranslationError:
    return TranslationError([TranslationProblem("bad-command", message, vendor_path=path)])


def parse_command(payload: Any) -> ParsedCommand:
    """Accept a SendManagedThingCommand request, an AWS.SendCommand Lambda event, or that event's payload."""
    if not isinstance(payload, dict):
        raise _bad("a command must be a JSON object", "")
    if "Endpoints" in payload:
        return _parse_by_name(payload)
    body = payload.get("payload") if isinstance(payload.get("payload"), dict) else payload
    if isinstance(body, dict) and "endpoints" in body:
        operation = body.get("operationName")
        if operation is not None and operation != "AWS.SendCommand":
            raise _bad(f"operation {shown(operation)} is not AWS.SendCommand", "payload.operationName")
        return _parse_by_id(body)
    raise _bad(
        "not a command: expected `Endpoints` (SendManagedThingCommand) or `payload.endpoints` (AWS.SendCommand)",
        "",
    )


def _parse_by_name(payload: dict[str, Any]) -> ParsedCommand:
    calls = []
    endpoints = payload["Endpoints"]
    if not isinstance(endpoints, list) or not endpoints:
        raise _bad("`Endpoints` must be a non-empty list", "Endpoints")
    for i, endpoint in enumerate(endpoints):
        where = f"Endpoints[{i}]"
        if not isinstance(endpoint, dict) or not isinstance(endpoint.get("endpointId"), str):
            raise _bad("an endpoint needs a string `endpointId`", where)
        capabilities = endpoint.get("capabilities")
        if not isinstance(capabilities, list) or not capabilities:
            raise _bad("`capabilities` must be a non-empty list", f"{where}.capabilities")
        for j, capability in enumerate(capabilities):
            cwhere = f"{where}.capabilities[{j}]"
            if not isinstance(capability, dict):
                raise _bad("a capability must be an object", cwhere)
            match = _CAPABILITY_ID.match(str(capability.get("id", "")))
            if match is None:
                raise _bad(
                    f"capability id {shown(capability.get('id'))} is not like `matter.LevelControl@1.4`",
                    f"{cwhere}.id",
                )
            actions = capability.get("actions")
            if not isinstance(actions, list) or not actions:
                raise _bad("`actions` must be a non-empty list", f"{cwhere}.actions")
            for k, action in enumerate(actions):
                awhere = f"{cwhere}.actions[{k}]"
                if not isinstance(action, dict) or not isinstance(action.get("name"), str):
                    raise _bad("an action needs a string `name`", awhere)
                params = action.get("parameters", {})
                if params is None:
                    params = {}
                if not isinstance(params, dict):
                    raise _bad("`parameters` must be an object", f"{awhere}.parameters")
                calls.append(
                    CommandCall(
                        endpoint_id=endpoint["endpointId"],
                        cluster=match.group(2),
                        command=action["name"],
                        params=params,
                        namespace=match.group(1),
                        action_trace_id=action.get("actionTraceId"),
                    )
                )
    return ParsedCommand(tuple(calls))


def _parse_by_id(body: dict[str, Any]) -> ParsedCommand:
    calls = []
    endpoints = body["endpoints"]
    if not isinstance(endpoints, list) or not endpoints:
        raise _bad("`endpoints` must be a non-empty list", "payload.endpoints")
    for i, endpoint in enumerate(endpoints):
        where = f"payload.endpoints[{i}]"
        if not isinstance(endpoint, dict):
            raise _bad("an endpoint must be an object", where)
        endpoint_id = endpoint.get("id", endpoint.get("endpointId"))
        if not isinstance(endpoint_id, str | int) or isinstance(endpoint_id, bool):
            raise _bad("an endpoint needs an `id`", where)
        clusters = endpoint.get("clusters")
        if not isinstance(clusters, list) or not clusters:
            raise _bad("`clusters` must be a non-empty list", f"{where}.clusters")
        for j, cluster in enumerate(clusters):
            cwhere = f"{where}.clusters[{j}]"
            if not isinstance(cluster, dict):
                raise _bad("a cluster must be an object", cwhere)
            try:
                cluster_id = parse_id(cluster.get("id", ""))
            except ValueError:
                raise _bad(f"cluster id {shown(cluster.get('id'))} is not a hex id", f"{cwhere}.id") from None
            for command_key, raw_fields in _command_items(cluster.get("commands"), f"{cwhere}.commands"):
                try:
                    command_id = parse_id(command_key)
                except ValueError:
                    raise _bad(f"command id {shown(command_key)} is not a hex id", f"{cwhere}.commands") from None
                fields = {} if raw_fields is None else raw_fields
                if not isinstance(fields, dict):
                    raise _bad("command fields must be an object keyed by hex field id", f"{cwhere}.commands")
                calls.append(CommandCall(str(endpoint_id), cluster_id, command_id, params=fields, by_id=True))
    device = body.get("connectorDeviceId")
    trace = body.get("traceId")
    return ParsedCommand(
        tuple(calls),
        connector_device_id=device if isinstance(device, str) else None,
        trace_id=trace if isinstance(trace, str) else None,
    )


def _command_items(commands: Any, where: str) -> list[tuple[str, Any]]:
    """`commands` is either one map of id → fields, or a list of single-key maps."""
    if isinstance(commands, dict) and commands:
        return list(commands.items())
    if isinstance(commands, list) and commands:
        items: list[tuple[str, Any]] = []
        for entry in commands:
            if not isinstance(entry, dict) or len(entry) != 1:
                raise _bad("each command must be an object with one command id", where)
            items.extend(entry.items())
        return items
    raise _bad("`commands` must be a non-empty map or list", where)
