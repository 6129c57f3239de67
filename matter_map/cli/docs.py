"""`matter-map docs PATH -o DIR`: one Markdown page per vendor describing every mapping, both ways."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from matter_map.cli._io import mapping_files_of
from matter_map.cli._output import output_of


def register(sub: Any) -> None:
    p = sub.add_parser("docs", help="write Markdown pages of mapping files or folders, one per vendor")
    p.add_argument("paths", nargs="+", metavar="PATH", help="mapping files or folders")
    p.add_argument("-o", "--output", required=True, help="folder for the pages")
    p.set_defaults(run=run)


def source_name(file: Path) -> str:
    """`mappings/<vendor>/<kind>.yaml`, whatever folder the files were named from (pages stay reproducible)."""
    return f"mappings/{file.parent.name}/{file.name}"


def run(args: argparse.Namespace) -> int:
    from matter_map.catalog import load_catalog
    from matter_map.loader import load_mapping
    from matter_map.mapping_docs import write_pages

    output = output_of(args)
    files = mapping_files_of(args.paths)
    catalog = load_catalog()
    mappings = []
    for number, file in enumerate(files, start=1):
        output.progress(number, len(files), str(file))
        mappings.append((load_mapping(file, catalog).compiled, source_name(file)))
    written = write_pages(mappings, catalog, Path(args.output))
    output.result(
        {"ok": True, "pages": [str(p) for p in written]}, lambda: "\n".join(f"wrote {page}" for page in written)
    )
    return 0
