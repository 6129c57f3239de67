"""`matter-map docs PATH -o DIR`: one Markdown page per vendor describing every mapping, both ways."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from matter_map.catalog import load_catalog
from matter_map.cli._io import emit, mapping_files_of
from matter_map.loader import load_mapping
from matter_map.mapping_docs import write_pages


def register(sub: Any) -> None:
    p = sub.add_parser("docs", help="write Markdown pages of mapping files or folders, one per vendor")
    p.add_argument("paths", nargs="+")
    p.add_argument("-o", "--output", required=True, help="folder for the pages")
    p.set_defaults(run=run)


def source_name(file: Path) -> str:
    """`mappings/<vendor>/<kind>.yaml`, whatever folder the files were named from (pages stay reproducible)."""
    return f"mappings/{file.parent.name}/{file.name}"


def run(args: argparse.Namespace) -> int:
    files = mapping_files_of(args.paths)
    catalog = load_catalog()
    mappings = [(load_mapping(f, catalog).compiled, source_name(f)) for f in files]
    written = write_pages(mappings, catalog, Path(args.output))
    for page in written:
        sys.stderr.write(f"wrote {page}\n")
    emit({"ok": True, "pages": [str(p) for p in written]})
    return 0
