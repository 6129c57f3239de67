"""Hypothesis strategies derived from a mapping: vendor states within its declared ranges, Matter values, commands."""

from __future__ import annotations

import copy
import functools
import math
from dataclasses import dataclass, field
from typing import Any

from hypothesis import strategies as st

from matter_map.ir import (
    Absent,
    AllOf,
    AnyOf,
    CommandIR,
    Contains,
    Equals,
    FieldIR,
    FieldRef,
    MatterType,
    Not,
    OneOf,
    PathTest,
    Present,
    RuleIR,
    StepCommand,
    StepIR,
)
from matter_map.paths import MISSING
from matter_map.rules import matches
from matter_map.runtime import TransformError
from matter_map.testing.documents import delete_path, put_path
from matter_map.testing.domains import Domain, Finite, Image, Interval, type_domain
from matter_map.testing.subjects import Binding, SpecGroup, Subjects
from matter_map.transforms import Decimal

#: device-reported bounds (Tuya `status_range`, Hue `mirek_schema`) are untrusted: drawn from the samples, from
#: magnitudes devices commonly report (and get wrong: 0, 1, a byte, a word), and from this wide span
DEVICE_BOUND_SPAN = (-(1 << 16), 1 << 17)
DEVICE_BOUND_EDGES = (-1, 0, 1, 100, 255, 1000, 10000, 65535, 100000)
SYNTHETIC_DEVICE_ID = "device-1"


class UnsatisfiableError(Exception):
    """No vendor state satisfies both the mapping's match rule and the binding's `when` rule."""


# --- values --------------------------------------------------------------------------------------------


BOOLEANS = st.booleans()


def domain_values(domain: Domain) -> st.SearchStrategy[Any]:
    """Values of a domain: whole numbers, numbers with the domain's decimals, or listed values (cached)."""
    key = _domain_key(domain)
    if key is None:
        return _domain_values.__wrapped__(domain)
    found = _BY_DOMAIN.get(key)
    if found is None:
        found = _BY_DOMAIN[key] = _domain_values.__wrapped__(domain)
    return found


_BY_DOMAIN: dict[Any, st.SearchStrategy[Any]] = {}


def _domain_key(domain: Domain) -> Any:
    """A cache key that keeps true apart from 1 (equal and equally hashed in Python, not in JSON)."""
    if isinstance(domain, Interval):
        return (
            "interval",
            type(domain.lo),
            domain.lo,
            type(domain.hi),
            domain.hi,
            domain.integral,
            domain.decimals,
            domain.step,
        )
    if any(isinstance(v, dict | list) for v in domain.values):
        return None
    return ("finite", tuple((type(v).__name__, v) for v in domain.values))


@functools.cache
def _domain_values(domain: Domain) -> st.SearchStrategy[Any]:
    """A quarter of the draws are the domain's ends, where range, clamp and rounding bugs show."""
    if isinstance(domain, Finite):
        return st.sampled_from(domain.values)
    if domain.integral and domain.step > 1:
        step = int(domain.step)
        lo, hi = math.ceil(domain.lo / step), math.floor(domain.hi / step)
        if lo > hi:
            return st.just(round(domain.lo / step) * step)
        return _with_ends(st.integers(lo, hi).map(lambda k: k * step), (lo * step, hi * step))
    if domain.integral:
        lo, hi = math.ceil(domain.lo), math.floor(domain.hi)
        return _with_ends(st.integers(lo, hi), (lo, hi)) if lo <= hi else st.just(round(domain.lo))
    if domain.lo == domain.hi:
        return st.just(domain.lo)
    decimals = domain.decimals
    inner = st.floats(domain.lo, domain.hi, allow_nan=False, allow_infinity=False).map(
        lambda x: domain.clamp(round(x, decimals))
    )
    return _with_ends(inner, (domain.lo, domain.hi))


def _with_ends(inner: st.SearchStrategy[Any], ends: tuple[Any, Any]) -> st.SearchStrategy[Any]:
    return st.one_of(inner, st.sampled_from(tuple(dict.fromkeys(ends))), inner, inner)


def matter_values(mtype: MatterType) -> st.SearchStrategy[Any] | None:
    """Any value the Matter type's constraint allows (null included when nullable); None for unsupported kinds."""
    domain = type_domain(mtype)
    strategy: st.SearchStrategy[Any] | None
    if domain is not None:
        strategy = domain_values(domain)
    elif mtype.kind == "string":
        strategy = st.text(max_size=16)
    elif mtype.kind == "bytes":  # an octet string travels as hex text
        strategy = st.binary(max_size=8).map(bytes.hex)
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


