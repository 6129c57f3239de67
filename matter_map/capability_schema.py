"""AWS capability schema documents (the GetSchemaVersion format) for catalog clusters and custom capabilities.

The shape follows the one published example of the format, `matter.ColorControl` with its action `MoveToHue`
(see tests/test_capability_schema.py): `$id`, `$ref: aws.capability@1.0`, `name`, `title`, `description`,
`extrinsicId` (hex cluster id), `extrinsicVersion` (a string), `properties` keyed by name with `mutable` and a
`value` type, `actions` (the generic ReadState/UpdateState by `$ref`, then each command with its `extrinsicId`
and `request.parameters`, each parameter with a decimal `extrinsicId`), `events` and `$defs`. Integers use the
published `aws.integer@1.0` reference; other values use the primitive type definitions (`{"type": "boolean"}`);
`nullable: true` marks nullable values. Properties and events also carry their `extrinsicId` (the example
shows none on its one property; the ids are needed to tie names to ids, as the action ids do).

Documents of AWS's own catalog clusters keep the ids of that published response (`matter.ColorControl@1.3`).
Custom capabilities are documents the connector authors, so they follow the developer guide's schema for
capability definitions: `$id` is `/schema-versions/capability/<namespace.Name>@<version>`, and every `$ref`
(the base `aws.capability`, the generic actions) is a `/schema-versions/definition/...` reference.
"""

from __future__ import annotations

import json
import re
from typing import Any

from matter_map.catalog import Catalog, ClusterInfo, FieldInfo, json_kind, load_catalog
from matter_map.ids import hex_id
from matter_map.ir import CapabilityIR, CommandIR, MatterType

CAPABILITY_REF = "aws.capability@1.0"
INTEGER_REF = "aws.integer@1.0"
READ_STATE = {"$ref": "aws.action.ReadState@1.0"}
UPDATE_STATE = {"$ref": "aws.action.UpdateState@1.0"}
#: the developer guide's URI prefix of schema documents: `/schema-versions/<type>/<identity>@<version>`
SCHEMA_VERSIONS = "/schema-versions"
#: CapabilitySchemaItem.Format: the document is in the AWS capability format
SCHEMA_FORMAT = "AWS"
_PRIMITIVE = {
    "bool": "boolean",
    "float": "number",
    "string": "string",
    "bytes": "string",
    "list": "array",
    "object": "object",
}


class UnknownClusterError(KeyError):
    """No catalog cluster has the given name or id."""


def display_name(name: str) -> str:
    """`ColorControl` → `Color Control`, `OnOff` → `On/Off` (the spelling AWS capability names use)."""
    if " " in name:
        return name
    spaced = re.sub(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])", " ", name)
    return spaced.replace("On Off", "On/Off")


def cluster_document(name: str | int, *, spec_version: str = "1.4", catalog: Catalog | None = None) -> dict[str, Any]:
    """The capability document of a catalog cluster: `matter.<Name>@<spec_version>`."""
    cat = catalog or load_catalog()
    cluster = cat.cluster(name)
    if cluster is None:
        hint = cat.suggest(str(name), [c.name for c in cat.clusters])
        raise UnknownClusterError(f"no Matter cluster {name!r}" + (f" (did you mean {hint[0]}?)" if hint else ""))
    title = display_name(cluster.name)
    global_ids = {a.id for a in cat.global_attributes}
    properties = {
        a.name: {
            "extrinsicId": hex_id(a.id),
            "mutable": a.writable,
            "value": catalog_value(a.base, a.nullable),
        }
        for a in cluster.attributes
        if a.id not in global_ids
    }
    actions: list[dict[str, Any]] = [dict(READ_STATE)]
    if any(a.writable for a in cluster.attributes):
        actions.append(dict(UPDATE_STATE))
    for command in cluster.commands:
        if command.direction == "request":
            actions.append(
                {
                    "extrinsicId": hex_id(command.id, 2),
                    "name": command.name,
                    "request": {"parameters": _catalog_parameters(command.fields)},
                }
            )
    events = [
        {"extrinsicId": hex_id(e.id, 2), "name": e.name, "parameters": _catalog_parameters(e.fields)}
        for e in cluster.events
    ]
    return _document(
        capability_id=f"matter.{cluster.name}@{spec_version}",
        name=title,
        title=f"{title} Cluster",
        description=f"The {title} cluster of the Matter data model, defined as an AWS capability.",
        extrinsic_id=hex_id(cluster.id),
        extrinsic_version=cluster.revision,
        properties=properties,
        actions=actions,
        events=events,
    )


