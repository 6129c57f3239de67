"""Struct-typed Matter values: constants written by field name checked field by field, and field types."""

from __future__ import annotations

from typing import Any

from matter_map.catalog import ClusterInfo, FieldInfo, json_kind, struct_field_range
from matter_map.ids import hex_id
from matter_map.ir import MatterType
from matter_map.values import constant_problem, enum_constant

LIST_PREFIX = "list["


def element_type(type_name: str) -> str:
    """`list[XStruct]` → `XStruct`; any other type name unchanged."""
    if type_name.startswith(LIST_PREFIX) and type_name.endswith("]"):
        return type_name[len(LIST_PREFIX) : -1]
    return type_name


def struct_of(cluster: ClusterInfo, type_name: str) -> tuple[FieldInfo, ...] | None:
    """The fields of a struct type (or of a list's struct elements); None for any other type."""
    return cluster.struct(element_type(type_name))


def field_type(cluster: ClusterInfo, info: FieldInfo, siblings: tuple[FieldInfo, ...] = ()) -> MatterType:
    """The Matter type of one struct field: JSON kind, value range (its constraint within its type), enum members."""
    enum = cluster.enum(info.type) or {}
    bounds = struct_field_range(cluster, siblings or (info,), info) if info.base not in ("list", "struct") else None
    return MatterType(
        kind=json_kind(info.base) if info.base else "any",
        base=info.base,
        nullable=info.nullable,
        minimum=bounds[0] if bounds else None,
        maximum=bounds[1] if bounds else None,
        enum=tuple(sorted(enum.items(), key=lambda kv: kv[1])),
    )


def find_field(fields: tuple[FieldInfo, ...], key: str) -> FieldInfo | None:
    """A field by name or by id (`0x0000`, `0`)."""
    for info in fields:
        if key in (info.name, hex_id(info.id), str(info.id)):
            return info
    return None


def struct_constant(cluster: ClusterInfo, type_name: str, value: Any, where: str) -> tuple[Any, list[str]]:
    """A struct (or list of structs) written by field names, enum members by name, as Matter's form keyed by
    hex field id; with every problem found (unknown field, missing mandatory field, a field's value)."""
    fields = struct_of(cluster, type_name)
    if fields is None:
        return value, []
    if type_name.startswith(LIST_PREFIX):
        if not isinstance(value, list):
            return value, [f"{where}: expected a list of {element_type(type_name)}"]
        items: list[Any] = []
        problems: list[str] = []
        for index, item in enumerate(value):
            built, found = struct_constant(cluster, element_type(type_name), item, f"{where}[{index}]")
            items.append(built)
            problems.extend(found)
        return items, problems
    if not isinstance(value, dict):
        return value, [f"{where}: expected an object of {type_name} fields"]
    out: dict[str, Any] = {}
    problems = []
    for key, item in value.items():
        info = find_field(fields, str(key))
        if info is None:
            names = ", ".join(f.name for f in fields)
            problems.append(f"{where}: {type_name} has no field {key!r} (fields: {names})")
            continue
        if struct_of(cluster, info.type) is not None:
            built, found = struct_constant(cluster, info.type, item, f"{where}.{info.name}")
            problems.extend(found)
        else:
            mtype = field_type(cluster, info, fields)
            built = enum_constant(item, mtype)
            problem = constant_problem(built, mtype)
            if problem:
                problems.append(f"{where}.{info.name}: {problem}")
        out[hex_id(info.id)] = built
    given = {find_field(fields, str(k)) for k in value}
    problems.extend(
        f"{where}: {type_name} needs the field {info.name!r}"
        for info in fields
        if info.conformance == "M" and info not in given
    )
    return out, problems
