"""The main job on a shipped example: validate, compile, translate both ways, discover and round-trip."""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HUE = ROOT / "mappings" / "philips_hue"
SAMPLES = HUE / "samples"
MAPPING = HUE / "extended_color_light.yaml"


def matter_map(*args: str) -> str:
    """Run the installed command line exactly as a user would, and stop on any failure."""
    command = [sys.executable, "-m", "matter_map", *args]
    print("$ matter-map " + " ".join(str(Path(a).relative_to(ROOT)) if a.startswith(str(ROOT)) else a for a in args))
    completed = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=False)
    if completed.stderr:
        print(completed.stderr.rstrip(), file=sys.stderr)
    if completed.returncode != 0:
        raise SystemExit(f"demo step failed with exit code {completed.returncode}")
    return completed.stdout


def show(title: str, text: str, limit: int = 40) -> None:
    lines = text.rstrip().splitlines()
    print(f"--- {title}")
    print("\n".join(lines[:limit]) + (f"\n... ({len(lines) - limit} more lines)" if len(lines) > limit else ""))
    print()


def apply_request(state: dict[str, object], request: dict[str, object]) -> dict[str, object]:
    """What the Hue bridge does with a PUT: merge the partial body into the resource."""

    def merge(into: dict[str, object], patch: dict[str, object]) -> None:
        for key, value in patch.items():
            current = into.get(key)
            if isinstance(value, dict) and isinstance(current, dict):
                merge(current, value)
            else:
                into[key] = value

    updated = json.loads(json.dumps(state))
    body = request["body"]
    assert isinstance(body, dict)
    merge(updated, body)
    return updated


def main() -> int:
    show("1. validate every shipped mapping", matter_map("validate", str(ROOT / "mappings")), limit=12)
    state_file = SAMPLES / "extended_color_light.json"
    show(
        "2. vendor state -> SendConnectorEvent (DEVICE_EVENT)",
        matter_map("to-matter", str(MAPPING), str(state_file)),
    )
    command_file = SAMPLES / "command_move_to_level.json"
    requests = matter_map("to-vendor", str(MAPPING), str(command_file), "--state", str(state_file))
    show("3. SendManagedThingCommand MoveToLevel{Level: 127} -> vendor request", requests)
    show(
        "4. AWS.SendCommand (On, MoveToColorTemperature 250) -> vendor request",
        matter_map(
            "to-vendor", str(MAPPING), str(SAMPLES / "command_send_command_event.json"), "--state", str(state_file)
        ),
    )
    show("5. discovery: Devices[] entry", matter_map("discover", str(HUE), str(state_file)), limit=25)
    state = json.loads(state_file.read_text())
    (request,) = json.loads(requests)
    after = apply_request(state, request)
    with tempfile.TemporaryDirectory() as tmp:
        after_file = Path(tmp) / "after.json"
        after_file.write_text(json.dumps(after))
        events = json.loads(matter_map("to-matter", str(MAPPING), str(after_file)))
    level = next(
        c["attributes"]["0x0000"] for e in events for c in e["MatterEndpoint"]["clusters"] if c["id"] == "0x0008"
    )
    brightness = request["body"]["dimming"]["brightness"]
    print(f"--- 6. round trip: MoveToLevel 127 -> brightness {brightness} -> CurrentLevel {level}")
    if level != 127:
        raise SystemExit("round trip failed: CurrentLevel is not 127")
    print("round trip ok")
    print()
    generate_and_compare(state)
    show(
        "8. round-trip laws checked from the mapping (property tests)",
        matter_map("test", str(MAPPING)),
        limit=12,
    )
    return 0


def generate_and_compare(state: dict[str, object]) -> None:
    """Generate the standalone module, import it (standard library only) and compare it with the interpreter."""
    with tempfile.TemporaryDirectory() as tmp:
        matter_map("generate", str(MAPPING), "-o", str(Path(tmp) / "generated"), "--root", str(ROOT), "--standalone")
        module_file = next((Path(tmp) / "generated").rglob("extended_color_light.py"))
        spec = importlib.util.spec_from_file_location("generated_hue_light", module_file)
        assert spec is not None
        assert spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        interpreted = json.loads(
            matter_map("to-matter", str(MAPPING), str(SAMPLES / "extended_color_light.json"), "--no-validate-input")
        )
        generated = module.to_matter(state)
        lines = len(module_file.read_text().splitlines())
    print(f"--- 7. generated {module_file.name} ({lines} lines, standard library only)")
    if generated != interpreted:
        raise SystemExit("the generated module disagrees with the interpreter")
    print("generated module output == interpreter output")
    print()


if __name__ == "__main__":
    raise SystemExit(main())
