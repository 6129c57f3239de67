"""`matter-map catalog [NAME_OR_ID]`: the clusters and device types of the catalog, or one of them in full."""

from __future__ import annotations

import argparse
from dataclasses import asdict
from typing import Any

from matter_map.cli._io import InputProblemError
from matter_map.cli._output import output_of, table


def register(sub: Any) -> None:
    p = sub.add_parser("catalog", help="the Matter catalog: every cluster and device type, or one of them in full")
    p.add_argument(
        "name", nargs="?", metavar="NAME", help="cluster or device type, by name or id (e.g. LevelControl, 0x0008)"
    )
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from matter_map.catalog import load_catalog
    from matter_map.diagnostics import did_you_mean

    output = output_of(args)
    catalog = load_catalog()
    if args.name is None:
        clusters = [{"id": f"0x{c.id:04X}", "name": c.name} for c in catalog.clusters]
        device_types = [{"id": f"0x{d.id:04X}", "name": d.name} for d in catalog.device_types]
        summary = {
            "source": catalog.source,
            "clusters": len(clusters),
            "device_types": len(device_types),
            "cluster_names": clusters,
            "device_type_names": device_types,
        }

        def human() -> str:
            rows = [(c["id"], c["name"]) for c in clusters]
            types = [(d["id"], d["name"]) for d in device_types]
            return "\n\n".join(
                [
                    f"{len(clusters)} clusters, {len(device_types)} device types "
                    f"(from {catalog.source.get('package', '?')} {catalog.source.get('version', '')})".rstrip(),
                    table(("cluster id", "name"), rows),
                    table(("device type id", "name"), types),
                    "`matter-map catalog NAME` shows one of them in full.",
                ]
            )

        output.result(summary, human)
        return 0
    cluster = catalog.cluster(args.name)
    if cluster is not None:
        output.result(asdict(cluster))
        return 0
    device_type = catalog.device_type(args.name)
    if device_type is not None:
        output.result(asdict(device_type))
        return 0
    names = [c.name for c in catalog.clusters] + [d.name for d in catalog.device_types]
    hint = did_you_mean(catalog.suggest(args.name, names))
    raise InputProblemError(f"no cluster or device type {args.name!r}" + (f" ({hint})" if hint else ""))
