"""Derive a draft 2020-12 JSON Schema of the vendor payload a compiled mapping reads.

Every path the mapping reads becomes a property, typed from the first transform of its chain (numbers for
`linear`, `scale`, …; the enum's vendor values; strings or decoded JSON for `json_string`; objects for
`field`), bounded by its declared `range`, nullable where the binding is optional or the Matter type nullable,
and required where the translator would refuse its absence. Bindings guarded by `when` and event fields become
`if`/`then` blocks; the match rule becomes a block too (full states only). List selectors `a[key=value]`
constrain the items that match (`items` + `if`/`then`) and require one (`contains`); indexes use `prefixItems`.
A second document, for partial updates, keeps the types and drops what a partial payload may leave out.
Ranges read from the payload itself cannot be compared in JSON Schema: they get a `$comment`, and the
validator checks them (vendor_validation).
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import PurePath
from typing import Any

from matter_map.ir import Absent, AllOf, AnyOf, CompiledMapping, Contains, Equals, Not, OneOf, Present, RuleIR, Source
from matter_map.paths import Segment, Select, VendorPath
from matter_map.vendor_reads import JsonSchema, PathRead, all_rules, reads, rule_tests, with_null

DRAFT = "https://json-schema.org/draft/2020-12/schema"


@dataclass(frozen=True, slots=True)
class Reader:
    """A rule that reads a path: what the validator names in its errors."""

    rule: str
    source: Source | None

    def __str__(self) -> str:
        return f"{self.rule} ({self.source})" if self.source else self.rule

    def short(self) -> str:
        """Named by the mapping's file name only, so documents do not depend on the directory built from."""
        if self.source is None:
            return self.rule
        return f"{self.rule} ({PurePath(self.source.file).name}:{self.source.line}:{self.source.column})"


@dataclass(slots=True)
class _Node:
    """A trie of vendor paths: object members, list indexes and list selectors, with the constraints at each."""

    text: str = ""
    members: dict[str, _Node] = field(default_factory=dict)
    required: set[str] = field(default_factory=set)
    indexes: dict[int, _Node] = field(default_factory=dict)
    min_items: int = 0
    selectors: dict[tuple[str, str], _Node] = field(default_factory=dict)
    required_selectors: set[tuple[str, str]] = field(default_factory=set)
    values: list[JsonSchema] = field(default_factory=list)
    comments: list[str] = field(default_factory=list)
    readers: list[Reader] = field(default_factory=list)

    def child(self, segment: Segment, required: bool) -> _Node | None:
        """The child for `segment` (created on first use), or None for a negative index."""
        if isinstance(segment, str):
            if required:
                self.required.add(segment)
            return self.members.setdefault(segment, _Node(_join(self.text, segment)))
        if isinstance(segment, int):
            if segment < 0:
                self.comments.append(f"read at index {segment}: JSON Schema cannot index a list from its end")
                return None
            if required:
                self.min_items = max(self.min_items, segment + 1)
            return self.indexes.setdefault(segment, _Node(_join(self.text, segment)))
        key = (segment.key, segment.value)
        if required:
            self.required_selectors.add(key)
        return self.selectors.setdefault(key, _Node(_join(self.text, segment)))

    def insert(self, path: VendorPath, value: JsonSchema | None, required: bool, reader: Reader | None) -> None:
        node: _Node | None = self
        for segment in path.segments:
            assert node is not None
            if reader is not None:
                node.readers.append(reader)
            node = node.child(segment, required)
            if node is None:
                return
        assert node is not None
        if reader is not None:
            node.readers.append(reader)
        if value is not None and value not in node.values:
            node.values.append(value)

    def find(self, instance_path: Iterable[str | int], payload: Any) -> _Node:
        """The deepest node an instance path (concrete keys and indexes) reaches; selectors match by item."""
        node, current = self, payload
        for step in instance_path:
            nxt: _Node | None = None
            if isinstance(step, str):
                nxt = node.members.get(step)
                current = current.get(step) if isinstance(current, dict) else None
            else:
                item = current[step] if isinstance(current, list) and -len(current) <= step < len(current) else None
                nxt = node.indexes.get(step)
                if nxt is None:
                    nxt = next(
                        (n for (k, v), n in node.selectors.items() if isinstance(item, dict) and str(item.get(k)) == v),
                        None,
                    )
                current = item
            if nxt is None:
                return node
            node = nxt
        return node

    def render(self, describe: bool) -> JsonSchema:
        structural: list[JsonSchema] = []
        if self.members:
            obj: JsonSchema = {
                "type": "object",
                "properties": {k: n.render(describe) for k, n in self.members.items()},
            }
            if self.required:
                obj["required"] = sorted(self.required)
            structural.append(obj)
        if self.indexes or self.selectors or self.min_items:
            structural.append(self._render_list(describe))
        schema: JsonSchema = {}
        if describe and self.readers and self.values:
            schema["description"] = "read by " + ", ".join(sorted({r.short() for r in self.readers}))
        if self.comments:
            schema["$comment"] = "; ".join(sorted(set(self.comments)))
        rest: list[JsonSchema] = []
        for part in [*structural, *self.values]:
            if part and not (set(part) & set(schema)):
                schema.update(part)
            elif part:
                rest.append(part)
        if rest:
            schema["allOf"] = rest
        return schema

    def _render_list(self, describe: bool) -> JsonSchema:
        schema: JsonSchema = {"type": "array"}
        if self.indexes:
            last = max(self.indexes)
            schema["prefixItems"] = [
                self.indexes[i].render(describe) if i in self.indexes else {} for i in range(last + 1)
            ]
        if self.min_items:
            schema["minItems"] = self.min_items
        if self.selectors:
            conditional = [
                {"if": _selector_item(key, value), "then": node.render(describe)}
                for (key, value), node in self.selectors.items()
            ]
            schema["items"] = conditional[0] if len(conditional) == 1 else {"allOf": conditional}
            wanted = [
                {"contains": _selector_item(k, v)} for k, v in self.selectors if (k, v) in self.required_selectors
            ]
            if len(wanted) == 1:
                schema.update(wanted[0])
            elif wanted:
                schema["allOf"] = wanted
        return schema


