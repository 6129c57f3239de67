"""Markdown pages of shipped mappings: per Matter attribute and command, the vendor side, both directions, the loss
and the range proof, plus the device-type coverage. One page per vendor; the text is deterministic."""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from matter_map import transforms as t
from matter_map.catalog import Catalog
from matter_map.coverage import Status, check_mapping
from matter_map.ir import AttributeIR, CommandIR, CompiledMapping, RequestIR
from matter_map.paths import MISSING
from matter_map.rules_explain import describe_rule
from matter_map.values import fmt_number

__all__ = ["render_vendor_page", "write_pages"]


def _num(value: Any) -> str:
    if isinstance(value, t.Ref):
        return f"`{value.path}`"
    if isinstance(value, float) and math.isinf(value):
        return "−∞" if value < 0 else "∞"
    if isinstance(value, int | float) and not isinstance(value, bool):
        return fmt_number(value)
    return f"`{value!r}`"


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def describe_transform(transform: t.Transform) -> tuple[str, str]:
    """(vendor → Matter, Matter → vendor) in a few words."""
    if isinstance(transform, t.Linear):
        span = f"{_num(transform.vendor_lo)}..{_num(transform.vendor_hi)}"
        matter = f"{_num(transform.matter_lo)}..{_num(transform.matter_hi)}"
        return (
            f"linear {span} → {matter} ({transform.rounding})",
            f"linear {matter} → {span} ({transform.vendor_rounding})",
        )
    if isinstance(transform, t.Scale):
        offset = f" + {_num(transform.offset)}" if transform.offset else ""
        back = f"(x − {_num(transform.offset)})" if transform.offset else "x"
        return (
            f"× {_num(transform.factor)}{offset} ({transform.rounding})",
            f"{back} ÷ {_num(transform.factor)} ({transform.vendor_rounding})",
        )
    if isinstance(transform, t.Reciprocal):
        n = _num(transform.numerator)
        return f"{n} ÷ x ({transform.rounding})", f"{n} ÷ x ({transform.vendor_rounding})"
    if isinstance(transform, t.Clamp):
        within = f" within {_num(transform.within[0])}..{_num(transform.within[1])}" if transform.within else ""
        text = f"clamp {_num(transform.lo)}..{_num(transform.hi)}{within}"
        return text, text
    if isinstance(transform, t.Invert):
        return f"{_num(transform.maximum)} − x", f"{_num(transform.maximum)} − x"
    if isinstance(transform, t.EnumTable):
        pairs = ", ".join(f"{v!r}→{m!r}" for v, m in transform.to_matter)
        aliases = f"; aliases {', '.join(f'{a!r}→{c!r}' for a, c in transform.aliases)}" if transform.aliases else ""
        default = f"; else {transform.default!r}" if transform.default is not MISSING else ""
        back = ", ".join(f"{m!r}→{v!r}" for v, m in transform.to_matter)
        return f"enum {pairs}{aliases}{default}", f"enum {back}"
    if isinstance(transform, t.BoolMap):
        return (
            f"bool {transform.true!r}→true, {transform.false!r}→false",
            f"bool true→{transform.true!r}, false→{transform.false!r}",
        )
    if isinstance(transform, t.JsonString):
        return "JSON text → value (objects pass through)", "value → JSON text (or an object, as the vendor had it)"
    if isinstance(transform, t.Field):
        defaults = f", starting from {dict(transform.defaults)}" if transform.defaults else ""
        return f"member `{transform.key}`", f"set member `{transform.key}`, keep the others{defaults}"
    if isinstance(transform, t.Temperature):
        return (
            f"°{transform.unit} → 0.01 °C ({transform.rounding})",
            f"0.01 °C → °{transform.unit} ({transform.vendor_rounding})",
        )
    if isinstance(transform, t.CieXy):
        return "× 65536, at most 65279", f"÷ 65536, {transform.digits} digits"
    if isinstance(transform, t.Decimal):
        return (
            f"÷ 10^{_num(transform.scale)}",
            f"× 10^{_num(transform.scale)}, snapped to step {_num(transform.step)}",
        )
    if isinstance(transform, t.Format):
        shape = f"`{transform.prefix}…{transform.suffix}`"
        return f"number in {shape}", f"{shape} with {transform.digits} decimals"
    name = type(transform).__name__  # pragma: no cover - every shipped transform is described above
    return name, f"{name}⁻¹"  # pragma: no cover


