"""The laws, each a strategy of cases and a check that raises LawViolation: per binding, per command, per mapping.

- put-get: a Matter value written then read back is unchanged within the binding's declared loss (values
  the device cannot represent come back clamped to what it can, or are refused);
- get-put: a vendor value read then written back is unchanged within its quantum, and nothing else moves;
- stability: after one round trip further round trips change nothing (f∘g∘f = f);
- validity: every Matter value read meets its catalog constraint, every write stays in the declared vendor
  range, every emitted payload passes the AWS service model (per mapping);
- command effect: a command applied to the simulated device gives the state the command means;
- composite: writing one attribute (or running one command) leaves the attributes that share its vendor
  field unchanged.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from hypothesis import reject
from hypothesis import strategies as st

from matter_map.errors import TranslationError
from matter_map.ir import Source
from matter_map.paths import MISSING
from matter_map.payload_check import check_connector_event
from matter_map.testing import semantics
from matter_map.testing.domains import Finite, Interval, fmt, is_number, slack, type_domain
from matter_map.testing.harness import Harness, LawViolation, Unreadable, shown, values_equal
from matter_map.testing.strategies import (
    command_params,
    domain_values,
    matter_targets,
    matter_values,
    vendor_states,
)
from matter_map.testing.subjects import Binding, Command
from matter_map.transforms import TransformError, param
from matter_map.values import check_value

PUT_GET, GET_PUT, STABILITY, VALIDITY = "put-get", "get-put", "stability", "validity"
COMMAND_EFFECT, COMPOSITE = "command-effect", "composite"
LAW_NAMES = (PUT_GET, GET_PUT, STABILITY, VALIDITY, COMMAND_EFFECT, COMPOSITE)
#: attributes any colour command may switch (Matter's colour mode follows the last colour command)
MODE_ATTRIBUTES = frozenset({("ColorControl", "ColorMode"), ("ColorControl", "EnhancedColorMode")})


@dataclass(frozen=True)
class Law:
    """One law for one binding, command or mapping: what to generate and what must hold."""

    name: str
    rule: str  # LevelControl.CurrentLevel, OnOff.Toggle, or `payloads` for per-mapping laws
    endpoint: str
    source: Source | str
    strategy: st.SearchStrategy[Any] | None = None
    check: Callable[[Any], None] | None = None
    not_checked: str = ""
    subject: str = "binding"  # binding | command | mapping


DETAIL_NAMES = {"matter_value": "Matter value", "vendor_value": "vendor value", "written": "vendor value written"}


def _fail(law: str, message: str, **details: Any) -> LawViolation:
    return LawViolation(law, message, {DETAIL_NAMES.get(k, k.replace("_", " ")): shown(v) for k, v in details.items()})


# --- per binding ---------------------------------------------------------------------------------------


def binding_laws(h: Harness, b: Binding) -> list[Law]:
    laws = [Law(VALIDITY, b.rule, b.endpoint.id, b.source, *_validity(h, b))]
    if not h.subjects.writable(b):
        return laws
    reason = _unchecked_reason(b)
    for name, build in ((PUT_GET, _put_get), (GET_PUT, _get_put), (STABILITY, _stability)):
        if reason:
            laws.append(Law(name, b.rule, b.endpoint.id, b.source, not_checked=reason))
        else:
            laws.append(Law(name, b.rule, b.endpoint.id, b.source, *build(h, b)))
    if h.subjects.related(b):
        if reason:
            laws.append(Law(COMPOSITE, b.rule, b.endpoint.id, b.source, not_checked=reason))
        else:
            laws.append(Law(COMPOSITE, b.rule, b.endpoint.id, b.source, *_composite(h, b)))
    return laws


def _unchecked_reason(b: Binding) -> str:
    if not b.lens.core.transforms and type_domain(b.attribute.type) is None:
        return f"not checked (no value domain for Matter type {b.attribute.type.base})"
    return ""


def _representable_cases(h: Harness, b: Binding, anywhere: bool) -> st.SearchStrategy[Any]:
    """(state, Matter value, representable domain): the value mostly within what the device represents."""

    states = vendor_states(h.subjects, b)

    @st.composite
    def build(draw: st.DrawFn) -> tuple[dict[str, Any], Any, Any]:
        state = draw(states)
        domain = b.lens.matter_domain(state)
        if domain is None:
            reject()
        target = matter_targets(b.attribute.type, domain) if anywhere else domain_values(domain)
        return state, draw(target), domain

    return build()


Built = tuple[st.SearchStrategy[Any], Callable[[Any], None]]


def _validity(h: Harness, b: Binding) -> Built:
    writable = h.subjects.writable(b)
    targets = matter_values(b.attribute.type) if writable else None
    states = vendor_states(h.subjects, b, reported=True)
    strategy = st.tuples(states, targets if targets is not None else st.just(MISSING))

    def check(case: tuple[dict[str, Any], Any]) -> None:
        state, target = case
        vendor = _in_domain(b, state, known_domain=False, reported=True)
        try:
            value = h.read(b, state)
        except TranslationError as exc:
            raise _fail(VALIDITY, f"reading a vendor value of its domain fails: {exc}", vendor_value=vendor) from None
        if value is not MISSING and (problem := check_value(value, b.attribute.type)):
            raise _fail(VALIDITY, f"the Matter value breaks the catalog constraint: {problem}", vendor_value=vendor)
        if target is MISSING:
            return
        try:
            after = h.send(h.update_state([b], [target]), state, VALIDITY)
        except TranslationError:
            return  # refusing a value is always allowed
        written = h.core(b, after)
        try:
            h.read(b, after)
        except TranslationError as exc:
            raise _fail(
                VALIDITY,
                f"writing {fmt(target)} leaves a vendor state that reads back invalid: {exc}",
                matter_value=target,
                written=written,
            ) from None
        declared = _declared_range(b, state)
        if declared is not None and not (is_number(written) and declared.contains(written, slack(written))):
            raise _fail(
                VALIDITY,
                f"writing {fmt(target)} sends vendor value {fmt(shown(written))}, outside the declared range "
                f"{fmt(declared.lo)}..{fmt(declared.hi)}",
                matter_value=target,
                written=written,
            )

    return strategy, check


def _declared_range(b: Binding, state: Any) -> Interval | None:
    declared = b.variant.vendor_range
    if declared is None:
        return None
    try:
        ends = [param(v, state) for v in declared]
    except TransformError:
        return None
    return Interval(min(ends), max(ends), integral=False)


def _put_get(h: Harness, b: Binding) -> Built:
    def check(case: tuple[dict[str, Any], Any, Any]) -> None:
        state, target, domain = case
        expected, representable = _expected(target, domain)
        try:
            after = h.send(h.update_state([b], [target]), state, PUT_GET)
        except TranslationError as exc:
            if representable:
                raise _fail(PUT_GET, f"refuses {fmt(target)}, which the device can represent: {exc}") from None
            return
        action = f"writing {fmt(target)}"
        _expect_value(
            h,
            b,
            PUT_GET,
            action,
            expected=expected,
            domain=domain,
            state=state,
            after=after,
            asked=target,
            matter_value=target,
        )

    return _representable_cases(h, b, anywhere=True), check


def _expected(target: Any, domain: Any) -> tuple[Any, bool]:
    """What a written Matter value must read back as, and whether the device can represent it exactly."""
    if isinstance(domain, Interval):
        if not is_number(target):
            return target, False
        return domain.clamp(target), domain.contains(target)
    return target, domain.contains(target)


def _expect_value(
    h: Harness,
    b: Binding,
    law: str,
    action: str,
    *,
    expected: Any,
    domain: Any,
    state: dict[str, Any],
    after: dict[str, Any],
    asked: Any = None,
    **details: Any,
) -> None:
    """The binding reads `expected` in `after`, within the loss the mapping declares for it.

    A value the device cannot represent (`asked`, outside the domain) may come back clamped to the domain
    or anywhere between that and itself, never beyond either."""
    try:
        value = h.read(b, after)
    except TranslationError as exc:
        raise _fail(law, f"{action} leaves a vendor state that cannot be read back: {exc}", **details) from None
    written = h.core(b, after)
    if value is MISSING:
        raise _fail(law, f"{action} leaves {b.rule} unreported", written=written, **details)
    if isinstance(domain, Interval) and is_number(expected):
        tolerance = b.lens.matter_tolerance(written, after) if is_number(written) else 0.0
        asked = asked if is_number(asked) else expected
        low, high = min(asked, expected) - tolerance, max(asked, expected) + tolerance
        if not is_number(value) or not low <= value <= high:
            wanted = fmt(expected) if asked == expected else f"{fmt(expected)} (the device's limit) to {fmt(asked)}"
            raise _fail(
                law,
                f"{action} reads back {fmt(value)}, expected {wanted} within the declared loss "
                f"±{fmt(tolerance)} (device range {fmt(domain.lo)}..{fmt(domain.hi)})",
                written=written,
                **details,
            )
        return
    if isinstance(domain, Finite) and not domain.contains(expected):
        if not domain.contains(value):
            raise _fail(law, f"{action} reads back {value!r}, which the binding cannot produce", **details)
        return
    if not values_equal(value, expected):
        raise _fail(law, f"{action} reads back {value!r}, expected {expected!r}", written=written, **details)


def _get_put(h: Harness, b: Binding) -> Built:
    def check(state: dict[str, Any]) -> None:
        vendor = _in_domain(b, state)
        value = _read_generated(h, b, state, GET_PUT)
        try:
            after = h.send(h.update_state([b], [value]), state, GET_PUT)
        except TranslationError as exc:
            raise _fail(GET_PUT, f"refuses to write back the value it reads ({fmt(value)}): {exc}") from None
        written = h.core(b, after)
        if is_number(vendor) and isinstance(b.lens.vendor_domain(state), Interval):
            tolerance, refused = b.lens.vendor_tolerance(vendor, state)
            if refused:
                raise _fail(GET_PUT, refused, vendor_value=vendor, matter_value=value)
            if not is_number(written) or abs(written - vendor) > tolerance:
                raise _fail(
                    GET_PUT,
                    f"vendor value {fmt(vendor)} reads as {fmt(value)} and is written back as {fmt(shown(written))}, "
                    f"beyond the declared quantum ±{fmt(tolerance)}",
                    vendor_value=vendor,
                    matter_value=value,
                    written=written,
                )
        elif not values_equal(written, b.lens.canonical_vendor(vendor)):
            raise _fail(
                GET_PUT,
                f"vendor value {vendor!r} reads as {value!r} and is written back as {shown(written)!r}",
                vendor_value=vendor,
                matter_value=value,
                written=written,
            )
        restored = h.normalized(after)
        b.lens.write_core(restored, vendor)
        changed = h.differences(state, restored)
        if changed:
            raise _fail(
                GET_PUT,
                f"writing back {fmt(value)} changes other vendor fields: {'; '.join(changed)}",
                vendor_value=vendor,
            )

    return vendor_states(h.subjects, b), check


def _in_domain(b: Binding, state: dict[str, Any], *, known_domain: bool = True, reported: bool = False) -> Any:
    """The binding's vendor value when it lies in its vendor domain in `state`; rejects the example otherwise
    (a device whose own range maps nowhere into the constraint, or a sample value outside redrawn bounds).
    Without `known_domain`, a value with no known domain (a string property) is taken as the sample has it."""
    try:
        vendor = b.lens.read_core(state)
        domain = b.lens.vendor_domain(state, reported=reported)
    except TransformError:
        reject()
    if domain is None and not known_domain:
        return vendor
    if vendor is MISSING or domain is None or not domain.contains(vendor):
        reject()
    return vendor


def _read_generated(h: Harness, b: Binding, state: dict[str, Any], law: str) -> Any:
    try:
        value = h.read(b, state)
    except TranslationError as exc:
        raise _fail(law, f"a vendor value of its domain cannot be read: {exc}", vendor_value=h.core(b, state)) from None
    if value is MISSING:
        reject()
    return value


def _stability(h: Harness, b: Binding) -> Built:
    def check(state: dict[str, Any]) -> None:
        _in_domain(b, state)
        first = _read_generated(h, b, state, STABILITY)
        once = _round_trip(h, b, first, state)
        second = _read_after(h, b, once, first)
        if not values_equal(second, first):
            raise _fail(
                STABILITY,
                f"one round trip moves {fmt(first)} to {fmt(shown(second))} (f∘g∘f ≠ f: rounding drift)",
                vendor_value=h.core(b, state),
                written=h.core(b, once),
            )
        twice = _round_trip(h, b, second, once)
        if not values_equal(h.core(b, twice), h.core(b, once)):
            raise _fail(
                STABILITY,
                f"a second round trip moves the vendor value {fmt(shown(h.core(b, once)))} to "
                f"{fmt(shown(h.core(b, twice)))}",
                vendor_value=h.core(b, state),
                matter_value=first,
            )

    return vendor_states(h.subjects, b), check


def _round_trip(h: Harness, b: Binding, value: Any, state: dict[str, Any]) -> dict[str, Any]:
    try:
        return h.send(h.update_state([b], [value]), state, STABILITY)
    except TranslationError as exc:
        raise _fail(STABILITY, f"refuses to write back the value it reads ({fmt(value)}): {exc}") from None


def _read_after(h: Harness, b: Binding, state: dict[str, Any], value: Any) -> Any:
    try:
        return h.read(b, state)
    except TranslationError as exc:
        raise _fail(STABILITY, f"writing back {fmt(value)} leaves an unreadable vendor state: {exc}") from None


def _composite(h: Harness, b: Binding) -> Built:
    related = h.subjects.related(b)

    def check(case: tuple[dict[str, Any], Any, Any]) -> None:
        state, target, _ = case
        try:
            after = h.send(h.update_state([b], [target]), state, COMPOSITE)
        except TranslationError:
            reject()
        action = f"writing {b.rule} = {fmt(target)}"
        _unchanged(h, related, state, after, law=COMPOSITE, action=action, written={b.lens.path_text})

    return _representable_cases(h, b, anywhere=False), check


def _unchanged(
    h: Harness,
    bindings: tuple[Binding, ...],
    state: dict[str, Any],
    after: dict[str, Any],
    *,
    law: str,
    action: str,
    written: set[str],
) -> None:
    """Each binding reads the same Matter value after the write, unless the write switched its mode."""
    for other in bindings:
        if _touches(written, h.subjects.mode_paths(other.key)):
            continue  # the write switches which alternative applies (a declared mode coupling)
        before = h.read_or_unreadable(other, state)
        if isinstance(before, Unreadable):
            continue
        now = h.read_or_unreadable(other, after)
        if isinstance(now, Unreadable):
            raise _fail(law, f"{action} makes {other.rule} unreadable: {now.problem}")
        if not values_equal(before, now):
            raise _fail(
                law,
                f"{action} changes {other.rule} (sharing vendor field `{other.lens.path_text}`) "
                f"from {fmt(shown(before))} to {fmt(shown(now))}",
                vendor_before=h.core(other, state),
                vendor_after=h.core(other, after),
            )


# --- per command ---------------------------------------------------------------------------------------


def command_laws(h: Harness, c: Command) -> list[Law]:
    source = c.command.source
    if c.command.kind == "request":
        return [
            Law(
                COMMAND_EFFECT,
                c.rule,
                c.endpoint.id,
                source,
                not_checked="not checked (explicit request)",
                subject="command",
            )
        ]
    laws = [Law(COMMAND_EFFECT, c.rule, c.endpoint.id, source, *_command_effect(h, c), subject="command")]
    if _frame_candidates(h, c):
        laws.append(Law(COMPOSITE, c.rule, c.endpoint.id, source, *_command_frame(h, c), subject="command"))
    return laws


def _command_cases(h: Harness, c: Command) -> st.SearchStrategy[tuple[dict[str, Any], dict[str, Any]]]:
    """Any recognised state, or (as often) one where the command's first mode-dependent target is reported."""
    targets = _declared_targets(c)
    focus = next((b for b in h.subjects.bindings if b.conditions and b.key[1:] in targets), None)
    states = vendor_states(h.subjects)
    if focus is not None:
        states = st.one_of(vendor_states(h.subjects, focus), states)
    return st.tuples(states, command_params(c.command))


