"""The iot-managed-integrations service model, read once from botocore's data folders without importing botocore."""

from __future__ import annotations

import difflib
import functools
import gzip
import importlib.util
import json
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

__all__ = ["SERVICE_NAME", "input_shape_name", "service_model"]

SERVICE_NAME = "iot-managed-integrations"
_TYPE_NAME = "service-2"
_EXTRAS = ("sdk",)  # botocore merges "<type>.sdk-extras.json" into the model when a folder ships one


def _search_paths() -> list[Path]:
    """The folders botocore's loader searches, in its order: AWS_DATA_PATH, ~/.aws/models, the bundled data."""
    paths = [Path(entry).expanduser() for entry in os.environ.get("AWS_DATA_PATH", "").split(os.pathsep) if entry]
    paths.append(Path("~/.aws/models").expanduser())
    spec = importlib.util.find_spec("botocore")  # locates the package; does not run its __init__
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("the payload check needs botocore installed: it ships the service model")
    paths.append(Path(next(iter(spec.submodule_search_locations))) / "data")
    return paths


def _file(path_without_suffix: Path) -> Path | None:
    """The file botocore would read for this data path: ``.json`` first, then ``.json.gz``."""
    for suffix in (".json", ".json.gz"):
        candidate = path_without_suffix.with_name(path_without_suffix.name + suffix)
        if candidate.is_file():
            return candidate
    return None


def _load(path_without_suffix: Path) -> Any | None:
    found = _file(path_without_suffix)
    if found is None:
        return None
    data = found.read_bytes()
    return json.loads(gzip.decompress(data) if found.name.endswith(".gz") else data)


def _first(paths: list[Path], relative: str) -> Any | None:
    for root in paths:
        found = _load(root / relative)
        if found is not None:
            return found
    return None


def _deep_merge(base: dict[str, Any], extra: Mapping[str, Any]) -> None:
    for key, value in extra.items():
        if isinstance(value, dict) and isinstance(base.get(key), dict):
            _deep_merge(base[key], value)
        else:
            base[key] = value


@functools.cache
def service_model() -> Mapping[str, Any]:
    """The model's JSON, as botocore's loader returns it: the latest API version, with its SDK extras merged."""
    paths = _search_paths()
    versions = {
        version.name
        for root in paths
        if (root / SERVICE_NAME).is_dir()
        for version in (root / SERVICE_NAME).iterdir()
        if _file(version / _TYPE_NAME) is not None
    }
    if not versions:
        raise RuntimeError(f"botocore has no {SERVICE_NAME} service model (searched {', '.join(map(str, paths))})")
    latest = max(versions)
    model = _first(paths, f"{SERVICE_NAME}/{latest}/{_TYPE_NAME}")
    assert isinstance(model, dict)  # the version was listed because this file exists
    for extras_type in _EXTRAS:
        extras = _first(paths, f"{SERVICE_NAME}/{latest}/{_TYPE_NAME}.{extras_type}-extras")
        if isinstance(extras, dict):
            _deep_merge(model, extras.get("merge", {}))
    return model


def input_shape_name(operation: str) -> str:
    """The name of the operation's input shape; a ValueError naming the closest operation when unknown."""
    operations: Mapping[str, Any] = service_model()["operations"]
    if operation not in operations:
        hint = difflib.get_close_matches(operation, list(operations), n=1)
        suggestion = f"; did you mean {hint[0]!r}?" if hint else ""
        raise ValueError(f"{SERVICE_NAME} has no operation {operation!r}{suggestion}")
    shape: str = operations[operation]["input"]["shape"]
    return shape
