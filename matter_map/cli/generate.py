"""`matter-map generate MAPPING... -o DIR`: standalone translator modules; `--check` fails when they are stale."""

from __future__ import annotations

import argparse
import os
from pathlib import Path
from typing import Any

from matter_map.cli._io import InputProblemError, mapping_files_of
from matter_map.cli._output import output_of


def register(sub: Any) -> None:
    p = sub.add_parser("generate", help="render one standalone Python module per mapping (standard library only)")
    p.add_argument("paths", nargs="+", metavar="PATH", help="mapping files or folders")
    p.add_argument("-o", "--output", required=True, help="folder of the generated package (e.g. codegen)")
    p.add_argument(
        "--root",
        help="mapping paths in generated code are relative to this folder (default: the current folder when the "
        "mappings are under it, else the folder that holds them all)",
    )
    p.add_argument("--check", action="store_true", help="write nothing; exit 1 when a generated file is stale")
    p.add_argument(
        "--standalone",
        action="store_true",
        help="inline the runtime into every module (one file each) instead of writing _runtime.py once",
    )
    p.set_defaults(run=run)


def default_root(files: list[Path]) -> Path:
    """The current folder when every mapping is under it; otherwise the deepest folder holding them all."""
    here = Path.cwd().resolve()
    resolved = [f.resolve() for f in files]
    if all(f.is_relative_to(here) for f in resolved):
        return Path()
    return Path(os.path.commonpath([str(f.parent.parent) for f in resolved]))


def run(args: argparse.Namespace) -> int:
    from matter_map.codegen import CodegenError, generate

    output = output_of(args)
    files = mapping_files_of(args.paths)
    root = Path(args.root) if args.root else default_root(files)
    output.progress(1, 2, f"compiling {len(files)} mapping(s)")
    try:
        outputs = generate(files, root, standalone=args.standalone)
    except CodegenError as exc:
        raise InputProblemError(str(exc)) from None
    out = Path(args.output)
    stale = []
    for number, (relative, text) in enumerate(outputs.items(), start=1):
        target = out / relative
        output.progress(number, len(outputs), str(target))
        current = target.read_text(encoding="utf-8") if target.is_file() else None
        if current == text:
            continue
        stale.append(str(target))
        if not args.check:
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8")
    expected = {out / r for r in outputs}
    extra = sorted(str(p) for p in out.rglob("*.py") if p not in expected) if out.is_dir() else []
    if args.check:
        for name in stale:
            output.problem(f"matter-map: error: {name} is stale or missing: run matter-map generate")
        for name in extra:
            output.problem(f"matter-map: error: {name} was not generated from these mappings")
        ok = not stale and not extra
        output.result(
            {"ok": ok, "stale": stale, "extra": extra},
            lambda: f"{len(outputs)} module(s) in {out}: " + ("up to date" if ok else f"{len(stale)} stale"),
        )
        return 0 if ok else 1
    output.result(
        {"ok": True, "written": stale, "unchanged": len(outputs) - len(stale)},
        lambda: "\n".join(
            [*(f"wrote {name}" for name in stale), f"{len(stale)} written, {len(outputs) - len(stale)} unchanged"]
        ),
    )
    return 0