def _state_view(h: Harness, c: Command, state: dict[str, Any]) -> tuple[semantics.Current, semantics.Bound]:
    def current(cluster: str, name: str) -> Any:
        binding = h.subjects.binding((c.endpoint.id, cluster, name))
        if binding is None:
            attr = _const(c, cluster, name)
            return attr if attr is not None else MISSING
        value = h.read_or_unreadable(binding, state)
        return MISSING if isinstance(value, Unreadable) else value

    def bound(cluster: str, name: str) -> bool:
        return h.subjects.bound((c.endpoint.id, cluster, name))

    return current, bound


def _const(c: Command, cluster: str, name: str) -> Any:
    for cl in c.endpoint.clusters:
        if cl.name == cluster:
            for attr in cl.attributes:
                if attr.name == name and attr.is_const:
                    return attr.const
    return None


def _command_effect(h: Harness, c: Command) -> Built:
    def check(case: tuple[dict[str, Any], dict[str, Any]]) -> None:
        state, params = case
        current, bound = _state_view(h, c, state)
        try:
            meaning: semantics.Meaning | None = semantics.meaning(c.command, params, current, bound)
        except semantics.NeedsStateError:
            meaning = None
        action = f"{c.command.name} {params}"
        try:
            after = h.send(h.named_command(c, params), state, COMMAND_EFFECT)
        except TranslationError as exc:
            if meaning is None or not _all_representable(h, c, meaning, state):
                return  # refusing what the device cannot do (or what needs a state it lacks) is allowed
            raise _fail(COMMAND_EFFECT, f"refuses {action}: {exc}", parameters=params) from None
        if meaning is None:
            return
        for (cluster, name), target in meaning.expected.items():
            key = (c.endpoint.id, cluster, name)
            binding = h.subjects.binding(key, state) or h.subjects.binding(key)
            if binding is None:
                continue  # the meaning cannot be observed through this mapping
            domain = binding.lens.matter_domain(state)
            if domain is None or target is None or _hidden_by_mode(h, binding, state, after):
                continue
            expected, _ = _expected(target, domain)
            origin = "" if meaning.origin == "Matter" else " (as the mapping declares)"
            _expect_value(
                h,
                binding,
                COMMAND_EFFECT,
                f"{action} should set {cluster}.{name} to {fmt(expected)}{origin}, but it",
                expected=expected,
                domain=domain,
                state=state,
                after=after,
                asked=target,
                parameters=params,
                before=current(cluster, name),
            )

    return _command_cases(h, c), check


