"""Why a match rule rejects a vendor payload: the first failing test, in words (for listings of unmatched devices)."""

from __future__ import annotations

import json
from typing import Any

from matter_map.ir import AllOf, AnyOf, Not, PathTest, RuleIR
from matter_map.paths import MISSING
from matter_map.rules import matches

__all__ = ["describe_rule", "why_not"]


def _shown(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=False) if value is not MISSING else "missing"
    return text if len(text) <= 40 else text[:37] + "..."


def why_not(rule: RuleIR, document: Any) -> str | None:
    """None when the rule accepts the document, else the first reason it does not."""
    if matches(rule, document):
        return None
    if isinstance(rule, PathTest):
        value = rule.path.get(document)
        if rule.present is not None and (value is not MISSING) != rule.present:
            return f"`{rule.path}` is {'missing' if rule.present else 'present'}"
        if rule.has_equals:
            return f"`{rule.path}` is {_shown(value)}, not {_shown(rule.equals)}"
        if rule.has_contains:
            return f"`{rule.path}` ({_shown(value)}) does not contain {_shown(rule.contains)}"
        return f"`{rule.path}` is {_shown(value)}, not one of {_shown(list(rule.one_of or ()))}"
    if isinstance(rule, AllOf):
        for part in rule.rules:
            reason = why_not(part, document)
            if reason is not None:
                return reason
        return None  # pragma: no cover - all parts hold, so the rule matched
    if isinstance(rule, AnyOf):
        return "none of: " + "; ".join(r for r in (why_not(p, document) for p in rule.rules) if r)
    assert isinstance(rule, Not)
    return f"it should not match ({describe_rule(rule.rule)})"


def describe_rule(rule: RuleIR) -> str:
    """A rule in words, e.g. ``(`type` = "light" and `dimming` present)``."""
    if isinstance(rule, PathTest):
        if rule.has_equals:
            return f"`{rule.path}` = {_shown(rule.equals)}"
        if rule.has_contains:
            return f"`{rule.path}` contains {_shown(rule.contains)}"
        if rule.one_of is not None:
            return f"`{rule.path}` in {_shown(list(rule.one_of))}"
        return f"`{rule.path}` {'present' if rule.present else 'absent'}"
    if isinstance(rule, Not):
        return f"not {describe_rule(rule.rule)}"
    joiner = " and " if isinstance(rule, AllOf) else " or "
    return "(" + joiner.join(describe_rule(r) for r in rule.rules) + ")"
