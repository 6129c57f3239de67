"""The strict YAML loader: JSON-typed scalars, duplicate keys, positions, hostile documents."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from matter_map.diagnostics import MappingError
from matter_map.yaml_loader import MAX_NODES, load_yaml, scalar_value


def codes(exc: MappingError) -> list[str]:
    return [d.code for d in exc.diagnostics]


def test_yaml11_surprises_keep_their_text() -> None:
    doc = load_yaml("a: on\nb: 010\nc: 12:30\nd: 2024-01-02\ne: yes\nf: Off\ng: 0x10\n", "t.yaml")
    assert doc.value == {
        "a": "on",
        "b": "010",
        "c": "12:30",
        "d": "2024-01-02",
        "e": "yes",
        "f": "Off",
        "g": "0x10",
    }


def test_json_scalars_are_typed() -> None:
    doc = load_yaml("a: true\nb: false\nc: null\nd: 12\ne: -1.5\nf: 1e3\ng: '12'\nh: ~\n", "t.yaml")
    assert doc.value == {
        "a": True,
        "b": False,
        "c": None,
        "d": 12,
        "e": -1.5,
        "f": 1000.0,
        "g": "12",
        "h": None,
    }
    assert isinstance(doc.value["d"], int)


def test_duplicate_keys_name_both_positions() -> None:
    with pytest.raises(MappingError) as info:
        load_yaml("a:\n  x: 1\n  y: 2\n  x: 3\n", "dup.yaml")
    (diag,) = info.value.diagnostics
    assert diag.code == "duplicate-key"
    assert str(diag.position) == "dup.yaml:4:3"
    assert "dup.yaml:2:3" in diag.message


def test_positions_point_at_values_and_keys() -> None:
    doc = load_yaml("top:\n  list:\n    - a\n    - {k: v}\n", "p.yaml")
    assert str(doc.position(("top", "list", 1, "k"))) == "p.yaml:4:8"
    assert str(doc.value_position(("top", "list", 0))) == "p.yaml:3:7"
    assert str(doc.position(("top", "missing", "deeper"))) == "p.yaml:1:1"


def test_tags_are_refused() -> None:
    with pytest.raises(MappingError) as info:
        load_yaml("a: !!python/object:os.system echo\n", "tag.yaml")
    assert codes(info.value) == ["yaml-tag"]


def test_alias_bomb_is_bounded() -> None:
    levels = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    levels += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 10)}]" for i in range(1, 7)]
    with pytest.raises(MappingError) as info:
        load_yaml("\n".join(levels) + "\n", "bomb.yaml")
    assert codes(info.value) == ["document-too-large"]
    assert str(MAX_NODES) in info.value.diagnostics[0].message


def test_recursive_alias_is_refused() -> None:
    with pytest.raises(MappingError) as info:
        load_yaml("a: &x\n  b: *x\n", "rec.yaml")
    assert "yaml-recursive-alias" in codes(info.value)


def test_syntax_error_has_position() -> None:
    with pytest.raises(MappingError) as info:
        load_yaml("a: [1, 2\nb: 3\n", "bad.yaml")
    (diag,) = info.value.diagnostics
    assert diag.code == "yaml-syntax"
    assert diag.position is not None
    assert diag.position.file == "bad.yaml"


def test_merge_keys_and_complex_keys_are_refused() -> None:
    with pytest.raises(MappingError) as info:
        load_yaml("base: &b {x: 1}\nother:\n  <<: *b\n? [1, 2]\n: v\n", "m.yaml")
    assert sorted(codes(info.value)) == ["yaml-key", "yaml-merge-key"]


def test_oversized_document_is_refused() -> None:
    with pytest.raises(MappingError) as info:
        load_yaml("a: " + "x" * (1 << 20) + "\n", "big.yaml")
    assert codes(info.value) == ["document-too-large"]


@given(st.integers(min_value=-(10**12), max_value=10**12))
def test_integers_round_trip(n: int) -> None:
    assert scalar_value(str(n)) == n


@given(st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=20))
def test_quoted_strings_stay_strings(text: str) -> None:
    escaped = text.replace("\\", "\\\\").replace('"', '\\"')
    escaped = "".join(c if c.isprintable() else f"\\U{ord(c):08x}" for c in escaped)
    doc = load_yaml(f'k: "{escaped}"\n', "q.yaml")
    assert doc.value == {"k": text}


def test_escaped_surrogate_pairs_become_one_character() -> None:
    doc = load_yaml('a: "\\ud83d\\ude00"\n', "s.yaml")
    assert doc.value == {"a": "\U0001f600"}
    with pytest.raises(MappingError) as info:
        load_yaml('a: "\\ud83d"\n', "lone.yaml")
    assert codes(info.value) == ["yaml-encoding"]