def _hidden_by_mode(h: Harness, b: Binding, state: dict[str, Any], after: dict[str, Any]) -> bool:
    """A mode-dependent attribute (`when:`) unreported before and after the command: its effect is not
    observable here (the vendor's own mode switch is not part of the mapping)."""
    return (
        b.attribute.when is not None
        and h.read_or_unreadable(b, state) is MISSING
        and h.read_or_unreadable(b, after) is MISSING
    )


def _all_representable(h: Harness, c: Command, meaning: semantics.Meaning, state: dict[str, Any]) -> bool:
    for (cluster, name), target in meaning.expected.items():
        key = (c.endpoint.id, cluster, name)
        binding = h.subjects.binding(key, state) or h.subjects.binding(key)
        if binding is None or target is None or not h.subjects.writable(binding):
            return False
        domain = binding.lens.matter_domain(state)
        if domain is None or not domain.contains(target):
            return False
    return True


def _touches(written: set[str], paths: set[str]) -> bool:
    """Whether any written vendor path is one of `paths`, inside one, or holds one."""
    for a in written:
        for b in paths:
            if a == b or a.startswith((b + ".", b + "[")) or b.startswith((a + ".", a + "[")):
                return True
    return False


def _written_paths(c: Command) -> set[str]:
    command = c.command
    targets = [w.attribute for w in command.writes]
    if command.toggle is not None:
        targets.append(command.toggle)
    targets.extend(s.attribute for s in command.steps or ((command.step,) if command.step is not None else ()))
    paths = set()
    for target in targets:
        current: Any = target
        while current is not None:
            if current.path is not None:
                paths.add(current.path.text)
            current = current.otherwise
    return paths


