"""Evaluate compiled match rules against vendor JSON."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from matter_map.ir import AllOf, AnyOf, Not, PathTest, RuleIR
from matter_map.paths import MISSING
from matter_map.runtime import get_path
from matter_map.runtime import rule_key as _key


def matches(rule: RuleIR, document: Any) -> bool:
    if isinstance(rule, PathTest):
        value = rule.path.get(document)
        if rule.present is not None and (value is not MISSING) != rule.present:
            return False
        if rule.has_equals and (value is MISSING or _key(value) != _key(rule.equals)):
            return False
        if rule.has_contains and not (isinstance(value, list) and _key(rule.contains) in {_key(v) for v in value}):
            return False
        return not (rule.one_of is not None and (value is MISSING or _key(value) not in {_key(v) for v in rule.one_of}))
    if isinstance(rule, AllOf):
        return all(matches(r, document) for r in rule.rules)
    if isinstance(rule, AnyOf):
        return any(matches(r, document) for r in rule.rules)
    assert isinstance(rule, Not)
    return not matches(rule.rule, document)


Test = Callable[[Any], bool]


def compile_rule(rule: RuleIR) -> Test:
    """`matches(rule, ·)` as a closure built once: constants keyed ahead, paths pre-parsed."""
    match rule:
        case PathTest():
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
    present = rule.present
    equals = _key(rule.equals) if rule.has_equals else None
    contains = _key(rule.contains) if rule.has_contains else None
    one_of = frozenset(_key(v) for v in rule.one_of) if rule.one_of is not None else None

    def test(document: Any) -> bool:
        value = get_path(document, segments)
        if present is not None and (value is not MISSING) != present:
            return False
        if rule.has_equals and (value is MISSING or _key(value) != equals):
            return False
        if rule.has_contains and not (isinstance(value, list) and contains in {_key(v) for v in value}):
            return False
        return not (one_of is not None and (value is MISSING or _key(value) not in one_of))

    return test
