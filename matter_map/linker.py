"""Link a typed mapping against the Matter catalog: resolve names to ids, check types and ranges, build the IR."""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import replace
from typing import Any

from matter_map import model as m
from matter_map import transforms as t
from matter_map.catalog import AttributeInfo, Catalog, ClusterInfo, CommandInfo, json_kind
from matter_map.custom_capability import link_capabilities
from matter_map.diagnostics import Diagnostic, MappingError, Severity, did_you_mean
from matter_map.ids import hex_id
from matter_map.ir import (
    Absent,
    AllOf,
    AnyOf,
    AttributeIR,
    Chain,
    ClusterIR,
    CommandIR,
    CommandRequestIR,
    CompiledMapping,
    ConstSource,
    Contains,
    EndpointIR,
    Equals,
    EventFieldIR,
    EventIR,
    FieldIR,
    FieldRef,
    FieldSource,
    ItemsBody,
    MatterType,
    MergeBody,
    Not,
    OneOf,
    PathSource,
    Present,
    RequestCommand,
    RequestFieldIR,
    RequestIR,
    RuleIR,
    Source,
    StepCommand,
    StepDirection,
    StepIR,
    StructFieldIR,
    StructSource,
    ToggleCommand,
    Write,
    WriteCommand,
    WriteEncodingIR,
)
from matter_map.paths import MISSING, PathError, VendorPath
from matter_map.request_templates import compile_body, compile_url, field_reference
from matter_map.runtime import scalar_key
from matter_map.struct_values import field_type, find_field, struct_constant, struct_of
from matter_map.values import check_value, constant_problem, enum_constant, fmt_number
from matter_map.yaml_loader import DocPath, LoadedDocument, doc_path_text


