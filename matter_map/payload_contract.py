"""The C2C contract's rules the service model cannot express (docs c2c-contract.md section 4), as walk hooks."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from matter_map.payload_shapes import Findings, Hooks, join, key_path, type_name

__all__ = ["CONNECTOR_EVENT_HOOKS", "MANAGED_THING_COMMAND_HOOKS"]

_HEX_ID = re.compile(r"0x[0-9a-fA-F]+")
_MAX_MATTER_ID = 0xFFFF_FFFF
_FIELD_KEYS_IN_COMMAND_RESULTS = frozenset({"responseCode", "errors"})
_REQUIRED_BY_OPERATION = {
    "DEVICE_EVENT": ("MatterEndpoint",),
    "DEVICE_COMMAND_RESPONSE": ("MatterEndpoint", "TraceId"),
    "DEVICE_COMMAND_REQUEST": ("TraceId",),
    "DEVICE_DISCOVERY": ("DeviceDiscoveryId", "Devices"),
}
# Sections of the contract, in the order their problems are listed whatever the order of the payload's keys.
_OPERATION, _ENDPOINT, _DEVICES = 0, 1, 2
# Valid hex ids seen so far (the same few cluster and attribute ids recur in every event); bounded.
_VALID_HEX_IDS: set[str] = set()
_MAX_REMEMBERED_IDS = 4096


def _add(found: Findings, section: int, path: str, code: str, message: str) -> None:
    found.contract.append((section, path, code, message))


def _hex_id_ok(value: str) -> bool:
    if value in _VALID_HEX_IDS:
        return True
    if _HEX_ID.fullmatch(value) is None or int(value, 16) > _MAX_MATTER_ID:
        return False
    if len(_VALID_HEX_IDS) < _MAX_REMEMBERED_IDS:
        _VALID_HEX_IDS.add(value)
    return True


def _check_hex_id(value: object, path: str, subject: str, section: int, found: Findings) -> None:
    if not isinstance(value, str) or _hex_id_ok(value):
        return  # a wrong type was already reported by the model walk
    decimal = value.isascii() and value.isdigit()  # `²` is a digit to str.isdigit, not to int()
    hint = f"; decimal {value} is 0x{int(value):04x}" if decimal and int(value) <= _MAX_MATTER_ID else ""
    _add(found, section, path, "hex-id", f"{subject} must be 0x followed by hex digits, at most 0xFFFFFFFF{hint}")


def _require(container: dict[str, Any], member: str, path: str, reason: str, *, section: int, found: Findings) -> None:
    if member not in container:
        _add(
            found, section, join(path, member), "missing-required", f"{member} is required by the C2C contract {reason}"
        )


def _dicts(value: object) -> Iterable[tuple[int, dict[str, Any]]]:
    """(index, item) for the object items of a list; anything else was already reported by the model walk."""
    if isinstance(value, list | tuple):
        yield from ((index, item) for index, item in enumerate(value) if isinstance(item, dict))


def _check_id_keyed(value: object, path: str, subject: str, found: Findings) -> None:
    """An object keyed by hex ids (inside members the model marks sensitive)."""
    if not isinstance(value, dict):
        _add(found, _ENDPOINT, path, "document", f"must be an object keyed by hex {subject}s, not {type_name(value)}")
        return
    for index, key in enumerate(value):
        if type(key) is str and key in _VALID_HEX_IDS:
            continue
        if subject == "field id" and key in _FIELD_KEYS_IN_COMMAND_RESULTS:
            continue
        _check_hex_id(key, key_path(path, key, index, True), subject, _ENDPOINT, found)


def _check_hex_list(values: object, path: str, subject: str, found: Findings) -> None:
    if isinstance(values, list | tuple):
        for index, value in enumerate(values):
            _check_hex_id(value, f"{path}[{index}]", subject, _DEVICES, found)


# --------------------------------------------------------------------------------------------------------
# SendConnectorEvent


def _operation_requirements(request: dict[str, Any], path: str, found: Findings) -> None:
    for member in _REQUIRED_BY_OPERATION.get(str(request.get("Operation")), ()):
        _require(request, member, path, f"for Operation {request['Operation']}", section=_OPERATION, found=found)


def _endpoint_requirements(endpoint: dict[str, Any], path: str, found: Findings) -> None:
    for member in ("id", "clusters"):
        _require(endpoint, member, path, "for a MatterEndpoint", section=_ENDPOINT, found=found)


def _event_cluster(cluster: dict[str, Any], path: str, found: Findings) -> None:
    _require(cluster, "id", path, "for a cluster", section=_ENDPOINT, found=found)
    _check_hex_id(cluster.get("id"), f"{path}.id", "cluster id", _ENDPOINT, found)
    if "attributes" in cluster:
        _check_id_keyed(cluster["attributes"], f"{path}.attributes", "attribute id", found)
    for member, subject in (("commands", "command id"), ("events", "event id")):
        entries = cluster.get(member)
        if not isinstance(entries, dict):
            continue
        for key_index, (key, fields) in enumerate(entries.items()):
            entry_path = key_path(f"{path}.{member}", key, key_index, False)
            _check_hex_id(key, entry_path, subject, _ENDPOINT, found)
            _check_id_keyed(fields, entry_path, "field id" if member == "commands" else "event field id", found)


def _report_endpoint(endpoint: dict[str, Any], path: str, found: Findings) -> None:
    _check_hex_list(endpoint.get("clientClusters"), f"{path}.clientClusters", "cluster id", found)


def _report_cluster(cluster: dict[str, Any], path: str, found: Findings) -> None:
    _check_hex_id(cluster.get("id"), f"{path}.id", "cluster id", _DEVICES, found)
    for attribute_index, attribute in _dicts(cluster.get("attributes")):
        _check_hex_id(attribute.get("id"), f"{path}.attributes[{attribute_index}].id", "attribute id", _DEVICES, found)
    _check_hex_list(cluster.get("commands"), f"{path}.commands", "command id", found)
    _check_hex_list(cluster.get("generatedCommands"), f"{path}.generatedCommands", "command id", found)
    _check_hex_list(cluster.get("events"), f"{path}.events", "event id", found)


def _items(here: Hooks) -> Hooks:
    return Hooks(inner={"[]": here})


_REPORT_ENDPOINT = Hooks(here=_report_endpoint, inner={"clusters": _items(Hooks(here=_report_cluster))})
CONNECTOR_EVENT_HOOKS = Hooks(
    here=_operation_requirements,
    inner={
        "MatterEndpoint": Hooks(here=_endpoint_requirements, inner={"clusters": _items(Hooks(here=_event_cluster))}),
        "Devices": _items(Hooks(inner={"CapabilityReport": Hooks(inner={"endpoints": _items(_REPORT_ENDPOINT)})})),
    },
)


# --------------------------------------------------------------------------------------------------------
# SendManagedThingCommand


def _action_parameters(action: dict[str, Any], path: str, found: Findings) -> None:
    parameters = action.get("parameters")
    if parameters is not None and not isinstance(parameters, dict):
        _add(found, _OPERATION, f"{path}.parameters", "document", f"must be an object, not {type_name(parameters)}")


MANAGED_THING_COMMAND_HOOKS = Hooks(
    inner={
        "Endpoints": _items(
            Hooks(inner={"capabilities": _items(Hooks(inner={"actions": _items(Hooks(here=_action_parameters))}))})
        )
    }
)