def schema_uri(kind: str, versioned_id: str) -> str:
    """`/schema-versions/capability/hue.Effects@1.0` for ("capability", "hue.Effects@1.0"); kind is capability or
    definition."""
    if kind not in ("capability", "definition"):
        raise ValueError(f"schema type {kind!r} is neither capability nor definition")
    return f"{SCHEMA_VERSIONS}/{kind}/{versioned_id}"


def capability_document(capability: CapabilityIR) -> dict[str, Any]:
    """The capability document of a custom capability, built from its declaration in a mapping (guide form)."""
    cluster = capability.cluster
    properties = {
        a.name: {"extrinsicId": a.hex_id, "mutable": a.writable, "value": declared_value(a.type)}
        for a in cluster.attributes
    }
    actions: list[dict[str, Any]] = [{"$ref": schema_uri("definition", READ_STATE["$ref"])}]
    if any(a.writable for a in cluster.attributes):
        actions.append({"$ref": schema_uri("definition", UPDATE_STATE["$ref"])})
    actions.extend(_custom_action(c) for c in cluster.commands)
    description = capability.description or (
        f"The {cluster.title} capability of {capability.namespace} devices, beyond the Matter data model."
    )
    return _document(
        capability_id=schema_uri("capability", cluster.capability_id),
        capability_ref=schema_uri("definition", CAPABILITY_REF),
        name=cluster.title,
        title=f"{cluster.title} Capability",
        description=description,
        extrinsic_id=cluster.hex_id,
        extrinsic_version=cluster.revision,
        properties=properties,
        actions=actions,
        events=[],
    )


def capability_schema_item(capability: CapabilityIR) -> dict[str, Any]:
    """The `Devices[].CapabilitySchemas[]` entry (CapabilitySchemaItem) of a DEVICE_DISCOVERY report."""
    cluster = capability.cluster
    return {
        "Format": SCHEMA_FORMAT,
        "CapabilityId": cluster.capability_id,
        "ExtrinsicId": cluster.hex_id,
        "ExtrinsicVersion": cluster.revision,
        "Schema": capability_document(capability),
    }


def dumps(document: dict[str, Any]) -> str:
    """The committed, deterministic spelling of a document: sorted keys, two-space indent, final newline."""
    return json.dumps(document, indent=2, sort_keys=True, ensure_ascii=False, allow_nan=False) + "\n"


# --- value types ---------------------------------------------------------------------------------------


def catalog_value(base: str, nullable: bool) -> dict[str, Any]:
    """A catalog type as the format writes it: integers by the published `aws.integer@1.0` reference."""
    kind = json_kind(base) if base else "any"
    value: dict[str, Any]
    if kind == "int":
        value = {"$ref": INTEGER_REF}
    elif kind in _PRIMITIVE:
        value = {"type": _PRIMITIVE[kind]}
        if kind == "bytes":
            value["contentEncoding"] = "base64"
    else:
        value = {}
    if nullable:
        value["nullable"] = True
    return value


def declared_value(mtype: MatterType) -> dict[str, Any]:
    """A custom capability's declared type as a primitive type definition, with its range and values."""
    value: dict[str, Any] = {"type": "integer" if mtype.kind == "int" else _PRIMITIVE.get(mtype.kind, "string")}
    if mtype.values:
        value["enum"] = list(mtype.values)
    if mtype.minimum is not None:
        value["minimum"] = mtype.minimum
    if mtype.maximum is not None:
        value["maximum"] = mtype.maximum
    if mtype.nullable:
        value["nullable"] = True
    return value


def _catalog_parameters(fields: tuple[FieldInfo, ...]) -> dict[str, Any]:
    return {f.name: {"extrinsicId": str(f.id), "value": catalog_value(f.base, f.nullable)} for f in fields}


def _custom_action(command: CommandIR) -> dict[str, Any]:
    parameters = {f.name: {"extrinsicId": str(f.id), "value": declared_value(f.type)} for f in command.fields}
    return {"extrinsicId": command.hex_id, "name": command.name, "request": {"parameters": parameters}}


def _document(
    *,
    capability_id: str,
    capability_ref: str = CAPABILITY_REF,
    name: str,
    title: str,
    description: str,
    extrinsic_id: str,
    extrinsic_version: int,
    properties: dict[str, Any],
    actions: list[dict[str, Any]],
    events: list[dict[str, Any]],
) -> dict[str, Any]:
    return {
        "$defs": {},
        "$id": capability_id,
        "$ref": capability_ref,
        "actions": actions,
        "description": description,
        "events": events,
        "extrinsicId": extrinsic_id,
        "extrinsicVersion": str(extrinsic_version),
        "name": name,
        "properties": properties,
        "title": title,
    }


def clusters_of(catalog: Catalog) -> list[ClusterInfo]:
    """Every catalog cluster, by id (the order `matter-map schema capability --all` writes them)."""
    return sorted(catalog.clusters, key=lambda c: c.id)
