"""Per-binding reader closures the interpreter builds once from the IR (paths parsed, rules and types resolved)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from matter_map import transforms as t
from matter_map.ir import AttributeIR, ConstSource, PathSource, StructFieldIR, StructSource
from matter_map.paths import VendorPath
from matter_map.rules import Test, compile_rule
from matter_map.runtime import (
    MISSING,
    NOT_FOUND,
    Ref,
    TransformError,
    TranslationError,
    TranslationProblem,
    bad_value,
    check_value,
    get_path,
    implausible,
    implausible_value,
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


def _bounds(vendor_range: tuple[Any, Any] | None) -> tuple[Any, Any] | None:
    """A declared vendor range in the runtime's form (per-device bounds as runtime `Ref`s)."""
    if vendor_range is None:
        return None
    low, high = (Ref(v.path.segments, v.path.text) if isinstance(v, t.Ref) else v for v in vendor_range)
    return low, high


def _plain_reader(attr: AttributeIR) -> Reader:
    when = compile_rule(attr.when) if attr.when is not None else None
    match attr.reads:
        case StructSource(fields=fields):
            return _struct_reader(attr, fields)
        case ConstSource(value=const):
            if when is None:
                return lambda state, partial: MISSING if partial else const
            return lambda state, partial: MISSING if partial or not when(state) else const
        case PathSource(path=path):
            return _path_reader(attr, path, when)


def _path_reader(attr: AttributeIR, path: VendorPath, when: Test | None) -> Reader:
    segments = path.segments
    where = (str(path), f"{attr.cluster}.{attr.name}", str(attr.source))
    forwards = tuple(t.forward for t in attr.chain.transforms)
    checks = attr.type.checks
    nullable, optional = attr.type.nullable, attr.optional
    fetch = _fetch(segments, often_absent=optional)
    kind, _, low, high, enum, values = checks
    #: the bounds of a plain integer type, checked inline (what `check_value` decides first, without the call)
    span = (low, high) if kind == "int" and low is not None and high is not None and not enum and not values else None
    bounds = _bounds(attr.vendor_range)
    #: static bounds, low first: a plain number within them is plausible without the call
    plain = sorted(bounds) if bounds is not None and not any(isinstance(v, Ref) for v in bounds) else (1, 0)

    def read(state: Any, partial: bool) -> Any:
        if when is not None and not when(state):
            return MISSING
        raw = fetch(state)
        if raw is MISSING or (raw is None and not nullable):
            if optional or partial:
                return MISSING
            raise TranslationError([missing_value(where, raw)])
        if (
            bounds is not None
            and not ((type(raw) is int or type(raw) is float) and plain[0] <= raw <= plain[1])
            and (why := implausible(raw, bounds[0], bounds[1], state))
        ):
            if optional:  # omitted, never clamped into a valid-looking value (outcomes.py says why)
                return MISSING
            raise TranslationError([implausible_value(where, raw, why)])
        value = raw
        try:
            for forward in forwards:
                value = forward(value, state)
        except TransformError as exc:
            if optional:  # an optional binding omits what it cannot map (outcomes.py says why)
                return MISSING
            raise TranslationError([bad_value(where, raw, exc)]) from None
        if span is not None and type(value) is int and span[0] <= value <= span[1]:
            return value
        problem = check_value(value, checks)
        if problem:
            if optional:
                return MISSING
            raise TranslationError([out_of_range(where, raw, problem)])
        return value

    return read


def _fetch(segments: tuple[Any, ...], *, often_absent: bool) -> Callable[[Any], Any]:
    """The value at a path, or MISSING: a plain key path of a value that is usually there by subscription (as
    generated modules read it), anything else by the runtime's walk (raising and catching KeyError costs more)."""
    if often_absent or not segments or not all(type(s) is str for s in segments):
        return lambda state: get_path(state, segments)
    keys = tuple(segments)

    def fetch(state: Any) -> Any:
        try:
            for key in keys:
                state = state[key]
        except NOT_FOUND:
            return MISSING
        return state

    return fetch


def _struct_reader(attr: AttributeIR, specs: tuple[StructFieldIR, ...]) -> Reader:
    """A struct built field by field (keyed by hex field id), each field checked against its type; a missing
    required field omits an optional attribute, else it is a problem."""
    when = compile_rule(attr.when) if attr.when is not None else None
    constants = {spec.hex_id: spec.reads.value for spec in specs if isinstance(spec.reads, ConstSource)}
    fields = tuple(_struct_field(attr, spec, spec.reads.path) for spec in specs if isinstance(spec.reads, PathSource))
    order = tuple(spec.hex_id for spec in specs)
    optional = attr.optional

    def read(state: Any, partial: bool) -> Any:
        if when is not None and not when(state):
            return MISSING
        values = dict(constants)
        problems: list[TranslationProblem] = []
        read_any = False
        for hex_id, field in fields:
            raw, outcome = field(state)
            read_any = read_any or raw is not MISSING
            if isinstance(outcome, TranslationProblem):
                problems.append(outcome)
            elif outcome is not MISSING:
                values[hex_id] = outcome
        if partial and not read_any:
            return MISSING
        if problems:
            if optional:
                return MISSING
            raise TranslationError(problems)
        return {hex_id: values[hex_id] for hex_id in order if hex_id in values}

    return read


def _struct_field(
    attr: AttributeIR, spec: StructFieldIR, path: VendorPath
) -> tuple[str, Callable[[Any], tuple[Any, Any]]]:
    """(hex id, state → (the raw vendor value or MISSING, the field's value, MISSING or its problem))."""
    segments = path.segments
    where = (str(path), f"{attr.cluster}.{attr.name}.{spec.name}", str(attr.source))
    forwards = tuple(tr.forward for tr in spec.chain.transforms)
    checks, nullable, optional = spec.type.checks, spec.type.nullable, spec.optional
    bounds = _bounds(spec.vendor_range)

    def read(state: Any) -> tuple[Any, Any]:
        raw = get_path(state, segments)
        if raw is MISSING or (raw is None and not nullable):
            return MISSING, MISSING if optional else missing_value(where, raw)
        if bounds is not None and (why := implausible(raw, bounds[0], bounds[1], state)):
            return raw, implausible_value(where, raw, why)
        value = raw
        try:
            for forward in forwards:
                value = forward(value, state)
        except TransformError as exc:
            return raw, bad_value(where, raw, exc)
        problem = check_value(value, checks)
        return raw, out_of_range(where, raw, problem) if problem else value

    return spec.hex_id, read
