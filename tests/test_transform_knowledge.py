"""Each transform class carries what the tools know of it: docs text, output kind, vendor values, code emission."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from typing import Any

import pytest

from matter_map import transforms as t
from matter_map.codegen.transforms import EMITTERS
from matter_map.loader import load_mapping, mapping_files
from matter_map.runtime import scalar_key

from .conftest import MAPPINGS


def _shipped_transforms() -> list[t.Transform]:
    def walk(node: Any) -> Iterator[t.Transform]:
        if isinstance(node, t.Transform):
            yield node
        elif dataclasses.is_dataclass(node) and not isinstance(node, type):
            for item in dataclasses.fields(node):
                yield from walk(getattr(node, item.name))
        elif isinstance(node, tuple | list):
            for item in node:
                yield from walk(item)

    return [x for path in mapping_files([MAPPINGS]) for x in walk(load_mapping(path).compiled)]


SHIPPED = _shipped_transforms()


@pytest.mark.parametrize("cls", list(t.TRANSFORMS.values()), ids=lambda c: c.name)
def test_every_transform_describes_itself_and_has_a_code_emitter(cls: type[t.Transform]) -> None:
    assert cls.describe is not t.Transform.describe, f"{cls.__name__} keeps no docs text of its own"
    assert cls in EMITTERS, f"{cls.__name__} has no code emitter"


def test_the_shipped_mappings_use_every_transform() -> None:
    assert {type(x) for x in SHIPPED} == set(t.TRANSFORMS.values())


def test_every_vendor_value_a_transform_names_maps_and_aliases_map_like_their_canonical_spelling() -> None:
    named = [x for x in SHIPPED if x.vendor_values() is not None]
    assert named, "no shipped transform names its vendor values"
    for transform in named:
        for value in transform.vendor_values() or ():
            matter = transform.forward(value, {})
            canonical = transform.canonical(value)
            assert scalar_key(transform.forward(canonical, {})) == scalar_key(matter), (transform, value)


def test_a_transform_that_reads_the_old_value_selects_a_member_so_it_is_structural() -> None:
    assert all(cls.structural for cls in t.TRANSFORMS.values() if cls.reads_old)
