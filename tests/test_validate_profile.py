"""`matter-map validate` on a vendor folder checks its profile too: fragments load, every sample composes."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import ROOT

VENDORS = ("tuya", "smartthings")


def validate(*paths: Path | str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "matter_map", "validate", *map(str, paths), "--format", "json"],
        capture_output=True,
        text=True,
        check=False,
        cwd=ROOT,
    )


@pytest.mark.parametrize("vendor", VENDORS)
def test_each_shipped_profile_composes_every_sample(vendor: str) -> None:
    done = validate(ROOT / "mappings" / vendor)
    assert done.returncode == 0, done.stderr
    (profile,) = [f for f in json.loads(done.stdout)["files"] if "profile" in f]
    samples = len(list((ROOT / "mappings" / vendor / "compose" / "samples").glob("*.json")))
    assert profile["ok"]
    assert profile["profile"]["samples"] == samples > 0
    assert profile["profile"]["shapes"] >= 1


@pytest.fixture
def tuya_copy(tmp_path: Path) -> Path:
    folder = tmp_path / "tuya"
    shutil.copytree(ROOT / "mappings" / "tuya" / "compose", folder / "compose")
    return folder


def test_a_fragment_naming_an_unknown_attribute_fails_with_its_position(tuya_copy: Path) -> None:
    fragment = tuya_copy / "compose" / "relay_single.yaml"
    fragment.write_text(fragment.read_text().replace("      OnOff: {path:", "      OnOf: {path:", 1))
    done = validate(tuya_copy)
    assert done.returncode == 1
    (profile,) = json.loads(done.stdout)["files"]
    assert not profile["ok"]
    assert any("OnOf" in e["message"] for e in profile["errors"])
    assert "Traceback" not in done.stderr


def test_a_fragment_file_that_does_not_parse_is_located(tuya_copy: Path) -> None:
    fragment = tuya_copy / "compose" / "relay_gang.yaml"
    fragment.write_text(fragment.read_text() + "\n  bad: [unclosed\n")
    done = validate(tuya_copy)
    assert done.returncode == 1
    assert "relay_gang.yaml:" in done.stderr
    assert "Traceback" not in done.stderr


def test_a_sample_no_fragment_binds_is_reported_by_its_id(tuya_copy: Path) -> None:
    sample = {"id": "no-parts-here", "category": "cz", "function": {}, "status_range": {"child_lock": {}}, "status": {}}
    (tuya_copy / "compose" / "samples" / "nothing.json").write_text(json.dumps(sample))
    done = validate(tuya_copy)
    assert done.returncode == 1
    (profile,) = json.loads(done.stdout)["files"]
    assert [e["code"] for e in profile["errors"]] == ["no-fragment-applies"]
    assert profile["errors"][0]["sample"] == "no-parts-here"
