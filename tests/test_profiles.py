"""Loading vendor profiles: strict YAML and typed fragments, every problem with its fragment file position."""

from __future__ import annotations

from pathlib import Path

import pytest

from matter_map.diagnostics import MappingError
from matter_map.loader import mapping_files
from matter_map.profiles import load_profile, profile_file

from .conftest import MAPPINGS

PROFILE = """matter_map: 1
vendor: acme
profile: acme
title: test profile
device: {id: id}
declares: {codes: [spec]}
fragments: [a.yaml, b.yaml, missing.yaml]
"""

FRAGMENT = """fragment: relay
title: a relay
codes:
  relay: [switch]
clusters:
  OnOff:
    attributes:
      OnOff: {path: "state.${relay}"}
"""


def test_every_problem_points_at_its_file(tmp_path: Path) -> None:
    (tmp_path / "profile.yaml").write_text(PROFILE, encoding="utf-8")
    (tmp_path / "a.yaml").write_text(FRAGMENT, encoding="utf-8")
    (tmp_path / "b.yaml").write_text(FRAGMENT.replace("title: a relay", "title: a relay\npriorty: 3"), encoding="utf-8")
    with pytest.raises(MappingError) as caught:
        load_profile(tmp_path / "profile.yaml")
    found = {(d.code, Path(d.position.file).name, d.position.line) for d in caught.value.diagnostics if d.position}
    assert ("unknown-key", "b.yaml", 3) in found
    assert ("missing-fragment", "profile.yaml", 7) in found


def test_duplicate_fragment_names_are_refused(tmp_path: Path) -> None:
    (tmp_path / "profile.yaml").write_text(PROFILE.replace(", missing.yaml", ""), encoding="utf-8")
    (tmp_path / "a.yaml").write_text(FRAGMENT, encoding="utf-8")
    (tmp_path / "b.yaml").write_text(FRAGMENT, encoding="utf-8")
    with pytest.raises(MappingError) as caught:
        load_profile(tmp_path / "profile.yaml")
    assert [d.code for d in caught.value.diagnostics] == ["duplicate-fragment"]


def test_shipped_profiles_load_and_are_not_mapping_files() -> None:
    for vendor in ("tuya", "smartthings"):
        found = profile_file(MAPPINGS / vendor)
        assert found is not None
        assert load_profile(found).fragments
        assert not [f for f in mapping_files([MAPPINGS / vendor]) if "compose" in f.parts]
