"""What a compiled mapping reads from and writes to vendor JSON: each path, the JSON it expects there, its rule."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from matter_map import transforms as t
from matter_map.ir import (
    Absent,
    AllOf,
    AnyOf,
    AttributeIR,
    Chain,
    ClusterIR,
    CompiledMapping,
    Contains,
    Equals,
    MatterType,
    MergeBody,
    Not,
    OneOf,
    PathSource,
    PathTest,
    Present,
    RequestCommand,
    RuleIR,
    Source,
)
from matter_map.json_kinds import distinct
from matter_map.paths import VendorPath
from matter_map.request_templates import ArrayNode, FieldValue, Literal, Node, ObjectNode, StateValue, Text

JsonSchema = dict[str, Any]

_MATTER_KINDS = {
    "bool": "boolean",
    "int": "integer",
    "float": "number",
    "string": "string",
    "bytes": "string",
    "list": "array",
    "object": "object",
}


@dataclass(frozen=True, slots=True)
class PathRead:
    """One place the mapping reads a vendor value, and what a present value must be.

    `conditions` must all hold for the read to happen (an attribute's `when`, an event's `when`, the presence
    of the value a range bound belongs to); `required` says a full state must hold the path then; `partial`
    reads (event fields) are required even in partial updates. `bounds` are the paths of range bounds read
    from the payload itself (`range: [{path: ...}, ...]`), which JSON Schema cannot compare against."""

    path: VendorPath
    schema: JsonSchema
    required: bool
    nullable: bool
    conditions: tuple[RuleIR, ...]
    rule: str
    source: Source | None
    role: str  # attribute | event-field | request-field | range-bound | device-id | device-name
    required_in_partial: bool = False
    bounds: tuple[VendorPath | None, VendorPath | None] = (None, None)


@dataclass(frozen=True, slots=True)
class PathWrite:
    """One place a vendor request body is written: the path inside the body and the JSON written there."""

    path: VendorPath
    schema: JsonSchema
    rule: str
    source: Source | None


# --- value schemas -------------------------------------------------------------------------------------


def matter_value_schema(mtype: MatterType | None) -> JsonSchema:
    """The JSON a Matter value of `mtype` is (the vendor value, when no transform changes it)."""
    if mtype is None:
        return {}
    kind = _MATTER_KINDS.get(mtype.kind)
    schema: JsonSchema = {"type": kind} if kind else {}
    if mtype.values:
        schema["enum"] = list(mtype.values)
    elif mtype.enum and mtype.kind == "int":
        schema["enum"] = [value for _, value in mtype.enum]
    if mtype.kind in ("int", "float"):
        if mtype.minimum is not None:
            schema["minimum"] = mtype.minimum
        if mtype.maximum is not None:
            schema["maximum"] = mtype.maximum
    return schema


def vendor_value_schema(transforms: Sequence[t.Transform], mtype: MatterType | None) -> JsonSchema:
    """The vendor JSON a transform chain accepts, inferred from its first transform (the rest for nested JSON)."""
    if not transforms:
        return matter_value_schema(mtype)
    first, rest = transforms[0], transforms[1:]
    return first.vendor_schema(lambda: vendor_value_schema(rest, mtype))


def with_null(schema: JsonSchema) -> JsonSchema:
    """`schema`, or null."""
    if not schema or ("type" not in schema and "enum" not in schema and "const" not in schema):
        return schema
    out = dict(schema)
    if "enum" in out:
        out["enum"] = distinct([*out["enum"], None])
    if "const" in out:
        out["enum"] = distinct([out.pop("const"), None])
    if "type" in out:
        kinds = out["type"] if isinstance(out["type"], list) else [out["type"]]
        out["type"] = [*kinds, "null"] if "null" not in kinds else kinds
    return out


def schema_types(schema: JsonSchema) -> set[str] | None:
    """The JSON types a value schema allows (`integer` stays distinct), or None when it does not say."""
    if "type" in schema:
        kinds = schema["type"]
        return set(kinds) if isinstance(kinds, list) else {kinds}
    values = schema.get("enum", [schema["const"]] if "const" in schema else None)
    if values is None:
        return None
    return {json_type(v) for v in values}


def json_type(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    if isinstance(value, str):
        return "string"
    return "array" if isinstance(value, list) else "object"


# --- reads ---------------------------------------------------------------------------------------------


def all_clusters(compiled: CompiledMapping) -> Iterator[ClusterIR]:
    """Matter clusters and custom capabilities (in cluster form), endpoint by endpoint."""
    for endpoint in compiled.endpoints:
        yield from endpoint.clusters
        yield from (c.cluster for c in endpoint.capabilities)


def reads(compiled: CompiledMapping) -> list[PathRead]:
    """Every vendor path the mapping reads as a value (rule paths are tests, found by `rule_tests`)."""
    out = [
        PathRead(compiled.device_id, {"type": ["string", "number"]}, False, False, (), "device.id", None, "device-id")
    ]
    if compiled.device_name is not None:
        out.append(PathRead(compiled.device_name, {}, False, True, (), "device.name", None, "device-name"))
    for cluster in all_clusters(compiled):
        for attr in cluster.attributes:
            out.extend(attribute_reads(attr))
        for event in cluster.events:
            rule = f"{event.cluster}.{event.name}"
            for field in event.fields:
                if field.path is not None:
                    schema = vendor_value_schema(field.chain.transforms, None)
                    out.append(
                        PathRead(
                            field.path,
                            schema,
                            required=True,
                            nullable=not field.chain.transforms,
                            conditions=(event.when,),
                            rule=f"{rule}.{field.name}",
                            source=event.source,
                            role="event-field",
                            required_in_partial=True,
                        )
                    )
                    out.extend(_bound_reads(field.chain, None, (event.when,), f"{rule}.{field.name}", event.source))
        for request in cluster.command_requests:
            rule = f"{request.cluster}.{request.name}"
            for rfield in request.fields:
                if rfield.path is not None:
                    schema = vendor_value_schema(rfield.chain.transforms, rfield.type)
                    nullable = rfield.type.nullable and not rfield.chain.transforms
                    out.append(
                        PathRead(
                            rfield.path,
                            schema,
                            required=True,
                            nullable=nullable,
                            conditions=(request.when,),
                            rule=f"{rule}.{rfield.name}",
                            source=request.source,
                            role="request-field",
                            required_in_partial=True,
                        )
                    )
                    out.extend(
                        _bound_reads(rfield.chain, None, (request.when,), f"{rule}.{rfield.name}", request.source)
                    )
    return out


def attribute_reads(attr: AttributeIR, outer: tuple[RuleIR, ...] = ()) -> list[PathRead]:
    """The reads of one binding, and of its `otherwise` binding (which applies when `when` does not hold)."""
    out: list[PathRead] = []
    if attr.otherwise is not None and attr.when is not None:
        out.extend(attribute_reads(attr.otherwise, (*outer, Not(attr.when))))
    if not isinstance(attr.reads, PathSource):
        return out
    path = attr.reads.path
    rule = f"{attr.cluster}.{attr.name}"
    schema = vendor_value_schema(attr.chain.transforms, attr.type)
    bounds: tuple[VendorPath | None, VendorPath | None] = (None, None)
    if attr.vendor_range is not None:
        low, high = attr.vendor_range
        numeric = schema.get("type") in ("number", "integer")
        if numeric and not isinstance(low, t.Ref):
            schema = {**schema, "minimum": low}
        if numeric and not isinstance(high, t.Ref):
            schema = {**schema, "maximum": high}
        bounds = (low.path if isinstance(low, t.Ref) else None, high.path if isinstance(high, t.Ref) else None)
        if any(bounds):
            schema = {**schema, "$comment": _bounds_comment(bounds)}
    conditions = (*outer, attr.when) if attr.when is not None else outer
    read = PathRead(
        path,
        schema,
        required=not attr.optional,
        # a null is skipped when optional; otherwise it reaches the chain, which only a bare chain passes through
        nullable=attr.optional or (attr.type.nullable and not attr.chain.transforms),
        conditions=conditions,
        rule=rule,
        source=attr.source,
        role="attribute",
        bounds=bounds,
    )
    # range bounds are read whenever the value is (a missing value is skipped only when it is optional)
    bound_conditions = (*conditions, Present(path)) if attr.optional else conditions
    extra = _bound_reads(attr.chain, attr.vendor_range, bound_conditions, rule, attr.source)
    return [*out, read, *extra]


def _bound_reads(
    chain: Chain, vendor_range: tuple[Any, Any] | None, conditions: tuple[RuleIR, ...], rule: str, source: Source | None
) -> list[PathRead]:
    refs: list[t.Ref] = [v for v in (vendor_range or ()) if isinstance(v, t.Ref)]
    for transform in chain.transforms:
        for name in ("vendor_lo", "vendor_hi", "lo", "hi"):
            value = getattr(transform, name, None)
            if isinstance(value, t.Ref):
                refs.append(value)
    seen: set[str] = set()
    out = []
    for ref in refs:
        if ref.path.text in seen:
            continue
        seen.add(ref.path.text)
        out.append(PathRead(ref.path, {"type": "number"}, True, False, conditions, rule, source, "range-bound"))
    return out


def _bounds_comment(bounds: tuple[VendorPath | None, VendorPath | None]) -> str:
    low, high = bounds
    parts = []
    if low is not None:
        parts.append(f"at least the number at `{low}`")
    if high is not None:
        parts.append(f"at most the number at `{high}`")
    return "a per-device range read from the same payload: " + " and ".join(parts)


# --- rule tests ----------------------------------------------------------------------------------------


def rule_tests(rule: RuleIR) -> Iterator[PathTest]:
    if isinstance(rule, PathTest):
        yield rule
    elif isinstance(rule, AllOf | AnyOf):
        for part in rule.rules:
            yield from rule_tests(part)
    elif isinstance(rule, Not):
        yield from rule_tests(rule.rule)


def all_rules(compiled: CompiledMapping) -> Iterator[tuple[str, RuleIR]]:
    """Every rule of the mapping with the name of what it guards: the match rule, `when`s of bindings and events."""
    yield "match", compiled.match
    for cluster in all_clusters(compiled):
        for attr in cluster.attributes:
            if attr.when is not None:
                yield f"{attr.cluster}.{attr.name}", attr.when
        for event in cluster.events:
            yield f"{event.cluster}.{event.name}", event.when
        for request in cluster.command_requests:
            yield f"{request.cluster}.{request.name}", request.when


def test_schema(test: PathTest) -> JsonSchema:
    """The values a rule test compares against, as a value schema (for type checks against a vendor schema)."""
    match test:
        case Equals(value=expected):
            return {"const": expected}
        case OneOf(values=values):
            return {"enum": list(values)}
        case Contains():
            return {"type": "array"}
        case Present() | Absent():
            return {}


# --- writes --------------------------------------------------------------------------------------------


def writes(compiled: CompiledMapping) -> list[PathWrite]:
    """Every path a write request body sets (merge bodies and explicit request templates; item lists excluded)."""
    out: list[PathWrite] = []
    encoding = compiled.write
    prefix = encoding.prefix if encoding is not None else ()
    for cluster in all_clusters(compiled):
        if encoding is not None and isinstance(encoding.body, MergeBody):
            for attr in cluster.attributes:
                if attr.writable and attr.path is not None:
                    segments = attr.path.segments
                    if prefix and segments[: len(prefix)] == prefix:
                        segments = segments[len(prefix) :]
                    body_path = VendorPath(".".join(str(s) for s in segments), segments)
                    schema = vendor_value_schema(attr.chain.transforms, attr.type)
                    out.append(PathWrite(body_path, schema, f"{attr.cluster}.{attr.name}", attr.source))
        for command in cluster.commands:
            if isinstance(command.action, RequestCommand):
                request = command.action.request
                chains = dict(request.field_chains)
                types = {f.name: f.type for f in command.fields}
                for segments, value in _template_leaves(request.body.root, ()):
                    schema = _template_value_schema(value, chains, types)
                    path = VendorPath(".".join(segments), segments)
                    out.append(PathWrite(path, schema, f"{command.cluster}.{command.name}", command.source))
    return out


def _template_leaves(node: Node, prefix: tuple[str, ...]) -> Iterator[tuple[tuple[str, ...], Node]]:
    if isinstance(node, ObjectNode) and node.items:
        for key, child in node.items:
            yield from _template_leaves(child, (*prefix, key))
    elif prefix:
        yield prefix, node


def _template_value_schema(node: Node, chains: dict[str, Chain], types: dict[str, MatterType]) -> JsonSchema:
    match node:
        case FieldValue(name=name):
            chain = chains.get(name)
            return (
                vendor_value_schema(chain.transforms, types.get(name))
                if chain
                else matter_value_schema(types.get(name))
            )
        case StateValue():
            return matter_value_schema(None)
        case Literal(value=value):
            return {"type": json_type(value)}
        case Text():
            return {"type": "string"}
        case ArrayNode():
            return {"type": "array"}
        case ObjectNode():
            return {"type": "object"}