class Linker:
    """Collects every diagnostic while building the compiled mapping; raises once at the end."""

    def __init__(self, document: LoadedDocument, mapping: m.Mapping, catalog: Catalog, sha256: str) -> None:
        self.doc = document
        self.mapping = mapping
        self.catalog = catalog
        self.sha256 = sha256
        self.problems: list[Diagnostic] = []

    # --- diagnostics ---------------------------------------------------------------------------------

    def report(
        self,
        code: str,
        message: str,
        path: DocPath,
        hint: str = "",
        severity: Severity = Severity.ERROR,
    ) -> None:
        self.problems.append(Diagnostic(code, message, self.doc.position(path), doc_path_text(path), hint, severity))

    def source(self, path: DocPath) -> Source:
        position = self.doc.position(path)
        line, column = (position.line, position.column) if position else (0, 0)
        file = position.file if position else self.doc.file  # a composed element's own fragment file
        return Source(file, line, column, doc_path_text(path))

    def vendor_path(self, text: str, path: DocPath) -> VendorPath | None:
        try:
            return VendorPath.parse(text)
        except PathError as exc:
            self.report("bad-path", str(exc), path, 'paths look like `a.b`, `a[0]`, `a["x.y"]`, `a[key=value]`')
            return None

    # --- entry point ---------------------------------------------------------------------------------

    def link(self) -> CompiledMapping:
        mp = self.mapping
        match = self.rule(mp.match, ("match",))
        device_id = self.vendor_path(mp.device.id, ("device", "id"))
        device_name = self.vendor_path(mp.device.name, ("device", "name")) if mp.device.name else None
        write = self.write_encoding(mp.write) if mp.write else None
        endpoints = tuple(self.endpoint(e, ("endpoints", i)) for i, e in enumerate(mp.endpoints))
        ids = [e.id for e in mp.endpoints]
        for i, endpoint_id in enumerate(ids):
            if endpoint_id in ids[:i]:
                self.report("duplicate-endpoint", f"endpoint id {endpoint_id!r} is used twice", ("endpoints", i))
        if any(p.severity is Severity.ERROR for p in self.problems) or match is None or device_id is None:
            raise MappingError(self.problems)
        return CompiledMapping(
            vendor=mp.vendor,
            kind=mp.kind,
            title=mp.title,
            spec_version=mp.spec_version,
            source_file=self.doc.file,
            source_sha256=self.sha256,
            match=match,
            device_id=device_id,
            device_name=device_name,
            base_url=mp.base_url,
            write=write,
            endpoints=endpoints,
            catalog_version=self.catalog.source.get("version", ""),
        )

    def warnings(self) -> list[Diagnostic]:
        return [p for p in self.problems if p.severity is Severity.WARNING]

    # --- rules ---------------------------------------------------------------------------------------

    def rule(self, rule: Any, path: DocPath) -> RuleIR | None:
        if isinstance(rule, m.AllRule):
            parts = [self.rule(r, (*path, "all", i)) for i, r in enumerate(rule.all)]
            return AllOf(tuple(p for p in parts if p is not None))
        if isinstance(rule, m.AnyRule):
            parts = [self.rule(r, (*path, "any", i)) for i, r in enumerate(rule.any)]
            return AnyOf(tuple(p for p in parts if p is not None))
        if isinstance(rule, m.NotRule):
            inner = self.rule(rule.not_, (*path, "not"))
            return Not(inner) if inner is not None else None
        assert isinstance(rule, m.PathRule)
        vendor = self.vendor_path(rule.path, (*path, "path"))
        if vendor is None:
            return None
        source = self.source((*path, "path"))
        tests: list[RuleIR] = []
        if rule.present is not None:
            tests.append(Present(vendor, source) if rule.present else Absent(vendor, source))
        if "equals" in rule.model_fields_set:
            tests.append(Equals(vendor, rule.equals, source))
        if "contains" in rule.model_fields_set:
            tests.append(Contains(vendor, rule.contains, source))
        if rule.in_ is not None:
            tests.append(OneOf(vendor, tuple(rule.in_), source))
        return tests[0] if len(tests) == 1 else AllOf(tuple(tests))

    # --- write encoding ------------------------------------------------------------------------------

    def write_encoding(self, w: m.WriteEncoding) -> WriteEncodingIR:
        prefix: tuple[str, ...] = ()
        if w.prefix:
            parsed = self.vendor_path(w.prefix, ("write", "prefix"))
            if parsed is not None:
                if not parsed.writable:
                    self.report("bad-path", "a write prefix may hold keys only", ("write", "prefix"))
                prefix = tuple(str(s) for s in parsed.segments)
        return WriteEncodingIR(
            method=w.method,
            url=w.url,
            headers=tuple(sorted(w.headers.items())),
            body=ItemsBody(w.items_key, w.item) if w.body == "items" else MergeBody(),
            prefix=prefix,
        )

    # --- endpoints and clusters ----------------------------------------------------------------------

    def endpoint(self, endpoint: m.Endpoint, path: DocPath) -> EndpointIR:
        device_types = []
        for i, name in enumerate(endpoint.device_types):
            info = self.catalog.device_type(name)
            if info is None:
                candidates = [d.name for d in self.catalog.device_types]
                self.report(
                    "unknown-device-type",
                    f"unknown Matter device type {name!r}",
                    (*path, "device_types", i),
                    did_you_mean(self.catalog.suggest(name, candidates)),
                )
                continue
            device_types.append((info.id, _display_name(info.name)))
        linked = []
        for name, binding in endpoint.clusters.items():
            found = self.cluster(name, binding, (*path, "clusters", name))
            if found is not None:
                linked.append(found)
        # commands are linked after all attributes: a write may target another cluster's attribute
        all_attributes = {(c.name, a.name): a for c, *_ in linked for a in c.attributes}
        clusters = []
        for cluster_ir, cluster_info, binding, cpath in linked:
            commands = []
            for cmd_name, cmd in binding.commands.items():
                linked_command = self.command(
                    cluster_info, cmd_name, cmd, (*cpath, "commands", cmd_name), all_attributes
                )
                if linked_command is not None:
                    commands.append(linked_command)
            clusters.append(replace(cluster_ir, commands=tuple(commands)))
        capabilities = link_capabilities(self, endpoint, path)
        return EndpointIR(endpoint.id, tuple(device_types), tuple(clusters), capabilities)

    def cluster(
        self, name: str, binding: m.ClusterBinding, path: DocPath
    ) -> tuple[ClusterIR, ClusterInfo, m.ClusterBinding, DocPath] | None:
        info = self.catalog.cluster(name)
        if info is None:
            self.report(
                "unknown-cluster",
                f"unknown Matter cluster {name!r}",
                path,
                did_you_mean(self.catalog.suggest(name, [c.name for c in self.catalog.clusters])),
            )
            return None
        feature_map = 0
        for i, code in enumerate(binding.features):
            feature = info.feature(code)
            if feature is None:
                known = [f.code for f in info.features]
                hint = did_you_mean(self.catalog.suggest(code, known)) or (
                    f"{info.name} features: {', '.join(known)}" if known else f"{info.name} has no features"
                )
                self.report("unknown-feature", f"{info.name} has no feature {code!r}", (*path, "features", i), hint)
                continue
            feature_map |= 1 << feature.bit
        revision = binding.revision if binding.revision is not None else info.revision
        if not 1 <= revision <= 10:
            self.report(
                "revision-out-of-range",
                f"{info.name} revision {revision} is outside 1..10, the range a capability report allows",
                path,
                "set `revision:` to the revision of the spec version you target",
            )
        attributes = {}
        for attr_name, attr_binding in binding.attributes.items():
            compiled = self.attribute(info, attr_name, attr_binding, (*path, "attributes", attr_name))
            if compiled is not None:
                attributes[compiled.name] = compiled
        events = tuple(
            e
            for e in (self.event(info, ev, (*path, "events", i)) for i, ev in enumerate(binding.events))
            if e is not None
        )
        command_requests = tuple(
            r
            for r in (
                self.command_request(info, req, (*path, "command_requests", i))
                for i, req in enumerate(binding.command_requests)
            )
            if r is not None
        )
        cluster_ir = ClusterIR(
            id=info.id,
            name=info.name,
            hex_id=hex_id(info.id),
            title=getattr(info, "title", None) or info.name,
            revision=revision,
            feature_map=feature_map,
            features=tuple(binding.features),
            capability_id=f"matter.{info.name}@{self.mapping.spec_version}",
            attributes=tuple(attributes.values()),
            commands=(),
            events=events,
            command_requests=command_requests,
            unavailable=self.unavailable(info, binding, path),
        )
        return cluster_ir, info, binding, path

    def unavailable(self, info: ClusterInfo, binding: m.ClusterBinding, path: DocPath) -> tuple[tuple[str, str], ...]:
        """Declared gaps: each must name an element of the cluster that the mapping does not bind."""
        found = []
        for element, reason in binding.unavailable.items():
            where = (*path, "unavailable", element)
            command = info.command(element, "request")
            if info.attribute(element) is None and command is None:
                names = [a.name for a in info.attributes] + [c.name for c in info.commands if c.direction == "request"]
                self.report(
                    "unknown-element",
                    f"{info.name} has no attribute or command {element!r}",
                    where,
                    did_you_mean(self.catalog.suggest(element, names)),
                )
            elif element in binding.attributes or element in binding.commands:
                self.report("unavailable-but-bound", f"{element} is bound, so it is not unavailable", where)
            elif len(reason.strip()) < 10:
                self.report("missing-reason", f"say why the vendor API cannot provide {element}", where)
            else:
                found.append((element, reason.strip()))
        return tuple(found)

    # --- attributes ----------------------------------------------------------------------------------

    def matter_type(self, cluster: ClusterInfo, info: AttributeInfo) -> MatterType:
        return _matter_type(cluster, info, self.catalog.numeric_range(cluster.name, info.name))

    def attribute(
        self, cluster: ClusterInfo, name: str, binding: m.AttributeBinding, path: DocPath
    ) -> AttributeIR | None:
        info = cluster.attribute(name)
        if info is None:
            self.report(
                "unknown-attribute",
                f"{cluster.name} has no attribute {name!r}",
                path,
                did_you_mean(self.catalog.suggest(name, [a.name for a in cluster.attributes])),
            )
            return None
        mtype = self.matter_type(cluster, info)
        common: dict[str, Any] = {
            "cluster_id": cluster.id,
            "cluster": cluster.name,
            "id": info.id,
            "name": info.name,
            "hex_id": hex_id(info.id),
            "type": mtype,
            "source": self.source(path),
            "description": binding.description,
        }
        if binding.fields is not None:
            return self.struct_attribute(cluster, info, binding, path, common)
        if binding.path is None:
            const = enum_constant(binding.const, mtype)
            problem = constant_problem(const, mtype)
            if struct_of(cluster, info.type) is not None:  # checked field by field, enum members by name
                const, problems = struct_constant(cluster, info.type, binding.const, name)
                problem = "; ".join(problems) or check_value(const, mtype)
            if problem:
                self.report(
                    "const-out-of-range",
                    f"constant {binding.const!r} for {name}: {problem}",
                    (*path, "const"),
                )
            otherwise_const = self.otherwise(cluster, name, binding, path)
            when_const = self.rule(binding.when, (*path, "when")) if binding.when is not None else None
            return AttributeIR(
                reads=ConstSource(const),
                chain=Chain((), t.Loss()),
                when=when_const,
                otherwise=otherwise_const,
                **common,
            )
        vendor = self.vendor_path(binding.path, (*path, "path"))
        chain = self.chain(binding.transforms, (*path, "transforms"), mtype, cluster)
        when = self.rule(binding.when, (*path, "when")) if binding.when is not None else None
        vendor_range = self.range_param(binding.range, (*path, "range")) if binding.range else None
        otherwise = self.otherwise(cluster, name, binding, path)
        if vendor is None or chain is None:
            return None
        if not binding.read_only and not vendor.writable and self.mapping.write is not None and binding.write is None:
            self.report(
                "non-invertible-path",
                f"vendor path `{vendor}` selects from a list, so writes cannot be built from it",
                (*path, "path"),
                "mark the binding `read_only: true` or bind a key-only path",
            )
        self.check_kind(chain, mtype, path)
        self.prove_range(chain, vendor_range, mtype, name, path)
        return AttributeIR(
            reads=PathSource(vendor),
            chain=chain,
            optional=binding.optional,
            read_only=binding.read_only,
            when=when,
            vendor_range=vendor_range,
            otherwise=otherwise,
            write=self.attribute_write(binding, path),
            **common,
        )

    def struct_attribute(
        self, cluster: ClusterInfo, info: Any, binding: m.AttributeBinding, path: DocPath, common: dict[str, Any]
    ) -> AttributeIR | None:
        """A struct-typed attribute built from vendor values field by field; each field checked like a binding."""
        fields = struct_of(cluster, info.type)
        if fields is None or info.type.startswith("list["):
            self.report(
                "type-mismatch",
                f"{info.name} is of type {info.type}, not a struct: `fields` builds struct values only",
                (*path, "fields"),
            )
            return None
        assert binding.fields is not None
        built: list[StructFieldIR] = []
        for key, spec in binding.fields.items():
            fpath = (*path, "fields", key)
            field_info = find_field(fields, key)
            if field_info is None:
                self.report(
                    "unknown-field",
                    f"{info.type} has no field {key!r}",
                    fpath,
                    did_you_mean(self.catalog.suggest(key, [f.name for f in fields])),
                )
                continue
            ftype = field_type(cluster, field_info, fields)
            if spec.path is None:
                const = enum_constant(spec.const, ftype)
                problem = constant_problem(const, ftype)
                if problem:
                    self.report(
                        "const-out-of-range", f"constant {spec.const!r} for {key}: {problem}", (*fpath, "const")
                    )
                built.append(
                    StructFieldIR(
                        field_info.id,
                        field_info.name,
                        hex_id(field_info.id),
                        ftype,
                        ConstSource(const),
                        Chain((), t.Loss()),
                    )
                )
                continue
            vendor = self.vendor_path(spec.path, (*fpath, "path"))
            chain = self.chain(spec.transforms, (*fpath, "transforms"), ftype, cluster)
            vendor_range = self.range_param(spec.range, (*fpath, "range")) if spec.range else None
            if vendor is None or chain is None:
                continue
            self.check_kind(chain, ftype, fpath)
            self.prove_range(chain, vendor_range, ftype, f"{info.name}.{field_info.name}", fpath)
            built.append(
                StructFieldIR(
                    field_info.id,
                    field_info.name,
                    hex_id(field_info.id),
                    ftype,
                    PathSource(vendor),
                    chain,
                    vendor_range=vendor_range,
                    optional=spec.optional,
                )
            )
        given = {f.name for f in built}
        for field_info in fields:
            if field_info.conformance == "M" and field_info.name not in given:
                self.report(
                    "missing-field",
                    f"{info.type} needs the field {field_info.name!r}",
                    (*path, "fields"),
                    f"add `{field_info.name}: {{path: ...}}` or `{{const: ...}}` under fields",
                )
        when = self.rule(binding.when, (*path, "when")) if binding.when is not None else None
        return AttributeIR(
            reads=StructSource(tuple(built)),
            chain=Chain((), t.Loss()),
            optional=binding.optional,
            read_only=True,
            when=when,
            **common,
        )

    def attribute_write(self, binding: m.AttributeBinding, path: DocPath) -> RequestIR | None:
        """An attribute's own write request: `$value` is the only name its body and url may use."""
        if binding.write is None:
            return None
        encoding = self.mapping.write
        method = binding.write.method or (encoding.method if encoding else None)
        url = binding.write.url or (encoding.url if encoding else None)
        if method is None or url is None:
            self.report(
                "missing-write-encoding",
                "an attribute's write request needs a method and url, here or in the top-level `write:`",
                (*path, "write"),
            )
            return None
        body, url_template = compile_body(binding.write.body), compile_url(url)
        for state in body.states:
            self.vendor_path(state.text, (*path, "write", "body"))
        for ref in sorted((body.fields | url_template.fields) - {"value", "device_id"}):
            self.report(
                "unknown-field", f"an attribute write knows only `$value`, not `${ref}`", (*path, "write", "body")
            )
        return RequestIR(method, url_template, body, ())

    def otherwise(
        self, cluster: ClusterInfo, name: str, binding: m.AttributeBinding, path: DocPath
    ) -> AttributeIR | None:
        """The alternative binding used when `binding.when` does not hold, compiled like any other."""
        if binding.otherwise is None:
            return None
        return self.attribute(cluster, name, binding.otherwise, (*path, "otherwise"))

    def range_param(self, pair: Sequence[Any], path: DocPath) -> tuple[Any, Any]:
        return (self.param(pair[0], (*path, 0)), self.param(pair[1], (*path, 1)))

    def param(self, value: Any, path: DocPath) -> t.Param:
        if isinstance(value, m.FromPayload):
            parsed = self.vendor_path(value.path, (*path, "path"))
            return t.Ref(parsed) if parsed is not None else math.nan
        return value  # type: ignore[no-any-return]

    # --- transform chains ----------------------------------------------------------------------------

    def chain(
        self, steps: Sequence[Any], path: DocPath, target: MatterType | None, cluster: ClusterInfo | None
    ) -> Chain | None:
        built: list[t.Transform] = []
        ok = True
        for i, step in enumerate(steps):
            transform = self.transform(step, (*path, i), target if i == len(steps) - 1 else None, cluster)
            if transform is None:
                ok = False
            else:
                built.append(transform)
        if not ok:
            return None
        return Chain(tuple(built), chain_loss(built))

    def transform(
        self, step: Any, path: DocPath, target: MatterType | None, cluster: ClusterInfo | None
    ) -> t.Transform | None:
        if isinstance(step, m.LinearStep):
            p = step.linear
            if p.vendor[0] == p.vendor[1] or p.matter[0] == p.matter[1]:
                self.report("non-invertible-transform", "linear needs two distinct ends on both sides", path)
                return None
            lo, hi = (self.param(v, (*path, "linear", "vendor", i)) for i, v in enumerate(p.vendor))
            return t.Linear(
                params=step.model_dump(by_alias=True),
                vendor_lo=lo,
                vendor_hi=hi,
                matter_lo=p.matter[0],
                matter_hi=p.matter[1],
                rounding=p.round,
                vendor_rounding=p.vendor_round,
            )
        if isinstance(step, m.ScaleStep):
            if step.scale.factor == 0:
                self.report("non-invertible-transform", "scale factor 0 has no inverse", (*path, "scale", "factor"))
                return None
            s = step.scale
            return t.Scale(
                params=step.model_dump(),
                factor=s.factor,
                offset=s.offset,
                rounding=s.round,
                vendor_rounding=s.vendor_round,
            )
        if isinstance(step, m.ReciprocalStep):
            r = step.reciprocal
            if r.numerator == 0:
                self.report("non-invertible-transform", "a reciprocal with numerator 0 has no inverse", path)
                return None
            return t.Reciprocal(
                params=step.model_dump(),
                numerator=r.numerator,
                rounding=r.round,
                vendor_rounding=r.vendor_round,
            )
        if isinstance(step, m.ClampStep):
            c = step.clamp
            lo = self.param(c.min, (*path, "clamp", "min")) if c.min is not None else -math.inf
            hi = self.param(c.max, (*path, "clamp", "max")) if c.max is not None else math.inf
            if not isinstance(lo, t.Ref) and not isinstance(hi, t.Ref) and lo > hi:
                self.report("bad-clamp", f"clamp min {lo} is greater than max {hi}", (*path, "clamp"))
                return None
            return t.Clamp(params=step.model_dump(), lo=lo, hi=hi, within=c.within)
        if isinstance(step, m.InvertStep):
            return t.Invert(params=step.model_dump(), maximum=step.invert.maximum)
        if isinstance(step, m.EnumStep):
            return self.enum(step, path, target, cluster)
        if isinstance(step, m.BoolStep):
            b = step.bool_
            if scalar_key(b.true) == scalar_key(b.false):
                self.report("non-invertible-transform", "bool maps true and false to the same vendor value", path)
                return None
            return t.BoolMap(params=step.model_dump(by_alias=True), true=b.true, false=b.false)
        if isinstance(step, m.JsonStringStep):
            return t.JsonString(params={"json_string": {}})
        if isinstance(step, m.FieldStep):
            defaults = tuple(sorted(step.field.defaults.items()))
            return t.Field(params=step.model_dump(), key=step.field.key, defaults=defaults)
        if isinstance(step, m.TemperatureStep):
            p2 = step.temperature
            return t.Temperature(
                params=step.model_dump(), unit=p2.unit, rounding=p2.round, vendor_rounding=p2.vendor_round
            )
        if isinstance(step, m.CieXyStep):
            return t.CieXy(params=step.model_dump(), digits=step.cie_xy.digits)
        if isinstance(step, m.DecimalStep):
            return self.decimal(step, path)
        if isinstance(step, m.FormatStep):
            f = step.format
            return t.Format(params=step.model_dump(), prefix=f.prefix, suffix=f.suffix, digits=f.digits)
        raise AssertionError(f"unhandled transform model {type(step).__name__}")  # pragma: no cover

    def decimal(self, step: m.DecimalStep, path: DocPath) -> t.Transform | None:
        d = step.decimal
        scale = self.param(d.scale, (*path, "decimal", "scale"))
        size = self.param(d.step, (*path, "decimal", "step"))
        if not isinstance(scale, t.Ref) and not 0 <= scale <= 9:
            self.report("bad-decimal", f"scale {scale} is outside 0..9", (*path, "decimal", "scale"))
            return None
        if not isinstance(size, t.Ref) and size < 1:
            self.report("bad-decimal", f"step {size} must be at least 1 (raw units)", (*path, "decimal", "step"))
            return None
        if (isinstance(scale, t.Ref) or isinstance(size, t.Ref)) and d.max_quantum is None:
            self.report(
                "bad-decimal",
                "scale or step is read from the payload, so the loss is unknown without `max_quantum`",
                (*path, "decimal"),
                "add `max_quantum:` the coarsest step / 10^scale the mapping accepts, e.g. 0.5",
            )
            return None
        return t.Decimal(params=step.model_dump(), scale=scale, step=size, max_quantum=d.max_quantum)

    def enum(
        self, step: m.EnumStep, path: DocPath, target: MatterType | None, cluster: ClusterInfo | None
    ) -> t.Transform | None:
        params = step.enum
        members = dict(target.enum) if target else {}
        pairs: list[tuple[Any, Any]] = []
        ok = True
        for key, vendor_value in params.values.items():
            matter_value = self.enum_key(key, members, target, (*path, "enum", "values", key))
            if matter_value is MISSING:
                ok = False
                continue
            pairs.append((vendor_value, matter_value))
        vendor_seen: dict[Any, Any] = {}
        for vendor_value, matter_value in pairs:
            key = scalar_key(vendor_value)
            if key in vendor_seen:
                self.report(
                    "non-invertible-transform",
                    f"vendor value {vendor_value!r} is mapped from both {vendor_seen[key]!r} and {matter_value!r}",
                    (*path, "enum", "values"),
                    "give each Matter value its own vendor value; extra vendor spellings go in `aliases`",
                )
                ok = False
            vendor_seen[key] = matter_value
        aliases = []
        for alias, canonical in params.aliases.items():
            alias_value: Any = alias
            if scalar_key(canonical) not in vendor_seen:
                self.report(
                    "bad-alias",
                    f"alias {alias!r} points at {canonical!r}, which is not a vendor value of this table",
                    (*path, "enum", "aliases", alias),
                )
                ok = False
                continue
            aliases.append((alias_value, canonical))
        default: Any = MISSING
        if "default" in params.model_fields_set:
            default = self.enum_key(params.default, members, target, (*path, "enum", "default"))
            ok = ok and default is not MISSING
        if not ok:
            return None
        return t.EnumTable(params=step.model_dump(), to_matter=tuple(pairs), aliases=tuple(aliases), default=default)

    def enum_key(self, key: Any, members: dict[str, int], target: MatterType | None, path: DocPath) -> Any:
        """A Matter-side enum key: a member name of the attribute's enum, a number, true/false or null."""
        if key is None or (key == "null" and target is not None and target.nullable):
            return None
        if isinstance(key, int):
            return key
        if key in members:
            return members[key]
        if target is not None and target.kind == "bool" and key in ("true", "false"):
            return key == "true"
        try:
            return int(key, 0)
        except ValueError:
            pass
        if members:
            self.report(
                "unknown-enum-value",
                f"{key!r} is not a member of this attribute's enum",
                path,
                did_you_mean(self.catalog.suggest(key, list(members))) or f"members: {', '.join(members)}",
            )
        else:
            self.report(
                "unknown-enum-value",
                f"{key!r} is not a number, and the target has no named members",
                path,
                "use numbers (or true/false) as keys",
            )
        return MISSING

    # --- static checks -------------------------------------------------------------------------------

    def check_kind(self, chain: Chain, mtype: MatterType, path: DocPath) -> None:
        produced = output_kind(chain.transforms)
        expected = mtype.kind
        if produced is None:
            return
        if expected == "int" and produced == "float":
            self.report(
                "type-mismatch",
                f"the transforms produce a fractional number, but the Matter type is {mtype.base} (an integer)",
                (*path, "transforms"),
                "give the last numeric transform a `round:` policy other than `none`",
            )
        elif expected in ("int", "float") and produced == "bool":
            self.report("type-mismatch", f"the transforms produce a boolean, but the Matter type is {mtype.base}", path)
        elif expected == "bool" and produced in ("int", "float"):
            self.report(
                "type-mismatch",
                "the transforms produce a number, but the Matter type is bool",
                path,
                "use a `bool` transform",
            )

    def prove_range(
        self, chain: Chain, vendor_range: tuple[Any, Any] | None, mtype: MatterType, name: str, path: DocPath
    ) -> None:
        if mtype.minimum is None or mtype.maximum is None or mtype.kind not in ("int", "float"):
            return
        domain: t.Interval | None = None
        if vendor_range and not any(isinstance(v, t.Ref) for v in vendor_range):
            domain = (min(vendor_range), max(vendor_range))
        image = domain
        for transform in chain.transforms:
            if transform.reads_old:
                continue  # json_string / field select a member: the declared range is the member's
            if isinstance(transform, t.Linear) and transform.dynamic and _same_refs(vendor_range, transform):
                image = (min(transform.matter_lo, transform.matter_hi), max(transform.matter_lo, transform.matter_hi))
                continue  # the device's own range, declared as the range, maps exactly onto the Matter ends
            image = transform.image(image)
        if image is None:
            self.report(
                "range-unproven",
                f"{name}: cannot prove the value stays within {fmt_number(mtype.minimum)}..{fmt_number(mtype.maximum)}",
                path,
                "declare the vendor `range:` or end the transforms with a `clamp`",
                Severity.WARNING,
            )
            return
        if image[0] < mtype.minimum or image[1] > mtype.maximum:
            self.report(
                "range-exceeds-constraint",
                f"{name}: the vendor range maps onto {fmt_number(image[0])}..{fmt_number(image[1])}, "
                f"outside the Matter constraint {fmt_number(mtype.minimum)}..{fmt_number(mtype.maximum)}",
                path,
                f"add `- clamp: {{min: {fmt_number(mtype.minimum)}, max: {fmt_number(mtype.maximum)}}}` "
                "as the last transform",
            )

    # --- commands ------------------------------------------------------------------------------------

    def command(
        self,
        cluster: ClusterInfo,
        name: str,
        binding: m.CommandBinding,
        path: DocPath,
        all_attributes: dict[tuple[str, str], AttributeIR],
    ) -> CommandIR | None:
        info = cluster.command(name)
        if info is None or info.direction != "request":
            known = [c.name for c in cluster.commands if c.direction == "request"]
            self.report(
                "unknown-command",
                f"{cluster.name} has no command {name!r}",
                path,
                did_you_mean(self.catalog.suggest(name, known)),
            )
            return None
        fields = tuple(self.field(cluster, info, f) for f in info.fields)
        field_names = {f.name for f in fields}
        needs_write = binding.request is None
        if needs_write and self.mapping.write is None:
            self.report(
                "missing-write-encoding",
                f"{name} writes attributes, but the mapping has no `write:` encoding",
                path,
                "add a top-level `write:` with method and url",
            )
        common: dict[str, Any] = {
            "cluster_id": cluster.id,
            "cluster": cluster.name,
            "id": info.id,
            "name": info.name,
            "hex_id": hex_id(info.id, 2),
            "fields": fields,
            "source": self.source(path),
            "description": binding.description,
        }
        if binding.write is not None and binding.step is None:
            writes = []
            for target, value in binding.write.items():
                attr = self.write_target(cluster, target, all_attributes, (*path, "write", target))
                if attr is None:
                    continue
                source_value = self.write_value(value, field_names, info.name, attr, (*path, "write", target))
                if source_value is not MISSING:
                    writes.append(Write(attr, source_value))
            return CommandIR(action=WriteCommand(tuple(writes)), **common)
        if binding.toggle is not None:
            attr = self.write_target(cluster, binding.toggle, all_attributes, (*path, "toggle"))
            if attr is None:
                return None
            if attr.type.kind != "bool":
                self.report("type-mismatch", f"toggle needs a boolean attribute; {attr.name} is {attr.type.base}", path)
            return CommandIR(action=ToggleCommand(attr), **common)
        if binding.step is not None:
            specs = binding.step if isinstance(binding.step, list) else [binding.step]
            step_paths = [
                (*path, "step", i) if isinstance(binding.step, list) else (*path, "step") for i in range(len(specs))
            ]
            steps = [
                self.step(
                    cluster,
                    name=name,
                    spec=spec,
                    path=spath,
                    field_names=field_names,
                    all_attributes=all_attributes,
                )
                for spec, spath in zip(specs, step_paths, strict=True)
            ]
            if any(s is None for s in steps) or not steps:
                return None
            built = tuple(s for s in steps if s is not None)
            writes = []
            for target, value in (binding.write or {}).items():
                attr = self.write_target(cluster, target, all_attributes, (*path, "write", target))
                if attr is None:
                    continue
                source_value = self.write_value(value, field_names, info.name, attr, (*path, "write", target))
                if source_value is not MISSING:
                    writes.append(Write(attr, source_value))
            return CommandIR(action=StepCommand(built, tuple(writes)), **common)
        assert binding.request is not None
        return self.request_command(binding.request, path, field_names, common)

    def step(
        self,
        cluster: ClusterInfo,
        *,
        name: str,
        spec: m.StepSpec,
        path: DocPath,
        field_names: set[str],
        all_attributes: dict[tuple[str, str], AttributeIR],
    ) -> StepIR | None:
        attr = self.write_target(cluster, spec.attribute, all_attributes, (*path, "attribute"))
        for key in ("direction", "size"):
            field_name = getattr(spec, key)
            if field_name is not None and field_name not in field_names:
                self.report(
                    "unknown-field",
                    f"{name} has no field {field_name!r}",
                    (*path, key),
                    did_you_mean(self.catalog.suggest(field_name, sorted(field_names))),
                )
        if attr is None:
            return None
        if spec.wrap and (attr.type.minimum is None or attr.type.maximum is None):
            self.report("bad-step", f"{attr.name} has no bounded range to wrap around", (*path, "wrap"))
        for field_name in spec.only_if:
            if field_name not in field_names:
                self.report("unknown-field", f"{name} has no field {field_name!r}", (*path, "only_if", field_name))
        only_if = tuple((k, tuple(v)) for k, v in spec.only_if.items())
        on_off = None
        minimum = attr.type.minimum or 0
        if spec.on_off is not None:
            on_off = self.write_target(cluster, spec.on_off, all_attributes, (*path, "on_off"))
            if on_off is not None and on_off.type.kind != "bool":
                self.report(
                    "type-mismatch", f"on_off needs a boolean attribute; {on_off.name} is not", (*path, "on_off")
                )
            floor = all_attributes.get((attr.cluster, "MinLevel"))
            if floor is not None:
                match floor.reads:
                    case ConstSource(value=int() | float() as floor_value):
                        minimum = floor_value
        direction = None
        if spec.direction is not None and spec.up is not None and spec.down is not None:
            direction = StepDirection(spec.direction, spec.up, spec.down)
        return StepIR(attr, direction, spec.size, spec.wrap, spec.factor, only_if, on_off, minimum)

    def request_command(
        self, request: m.RequestSpec, path: DocPath, field_names: set[str], common: dict[str, Any]
    ) -> CommandIR | None:
        encoding = self.mapping.write
        method = request.method or (encoding.method if encoding else None)
        url = request.url or (encoding.url if encoding else None)
        if method is None or url is None:
            self.report(
                "missing-write-encoding",
                "a request needs a method and url, here or in the top-level `write:`",
                path,
            )
            return None
        body, url_template = compile_body(request.body), compile_url(url)
        for state in body.states:
            self.vendor_path(state.text, (*path, "request", "body"))
        for ref in (body.fields | url_template.fields) - {"device_id"}:
            if ref not in field_names:
                self.report(
                    "unknown-field",
                    f"{common['name']} has no field {ref!r}",
                    (*path, "request"),
                    did_you_mean(self.catalog.suggest(ref, sorted(field_names))),
                )
        chains = []
        for field_name, steps in request.fields.items():
            if field_name not in field_names:
                self.report("unknown-field", f"{common['name']} has no field {field_name!r}", (*path, "request"))
                continue
            chain = self.chain(steps, (*path, "request", "fields", field_name), None, None)
            if chain is not None:
                chains.append((field_name, chain))
        return CommandIR(action=RequestCommand(RequestIR(method, url_template, body, tuple(chains))), **common)

    def field(self, cluster: ClusterInfo, command: CommandInfo, info: Any) -> FieldIR:
        mtype = _matter_type(cluster, info, self.catalog.field_range(cluster.name, command.name, info.name))
        return FieldIR(info.id, info.name, mtype, optional=not str(info.conformance).startswith("M"))

    def write_target(
        self,
        cluster: ClusterInfo,
        target: str,
        all_attributes: dict[tuple[str, str], AttributeIR],
        path: DocPath,
    ) -> AttributeIR | None:
        cluster_name, _, attr_name = target.rpartition(".")
        cluster_name = cluster_name or cluster.name
        attr = all_attributes.get((cluster_name, attr_name))
        if attr is not None:
            if not attr.any_writable:
                self.report(
                    "read-only-write-target",
                    f"{target} is {attr.unwritable_reason} here and cannot be written",
                    path,
                )
                return None
            return attr
        target_cluster = self.catalog.cluster(cluster_name)
        exists = target_cluster is not None and target_cluster.attribute(attr_name) is not None
        if exists:
            self.report(
                "unbound-write-target",
                f"the command writes {target}, but the mapping binds no vendor path to it",
                path,
                f"add an attribute binding for {attr_name} under {cluster_name}",
            )
        else:
            names = [a.name for a in target_cluster.attributes] if target_cluster else []
            self.report(
                "unknown-attribute",
                f"{cluster_name} has no attribute {attr_name!r}",
                path,
                did_you_mean(self.catalog.suggest(attr_name, names)),
            )
        return None

    def write_value(
        self,
        value: Any,
        field_names: set[str],
        owner: str,
        attr: AttributeIR,
        path: DocPath,
        *,
        noun: str = "field",
    ) -> Any:
        """A literal Matter value checked against the attribute's type, or a `$Field` reference."""
        name = field_reference(value)
        if name is not None:
            if name not in field_names:
                self.report(
                    "unknown-field",
                    f"{owner} has no {noun} {name!r}",
                    path,
                    did_you_mean(self.catalog.suggest(name, sorted(field_names))),
                )
                return MISSING
            return FieldRef(name)
        if isinstance(value, str) and value.startswith("$$"):
            value = value[1:]
        value = enum_constant(value, attr.type)
        problem = constant_problem(value, attr.type)
        if problem:
            self.report("const-out-of-range", f"value {value!r} for {attr.name}: {problem}", path)
            return MISSING
        return value

    # --- commands the device sends --------------------------------------------------------------------

    def command_request(
        self, cluster: ClusterInfo, binding: m.CommandRequestBinding, path: DocPath
    ) -> CommandRequestIR | None:
        info = cluster.command(binding.command)
        if info is None or info.direction != "request":
            known = [c.name for c in cluster.commands if c.direction == "request"]
            self.report(
                "unknown-command",
                f"{cluster.name} has no command {binding.command!r}",
                (*path, "command"),
                did_you_mean(self.catalog.suggest(binding.command, known)),
            )
            return None
        when = self.rule(binding.when, (*path, "when"))
        specs = {f.name: self.field(cluster, info, f) for f in info.fields}
        fields = []
        for name, spec in binding.fields.items():
            fpath = (*path, "fields", name)
            field_ir = specs.get(name)
            if field_ir is None:
                self.report(
                    "unknown-field",
                    f"{info.name} has no field {name!r}",
                    fpath,
                    did_you_mean(self.catalog.suggest(name, list(specs))),
                )
                continue
            if spec.path is None:
                const = enum_constant(spec.const, field_ir.type)
                problem = constant_problem(const, field_ir.type)
                if problem:
                    self.report("const-out-of-range", f"constant {spec.const!r} for {name}: {problem}", fpath)
                fields.append(
                    RequestFieldIR(
                        field_ir.id, name, hex_id(field_ir.id), field_ir.type, ConstSource(const), Chain((), t.Loss())
                    )
                )
                continue
            vendor = self.vendor_path(spec.path, (*fpath, "path"))
            chain = self.chain(spec.transforms, (*fpath, "transforms"), field_ir.type, cluster)
            if vendor is not None and chain is not None:
                fields.append(
                    RequestFieldIR(field_ir.id, name, hex_id(field_ir.id), field_ir.type, PathSource(vendor), chain)
                )
        for field_ir in specs.values():
            if not field_ir.optional and field_ir.name not in binding.fields:
                self.report(
                    "missing-field",
                    f"{info.name} needs the field {field_ir.name!r}",
                    (*path, "fields") if binding.fields else path,
                    f"add `{field_ir.name}: {{path: ...}}` or `{{const: ...}}` under fields",
                )
        if when is None:
            return None
        return CommandRequestIR(
            cluster_id=cluster.id,
            cluster=cluster.name,
            id=info.id,
            name=info.name,
            hex_id=hex_id(info.id, 2),
            when=when,
            fields=tuple(fields),
            source=self.source(path),
        )

    # --- events --------------------------------------------------------------------------------------

    def event(self, cluster: ClusterInfo, binding: m.EventBinding, path: DocPath) -> EventIR | None:
        info = cluster.event(binding.event)
        if info is None:
            self.report(
                "unknown-event",
                f"{cluster.name} has no event {binding.event!r}",
                (*path, "event"),
                did_you_mean(self.catalog.suggest(binding.event, [e.name for e in cluster.events])),
            )
            return None
        when = self.rule(binding.when, (*path, "when"))
        fields = []
        for name, spec in binding.fields.items():
            fpath = (*path, "fields", name)
            field_info = next((f for f in info.fields if f.name == name), None)
            if field_info is None:
                self.report(
                    "unknown-field",
                    f"event {info.name} has no field {name!r}",
                    fpath,
                    did_you_mean(self.catalog.suggest(name, [f.name for f in info.fields])),
                )
                continue
            vendor = self.vendor_path(spec.path, (*fpath, "path")) if spec.path else None
            ftype = _matter_type(cluster, field_info, None)
            chain = self.chain(spec.transforms, (*fpath, "transforms"), ftype, cluster)
            if chain is None:
                continue
            reads: FieldSource = PathSource(vendor) if vendor is not None else ConstSource(spec.const)
            fields.append(EventFieldIR(field_info.id, field_info.name, hex_id(field_info.id), reads, chain))
        if when is None:
            return None
        return EventIR(
            cluster_id=cluster.id,
            cluster=cluster.name,
            id=info.id,
            name=info.name,
            hex_id=hex_id(info.id, 2),
            when=when,
            fields=tuple(fields),
            source=self.source(path),
        )


