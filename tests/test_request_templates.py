"""Request templates compiled once: the nodes name exactly what the runtime's `fill` reads, in its order."""

from __future__ import annotations

from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from matter_map.request_templates import (
    DeviceId,
    DevicePath,
    FieldText,
    FieldValue,
    Literal,
    ObjectNode,
    StateValue,
    Text,
    compile_body,
    compile_url,
    field_reference,
)
from matter_map.runtime import fill

NAMES = st.sampled_from(["Level", "Hue", "value", "x1", "device_id"])
PATHS = st.sampled_from(["state.on", "a[0].b", 'x["y.z"]', "bad[", ""])
STRINGS = st.one_of(
    st.text(max_size=6),
    NAMES.map(lambda n: "$" + n),
    NAMES.map(lambda n: "$$" + n),
    PATHS.map(lambda p: "$state:" + p),
    st.tuples(st.text(max_size=3), NAMES, st.text(max_size=3)).map(lambda t: f"{t[0]}{{${t[1]}}}{t[2]}"),
    st.sampled_from(["$", "{$}", "{$1a}", "$a b", "{$Level"]),
)
SCALARS = st.one_of(st.none(), st.booleans(), st.integers(-5, 5), st.floats(allow_nan=False), STRINGS)
TEMPLATES = st.recursive(
    SCALARS,
    lambda inner: st.one_of(st.lists(inner, max_size=3), st.dictionaries(st.text(max_size=3), inner, max_size=3)),
    max_leaves=12,
)


class _Recording(dict[str, Any]):
    """Values that remember every name the runtime asks for."""

    def __init__(self) -> None:
        super().__init__()
        self.asked: set[str] = set()

    def get(self, key: str, default: Any = None) -> Any:
        self.asked.add(key)
        return default


@given(TEMPLATES)
def test_a_compiled_body_names_the_fields_and_state_paths_fill_reads(raw: Any) -> None:
    values = _Recording()
    read: list[str] = []
    fill(raw, values, read.append)
    compiled = compile_body(raw)
    assert compiled.fields == values.asked
    assert [state.text for state in compiled.states] == read
    assert compiled.interpolated <= compiled.fields
    assert compiled.raw is raw


def test_each_kind_of_string_becomes_its_node() -> None:
    compiled = compile_body({"a": "$Level", "b": "$$Level", "c": "$state:x.y", "d": "hue:{$Hue}!", "e": 3})
    assert compiled.root == ObjectNode(
        (
            ("a", FieldValue("Level")),
            ("b", Literal("$Level")),
            ("c", StateValue("x.y", compiled.states[0].path)),
            ("d", Text(("hue:", FieldText("Hue"), "!"))),
            ("e", Literal(3)),
        )
    )
    assert compiled.states[0].path is not None
    assert compiled.states[0].path.text == "x.y"
    assert (compiled.fields, compiled.interpolated) == (frozenset({"Level", "Hue"}), frozenset({"Hue"}))
    assert compile_body("$state:bad[").states == (StateValue("bad[", None),)


@given(
    st.lists(
        st.one_of(
            st.text(max_size=4), NAMES.map(lambda n: f"{{${n}}}"), st.just("{device_id}"), st.just("{device_path}")
        )
    )
)
def test_a_url_template_splits_at_its_holes_and_joins_back(pieces: list[str]) -> None:
    raw = "".join(pieces)
    url = compile_url(raw)
    rebuilt = "".join(
        p
        if isinstance(p, str)
        else "{device_id}"
        if isinstance(p, DeviceId)
        else "{device_path}"
        if isinstance(p, DevicePath)
        else f"{{${p.name}}}"
        for p in url.parts
    )
    assert rebuilt == raw
    assert str(url) == raw


def test_a_write_value_names_a_field_only_when_it_is_one_whole_name() -> None:
    assert [field_reference(v) for v in ("$Level", "$$Level", "$a b", "Level", 3)] == ["Level", None, None, None, None]
