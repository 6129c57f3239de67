"""The laws of one binding (validity, put-get, get-put, stability, composite) and of a mapping's payloads."""

from __future__ import annotations

from typing import Any

from hypothesis import reject
from hypothesis import strategies as st

from matter_map.errors import TranslationError
from matter_map.paths import MISSING
from matter_map.payload_check import check_connector_event
from matter_map.runtime import TransformError
from matter_map.testing.checks import (
    COMPOSITE,
    GET_PUT,
    PUT_GET,
    STABILITY,
    VALIDITY,
    Built,
    Law,
    each_listed_state,
    expect_value,
    expected_reading,
    fail,
    in_domain,
    listed,
    read_generated,
    representable_cases,
    unchanged,
    unchecked_reason,
)
from matter_map.testing.domains import Interval, fmt, is_number, slack
from matter_map.testing.harness import Harness, shown, values_equal
from matter_map.testing.strategies import matter_values, vendor_states
from matter_map.testing.subjects import Binding
from matter_map.transforms import param
from matter_map.values import check_value


def binding_laws(h: Harness, b: Binding) -> list[Law]:
    laws = [Law(VALIDITY, b.rule, b.endpoint.id, b.source, *_validity(h, b))]
    if not h.subjects.writable(b):
        return laws
    reason = unchecked_reason(b)
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


