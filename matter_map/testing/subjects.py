"""What a compiled mapping offers to test: its bindings as lenses, its samples, device-range references, neighbours."""

from __future__ import annotations

import json
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

from matter_map.ir import (
    AllOf,
    AnyOf,
    AttributeIR,
    ClusterIR,
    CommandIR,
    CompiledMapping,
    EndpointIR,
    MergeBody,
    Not,
    PathSource,
    PathTest,
    RuleIR,
    Source,
)
from matter_map.paths import VendorPath
from matter_map.rules import matches
from matter_map.testing.domains import Lens
from matter_map.transforms import Ref, Transform

MAX_SAMPLE_BYTES = 1 << 20


@dataclass(frozen=True)
class Binding:
    """One alternative of an attribute binding that has a vendor path, where it lives, and its lens.

    An attribute bound with `when:`/`otherwise:` has several alternatives; the n-th applies when the `when`
    rules of those before it fail (and its own holds). Reads always go through the declared attribute."""

    endpoint: EndpointIR
    cluster: ClusterIR
    attribute: AttributeIR  # as declared: the translator chooses the alternative
    variant: AttributeIR  # this alternative
    index: int
    conditions: tuple[tuple[RuleIR, bool], ...]  # rules that must hold (True) or fail (False) for it to apply
    lens: Lens

    @property
    def rule(self) -> str:
        suffix = "" if not self.index else ".otherwise" + (str(self.index) if self.index > 1 else "")
        return f"{self.cluster.name}.{self.attribute.name}{suffix}"

    @property
    def key(self) -> tuple[str, str, str]:
        return self.endpoint.id, self.cluster.name, self.attribute.name

    @property
    def source(self) -> Source:
        return self.variant.source

    def applies(self, state: Any) -> bool:
        return all(matches(rule, state) == hold for rule, hold in self.conditions)


def alternatives(attribute: AttributeIR) -> list[tuple[AttributeIR, tuple[tuple[RuleIR, bool], ...]]]:
    """Each alternative of a binding with the conditions under which it applies."""
    out = []
    earlier: list[tuple[RuleIR, bool]] = []
    current: AttributeIR | None = attribute
    while current is not None:
        own = [(current.when, True)] if current.when is not None else []
        out.append((current, (*earlier, *own)))
        if current.when is None or current.otherwise is None:
            break
        earlier.append((current.when, False))
        current = current.otherwise
    return out


@dataclass(frozen=True)
class Command:
    endpoint: EndpointIR
    cluster: ClusterIR
    command: CommandIR

    @property
    def rule(self) -> str:
        return f"{self.cluster.name}.{self.command.name}"


@dataclass(frozen=True)
class BoundGroup:
    """Device-range bounds read from the payload: one path, or a low/high pair that must stay ordered."""

    paths: tuple[VendorPath, ...]


@dataclass(frozen=True)
class SpecGroup:
    """Other per-device parameters of one transform (a decimal's scale and step), by parameter name."""

    transform: Transform
    paths: tuple[tuple[str, VendorPath], ...]


#: transform parameters that are range bounds (low, high); every other `{path: ...}` parameter is a device spec
BOUND_FIELDS = {"linear": ("vendor_lo", "vendor_hi"), "clamp": ("lo", "hi")}


@dataclass
class Subjects:
    """Everything the laws and strategies need to know about one mapping, computed once."""

    compiled: CompiledMapping
    samples: tuple[dict[str, Any], ...]
    bindings: tuple[Binding, ...]
    commands: tuple[Command, ...]
    bound_groups: tuple[BoundGroup, ...]
    spec_groups: tuple[SpecGroup, ...] = ()
    bound_samples: dict[str, tuple[Any, ...]] = field(default_factory=dict)
    #: strategies built for this mapping, by name (building one costs more than drawing from it)
    strategies: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def of(cls, compiled: CompiledMapping) -> Subjects:
        bindings = tuple(
            Binding(endpoint, cluster, attr, variant, index, conditions, Lens.of(variant))
            for endpoint, cluster in clusters_of(compiled)
            for attr in cluster.attributes
            for index, (variant, conditions) in enumerate(alternatives(attr))
            if isinstance(variant.reads, PathSource)
        )
        commands = tuple(
            Command(endpoint, cluster, command)
            for endpoint, cluster in clusters_of(compiled)
            for command in cluster.commands
        )
        samples = tuple(s for s in load_samples(compiled.source_file) if matches(compiled.match, s))
        groups = bound_groups(bindings)
        specs = spec_groups(bindings, {p.text for g in groups for p in g.paths})
        paths = [p for g in groups for p in g.paths] + [p for g in specs for _, p in g.paths]
        bound_samples = {path.text: tuple(v for s in samples if _plain_number(v := path.get(s))) for path in paths}
        return cls(compiled, samples, bindings, commands, groups, specs, bound_samples)

    @property
    def bound_paths(self) -> set[str]:
        return {p.text for g in self.bound_groups for p in g.paths} | {
            p.text for g in self.spec_groups for _, p in g.paths
        }

    def binding(self, key: tuple[str, str, str], state: Any = None) -> Binding | None:
        """The binding of an attribute: the alternative that applies in `state`, or the first when no state."""
        found = [b for b in self.bindings if b.key == key]
        if state is None:
            return found[0] if found else None
        return next((b for b in found if b.applies(state)), None)

    def bound(self, key: tuple[str, str, str]) -> bool:
        return any(b.key == key for b in self.bindings)

    def writable(self, binding: Binding) -> bool:
        return self.compiled.write is not None and binding.attribute.writable and binding.variant.writable

    def related(self, binding: Binding) -> tuple[Binding, ...]:
        """Bindings that share a vendor field with `binding` (or, with `merge` writes, its parent object) but
        read another value; with `items` writes each item is its own field, so siblings are independent."""
        siblings = self.compiled.write is not None and isinstance(self.compiled.write.body, MergeBody)
        return tuple(
            other
            for other in self.bindings
            if other.key != binding.key
            and other.lens.view != binding.lens.view
            and overlaps(binding, other, siblings=siblings)
        )

    def neighbourhood(self, binding: Binding) -> tuple[Binding, ...]:
        """The binding and every binding whose vendor field overlaps its own (the values a law about it varies)."""
        return tuple(other for other in self.bindings if other is binding or overlaps(binding, other))

    def mode_paths(self, key: tuple[str, str, str]) -> set[str]:
        """The vendor paths the `when` rules of an attribute's alternatives read (its mode switches)."""
        return {
            t.path.text for b in self.bindings if b.key == key for rule, _ in b.conditions for t in rule_tests(rule)
        }

    def touching(self, paths: set[str]) -> tuple[Binding, ...]:
        """Bindings whose vendor field is one of `paths`, inside one, or holds one (the write's footprint)."""
        out = []
        for other in self.bindings:
            assert other.variant.path is not None
            mine = other.variant.path.segments
            for text in paths:
                written = VendorPath.parse(text).segments
                shortest = min(len(mine), len(written))
                if mine[:shortest] == written[:shortest]:
                    out.append(other)
                    break
        return tuple(out)


