"""Per-binding reader closures the interpreter builds once from the IR (paths parsed, rules and types resolved)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from matter_map.ir import AttributeIR
from matter_map.rules import compile_rule
from matter_map.runtime import (
    MISSING,
    TransformError,
    TranslationError,
    bad_value,
    check_value,
    get_path,
    missing_value,
    out_of_range,
)

#: (state, partial) → the Matter value, MISSING when the binding reports nothing; raises TranslationError
Reader = Callable[[Any, bool], Any]


def attribute_reader(attr: AttributeIR) -> Reader:
    """What `Translator.read_attribute` does for this binding, with everything the IR fixes decided now."""
    if attr.otherwise is not None and attr.when is not None:
        chosen, fallback, when = _plain_reader(attr), attribute_reader(attr.otherwise), compile_rule(attr.when)
        return lambda state, partial: chosen(state, partial) if when(state) else fallback(state, partial)
    return _plain_reader(attr)


def _plain_reader(attr: AttributeIR) -> Reader:
    when = compile_rule(attr.when) if attr.when is not None else None
    if attr.is_const:
        const = attr.const
        if when is None:
            return lambda state, partial: MISSING if partial else const
        return lambda state, partial: MISSING if partial or not when(state) else const
    assert attr.path is not None
    segments = attr.path.segments
    where = (str(attr.path), f"{attr.cluster}.{attr.name}", str(attr.source))
    forwards = tuple(t.forward for t in attr.chain.transforms)
    checks = attr.type.checks
    nullable, optional = attr.type.nullable, attr.optional

    def read(state: Any, partial: bool) -> Any:
        if when is not None and not when(state):
            return MISSING
        raw = get_path(state, segments)
        if raw is MISSING or (raw is None and not nullable):
            if optional or partial:
                return MISSING
            raise TranslationError([missing_value(where, raw)])
        value = raw
        try:
            for forward in forwards:
                value = forward(value, state)
        except TransformError as exc:
            if optional:  # an optional binding omits what it cannot map (outcomes.py says why)
                return MISSING
            raise TranslationError([bad_value(where, raw, exc)]) from None
        problem = check_value(value, checks)
        if problem:
            if optional:
                return MISSING
            raise TranslationError([out_of_range(where, raw, problem)])
        return value

    return read
