"""The typed form of a mapping file (pydantic, frozen, strict); `schemas/mapping.schema.json` is generated from it."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Discriminator,
    Field,
    Tag,
    field_validator,
    model_validator,
)

LANGUAGE_VERSION = 1

JsonScalar = str | int | float | bool | None
Rounding = Literal["half_even", "half_up", "floor", "ceil", "trunc", "none"]
Identifier = Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]*$", max_length=64)]


def _no_control_characters(value: str) -> str:
    """URLs and headers go on the wire as text lines: CR, LF, NUL (any control but TAB) would split or cut them."""
    bad = next((c for c in value if (c < " " and c != "\t") or c == "\x7f"), None)
    if bad is not None:
        raise ValueError(f"must not hold the control character {bad!r} (CR, LF and NUL would split the HTTP request)")
    return value


#: text placed in a request line or header: a URL template, a header name or value
HttpText = Annotated[str, AfterValidator(_no_control_characters)]


class _Strict(BaseModel):
    # defer_build: each model's validator is built only when used; the language is validated through `Mapping`
    # (rebuilt once below), which halves the import cost of this module for the command line
    model_config = ConfigDict(extra="forbid", frozen=True, strict=True, populate_by_name=True, defer_build=True)


class FromPayload(_Strict):
    """A number read from the device's own payload (a per-device range bound)."""

    path: str = Field(description="vendor JSON path of the number")


Number = float | int
NumberParam = Number | FromPayload


def _list_to_tuple(value: Any) -> Any:
    return tuple(value) if isinstance(value, list) else value


NumberPair = Annotated[tuple[Number, Number], BeforeValidator(_list_to_tuple)]
ParamPair = Annotated[tuple[NumberParam, NumberParam], BeforeValidator(_list_to_tuple)]


# --- match rules -----------------------------------------------------------------------------------


class PathRule(_Strict):
    """A test on one vendor path: `equals`, `in`, `present` (all given must hold)."""

    path: str
    equals: JsonScalar | list[Any] | dict[str, Any] = Field(default=None, description="exact value")
    in_: list[JsonScalar] | None = Field(default=None, alias="in", description="one of these values")
    present: bool | None = Field(default=None, description="whether the path exists (null counts)")
    contains: JsonScalar = Field(default=None, description="the list at the path holds this value")

    @model_validator(mode="after")
    def _one_test(self) -> PathRule:
        if not ({"equals", "in_", "present", "contains"} & self.model_fields_set):
            raise ValueError("a path rule needs `equals`, `in`, `present` or `contains`")
        return self


class AllRule(_Strict):
    all: list[Rule] = Field(min_length=1)


class AnyRule(_Strict):
    any: list[Rule] = Field(min_length=1)


class NotRule(_Strict):
    not_: Rule = Field(alias="not")


def _rule_tag(value: Any) -> str | None:
    if isinstance(value, dict):
        for key in ("all", "any", "not"):
            if key in value:
                return key
        return "path"
    if isinstance(value, BaseModel):
        return {AllRule: "all", AnyRule: "any", NotRule: "not"}.get(type(value), "path")
    return None


Rule = Annotated[
    Annotated[PathRule, Tag("path")]
    | Annotated[AllRule, Tag("all")]
    | Annotated[AnyRule, Tag("any")]
    | Annotated[NotRule, Tag("not")],
    Discriminator(_rule_tag),
]


# --- transforms --------------------------------------------------------------------------------------


class LinearParams(_Strict):
    """Affine remap of a vendor interval onto a Matter interval."""

    vendor: ParamPair = Field(description="vendor interval [a, b]")
    matter: NumberPair = Field(description="Matter interval [c, d]")
    round: Rounding = Field(description="rounding of the Matter value")
    vendor_round: Rounding = Field(default="none", description="rounding of the vendor value on writes")


class ScaleParams(_Strict):
    """matter = vendor × factor + offset."""

    factor: Number
    offset: Number = 0
    round: Rounding
    vendor_round: Rounding = "none"


class ReciprocalParams(_Strict):
    """matter = numerator / vendor (kelvin ↔ mireds with numerator 1000000)."""

    numerator: Number = 1_000_000
    round: Rounding
    vendor_round: Rounding = "half_even"


class ClampParams(_Strict):
    """Keep a value within [min, max] in both directions; bounds may come from the payload."""

    min: NumberParam | None = None
    max: NumberParam | None = None
    within: NumberPair | None = Field(default=None, description="static limits for bounds read from the payload")


class InvertParams(_Strict):
    maximum: Number = 100


