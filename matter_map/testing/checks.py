"""What every law shares: the Law record, the violation it raises, expected values, frames and listed domains."""

from __future__ import annotations

import copy
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from hypothesis import reject
from hypothesis import strategies as st

from matter_map.errors import TranslationError
from matter_map.ir import Source
from matter_map.paths import MISSING
from matter_map.runtime import TransformError
from matter_map.testing.domains import Finite, Interval, fmt, is_number, type_domain
from matter_map.testing.harness import Harness, LawViolation, Unreadable, shown, values_equal
from matter_map.testing.strategies import domain_values, matter_targets, vendor_states
from matter_map.testing.subjects import Binding

PUT_GET, GET_PUT, STABILITY, VALIDITY = "put-get", "get-put", "stability", "validity"
COMMAND_EFFECT, COMPOSITE = "command-effect", "composite"
LAW_NAMES = (PUT_GET, GET_PUT, STABILITY, VALIDITY, COMMAND_EFFECT, COMPOSITE)
#: listed domains up to this size are checked value by value in every example
MAX_LISTED = 16
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


Built = tuple[st.SearchStrategy[Any], Callable[[Any], None]]

DETAIL_NAMES = {"matter_value": "Matter value", "vendor_value": "vendor value", "written": "vendor value written"}


def fail(law: str, message: str, **details: Any) -> LawViolation:
    return LawViolation(law, message, {DETAIL_NAMES.get(k, k.replace("_", " ")): shown(v) for k, v in details.items()})


def unchecked_reason(b: Binding) -> str:
    if not b.lens.core.transforms and type_domain(b.attribute.type) is None:
        return f"not checked (no value domain for Matter type {b.attribute.type.base})"
    return ""


def representable_cases(h: Harness, b: Binding, anywhere: bool) -> st.SearchStrategy[Any]:
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


def listed(b: Binding, domain: Any, drawn: Any) -> list[Any]:
    """Every value of a short listed domain (enum tables, bools) and of the type's own members: an enum bug
    is then found in every example, not by the luck of the draw; otherwise the drawn value alone."""
    if isinstance(domain, Finite) and len(domain.values) <= MAX_LISTED:
        members = type_domain(b.attribute.type)
        extra = members.values if isinstance(members, Finite) and len(members.values) <= MAX_LISTED else ()
        return list({repr(v): v for v in (drawn, *domain.values, *extra)}.values())
    return [drawn]


def each_listed_state(b: Binding, check_one: Callable[[dict[str, Any]], None]) -> Callable[[dict[str, Any]], None]:
    """Run a state check on the drawn state and, for a short listed vendor domain, on one state per value."""

    def check(state: dict[str, Any]) -> None:
        check_one(state)
        domain = b.lens.vendor_domain(state)
        if not isinstance(domain, Finite) or len(domain.values) > MAX_LISTED:
            return
        for value in domain.values:
            variant = copy.deepcopy(state)
            b.lens.write_core(variant, value)
            if b.applies(variant):
                check_one(variant)

    return check


def expected_reading(target: Any, domain: Any) -> tuple[Any, bool]:
    """What a written Matter value must read back as, and whether the device can represent it exactly."""
    if isinstance(domain, Interval):
        if not is_number(target):
            return target, False
        return domain.clamp(target), domain.contains(target)
    return target, domain.contains(target)


def expect_value(
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
        raise fail(law, f"{action} leaves a vendor state that cannot be read back: {exc}", **details) from None
    written = h.core(b, after)
    if value is MISSING:
        raise fail(law, f"{action} leaves {b.rule} unreported", written=written, **details)
    if isinstance(domain, Interval) and is_number(expected):
        tolerance = b.lens.matter_tolerance(written, after) if is_number(written) else 0.0
        asked = asked if is_number(asked) else expected
        low, high = min(asked, expected) - tolerance, max(asked, expected) + tolerance
        if not is_number(value) or not low <= value <= high:
            wanted = fmt(expected) if asked == expected else f"{fmt(expected)} (the device's limit) to {fmt(asked)}"
            raise fail(
                law,
                f"{action} reads back {fmt(value)}, expected {wanted} within the declared loss "
                f"±{fmt(tolerance)} (device range {fmt(domain.lo)}..{fmt(domain.hi)})",
                written=written,
                **details,
            )
        return
    if isinstance(domain, Finite) and not domain.contains(expected):
        if not domain.contains(value):
            raise fail(law, f"{action} reads back {value!r}, which the binding cannot produce", **details)
        return
    if not values_equal(value, expected):
        raise fail(law, f"{action} reads back {value!r}, expected {expected!r}", written=written, **details)


def in_domain(b: Binding, state: dict[str, Any], *, known_domain: bool = True, reported: bool = False) -> Any:
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


def read_generated(h: Harness, b: Binding, state: dict[str, Any], law: str) -> Any:
    try:
        value = h.read(b, state)
    except TranslationError as exc:
        raise fail(law, f"a vendor value of its domain cannot be read: {exc}", vendor_value=h.core(b, state)) from None
    if value is MISSING:
        reject()
    return value


def unchanged(
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
        if touches(written, h.subjects.mode_paths(other.key)):
            continue  # the write switches which alternative applies (a declared mode coupling)
        before = h.read_or_unreadable(other, state)
        if isinstance(before, Unreadable):
            continue
        now = h.read_or_unreadable(other, after)
        if isinstance(now, Unreadable):
            raise fail(law, f"{action} makes {other.rule} unreadable: {now.problem}")
        if not values_equal(before, now):
            raise fail(
                law,
                f"{action} changes {other.rule} (sharing vendor field `{other.lens.path_text}`) "
                f"from {fmt(shown(before))} to {fmt(shown(now))}",
                vendor_before=h.core(other, state),
                vendor_after=h.core(other, after),
            )


def touches(written: set[str], paths: set[str]) -> bool:
    """Whether any written vendor path is one of `paths`, inside one, or holds one."""
    for a in written:
        for b in paths:
            if a == b or a.startswith((b + ".", b + "[")) or b.startswith((a + ".", a + "[")):
                return True
    return False
