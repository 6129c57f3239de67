"""What a compiled mapping offers to test: its bindings as lenses, its samples, device-range references, neighbours."""

from __future__ import annotations

import json
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

from matter_map.ir import AttributeIR, ClusterIR, CommandIR, CompiledMapping, EndpointIR
from matter_map.paths import VendorPath
from matter_map.rules import matches
from matter_map.testing.domains import Lens
from matter_map.transforms import Ref

MAX_SAMPLE_BYTES = 1 << 20


@dataclass(frozen=True)
class Binding:
    """One attribute binding with a vendor path, where it lives, and its lens."""

    endpoint: EndpointIR
    cluster: ClusterIR
    attribute: AttributeIR
    lens: Lens

    @property
    def rule(self) -> str:
        return f"{self.cluster.name}.{self.attribute.name}"

    @property
    def key(self) -> tuple[str, str, str]:
        return self.endpoint.id, self.cluster.name, self.attribute.name


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


@dataclass
class Subjects:
    """Everything the laws and strategies need to know about one mapping, computed once."""

    compiled: CompiledMapping
    samples: tuple[dict[str, Any], ...]
    bindings: tuple[Binding, ...]
    commands: tuple[Command, ...]
    bound_groups: tuple[BoundGroup, ...]
    bound_samples: dict[str, tuple[Any, ...]] = field(default_factory=dict)

    @classmethod
    def of(cls, compiled: CompiledMapping) -> Subjects:
        bindings = tuple(
            Binding(endpoint, cluster, attr, Lens.of(attr))
            for endpoint in compiled.endpoints
            for cluster in endpoint.clusters
            for attr in cluster.attributes
            if not attr.is_const and attr.path is not None
        )
        commands = tuple(
            Command(endpoint, cluster, command)
            for endpoint in compiled.endpoints
            for cluster in endpoint.clusters
            for command in cluster.commands
        )
        samples = tuple(s for s in load_samples(compiled.source_file) if matches(compiled.match, s))
        groups = bound_groups(bindings)
        bound_samples = {
            path.text: tuple(v for s in samples if _plain_number(v := path.get(s)))
            for group in groups
            for path in group.paths
        }
        return cls(compiled, samples, bindings, commands, groups, bound_samples)

    @property
    def bound_paths(self) -> set[str]:
        return {p.text for g in self.bound_groups for p in g.paths}

    def binding(self, key: tuple[str, str, str]) -> Binding | None:
        return next((b for b in self.bindings if b.key == key), None)

    def writable(self, binding: Binding) -> bool:
        return self.compiled.write is not None and binding.attribute.writable

    def related(self, binding: Binding) -> tuple[Binding, ...]:
        """Bindings that share a vendor field or its parent object with `binding` but read another value."""
        return tuple(
            other
            for other in self.bindings
            if other.key != binding.key and other.lens.view != binding.lens.view and overlaps(binding, other)
        )

    def touching(self, paths: set[str]) -> tuple[Binding, ...]:
        """Bindings whose vendor field is one of `paths`, inside one, or holds one (the write's footprint)."""
        out = []
        for other in self.bindings:
            assert other.attribute.path is not None
            mine = other.attribute.path.segments
            for text in paths:
                written = VendorPath.parse(text).segments
                shortest = min(len(mine), len(written))
                if mine[:shortest] == written[:shortest]:
                    out.append(other)
                    break
        return tuple(out)


def overlaps(a: Binding, b: Binding) -> bool:
    """Same field, one inside the other, or siblings in one (non-root) object."""
    assert a.attribute.path is not None and b.attribute.path is not None
    x, y = a.attribute.path.segments, b.attribute.path.segments
    common = 0
    for left, right in zip(x, y, strict=False):
        if left != right:
            break
        common += 1
    return common >= 1 and common >= min(len(x), len(y)) - 1


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
        attr = binding.attribute
        if attr.vendor_range is not None:
            add([v for v in attr.vendor_range if isinstance(v, Ref)])
        for transform in attr.chain.transforms:
            add([getattr(transform, f.name) for f in fields(transform) if isinstance(getattr(transform, f.name), Ref)])
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
