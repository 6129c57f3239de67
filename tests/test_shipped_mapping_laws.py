"""Every shipped mapping passes its laws under the default profile (what `matter-map test mappings/` checks)."""

from __future__ import annotations

from pathlib import Path

import pytest

from matter_map.loader import mapping_files
from matter_map.testing.runner import check_file

from .conftest import MAPPINGS

SHIPPED = sorted(mapping_files([MAPPINGS]))


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.relative_to(MAPPINGS).with_suffix("").as_posix())
def test_shipped_mapping_passes_every_law(path: Path) -> None:
    report = check_file(path)
    assert report.error == "", report.error
    assert [o.render() for o in report.failures] == []
    assert report.examples > 0
