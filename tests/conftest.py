"""Shared fixtures: the repository's paths, the shipped Hue mappings, and the optional vendor corpus."""

from __future__ import annotations

import atexit
import json
import os
import shutil
import tempfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, settings

from matter_map.ir import CompiledMapping
from matter_map.loader import load_mapping
from matter_map.payload_check import ensure_valid_connector_event
from matter_map.translator import Translator

# Property tests run on a shared 2-core machine: no wall-clock deadlines (speed is measured in bench/, not
# asserted), and under CI a fixed derandomized search so a run is reproducible from its log.
settings.register_profile("dev", deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("ci", parent=settings.get_profile("dev"), derandomize=True, print_blob=True)
settings.load_profile("ci" if os.environ.get("CI") else "dev")

# The command line caches compiled mappings per user (matter_map/cli/_cache.py): the suite's commands, and the
# processes it starts, use a folder of this run instead of the user's.
os.environ["MATTER_MAP_CACHE_DIR"] = tempfile.mkdtemp(prefix="matter-map-test-cache-")
atexit.register(shutil.rmtree, os.environ["MATTER_MAP_CACHE_DIR"], ignore_errors=True)

ROOT = Path(__file__).resolve().parent.parent
MAPPINGS = ROOT / "mappings"
HUE = MAPPINGS / "philips_hue"
SAMPLES = HUE / "samples"
CORPUS = ROOT.parent / "shared" / "corpus"


def corpus_file(*parts: str) -> Path:
    """A file of the shared vendor corpus; the test is skipped (with the reason) when it is absent."""
    path = CORPUS.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"vendor corpus not present at {path} (CI provides ../shared/corpus)")
    return path


def load_json(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8"))


def compiled(name: str) -> CompiledMapping:
    return load_mapping(HUE / f"{name}.yaml").compiled


def translator(name: str) -> Translator:
    return Translator(compiled(name), check=ensure_valid_connector_event)


@pytest.fixture(scope="session")
def hue_mappings() -> list[CompiledMapping]:
    return [load_mapping(p).compiled for p in sorted(HUE.glob("*.yaml"))]