class EnumParams(_Strict):
    """Matter value (enum member name or number) → vendor value; aliases are extra vendor spellings."""

    values: dict[str, JsonScalar] = Field(min_length=1)
    aliases: dict[str, JsonScalar] = Field(default_factory=dict, description="vendor alias → canonical vendor")
    default: str | int | None = Field(default=None, description="Matter value for unknown vendor values")


class BoolParams(_Strict):
    true: JsonScalar = True
    false: JsonScalar = False


class FieldParams(_Strict):
    key: str
    defaults: dict[str, Any] = Field(
        default_factory=dict, description="other members a write starts from when the vendor holds no object yet"
    )


class TemperatureParams(_Strict):
    unit: Literal["C", "F"]
    round: Rounding = "half_even"
    vendor_round: Rounding = "none"


class CieXyParams(_Strict):
    digits: int = Field(default=4, ge=1, le=9)


class DecimalParams(_Strict):
    """real = raw / 10^scale (Tuya integer DPs); writes snap to `step` raw units."""

    scale: int | FromPayload = Field(description="decimal places: a number, or read from the device's spec")
    step: int | FromPayload = Field(default=1, description="raw resolution: a number, or read from the spec")
    max_quantum: Number | None = Field(
        default=None,
        gt=0,
        description="largest step / 10^scale accepted (needed when scale or step is read from the payload)",
    )


class FormatParams(_Strict):
    """A number inside a string: `prefix` + number with `digits` decimals + `suffix` (LIFX `kelvin:3500`)."""

    prefix: str = ""
    suffix: str = ""
    digits: int = Field(default=0, ge=0, le=9)


class LinearStep(_Strict):
    linear: LinearParams


class ScaleStep(_Strict):
    scale: ScaleParams


class ReciprocalStep(_Strict):
    reciprocal: ReciprocalParams


class ClampStep(_Strict):
    clamp: ClampParams


class InvertStep(_Strict):
    invert: InvertParams


class EnumStep(_Strict):
    enum: EnumParams


class BoolStep(_Strict):
    bool_: BoolParams = Field(alias="bool")


class JsonStringStep(_Strict):
    json_string: dict[str, Any] = Field(default_factory=dict, max_length=0)


class FieldStep(_Strict):
    field: FieldParams


class TemperatureStep(_Strict):
    temperature: TemperatureParams


class CieXyStep(_Strict):
    cie_xy: CieXyParams


class DecimalStep(_Strict):
    decimal: DecimalParams


class FormatStep(_Strict):
    format: FormatParams


STEP_MODELS: dict[str, type[_Strict]] = {
    "linear": LinearStep,
    "scale": ScaleStep,
    "reciprocal": ReciprocalStep,
    "clamp": ClampStep,
    "invert": InvertStep,
    "enum": EnumStep,
    "bool": BoolStep,
    "json_string": JsonStringStep,
    "field": FieldStep,
    "temperature": TemperatureStep,
    "cie_xy": CieXyStep,
    "decimal": DecimalStep,
    "format": FormatStep,
}
#: transforms whose parameters all have defaults may be written as a bare name
BARE_NAMES = ("bool", "json_string", "cie_xy", "format")


def _step_tag(value: Any) -> str | None:
    if isinstance(value, str):
        return value if value in BARE_NAMES else None
    if isinstance(value, dict) and len(value) == 1:
        key = next(iter(value))
        return key if key in STEP_MODELS else None
    if isinstance(value, BaseModel):
        for name, model in STEP_MODELS.items():
            if isinstance(value, model):
                return name
    return None


def _bare(name: str) -> Any:
    def expand(value: Any) -> Any:
        return {name: {}} if value == name else value

    return expand


TransformStep = Annotated[
    Annotated[LinearStep, Tag("linear")]
    | Annotated[ScaleStep, Tag("scale")]
    | Annotated[ReciprocalStep, Tag("reciprocal")]
    | Annotated[ClampStep, Tag("clamp")]
    | Annotated[InvertStep, Tag("invert")]
    | Annotated[EnumStep, Tag("enum")]
    | Annotated[BoolStep, Tag("bool")]
    | Annotated[JsonStringStep, Tag("json_string")]
    | Annotated[FieldStep, Tag("field")]
    | Annotated[TemperatureStep, Tag("temperature")]
    | Annotated[CieXyStep, Tag("cie_xy")]
    | Annotated[DecimalStep, Tag("decimal")]
    | Annotated[FormatStep, Tag("format")],
    Discriminator(
        _step_tag,
        custom_error_type="unknown-transform",
        custom_error_message="unknown transform",
        custom_error_context={"known": ", ".join(STEP_MODELS)},
    ),
]


