"""Evaluate compiled match rules against vendor JSON."""

from __future__ import annotations

from typing import Any

from matter_map.ir import AllOf, AnyOf, Not, PathTest, RuleIR
from matter_map.paths import MISSING
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
