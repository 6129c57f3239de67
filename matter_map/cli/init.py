"""`matter-map init VENDOR KIND SAMPLE.json`: draft a mapping from a sample payload, ready to validate and test."""

from __future__ import annotations

import argparse
import re
from pathlib import Path
from typing import Any

from matter_map.cli._io import InputProblemError, read_json
from matter_map.cli._output import output_of

_NAME = re.compile(r"[a-z][a-z0-9_]*")


def register(sub: Any) -> None:
    p = sub.add_parser(
        "init",
        help="draft a mapping from one sample vendor payload (fields recognised by name, value kind and range)",
        epilog="then: matter-map validate FILE; matter-map test FILE; edit the write endpoint and what was not bound",
    )
    p.add_argument("vendor", metavar="VENDOR", help="vendor name, lower case with underscores (e.g. acme)")
    p.add_argument("kind", metavar="KIND", help="device kind, lower case with underscores (e.g. smart_plug)")
    p.add_argument("sample", metavar="SAMPLE.json", help="one device's state as the vendor's cloud returns it")
    p.add_argument(
        "--device-type",
        metavar="NAME",
        help="Matter device type of the first endpoint (default: chosen from what was bound, e.g. DimmableLight)",
    )
    p.add_argument(
        "-o",
        "--output",
        metavar="FILE",
        help="where to write the mapping (default: mappings/VENDOR/KIND.yaml; - for stdout)",
    )
    p.add_argument("--force", action="store_true", help="overwrite an existing file")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from matter_map.drafting import DraftingError, draft_mapping

    output = output_of(args)
    for role, value in (("VENDOR", args.vendor), ("KIND", args.kind)):
        if not _NAME.fullmatch(value):
            raise InputProblemError(f"{role} {value!r}: use lower case letters, digits and underscores (e.g. acme)")
    sample = read_json(args.sample, role="sample vendor JSON")
    device_type = _device_type(args.device_type) if args.device_type else None
    try:
        draft = draft_mapping(args.vendor, args.kind, sample, device_type=device_type, source=Path(args.sample).name)
    except DraftingError as exc:
        raise InputProblemError(f"{args.sample}: {exc}") from None
    target = Path(args.output or f"mappings/{args.vendor}/{args.kind}.yaml")
    if args.output == "-":
        output.out.write(draft.text)
        return 0
    if target.exists() and not args.force:
        raise InputProblemError(f"{target} exists: pass --force to overwrite it, or -o another file")
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(draft.text, encoding="utf-8")

    def human() -> str:
        width = max(len(f"{b.cluster}.{b.attribute}") for b in draft.bindings)
        lines = [f"wrote {target}: {', '.join(draft.device_types)}, {len(draft.bindings)} binding(s) found"]
        lines += [f"  {f'{b.cluster}.{b.attribute}'.ljust(width)}  ← {b.path}  ({b.evidence})" for b in draft.bindings]
        lines += [f"  device id ← {draft.id_path}"]
        lines += [f"  note: {n}" for n in draft.notes]
        lines += ["next:", f"  matter-map validate {target}", f"  matter-map test {target}"]
        return "\n".join(lines)

    output.result({"ok": True, "file": str(target), **draft.as_json()}, human)
    return 0


def _device_type(name: str) -> str:
    from matter_map.catalog import load_catalog
    from matter_map.diagnostics import did_you_mean

    catalog = load_catalog()
    found = catalog.device_type(name)
    if found is None:
        hint = did_you_mean(catalog.suggest(name, [d.name for d in catalog.device_types]))
        raise InputProblemError(f"no Matter device type {name!r}" + (f" ({hint})" if hint else ""))
    return found.name