def expand_bare_steps(value: Any) -> Any:
    if isinstance(value, list):
        return [{item: {}} if isinstance(item, str) and item in BARE_NAMES else item for item in value]
    return value


# --- bindings ----------------------------------------------------------------------------------------


class AttributeWrite(_Strict):
    """The vendor request that writes one attribute; `$value` in the body is the vendor value."""

    method: Literal["PUT", "POST", "PATCH"] | None = None
    url: HttpText | None = Field(default=None, description="defaults to the mapping's `write:` url")
    body: Any = None


class StructField(_Strict):
    """One field of a struct-typed attribute: from a vendor path through transforms, or a constant."""

    path: str | None = Field(default=None, description="vendor JSON path")
    const: JsonScalar | list[Any] | dict[str, Any] = Field(default=None, description="a fixed Matter value")
    transforms: list[TransformStep] = Field(default_factory=list)
    range: ParamPair | None = Field(default=None, description="the vendor value's declared range")
    optional: bool = Field(default=False, description="a missing or null vendor value omits the field")

    @field_validator("transforms", mode="before")
    @classmethod
    def _expand(cls, value: Any) -> Any:
        return expand_bare_steps(value)

    @model_validator(mode="after")
    def _path_or_const(self) -> StructField:
        if (self.path is None) == ("const" not in self.model_fields_set):
            raise ValueError("a struct field needs exactly one of `path` or `const`")
        return self


class AttributeBinding(_Strict):
    """A vendor path ↔ a Matter attribute through a chain of transforms (vendor → Matter order)."""

    path: str | None = Field(default=None, description="vendor JSON path")
    const: JsonScalar | list[Any] | dict[str, Any] = Field(default=None, description="a fixed Matter value")
    transforms: list[TransformStep] = Field(default_factory=list)
    range: ParamPair | None = Field(
        default=None,
        description="the vendor value's declared range (numbers or bounds read from the payload)",
    )
    optional: bool = Field(default=False, description="a missing, null or unmappable vendor value omits the attribute")
    read_only: bool = Field(default=False, description="never written back to the vendor")
    when: Rule | None = Field(default=None, description="report the attribute only when this rule holds")
    write: AttributeWrite | None = Field(
        default=None,
        description="a request of its own for writes of this attribute (`$value` is the vendor value), instead "
        "of the mapping's `write:` encoding",
    )
    otherwise: AttributeBinding | None = Field(
        default=None,
        description="another binding of the same attribute, used when this one's `when` does not hold "
        "(reads and writes alike: e.g. a level kept in one vendor field per colour mode)",
    )
    description: str | None = None
    fields: dict[str, StructField] | None = Field(
        default=None,
        description="a struct-typed attribute built field by field (field name → vendor path or constant); read-only",
    )

    @field_validator("transforms", mode="before")
    @classmethod
    def _expand(cls, value: Any) -> Any:
        return expand_bare_steps(value)

    @model_validator(mode="after")
    def _path_or_const(self) -> AttributeBinding:
        has_const = "const" in self.model_fields_set
        if (self.path is not None) + has_const + (self.fields is not None) != 1:
            raise ValueError("an attribute binding needs exactly one of `path`, `const` or `fields`")
        if self.fields is not None and (self.transforms or self.range is not None or self.otherwise is not None):
            raise ValueError("a struct built from `fields` takes no `transforms`, `range` or `otherwise`")
        if has_const and (self.transforms or self.range is not None):
            raise ValueError("a constant attribute takes no `transforms` or `range`")
        if self.otherwise is not None and self.when is None:
            raise ValueError("`otherwise` needs a `when` on the binding it follows")
        return self


class RequestSpec(_Strict):
    """An explicit vendor request for a command; `$Field` strings in body and url take command fields."""

    method: Literal["GET", "PUT", "POST", "PATCH", "DELETE"] | None = None
    url: HttpText | None = None
    body: Any = None
    fields: dict[str, list[TransformStep]] = Field(
        default_factory=dict, description="per command field: transforms (Matter → vendor via the inverse)"
    )

    @field_validator("fields", mode="before")
    @classmethod
    def _expand(cls, value: Any) -> Any:
        if isinstance(value, dict):
            return {k: expand_bare_steps(v) for k, v in value.items()}
        return value


