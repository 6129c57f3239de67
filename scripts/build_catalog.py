"""Regenerates schemas/matter-catalog.json from the pinned @matter/model release; --check reports drift."""

from __future__ import annotations

import argparse
import difflib
import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
EXPORTER = ROOT / "tools" / "catalog"
OUTPUT = ROOT / "schemas" / "matter-catalog.json"
PACKAGE = "@matter/model"
# Values an attribute or field record leaves out; matter_map/catalog.py reads a missing key as this value.
IMPLIED: dict[str, Any] = {
    "nullable": False,
    "constraint": "",
    "min": None,
    "max": None,
    "quality": "",
    "writable": False,
}
IMPLIED_REQUIREMENT: dict[str, Any] = {"id": None, "constraint": "", "quality": "", "requirements": []}
COMPACT_WIDTH = 120  # containers whose one-line form fits stay on one line; larger ones are expanded


def pinned_version() -> str:
    """The exact version tools/catalog/package.json pins (no ranges: the output must be reproducible)."""
    manifest = json.loads((EXPORTER / "package.json").read_text())
    version = str(manifest["dependencies"][PACKAGE])
    if not version[:1].isdigit() or any(mark in version for mark in "^~<>=* |"):
        raise SystemExit(f"tools/catalog/package.json must pin {PACKAGE} to an exact version, not {version!r}")
    return version


def export_raw(workdir: Path) -> dict[str, Any]:
    """Installs the pinned package into workdir and runs the exporter there; returns its JSON."""
    for name in ("package.json", "export.mjs"):
        shutil.copy(EXPORTER / name, workdir / name)
    npm = [
        "npm",
        "install",
        "--ignore-scripts",
        "--no-audit",
        "--no-fund",
        "--no-package-lock",
        "--loglevel=error",
    ]
    subprocess.run(npm, cwd=workdir, check=True, stdout=sys.stderr)
    completed = subprocess.run(
        ["node", "export.mjs"], cwd=workdir, check=True, capture_output=True, text=True, encoding="utf-8"
    )
    raw: dict[str, Any] = json.loads(completed.stdout, object_hook=_bigints)
    return raw


def _bigints(value: dict[str, Any]) -> Any:
    """The exporter writes integers beyond 2^53 as {"$bigint": "..."}; Python ints hold them exactly."""
    if set(value) == {"$bigint"}:
        return int(value["$bigint"])
    return value


def normalise(raw: dict[str, Any], version: str) -> dict[str, Any]:
    """Stable order (by id), global attributes once, implied values left out, features named by code."""
    source = raw["source"]
    if source["version"] != version:
        raise SystemExit(f"exporter loaded {PACKAGE} {source['version']}, expected the pinned {version}")
    globals_ = raw["globals"]
    globals_["attributes"].sort(key=lambda item: item["id"])
    shared = {json.dumps(item, sort_keys=True) for item in globals_["attributes"]}
    clusters = sorted(raw["clusters"], key=lambda cluster: cluster["id"])
    for cluster in clusters:
        # a global attribute identical to the shared definition is implied; ClusterRevision (and FeatureMap
        # where the cluster has features) carry cluster-specific defaults and stay
        attributes = [item for item in cluster["attributes"] if json.dumps(item, sort_keys=True) not in shared]
        cluster["attributes"] = sorted(attributes, key=lambda item: item["id"])
        cluster["commands"].sort(key=lambda item: (item["id"], item["direction"] != "request"))
        cluster["events"].sort(key=lambda item: item["id"])
    features = {cluster["id"]: cluster["features"] for cluster in clusters}
    for device in raw["device_types"]:
        _name_features(device["requirements"], features)
    device_types = sorted((d for d in raw["device_types"] if d["id"] is not None), key=lambda d: d["id"])
    # "Base" (no id) carries the requirements every endpoint shares, like abstract clusters such as ModeBase
    base_device_types = sorted((d for d in raw["device_types"] if d["id"] is None), key=lambda d: d["name"])
    catalog = {
        "source": source,
        "globals": globals_,
        "base_clusters": sorted(raw["base_clusters"]),
        "clusters": clusters,
        "device_types": device_types,
        "base_device_types": base_device_types,
    }
    _drop_implied(catalog)
    return catalog