@dataclass(frozen=True, slots=True)
class VendorSchema:
    """The derived schema of one mapping, in two modes, with what the validator needs to explain errors."""

    compiled: CompiledMapping
    full: JsonSchema
    partial: JsonSchema
    #: who a root `allOf` block belongs to, per mode (blocks are the match rule and the `when`-guarded reads)
    full_blocks: tuple[Reader, ...]
    partial_blocks: tuple[Reader, ...]
    index: _Node
    bounded: tuple[PathRead, ...]

    def document(self, partial: bool = False) -> JsonSchema:
        return self.partial if partial else self.full

    def blocks(self, partial: bool = False) -> tuple[Reader, ...]:
        return self.partial_blocks if partial else self.full_blocks

    def readers_at(self, instance_path: Iterable[str | int], payload: Any) -> tuple[str, tuple[Reader, ...]]:
        """The declared path (`a[key=v].b`) an instance path falls in, and the rules that read there."""
        node = self.index.find(instance_path, payload)
        return node.text, tuple(node.readers)


def derive(compiled: CompiledMapping) -> VendorSchema:
    """Both schema documents of a mapping and its error index; deterministic for a given mapping."""
    all_reads = reads(compiled)
    index = _Node()
    for read in all_reads:
        index.insert(read.path, None, False, Reader(read.rule, read.source))
    for name, rule in all_rules(compiled):
        for test in rule_tests(rule):
            index.insert(test.path, None, False, Reader(f"{name} rule", test.source))
    full, full_blocks = _document(compiled, all_reads, partial=False)
    partial, partial_blocks = _document(compiled, all_reads, partial=True)
    bounded = tuple(r for r in all_reads if any(r.bounds))
    return VendorSchema(compiled, full, partial, full_blocks, partial_blocks, index, bounded)


def dumps(document: JsonSchema) -> str:
    """The committed spelling of a vendor schema: two-space indent, key order as built, final newline."""
    return json.dumps(document, indent=2, ensure_ascii=False, allow_nan=False) + "\n"


# --- documents -----------------------------------------------------------------------------------------


