"""`matter-map catalog [NAME_OR_ID]`: the catalog summary, or one cluster or device type as JSON."""

from __future__ import annotations

import argparse
from dataclasses import asdict
from typing import Any

from matter_map.catalog import load_catalog
from matter_map.cli._io import InputProblemError, emit
from matter_map.diagnostics import did_you_mean


def register(sub: Any) -> None:
    p = sub.add_parser("catalog", help="the Matter catalog: a summary, or one cluster or device type")
    p.add_argument("name", nargs="?", help="cluster or device type, by name or id (e.g. LevelControl, 0x0008)")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    catalog = load_catalog()
    if args.name is None:
        emit({"source": catalog.source, "clusters": len(catalog.clusters), "device_types": len(catalog.device_types)})
        return 0
    cluster = catalog.cluster(args.name)
    if cluster is not None:
        emit(asdict(cluster))
        return 0
    device_type = catalog.device_type(args.name)
    if device_type is not None:
        emit(asdict(device_type))
        return 0
    names = [c.name for c in catalog.clusters] + [d.name for d in catalog.device_types]
    hint = did_you_mean(catalog.suggest(args.name, names))
    raise InputProblemError(f"no cluster or device type {args.name!r}" + (f" ({hint})" if hint else ""))