@dataclass
class Pins:
    """What the rules a state must satisfy pin down: paths not to redraw, and values a path must not take."""

    exact: set[str] = field(default_factory=set)
    forbidden: dict[str, list[Any]] = field(default_factory=dict)

    def pinned(self, path: str) -> bool:
        """Whether `path`, or an object holding it, is pinned by a rule."""
        return any(path == p or path.startswith((p + ".", p + "[")) for p in self.exact)

    def allows(self, binding: Binding, state: Any) -> bool:
        """Whether the binding's vendor value in `state` keeps every rule that excludes values."""
        path = binding.variant.path
        assert path is not None
        banned = self.forbidden.get(path.text, ())
        value = path.get(state)
        return not any(value == b and type(value) is type(b) for b in banned)


def satisfy(rule: RuleIR, state: dict[str, Any], pins: Pins) -> None:
    """Change `state` so that `rule` holds where a simple edit can make it hold; record what that pins."""
    if isinstance(rule, AllOf):
        for part in rule.rules:
            satisfy(part, state, pins)
        return
    if isinstance(rule, AnyOf):
        if rule.rules and not matches(rule, state):
            satisfy(rule.rules[0], state, pins)
        if rule.rules:
            _pin(next((r for r in rule.rules if matches(r, state)), rule.rules[0]), pins)
        return
    if not matches(rule, state):
        _force(rule, state)
    _pin(rule, pins)


def _force(rule: RuleIR, state: dict[str, Any]) -> None:
    match rule:
        case Absent(path=path):
            delete_path(state, path)
        case Equals(path=path, value=expected):
            put_path(state, path, copy.deepcopy(expected))
        case OneOf(path=path, values=values) if values:
            put_path(state, path, values[0])
        case Contains(path=path, value=member):
            found = path.get(state)
            put_path(state, path, [*(found if isinstance(found, list) else []), member])
        case Present(path=path) if path.get(state) is MISSING:
            put_path(state, path, None)  # present; a binding below or at the path fills it in
        case Not(rule=Absent(path=path)):
            put_path(state, path, None)
        case Not(rule=Equals(path=path, value=bool() as expected)):
            put_path(state, path, not expected)
        case Not(rule=Equals() | OneOf() | Present() | Contains() as test):
            delete_path(state, test.path)


def _pin(rule: RuleIR, pins: Pins) -> None:
    match rule:
        case Equals(path=path) | OneOf(path=path) | Absent(path=path) | Contains(path=path):
            pins.exact.add(path.text)
        case Not(rule=Present(path=path)):
            pins.exact.add(path.text)  # must stay absent
        case Not(rule=Equals(path=path, value=expected)):
            pins.forbidden.setdefault(path.text, []).append(expected)
        case Not(rule=OneOf(path=path, values=values)):
            pins.forbidden.setdefault(path.text, []).extend(values)
        case Not(rule=Absent() | Contains()):
            pass
        case AllOf(rules=rules):
            for part in rules:
                _pin(part, pins)
        case Not(rule=inner):
            for test in _tests(inner):
                pins.exact.add(test.path.text)


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
                choices = [st.sampled_from(known)] if known else []
                choices += [st.sampled_from(DEVICE_BOUND_EDGES), st.integers(*DEVICE_BOUND_SPAN)]
                drawn.append(draw(st.one_of(choices)))
            if len(drawn) == 2:
                low, high = sorted(drawn)
                drawn = [low, high if high > low else low + 1]
            for path, value in zip(group.paths, drawn, strict=True):
                values[path.text] = value
        for spec in subjects.spec_groups:
            values.update(draw(device_spec(spec, subjects.bound_samples)))
        return values

    return build()


def vendor_states(
    subjects: Subjects, focus: Binding | None = None, *, reported: bool = False
) -> st.SearchStrategy[dict[str, Any]]:
    """Vendor states the mapping recognises: a shipped sample (or a synthetic skeleton) with per-device bounds
    and binding values redrawn within their vendor domains (every binding's, or with a focus binding its own
    and its neighbours'), the focus binding's `when` rules holding. With `reported`, the focus binding's value
    ranges over everything its device may report, not only what the mapping represents (for validity)."""
    key = "states" if focus is None else f"states:{focus.rule}:{focus.endpoint.id}:{reported}"
    if key not in subjects.strategies:
        subjects.strategies[key] = _vendor_states(subjects, focus, reported)
    found: st.SearchStrategy[dict[str, Any]] = subjects.strategies[key]
    return found