def _document(
    compiled: CompiledMapping, all_reads: list[PathRead], partial: bool
) -> tuple[JsonSchema, tuple[Reader, ...]]:
    main = _Node()
    groups: dict[str, tuple[tuple[RuleIR, ...], list[PathRead]]] = {}
    for read in all_reads:
        if read.conditions:
            key = repr(read.conditions)
            groups.setdefault(key, (read.conditions, []))[1].append(read)
        else:
            _insert_read(main, read, partial)
    blocks: list[JsonSchema] = []
    owners: list[Reader] = []
    if not partial:
        blocks.append(rule_schema(compiled.match))
        owners.append(Reader("match rule", _first_source(compiled.match)))
    for conditions, group in groups.values():
        node = _Node()
        for read in group:
            _insert_read(node, read, partial)
        condition = (
            rule_schema(conditions[0]) if len(conditions) == 1 else {"allOf": [rule_schema(c) for c in conditions]}
        )
        blocks.append({"if": condition, "then": node.render(describe=False)})
        owners.append(Reader(group[0].rule, group[0].source))
    kind = "partial update" if partial else "state"
    document: JsonSchema = {
        "$schema": DRAFT,
        "$id": f"urn:matter-map:vendor:{compiled.vendor}:{compiled.kind}{':partial' if partial else ''}",
        "title": f"{compiled.title} ({kind})",
        "$comment": (
            f"Generated from {PurePath(compiled.source_file).name} (sha256 {compiled.source_sha256[:16]}) "
            "by matter-map schema vendor; do not edit."
        ),
    }
    body = main.render(describe=True)
    body.setdefault("type", "object")
    body.pop("description", None)
    document.update(body)
    if blocks:
        existing = document.pop("allOf", [])
        document["allOf"] = [*blocks, *existing]
    return document, tuple(owners)


def _insert_read(node: _Node, read: PathRead, partial: bool) -> None:
    nullable = read.nullable or (partial and read.role == "attribute")
    required = read.required_in_partial if partial else read.required
    value = with_null(read.schema) if nullable else read.schema
    node.insert(read.path, value, required, Reader(read.rule, read.source))


# --- rules ---------------------------------------------------------------------------------------------


def rule_schema(rule: RuleIR) -> JsonSchema:
    """A rule as a schema that a payload satisfies exactly when the rule holds (up to list-selector order)."""
    match rule:
        case AllOf(rules=rules):
            return {"allOf": [rule_schema(r) for r in rules]}
        case AnyOf(rules=rules):
            return {"anyOf": [rule_schema(r) for r in rules]}
        case Not(rule=inner):
            return {"not": rule_schema(inner)}
        case Absent(path=path):
            return {"not": _nest(path.segments, {})}
        case Present(path=path):
            return _nest(path.segments, {})
        case Equals(path=path, value=expected):
            return _nest(path.segments, {"const": expected})
        case OneOf(path=path, values=values):
            return _nest(path.segments, {"enum": list(values)})
        case Contains(path=path, value=member):
            return _nest(path.segments, {"type": "array", "contains": {"const": member}})


def _nest(segments: tuple[Segment, ...], leaf: JsonSchema) -> JsonSchema:
    """A schema requiring the path to exist, with `leaf` holding at its end."""
    if not segments:
        return leaf
    head, inner = segments[0], _nest(segments[1:], leaf)
    if isinstance(head, str):
        return {"type": "object", "properties": {head: inner}, "required": [head]}
    if isinstance(head, int):
        if head < 0:
            return {"type": "array", "minItems": -head}
        return {"type": "array", "prefixItems": [*([{}] * head), inner], "minItems": head + 1}
    item = _selector_item(head.key, head.value)
    return {"type": "array", "contains": {"allOf": [item, inner]} if inner else item}


def _selector_item(key: str, value: str) -> JsonSchema:
    """The list items `[key=value]` selects: `str(item[key]) == value`, so numbers and booleans match too."""
    return {"type": "object", "properties": {key: {"enum": _selector_values(value)}}, "required": [key]}


def _selector_values(text: str) -> list[Any]:
    values: list[Any] = [text]
    try:
        number = int(text)
        values.append(number)
    except ValueError:
        try:
            real = float(text)
            if str(real) == text:
                values.append(real)
        except ValueError:
            pass
    if text in ("True", "False"):
        values.append(text == "True")
    if text == "None":
        values.append(None)
    return values


# --- helpers -------------------------------------------------------------------------------------------


def _join(text: str, segment: Segment) -> str:
    if isinstance(segment, int):
        return f"{text}[{segment}]"
    if isinstance(segment, Select):
        return f"{text}[{segment.key}={segment.value}]"
    plain = segment.replace("_", "").replace("-", "").replace("$", "").replace("@", "").isalnum()
    if not plain:
        escaped = segment.replace("\\", "\\\\").replace('"', '\\"')
        return f'{text}["{escaped}"]'
    return f"{text}.{segment}" if text else segment


def _first_source(rule: RuleIR) -> Source | None:
    return next((t.source for t in rule_tests(rule) if t.source is not None), None)