def clusters_of(compiled: CompiledMapping) -> list[tuple[EndpointIR, ClusterIR]]:
    """Matter clusters and custom capabilities (in cluster form) of every endpoint."""
    return [
        (endpoint, cluster)
        for endpoint in compiled.endpoints
        for cluster in (*endpoint.clusters, *(c.cluster for c in endpoint.capabilities))
    ]


def rule_tests(rule: RuleIR) -> list[PathTest]:
    if isinstance(rule, PathTest):
        return [rule]
    if isinstance(rule, AllOf | AnyOf):
        return [t for r in rule.rules for t in rule_tests(r)]
    assert isinstance(rule, Not)
    return rule_tests(rule.rule)


def overlaps(a: Binding, b: Binding, *, siblings: bool = True) -> bool:
    """Same field, one inside the other, or (with `siblings`) fields of one non-root object."""
    assert a.variant.path is not None
    assert b.variant.path is not None
    x, y = a.variant.path.segments, b.variant.path.segments
    common = 0
    for left, right in zip(x, y, strict=False):
        if left != right:
            break
        common += 1
    shortest = min(len(x), len(y))
    return common == shortest or (siblings and common >= 1 and common >= shortest - 1)


def bound_groups(bindings: tuple[Binding, ...]) -> tuple[BoundGroup, ...]:
    """Every per-device bound (`{path: ...}` parameter or range end), in low/high pairs where declared so."""
    groups: list[BoundGroup] = []
    seen: set[str] = set()

    def add(refs: list[Ref]) -> None:
        paths = tuple(r.path for r in refs if r.path.text not in seen)
        if paths:
            seen.update(p.text for p in paths)
            groups.append(BoundGroup(paths))

    for binding in bindings:
        attr = binding.variant
        if attr.vendor_range is not None:
            add([v for v in attr.vendor_range if isinstance(v, Ref)])
        for transform in attr.chain.transforms:
            names = BOUND_FIELDS.get(transform.name, ())
            add([r for name in names if isinstance(r := getattr(transform, name), Ref)])
    return tuple(groups)


def spec_groups(bindings: tuple[Binding, ...], bounds: set[str]) -> tuple[SpecGroup, ...]:
    """Per-device parameters that are not range bounds, one group per transform that reads them."""
    groups: list[SpecGroup] = []
    seen: set[str] = set(bounds)
    for binding in bindings:
        for transform in binding.variant.chain.transforms:
            skip = BOUND_FIELDS.get(transform.name, ())
            found = tuple(
                (f.name, ref.path)
                for f in fields(transform)
                if f.name not in skip
                and isinstance(ref := getattr(transform, f.name), Ref)
                and ref.path.text not in seen
            )
            if found:
                seen.update(p.text for _, p in found)
                groups.append(SpecGroup(transform, found))
    return tuple(groups)


def load_samples(mapping_file: str) -> list[dict[str, Any]]:
    """The JSON objects in `samples/` beside the mapping (files that are not JSON objects are ignored)."""
    folder = Path(mapping_file).parent / "samples"
    out: list[dict[str, Any]] = []
    if not folder.is_dir():
        return out
    for file in sorted(folder.glob("*.json")):
        try:
            if file.stat().st_size > MAX_SAMPLE_BYTES:
                continue
            value = json.loads(file.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError):
            continue
        if isinstance(value, dict):
            out.append(value)
    return out


def _plain_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)
