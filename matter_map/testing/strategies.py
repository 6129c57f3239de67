"""Hypothesis strategies derived from a mapping: vendor states within its declared ranges, Matter values, commands."""

from __future__ import annotations

import copy
import math
from typing import Any

from hypothesis import strategies as st

from matter_map.ir import AllOf, AnyOf, FieldIR, MatterType, Not, PathTest, RuleIR
from matter_map.paths import MISSING
from matter_map.rules import matches
from matter_map.testing.documents import delete_path, put_path
from matter_map.testing.domains import Domain, Finite, Interval, type_domain
from matter_map.testing.subjects import Binding, Subjects
from matter_map.transforms import TransformError

#: device-reported bounds (Tuya `status_range`, Hue `mirek_schema`) are untrusted: drawn from this wide span
DEVICE_BOUND_SPAN = (-(1 << 16), 1 << 17)
SYNTHETIC_DEVICE_ID = "device-1"


class UnsatisfiableError(Exception):
    """No vendor state satisfies both the mapping's match rule and the binding's `when` rule."""


# --- values --------------------------------------------------------------------------------------------


def domain_values(domain: Domain) -> st.SearchStrategy[Any]:
    """Values of a domain: whole numbers, numbers with the domain's decimals, or listed values."""
    if isinstance(domain, Finite):
        return st.sampled_from(domain.values)
    if domain.integral:
        lo, hi = math.ceil(domain.lo), math.floor(domain.hi)
        return st.integers(lo, hi) if lo <= hi else st.just(round(domain.lo))
    if domain.lo == domain.hi:
        return st.just(domain.lo)
    decimals = domain.decimals
    return st.floats(domain.lo, domain.hi, allow_nan=False, allow_infinity=False).map(
        lambda x: domain.clamp(round(x, decimals))
    )


def matter_values(mtype: MatterType) -> st.SearchStrategy[Any] | None:
    """Any value the Matter type's constraint allows (null included when nullable); None for unsupported kinds."""
    domain = type_domain(mtype)
    strategy: st.SearchStrategy[Any] | None
    if domain is not None:
        strategy = domain_values(domain)
    elif mtype.kind == "string":
        strategy = st.text(max_size=16)
    else:
        strategy = None
    if strategy is not None and mtype.nullable:
        strategy = st.one_of(strategy, st.none())
    return strategy


def matter_targets(mtype: MatterType, representable: Domain) -> st.SearchStrategy[Any]:
    """Matter values a controller may send: mostly ones the device can represent, sometimes any valid one."""
    inside = domain_values(representable)
    anywhere = matter_values(mtype)
    return inside if anywhere is None else st.one_of(inside, inside, anywhere)


def field_values(spec: FieldIR) -> st.SearchStrategy[Any]:
    strategy = matter_values(spec.type)
    return st.just(0) if strategy is None else strategy


# --- vendor states -------------------------------------------------------------------------------------


def satisfy(rule: RuleIR, state: dict[str, Any], fixed: set[str]) -> None:
    """Change `state` so that `rule` holds where a simple edit can make it hold; record the paths it fixes."""
    if matches(rule, state):
        for test in _tests(rule):
            fixed.add(test.path.text)
        return
    if isinstance(rule, PathTest):
        fixed.add(rule.path.text)
        if rule.present is False:
            delete_path(state, rule.path)
            return
        if rule.has_equals:
            put_path(state, rule.path, copy.deepcopy(rule.equals))
        elif rule.one_of:
            put_path(state, rule.path, rule.one_of[0])
        elif rule.present and rule.path.get(state) is MISSING:
            put_path(state, rule.path, {})
    elif isinstance(rule, AllOf):
        for part in rule.rules:
            satisfy(part, state, fixed)
    elif isinstance(rule, AnyOf) and rule.rules:
        satisfy(rule.rules[0], state, fixed)
    elif isinstance(rule, Not) and isinstance(rule.rule, PathTest):
        fixed.add(rule.rule.path.text)
        if rule.rule.present is False:
            put_path(state, rule.rule.path, {})
        else:
            delete_path(state, rule.rule.path)


def _tests(rule: RuleIR) -> list[PathTest]:
    if isinstance(rule, PathTest):
        return [rule]
    if isinstance(rule, AllOf | AnyOf):
        return [t for r in rule.rules for t in _tests(r)]
    return _tests(rule.rule)