def _declared_targets(c: Command) -> set[tuple[str, str]]:
    command = c.command
    targets = {(w.attribute.cluster, w.attribute.name) for w in command.writes}
    if command.toggle is not None:
        targets.add((command.toggle.cluster, command.toggle.name))
    for step in command.steps or ((command.step,) if command.step is not None else ()):
        targets.add((step.attribute.cluster, step.attribute.name))
    return targets


def _meant_keys(c: Command) -> set[tuple[str, str]]:
    """The attributes a command means to set, for any parameters (declared targets when it needs a state)."""
    params = {f.name: _typical(f.type) for f in c.command.fields}
    for step in c.command.steps or ((c.command.step,) if c.command.step is not None else ()):
        if step.direction is not None and step.up is not None:
            params[step.direction] = step.up
    try:
        found = semantics.meaning(c.command, params, lambda cluster, name: MISSING, lambda cluster, name: True)
    except semantics.NeedsStateError:
        return _declared_targets(c)
    if found.origin == "declared":
        return _declared_targets(c)
    return set(found.expected)


def _typical(mtype: Any) -> Any:
    """A parameter value that makes a command do something: the first enum member, else the maximum."""
    if mtype.enum:
        return mtype.enum[0][1]
    if mtype.kind == "bool":
        return True
    return mtype.maximum if mtype.maximum is not None else 1