def device_spec(group: SpecGroup, known: dict[str, tuple[Any, ...]]) -> st.SearchStrategy[dict[str, Any]]:
    """Per-device parameters of one transform: a decimal's scale and step (within its `max_quantum`), or for
    other transforms the values the samples carry."""
    transform = group.transform
    if isinstance(transform, Decimal):
        by_name = dict(group.paths)

        def pick(name: str, choices: tuple[int, ...]) -> st.SearchStrategy[Any]:
            if name not in by_name:
                return st.just(getattr(transform, name))
            seen = tuple(v for v in known.get(by_name[name].text, ()) if isinstance(v, int))
            return st.sampled_from(tuple(dict.fromkeys(seen + choices)))

        def fits(pair: tuple[Any, Any]) -> bool:
            scale, step = pair
            limit = transform.max_quantum
            return limit is None or step / 10**scale <= limit + 1e-12

        pairs = st.tuples(pick("scale", (0, 1, 2)), pick("step", (1, 5, 10))).filter(fits)
        return pairs.map(
            lambda pair: {
                p.text: v
                for (name, p) in group.paths
                for key, v in zip(("scale", "step"), pair, strict=True)
                if key == name
            }
        )
    options = {p.text: known.get(p.text, ()) for _, p in group.paths}
    return st.fixed_dictionaries({text: st.sampled_from(vals) for text, vals in options.items() if vals})


def _vendor_states(subjects: Subjects, focus: Binding | None, reported: bool) -> st.SearchStrategy[dict[str, Any]]:
    compiled = subjects.compiled
    bases = subjects.samples or ({},)
    by_path = {p.text: p for g in subjects.bound_groups for p in g.paths}
    by_path.update({p.text: p for g in subjects.spec_groups for _, p in g.paths})
    bounds = device_bounds(subjects)
    # a law about one binding varies that binding and those sharing its vendor field; the rest keep the sample's
    redrawn = subjects.bindings if focus is None else subjects.neighbourhood(focus)

    @st.composite
    def build(draw: st.DrawFn) -> dict[str, Any]:
        state: dict[str, Any] = copy.deepcopy(draw(st.sampled_from(bases)))
        pins = Pins()
        satisfy(compiled.match, state, pins)
        for rule, hold in focus.conditions if focus is not None else ():
            satisfy(rule if hold else Not(rule), state, pins)
        if compiled.device_id.get(state) in (MISSING, None):
            put_path(state, compiled.device_id, SYNTHETIC_DEVICE_ID)
        for text, value in draw(bounds).items():
            if not pins.pinned(text):
                put_path(state, by_path[text], value)
                pins.exact.add(text)
        for binding in redrawn:
            if pins.pinned(binding.lens.path_text):
                continue
            draw_binding_value(draw, binding, state, pins, reported=reported and binding is focus)
        if not matches(compiled.match, state) or (focus is not None and not focus.applies(state)):
            what = f" and the `when` rules of {focus.rule}" if focus is not None else ""
            raise UnsatisfiableError(f"no simple edit of a sample satisfies the match rule{what}")
        return state

    return build()


def draw_binding_value(
    draw: st.DrawFn, binding: Binding, state: dict[str, Any], pins: Pins, *, reported: bool = False
) -> None:
    """Keep the sample's value when it lies in the binding's vendor domain (sometimes), else draw a new one."""
    lens = binding.lens
    domain = lens.vendor_domain(state, reported=reported)
    if domain is None:
        return
    try:
        current = lens.read_core(state)
    except TransformError:
        current = MISSING
    if current is not MISSING and domain.contains(current) and draw(BOOLEANS):
        return
    if isinstance(domain, Image):
        try:
            value = lens.inverse(draw(domain_values(domain.matter)), state)
        except TransformError:
            return
    else:
        value = draw(domain_values(domain))
    assert binding.variant.path is not None
    before = copy.deepcopy(binding.variant.path.get(state))
    lens.write_core(state, value)
    if not pins.allows(binding, state):  # the drawn value breaks a rule the state must keep
        if before is MISSING:
            delete_path(state, binding.variant.path)
        else:
            put_path(state, binding.variant.path, before)


def command_params(command: CommandIR) -> st.SearchStrategy[dict[str, Any]]:
    """Parameters of a Matter command: every mandatory field, optional ones sometimes, within constraints."""
    specs: tuple[FieldIR, ...] = command.fields
    needed = _referenced_fields(command)
    first_step = _first_step(command)

    @st.composite
    def build(draw: st.DrawFn) -> dict[str, Any]:
        params: dict[str, Any] = {}
        for spec in specs:
            if spec.optional and spec.name not in needed and not draw(BOOLEANS):
                continue
            direction = first_step.direction if first_step is not None else None
            if direction is not None and spec.name == direction.field:
                params[spec.name] = draw(st.sampled_from((direction.up, direction.down)))
                continue
            params[spec.name] = draw(field_values(spec))
        return params

    return build()


def _first_step(command: CommandIR) -> StepIR | None:
    return command.action.steps[0] if isinstance(command.action, StepCommand) else None


def _referenced_fields(command: CommandIR) -> set[str]:
    names: set[str] = {w.value.name for w in command.writes if isinstance(w.value, FieldRef)}
    step = _first_step(command)
    if step is not None:
        names.add(step.size)
        if step.direction is not None:
            names.add(step.direction.field)
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
