"""Link a mapping's custom capabilities (vendor features beyond Matter, e.g. `hue.Effects`) into the IR."""

from __future__ import annotations

import re
from typing import Any

from matter_map import model as m
from matter_map import transforms as t
from matter_map.diagnostics import did_you_mean
from matter_map.ids import hex_id, parse_id
from matter_map.ir import (
    AttributeIR,
    CapabilityIR,
    Chain,
    ClusterIR,
    CommandIR,
    ConstSource,
    FieldIR,
    MatterType,
    PathSource,
    Write,
    WriteCommand,
)
from matter_map.link_context import LinkContext
from matter_map.paths import MISSING
from matter_map.values import check_value
from matter_map.yaml_loader import DocPath

#: a root namespace of 3–12 lowercase letters or digits, then a capability name
CAPABILITY_KEY = re.compile(r"^([a-z0-9]{3,12})\.([A-Za-z][A-Za-z0-9]{0,63})$")
RESERVED_NAMESPACES = ("aws", "matter")
ELEMENT_NAME = re.compile(r"^[A-Za-z][A-Za-z0-9]{0,63}$")
_KINDS = {
    "boolean": "bool",
    "integer": "int",
    "number": "float",
    "string": "string",
    "array": "list",
    "object": "object",
}


def declared_type(value: m.CustomValue) -> MatterType:
    """The MatterType the interpreter checks a custom property or parameter against."""
    return MatterType(
        kind=_KINDS[value.type],
        base=value.type,
        nullable=value.nullable,
        minimum=value.minimum,
        maximum=value.maximum,
        values=tuple(value.values or ()),
    )


def display_title(name: str) -> str:
    """`Effects` → `Effects`, `SceneMode` → `Scene Mode` (a capability `name` may hold letters and spaces)."""
    return re.sub(r"(?<=[a-z0-9])(?=[A-Z])", " ", name)


def link_capabilities(linker: LinkContext, endpoint: m.Endpoint, path: DocPath) -> tuple[CapabilityIR, ...]:
    """Every custom capability of an endpoint; problems are reported through the linker."""
    linked = []
    seen_ids: dict[int, str] = {}
    for key, spec in endpoint.capabilities.items():
        capability = link_capability(linker, key, spec, (*path, "capabilities", key))
        if capability is None:
            continue
        cluster_id = capability.cluster.id
        if cluster_id in seen_ids:
            linker.report(
                "duplicate-id",
                f"{key} uses extrinsic id {capability.cluster.hex_id}, like {seen_ids[cluster_id]}",
                (*path, "capabilities", key, "id"),
            )
        seen_ids[cluster_id] = key
        linked.append(capability)
    return tuple(linked)


def link_capability(linker: LinkContext, key: str, spec: m.CustomCapability, path: DocPath) -> CapabilityIR | None:
    match = CAPABILITY_KEY.match(key)
    if match is None or match.group(1) in RESERVED_NAMESPACES:
        reason = (
            f"the namespace {match.group(1)!r} is reserved"
            if match is not None
            else "expected `namespace.Name`: a namespace of 3 to 12 lowercase letters or digits, then a name"
        )
        linker.report("bad-capability-id", f"custom capability {key!r}: {reason}", path, "for example `hue.Effects`")
        return None
    namespace, name = match.group(1), match.group(2)
    cluster_id = _extrinsic_id(linker, spec.id, (*path, "id"))
    if cluster_id is None:
        return None
    qualified = f"{namespace}.{name}"
    properties = []
    for prop_name, prop in spec.properties.items():
        attr = link_property(
            linker, qualified, cluster_id, name=prop_name, prop=prop, path=(*path, "properties", prop_name)
        )
        if attr is not None:
            properties.append(attr)
    _check_unique_ids(linker, [(a.name, a.id) for a in properties], (*path, "properties"), "property")
    by_name = {a.name: a for a in properties}
    actions = []
    for action_name, action in spec.actions.items():
        command = link_action(
            linker,
            qualified,
            cluster_id,
            name=action_name,
            action=action,
            properties=by_name,
            path=(*path, "actions", action_name),
        )
        if command is not None:
            actions.append(command)
    _check_unique_ids(linker, [(c.name, c.id) for c in actions], (*path, "actions"), "action")
    if not properties and not actions:
        linker.report("empty-capability", f"{key} declares no properties and no actions", path)
    version = spec.version
    cluster = ClusterIR(
        id=cluster_id,
        name=name,
        hex_id=hex_id(cluster_id),
        title=spec.title or display_title(name),
        revision=spec.revision,
        feature_map=0,
        features=(),
        capability_id=f"{qualified}@{version}",
        attributes=tuple(properties),
        commands=tuple(actions),
        events=(),
    )
    return CapabilityIR(namespace, version, cluster, linker.source(path), spec.description)