def _frame_candidates(h: Harness, c: Command) -> tuple[Binding, ...]:
    """Bindings sharing a vendor field the command writes, whose values the command does not mean to change."""
    meant = _meant_keys(c)
    return tuple(
        b
        for b in h.subjects.touching(_written_paths(c))
        if b.endpoint.id != c.endpoint.id
        or (
            (b.cluster.name, b.attribute.name) not in meant
            and (b.cluster.name, b.attribute.name) not in MODE_ATTRIBUTES
        )
    )


def _command_frame(h: Harness, c: Command) -> Built:
    def check(case: tuple[dict[str, Any], dict[str, Any]]) -> None:
        state, params = case
        current, bound = _state_view(h, c, state)
        try:
            meaning = semantics.meaning(c.command, params, current, bound)
        except semantics.NeedsStateError:
            reject()
        try:
            after = h.send(h.named_command(c, params), state, COMPOSITE)
        except TranslationError:
            reject()
        frame = tuple(
            b
            for b in _frame_candidates(h, c)
            if b.endpoint.id != c.endpoint.id
            or not (
                meaning.may_change((b.cluster.name, b.attribute.name))
                or (b.cluster.name, b.attribute.name) in MODE_ATTRIBUTES
            )
        )
        action = f"{c.command.name} {params}"
        _unchanged(h, frame, state, after, law=COMPOSITE, action=action, written=_written_paths(c))

    return _command_cases(h, c), check


