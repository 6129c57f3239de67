"""scripts/measure_fleet.py: per vendor and category, how many devices of a folder of real payloads translate.

The measured fleet is any folder named by MATTER_MAP_REAL_FLEET (device payloads captured from the vendors' clouds,
kept outside the repository); without it that test is skipped. The script itself is tested here on a folder of the
repository's own samples and on payloads built to fail in each way it counts."""

from __future__ import annotations

import importlib.util
import json
import os
import shutil
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from .conftest import MAPPINGS, ROOT

TARGET = 0.95


def measure_fleet() -> ModuleType:
    spec = importlib.util.spec_from_file_location("measure_fleet", ROOT / "scripts" / "measure_fleet.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("measure_fleet", module)
    spec.loader.exec_module(module)
    return module


def test_a_real_fleet_translates_in_every_category(capsys: pytest.CaptureFixture[str]) -> None:
    folder = os.environ.get("MATTER_MAP_REAL_FLEET", "")
    if not folder or not Path(folder).is_dir():
        pytest.skip("MATTER_MAP_REAL_FLEET names no folder of captured device payloads (Tuya, SmartThings) to measure")
    script = measure_fleet()
    devices = list(script.devices_in(Path(folder)))
    assert devices, f"no Tuya or SmartThings device payload under {folder}"
    rows = script.measure(devices, MAPPINGS)
    with capsys.disabled():
        sys.stdout.write("\n" + script.render(rows) + "\n")
    assert script.short_of(rows, TARGET) == {}


def copy_samples(target: Path) -> int:
    count = 0
    for vendor in ("tuya", "smartthings"):
        for sample in sorted((MAPPINGS / vendor / "compose" / "samples").glob("*.json")):
            (target / vendor).mkdir(exist_ok=True)
            shutil.copy(sample, target / vendor / sample.name)
            count += 1
    return count


def test_the_repository_samples_all_translate(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    count = copy_samples(tmp_path)
    script = measure_fleet()
    assert script.main([str(tmp_path)]) == 0
    table = capsys.readouterr().out
    total = next(line for line in table.splitlines() if line.startswith("all "))
    assert total.split()[1:4] == [str(count), "0", str(count)]  # devices, empty, translated
    assert "crashed:" not in table
    assert "bad command:" not in table
    rows = script.measure(list(script.devices_in(tmp_path)), MAPPINGS)
    assert sum(row.commands for row in rows.values()) > 0  # lights and plugs had their commands checked


def tuya(category: str, codes: dict[str, Any], status: dict[str, Any], writable: tuple[str, ...]) -> dict[str, Any]:
    return {
        "name": "captured",
        "category": category,
        "function": {c: codes[c] for c in writable},
        "status_range": codes,
        "status": status,
    }


def test_refusals_empty_devices_and_short_categories_are_counted(tmp_path: Path) -> None:
    boolean = {"type": "Boolean", "value": {}}
    devices = {
        "plug": tuya("cz", {"switch_1": boolean}, {"switch_1": True}, ("switch_1",)),
        "lock_only": tuya("cz", {"child_lock": boolean}, {"child_lock": False}, ("child_lock",)),
        "never_set_up": tuya("dd", {}, {}, ()),
        "unreported": {"components": {"main": {"switch": {"switch": {"value": None}}}}},
        "valve": {"components": {"main": {"valve": {"valve": {"value": "closed"}}}}},  # a kind nothing claims
    }
    for name, state in devices.items():
        (tmp_path / f"{name}.json").write_text(json.dumps(state), encoding="utf-8")
    (tmp_path / "notes.json").write_text('["not a device"]', encoding="utf-8")
    script = measure_fleet()
    rows = script.measure(list(script.devices_in(tmp_path)), MAPPINGS)
    cz, dd = rows[("tuya", "cz")], rows[("tuya", "dd")]
    assert (cz.devices, cz.translated, dict(cz.refused)) == (2, 1, {"no-fragment-applies": 1})
    assert cz.commands == 2
    assert cz.bad_commands == []
    assert (dd.devices, dd.empty, dd.translated) == (1, 1, 0)
    assert rows[("smartthings", "switch")].empty == 1
    other = rows[("smartthings", "other")]
    assert (other.covered, other.translated, dict(other.refused)) == (False, 0, {"no-fragment-applies": 1})
    short = script.short_of(rows, TARGET)
    assert short == {("tuya", "cz"): "1/2"}  # empty devices and kinds nothing claims are shown, not held
    assert script.main([str(tmp_path)]) == 1


def test_a_body_outside_the_device_spec_is_reported() -> None:
    script = measure_fleet()
    spec = {"type": "Integer", "value": {"min": "25", "max": "255", "scale": 0, "step": 1}}
    assert script.tuya_value_problem(spec, 255) is None  # bounds given as numeric strings, as some products do
    assert script.tuya_value_problem(spec, 1000) == "1000 is outside 25..255"
    assert script.tuya_value_problem({"type": "Enum", "value": {"range": ["a"]}}, "b") == "'b' is not one of ['a']"
    assert script.tuya_value_problem({"type": "Boolean", "value": {}}, 1) == "1 is not a Boolean"


def test_a_missing_folder_is_a_usage_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    script = measure_fleet()
    assert script.main([str(tmp_path / "absent")]) == 2
    assert "no folder" in capsys.readouterr().err
    assert script.main([str(tmp_path)]) == 2
    assert "no Tuya or SmartThings device payload" in capsys.readouterr().err
