"""`matter-map generate MAPPING... -o DIR`: standalone translator modules; `--check` fails when they are stale."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from matter_map.cli._io import InputProblemError, emit, mapping_files_of
from matter_map.codegen import CodegenError, generate


def register(sub: Any) -> None:
    p = sub.add_parser("generate", help="render one standalone Python module per mapping (standard library only)")
    p.add_argument("paths", nargs="+", help="mapping files or folders")
    p.add_argument("-o", "--output", required=True, help="folder of the generated package (e.g. codegen)")
    p.add_argument("--root", default=".", help="mapping paths in generated code are relative to this folder")
    p.add_argument("--check", action="store_true", help="write nothing; exit 1 when a generated file is stale")
    p.add_argument(
        "--standalone",
        action="store_true",
        help="inline the runtime into every module (one file each) instead of writing _runtime.py once",
    )
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    files = mapping_files_of(args.paths)
    try:
        outputs = generate(files, Path(args.root), standalone=args.standalone)
    except CodegenError as exc:
        raise InputProblemError(str(exc)) from None
    out = Path(args.output)
    stale = []
    for relative, text in outputs.items():
        target = out / relative
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
            sys.stderr.write(f"matter-map: error: {name} is stale or missing: run matter-map generate\n")
        for name in extra:
            sys.stderr.write(f"matter-map: error: {name} was not generated from these mappings\n")
        emit({"ok": not stale and not extra, "stale": stale, "extra": extra})
        return 1 if stale or extra else 0
    emit({"ok": True, "written": stale, "unchanged": len(outputs) - len(stale)})
    return 0