def update_state_laws(h: Harness) -> list[Law]:
    """Per cluster with several writable attributes: one UpdateState writing all of them sets each one."""
    laws = []
    groups: dict[tuple[str, str], dict[str, list[Binding]]] = {}
    views: set[tuple[str, Any]] = set()
    for b in h.subjects.bindings:
        if (b.endpoint.id, b.lens.view) in views:
            continue  # a second attribute reading the same vendor value cannot take another value at once
        if h.subjects.writable(b) and not _unchecked_reason(b):
            views.add((b.endpoint.id, b.lens.view))
            groups.setdefault((b.endpoint.id, b.cluster.name), {}).setdefault(b.attribute.name, []).append(b)
    for (endpoint, cluster), attributes in groups.items():
        if len(attributes) < 2:
            continue
        source = next(iter(attributes.values()))[0].source
        built = _update_all(h, list(attributes.values()))
        laws.append(Law(COMMAND_EFFECT, f"{cluster}.UpdateState", endpoint, source, *built, subject="update"))
    return laws


def _update_all(h: Harness, attributes: list[list[Binding]]) -> Built:
    """UpdateState writing every writable attribute of a cluster, each through the alternative that applies."""
    states = vendor_states(h.subjects)

    def active(state: dict[str, Any]) -> list[tuple[Binding, Any]]:
        chosen = [next((b for b in alternatives if b.applies(state)), None) for alternatives in attributes]
        return [(b, b.lens.matter_domain(state)) for b in chosen if b is not None]

    @st.composite
    def build(draw: st.DrawFn) -> tuple[dict[str, Any], dict[str, Any]]:
        state = draw(states)
        found = active(state)
        if len(found) < 2 or any(d is None for _, d in found):
            reject()
        return state, {b.attribute.name: draw(domain_values(d)) for b, d in found if d is not None}

    def check(case: tuple[dict[str, Any], dict[str, Any]]) -> None:
        state, targets = case
        found = active(state)
        bindings = [b for b, _ in found]
        action = "UpdateState " + ", ".join(f"{name}={fmt(v)}" for name, v in targets.items())
        try:
            after = h.send(h.update_state(bindings, list(targets.values())), state, COMMAND_EFFECT)
        except TranslationError as exc:
            raise _fail(COMMAND_EFFECT, f"refuses {action}, values the device can represent: {exc}") from None
        written = {b.lens.path_text for b in bindings}
        for b, domain in found:
            if _touches(written - {b.lens.path_text}, h.subjects.mode_paths(b.key)):
                continue  # another write in the same action switches this attribute's mode
            target = targets[b.attribute.name]
            _expect_value(
                h,
                b,
                COMMAND_EFFECT,
                f"{action}: {b.rule}",
                expected=target,
                domain=domain,
                state=state,
                after=after,
                matter_value=target,
            )

    return build(), check


