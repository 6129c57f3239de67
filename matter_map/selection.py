"""Choose the one mapping of a vendor folder whose match rule recognises a vendor payload."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from matter_map.errors import TranslationError, TranslationProblem
from matter_map.input_limits import check_input
from matter_map.ir import CompiledMapping
from matter_map.rules import matches


def select_mapping(mappings: Sequence[CompiledMapping], state: Any) -> CompiledMapping:
    """Exactly one mapping must match; none or several is an error that names the candidates."""
    if len(mappings) == 1:
        return mappings[0]
    check_input(state, "the vendor state")  # match rules compare whole values: bound them first
    found = [m for m in mappings if matches(m.match, state)]
    if len(found) == 1:
        return found[0]
    if not found:
        names = ", ".join(m.identity for m in mappings)
        raise TranslationError(
            [TranslationProblem("no-matching-mapping", f"no mapping recognises this payload (tried {names})")]
        )
    names = ", ".join(m.identity for m in found)
    raise TranslationError(
        [
            TranslationProblem(
                "ambiguous-mapping",
                f"several mappings recognise this payload ({names}): make their match rules exclusive",
            )
        ]
    )
