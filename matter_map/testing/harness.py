"""One mapping under test: its translator, subjects and simulated device, and the violation the laws raise."""

from __future__ import annotations

import copy
import json
from dataclasses import dataclass
from typing import Any

from matter_map.errors import TranslationError
from matter_map.ir import ClusterIR, CompiledMapping
from matter_map.paths import MISSING
from matter_map.runtime import TransformError
from matter_map.testing.documents import differences, put_path, same_json
from matter_map.testing.domains import is_number, slack
from matter_map.testing.simulator import SimulationError, Simulator
from matter_map.testing.subjects import Binding, Command, Subjects
from matter_map.transforms import JsonString
from matter_map.translator import Translator

CAPABILITY_VERSION = "1"


class LawViolation(AssertionError):  # noqa: N818 -- a law is violated, not an error of the checker
    """A law does not hold for one generated case: the message says why, `details` shows the values."""

    def __init__(self, law: str, message: str, details: dict[str, Any] | None = None) -> None:
        super().__init__(f"{law}: {message}")
        self.law = law
        self.message = message
        self.details = details or {}


@dataclass(frozen=True)
class Unreadable:
    """A binding whose value could not be read: the translation problem, for comparisons and messages."""

    problem: str

    def __repr__(self) -> str:
        return f"<unreadable: {self.problem}>"


class Harness:
    """Reads, writes and simulates one compiled mapping for the laws."""

    def __init__(self, compiled: CompiledMapping) -> None:
        self.compiled = compiled
        self.subjects = Subjects.of(compiled)
        self.translator = Translator(compiled)
        self.simulator = Simulator(compiled)

    # --- reading -------------------------------------------------------------------------------------

    def read(self, binding: Binding, state: Any) -> Any:
        """The binding's Matter value in `state` (MISSING when not reported); raises TranslationError."""
        return self.translator.read_attribute(binding.attribute, state)

    def read_or_unreadable(self, binding: Binding, state: Any) -> Any:
        try:
            return self.read(binding, state)
        except TranslationError as exc:
            return Unreadable("; ".join(p.message for p in exc.problems))

    def core(self, binding: Binding, state: Any) -> Any:
        try:
            return binding.lens.read_core(state)
        except TransformError as exc:
            return Unreadable(str(exc))

    def normalized(self, state: Any) -> Any:
        """The state with JSON-in-string vendor values decoded, so re-serialising them is no difference."""
        out = copy.deepcopy(state)
        for binding in self.subjects.bindings:
            prefix = binding.lens.prefix.transforms
            path = binding.variant.path
            if prefix and isinstance(prefix[0], JsonString) and path is not None:
                raw = path.get(out)
                if isinstance(raw, str):
                    try:
                        put_path(out, path, json.loads(raw))
                    except (json.JSONDecodeError, TypeError):
                        continue
        return out

    def differences(self, before: Any, after: Any) -> list[str]:
        return differences(self.normalized(before), self.normalized(after))

    # --- writing -------------------------------------------------------------------------------------

    def capability(self, cluster: ClusterIR, actions: list[dict[str, Any]]) -> dict[str, Any]:
        return {"id": cluster.capability_id, "name": cluster.name, "version": CAPABILITY_VERSION, "actions": actions}

    def update_state(self, bindings: list[Binding], values: list[Any]) -> dict[str, Any]:
        """A SendManagedThingCommand with the generic UpdateState action writing attributes of one cluster."""
        first = bindings[0]
        params = {b.attribute.name: v for b, v in zip(bindings, values, strict=True)}
        action = {"name": "UpdateState", "parameters": params}
        return {
            "Endpoints": [{"endpointId": first.endpoint.id, "capabilities": [self.capability(first.cluster, [action])]}]
        }

    def named_command(self, command: Command, params: dict[str, Any]) -> dict[str, Any]:
        action = {"name": command.command.name, "parameters": params}
        return {
            "Endpoints": [
                {
                    "endpointId": command.endpoint.id,
                    "capabilities": [self.capability(command.cluster, [action])],
                }
            ]
        }

    def send(self, command: dict[str, Any], state: dict[str, Any], law: str) -> dict[str, Any]:
        """The vendor state after the mapping's requests for `command` reach the simulated device.

        Raises TranslationError when the mapping refuses the command, LawViolation when its requests
        cannot be applied or are not JSON."""
        requests = self.translator.to_vendor(command, state=state)
        try:
            json.dumps(requests, allow_nan=False)
        except (TypeError, ValueError) as exc:
            raise LawViolation(law, f"the vendor request is not JSON ({exc})", {"requests": repr(requests)}) from None
        try:
            return self.simulator.run(state, requests)
        except SimulationError as exc:
            raise LawViolation(
                law, f"the simulated device cannot apply the request: {exc}", {"requests": requests}
            ) from None


def values_equal(a: Any, b: Any) -> bool:
    """Equal Matter or vendor values; floats equal up to float noise."""
    if a is MISSING or b is MISSING:
        return a is b
    if isinstance(a, Unreadable) or isinstance(b, Unreadable):
        return False
    if is_number(a) and is_number(b) and (isinstance(a, float) or isinstance(b, float)):
        return bool(abs(a - b) <= slack(max(abs(a), abs(b))))
    return same_json(a, b)


def shown(value: Any) -> Any:
    """A value as it appears in a counterexample (MISSING spelled out)."""
    if value is MISSING:
        return "(absent)"
    if isinstance(value, Unreadable):
        return repr(value)
    return value