# --- per mapping ---------------------------------------------------------------------------------------


def mapping_laws(h: Harness) -> list[Law]:
    return [Law(VALIDITY, "payloads", "", h.compiled.source_file + ":1:1", *_payloads(h), subject="mapping")]


def _payloads(h: Harness) -> Built:
    def check(state: dict[str, Any]) -> None:
        try:
            events = h.translator.to_matter(state, connector_id="matter-map-test")
        except TranslationError as exc:
            listed = "; ".join(f"{p.rule or p.code}: {p.message}" for p in exc.problems)
            raise _fail(VALIDITY, f"a generated vendor state does not translate: {listed}") from None
        for event in events:
            problems = check_connector_event(event)
            if problems:
                raise _fail(VALIDITY, "a DEVICE_EVENT fails the AWS checks: " + "; ".join(map(str, problems)))
        try:
            discovery = h.translator.discovery_event([state], discovery_id="mattermaptest")
        except TranslationError as exc:
            raise _fail(VALIDITY, f"the capability report cannot be built: {exc}") from None
        problems = check_connector_event(discovery)
        if problems:
            raise _fail(VALIDITY, "the DEVICE_DISCOVERY event fails the AWS checks: " + "; ".join(map(str, problems)))

    return vendor_states(h.subjects), check


def all_laws(h: Harness) -> list[Law]:
    laws = mapping_laws(h)
    for b in h.subjects.bindings:
        laws.extend(binding_laws(h, b))
    for c in h.subjects.commands:
        laws.extend(command_laws(h, c))
    laws.extend(update_state_laws(h))
    return laws
