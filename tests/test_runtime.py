"""The runtime module on its own: standard library only, and its fast paths agree with the general forms."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from matter_map import runtime

JSON = st.recursive(
    st.none() | st.booleans() | st.integers(-(2**70), 2**70) | st.floats() | st.text(max_size=5),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=3), children, max_size=4),
    max_leaves=30,
)


@settings(max_examples=500)
@given(JSON)
def test_the_bounds_precheck_agrees_with_the_located_walk(value: Any) -> None:
    assert runtime.input_problem(value) == runtime.located_input_problem(value)


def test_the_bounds_precheck_refuses_depth_size_and_non_json() -> None:
    deep: list[Any] = []
    inner = deep
    for _ in range(runtime.MAX_DEPTH + 1):
        inner.append([])
        inner = inner[0]
    for value in (deep, [0] * (runtime.MAX_NODES + 1), {"a": {1: 2}}, [float("nan")], [2**65], "x" * 70_000, [{1}]):
        assert runtime.input_problem(value) is not None
        assert runtime.input_problem(value) == runtime.located_input_problem(value)


@settings(max_examples=300)
@given(st.text(max_size=12))
def test_plain_segments_take_the_fast_path_with_the_same_answer(text: str) -> None:
    plain = text.strip(runtime._PLAIN_SEGMENT) == "" and text != ""
    problem = runtime.segment_problem(text)
    if plain:
        assert problem is None
    assert (problem is None) == all(p not in ("", ".", "..") for p in _normalised_parts(text))


def _normalised_parts(text: str) -> list[str]:
    import re
    import unicodedata

    folded = unicodedata.normalize("NFKC", text)
    for _ in range(8):
        decoded = re.sub(
            r"%(?:2[eEfF]|5[cC]|25)",
            lambda m: {"2e": ".", "2f": "/", "5c": "\\", "25": "%"}[m.group(0)[1:].lower()],
            folded,
        )
        if decoded == folded:
            break
        folded = decoded
    return folded.replace("\\", "/").split("/")


def test_the_runtime_imports_only_the_standard_library_at_import() -> None:
    tree = ast.parse(Path(runtime.__file__).read_text(encoding="utf-8"))
    top = [n for n in tree.body if isinstance(n, ast.Import | ast.ImportFrom)]
    assert [ast.unparse(n) for n in top] == ["from __future__ import annotations", "import math"]
    script = f"import sys; sys.path.insert(0, {str(Path(runtime.__file__).parent)!r}); import runtime; print('ok')"
    done = subprocess.run([sys.executable, "-I", "-S", "-c", script], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "ok"
