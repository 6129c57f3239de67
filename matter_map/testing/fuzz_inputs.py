"""Seeded hostile inputs for the fuzzer: vendor states mutated from samples, commands built from a mapping's IR."""

from __future__ import annotations

import contextlib
import copy
import random
import struct
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from matter_map.ir import ClusterIR, CommandIR, CompiledMapping, EndpointIR
from matter_map.paths import VendorPath
from matter_map.testing.documents import put_path
from matter_map.vendor_reads import reads


def nested(depth: int, leaf: Any = 1) -> Any:
    value = leaf
    for _ in range(depth):
        value = [value] if depth % 2 else {"a": value}
    return value


#: values a vendor cloud or a caller might send where a well-behaved one sends a number, a string or an object
HOSTILE: tuple[Any, ...] = (
    None,
    True,
    False,
    0,
    1,
    -1,
    0.5,
    -0.0,
    254,
    255,
    65535,
    65536,
    2**31,
    2**32,
    2**63 - 1,
    2**63,
    2**64 - 1,
    2**64,
    2**64 + 1,
    -(2**63),
    10**30,
    10**400,
    1e308,
    -1e308,
    5e-324,
    1e-300,
    float("inf"),
    float("-inf"),
    float("nan"),
    "",
    "0",
    "1",
    "on",
    "true",
    ".",
    "..",
    "%2E%2E",
    "．．",
    "/",
    "a/../..",
    "\ud800",
    "\x00",
    "a\r\nb",
    "é",
    "x" * 70_000,
    [],
    [1],
    [[[]]],
    {},
    {"a": 1},
    nested(70),
    nested(3000),
)
#: vendor ids and ConnectorDeviceIds that try to leave their URL path segment or to break decoding
HOSTILE_IDS: tuple[Any, ...] = (
    "dev-1",
    "lamp:7/a b",
    ".",
    "..",
    "...",
    "．．",
    "‥",
    "%2E%2E",
    "%252e%252e",
    "a/../../b",
    "..\\x",
    "a//b",
    "/",
    "\ud800",
    "é",
    "",
    "x" * 2000,
    5,
    ["a"],
)
HOSTILE_CONNECTOR_IDS: tuple[Any, ...] = (
    "dev-1",
    "@2E@2E",
    "@2E",
    "a@2F@2E@2E@2Fb",
    "@EF@BC@8E@EF@BC@8E",
    "@FF",
    "@ED@A0@80",
    "@C0@AF",
    "x@ZZ",
    "%2E%2E",
    "",
    7,
)


def random_value(rng: random.Random) -> Any:
    """A hostile value: from the fixed pool, or a random integer, float (any bit pattern) or string."""
    roll = rng.random()
    if roll < 0.55:
        return rng.choice(HOSTILE)
    if roll < 0.7:
        return rng.randint(-(2**70), 2**70) >> rng.randint(0, 70)
    if roll < 0.85:
        (number,) = struct.unpack("<d", rng.getrandbits(64).to_bytes(8, "little"))
        return number
    return "".join(chr(rng.choice((rng.randint(32, 126), rng.randint(0, 0x2FFF)))) for _ in range(rng.randint(0, 8)))


@dataclass(frozen=True, slots=True)
class StateCase:
    state: Any
    device_id: Any
    partial: bool


@dataclass(frozen=True, slots=True)
class CommandCase:
    command: Any
    state: Any
    device_id: Any


