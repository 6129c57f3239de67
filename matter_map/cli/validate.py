"""`matter-map validate PATH...`: check mapping files or folders, every problem of every file in one run."""

from __future__ import annotations

import argparse
from typing import Any

from matter_map.cli._io import mapping_files_of
from matter_map.cli._output import Output, output_of


def register(sub: Any) -> None:
    p = sub.add_parser("validate", help="check mapping files or folders (YAML, the language, the Matter catalog)")
    p.add_argument("paths", nargs="+", metavar="PATH", help="mapping files (.yaml) or folders holding them")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from matter_map.catalog import load_catalog
    from matter_map.diagnostics import MappingError
    from matter_map.loader import load_mapping

    output = output_of(args)
    files = mapping_files_of(args.paths)
    catalog = load_catalog()
    results: list[dict[str, Any]] = []
    for number, file in enumerate(files, start=1):
        output.progress(number, len(files), str(file))
        try:
            result = load_mapping(file, catalog)
        except MappingError as exc:
            output.problem(exc.render())
            results.append({"file": str(file), "ok": False, "errors": [d.as_json() for d in exc.diagnostics]})
            continue
        if result.warnings:
            output.problem(MappingError(result.warnings).render())
        results.append(
            {
                "file": str(file),
                "ok": True,
                "mapping": result.compiled.identity,
                "warnings": [w.as_json() for w in result.warnings],
            }
        )
    ok = all(r["ok"] for r in results)
    output.result({"ok": ok, "files": results}, lambda: render(results, output))
    return 0 if ok else 1


def render(results: list[dict[str, Any]], output: Output) -> str:
    """One line per file, then the totals."""
    lines = []
    for r in results:
        if r["ok"]:
            mark = output.paint("ok", "green")
            extra = f" ({len(r['warnings'])} warning(s))" if r["warnings"] else ""
            lines.append(f"{mark}      {r['file']}: {r['mapping']}{extra}")
        else:
            lines.append(f"{output.paint('invalid', 'red')} {r['file']}: {len(r['errors'])} problem(s)")
    valid = sum(1 for r in results if r["ok"])
    warnings = sum(len(r.get("warnings", [])) for r in results)
    summary = f"{valid} of {len(results)} mapping file(s) valid"
    if warnings:
        summary += f", {warnings} warning(s)"
    lines.append(output.paint(summary, "bold"))
    return "\n".join(lines)
