"""`matter-map list [PATH...]`: the supported devices: vendor, kind, Matter device types and clusters bound."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from matter_map.cli._io import InputProblemError, mapping_files_of
from matter_map.cli._output import output_of, table


def register(sub: Any) -> None:
    p = sub.add_parser("list", help="the supported devices: vendors, kinds, device types and clusters bound")
    p.add_argument(
        "paths", nargs="*", metavar="PATH", help="mapping files or folders (default: mappings/ of the current folder)"
    )
    p.add_argument("--markdown", action="store_true", help="print the Markdown page (docs/DEVICES.md) instead")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from matter_map.catalog import load_catalog
    from matter_map.listing import markdown, sorted_devices, supported_device
    from matter_map.loader import load_mapping

    output = output_of(args)
    paths = args.paths or ["mappings"]
    if not args.paths and not Path("mappings").is_dir():
        raise InputProblemError("no mappings/ folder here: name mapping files or folders")
    files = mapping_files_of(paths)
    catalog = load_catalog()
    devices = []
    for number, file in enumerate(files, start=1):
        output.progress(number, len(files), str(file))
        devices.append(supported_device(load_mapping(file, catalog).compiled, Path(file).as_posix()))
    devices = sorted_devices(devices)
    if args.markdown:
        output.clear_progress()
        output.out.write(markdown(devices))
        return 0

    def human() -> str:
        rows = [(f"{d.vendor}/{d.kind}", ", ".join(d.device_types), ", ".join(d.clusters)) for d in devices]
        vendors = len({d.vendor for d in devices})
        return table(("mapping", "device types", "clusters"), rows) + f"\n{len(devices)} kinds of {vendors} vendors"

    output.result({"ok": True, "devices": [d.as_json() for d in devices]}, human)
    return 0
