"""The generated schema files committed under schemas/: vendor schemas of the shipped mappings and the
capability documents of the clusters and custom capabilities they use (scripts/build_schemas.py writes them)."""

from __future__ import annotations

from pathlib import Path, PurePosixPath

from matter_map import capability_schema, vendor_schema
from matter_map.catalog import Catalog, load_catalog
from matter_map.ir import CompiledMapping
from matter_map.loader import load_mapping, mapping_files

VENDOR_DIR = PurePosixPath("schemas/vendor")
CAPABILITY_DIR = PurePosixPath("schemas/capabilities")


def shipped_mappings(root: Path) -> list[CompiledMapping]:
    return [load_mapping(file).compiled for file in mapping_files([root / "mappings"])]


def generated_files(root: Path, catalog: Catalog | None = None) -> dict[PurePosixPath, str]:
    """Every generated file, by path relative to the repository root, with its exact text."""
    cat = catalog or load_catalog()
    files: dict[PurePosixPath, str] = {}
    matter: set[tuple[str, str]] = set()
    for compiled in shipped_mappings(root):
        derived = vendor_schema.derive(compiled)
        files[VENDOR_DIR / compiled.vendor / f"{compiled.kind}.schema.json"] = vendor_schema.dumps(derived.full)
        for endpoint in compiled.endpoints:
            for cluster in endpoint.clusters:
                matter.add((cluster.name, compiled.spec_version))
            for capability in endpoint.capabilities:
                document = capability_schema.capability_document(capability)
                path = CAPABILITY_DIR / f"{capability.cluster.capability_id}.json"
                text = capability_schema.dumps(document)
                if files.get(path, text) != text:
                    raise ValueError(f"two mappings declare {capability.cluster.capability_id} differently")
                files[path] = text
    for name, spec_version in sorted(matter):
        document = capability_schema.cluster_document(name, spec_version=spec_version, catalog=cat)
        files[CAPABILITY_DIR / f"matter.{name}@{spec_version}.json"] = capability_schema.dumps(document)
    return dict(sorted(files.items()))


def stale_files(root: Path) -> list[str]:
    """What differs between the generated files and the committed ones (missing, changed or left over)."""
    wanted = generated_files(root)
    problems = []
    for relative, text in wanted.items():
        path = root / relative
        if not path.exists():
            problems.append(f"{relative}: missing")
        elif path.read_text(encoding="utf-8") != text:
            problems.append(f"{relative}: stale")
    for folder in (VENDOR_DIR, CAPABILITY_DIR):
        for path in sorted((root / folder).rglob("*.json")) if (root / folder).exists() else []:
            relative = PurePosixPath(path.relative_to(root).as_posix())
            if relative not in wanted:
                problems.append(f"{relative}: no longer generated")
    return problems


def write_files(root: Path) -> list[PurePosixPath]:
    """Write every generated file and remove the ones no longer generated; returns what was written."""
    wanted = generated_files(root)
    for folder in (VENDOR_DIR, CAPABILITY_DIR):
        for path in sorted((root / folder).rglob("*.json")) if (root / folder).exists() else []:
            if PurePosixPath(path.relative_to(root).as_posix()) not in wanted:
                path.unlink()
    for relative, text in wanted.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            path.write_text(text, encoding="utf-8")
    return list(wanted)