class StepSpec(_Strict):
    """Add or subtract a command field to the current value of an attribute (needs the current state)."""

    attribute: str
    direction: str | None = Field(
        default=None, description="the command field that holds the direction; without it `size` is signed"
    )
    size: str = Field(description="the command field that holds the step size")
    up: int | None = Field(default=None, description="the direction value meaning up")
    down: int | None = Field(default=None, description="the direction value meaning down")
    wrap: bool = Field(default=False, description="wrap around the attribute's range (hue) instead of stopping")
    factor: Number = Field(default=1, description="attribute units per unit of `size` (10 for 0.1 °C → 0.01 °C)")
    only_if: dict[str, list[int]] = Field(
        default_factory=dict, description="apply this step only when these command fields hold one of the values"
    )
    on_off: str | None = Field(
        default=None,
        description="a bool attribute (e.g. OnOff.OnOff) set true when the step ends above the minimum level and "
        "false when it ends at it, as the *WithOnOff commands do",
    )

    @model_validator(mode="after")
    def _direction_values(self) -> StepSpec:
        if (self.direction is None) != (self.up is None and self.down is None) or (self.up is None) != (
            self.down is None
        ):
            raise ValueError("`direction` goes with both `up` and `down`; without them `size` is a signed amount")
        return self


class CommandBinding(_Strict):
    """How one Matter command becomes vendor requests: attribute writes, a toggle, a step or a request."""

    write: dict[str, Any] | None = Field(
        default=None, description="attribute (or Cluster.Attribute) → literal value or `$Field`"
    )
    toggle: str | None = Field(default=None, description="a boolean attribute to flip (needs the state)")
    step: StepSpec | list[StepSpec] | None = Field(
        default=None, description="one step, or several applied together (StepColor moves x and y)"
    )
    request: RequestSpec | None = None
    description: str | None = None

    @model_validator(mode="after")
    def _exactly_one(self) -> CommandBinding:
        given = [k for k in ("write", "toggle", "step", "request") if getattr(self, k) is not None]
        if given == ["write", "step"]:
            return self  # writes that go with a step (e.g. switching a colour mode while stepping saturation)
        if len(given) != 1:
            raise ValueError("a command needs exactly one of `write`, `toggle`, `step` or `request`")
        return self


class EventField(_Strict):
    """One field of a Matter event: from a vendor path through transforms, or a constant."""

    path: str | None = None
    const: JsonScalar | list[Any] | dict[str, Any] = None
    transforms: list[TransformStep] = Field(default_factory=list)

    @field_validator("transforms", mode="before")
    @classmethod
    def _expand(cls, value: Any) -> Any:
        return expand_bare_steps(value)


class EventBinding(_Strict):
    """A vendor event or field value → a Matter event with its fields."""

    event: str = Field(description="Matter event name in this cluster")
    when: Rule = Field(description="the vendor payload triggers the event when this rule holds")
    fields: dict[str, EventField] = Field(default_factory=dict)


class CommandRequestBinding(_Strict):
    """A vendor event → a Matter command the device itself sends (DEVICE_COMMAND_REQUEST), with its fields."""

    command: str = Field(description="Matter command name in this cluster (the device is the cluster's client)")
    when: Rule = Field(description="the vendor payload triggers the command when this rule holds")
    fields: dict[str, EventField] = Field(default_factory=dict, description="command field name → value")


class ClusterBinding(_Strict):
    features: list[str] = Field(default_factory=list, description="feature codes, e.g. [LT] or [XY, CT]")
    revision: int | None = Field(default=None, ge=1, le=10, description="cluster revision to report")
    attributes: dict[str, AttributeBinding] = Field(default_factory=dict)
    commands: dict[str, CommandBinding] = Field(default_factory=dict)
    events: list[EventBinding] = Field(default_factory=list)
    command_requests: list[CommandRequestBinding] = Field(
        default_factory=list,
        description="commands the device sends; a cluster with only these is reported as a client cluster",
    )
    unavailable: dict[str, str] = Field(
        default_factory=dict,
        description="mandatory attributes or commands the vendor API cannot provide, each with the reason "
        "(listed by `matter-map coverage` and the mapping docs instead of being reported missing)",
    )


# --- custom capabilities (vendor features beyond Matter) ---------------------------------------------

ExtrinsicId = int | Annotated[str, Field(pattern=r"^(0[xX][0-9a-fA-F]{1,8}|[0-9]{1,10})$")]


class CustomValue(_Strict):
    """The declared type of a custom property or action parameter (custom capabilities have no catalog)."""

    type: Literal["boolean", "integer", "number", "string", "array", "object"]
    values: list[JsonScalar] | None = Field(default=None, min_length=1, description="the allowed values (an enum)")
    minimum: Number | None = None
    maximum: Number | None = None
    nullable: bool = False


class CapabilityProperty(AttributeBinding, CustomValue):
    """A property of a custom capability: a declared type plus a binding like any attribute's."""

    id: ExtrinsicId = Field(description="the property's extrinsic id, e.g. 0x0000")


