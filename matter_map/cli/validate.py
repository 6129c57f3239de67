"""`matter-map validate PATH...`: check mapping files or folders, every problem of every file in one run."""

from __future__ import annotations

import argparse
from pathlib import Path
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
    from matter_map.profiles import profile_file

    output = output_of(args)
    files = mapping_files_of(args.paths, or_profile=True)
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
    for path in dict.fromkeys(p for p in (profile_file(path) for path in args.paths) if p is not None):
        output.progress(len(files), len(files), f"composing what {path} gives its samples")
        results.append(check_profile(path, catalog, output))
    ok = all(r["ok"] for r in results)
    output.result({"ok": ok, "files": results}, lambda: render(results, output))
    return 0 if ok else 1


def check_profile(path: Path, catalog: Any, output: Output) -> dict[str, Any]:
    """A vendor profile is valid when it and its fragments load and every sample in `compose/samples/` composes
    into a valid, conformant mapping (fragments are linked only when composed)."""
    from matter_map.composer import compose_for_device
    from matter_map.diagnostics import MappingError
    from matter_map.errors import TranslationError
    from matter_map.profiles import load_profile
    from matter_map.testing.subjects import load_samples

    try:
        profile = load_profile(path)
    except MappingError as exc:
        output.problem(exc.render())
        return {"file": str(path), "ok": False, "errors": [d.as_json() for d in exc.diagnostics]}
    samples = load_samples(str(path))
    errors: list[dict[str, Any]] = []
    shapes: set[str] = set()
    for number, sample in enumerate(samples, start=1):
        try:
            shapes.add(compose_for_device(profile, sample, catalog).compiled.identity)
        except TranslationError as exc:
            name = sample.get("id", number)
            for problem in exc.problems:
                output.problem(f"{path}: sample {name}: {problem.code}: {problem.message}")
                errors.append({"sample": str(name), "code": problem.code, "message": problem.message})
    return {
        "file": str(path),
        "ok": not errors,
        "mapping": profile.identity,
        "profile": {"fragments": len(profile.fragments), "samples": len(samples), "shapes": len(shapes)},
        "warnings": [],
        "errors": errors,
    }


def render(results: list[dict[str, Any]], output: Output) -> str:
    """One line per file, then the totals."""
    lines = []
    for r in results:
        if r["ok"]:
            mark = output.paint("ok", "green")
            extra = f" ({len(r['warnings'])} warning(s))" if r["warnings"] else ""
            if "profile" in r:
                counts = r["profile"]
                extra = (
                    f" (profile: {counts['fragments']} fragments; its {counts['samples']} samples compose "
                    f"{counts['shapes']} shapes)"
                )
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