# --- helpers -------------------------------------------------------------------------------------------


def link(document: LoadedDocument, mapping: m.Mapping, catalog: Catalog, sha256: str) -> CompiledMapping:
    """Build the compiled mapping, or raise MappingError with every problem found."""
    compiled, _ = link_with_warnings(document, mapping, catalog, sha256)
    return compiled


def link_with_warnings(
    document: LoadedDocument, mapping: m.Mapping, catalog: Catalog, sha256: str
) -> tuple[CompiledMapping, list[Diagnostic]]:
    linker = Linker(document, mapping, catalog, sha256)
    compiled = linker.link()
    return compiled, linker.warnings()


def _same_refs(vendor_range: tuple[Any, Any] | None, linear: t.Linear) -> bool:
    """Whether a declared range is exactly the per-device ends a linear transform reads."""
    if vendor_range is None:
        return False
    ends = (linear.vendor_lo, linear.vendor_hi)
    return all(
        isinstance(a, t.Ref) and isinstance(b, t.Ref) and a.path.text == b.path.text
        for a, b in zip(sorted(vendor_range, key=_ref_text), sorted(ends, key=_ref_text), strict=True)
    )


def _ref_text(value: Any) -> str:
    return value.path.text if isinstance(value, t.Ref) else repr(value)


