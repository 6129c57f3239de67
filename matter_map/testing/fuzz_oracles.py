"""What the fuzzer checks of each output: payloads against the service model, command fields against the
catalog (independently of the mapping), and vendor URLs against their template's prefix once normalised."""

from __future__ import annotations

import math
import re
from collections.abc import Iterator
from typing import Any

from matter_map.catalog import Catalog, json_kind, type_limits
from matter_map.ir import CompiledMapping
from matter_map.payload_check import check_connector_event

_PERCENT = re.compile(r"%(?:2[eEfF]|25)")
_SLOT = re.compile(r"\{(?:device_id|device_path|\$[A-Za-z][A-Za-z0-9]*)\}")


# --- AWS payloads ---------------------------------------------------------------------------------------


def payload_problems(requests: list[dict[str, Any]]) -> list[str]:
    """Every service-model or C2C contract rule the SendConnectorEvent requests break."""
    return [f"{p.path}: {p.message}" for request in requests for p in check_connector_event(request)]


def discovery_problems(device: dict[str, Any]) -> list[str]:
    event = {
        "ConnectorId": "matter-map",
        "Operation": "DEVICE_DISCOVERY",
        "OperationVersion": "1.0",
        "DeviceDiscoveryId": "fuzz",
        "Devices": [device],
    }
    return payload_problems([event])


# --- vendor URLs ----------------------------------------------------------------------------------------


def url_templates(compiled: CompiledMapping) -> list[str]:
    """Every URL template of the mapping, with the base URL in front."""
    templates = [compiled.write.url] if compiled.write is not None else []
    templates += [request.url.raw for request in compiled.requests()]
    return sorted({compiled.base_url + t for t in templates})


def normalised_path(url: str) -> str:
    """The URL's path as a server that decodes `%2E`/`%2F` (also twice) and removes dot segments sees it."""
    path = re.split(r"[?#]", url, maxsplit=1)[0]
    for _ in range(8):
        decoded = _PERCENT.sub(lambda m: {"2e": ".", "2f": "/", "25": "%"}[m.group(0)[1:].lower()], path)
        if decoded == path:
            break
        path = decoded
    return remove_dot_segments(path)


def remove_dot_segments(path: str) -> str:
    """RFC 3986, section 5.2.4."""
    output: list[str] = []
    while path:
        if path.startswith("../"):
            path = path[3:]
        elif path.startswith(("./", "/./")):
            path = path[2:]
        elif path == "/.":
            path = "/"
        elif path.startswith("/../"):
            path = path[3:]
            if output:
                output.pop()
        elif path == "/..":
            path = "/"
            if output:
                output.pop()
        elif path in (".", ".."):
            path = ""
        else:
            start = 1 if path.startswith("/") else 0
            end = path.find("/", start)
            end = len(path) if end == -1 else end
            output.append(path[:end])
            path = path[end:]
    return "".join(output)


def url_escape(url: str, templates: list[str]) -> str | None:
    """Why the URL, once normalised, no longer has the shape of the template it was built from (its static
    text intact, each slot a non-empty run), e.g. it left the template's prefix; None when it keeps it."""
    candidates = [t for t in templates if _template_pattern(t, ".*").fullmatch(url)]
    if not candidates:
        return f"{url!r} matches none of the mapping's URL templates"
    normal = normalised_path(url)
    if any(_template_pattern(re.split(r"[?#]", t, maxsplit=1)[0], "[^?#]+").fullmatch(normal) for t in candidates):
        return None
    return f"{url!r} normalises to {normal!r}, outside {candidates[0]!r}"


def _template_pattern(template: str, slot: str) -> re.Pattern[str]:
    return re.compile(slot.join(re.escape(p) for p in _SLOT.split(template)), re.DOTALL)


# --- command fields against the catalog -----------------------------------------------------------------


def out_of_type_fields(command: Any, catalog: Catalog) -> list[str]:
    """Fields of a Matter command (either form) whose values are not of the catalog type of the field, or
    that the command does not have; custom capabilities and unknown clusters or commands are not judged."""
    found = []
    for cluster_key, command_key, params, by_id in _calls(command):
        cluster = catalog.cluster(cluster_key)
        if cluster is None or not isinstance(params, dict):
            continue
        if command_key in ("UpdateState", "ReadState") and not by_id:
            if command_key == "ReadState":
                continue
            for name, value in params.items():
                attribute = cluster.attribute(name)
                why = (
                    "not an attribute"
                    if attribute is None
                    else _type_problem(value, attribute.base, attribute.nullable)
                )
                if why:
                    found.append(f"{cluster.name}.{name} = {_short(value)}: {why}")
            continue
        info = cluster.command(command_key, "request")
        if info is None:
            continue
        for key, value in params.items():
            field = info.field(key if not by_id else _hex(key))
            why = "no such field" if field is None else _type_problem(value, field.base, field.nullable)
            if why:
                found.append(f"{cluster.name}.{info.name}.{key} = {_short(value)}: {why}")
    return found


def _type_problem(value: Any, base: str, nullable: bool) -> str | None:
    if value is None:
        return None if nullable else "null"
    try:
        kind = json_kind(base)
    except ValueError:
        return None  # a type without a JSON kind takes any value
    if kind == "bool":
        return None if isinstance(value, bool) else "not a bool"
    if kind in ("int", "float"):
        if isinstance(value, bool) or not isinstance(value, int | float):
            return "not a number"
        if isinstance(value, float) and not math.isfinite(value):
            return "not finite"
        if kind == "int" and isinstance(value, float) and not value.is_integer():
            return "not an integer"
        limits = type_limits(base, nullable)
        if limits is not None and not limits[0] <= value <= limits[1]:
            return f"outside {limits[0]}..{limits[1]}"
        return None
    expected = {"string": str, "bytes": str, "list": list, "object": dict}[kind]
    return None if isinstance(value, expected) else f"not a {kind}"


def _calls(command: Any) -> Iterator[tuple[Any, Any, Any, bool]]:
    """(cluster, command, params, by_id) of each call of either command form, skipping what does not parse."""
    if not isinstance(command, dict):
        return
    if isinstance(command.get("Endpoints"), list):
        for endpoint in command["Endpoints"]:
            for capability in _dicts(endpoint.get("capabilities") if isinstance(endpoint, dict) else None):
                capability_id = str(capability.get("id", ""))
                if not capability_id.startswith("matter."):
                    continue
                cluster = capability_id[len("matter.") :].partition("@")[0]
                for action in _dicts(capability.get("actions")):
                    params = action.get("parameters")
                    yield cluster, action.get("name"), {} if params is None else params, False
        return
    body = command.get("payload") if isinstance(command.get("payload"), dict) else command
    for endpoint in _dicts(body.get("endpoints") if isinstance(body, dict) else None):
        for cluster_body in _dicts(endpoint.get("clusters")):
            cluster_id = _hex(cluster_body.get("id"))
            commands = cluster_body.get("commands")
            items = commands.items() if isinstance(commands, dict) else [i for c in _dicts(commands) for i in c.items()]
            for command_key, fields in items:
                yield cluster_id, _hex(command_key), {} if fields is None else fields, True


def _dicts(value: Any) -> list[dict[str, Any]]:
    return [v for v in value if isinstance(v, dict)] if isinstance(value, list) else []


def _hex(key: Any) -> Any:
    if isinstance(key, str) and key.lower().startswith("0x"):
        try:
            return int(key, 16)
        except ValueError:
            return key
    return key


def _short(value: Any) -> str:
    text = repr(value) if not isinstance(value, list | dict) else type(value).__name__
    return text if len(text) <= 40 else text[:37] + "..."
