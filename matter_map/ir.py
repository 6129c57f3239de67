"""The compiled intermediate form: plain frozen data with ids resolved, shared by the interpreter and codegen."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from matter_map.paths import VendorPath
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
class PathTest:
    path: VendorPath
    equals: Any = None
    has_equals: bool = False
    one_of: tuple[Any, ...] | None = None
    present: bool | None = None
    source: Source | None = None
    contains: Any = None
    has_contains: bool = False


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
class StructFieldIR:
    """One field of a struct-typed attribute read from the vendor payload (or a constant)."""

    id: int
    name: str
    hex_id: str
    type: MatterType
    path: VendorPath | None
    chain: Chain
    const: Any = None
    vendor_range: tuple[Any, Any] | None = None
    optional: bool = False


@dataclass(frozen=True, slots=True)
class AttributeIR:
    cluster_id: int
    cluster: str
    id: int
    name: str
    hex_id: str
    type: MatterType
    source: Source
    path: VendorPath | None
    chain: Chain
    const: Any = None
    is_const: bool = False
    optional: bool = False
    read_only: bool = False
    when: RuleIR | None = None
    vendor_range: tuple[Any, Any] | None = None
    description: str | None = None
    #: the binding used when `when` does not hold (same attribute, another vendor path or chain)
    otherwise: AttributeIR | None = None
    #: a request of its own for writes (`$value` = the vendor value), instead of the mapping's write encoding
    write: RequestIR | None = None
    #: a struct built field by field (read-only; `path` is None and `is_const` False)
    fields: tuple[StructFieldIR, ...] = ()

    @property
    def writable(self) -> bool:
        return not self.is_const and not self.read_only and self.path is not None

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
class StepIR:
    """`size` added to or subtracted from the attribute; without `direction` the size is signed."""

    attribute: AttributeIR
    direction: str | None
    size: str
    up: int | None
    down: int | None
    wrap: bool = False  # wrap around the attribute's range (hue) instead of stopping at its ends
    factor: float = 1  # attribute units per unit of size
    only_if: tuple[tuple[str, tuple[int, ...]], ...] = ()  # (field, values): applies only when the field holds one
    on_off: AttributeIR | None = None  # set true above `on_off_minimum`, false at it (*WithOnOff)
    on_off_minimum: float = 0


@dataclass(frozen=True, slots=True)
class RequestIR:
    method: str
    url: str
    body: Any
    field_chains: tuple[tuple[str, Chain], ...]


@dataclass(frozen=True, slots=True)
class CommandIR:
    cluster_id: int
    cluster: str
    id: int
    name: str
    hex_id: str
    fields: tuple[FieldIR, ...]
    source: Source
    kind: str  # write | toggle | step | request
    writes: tuple[Write, ...] = ()
    toggle: AttributeIR | None = None
    step: StepIR | None = None
    request: RequestIR | None = None
    description: str | None = None
    #: every step of a `step` command, applied together (`step` is the first; StepColor has two)
    steps: tuple[StepIR, ...] = ()


@dataclass(frozen=True, slots=True)
class EventFieldIR:
    id: int
    name: str
    hex_id: str
    path: VendorPath | None
    chain: Chain
    const: Any = None


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
    path: VendorPath | None
    chain: Chain
    const: Any = None


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
class WriteEncodingIR:
    method: str
    url: str
    headers: tuple[tuple[str, str], ...]
    body: str  # merge | items
    items_key: str
    item: Any
    prefix: tuple[str, ...]


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
