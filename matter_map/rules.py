"""Evaluate compiled match rules against vendor JSON."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from matter_map.ir import Absent, AllOf, AnyOf, Contains, Equals, Not, OneOf, PathTest, Present, RuleIR
from matter_map.paths import MISSING
from matter_map.runtime import get_path
from matter_map.runtime import rule_key as _key


def matches(rule: RuleIR, document: Any) -> bool:
    match rule:
        case AllOf(rules=rules):
            return all(matches(r, document) for r in rules)
        case AnyOf(rules=rules):
            return any(matches(r, document) for r in rules)
        case Not(rule=inner):
            return not matches(inner, document)
    return holds(rule, rule.path.get(document))


def holds(test: PathTest, value: Any) -> bool:
    """Whether a path test holds of the value found at its path (MISSING when absent)."""
    match test:
        case Present():
            return value is not MISSING
        case Absent():
            return value is MISSING
        case Equals(value=expected):
            return value is not MISSING and _key(value) == _key(expected)
        case Contains(value=member):
            return isinstance(value, list) and _key(member) in {_key(v) for v in value}
        case OneOf(values=values):
            return value is not MISSING and _key(value) in {_key(v) for v in values}


Test = Callable[[Any], bool]


def compile_rule(rule: RuleIR) -> Test:
    """`matches(rule, ·)` as a closure built once: constants keyed ahead, paths pre-parsed."""
    match rule:
        case Equals() | OneOf() | Present() | Absent() | Contains():
            return _compile_path_test(rule)
        case AllOf(rules=rules):
            tests = tuple(compile_rule(r) for r in rules)
            return lambda document: all(test(document) for test in tests)
        case AnyOf(rules=rules):
            tests = tuple(compile_rule(r) for r in rules)
            return lambda document: any(test(document) for test in tests)
        case Not(rule=inner):
            test = compile_rule(inner)
            return lambda document: not test(document)
    raise AssertionError(f"not a rule: {rule!r}")


def _compile_path_test(rule: PathTest) -> Test:
    segments = rule.path.segments
    match rule:
        case Present():
            return lambda document: get_path(document, segments) is not MISSING
        case Absent():
            return lambda document: get_path(document, segments) is MISSING
        case Equals(value=expected):
            equals = _key(expected)

            def test_equals(document: Any) -> bool:
                value = get_path(document, segments)
                return value is not MISSING and _key(value) == equals

            return test_equals
        case Contains(value=member):
            contains = _key(member)

            def test_contains(document: Any) -> bool:
                value = get_path(document, segments)
                return isinstance(value, list) and contains in {_key(v) for v in value}

            return test_contains
        case OneOf(values=values):
            one_of = frozenset(_key(v) for v in values)

            def test_one_of(document: Any) -> bool:
                value = get_path(document, segments)
                return value is not MISSING and _key(value) in one_of

            return test_one_of
