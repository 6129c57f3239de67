"""The laws of one command (its effect, and the attributes it must leave alone) and of UpdateState per cluster."""

from __future__ import annotations

from typing import Any

from hypothesis import reject
from hypothesis import strategies as st

from matter_map.errors import TranslationError
from matter_map.ir import (
    AttributeIR,
    CommandIR,
    ConstSource,
    RequestCommand,
    StepCommand,
    StepIR,
    ToggleCommand,
    WriteCommand,
)
from matter_map.paths import MISSING
from matter_map.testing import semantics
from matter_map.testing.checks import (
    COMMAND_EFFECT,
    COMPOSITE,
    MODE_ATTRIBUTES,
    Built,
    Law,
    expect_value,
    expected_reading,
    fail,
    touches,
    unchanged,
    unchecked_reason,
)
from matter_map.testing.domains import fmt
from matter_map.testing.harness import Harness, Unreadable
from matter_map.testing.strategies import command_params, domain_values, vendor_states
from matter_map.testing.subjects import Binding, Command


def command_laws(h: Harness, c: Command) -> list[Law]:
    source = c.command.source
    if isinstance(c.command.action, RequestCommand):
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
                if attr.name == name and isinstance(attr.reads, ConstSource):
                    return attr.reads.value
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
            raise fail(COMMAND_EFFECT, f"refuses {action}: {exc}", parameters=params) from None
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
            expected, _ = expected_reading(target, domain)
            origin = "" if meaning.origin == "Matter" else " (as the mapping declares)"
            expect_value(
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


def _targets(command: CommandIR) -> list[AttributeIR]:
    """The attributes a command writes: its fixed writes, the toggled attribute, the stepped ones."""
    match command.action:
        case WriteCommand(writes=writes):
            return [w.attribute for w in writes]
        case ToggleCommand(attribute=attribute):
            return [attribute]
        case StepCommand(steps=steps, writes=writes):
            return [w.attribute for w in writes] + [s.attribute for s in steps]
        case RequestCommand():
            return []


def _steps(command: CommandIR) -> tuple[StepIR, ...]:
    return command.action.steps if isinstance(command.action, StepCommand) else ()


def _written_paths(c: Command) -> set[str]:
    paths = set()
    for target in _targets(c.command):
        current: Any = target
        while current is not None:
            if current.path is not None:
                paths.add(current.path.text)
            current = current.otherwise
    return paths


def _declared_targets(c: Command) -> set[tuple[str, str]]:
    return {(attribute.cluster, attribute.name) for attribute in _targets(c.command)}


def _meant_keys(c: Command) -> set[tuple[str, str]]:
    """The attributes a command means to set, for any parameters (declared targets when it needs a state)."""
    params = {f.name: _typical(f.type) for f in c.command.fields}
    for step in _steps(c.command):
        if step.direction is not None:
            params[step.direction.field] = step.direction.up
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
        unchanged(h, frame, state, after, law=COMPOSITE, action=action, written=_written_paths(c))

    return _command_cases(h, c), check


def update_state_laws(h: Harness) -> list[Law]:
    """Per cluster with several writable attributes: one UpdateState writing all of them sets each one."""
    laws = []
    groups: dict[tuple[str, str], dict[str, list[Binding]]] = {}
    views: dict[tuple[str, Any], tuple[str, str]] = {}
    for b in h.subjects.bindings:
        owner = views.get((b.endpoint.id, b.lens.view))
        if owner is not None and owner != (b.cluster.name, b.attribute.name):
            continue  # a second attribute reading the same vendor value cannot take another value at once
        if h.subjects.writable(b) and not unchecked_reason(b):
            # the alternatives of one attribute (a reading in °F or in °C) may read the same vendor value
            views[(b.endpoint.id, b.lens.view)] = (b.cluster.name, b.attribute.name)
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
            raise fail(COMMAND_EFFECT, f"refuses {action}, values the device can represent: {exc}") from None
        written = {b.lens.path_text for b in bindings}
        for b, domain in found:
            if touches(written - {b.lens.path_text}, h.subjects.mode_paths(b.key)):
                continue  # another write in the same action switches this attribute's mode
            target = targets[b.attribute.name]
            expect_value(
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
