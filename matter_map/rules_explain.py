"""Why a match rule rejects a vendor payload: the first failing test, in words (for listings of unmatched devices)."""

from __future__ import annotations

import json
from typing import Any

from matter_map.ir import Absent, AllOf, AnyOf, Contains, Equals, Not, OneOf, Present, RuleIR
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
    match rule:
        case AllOf(rules=rules):
            for part in rules:
                reason = why_not(part, document)
                if reason is not None:
                    return reason
            return None  # pragma: no cover - all parts hold, so the rule matched
        case AnyOf(rules=rules):
            return "none of: " + "; ".join(r for r in (why_not(p, document) for p in rules) if r)
        case Not(rule=inner):
            return f"it should not match ({describe_rule(inner)})"
        case Present(path=path):
            return f"`{path}` is missing"
        case Absent(path=path):
            return f"`{path}` is present"
        case Equals(path=path, value=expected):
            return f"`{path}` is {_shown(path.get(document))}, not {_shown(expected)}"
        case Contains(path=path, value=member):
            return f"`{path}` ({_shown(path.get(document))}) does not contain {_shown(member)}"
        case OneOf(path=path, values=values):
            return f"`{path}` is {_shown(path.get(document))}, not one of {_shown(list(values))}"


def describe_rule(rule: RuleIR) -> str:
    """A rule in words, e.g. ``(`type` = "light" and `dimming` present)``."""
    match rule:
        case Equals(path=path, value=expected):
            return f"`{path}` = {_shown(expected)}"
        case Contains(path=path, value=member):
            return f"`{path}` contains {_shown(member)}"
        case OneOf(path=path, values=values):
            return f"`{path}` in {_shown(list(values))}"
        case Present(path=path):
            return f"`{path}` present"
        case Absent(path=path):
            return f"`{path}` absent"
        case Not(rule=inner):
            return f"not {describe_rule(inner)}"
        case AllOf(rules=rules):
            return "(" + " and ".join(describe_rule(r) for r in rules) + ")"
        case AnyOf(rules=rules):
            return "(" + " or ".join(describe_rule(r) for r in rules) + ")"
