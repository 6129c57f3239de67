"""Which files are mappings: folders expanded to their *.yaml files, the `compose/` folder of a profile left out."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path

__all__ = ["MAPPING_SUFFIXES", "PROFILE_FOLDER", "mapping_files"]

MAPPING_SUFFIXES = (".yaml", ".yml")
#: the folder of a vendor profile and its fragments (see profiles.py)
PROFILE_FOLDER = "compose"


def mapping_files(paths: Iterable[str | Path]) -> Iterator[Path]:
    """Expand folders into their mapping files (sorted); files are passed through. A `compose/` folder holds a
    vendor profile and its fragments (profiles.py), not whole-device mappings, and is skipped."""
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            yield from sorted(
                p
                for p in path.rglob("*")
                if p.suffix in MAPPING_SUFFIXES and p.is_file() and PROFILE_FOLDER not in p.relative_to(path).parts
            )
        else:
            yield path