def device_bounds(subjects: Subjects) -> st.SearchStrategy[dict[str, Any]]:
    """Values for every per-device bound: sample values or anything in a wide span, low < high in pairs."""

    @st.composite
    def build(draw: st.DrawFn) -> dict[str, Any]:
        values: dict[str, Any] = {}
        for group in subjects.bound_groups:
            drawn = []
            for path in group.paths:
                known = subjects.bound_samples.get(path.text, ())
                wide = st.integers(*DEVICE_BOUND_SPAN)
                drawn.append(draw(st.one_of(st.sampled_from(known), wide) if known else wide))
            if len(drawn) == 2:
                low, high = sorted(drawn)
                drawn = [low, high if high > low else low + 1]
            for path, value in zip(group.paths, drawn, strict=True):
                values[path.text] = value
        return values

    return build()


def vendor_states(subjects: Subjects, focus: Binding | None = None) -> st.SearchStrategy[dict[str, Any]]:
    """Vendor states the mapping recognises: a shipped sample (or a synthetic skeleton) with per-device bounds
    and every binding's value redrawn within its vendor domain, the focus binding's `when` rule holding."""
    compiled = subjects.compiled
    bases = subjects.samples or ({},)
    by_path = {p.text: p for g in subjects.bound_groups for p in g.paths}

    @st.composite
    def build(draw: st.DrawFn) -> dict[str, Any]:
        state = copy.deepcopy(draw(st.sampled_from(bases)))
        fixed: set[str] = set()
        satisfy(compiled.match, state, fixed)
        if focus is not None and focus.attribute.when is not None:
            satisfy(focus.attribute.when, state, fixed)
        if compiled.device_id.get(state) in (MISSING, None):
            put_path(state, compiled.device_id, SYNTHETIC_DEVICE_ID)
        for text, value in draw(device_bounds(subjects)).items():
            put_path(state, by_path[text], value)
            fixed.add(text)
        for binding in subjects.bindings:
            if binding.lens.path_text in fixed:
                continue
            draw_binding_value(draw, binding, state)
        if not matches(compiled.match, state) or (
            focus is not None and focus.attribute.when is not None and not matches(focus.attribute.when, state)
        ):
            raise UnsatisfiableError(f"no state satisfies the match rule and the `when` of {focus.rule if focus else ''}")
        return state

    return build()


def draw_binding_value(draw: st.DrawFn, binding: Binding, state: dict[str, Any]) -> None:
    """Keep the sample's value when it lies in the binding's vendor domain (sometimes), else draw a new one."""
    lens = binding.lens
    domain = lens.vendor_domain(state)
    if domain is None:
        return
    try:
        current = lens.read_core(state)
    except TransformError:
        current = MISSING
    if current is not MISSING and domain.contains(current) and draw(st.booleans()):
        return
    lens.write_core(state, draw(domain_values(domain)))


def command_params(command: Any) -> st.SearchStrategy[dict[str, Any]]:
    """Parameters of a Matter command: every mandatory field, optional ones sometimes, within constraints."""
    specs: tuple[FieldIR, ...] = command.fields
    needed = _referenced_fields(command)

    @st.composite
    def build(draw: st.DrawFn) -> dict[str, Any]:
        params: dict[str, Any] = {}
        for spec in specs:
            if spec.optional and spec.name not in needed and not draw(st.booleans()):
                continue
            if command.kind == "step" and command.step is not None and spec.name == command.step.direction:
                params[spec.name] = draw(st.sampled_from((command.step.up, command.step.down)))
                continue
            params[spec.name] = draw(field_values(spec))
        return params

    return build()


def _referenced_fields(command: Any) -> set[str]:
    names: set[str] = set()
    for write in command.writes:
        name = getattr(write.value, "name", None)
        if isinstance(name, str):
            names.add(name)
    if command.step is not None:
        names.update((command.step.direction, command.step.size))
    return names


__all__ = [
    "UnsatisfiableError",
    "command_params",
    "device_bounds",
    "domain_values",
    "field_values",
    "matter_targets",
    "matter_values",
    "satisfy",
    "vendor_states",
]
