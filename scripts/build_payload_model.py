"""Regenerates matter_map/data/payload-model.json from botocore's installed service model; --check reports drift."""

from __future__ import annotations

import argparse
import difflib
import json
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
OUTPUT = ROOT / "matter_map" / "data" / "payload-model.json"
SERVICE_NAME = "iot-managed-integrations"
# The members of a shape and of a shape reference that the payload check reads (matter_map/payload_shapes.py);
# documentation, deprecation notes, error traits and request locations are left out.
SHAPE_KEYS = frozenset(
    {"type", "members", "required", "min", "max", "pattern", "enum", "document", "union", "sensitive"}
)
REFERENCE_KEYS = frozenset({"shape", "hostLabel"})
REFERENCE_MEMBERS = ("member", "key", "value")


def load_botocore_model() -> Mapping[str, Any]:
    """The model as botocore's loader returns it from its own data folder (latest API version, SDK extras merged);
    AWS_DATA_PATH and ~/.aws/models are not searched, so the output depends on the installed botocore only."""
    from botocore.loaders import Loader

    loader = Loader(include_default_search_paths=False, extra_search_paths=[Loader.BUILTIN_DATA_PATH])
    model: Mapping[str, Any] = loader.load_service_model(SERVICE_NAME, "service-2")
    return model


def _reference(reference: Mapping[str, Any]) -> dict[str, Any]:
    return {key: reference[key] for key in sorted(reference) if key in REFERENCE_KEYS}


def _trimmed(shape: Mapping[str, Any]) -> dict[str, Any]:
    kept: dict[str, Any] = {}
    for key in sorted(shape):
        if key not in SHAPE_KEYS and key not in REFERENCE_MEMBERS:
            continue
        value = shape[key]
        if key == "members":
            value = {member: _reference(reference) for member, reference in value.items()}
        elif key in REFERENCE_MEMBERS:
            value = _reference(value)
        kept[key] = value
    return kept


def _referenced(shape: Mapping[str, Any]) -> list[str]:
    references = [*shape.get("members", {}).values(), *(shape[key] for key in REFERENCE_MEMBERS if key in shape)]
    return [reference["shape"] for reference in references]


def extract(model: Mapping[str, Any]) -> dict[str, Any]:
    """Every operation's input shape name and the shapes those inputs reach, trimmed to what the check reads."""
    operations = {name: operation["input"]["shape"] for name, operation in sorted(model["operations"].items())}
    reached: set[str] = set()
    pending = list(operations.values())
    while pending:
        name = pending.pop()
        if name not in reached:
            reached.add(name)
            pending += _referenced(model["shapes"][name])
    return {
        "service": SERVICE_NAME,
        "apiVersion": model["metadata"]["apiVersion"],
        "operations": operations,
        "shapes": {name: _trimmed(model["shapes"][name]) for name in sorted(reached)},
    }


def render(extracted: Mapping[str, Any]) -> str:
    """JSON with one operation and one shape a line: small, and a model change shows as a readable diff."""
    lines = ["{"]
    for key in ("service", "apiVersion"):
        lines.append(f"  {json.dumps(key)}: {json.dumps(extracted[key])},")
    for section in ("operations", "shapes"):
        entries = extracted[section]
        lines.append(f"  {json.dumps(section)}: {{")
        for index, (name, value) in enumerate(entries.items()):
            comma = "," if index < len(entries) - 1 else ""
            lines.append(f"    {json.dumps(name)}: {json.dumps(value, ensure_ascii=False)}{comma}")
        lines.append("  }," if section == "operations" else "  }")
    lines.append("}")
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--check", action="store_true", help="exit 1 with a diff when the committed file is stale")
    args = parser.parse_args()
    text = render(extract(load_botocore_model()))
    if not args.check:
        OUTPUT.write_text(text, encoding="utf-8")
        print(f"wrote {OUTPUT.relative_to(ROOT)} ({len(text):,} bytes)")
        return
    committed = OUTPUT.read_text(encoding="utf-8") if OUTPUT.is_file() else ""
    if committed != text:
        diff = difflib.unified_diff(
            committed.splitlines(), text.splitlines(), "committed", "from installed botocore", lineterm="", n=0
        )
        sys.exit(f"{OUTPUT.relative_to(ROOT)} is stale; run python3 scripts/build_payload_model.py\n" + "\n".join(diff))
    print(f"{OUTPUT.relative_to(ROOT)} is current")


if __name__ == "__main__":
    main()
