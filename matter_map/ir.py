"""The compiled intermediate form: plain frozen data with ids resolved, shared by the interpreter and codegen."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar

from matter_map.paths import VendorPath
from matter_map.request_templates import BodyTemplate, UrlTemplate
from matter_map.transforms import Loss, Transform

if TYPE_CHECKING:
    from matter_map.runtime import ValueType


@dataclass(frozen=True, slots=True)
class Source:
    """Where a compiled element was declared: `file:line:col` and the document path."""

    file: str
    line: int
    column: int
    path: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.column}"


# --- rules -------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Equals:
    """The value at `path` is present and equals `value` (JSON equality: 1 ≠ true)."""

    path: VendorPath
    value: Any
    source: Source | None = None


@dataclass(frozen=True, slots=True)
class OneOf:
    """The value at `path` is present and one of `values`."""

    path: VendorPath
    values: tuple[Any, ...]
    source: Source | None = None


@dataclass(frozen=True, slots=True)
class Present:
    """Something (null counts) is at `path`."""

    path: VendorPath
    source: Source | None = None


@dataclass(frozen=True, slots=True)
class Absent:
    """Nothing is at `path`."""

    path: VendorPath
    source: Source | None = None


@dataclass(frozen=True, slots=True)
class Contains:
    """The value at `path` is a list holding `value`."""

    path: VendorPath
    value: Any
    source: Source | None = None


#: a test on one vendor path; a mapping's path rule with several tests compiles to `AllOf` of them
PathTest = Equals | OneOf | Present | Absent | Contains


@dataclass(frozen=True, slots=True)
class AllOf:
    rules: tuple[RuleIR, ...]


@dataclass(frozen=True, slots=True)
class AnyOf:
    rules: tuple[RuleIR, ...]


@dataclass(frozen=True, slots=True)
class Not:
    rule: RuleIR


RuleIR = PathTest | AllOf | AnyOf | Not


# --- values ------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class MatterType:
    """What a Matter value must be: JSON kind, numeric range, nullability, enum members."""

    kind: str  # bool | int | float | string | bytes | list | object
    base: str
    nullable: bool
    minimum: float | None = None
    maximum: float | None = None
    enum: tuple[tuple[str, int], ...] = ()
    values: tuple[Any, ...] = ()  # allowed values of a custom capability's declared type (any JSON scalars)

    @property
    def checks(self) -> ValueType:
        """The form `runtime.check_value` reads (and generated modules spell as a constant)."""
        return (self.kind, self.nullable, self.minimum, self.maximum, self.enum, self.values)


@dataclass(frozen=True, slots=True)
class Chain:
    """Transforms applied vendor → Matter in order; the inverse runs them backwards."""

    transforms: tuple[Transform, ...]
    loss: Loss

    @property
    def reads_old(self) -> bool:
        return any(t.reads_old for t in self.transforms)


@dataclass(frozen=True, slots=True)
class PathSource:
    """A value read from the vendor payload at `path` (then through the binding's transforms)."""

    path: VendorPath


@dataclass(frozen=True, slots=True)
class ConstSource:
    """A constant value, the same for every payload."""

    value: Any


#: where a field's value comes from
FieldSource = PathSource | ConstSource


@dataclass(frozen=True, slots=True)
class StructFieldIR:
    """One field of a struct-typed attribute read from the vendor payload (or a constant)."""

    id: int
    name: str
    hex_id: str
    type: MatterType
    reads: FieldSource
    chain: Chain
    vendor_range: tuple[Any, Any] | None = None
    optional: bool = False

    @property
    def path(self) -> VendorPath | None:
        """The vendor path the value is read from; None for a constant."""
        return self.reads.path if isinstance(self.reads, PathSource) else None


@dataclass(frozen=True, slots=True)
class StructSource:
    """A struct built field by field (read-only)."""

    fields: tuple[StructFieldIR, ...]


#: where an attribute's value comes from
AttributeSource = PathSource | ConstSource | StructSource


@dataclass(frozen=True, slots=True)
class AttributeIR:
    cluster_id: int
    cluster: str
    id: int
    name: str
    hex_id: str
    type: MatterType
    source: Source
    reads: AttributeSource
    chain: Chain
    optional: bool = False
    read_only: bool = False
    when: RuleIR | None = None
    vendor_range: tuple[Any, Any] | None = None
    description: str | None = None
    #: the binding used when `when` does not hold (same attribute, another vendor path or chain)
    otherwise: AttributeIR | None = None
    #: a request of its own for writes (`$value` = the vendor value), instead of the mapping's write encoding
    write: RequestIR | None = None

    @property
    def path(self) -> VendorPath | None:
        """The vendor path the value is read from; None for a constant or a struct built field by field."""
        return self.reads.path if isinstance(self.reads, PathSource) else None

    @property
    def writable(self) -> bool:
        return isinstance(self.reads, PathSource) and not self.read_only

    @property
    def unwritable_reason(self) -> str:
        """Why a binding that is not writable cannot be written, in words: `a constant` or `read-only`."""
        return "a constant" if isinstance(self.reads, ConstSource) else "read-only"

    @property
    def any_writable(self) -> bool:
        """This binding or one of its `otherwise` alternatives can be written."""
        return self.writable or (self.otherwise is not None and self.otherwise.any_writable)


@dataclass(frozen=True, slots=True)
class FieldRef:
    """A command field's value, by Matter field name."""

    name: str


@dataclass(frozen=True, slots=True)
class Write:
    attribute: AttributeIR
    value: Any  # a literal Matter value or a FieldRef


@dataclass(frozen=True, slots=True)
class FieldIR:
    id: int
    name: str
    type: MatterType
    optional: bool


@dataclass(frozen=True, slots=True)
class StepDirection:
    """The command field that holds a step's direction, and its values meaning up and down."""

    field: str
    up: int
    down: int


@dataclass(frozen=True, slots=True)
class StepIR:
    """`size` added to or subtracted from the attribute; without `direction` the size is signed."""

    attribute: AttributeIR
    direction: StepDirection | None
    size: str
    wrap: bool = False  # wrap around the attribute's range (hue) instead of stopping at its ends
    factor: float = 1  # attribute units per unit of size
    only_if: tuple[tuple[str, tuple[int, ...]], ...] = ()  # (field, values): applies only when the field holds one
    on_off: AttributeIR | None = None  # set true above `on_off_minimum`, false at it (*WithOnOff)
    on_off_minimum: float = 0

    @property
    def runtime_spec(self) -> tuple[Any, ...]:
        """(direction field, size field, up, down, wrap, factor, only_if): the form the runtime's `step` reads."""
        d = self.direction
        up_down = (d.field, self.size, d.up, d.down) if d is not None else (None, self.size, None, None)
        return (*up_down, self.wrap, self.factor, self.only_if)


@dataclass(frozen=True, slots=True)
class RequestIR:
    """A request of its own (a `request` command, an attribute's `write:`): templates compiled once."""

    method: str
    url: UrlTemplate
    body: BodyTemplate
    field_chains: tuple[tuple[str, Chain], ...]


@dataclass(frozen=True, slots=True)
class WriteCommand:
    """Writes fixed attribute values (literals or command fields)."""

    writes: tuple[Write, ...]
    #: the kind the runtime's `CommandBinding` records carry
    runtime_kind: ClassVar[str] = "write"


@dataclass(frozen=True, slots=True)
class ToggleCommand:
    """Flips a boolean attribute (needs the state)."""

    attribute: AttributeIR
    runtime_kind: ClassVar[str] = "toggle"


@dataclass(frozen=True, slots=True)
class StepCommand:
    """Steps attributes up or down (applied together: StepColor has two), then any fixed writes."""

    steps: tuple[StepIR, ...]
    writes: tuple[Write, ...] = ()
    runtime_kind: ClassVar[str] = "step"


@dataclass(frozen=True, slots=True)
class RequestCommand:
    """Sends a request of its own instead of attribute writes."""

    request: RequestIR
    runtime_kind: ClassVar[str] = "request"


#: what a command does
CommandAction = WriteCommand | ToggleCommand | StepCommand | RequestCommand


@dataclass(frozen=True, slots=True)
class CommandIR:
    cluster_id: int
    cluster: str
    id: int
    name: str
    hex_id: str
    fields: tuple[FieldIR, ...]
    source: Source
    action: CommandAction
    description: str | None = None

    @property
    def writes(self) -> tuple[Write, ...]:
        """The fixed writes of a write or step command (none for the others)."""
        return self.action.writes if isinstance(self.action, WriteCommand | StepCommand) else ()


@dataclass(frozen=True, slots=True)
class EventFieldIR:
    id: int
    name: str
    hex_id: str
    reads: FieldSource
    chain: Chain

    @property
    def path(self) -> VendorPath | None:
        """The vendor path the value is read from; None for a constant."""
        return self.reads.path if isinstance(self.reads, PathSource) else None


@dataclass(frozen=True, slots=True)
class EventIR:
    cluster_id: int
    cluster: str
    id: int
    name: str
    hex_id: str
    when: RuleIR
    fields: tuple[EventFieldIR, ...]
    source: Source


@dataclass(frozen=True, slots=True)
class RequestFieldIR:
    """One field of a command the device sends: from a vendor path through transforms, or a constant."""

    id: int
    name: str
    hex_id: str
    type: MatterType
    reads: FieldSource
    chain: Chain

    @property
    def path(self) -> VendorPath | None:
        """The vendor path the value is read from; None for a constant."""
        return self.reads.path if isinstance(self.reads, PathSource) else None


@dataclass(frozen=True, slots=True)
class CommandRequestIR:
    """A command the device sends (DEVICE_COMMAND_REQUEST) when a vendor payload satisfies `when`."""

    cluster_id: int
    cluster: str
    id: int
    name: str
    hex_id: str
    when: RuleIR
    fields: tuple[RequestFieldIR, ...]
    source: Source


@dataclass(frozen=True, slots=True)
class ClusterIR:
    id: int
    name: str
    hex_id: str
    title: str
    revision: int
    feature_map: int
    features: tuple[str, ...]
    capability_id: str  # e.g. matter.OnOff@1.4
    attributes: tuple[AttributeIR, ...]
    commands: tuple[CommandIR, ...]
    events: tuple[EventIR, ...]
    command_requests: tuple[CommandRequestIR, ...] = ()
    #: mandatory elements the vendor API cannot provide, with the reason: (name, reason)
    unavailable: tuple[tuple[str, str], ...] = ()

    @property
    def client_only(self) -> bool:
        """The device only sends this cluster's commands: a client cluster in the capability report."""
        return bool(self.command_requests) and not (self.attributes or self.commands or self.events)


@dataclass(frozen=True, slots=True)
class CapabilityIR:
    """A vendor capability beyond Matter (custom namespace); `cluster` holds it in cluster form for the interpreter.

    `cluster.name` is the capability name (`Effects`), `cluster.hex_id` its extrinsic id, `cluster.revision` its
    extrinsic version and `cluster.capability_id` its id (`hue.Effects@1.0`)."""

    namespace: str
    version: str
    cluster: ClusterIR
    source: Source
    description: str | None = None


@dataclass(frozen=True, slots=True)
class EndpointIR:
    id: str
    device_types: tuple[tuple[int, str], ...]  # (id, display name)
    clusters: tuple[ClusterIR, ...]
    capabilities: tuple[CapabilityIR, ...] = ()


@dataclass(frozen=True, slots=True)
class MergeBody:
    """The changed vendor values deep-merged into one JSON object (under the encoding's prefix)."""

    #: the body's name in the runtime's `WriteEncoding`
    runtime_name: ClassVar[str] = "merge"


@dataclass(frozen=True, slots=True)
class ItemsBody:
    """One item per changed value in a list at `items_key`, shaped by the `item` template (`$key`, `$value`)."""

    items_key: str
    item: Any
    runtime_name: ClassVar[str] = "items"


#: how a write request's body holds the changed values
WriteBody = MergeBody | ItemsBody


@dataclass(frozen=True, slots=True)
class WriteEncodingIR:
    method: str
    url: str
    headers: tuple[tuple[str, str], ...]
    body: WriteBody
    prefix: tuple[str, ...]

    @property
    def runtime_body(self) -> tuple[str, str, Any]:
        """(body name, items key, item template) as the runtime's `WriteEncoding` takes them ("" and None for
        a merge body, whose items fields are not read)."""
        match self.body:
            case ItemsBody(items_key=key, item=item):
                return "items", key, item
            case MergeBody():
                return "merge", "", None


@dataclass(frozen=True, slots=True)
class CompiledMapping:
    """Everything a back end needs; no YAML, no pydantic, no catalog lookups at translation time."""

    vendor: str
    kind: str
    title: str
    spec_version: str
    source_file: str
    source_sha256: str
    match: RuleIR
    device_id: VendorPath
    device_name: VendorPath | None
    base_url: str
    write: WriteEncodingIR | None
    endpoints: tuple[EndpointIR, ...]
    catalog_version: str = ""

    @property
    def identity(self) -> str:
        return f"{self.vendor}/{self.kind}"

    def clusters(self) -> list[tuple[EndpointIR, ClusterIR]]:
        return [(e, c) for e in self.endpoints for c in e.clusters]

    def requests(self) -> list[RequestIR]:
        """Every request of its own, per cluster (custom capabilities too): the attributes' `write:` requests
        (their `otherwise` bindings' too), then the `request` commands'."""
        found: list[RequestIR] = []
        for endpoint in self.endpoints:
            for cluster in (*endpoint.clusters, *(c.cluster for c in endpoint.capabilities)):
                for attr in cluster.attributes:
                    binding: AttributeIR | None = attr
                    while binding is not None:
                        if binding.write is not None:
                            found.append(binding.write)
                        binding = binding.otherwise
                found += [c.action.request for c in cluster.commands if isinstance(c.action, RequestCommand)]
        return found
