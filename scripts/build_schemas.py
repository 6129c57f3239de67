"""Write schemas/vendor/ and schemas/capabilities/ from the shipped mappings (`--check` fails when stale)."""

from __future__ import annotations

import sys
from pathlib import Path

from matter_map.schema_files import stale_files, write_files

ROOT = Path(__file__).resolve().parent.parent


def main() -> int:
    if "--check" in sys.argv[1:]:
        problems = stale_files(ROOT)
        for problem in problems:
            print(problem, file=sys.stderr)
        if problems:
            print("run python scripts/build_schemas.py", file=sys.stderr)
        return 1 if problems else 0
    written = write_files(ROOT)
    print(f"wrote {len(written)} schema files under schemas/vendor and schemas/capabilities", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
