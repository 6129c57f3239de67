"""The committed mapping pages (docs/mappings/) are what `matter-map docs` writes for the shipped mappings."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from matter_map.cli import main

from .conftest import MAPPINGS, ROOT

COMMITTED = ROOT / "docs" / "mappings"


def test_committed_pages_are_current(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["docs", str(MAPPINGS), "-o", str(tmp_path)]) == 0
    written = json.loads(capsys.readouterr().out)["pages"]
    fresh = {Path(p).name: Path(p).read_text(encoding="utf-8") for p in written}
    committed = {p.name: p.read_text(encoding="utf-8") for p in COMMITTED.glob("*.md")}
    stale = sorted(name for name in fresh.keys() | committed.keys() if fresh.get(name) != committed.get(name))
    assert stale == [], f"regenerate: matter-map docs mappings/ -o docs/mappings  (stale: {stale})"


def test_a_page_shows_both_directions_loss_and_range_proof() -> None:
    page = (COMMITTED / "philips_hue.md").read_text(encoding="utf-8")
    row = next(line for line in page.splitlines() if line.startswith("| CurrentLevel | `dimming.brightness`"))
    assert "linear 0..100 → 0..254 (half_even)" in row  # vendor → Matter
    assert "linear 0..254 → 0..100 (none)" in row  # Matter → vendor
    assert "vendor ±0.19685" in row  # half a Matter step, in percent
    assert "1..254 ⊆ 0..254" in row  # the clamp proves CurrentLevel stays within its constraint
    assert "Unavailable from the vendor" in page
    tuya = (COMMITTED / "tuya.md").read_text(encoding="utf-8")
    assert "snapped to step `status_range.temp_set.value.step`" in tuya
    assert "unproven (per-device range)" not in tuya.split("## thermostat")[1].split("## ")[0]
