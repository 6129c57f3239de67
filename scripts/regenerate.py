"""Rewrite every file generated from the mappings, in dependency order (after editing a mapping or the language)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

STEPS = [
    ["scripts/build_mapping_schema.py"],
    ["scripts/build_schemas.py"],
    ["-m", "matter_map", "generate", "mappings/", "-o", "codegen"],
    ["-m", "matter_map", "docs", "mappings/", "-o", "docs/mappings"],
]


# steps whose standard output is the generated file
PAGES = {
    "docs/DEVICES.md": ["-m", "matter_map", "list", "mappings/", "--markdown"],
    "docs/problems.md": ["-m", "matter_map.problem_docs"],
}


def main() -> int:
    for step in STEPS:
        print("+ python " + " ".join(step), file=sys.stderr)
        completed = subprocess.run([sys.executable, *step], cwd=ROOT, check=False, stdout=subprocess.DEVNULL)
        if completed.returncode != 0:
            return completed.returncode
    for target, step in PAGES.items():
        print(f"+ python {' '.join(step)} > {target}", file=sys.stderr)
        page = subprocess.run([sys.executable, *step], cwd=ROOT, check=False, capture_output=True, text=True)
        if page.returncode != 0:
            sys.stderr.write(page.stderr)
            return page.returncode
        (ROOT / target).write_text(page.stdout, encoding="utf-8")
    print("+ pytest -k golden tests/ (MATTER_MAP_UPDATE_GOLDEN=1)", file=sys.stderr)
    env = {**os.environ, "MATTER_MAP_UPDATE_GOLDEN": "1"}
    golden = [sys.executable, "-m", "pytest", "-q", "-k", "golden", "tests/"]
    return subprocess.run(golden, cwd=ROOT, env=env, check=False, stdout=subprocess.DEVNULL).returncode


if __name__ == "__main__":
    raise SystemExit(main())
