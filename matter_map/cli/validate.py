"""`matter-map validate PATH...`: check mapping files or folders, all problems at once."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from matter_map.cli._io import emit, mapping_files_of
from matter_map.diagnostics import MappingError
from matter_map.loader import load_mapping


def register(sub: Any) -> None:
    p = sub.add_parser("validate", help="check mapping files or folders")
    p.add_argument("paths", nargs="+")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    files = mapping_files_of(args.paths)
    results = []
    failed = False
    for file in files:
        try:
            result = load_mapping(file)
        except MappingError as exc:
            failed = True
            sys.stderr.write(exc.render() + "\n")
            results.append({"file": str(file), "ok": False, "errors": [d.as_json() for d in exc.diagnostics]})
            continue
        for warning in result.warnings:
            sys.stderr.write(warning.render() + "\n")
        results.append(
            {
                "file": str(file),
                "ok": True,
                "mapping": result.compiled.identity,
                "warnings": [w.as_json() for w in result.warnings],
            }
        )
    emit({"ok": not failed, "files": results})
    return 1 if failed else 0