def link_property(
    linker: LinkContext, qualified: str, cluster_id: int, *, name: str, prop: m.CapabilityProperty, path: DocPath
) -> AttributeIR | None:
    if not ELEMENT_NAME.match(name):
        linker.report("bad-name", f"property name {name!r} must be letters and digits, starting with a letter", path)
        return None
    prop_id = _extrinsic_id(linker, prop.id, (*path, "id"))
    if prop_id is None:
        return None
    if getattr(prop, "otherwise", None) is not None:
        linker.report("unsupported", "a custom property takes no `otherwise`: declare a second property", path)
        return None
    mtype = declared_type(prop)
    common: dict[str, Any] = {
        "cluster_id": cluster_id,
        "cluster": qualified,
        "id": prop_id,
        "name": name,
        "hex_id": hex_id(prop_id),
        "type": mtype,
        "source": linker.source(path),
        "description": prop.description,
    }
    if prop.path is None:
        problem = check_value(prop.const, mtype)
        if problem:
            linker.report("const-out-of-range", f"constant {prop.const!r} for {name}: {problem}", (*path, "const"))
        return AttributeIR(reads=ConstSource(prop.const), chain=Chain((), t.Loss()), **common)
    vendor = linker.vendor_path(prop.path, (*path, "path"))
    chain = linker.chain(prop.transforms, (*path, "transforms"), mtype, None)
    when = linker.rule(prop.when, (*path, "when")) if prop.when is not None else None
    vendor_range = linker.range_param(prop.range, (*path, "range")) if prop.range else None
    if vendor is None or chain is None:
        return None
    if not prop.read_only and not vendor.writable and linker.mapping.write is not None:
        linker.report(
            "non-invertible-path",
            f"vendor path `{vendor}` selects from a list, so writes cannot be built from it",
            (*path, "path"),
            "mark the property `read_only: true` or bind a key-only path",
        )
    linker.check_kind(chain, mtype, path)
    return AttributeIR(
        reads=PathSource(vendor),
        chain=chain,
        optional=prop.optional,
        read_only=prop.read_only,
        when=when,
        vendor_range=vendor_range,
        **common,
    )


def link_action(
    linker: LinkContext,
    qualified: str,
    cluster_id: int,
    *,
    name: str,
    action: m.CapabilityAction,
    properties: dict[str, AttributeIR],
    path: DocPath,
) -> CommandIR | None:
    if not ELEMENT_NAME.match(name):
        linker.report("bad-name", f"action name {name!r} must be letters and digits, starting with a letter", path)
        return None
    action_id = _extrinsic_id(linker, action.id, (*path, "id"))
    if action_id is None:
        return None
    fields = tuple(
        FieldIR(p.id, p_name, declared_type(p), optional=p.optional) for p_name, p in action.parameters.items()
    )
    _check_unique_ids(linker, [(f.name, f.id) for f in fields], (*path, "parameters"), "parameter")
    field_names = {f.name for f in fields}
    common: dict[str, Any] = {
        "cluster_id": cluster_id,
        "cluster": qualified,
        "id": action_id,
        "name": name,
        "hex_id": hex_id(action_id, 2),
        "fields": fields,
        "source": linker.source(path),
        "description": action.description,
    }
    if action.request is not None:
        return linker.request_command(action.request, path, field_names, common)
    assert action.write is not None
    if linker.mapping.write is None:
        linker.report(
            "missing-write-encoding",
            f"{name} writes properties, but the mapping has no `write:` encoding",
            path,
            "add a top-level `write:` with method and url",
        )
    writes = []
    for target, value in action.write.items():
        wpath = (*path, "write", target)
        attr = properties.get(target)
        if attr is None:
            linker.report(
                "unknown-property",
                f"{qualified} has no property {target!r}",
                wpath,
                did_you_mean(linker.catalog.suggest(target, list(properties))),
            )
            continue
        if not attr.writable:
            linker.report(
                "read-only-write-target",
                f"{target} is {attr.unwritable_reason} here and cannot be written",
                wpath,
                "an action that sets a read-only property can send an explicit `request:` instead",
            )
            continue
        source_value = linker.write_value(value, field_names, name, attr, wpath, noun="parameter")
        if source_value is not MISSING:
            writes.append(Write(attr, source_value))
    return CommandIR(action=WriteCommand(tuple(writes)), **common)


def _extrinsic_id(linker: LinkContext, value: int | str, path: DocPath) -> int | None:
    try:
        number = parse_id(value)
    except ValueError:
        number = -1
    if not 0 <= number <= 0xFFFF_FFFF:
        linker.report("bad-id", f"{value!r} is not an id of at most 32 bits (like 0xFC00 or 3)", path)
        return None
    return number


def _check_unique_ids(linker: LinkContext, named: list[tuple[str, int]], path: DocPath, what: str) -> None:
    seen: dict[int, str] = {}
    for name, number in named:
        if number in seen:
            linker.report("duplicate-id", f"{what}s {seen[number]} and {name} share the id {number}", (*path, name))
        seen[number] = name
