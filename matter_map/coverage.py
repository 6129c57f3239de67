"""Check a compiled mapping against the Matter device types it claims: clusters, features, attributes, commands.

Conformance stays an expression until here, where it is evaluated against each bound cluster's feature map,
revision and the elements the mapping provides (see conformance.py). The C2C exemptions come from
c2c_policy.py. The result is data: one row per element considered, plus the problems found.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import Enum
from typing import Any

from matter_map.c2c_policy import exemption
from matter_map.catalog import Catalog, ClusterInfo, ClusterRequirement, DeviceTypeInfo, ElementRequirement
from matter_map.conformance import Compare, Verdict, VerdictKind, compare_revision, evaluate
from matter_map.ir import AttributeIR, ClusterIR, CompiledMapping, ConstSource, EndpointIR

__all__ = ["CoverageReport", "Row", "Status", "check_mapping"]


class Status(Enum):
    MAPPED = "mapped"
    MISSING = "missing"  # mandatory and unmapped: an error
    OPTIONAL = "optional"  # optional (or provisional, deprecated, described) and unmapped
    CONDITIONAL = "conditional"  # mandatory under a condition the check cannot decide
    EXEMPT = "n/a"  # not applicable over C2C (c2c_policy)
    UNAVAILABLE = "unavailable"  # mandatory, declared by the mapping as beyond the vendor API, with the reason
    DISALLOWED = "disallowed"  # bound although the conformance forbids it: an error
    UNSOURCED = "unsourced"  # a mandatory event no vendor payload triggers: a warning


@dataclass(frozen=True, slots=True)
class Row:
    endpoint: str
    device_type: str
    cluster: str
    kind: str  # cluster | feature | attribute | command | event | choice
    name: str
    conformance: str
    status: Status
    note: str = ""

    def as_json(self) -> dict[str, Any]:
        return {
            "endpoint": self.endpoint,
            "deviceType": self.device_type,
            "cluster": self.cluster,
            "kind": self.kind,
            "name": self.name,
            "conformance": self.conformance,
            "status": self.status.value,
            "note": self.note,
        }


@dataclass(frozen=True, slots=True)
class CoverageReport:
    mapping: str
    source_file: str
    rows: tuple[Row, ...]
    problems: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        return not self.problems

    def count(self, *statuses: Status, kinds: Iterable[str] = ("attribute", "command")) -> int:
        wanted = set(kinds)
        return sum(1 for r in self.rows if r.status in statuses and r.kind in wanted)

    def summary(self) -> dict[str, int]:
        mapped = self.count(Status.MAPPED)
        missing = self.count(Status.MISSING)
        required = sum(
            1
            for r in self.rows
            if r.kind in ("attribute", "command")
            and (r.status in (Status.MISSING, Status.UNAVAILABLE) or _was_mandatory(r))
        )
        return {
            "required": required,
            "optional": self.count(Status.OPTIONAL),
            "mapped": mapped,
            "missing": missing,
            "exempt": self.count(Status.EXEMPT),
            "unavailable": self.count(Status.UNAVAILABLE),
            "conditional": self.count(Status.CONDITIONAL),
        }

    def as_json(self) -> dict[str, Any]:
        return {
            "mapping": self.mapping,
            "file": self.source_file,
            "ok": self.ok,
            "summary": self.summary(),
            "problems": list(self.problems),
            "warnings": list(self.warnings),
            "rows": [r.as_json() for r in self.rows],
        }


def _was_mandatory(row: Row) -> bool:
    return row.status is Status.MAPPED and row.note.startswith("mandatory")


# --- evaluation environment ------------------------------------------------------------------------------


@dataclass
class _ClusterEnv:
    """What a conformance expression can see of one bound cluster."""

    info: ClusterInfo
    bound: ClusterIR | None
    attributes: dict[str, AttributeIR] = field(default_factory=dict)
    commands: set[str] = field(default_factory=set)
    events: set[str] = field(default_factory=set)

    @classmethod
    def of(cls, info: ClusterInfo, bound: ClusterIR | None) -> _ClusterEnv:
        if bound is None:
            return cls(info, None)
        return cls(
            info,
            bound,
            {a.name: a for a in bound.attributes},
            {c.name for c in bound.commands},
            {e.name for e in bound.events},
        )

    @property
    def features(self) -> set[str]:
        return set(self.bound.features) if self.bound else set()

    @property
    def revision(self) -> int:
        return self.bound.revision if self.bound else self.info.revision

    def has_feature(self, code: str) -> bool | None:
        feature = self.info.feature(code)
        if feature is None:
            return None
        return feature.code in self.features or feature.name in self.features

    def resolve(self, name: str) -> bool | None:
        feature = self.has_feature(name)
        if feature is not None:
            return feature
        if self.info.attribute(name) is not None:
            return self.attribute_mapped(name)
        if self.info.command(name) is not None:
            return name in self.commands
        if self.info.event(name) is not None:
            return name in self.events
        return None

    def attribute_mapped(self, name: str) -> bool:
        found = exemption(self.info.name, name)
        return name in self.attributes or (found is not None and found.counts_as_mapped)

    def compare(self, expr: Compare) -> bool | None:
        by_revision = compare_revision(expr, self.revision)
        if by_revision is not None:
            return by_revision
        attr = self.attributes.get(expr.name)
        if attr is None or not isinstance(attr.reads, ConstSource):
            return None
        return _compare_value(attr.reads.value, expr.op, expr.value)

    def verdict(self, conformance: str) -> Verdict:
        return evaluate(conformance, self.resolve, self.compare)


def _compare_value(value: Any, op: str, literal: str) -> bool | None:
    if literal == "null":
        if op in ("==", "!="):
            return (value is None) == (op == "==")
        return None
    try:
        other = float(literal)
    except ValueError:
        return None
    if value is None:
        return op == "!="
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return {
        "==": value == other,
        "!=": value != other,
        ">=": value >= other,
        "<=": value <= other,
        ">": value > other,
        "<": value < other,
    }[op]


def _device_verdict(conformance: str) -> Verdict:
    """Device-type level: its names are conditions (`Active`, `BridgedPowerSourceInfo`) nothing here decides."""
    return evaluate(conformance, lambda _name: None, lambda _expr: None)


# --- the check -------------------------------------------------------------------------------------------


class _Checker:
    def __init__(self, compiled: CompiledMapping, catalog: Catalog) -> None:
        self.compiled = compiled
        self.catalog = catalog
        self.declared: dict[str, str] = {}
        self.used: set[str] = set()
        #: per (endpoint, cluster): declared-unavailable names no device type of the endpoint made mandatory
        self.unused: dict[tuple[str, str], set[str]] = {}
        self.rows: list[Row] = []
        self.problems: list[str] = []
        self.warnings: list[str] = []

    def run(self) -> CoverageReport:
        for endpoint in self.compiled.endpoints:
            self.endpoint(endpoint)
        return CoverageReport(
            self.compiled.identity,
            self.compiled.source_file,
            tuple(self.rows),
            tuple(dict.fromkeys(self.problems)),
            tuple(dict.fromkeys(self.warnings)),
        )

    def add(self, row: Row) -> None:
        self.rows.append(row)
        where = f"endpoint {row.endpoint} {row.cluster}"
        if row.status is Status.MISSING:
            self.problems.append(f"{where}: mandatory {row.kind} {row.name} is not mapped ({row.conformance})")
        elif row.status is Status.DISALLOWED:
            self.problems.append(f"{where}: {row.kind} {row.name} is bound but not allowed ({row.note})")
        elif row.status is Status.UNSOURCED:
            self.warnings.append(f"{where}: mandatory event {row.name} has no vendor trigger")

    def endpoint(self, endpoint: EndpointIR) -> None:
        self.unused = {}
        self.endpoint_clusters(endpoint)
        for (endpoint_id, cluster), names in self.unused.items():
            for name in sorted(names):
                self.problems.append(
                    f"endpoint {endpoint_id} {cluster}: {name} is declared unavailable, but it is not a mandatory "
                    "element for this feature map: remove the declaration"
                )

    def endpoint_clusters(self, endpoint: EndpointIR) -> None:
        bound = {c.name: c for c in endpoint.clusters}
        covered: set[str] = set()
        for type_id, display in endpoint.device_types:
            device = self.catalog.device_type(type_id)
            assert device is not None, "the linker resolved every device type"
            for requirement in device.requirements:
                if requirement.side != "server":
                    continue
                covered.add(requirement.name)
                self.cluster_requirement(endpoint, display, device, requirement, bound.get(requirement.name))
        for name, cluster in bound.items():
            if name not in covered:
                info = self.catalog.cluster(cluster.id)
                assert info is not None
                self.cluster_elements(endpoint.id, "(extra)", info, cluster, ())

    def cluster_requirement(
        self,
        endpoint: EndpointIR,
        device_name: str,
        device: DeviceTypeInfo,
        requirement: ClusterRequirement,
        cluster: ClusterIR | None,
    ) -> None:
        info = self.catalog.cluster(requirement.id)
        assert info is not None, f"device type {device.name} names an unknown cluster {requirement.name}"
        row = _Row(endpoint.id, device_name, info.name)
        found = exemption(info.name)
        verdict = _device_verdict(requirement.conformance) if requirement.conformance else None
        if cluster is None:
            if verdict is not None and verdict.kind is VerdictKind.DISALLOWED:
                return  # forbidden for this device type and not bound: nothing to report
            if found is not None:
                self.add(row("cluster", info.name, requirement.conformance, Status.EXEMPT, found.reason))
            elif verdict is None or verdict.mandatory:
                self.add(row("cluster", info.name, requirement.conformance or "M", Status.MISSING))
            elif verdict.kind is VerdictKind.UNKNOWN and verdict.undecided is VerdictKind.MANDATORY:
                self.add(row("cluster", info.name, requirement.conformance, Status.CONDITIONAL, "condition undecided"))
            elif verdict.allowed:
                self.add(row("cluster", info.name, requirement.conformance, Status.OPTIONAL))
            return
        if verdict is not None and verdict.kind is VerdictKind.DISALLOWED:
            self.add(row("cluster", info.name, requirement.conformance, Status.DISALLOWED, f"{device.name} forbids it"))
            return
        self.add(row("cluster", info.name, requirement.conformance or "M", Status.MAPPED))
        self.cluster_elements(endpoint.id, device_name, info, cluster, requirement.elements)

    def cluster_elements(
        self,
        endpoint_id: str,
        device_name: str,
        info: ClusterInfo,
        cluster: ClusterIR,
        overrides: tuple[ElementRequirement, ...],
    ) -> None:
        env = _ClusterEnv.of(info, cluster)
        row = _Row(endpoint_id, device_name, info.name)
        self.declared = dict(cluster.unavailable)
        self.used = set()
        by_kind = {(e.kind, e.name): e for e in overrides}
        choices: dict[tuple[str, str], list[tuple[str, bool, bool]]] = {}

        for feature in info.features:
            override = by_kind.get(("feature", feature.code))
            text = override.conformance if override and override.conformance else feature.conformance
            verdict = env.verdict(text) if not override else _device_verdict(text)
            on = feature.code in env.features
            self.judge(row, ("feature", feature.code, text), verdict, on, choices, report_optional=False)
            if override is not None and on:
                # the device type's requirement holds, and so must the cluster's own rule for the feature
                own = env.verdict(feature.conformance)
                if own.kind is VerdictKind.DISALLOWED:
                    self.add(row("feature", feature.code, feature.conformance, Status.DISALLOWED, "cluster rule"))

        for attr in info.attributes:
            override = by_kind.get(("attribute", attr.name))
            text = override.conformance if override and override.conformance else attr.conformance
            verdict = env.verdict(text)
            mapped = env.attribute_mapped(attr.name)
            self.judge(row, ("attribute", attr.name, text), verdict, mapped, choices)
            if override is not None and override.constraint and attr.name in env.attributes:
                self.constraint(row, env.attributes[attr.name], override.constraint)

        for command in info.commands:
            if command.direction != "request":
                continue
            override = by_kind.get(("command", command.name))
            text = override.conformance if override and override.conformance else command.conformance
            verdict = env.verdict(text)
            self.judge(row, ("command", command.name, text), verdict, command.name in env.commands, choices)

        for event in info.events:
            verdict = env.verdict(event.conformance)
            self.judge(row, ("event", event.name, event.conformance), verdict, event.name in env.events, choices)

        for (kind, group), members in choices.items():
            self.choice(row, kind, group, members)
        # a declaration one device type of the endpoint needs is kept for all of them (a plug that is a sensor too)
        key, unused = (endpoint_id, info.name), set(self.declared) - self.used
        self.unused[key] = self.unused[key] & unused if key in self.unused else unused

    def judge(
        self,
        row: _Row,
        element: tuple[str, str, str],
        verdict: Verdict,
        mapped: bool,
        choices: dict[tuple[str, str], list[tuple[str, bool, bool]]],
        *,
        report_optional: bool = True,
    ) -> None:
        kind, name, text = element
        if verdict.choice is not None and verdict.kind is not VerdictKind.DISALLOWED:
            choices.setdefault((kind, verdict.choice.group), []).append((name, mapped, verdict.choice.at_least))
        found = exemption(row.cluster, name) if kind != "feature" else None
        if mapped:
            if verdict.kind is VerdictKind.DISALLOWED:
                self.add(row(kind, name, text, Status.DISALLOWED, "conformance false for this feature map"))
            else:
                note = verdict.kind.value if verdict.kind is not VerdictKind.UNKNOWN else "conditional"
                if found is not None and found.counts_as_mapped:
                    note += f"; {found.reason}"
                self.add(row(kind, name, text, Status.MAPPED, note))
            return
        if verdict.kind is VerdictKind.MANDATORY:
            if kind == "feature":
                self.add(row(kind, name, text, Status.MISSING))
            elif name in self.declared and kind in ("attribute", "command"):
                self.used.add(name)
                self.add(row(kind, name, text, Status.UNAVAILABLE, self.declared[name]))
            elif found is not None:
                self.add(row(kind, name, text, Status.EXEMPT, found.reason))
            elif kind == "event":
                self.add(row(kind, name, text, Status.UNSOURCED, "no vendor payload triggers it"))
            else:
                self.add(row(kind, name, text, Status.MISSING))
        elif verdict.kind is VerdictKind.UNKNOWN and verdict.undecided is VerdictKind.MANDATORY:
            self.add(row(kind, name, text, Status.CONDITIONAL, "condition undecided"))
        elif verdict.kind is not VerdictKind.DISALLOWED and report_optional and verdict.choice is None:
            self.add(row(kind, name, text, Status.OPTIONAL, verdict.kind.value))

    def choice(self, row: _Row, kind: str, group: str, members: list[tuple[str, bool, bool]]) -> None:
        names = ", ".join(n for n, _, _ in members)
        mapped = [n for n, on, _ in members if on]
        at_least = members[0][2]
        ok = len(mapped) >= 1 if at_least else len(mapped) == 1
        rule = f"{'at least' if at_least else 'exactly'} one of {names}"
        if ok:
            self.add(row("choice", f"{kind}s .{group}", rule, Status.MAPPED, ", ".join(mapped)))
            return
        self.add(row("choice", f"{kind}s .{group}", rule, Status.MISSING, f"chosen: {', '.join(mapped) or 'none'}"))

    def constraint(self, row: _Row, attr: AttributeIR, constraint: str) -> None:
        bounds = _constraint_bounds(constraint)
        if bounds is None:
            return
        low, high = bounds
        if isinstance(attr.reads, ConstSource):
            value = attr.reads.value
            if isinstance(value, int | float) and not isinstance(value, bool) and not low <= value <= high:
                self.problems.append(
                    f"endpoint {row.endpoint} {row.cluster}.{attr.name}: constant {value} breaks the device "
                    f"type's constraint {constraint}"
                )
            return
        image = _static_image(attr)
        if image is None:
            self.warnings.append(
                f"endpoint {row.endpoint} {row.cluster}.{attr.name}: cannot prove the device type's constraint "
                f"{constraint}"
            )
        elif image[0] < low or image[1] > high:
            self.problems.append(
                f"endpoint {row.endpoint} {row.cluster}.{attr.name}: values reach {image[0]:g}..{image[1]:g}, "
                f"outside the device type's constraint {constraint}"
            )


@dataclass(frozen=True, slots=True)
class _Row:
    endpoint: str
    device_type: str
    cluster: str

    def __call__(self, kind: str, name: str, conformance: str, status: Status, note: str = "") -> Row:
        return Row(self.endpoint, self.device_type, self.cluster, kind, name, conformance, status, note)


def _constraint_bounds(text: str) -> tuple[float, float] | None:
    text = text.strip()
    if match := re.fullmatch(r"(-?\d+(?:\.\d+)?) to (-?\d+(?:\.\d+)?)", text):
        return float(match.group(1)), float(match.group(2))
    if re.fullmatch(r"-?\d+(?:\.\d+)?", text):
        return float(text), float(text)
    if match := re.fullmatch(r"min (-?\d+(?:\.\d+)?)", text):
        return float(match.group(1)), math.inf
    if match := re.fullmatch(r"max (-?\d+(?:\.\d+)?)", text):
        return -math.inf, float(match.group(1))
    return None


def _static_image(attr: AttributeIR) -> tuple[float, float] | None:
    domain: tuple[float, float] | None = None
    if attr.vendor_range and all(isinstance(v, int | float) for v in attr.vendor_range):
        low, high = attr.vendor_range
        domain = (min(low, high), max(low, high))
    image = domain
    for transform in attr.chain.transforms:
        image = transform.image(image)
    return image


def check_mapping(compiled: CompiledMapping, catalog: Catalog) -> CoverageReport:
    """Every device-type and cluster conformance rule the mapping's endpoints are subject to."""
    return _Checker(compiled, catalog).run()
