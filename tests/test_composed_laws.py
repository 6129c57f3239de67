"""Round-trip laws (`matter-map test`) on the mappings each vendor profile composes for its own samples."""

from __future__ import annotations

import pytest

from matter_map.testing.runner import check_profile

from .conftest import MAPPINGS


@pytest.mark.parametrize("vendor", ["tuya", "smartthings"])
def test_composed_samples_pass_every_law(vendor: str) -> None:
    reports = check_profile(MAPPINGS / vendor / "compose" / "profile.yaml")
    assert len(reports) >= 4  # distinct composed shapes among the samples
    assert [r.error for r in reports if r.error] == []
    assert [o.render() for r in reports for o in r.failures] == []
    assert sum(r.bindings_checked for r in reports) > 10
