"""The interpreter's command tables: the runtime's bindings built once from the IR, run by `translate_command`."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from matter_map.ir import (
    AttributeIR,
    ClusterIR,
    CommandIR,
    CompiledMapping,
    EndpointIR,
    FieldRef,
    RequestCommand,
    StepCommand,
    StepIR,
    ToggleCommand,
    Write,
    WriteCommand,
)
from matter_map.readers import Reader
from matter_map.rules import compile_rule
from matter_map.runtime import (
    AttributeBinding,
    ClusterBinding,
    CommandBinding,
    DeviceBinding,
    EndpointBinding,
    WriteEncoding,
)

#: (command IR, parameters by name, device id, context) → the request of a `request` command
RequestBuilder = Callable[[CommandIR, dict[str, Any], str, Any], dict[str, Any]]
Inverse = Callable[[AttributeIR, Any, Any, Any], Any]


class CommandTables:
    """Builds the `DeviceBinding` of a compiled mapping; one `AttributeBinding` per binding, shared."""

    def __init__(self, readers: Callable[[AttributeIR], Reader], inverse: Inverse, request: RequestBuilder) -> None:
        self.readers = readers
        self.inverse = inverse
        self.request = request
        self.attributes: dict[int, tuple[AttributeIR, AttributeBinding]] = {}

    def device(
        self, compiled: CompiledMapping, encoding: WriteEncoding, vendor_device_id: Callable[[Any, str | None], str]
    ) -> DeviceBinding:
        endpoints = {endpoint.id: self.endpoint(endpoint) for endpoint in compiled.endpoints}
        # `$state:<path>` texts of the request bodies → segments, as the linker parsed them
        state_paths = {
            state.text: state.path.segments
            for request in compiled.requests()
            for state in request.body.states
            if state.path is not None
        }
        return DeviceBinding(encoding, endpoints, vendor_device_id, state_paths)

    def endpoint(self, endpoint: EndpointIR) -> EndpointBinding:
        by_name: dict[str, ClusterBinding] = {}
        by_id: dict[int, ClusterBinding] = {}
        for cluster in endpoint.clusters:
            binding = self.cluster(cluster)
            by_name[cluster.name] = binding
            by_id.setdefault(cluster.id, binding)
        custom: dict[str, ClusterBinding] = {}
        for capability in endpoint.capabilities:
            binding = self.cluster(capability.cluster)
            custom[f"{capability.namespace}.{capability.cluster.name}"] = binding
            by_id.setdefault(capability.cluster.id, binding)
        known = ", ".join(c.cluster.capability_id for c in endpoint.capabilities) or "none"
        return EndpointBinding(by_name, by_id, custom, known)

    def cluster(self, cluster: ClusterIR) -> ClusterBinding:
        commands = [(command.id, self.command(command)) for command in cluster.commands]
        attributes = [self.attribute(a) for a in cluster.attributes if a.any_writable]
        return ClusterBinding(cluster.name, commands, attributes)

    def attribute(self, attr: AttributeIR) -> AttributeBinding:
        found = self.attributes.get(id(attr))
        if found is not None:
            return found[1]
        reader = self.readers(attr)
        inverse = self.inverse

        def write(value: Any, old: Any, context: Any) -> Any:
            return inverse(attr, value, old, context)

        binding = AttributeBinding(
            attr.name,
            (str(attr.path) if attr.path else "", f"{attr.cluster}.{attr.name}", str(attr.source)),
            attr.type.checks,
            attr.path.segments if attr.path is not None else (),
            attr.writable,
            lambda state: reader(state, False),
            write if attr.writable else None,
            compile_rule(attr.when) if attr.otherwise is not None and attr.when is not None else None,
            self.attribute(attr.otherwise) if attr.otherwise is not None else None,
            attr.any_writable,
            (attr.write.method, attr.write.url.raw, attr.write.body.raw) if attr.write is not None else None,
        )
        self.attributes[id(attr)] = (attr, binding)
        return binding

    def command(self, command: CommandIR) -> CommandBinding:
        fields = [(f.id, f.name, f.type.checks) for f in command.fields]
        rule = f"{command.cluster}.{command.name}"
        kind = command.action.runtime_kind
        plan: list[tuple[AttributeBinding, str | None, Any]] = []
        steps: list[tuple[AttributeBinding, tuple[Any, ...], AttributeBinding | None, float]] = []
        # every kind but a request as data, which the runtime runs (as it does for generated modules)
        match command.action:
            case RequestCommand():
                request = self.request

                def run(params: dict[str, Any], device_id: str, context: Any) -> dict[str, Any]:
                    return request(command, params, device_id, context)

                return CommandBinding(command.name, rule, str(command.source), kind, fields, run)
            case ToggleCommand(attribute=attribute):
                plan = [(self.attribute(attribute), None, None)]
            case StepCommand(steps=step_specs, writes=fixed):
                steps = [self.step(one) for one in step_specs]
                plan = self.writes(fixed)
            case WriteCommand(writes=fixed):
                plan = self.writes(fixed)
        return CommandBinding(command.name, rule, str(command.source), kind, fields, None, plan, steps)

    def step(self, one: StepIR) -> tuple[AttributeBinding, tuple[Any, ...], AttributeBinding | None, float]:
        spec = one.runtime_spec
        on_off = self.attribute(one.on_off) if one.on_off is not None else None
        return self.attribute(one.attribute), spec, on_off, one.on_off_minimum

    def writes(self, fixed: tuple[Write, ...]) -> list[tuple[AttributeBinding, str | None, Any]]:
        """A command's fixed writes as data: (attribute, field name or None, literal value)."""
        return [
            (self.attribute(w.attribute), w.value.name if isinstance(w.value, FieldRef) else None, w.value)
            for w in fixed
        ]