def chain_text(transforms: Sequence[t.Transform]) -> tuple[str, str]:
    if not transforms:
        return "as is", "as is"
    described = [describe_transform(x) for x in transforms]
    forward = " → ".join(f for f, _ in described)
    inverse = " → ".join(i for _, i in reversed(described))
    return forward, inverse


def range_proof(attr: AttributeIR) -> str:
    mtype = attr.type
    if mtype.kind not in ("int", "float") or mtype.minimum is None or mtype.maximum is None:
        return "n/a"
    constraint = f"{fmt_number(mtype.minimum)}..{fmt_number(mtype.maximum)}"
    if attr.is_const:
        return f"constant within {constraint}" if attr.const is None or _within(attr.const, mtype) else "outside!"
    domain = None
    if attr.vendor_range and all(isinstance(v, int | float) for v in attr.vendor_range):
        domain = (min(attr.vendor_range), max(attr.vendor_range))
    image = domain
    for transform in attr.chain.transforms:
        image = transform.image(image)
    if image is None:
        return f"unproven (per-device range) vs {constraint}"
    ok = mtype.minimum <= image[0] and image[1] <= mtype.maximum
    return f"{fmt_number(image[0])}..{fmt_number(image[1])} ⊆ {constraint}" + ("" if ok else " — NOT within")


def _within(value: Any, mtype: Any) -> bool:
    return not isinstance(value, int | float) or mtype.minimum <= value <= mtype.maximum


def loss_text(attr: AttributeIR) -> str:
    loss = attr.chain.loss
    if attr.is_const or (loss.vendor == 0 and loss.matter == 0):
        return "none"
    return f"vendor ±{fmt_number(round(loss.vendor, 6))}, Matter ±{fmt_number(round(loss.matter, 6))}"


def attribute_rows(attr: AttributeIR) -> Iterable[list[str]]:
    binding: AttributeIR | None = attr
    first = True
    while binding is not None:
        name = f"{attr.name}" if first else "↳ otherwise"
        guard = (
            f"when {describe_rule(binding.when)}; "
            if binding.when is not None and binding.otherwise is not None
            else ""
        )
        if binding.is_const:
            yield [name, f"{guard}constant `{binding.const!r}`", "—", "—", "none", range_proof(binding)]
        elif binding.fields:  # a struct built field by field
            for spec in binding.fields:
                source = f"constant `{spec.const!r}`" if spec.path is None else f"`{spec.path}`"
                forward, _ = chain_text(spec.chain.transforms)
                yield [f"{name}.{spec.name}", f"{guard}{source} (read-only)", forward, "—", "—", "n/a"]
        else:
            forward, inverse = chain_text(binding.chain.transforms)
            flags = [x for x in ("optional" if binding.optional else "", "read-only" if binding.read_only else "") if x]
            extra = f" ({', '.join(flags)})" if flags else ""
            write = f"; writes: {_request_text(binding.write)}" if binding.write is not None else ""
            vendor = f"{guard}`{binding.path}`{extra}{write}"
            yield [
                name,
                vendor,
                forward,
                inverse if not binding.read_only else "—",
                loss_text(binding),
                range_proof(binding),
            ]
        if binding.description and first:
            yield ["", f"_{binding.description}_", "", "", "", ""]
        first = False
        binding = binding.otherwise


def _request_text(request: RequestIR) -> str:
    body = "" if request.body is None else f" `{_compact(request.body)}`"
    return f"{request.method} `{request.url}`{body}"


def _compact(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(", ", ": "))


def command_row(command: CommandIR) -> list[str]:
    if command.kind == "write":
        target = ", ".join(
            f"{w.attribute.name} ← {('$' + w.value.name) if hasattr(w.value, 'name') else repr(w.value)}"
            for w in command.writes
        )
        what = f"writes {target}"
    elif command.kind == "toggle" and command.toggle is not None:
        what = f"flips {command.toggle.name} (needs the state)"
    elif command.kind == "step":
        parts = []
        for step in command.steps or ((command.step,) if command.step else ()):
            sign = f"±{step.size} by {step.direction}" if step.direction else f"+{step.size} (signed)"
            factor = f" × {fmt_number(step.factor)}" if step.factor != 1 else ""
            only = "".join(f" when {f} in {list(v)}" for f, v in step.only_if)
            wrap = ", wrapping" if step.wrap else ""
            parts.append(f"{step.attribute.name} {sign}{factor}{wrap}{only}")
        what = "steps " + "; ".join(parts) + " (needs the state)"
    else:
        assert command.request is not None
        fields = "; ".join(f"{name}: {chain_text(chain.transforms)[1]}" for name, chain in command.request.field_chains)
        what = _request_text(command.request) + (f" — fields: {fields}" if fields else "")
    return [command.name, what, command.description or ""]


