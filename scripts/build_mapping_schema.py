"""Write schemas/mapping.schema.json from the pydantic models (`--check` fails when the file is stale)."""

from __future__ import annotations

import sys
from pathlib import Path

from matter_map.schema_export import mapping_schema_text

TARGET = Path(__file__).resolve().parent.parent / "schemas" / "mapping.schema.json"


def main() -> int:
    text = mapping_schema_text()
    if "--check" in sys.argv[1:]:
        if not TARGET.exists() or TARGET.read_text(encoding="utf-8") != text:
            print(f"{TARGET} is stale: run python scripts/build_mapping_schema.py", file=sys.stderr)
            return 1
        return 0
    TARGET.write_text(text, encoding="utf-8")
    print(f"wrote {TARGET}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
