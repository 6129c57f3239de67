"""`matter-map schema mapping|vendor MAPPING|capability NAME`: the language's schema, or a generated one."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from matter_map.cli._io import InputProblemError, compile_all


def register(sub: Any) -> None:
    p = sub.add_parser("schema", help="print a generated schema: a mapping's vendor payload, or an AWS capability")
    kinds = p.add_subparsers(dest="schema_kind", required=True, metavar="KIND")

    s = kinds.add_parser(
        "mapping",
        help="JSON Schema of the mapping language, for editors "
        "(`matter-map schema mapping > mapping.schema.json`, then `# yaml-language-server: $schema=...`)",
    )
    s.set_defaults(run=mapping)

    v = kinds.add_parser("vendor", help="JSON Schema (draft 2020-12) of the vendor JSON a mapping reads")
    v.add_argument("mapping", metavar="MAPPING", help="mapping file (.yaml)")
    v.add_argument("--partial", action="store_true", help="the schema of partial updates (event payloads)")
    v.set_defaults(run=vendor)

    c = kinds.add_parser("capability", help="AWS capability schema document (GetSchemaVersion format)")
    c.add_argument(
        "name", nargs="?", help="Matter cluster (ColorControl, matter.ColorControl, 0x0300) or custom hue.Effects"
    )
    c.add_argument("--spec-version", help="the version in `$id` (matter.OnOff@1.4); default: NAME's, or 1.4")
    c.add_argument("--mapping", help="mapping file that declares a custom capability named by NAME")
    c.add_argument("--all", action="store_true", help="every catalog cluster, as one JSON list")
    c.set_defaults(run=capability)


def mapping(args: argparse.Namespace) -> int:
    from importlib.resources import files

    sys.stdout.write(files("matter_map").joinpath("data", "mapping.schema.json").read_text(encoding="utf-8"))
    return 0


def vendor(args: argparse.Namespace) -> int:
    from matter_map import vendor_schema

    mappings = compile_all(args.mapping)
    if len(mappings) != 1:
        raise InputProblemError(f"{args.mapping} holds {len(mappings)} mappings: name one mapping file")
    derived = vendor_schema.derive(mappings[0])
    sys.stdout.write(vendor_schema.dumps(derived.document(args.partial)))
    return 0


def capability(args: argparse.Namespace) -> int:
    from matter_map import capability_schema
    from matter_map.catalog import load_catalog

    if args.all:
        catalog = load_catalog()
        documents = [
            capability_schema.cluster_document(c.id, spec_version=args.spec_version or "1.4", catalog=catalog)
            for c in capability_schema.clusters_of(catalog)
        ]
        sys.stdout.write(capability_schema.dumps({"capabilities": documents}))
        return 0
    if not args.name:
        raise InputProblemError("name a capability (ColorControl, hue.Effects) or pass --all")
    name: str = args.name
    if args.mapping:
        return _custom(name, args.mapping)
    cluster, _, named_version = name.partition("@")
    cluster = cluster.removeprefix("matter.")
    spec_version = args.spec_version or named_version or "1.4"
    try:
        document = capability_schema.cluster_document(cluster, spec_version=spec_version)
    except capability_schema.UnknownClusterError as exc:
        hint = "" if "." not in cluster else "; a custom capability needs --mapping FILE"
        raise InputProblemError(f"{exc.args[0]}{hint}") from None
    sys.stdout.write(capability_schema.dumps(document))
    return 0


def _custom(name: str, mapping: str) -> int:
    from matter_map import capability_schema

    wanted = name.split("@", maxsplit=1)[0]
    found = [
        c
        for compiled in compile_all(mapping)
        for endpoint in compiled.endpoints
        for c in endpoint.capabilities
        if f"{c.namespace}.{c.cluster.name}" == wanted
    ]
    if not found:
        raise InputProblemError(f"{mapping} declares no custom capability {wanted!r}")
    sys.stdout.write(capability_schema.dumps(capability_schema.capability_document(found[0])))
    return 0