def table(header: Sequence[str], rows: Iterable[Sequence[str]]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(_cell(c) for c in row) + " |" for row in rows]
    return lines


def render_mapping(compiled: CompiledMapping, catalog: Catalog, source: str) -> list[str]:
    report = check_mapping(compiled, catalog)
    summary = report.summary()
    lines = [
        f"## {compiled.kind}",
        "",
        f"{compiled.title}. Source: `{source}`.",
        "",
        f"- Recognised when: {describe_rule(compiled.match)}",
        f"- Device id: `{compiled.device_id}`" + (f"; name: `{compiled.device_name}`" if compiled.device_name else ""),
    ]
    if compiled.write is not None:
        lines.append(
            f"- Writes: {compiled.write.method} `{compiled.base_url}{compiled.write.url}` ({compiled.write.body})"
        )
    lines.append(
        f"- Coverage: {summary['mapped']} elements mapped; {summary['missing']} mandatory missing, "
        f"{summary['unavailable']} unavailable from the vendor, {summary['exempt']} not applicable over C2C, "
        f"{summary['optional']} optional not mapped"
    )
    for endpoint in compiled.endpoints:
        types = ", ".join(name for _, name in endpoint.device_types)
        lines += ["", f"### Endpoint {endpoint.id}: {types}"]
        for cluster in endpoint.clusters:
            features = f" (features {', '.join(cluster.features)})" if cluster.features else ""
            lines += ["", f"#### {cluster.name}{features}, revision {cluster.revision}", ""]
            if cluster.attributes:
                header = ["Attribute", "Vendor", "Vendor → Matter", "Matter → vendor", "Declared loss", "Range proof"]
                lines += table(header, [row for a in cluster.attributes for row in attribute_rows(a)])
            if cluster.commands:
                lines += [
                    "",
                    *table(["Command", "Vendor request", "Notes"], [command_row(c) for c in cluster.commands]),
                ]
            if cluster.unavailable:
                lines += ["", "Unavailable from the vendor:", ""]
                lines += [f"- {name}: {reason}" for name, reason in cluster.unavailable]
    exempt = sorted(
        {f"{r.cluster}{'' if r.kind == 'cluster' else '.' + r.name}" for r in report.rows if r.status is Status.EXEMPT}
    )
    if exempt:
        lines += ["", f"Not applicable over C2C (see docs/conformance.md): {', '.join(exempt)}."]
    return lines


def render_vendor_page(vendor: str, mappings: Sequence[tuple[CompiledMapping, str]], catalog: Catalog) -> str:
    lines = [
        f"# {vendor} mappings",
        "",
        "Generated by `matter-map docs` from the mapping files; do not edit. Each table reads one Matter element:",
        "the vendor path or request, the transforms both ways, the loss they declare (vendor units for a read",
        "then write, Matter units for a write then read) and the proof that values stay within the Matter",
        "constraint.",
    ]
    for compiled, source in sorted(mappings, key=lambda m: m[0].kind):
        lines += ["", *render_mapping(compiled, catalog, source)]
    return "\n".join(lines) + "\n"


def write_pages(mappings: Sequence[tuple[CompiledMapping, str]], catalog: Catalog, out: Path) -> list[Path]:
    """One page per vendor (`<vendor>.md`) plus `README.md` listing them; returns the files written."""
    by_vendor: dict[str, list[tuple[CompiledMapping, str]]] = {}
    for compiled, source in mappings:
        by_vendor.setdefault(compiled.vendor, []).append((compiled, source))
    out.mkdir(parents=True, exist_ok=True)
    written = []
    index = ["# Vendor mappings", "", "Generated by `matter-map docs`; do not edit.", ""]
    for vendor in sorted(by_vendor):
        page = out / f"{vendor}.md"
        page.write_text(render_vendor_page(vendor, by_vendor[vendor], catalog), encoding="utf-8")
        written.append(page)
        kinds = ", ".join(sorted(m.kind for m, _ in by_vendor[vendor]))
        index.append(f"- [{vendor}]({vendor}.md): {kinds}")
    readme = out / "README.md"
    readme.write_text("\n".join(index) + "\n", encoding="utf-8")
    return [*written, readme]