class CapabilityParameter(CustomValue):
    id: int = Field(ge=0, le=0xFFFF, description="the parameter's extrinsic id")
    optional: bool = False
    description: str | None = None


class CapabilityAction(_Strict):
    """An action of a custom capability: property writes (`$Parameter` values) or an explicit request."""

    id: ExtrinsicId = Field(description="the action's extrinsic id, e.g. 0x00")
    parameters: dict[str, CapabilityParameter] = Field(default_factory=dict)
    write: dict[str, Any] | None = Field(default=None, description="property (or Cluster.Attribute) → value")
    request: RequestSpec | None = None
    description: str | None = None

    @model_validator(mode="after")
    def _exactly_one(self) -> CapabilityAction:
        if (self.write is None) == (self.request is None):
            raise ValueError("an action needs exactly one of `write` or `request`")
        return self


class CustomCapability(_Strict):
    """A vendor capability beyond Matter, keyed `namespace.Name`; its schema document is sent with discovery."""

    id: ExtrinsicId = Field(description="extrinsic id, e.g. 0xFC00 (a manufacturer-specific cluster id)")
    version: str = Field(default="1.0", pattern=r"^\d{1,3}\.\d{1,3}$", description="the capability version")
    revision: int = Field(default=1, ge=1, le=10, description="extrinsic version, reported as the revision")
    title: str | None = Field(default=None, max_length=64)
    description: str | None = None
    properties: dict[str, CapabilityProperty] = Field(default_factory=dict)
    actions: dict[str, CapabilityAction] = Field(default_factory=dict)


class Endpoint(_Strict):
    id: str = Field(pattern=r"^[0-9a-zA-Z]+$", max_length=64)
    device_types: list[str] = Field(min_length=1)
    clusters: dict[str, ClusterBinding] = Field(min_length=1)
    capabilities: dict[str, CustomCapability] = Field(
        default_factory=dict, description="vendor capabilities beyond Matter, keyed `namespace.Name` (hue.Effects)"
    )

    @field_validator("id", mode="before")
    @classmethod
    def _int_id(cls, value: Any) -> Any:
        return str(value) if isinstance(value, int) and not isinstance(value, bool) else value


class DeviceSpec(_Strict):
    id: str = Field(description="vendor JSON path of the device id")
    name: str | None = Field(default=None, description="vendor JSON path of the device name")


class WriteEncoding(_Strict):
    """How written vendor paths become one request: a partial object (`merge`) or a list of items."""

    method: Literal["PUT", "POST", "PATCH"] = "PUT"
    url: HttpText = Field(description="URL template; `{device_id}` is the URL-encoded vendor device id")
    headers: dict[HttpText, HttpText] = Field(default_factory=dict)
    body: Literal["merge", "items"] = "merge"
    items_key: str = Field(default="commands", description="with `items`: the list's key in the body")
    item: dict[str, Any] = Field(
        default_factory=lambda: {"code": "$key", "value": "$value"},
        description="with `items`: template of one item; `$key` is the path's last key, `$value` the value",
    )
    prefix: str | None = Field(
        default=None, description="vendor path prefix dropped from read paths when building the body"
    )


class VendorSchemaRef(_Strict):
    """Hand-written vendor schemas (JSON Schema or OpenAPI, YAML or JSON): `file#/json/pointer`."""

    state: str = Field(description="the schema of vendor state payloads (every path read must exist there)")
    write: str | None = Field(default=None, description="the schema of write request bodies (default: `state`)")


class Mapping(_Strict):
    """One vendor device kind: how to recognise it, read it, write it, and what Matter it is."""

    matter_map: Literal[1] = Field(description="mapping language version")
    vendor: Identifier
    kind: Identifier
    title: str = Field(min_length=1, max_length=200)
    spec_version: str = Field(default="1.4", pattern=r"^\d+\.\d+$", description="AWS capability version")
    match: Rule
    device: DeviceSpec
    base_url: HttpText = Field(default="", description="prefix for every request URL")
    write: WriteEncoding | None = None
    vendor_schema: str | VendorSchemaRef | None = Field(
        default=None,
        description="a hand-written vendor schema (`file#/pointer`, relative to this file) to check paths against",
    )
    endpoints: list[Endpoint] = Field(min_length=1)


AllRule.model_rebuild()
AnyRule.model_rebuild()
NotRule.model_rebuild()
AttributeBinding.model_rebuild()
CapabilityProperty.model_rebuild()
EventBinding.model_rebuild()
CommandRequestBinding.model_rebuild()
Mapping.model_rebuild()