def _paths(value: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """The paths of a document's values (the first few items of each list), iteratively."""
    found: list[tuple[Any, ...]] = []
    stack = [(value, prefix)]
    while stack:
        item, path = stack.pop()
        if path:
            found.append(path)
        if len(path) > 12:
            continue
        if isinstance(item, dict):
            stack.extend((child, (*path, key)) for key, child in item.items())
        elif isinstance(item, list):
            stack.extend((child, (*path, i)) for i, child in enumerate(item[:4]))
    return found


_NUDGES: tuple[Callable[[Any], Any], ...] = (
    lambda v: v + 1,
    lambda v: v - 1,
    lambda v: -v,
    lambda v: v * 1000,
    lambda v: v / 7,
    lambda v: v + 0.5,
    int,
)


class InputFactory:
    """Seeded states and commands for one mapping; the same seed gives the same inputs."""

    def __init__(self, compiled: CompiledMapping, samples: list[Any], seed: int) -> None:
        self.compiled = compiled
        self.samples = samples or [{}]
        self.read_paths = [r.path for r in reads(compiled)]
        self.rng = random.Random(f"{seed}/{compiled.identity}")  # noqa: S311 - reproducible inputs, not secrets
        self.commands = list(_command_targets(compiled))

    # --- vendor states ---------------------------------------------------------------------------------

    def states(self, count: int) -> Iterator[StateCase]:
        for _ in range(count):
            rng = self.rng
            state = self.mutated_state()
            device_id = rng.choice(HOSTILE_IDS) if rng.random() < 0.15 else None
            yield StateCase(state, device_id, rng.random() < 0.3)

    def mutated_state(self) -> Any:
        rng = self.rng
        state = copy.deepcopy(rng.choice(self.samples))
        for _ in range(rng.choice((0, 1, 1, 2, 3, 5))):
            state = self._mutate(state)
        return state

    def _mutate(self, state: Any) -> Any:
        rng = self.rng
        if not isinstance(state, dict) or rng.random() < 0.02:
            return random_value(rng)
        roll = rng.random()
        if roll < 0.45 and self.read_paths:
            path = rng.choice(self.read_paths)
            with contextlib.suppress(TypeError, IndexError, KeyError):  # a mutated document may not have the shape
                put_path(state, _writable(path), self._value_for(path, state))
            return state
        paths = _paths(state)
        if not paths:
            return state
        where = rng.choice(paths)
        parent = state
        for step in where[:-1]:
            parent = parent[step]
        if roll < 0.6 and isinstance(parent, dict):
            del parent[where[-1]]
        elif roll < 0.7:
            parent[where[-1]] = [parent[where[-1]]] if rng.random() < 0.5 else {"value": parent[where[-1]]}
        else:
            parent[where[-1]] = self._nudged(parent[where[-1]])
        return state

    def _value_for(self, path: VendorPath, state: Any) -> Any:
        current = path.get(state)
        return self._nudged(current) if self.rng.random() < 0.4 else random_value(self.rng)

    def _nudged(self, value: Any) -> Any:
        """A near miss of a value: a number moved by a little or a lot, a string changed, or a random value."""
        rng = self.rng
        if isinstance(value, int | float) and not isinstance(value, bool):
            change = rng.choice(_NUDGES)
            try:
                return change(value)
            except (OverflowError, ValueError):  # e.g. 10**400 / 7, int(nan): the value itself is hostile enough
                return value
        if isinstance(value, str):
            return rng.choice((value.upper(), value + "x", value[:-1], " " + value, str(len(value))))
        return random_value(rng)

    # --- commands --------------------------------------------------------------------------------------

    def command_cases(self, count: int) -> Iterator[CommandCase]:
        for _ in range(count):
            rng = self.rng
            command = self.command()
            for _ in range(rng.choice((0, 0, 0, 1, 2))):
                command = self._mutate_command(command)
            state = None if rng.random() < 0.1 else self.mutated_state() if rng.random() < 0.4 else self.sample()
            device_id = rng.choice(HOSTILE_IDS) if rng.random() < 0.3 else None
            yield CommandCase(command, state, device_id)

    def sample(self) -> Any:
        return copy.deepcopy(self.rng.choice(self.samples))

    def command(self) -> dict[str, Any]:
        rng = self.rng
        endpoint, cluster, namespace, command = rng.choice(self.commands)
        if command is None:
            writable = [a for a in cluster.attributes if a.any_writable] or list(cluster.attributes)
            chosen = rng.sample(writable, min(len(writable), rng.randint(0, 3)))
            params = {a.name: self._field_value(a.type) for a in chosen}
            if rng.random() < 0.1:
                params[rng.choice(("Unknown", "..", ""))] = 1
            return _by_name(endpoint.id, namespace, cluster.name, rng.choice(("UpdateState", "ReadState")), params)
        fields = [(f, self._field_value(f.type)) for f in command.fields if rng.random() < 0.85]
        if namespace != "matter" or rng.random() < 0.5:
            params = {f.name: value for f, value in fields}
            if rng.random() < 0.05:
                params["Unknown"] = 1
            return _by_name(endpoint.id, namespace, cluster.name, command.name, params)
        by_id: dict[str, Any] = {f"0x{f.id:04X}": value for f, value in fields}
        if rng.random() < 0.05:
            by_id["0xFFFF"] = 1
        body: dict[str, Any] = {
            "operationName": "AWS.SendCommand",
            "endpoints": [
                {"id": endpoint.id, "clusters": [{"id": cluster.hex_id, "commands": {command.hex_id: by_id}}]}
            ],
        }
        if rng.random() < 0.7:
            body["connectorDeviceId"] = rng.choice(HOSTILE_CONNECTOR_IDS)
        return {"payload": body}

    def _field_value(self, mtype: Any) -> Any:
        """Mostly a value of the field's type (often at an end of its range), sometimes a hostile one."""
        rng = self.rng
        roll = rng.random()
        if roll < 0.2:
            return random_value(rng)
        kind = mtype.kind
        if kind == "bool":
            return rng.random() < 0.5
        if kind in ("int", "float"):
            if mtype.enum and roll < 0.6:
                return rng.choice(mtype.enum)[1]
            low = -(2**16) if mtype.minimum is None else mtype.minimum
            high = 2**16 if mtype.maximum is None else mtype.maximum
            pick = rng.choice((low, high, low - 1, high + 1, None))
            if pick is None:
                pick = rng.randint(int(low), int(high)) if kind == "int" else rng.uniform(low, high)
            return pick
        if kind in ("string", "bytes"):
            return rng.choice(("", "a", "1234", "..", "%2F", "é", "\ud800"))
        if kind == "list":
            return rng.choice(([], [1], [random_value(rng)]))
        if kind == "object":
            return rng.choice(({}, {"a": 1}))
        return random_value(rng)

    def _mutate_command(self, command: Any) -> Any:
        rng = self.rng
        paths = _paths(command)
        if not paths or rng.random() < 0.02:
            return random_value(rng)
        path = rng.choice(paths)
        parent = command
        for step in path[:-1]:
            parent = parent[step]
        if isinstance(parent, dict) and rng.random() < 0.2:
            del parent[path[-1]]
        else:
            parent[path[-1]] = random_value(rng)
        return command


def _command_targets(compiled: CompiledMapping) -> Iterator[tuple[EndpointIR, ClusterIR, str, CommandIR | None]]:
    """Every mapped command, and the generic actions of every cluster (custom capabilities included)."""
    for endpoint in compiled.endpoints:
        clusters = [(c, "matter") for c in endpoint.clusters if not c.client_only]
        clusters += [(c.cluster, c.namespace) for c in endpoint.capabilities]
        for cluster, namespace in clusters:
            for command in cluster.commands:
                yield endpoint, cluster, namespace, command
            yield endpoint, cluster, namespace, None


def _by_name(endpoint: str, namespace: str, cluster: str, action: str, params: dict[str, Any]) -> dict[str, Any]:
    capability: dict[str, Any] = {"id": f"{namespace}.{cluster}@1.4", "name": cluster, "version": "1"}
    capability["actions"] = [{"name": action, "parameters": params}]
    return {"Endpoints": [{"endpointId": endpoint, "capabilities": [capability]}]}


def _writable(path: VendorPath) -> VendorPath:
    """A path `put_path` can create: a negative index becomes the first element."""
    segments = tuple(0 if isinstance(s, int) and s < 0 else s for s in path.segments)
    return path if segments == path.segments else VendorPath(path.text, segments)


__all__ = ["HOSTILE", "HOSTILE_CONNECTOR_IDS", "HOSTILE_IDS", "CommandCase", "InputFactory", "StateCase"]