def _drop_implied(value: Any) -> None:
    """Removes keys that hold their implied value from attribute, field and requirement records."""
    if isinstance(value, list):
        for item in value:
            _drop_implied(item)
    elif isinstance(value, dict):
        implied_values = IMPLIED if "base" in value else IMPLIED_REQUIREMENT if "element" in value else {}
        if implied_values:
            for key, implied in implied_values.items():
                if key in value and value[key] == implied and type(value[key]) is type(implied):
                    del value[key]
        for item in value.values():
            _drop_implied(item)


def _name_features(requirements: list[dict[str, Any]], features: dict[int, list[dict[str, Any]]]) -> None:
    """matter.js names required features by upper-case title ("LIGHTING"); the catalog uses codes ("LT")."""
    for requirement in requirements:
        known = features.get(requirement["id"], []) if requirement["element"].endswith("Cluster") else []
        for child in requirement["requirements"]:
            if child["element"] != "feature":
                continue
            for feature in known:
                if child["name"] in (feature["code"], feature["name"].upper()):
                    child["name"] = feature["code"]
                    break
        _name_features(requirement["requirements"], features)


def render(value: Any, indent: str = "") -> str:
    """JSON with one line per element (attribute, field, enum...), so model updates give readable diffs."""
    compact = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    if len(indent) + len(compact) <= COMPACT_WIDTH or _is_leaf(value):
        return compact
    inner = indent + "  "
    if isinstance(value, list):
        items = [inner + render(item, inner) for item in value]
        return "[\n" + ",\n".join(items) + "\n" + indent + "]"
    entries = [f"{inner}{json.dumps(key, ensure_ascii=False)}:{render(item, inner)}" for key, item in value.items()]
    return "{\n" + ",\n".join(entries) + "\n" + indent + "}"


def _is_leaf(value: Any) -> bool:
    """Scalars, and records whose values are scalars or flat objects such as {"ref": "MinLevel"}."""
    if not isinstance(value, dict | list) or not value:
        return True
    if isinstance(value, list):
        return False
    return all(
        not isinstance(item, dict | list)
        or (isinstance(item, dict) and all(not isinstance(x, dict | list) for x in item.values()))
        for item in value.values()
    )


def build() -> str:
    version = pinned_version()
    with tempfile.TemporaryDirectory(prefix="matter-catalog-") as workdir:
        raw = export_raw(Path(workdir))
    return render(normalise(raw, version)) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--check", action="store_true", help="exit 1 if the committed catalog differs")
    args = parser.parse_args()
    for tool in ("node", "npm"):
        if shutil.which(tool) is None:
            raise SystemExit(f"{tool} is not on PATH; it is needed to run the @matter/model exporter")
    text = build()
    relative = OUTPUT.relative_to(ROOT)
    if not args.check:
        OUTPUT.write_text(text, encoding="utf-8")
        print(f"wrote {relative} ({len(text.encode()):,} bytes)")
        return
    committed = OUTPUT.read_text(encoding="utf-8") if OUTPUT.exists() else ""
    if committed == text:
        print(f"{relative} is current")
        return
    diff = list(difflib.unified_diff(committed.splitlines(), text.splitlines(), "committed", "generated", lineterm=""))
    print(f"{relative} differs from what scripts/build_catalog.py generates ({len(diff)} diff lines):")
    print("\n".join(diff[:60]))
    if len(diff) > 60:
        print(f"... {len(diff) - 60} more lines")
    print("run: python scripts/build_catalog.py")
    sys.exit(1)


if __name__ == "__main__":
    main()
