"""Markdown pages of shipped mappings: per Matter attribute and command, the vendor side, both directions, the loss
and the range proof, plus the device-type coverage. One page per vendor; the text is deterministic."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from matter_map import transforms as t
from matter_map.catalog import Catalog
from matter_map.coverage import Status, check_mapping
from matter_map.ir import (
    AttributeIR,
    CommandIR,
    CompiledMapping,
    ConstSource,
    FieldRef,
    RequestCommand,
    RequestIR,
    StepCommand,
    StructSource,
    ToggleCommand,
    WriteCommand,
)
from matter_map.rules_explain import describe_rule
from matter_map.values import fmt_number

__all__ = ["render_vendor_page", "write_pages"]


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def chain_text(transforms: Sequence[t.Transform]) -> tuple[str, str]:
    if not transforms:
        return "as is", "as is"
    described = [x.describe() for x in transforms]
    forward = " → ".join(f for f, _ in described)
    inverse = " → ".join(i for _, i in reversed(described))
    return forward, inverse


def range_proof(attr: AttributeIR) -> str:
    mtype = attr.type
    if mtype.kind not in ("int", "float") or mtype.minimum is None or mtype.maximum is None:
        return "n/a"
    constraint = f"{fmt_number(mtype.minimum)}..{fmt_number(mtype.maximum)}"
    if isinstance(attr.reads, ConstSource):
        const = attr.reads.value
        return f"constant within {constraint}" if const is None or _within(const, mtype) else "outside!"
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
    if isinstance(attr.reads, ConstSource) or (loss.vendor == 0 and loss.matter == 0):
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
        if isinstance(binding.reads, ConstSource):
            yield [name, f"{guard}constant `{binding.reads.value!r}`", "—", "—", "none", range_proof(binding)]
        elif isinstance(binding.reads, StructSource):  # a struct built field by field
            for spec in binding.reads.fields:
                source = (
                    f"constant `{spec.reads.value!r}`"
                    if isinstance(spec.reads, ConstSource)
                    else f"`{spec.reads.path}`"
                )
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
    body = "" if request.body.raw is None else f" `{_compact(request.body.raw)}`"
    return f"{request.method} `{request.url.raw}`{body}"


def _compact(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(", ", ": "))


def command_row(command: CommandIR) -> list[str]:
    match command.action:
        case WriteCommand(writes=writes):
            target = ", ".join(
                f"{w.attribute.name} ← {('$' + w.value.name) if isinstance(w.value, FieldRef) else repr(w.value)}"
                for w in writes
            )
            what = f"writes {target}"
        case ToggleCommand(attribute=attribute):
            what = f"flips {attribute.name} (needs the state)"
        case StepCommand(steps=steps):
            parts = []
            for step in steps:
                by = step.direction
                sign = f"±{step.size} by {by.field}" if by is not None else f"+{step.size} (signed)"
                factor = f" × {fmt_number(step.factor)}" if step.factor != 1 else ""
                only = "".join(f" when {f} in {list(v)}" for f, v in step.only_if)
                wrap = ", wrapping" if step.wrap else ""
                parts.append(f"{step.attribute.name} {sign}{factor}{wrap}{only}")
            what = "steps " + "; ".join(parts) + " (needs the state)"
        case RequestCommand(request=request):
            fields = "; ".join(f"{name}: {chain_text(chain.transforms)[1]}" for name, chain in request.field_chains)
            what = _request_text(request) + (f" — fields: {fields}" if fields else "")
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
    if (write := compiled.write) is not None:
        lines.append(f"- Writes: {write.method} `{compiled.base_url}{write.url}` ({write.body.runtime_name})")
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
