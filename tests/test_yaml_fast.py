"""libyaml's parser feeds the positioned loader with the same values and positions as PyYAML's pure-Python one."""

from __future__ import annotations

from typing import Any

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from matter_map.drafting import to_yaml
from matter_map.loader import mapping_files
from matter_map.yaml_loader import MISSING_NODE, compose_fast, compose_pure, load_with

from .conftest import MAPPINGS

pytestmark = pytest.mark.skipif(compose_fast("a: 1") is MISSING_NODE, reason="PyYAML is built without libyaml")

HOSTILE = [
    'a: "é😀"\nb: [1, {c: d}]\n',
    "k: ééé\n  x: 1\n",
    "a: &x [1, 2]\nb: *x\nc: *x\n",
    "\ufeffa: 1\n",
    "- 1\n- \n-\n",
    "a:\r\n  b: 1\r\n  c: 'x'\r\n",
    "a: 1\n...\n",
    "%YAML 1.1\n---\na: 1\n",
    "a: |\n  line one\n  line two\n",
    "a: >-\n  folded\n  text\n",
    "? complex\n: value\n",
    "a: !!str 5\n",
    "a: 1\na: 2\n",
    "<<: {a: 1}\n",
    "a: [1, [2, [3, {b: [4]}]]]\n",
    "'quoted key': \"x\\ty\"\n",
    "a: 0x10\nb: 1e3\nc: .5\nd: -0\ne: ~\nf: null\ng: yes\n",
    "a:    \n  - b:   c\n    d:\n",
    "",
    "# only a comment\n",
    "a: b: c\n",
    "a: 'unclosed\n",
]


def same(text: str) -> None:
    fast = compose_fast(text)
    if fast is MISSING_NODE:  # libyaml refused it: the loader falls back to the pure parser, nothing to compare
        return
    assert load_with(compose_fast, text, "f.yaml") == load_with(compose_pure, text, "f.yaml")


@pytest.mark.parametrize("file", list(mapping_files([MAPPINGS])), ids=lambda p: f"{p.parent.name}/{p.name}")
def test_every_shipped_mapping_loads_the_same_with_both_parsers(file: Any) -> None:
    text = file.read_text(encoding="utf-8")
    assert compose_fast(text) is not MISSING_NODE
    same(text)


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_inputs_load_the_same_or_fall_back(text: str) -> None:
    try:
        compose_pure(text)
    except yaml.YAMLError:
        assert compose_fast(text) is MISSING_NODE  # libyaml refuses what PyYAML refuses
        return
    same(text)


json_scalars = st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False) | st.text()
documents = st.dictionaries(
    st.text(min_size=1, max_size=8),
    st.recursive(
        json_scalars,
        lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(min_size=1, max_size=6), inner, max_size=3),
        max_leaves=10,
    ),
    min_size=1,
    max_size=4,
)


@given(documents)
def test_generated_documents_load_the_same(document: dict[str, Any]) -> None:
    same("\n".join(to_yaml(document)) + "\n")


@given(st.text(alphabet=st.sampled_from(list("ab: -[]{},'\"\n#&*!|>?%@`\t\\é")), max_size=40))
def test_arbitrary_text_loads_the_same_or_falls_back(text: str) -> None:
    try:
        compose_pure(text)
    except yaml.YAMLError:
        return
    same(text)
