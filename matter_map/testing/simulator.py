"""A simulated vendor device derived from the mapping's write encoding: it applies the requests the mapping builds.

`merge` bodies are deep-merged into the state (under the write prefix), the way partial updates behave;
`items` bodies set each item's value at the vendor paths of the writable bindings whose last key it names.
Explicit `request:` commands have no effect that can be derived from the mapping, so they are not simulated.
"""

from __future__ import annotations

import copy
from typing import Any

from matter_map.ir import CompiledMapping
from matter_map.paths import VendorPath
from matter_map.testing.documents import deep_merge, put_path


class SimulationError(Exception):
    """A request the simulated device cannot apply (not the mapping's write encoding, or a malformed body)."""


class Simulator:
    """Applies write-encoding requests to a copy of a vendor state, as the vendor's cloud would."""

    def __init__(self, compiled: CompiledMapping) -> None:
        self.compiled = compiled
        self.writable_paths: dict[str, list[VendorPath]] = {}
        for endpoint in compiled.endpoints:
            for cluster in endpoint.clusters:
                for attr in cluster.attributes:
                    if attr.writable and attr.path is not None and attr.path.segments:
                        key = str(attr.path.segments[-1])
                        known = self.writable_paths.setdefault(key, [])
                        if attr.path not in known:
                            known.append(attr.path)

    def run(self, state: dict[str, Any], requests: list[dict[str, Any]]) -> dict[str, Any]:
        """The vendor state after the requests (the input state is left unchanged)."""
        after = copy.deepcopy(state)
        for request in requests:
            self.apply(after, request)
        return after

    def apply(self, state: dict[str, Any], request: dict[str, Any]) -> None:
        encoding = self.compiled.write
        if encoding is None:
            raise SimulationError("the mapping has no write encoding")
        if request.get("method") != encoding.method:
            raise SimulationError(f"not a write-encoding request: method {request.get('method')!r}")
        body = request.get("body")
        if not isinstance(body, dict):
            raise SimulationError("the request body is not a JSON object")
        if encoding.body == "merge":
            target: dict[str, Any] = state
            for key in encoding.prefix:
                child = target.get(key)
                if not isinstance(child, dict):
                    child = {}
                    target[key] = child
                target = child
            deep_merge(target, body)
            return
        items = body.get(encoding.items_key)
        if not isinstance(items, list):
            raise SimulationError(f"the request body has no `{encoding.items_key}` list")
        key_at = _placeholder(encoding.item, "$key")
        value_at = _placeholder(encoding.item, "$value")
        if key_at is None or value_at is None:
            raise SimulationError("the item template holds no `$key` or no `$value`")
        for item in items:
            key = _at(item, key_at)
            value = _at(item, value_at)
            for path in self.writable_paths.get(str(key), []):
                put_path(state, path, copy.deepcopy(value))


def _placeholder(template: Any, name: str, where: tuple[Any, ...] = ()) -> tuple[Any, ...] | None:
    """Where `name` ($key or $value) sits in an item template."""
    if template == name:
        return where
    if isinstance(template, dict):
        for key, value in template.items():
            found = _placeholder(value, name, (*where, key))
            if found is not None:
                return found
    if isinstance(template, list):
        for index, value in enumerate(template):
            found = _placeholder(value, name, (*where, index))
            if found is not None:
                return found
    return None


def _at(value: Any, where: tuple[Any, ...]) -> Any:
    for step in where:
        try:
            value = value[step]
        except (KeyError, IndexError, TypeError):
            raise SimulationError(f"an item has no value at {list(where)}") from None
    return value
