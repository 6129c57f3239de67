"""The command line as scripts use it: JSON on stdout, diagnostics on stderr, exit 0/1/2."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import HUE, ROOT, SAMPLES


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "matter_map", *args], capture_output=True, text=True, check=False, cwd=ROOT
    )


def write_command(tmp_path: Path, action: str, **params: object) -> str:
    command = {
        "Endpoints": [
            {
                "endpointId": "1",
                "capabilities": [
                    {
                        "id": "matter.LevelControl@1.4" if "Level" in action else "matter.OnOff@1.4",
                        "name": "x",
                        "version": "1",
                        "actions": [{"name": action, "parameters": params}],
                    }
                ],
            }
        ]
    }
    path = tmp_path / "command.json"
    path.write_text(json.dumps(command))
    return str(path)


def test_catalog_summary() -> None:
    completed = run("catalog")
    assert completed.returncode == 0
    summary = json.loads(completed.stdout)
    assert summary["clusters"] >= 120
    assert summary["device_types"] >= 80
    assert summary["source"]["package"] == "@matter/model"


def test_catalog_cluster_by_hex_id() -> None:
    cluster = json.loads(run("catalog", "0x0008").stdout)
    assert cluster["name"] == "LevelControl"
    assert any(a["name"] == "CurrentLevel" for a in cluster["attributes"])


def test_to_vendor_move_to_level(tmp_path: Path) -> None:
    completed = run(
        "to-vendor",
        str(HUE),
        write_command(tmp_path, "MoveToLevel", Level=127),
        "--state",
        str(SAMPLES / "extended_color_light.json"),
    )
    assert completed.returncode == 0, completed.stderr
    (request,) = json.loads(completed.stdout)
    assert request["method"] == "PUT"
    assert request["url"].endswith("/clip/v2/resource/light/3f9c2a1e-5b7d-4c8e-9a01-2b3c4d5e6f70")
    assert abs(request["body"]["dimming"]["brightness"] - 50) <= 0.5


def test_to_vendor_off(tmp_path: Path) -> None:
    completed = run("to-vendor", str(HUE / "on_off_light.yaml"), write_command(tmp_path, "Off"), "--device-id", "x")
    assert json.loads(completed.stdout)[0]["body"] == {"on": {"on": False}}


def test_out_of_range_level_exits_1_with_no_request(tmp_path: Path) -> None:
    completed = run(
        "to-vendor",
        str(HUE / "extended_color_light.yaml"),
        write_command(tmp_path, "MoveToLevel", Level=300),
        "--device-id",
        "x",
    )
    assert completed.returncode == 1
    (problem,) = json.loads(completed.stdout)["problems"]  # piped: the problems as JSON, and no request
    assert (problem["code"], problem["rule"]) == ("out-of-range", "LevelControl.MoveToLevel")
    assert problem["source"].startswith(str(HUE / "extended_color_light.yaml") + ":")
    assert "out-of-range" in completed.stderr
    assert "Traceback" not in completed.stderr


def test_to_matter_from_a_vendor_folder() -> None:
    completed = run("to-matter", str(HUE), str(SAMPLES / "dimmable_light.json"), "--connector-id", "c1")
    assert completed.returncode == 0, completed.stderr
    (event,) = json.loads(completed.stdout)
    assert event["ConnectorId"] == "c1"
    levels = [c for c in event["MatterEndpoint"]["clusters"] if c["id"] == "0x0008"]
    assert levels[0]["attributes"]["0x0000"] == 1  # 0.4 % → 1.016 → 1


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (("to-matter", "mappings/philips_hue", "missing.json"), 1, "cannot read"),
        (("to-matter", "mappings/philips_hue", "pyproject.toml"), 1, "invalid JSON"),
        (("to-matter", "nowhere/", "pyproject.toml"), 1, "invalid JSON"),
        (("validate",), 2, "usage"),
        (("frobnicate",), 2, "invalid choice"),
        (("catalog", "NoSuchCluster"), 1, "no cluster or device type"),
    ],
)
def test_user_errors_are_one_line_not_tracebacks(args: tuple[str, ...], code: int, message: str) -> None:
    completed = run(*args)
    assert completed.returncode == code
    assert message in completed.stderr
    assert "Traceback" not in completed.stderr


def test_no_mapping_matches(tmp_path: Path) -> None:
    state = tmp_path / "s.json"
    state.write_text(json.dumps({"type": "camera", "id": "x"}))
    completed = run("to-matter", str(HUE), str(state))
    assert completed.returncode == 1
    assert "no-matching-mapping" in completed.stderr
