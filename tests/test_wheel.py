"""The package as users get it: the wheel, installed into a fresh venv outside the repository, drives a new device
kind through init, validate, to-matter, to-vendor, test and generate."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import venv
import zipfile
from pathlib import Path

import pytest

from .conftest import ROOT

FIXTURE = Path(__file__).parent / "fixtures" / "acme_plug.json"
ON_COMMAND = {
    "Endpoints": [
        {
            "endpointId": "1",
            "capabilities": [
                {"id": "matter.OnOff@1.4", "name": "OnOff", "version": "1", "actions": [{"name": "On"}]},
            ],
        }
    ]
}


def run(command: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    completed = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True, check=False, timeout=600)
    assert completed.returncode == 0, f"{command}\n{completed.stdout}\n{completed.stderr}"
    return completed


@pytest.mark.wheel
def test_the_installed_wheel_drafts_checks_translates_tests_and_generates_a_new_kind(tmp_path: Path) -> None:
    wheels = tmp_path / "wheels"
    run([sys.executable, "-m", "pip", "wheel", str(ROOT), "--no-deps", "--quiet", "-w", str(wheels)], tmp_path)
    (wheel,) = wheels.glob("matter_map-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    info = next(n.split("/")[0] for n in names if n.endswith(".dist-info/METADATA"))
    assert {
        "matter_map/data/matter-catalog.json",
        "matter_map/data/mapping.schema.json",
        "matter_map/data/payload-model.json",
        "matter_map/data/NOTICE",
        f"{info}/licenses/LICENSE",
    } <= names
    metadata = zipfile.ZipFile(wheel).read(f"{info}/METADATA").decode()
    assert "License-Expression: Apache-2.0" in metadata

    env_dir = tmp_path / "venv"
    venv.EnvBuilder(with_pip=True).create(env_dir)
    bin_dir = env_dir / ("Scripts" if os.name == "nt" else "bin")
    run([str(bin_dir / "python"), "-m", "pip", "install", "--quiet", f"{wheel}[property]"], tmp_path)
    work = tmp_path / "work"
    work.mkdir()
    (work / "plug.json").write_text(FIXTURE.read_text(encoding="utf-8"), encoding="utf-8")
    (work / "on.json").write_text(json.dumps(ON_COMMAND), encoding="utf-8")
    cli = str(bin_dir / "matter-map")

    drafted = json.loads(run([cli, "init", "acme", "smart_plug", "plug.json", "--format", "json"], work).stdout)
    assert {(b["cluster"], b["attribute"]) for b in drafted["bindings"]} >= {("OnOff", "OnOff")}
    mapping = work / "mappings" / "acme" / "smart_plug.yaml"
    assert json.loads(run([cli, "validate", str(mapping)], work).stdout)["ok"] is True

    events = json.loads(run([cli, "to-matter", "mappings/acme/smart_plug.yaml", "plug.json"], work).stdout)
    assert events[0]["ConnectorDeviceId"] == "plug-7f3a"
    on_off = next(c for c in events[0]["MatterEndpoint"]["clusters"] if c["id"] == "0x0006")
    assert on_off["attributes"]["0x0000"] is True

    requests = json.loads(run([cli, "to-vendor", "mappings/acme/", "on.json", "--state", "plug.json"], work).stdout)
    assert requests[0]["body"] == {"state": {"power": "on"}}

    tested = json.loads(run([cli, "test", "mappings/"], work).stdout)
    assert tested["ok"] is True
    assert tested["totals"]["bindings_checked"] >= 1
    assert not (work / ".hypothesis").exists()

    generated = json.loads(run([cli, "generate", "mappings/", "-o", "out"], work).stdout)
    assert str(Path("out/acme/smart_plug.py")) in generated["written"]
    module_run = run(
        [
            str(bin_dir / "python"),
            "-c",
            "import json, out.acme.smart_plug as m; print(json.dumps(m.to_matter(json.load(open('plug.json')))))",
        ],
        work,
    )
    assert json.loads(module_run.stdout) == events

    schema = run([cli, "schema", "mapping"], work).stdout
    assert json.loads(schema) == json.loads((ROOT / "schemas" / "mapping.schema.json").read_text(encoding="utf-8"))