def output_kind(transforms: Iterable[t.Transform]) -> str | None:
    """The JSON kind a chain produces (bool, int, float), or None when not statically known."""
    kind: str | None = None
    for transform in transforms:
        kind = transform.output_kind(kind)
    return kind


def chain_loss(transforms: Sequence[t.Transform]) -> t.Loss:
    """Compose per-transform losses into vendor units (get-put) and Matter units (put-get)."""
    vendor = 0.0
    slope_before = 1.0
    for transform in transforms:
        vendor += transform.loss.vendor / slope_before
        slope_before *= transform.slope
    matter = 0.0
    slope_after = 1.0
    for transform in reversed(transforms):
        matter += transform.loss.matter * slope_after
        slope_after *= transform.slope
    return t.Loss(vendor=vendor, matter=matter)


def _matter_type(cluster: ClusterInfo, info: Any, bounds: tuple[float, float] | None) -> MatterType:
    """The Matter type of a catalog attribute or field: JSON kind, nullability, range and enum members."""
    enum = cluster.enum(info.type) or {}
    return MatterType(
        kind=_kind(info.base),
        base=info.base,
        nullable=info.nullable,
        minimum=bounds[0] if bounds else None,
        maximum=bounds[1] if bounds else None,
        enum=tuple(sorted(enum.items(), key=lambda kv: kv[1])),
    )


def _kind(base: str) -> str:
    """The JSON kind of a catalog base type; deprecated untyped elements take any value."""
    return json_kind(base) if base else "any"


def _display_name(name: str) -> str:
    """`ExtendedColorLight` → `Extended Color Light` (the spelling capability reports use)."""
    if " " in name:
        return name
    spaced = re.sub(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])", " ", name)
    return spaced.replace("On Off", "On/Off")
