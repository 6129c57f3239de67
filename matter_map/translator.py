"""The interpreter: runs a compiled mapping both ways (vendor state → Matter payloads, commands → requests)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

from matter_map.capability_schema import capability_schema_item
from matter_map.command_tables import CommandTables
from matter_map.commands import GENERIC_ACTIONS, CommandCall
from matter_map.errors import TranslationError, TranslationProblem, shown
from matter_map.ids import hex_id
from matter_map.ir import (
    AttributeIR,
    CapabilityIR,
    Chain,
    ClusterIR,
    CommandIR,
    CommandRequestIR,
    CompiledMapping,
    ConstSource,
    EndpointIR,
    EventFieldIR,
    EventIR,
    RequestCommand,
)
from matter_map.paths import MISSING
from matter_map.readers import Reader, attribute_reader
from matter_map.request_templates import BodyTemplate
from matter_map.rules import Test, compile_rule, matches
from matter_map.runtime import (
    DEFAULT_CONNECTOR_ID,
    MAX_CLUSTERS_PER_EVENT,
    TransformError,
    WriteEncoding,
    check_input,
    checked_device_id,
    cluster_report,
    command_request,
    connector_device_id,
    device_name,
    event_requests,
    fill,
    input_problem,
    split_endpoint,
    state_lookup,
    template_request,
    translate_command,
    unsupported,
    url,
    vendor_device_id,
)
from matter_map.runtime import command_params as runtime_command_params
from matter_map.runtime import find_command as runtime_find_command
from matter_map.runtime import generic_writes as runtime_generic_writes
from matter_map.values import check_value

if TYPE_CHECKING:
    from matter_map.runtime import StateLookup

__all__ = ["DEFAULT_CONNECTOR_ID", "MAX_CLUSTERS_PER_EVENT", "Translator", "run_forward", "run_inverse"]

Checker = Callable[[Mapping[str, Any]], None]


def _problem(attr: AttributeIR, code: str, message: str) -> TranslationProblem:
    return TranslationProblem(
        code,
        message,
        vendor_path=str(attr.path) if attr.path else "",
        rule=f"{attr.cluster}.{attr.name}",
        source=str(attr.source),
    )


def run_forward(chain: Chain, value: Any, context: Any) -> Any:
    for transform in chain.transforms:
        value = transform.forward(value, context)
    return value


def run_inverse(chain: Chain, value: Any, old: Any, context: Any) -> Any:
    """Apply the chain backwards; `old` is the current vendor value, threaded through for get-put lenses."""
    transforms = chain.transforms
    if not transforms:
        return value
    olds = [old]
    if chain.reads_old:
        for transform in transforms[:-1]:
            current = olds[-1]
            try:
                olds.append(MISSING if current is MISSING else transform.forward(current, context))
            except TransformError:
                olds.append(MISSING)
    else:
        olds = [MISSING] * len(transforms)
    for transform, previous in zip(reversed(transforms), reversed(olds), strict=True):
        value = transform.inverse(value, previous, context)
    return value


class Translator:
    """Translate with one compiled mapping; `check` validates every emitted AWS payload."""

    def __init__(self, compiled: CompiledMapping, *, check: Checker | None = None) -> None:
        self.compiled = compiled
        self.check = check
        self.encoding = _write_encoding(compiled)
        #: a reader closure per binding of the mapping, keyed by the binding's id (the binding kept alive with it)
        self.readers: dict[int, tuple[AttributeIR, Reader]] = {}
        for _, cluster in compiled.clusters():
            for attr in cluster.attributes:
                self.readers[id(attr)] = (attr, attribute_reader(attr))
        for endpoint in compiled.endpoints:
            for capability in endpoint.capabilities:
                for attr in capability.cluster.attributes:
                    self.readers[id(attr)] = (attr, attribute_reader(attr))
        self.match = compile_rule(compiled.match)
        #: per cluster (kept alive with it): (hex id, reader) of each attribute, and each event with its rule
        self.cluster_readers: dict[int, tuple[ClusterIR, list[tuple[str, Reader]]]] = {}
        self.events: dict[int, list[tuple[EventIR, Test]]] = {}
        for _, cluster in compiled.clusters():
            readers = [(attr.hex_id, self.readers[id(attr)][1]) for attr in cluster.attributes]
            self.cluster_readers[id(cluster)] = (cluster, readers)
            self.events[id(cluster)] = [(event, compile_rule(event.when)) for event in cluster.events]
        #: per endpoint, what `matter_endpoints` runs: (endpoint id, [(cluster hex id, readers, events)])
        self.endpoint_plan = [
            (
                endpoint.id,
                [(c.hex_id, self.cluster_readers[id(c)][1], self.events[id(c)]) for c in endpoint.clusters],
            )
            for endpoint in compiled.endpoints
        ]
        tables = CommandTables(self.reader, _write_through, self.explicit_request)
        #: the command tables `translate_command` runs (the runtime's engine, as generated modules use it)
        self.device = tables.device(compiled, self.encoding, self.vendor_device_id)

    def reader(self, attr: AttributeIR) -> Reader:
        """The reader closure of a binding (built now when the binding is not one of the mapping's)."""
        found = self.readers.get(id(attr))
        return found[1] if found is not None and found[0] is attr else attribute_reader(attr)

    @property
    def identity(self) -> str:
        return self.compiled.identity

    @property
    def source_sha256(self) -> str:
        return self.compiled.source_sha256

    def recognises(self, state: Any) -> bool:
        """Whether the match rule holds; a payload outside the input bounds is recognised by no mapping."""
        return input_problem(state) is None and self.match(state)

    # --- vendor → Matter -----------------------------------------------------------------------------

    def read_attribute(self, attr: AttributeIR, state: Any, *, partial: bool = False) -> Any:
        """The Matter value of one binding, MISSING when it is not reported; raises TranslationError."""
        return self.reader(attr)(state, partial)  # a binding outside the mapping (outcomes.py builds some) too

    def cluster_values(self, cluster: ClusterIR, state: Any, *, partial: bool = False) -> dict[str, Any]:
        problems: list[TranslationProblem] = []
        values: dict[str, Any] = {}
        readers = self.cluster_readers.get(id(cluster))
        if readers is None or readers[0] is not cluster:
            readers = (cluster, [(attr.hex_id, self.reader(attr)) for attr in cluster.attributes])
        for attribute_id, read in readers[1]:
            try:
                value = read(state, partial)
            except TranslationError as exc:
                problems.extend(exc.problems)
                continue
            if value is not MISSING:
                values[attribute_id] = value
        if problems:
            raise TranslationError(problems)
        return values

    def event_payload(self, event: EventIR, state: Any) -> dict[str, Any]:
        fields: dict[str, Any] = {}
        for spec in event.fields:
            if isinstance(spec.reads, ConstSource):
                fields[spec.hex_id] = spec.reads.value
                continue
            raw = spec.reads.path.get(state)
            if raw is MISSING:
                raise _event_problem(event, spec, "missing-vendor-value", f"vendor path `{spec.path}` is missing")
            try:
                fields[spec.hex_id] = run_forward(spec.chain, raw, state)
            except TransformError as exc:
                message = f"vendor value {shown(raw)} at `{spec.path}`: {exc}"
                raise _event_problem(event, spec, "bad-vendor-value", message) from None
        return fields

    def matter_endpoints(self, state: Any, *, partial: bool = False) -> list[dict[str, Any]]:
        """MatterEndpoint objects for the state, at most five clusters each."""
        problems: list[TranslationProblem] = []
        out: list[dict[str, Any]] = []
        for endpoint_id, plan in self.endpoint_plan:
            clusters: list[dict[str, Any]] = []
            for cluster_id, readers, cluster_events in plan:
                attributes: dict[str, Any] = {}
                failed = False
                for attribute_id, read in readers:  # every attribute's problem, as `cluster_values` collects them
                    try:
                        value = read(state, partial)
                    except TranslationError as exc:
                        problems.extend(exc.problems)
                        failed = True
                        continue
                    if value is not MISSING:
                        attributes[attribute_id] = value
                if failed:
                    continue
                entry: dict[str, Any] = {"id": cluster_id}
                if attributes:
                    entry["attributes"] = attributes
                if cluster_events:
                    try:
                        events = {e.hex_id: self.event_payload(e, state) for e, when in cluster_events if when(state)}
                    except TranslationError as exc:
                        problems.extend(exc.problems)
                        continue
                    if events:
                        entry["events"] = events
                if len(entry) > 1:
                    clusters.append(entry)
            out.extend(split_endpoint(endpoint_id, clusters))
        if problems:
            raise TranslationError(problems)
        if not out:
            raise TranslationError(
                [TranslationProblem("nothing-to-report", "no binding of the mapping found a value in the payload")]
            )
        return out

    def vendor_device_id(self, state: Any, device_id: str | None) -> str:
        """The vendor's id of the device: given, or read from the state; always non-empty UTF-8 text."""
        if device_id is not None:
            return checked_device_id(device_id, "")
        return vendor_device_id(self.compiled.device_id.get(state), str(self.compiled.device_id))

    def connector_device_id(self, state: Any, device_id: str | None) -> str:
        return connector_device_id(self.vendor_device_id(state, device_id))  # a missing id stays `missing-device-id`

    def to_matter(
        self,
        state: Any,
        *,
        connector_id: str = DEFAULT_CONNECTOR_ID,
        device_id: str | None = None,
        user_id: str | None = None,
        partial: bool = False,
    ) -> list[dict[str, Any]]:
        """SendConnectorEvent requests (Operation DEVICE_EVENT) for a vendor state or event payload."""
        check_input(state, "the vendor state")
        device = self.connector_device_id(state, device_id)
        requests = event_requests(self.matter_endpoints(state, partial=partial), connector_id, device, user_id)
        if self.check is not None:
            for request in requests:
                self.check(request)
        return requests

    # --- commands the device sends ----------------------------------------------------------------------

    def request_fields(self, request: CommandRequestIR, state: Any) -> dict[str, Any]:
        """The command's fields by hex id, each checked against its Matter type."""
        fields: dict[str, Any] = {}
        rule = f"{request.cluster}.{request.name}"
        for spec in request.fields:
            raw = spec.reads.value if isinstance(spec.reads, ConstSource) else spec.reads.path.get(state)
            if raw is MISSING:
                raise TranslationError(
                    [
                        TranslationProblem(
                            "missing-vendor-value", f"vendor path `{spec.path}` is missing", str(spec.path), rule
                        )
                    ]
                )
            try:
                value = run_forward(spec.chain, raw, state)
            except TransformError as exc:
                message = f"vendor value {shown(raw)} at `{spec.path}`: {exc}"
                raise TranslationError(
                    [TranslationProblem("bad-vendor-value", message, str(spec.path), rule, str(request.source))]
                ) from None
            problem = check_value(value, spec.type)
            if problem:
                message = f"{spec.name} from {shown(raw)} gives {problem}"
                raise TranslationError(
                    [TranslationProblem("out-of-range", message, str(spec.path or ""), rule, str(request.source))]
                )
            fields[spec.hex_id] = value
        return fields

    def command_requests(
        self,
        state: Any,
        *,
        trace_id: str,
        connector_id: str = DEFAULT_CONNECTOR_ID,
        device_id: str | None = None,
        user_id: str | None = None,
    ) -> list[dict[str, Any]]:
        """SendConnectorEvent requests (DEVICE_COMMAND_REQUEST): the commands a vendor event makes the device send."""
        check_input(state, "the vendor state")
        requests: list[dict[str, Any]] = []
        for endpoint in self.compiled.endpoints:
            clusters: list[dict[str, Any]] = []
            for cluster in endpoint.clusters:
                commands = {
                    r.hex_id: self.request_fields(r, state) for r in cluster.command_requests if matches(r.when, state)
                }
                if commands:
                    clusters.append({"id": cluster.hex_id, "commands": commands})
            for matter_endpoint in split_endpoint(endpoint.id, clusters):
                device = self.connector_device_id(state, device_id)
                requests.append(command_request(matter_endpoint, connector_id, device, trace_id, user_id))
        if self.check is not None:
            for request in requests:
                self.check(request)
        return requests

    # --- discovery -----------------------------------------------------------------------------------

    def capability_report(self, state: Any, *, device_id: str | None = None) -> dict[str, Any]:
        """The `Devices[]` entry of a DEVICE_DISCOVERY event for this device."""
        check_input(state, "the vendor state")
        problems: list[TranslationProblem] = []
        endpoints = []
        for endpoint in self.compiled.endpoints:
            clusters = []
            client_clusters = []
            for cluster in endpoint.clusters:
                if cluster.client_only:
                    client_clusters.append(cluster.hex_id)
                    continue
                attributes = self.reported_attributes(cluster, state, problems)
                clusters.append(
                    cluster_report(
                        cluster.hex_id,
                        cluster.revision,
                        cluster.capability_id,
                        cluster.title,
                        self.compiled.spec_version,
                        attributes,
                        [c.hex_id for c in cluster.commands],
                        [e.hex_id for e in cluster.events],
                        cluster.feature_map,
                    )
                )
            clusters.extend(self.custom_capability_entry(c, state, problems) for c in endpoint.capabilities)
            report: dict[str, Any] = {
                "id": endpoint.id,
                "deviceTypes": [name for _, name in endpoint.device_types],
                "clusters": clusters,
            }
            if client_clusters:
                report["clientClusters"] = client_clusters
            endpoints.append(report)
        if problems:
            raise TranslationError(problems)
        device: dict[str, Any] = {
            "ConnectorDeviceId": self.connector_device_id(state, device_id),
            "CapabilityReport": {"version": "1.0.0", "nodeId": "1", "endpoints": endpoints},
        }
        if self.compiled.device_name is not None:
            name = self.compiled.device_name.get(state)
            if isinstance(name, str) and name.strip():
                device["ConnectorDeviceName"] = device_name(name)
        schemas = {c.cluster.capability_id: c for e in self.compiled.endpoints for c in e.capabilities}
        if schemas:
            device["CapabilitySchemas"] = [capability_schema_item(c) for c in schemas.values()]
        return device

    def reported_attributes(
        self, cluster: ClusterIR, state: Any, problems: list[TranslationProblem]
    ) -> list[dict[str, Any]]:
        """`{id, name, value}` of each attribute the state reports; problems are collected, not raised."""
        attributes = []
        for attr in cluster.attributes:
            try:
                value = self.read_attribute(attr, state)
            except TranslationError as exc:
                problems.extend(exc.problems)
                continue
            if value is not MISSING:
                attributes.append({"id": attr.hex_id, "name": attr.name, "value": value})
        return attributes

    def custom_capability_entry(
        self, capability: CapabilityIR, state: Any, problems: list[TranslationProblem]
    ) -> dict[str, Any]:
        """A custom capability in the capability report: shaped like a cluster, keyed by its extrinsic ids."""
        cluster = capability.cluster
        attributes = self.reported_attributes(cluster, state, problems)
        commands = [c.hex_id for c in cluster.commands]
        return cluster_report(
            cluster.hex_id,
            cluster.revision,
            cluster.capability_id,
            cluster.title,
            capability.version,
            attributes,
            commands,
            [],
            0,
        )

    def discovery_event(
        self, states: list[Any], *, discovery_id: str, connector_id: str = DEFAULT_CONNECTOR_ID
    ) -> dict[str, Any]:
        request = {
            "ConnectorId": connector_id,
            "Operation": "DEVICE_DISCOVERY",
            "OperationVersion": "1.0",
            "DeviceDiscoveryId": discovery_id,
            "Devices": [self.capability_report(s) for s in states],
        }
        if self.check is not None:
            self.check(request)
        return request

    # --- Matter → vendor -----------------------------------------------------------------------------

    def find_command(self, call: CommandCall) -> tuple[EndpointIR, ClusterIR, CommandIR | None]:
        endpoint = next((e for e in self.compiled.endpoints if e.id == call.endpoint_id), None)
        if endpoint is None:
            raise unsupported(f"endpoint {shown(call.endpoint_id)} is not in this mapping")
        cluster = self.find_cluster(endpoint, call)
        if cluster is None:
            shown_cluster = hex_id(call.cluster) if isinstance(call.cluster, int) else call.cluster
            raise unsupported(f"cluster {shown_cluster} is not mapped on endpoint {endpoint.id}")
        if not call.by_id and call.command in GENERIC_ACTIONS:
            return endpoint, cluster, None
        command = next((c for c in cluster.commands if (c.id if call.by_id else c.name) == call.command), None)
        if command is None:
            shown_command = hex_id(call.command, 2) if isinstance(call.command, int) else call.command
            known = ", ".join(c.name for c in cluster.commands) or "none"
            raise unsupported(f"{cluster.name} command {shown_command} is not mapped (mapped: {known})")
        return endpoint, cluster, command

    def find_cluster(self, endpoint: EndpointIR, call: CommandCall) -> ClusterIR | None:
        """A Matter cluster, or a custom capability (by its namespace and name, or by its extrinsic id)."""
        if call.by_id:
            clusters = [*endpoint.clusters, *(c.cluster for c in endpoint.capabilities)]
            return next((c for c in clusters if c.id == call.cluster), None)
        if call.namespace == "matter":
            return next((c for c in endpoint.clusters if c.name == call.cluster), None)
        for capability in endpoint.capabilities:
            if capability.namespace == call.namespace and capability.cluster.name == call.cluster:
                return capability.cluster
        known = ", ".join(c.cluster.capability_id for c in endpoint.capabilities) or "none"
        wanted = f"{call.namespace}.{call.cluster}"
        raise unsupported(f"capability {wanted} is not on endpoint {endpoint.id} (custom capabilities: {known})")

    def check_call(self, call: CommandCall) -> None:
        """Refuse a call this mapping cannot perform (unknown command or fields outside their constraints), with
        the runtime's own checks over the command tables: the same words as `to_vendor`, no request built."""
        cluster, command = runtime_find_command(self.device.endpoints, call)
        if command is None:
            runtime_generic_writes(call, cluster)
        else:
            runtime_command_params(call, command)

    def to_vendor(self, command: Any, *, state: Any = None, device_id: str | None = None) -> list[dict[str, Any]]:
        """Vendor requests `{method, url, headers, body}` for a command; nothing is returned on any error."""
        return translate_command(self.device, command, state, device_id)

    def url(self, template: str, device_id: str, params: Mapping[str, Any] | None = None) -> str:
        """`{device_id}` is percent-encoded whole; `{device_path}` keeps its `/` (Nest `enterprises/p/devices/d`).
        A value that would change the path once a server normalises it (`..`, `%2F`, fullwidth dots) is refused."""
        return url(self.compiled.base_url, template, device_id, params)

    def explicit_request(
        self, command: CommandIR, params: dict[str, Any], device_id: str, context: Any = None
    ) -> dict[str, Any]:
        """The request of a `request` command; field transforms may read per-device ranges from `context`."""
        assert isinstance(command.action, RequestCommand), f"{command.name} sends no request of its own"
        request = command.action.request
        context = context if context is not None else {}
        values = dict(params)
        for name, chain in request.field_chains:
            if name in values:
                try:
                    values[name] = run_inverse(chain, values[name], MISSING, context)
                except TransformError as exc:
                    raise TranslationError(
                        [TranslationProblem("bad-command", f"{command.name}.{name}: {exc}", source=str(command.source))]
                    ) from None
        absent = sorted(n for n in request.body.interpolated if values.get(n) is None)
        if absent:
            raise TranslationError(
                [
                    TranslationProblem(
                        "bad-command", f"{command.name} needs {', '.join(absent)}", source=str(command.source)
                    )
                ]
            )
        lookup = _state_lookup({}, context, request.body)
        body = fill(request.body.raw, {**values, "device_id": device_id}, lookup)
        url = request.url.raw
        return template_request(self.encoding, request.method, url, body, device_id=device_id, params=values)


def _write_through(attr: AttributeIR, value: Any, old: Any, context: Any) -> Any:
    return run_inverse(attr.chain, value, old, context)


def _write_encoding(compiled: CompiledMapping) -> WriteEncoding:
    """The mapping's write encoding in the runtime's form."""
    write = compiled.write
    if write is None:
        return WriteEncoding(compiled.base_url, None)
    return WriteEncoding(
        compiled.base_url,
        write.method,
        write.url,
        write.headers,
        *write.runtime_body,
        write.prefix,
    )


def _event_problem(event: EventIR, spec: EventFieldIR, code: str, message: str) -> TranslationError:
    rule = f"{event.cluster}.{event.name}.{spec.name}"
    return TranslationError([TranslationProblem(code, message, str(spec.path), rule, str(event.source))])


def _state_lookup(pending: Mapping[str, Any], context: Any, body: BodyTemplate) -> StateLookup:
    """`$state:<path>`: this command's own writes first, then the current state (paths parsed when linked)."""
    segments = {state.text: state.path.segments for state in body.states if state.path is not None}
    return state_lookup(pending, context, segments.__getitem__)