def _validity(h: Harness, b: Binding) -> Built:
    writable = h.subjects.writable(b)
    targets = matter_values(b.attribute.type) if writable else None
    states = vendor_states(h.subjects, b, reported=True)
    strategy = st.tuples(states, targets if targets is not None else st.just(MISSING))

    def check(case: tuple[dict[str, Any], Any]) -> None:
        state, target = case
        vendor = in_domain(b, state, known_domain=False, reported=True)
        try:
            value = h.read(b, state)
        except TranslationError as exc:
            raise fail(VALIDITY, f"reading a vendor value of its domain fails: {exc}", vendor_value=vendor) from None
        if value is not MISSING and (problem := check_value(value, b.attribute.type)):
            raise fail(VALIDITY, f"the Matter value breaks the catalog constraint: {problem}", vendor_value=vendor)
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
            raise fail(
                VALIDITY,
                f"writing {fmt(target)} leaves a vendor state that reads back invalid: {exc}",
                matter_value=target,
                written=written,
            ) from None
        declared = _declared_range(b, state)
        if declared is not None and not (is_number(written) and declared.contains(written, slack(written))):
            raise fail(
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
        for value in listed(b, domain, target):
            check_one(state, value, domain)

    def check_one(state: dict[str, Any], target: Any, domain: Any) -> None:
        expected, representable = expected_reading(target, domain)
        try:
            after = h.send(h.update_state([b], [target]), state, PUT_GET)
        except TranslationError as exc:
            if representable:
                raise fail(PUT_GET, f"refuses {fmt(target)}, which the device can represent: {exc}") from None
            return
        action = f"writing {fmt(target)}"
        expect_value(
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

    return representable_cases(h, b, anywhere=True), check


def _get_put(h: Harness, b: Binding) -> Built:
    def check(state: dict[str, Any]) -> None:
        vendor = in_domain(b, state)
        value = read_generated(h, b, state, GET_PUT)
        try:
            after = h.send(h.update_state([b], [value]), state, GET_PUT)
        except TranslationError as exc:
            raise fail(GET_PUT, f"refuses to write back the value it reads ({fmt(value)}): {exc}") from None
        written = h.core(b, after)
        if is_number(vendor) and isinstance(b.lens.vendor_domain(state), Interval):
            tolerance, refused = b.lens.vendor_tolerance(vendor, state)
            if refused:
                raise fail(GET_PUT, refused, vendor_value=vendor, matter_value=value)
            if not is_number(written) or abs(written - vendor) > tolerance:
                raise fail(
                    GET_PUT,
                    f"vendor value {fmt(vendor)} reads as {fmt(value)} and is written back as {fmt(shown(written))}, "
                    f"beyond the declared quantum ±{fmt(tolerance)}",
                    vendor_value=vendor,
                    matter_value=value,
                    written=written,
                )
        elif not values_equal(written, b.lens.canonical_vendor(vendor)):
            raise fail(
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
            raise fail(
                GET_PUT,
                f"writing back {fmt(value)} changes other vendor fields: {'; '.join(changed)}",
                vendor_value=vendor,
            )

    return vendor_states(h.subjects, b), each_listed_state(b, check)


def _stability(h: Harness, b: Binding) -> Built:
    def check(state: dict[str, Any]) -> None:
        in_domain(b, state)
        first = read_generated(h, b, state, STABILITY)
        once = _round_trip(h, b, first, state)
        second = _read_after(h, b, once, first)
        if not values_equal(second, first):
            raise fail(
                STABILITY,
                f"one round trip moves {fmt(first)} to {fmt(shown(second))} (f∘g∘f ≠ f: rounding drift)",
                vendor_value=h.core(b, state),
                written=h.core(b, once),
            )
        twice = _round_trip(h, b, second, once)
        if not values_equal(h.core(b, twice), h.core(b, once)):
            raise fail(
                STABILITY,
                f"a second round trip moves the vendor value {fmt(shown(h.core(b, once)))} to "
                f"{fmt(shown(h.core(b, twice)))}",
                vendor_value=h.core(b, state),
                matter_value=first,
            )

    return vendor_states(h.subjects, b), each_listed_state(b, check)


def _round_trip(h: Harness, b: Binding, value: Any, state: dict[str, Any]) -> dict[str, Any]:
    try:
        return h.send(h.update_state([b], [value]), state, STABILITY)
    except TranslationError as exc:
        raise fail(STABILITY, f"refuses to write back the value it reads ({fmt(value)}): {exc}") from None


def _read_after(h: Harness, b: Binding, state: dict[str, Any], value: Any) -> Any:
    try:
        return h.read(b, state)
    except TranslationError as exc:
        raise fail(STABILITY, f"writing back {fmt(value)} leaves an unreadable vendor state: {exc}") from None


def _composite(h: Harness, b: Binding) -> Built:
    related = h.subjects.related(b)

    def check(case: tuple[dict[str, Any], Any, Any]) -> None:
        state, target, _ = case
        try:
            after = h.send(h.update_state([b], [target]), state, COMPOSITE)
        except TranslationError:
            reject()
        action = f"writing {b.rule} = {fmt(target)}"
        unchanged(h, related, state, after, law=COMPOSITE, action=action, written={b.lens.path_text})

    return representable_cases(h, b, anywhere=False), check


def mapping_laws(h: Harness) -> list[Law]:
    return [Law(VALIDITY, "payloads", "", h.compiled.source_file + ":1:1", *_payloads(h), subject="mapping")]


def _payloads(h: Harness) -> Built:
    def check(state: dict[str, Any]) -> None:
        try:
            events = h.translator.to_matter(state, connector_id="matter-map-test")
        except TranslationError as exc:
            listed = "; ".join(f"{p.rule or p.code}: {p.message}" for p in exc.problems)
            raise fail(VALIDITY, f"a generated vendor state does not translate: {listed}") from None
        for event in events:
            problems = check_connector_event(event)
            if problems:
                raise fail(VALIDITY, "a DEVICE_EVENT fails the AWS checks: " + "; ".join(map(str, problems)))
        try:
            discovery = h.translator.discovery_event([state], discovery_id="mattermaptest")
        except TranslationError as exc:
            raise fail(VALIDITY, f"the capability report cannot be built: {exc}") from None
        problems = check_connector_event(discovery)
        if problems:
            raise fail(VALIDITY, "the DEVICE_DISCOVERY event fails the AWS checks: " + "; ".join(map(str, problems)))

    return vendor_states(h.subjects), check
