"""Per-attribute outcomes of a vendor payload: reported (with the value), omitted (with the reason), or failing.

`Translator.to_matter` reports what it can and stays silent about optional bindings it omits; this module
explains each omission, so vendor oddities (null values, values outside the declared spec, unknown enum
members, empty strings) give one clear line per attribute instead of a silent gap.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from matter_map.errors import TranslationError
from matter_map.ir import AttributeIR, CompiledMapping
from matter_map.paths import MISSING
from matter_map.rules import matches
from matter_map.translator import Translator

__all__ = ["Outcome", "attribute_outcomes"]


@dataclass(frozen=True, slots=True)
class Outcome:
    endpoint: str
    cluster: str
    attribute: str
    status: str  # reported | omitted | failed
    value: Any = None
    reason: str = ""

    def __str__(self) -> str:
        where = f"{self.endpoint}/{self.cluster}.{self.attribute}"
        if self.status == "reported":
            return f"{where} = {self.value!r}"
        return f"{where} {self.status}: {self.reason}"


def _active(attr: AttributeIR, state: Any) -> AttributeIR | None:
    """The binding of the `otherwise` chain that reads this payload (None: no `when` holds)."""
    current: AttributeIR | None = attr
    while current is not None:
        if current.when is None or matches(current.when, state):
            return current
        current = current.otherwise
    return None


def attribute_outcomes(compiled: CompiledMapping, state: Any) -> list[Outcome]:
    """One outcome per attribute binding of every endpoint, in mapping order."""
    translator = Translator(compiled)
    outcomes = []
    for endpoint in compiled.endpoints:
        for cluster in endpoint.clusters:
            for attr in cluster.attributes:
                outcomes.append(_outcome(translator, endpoint.id, attr, state))
    return outcomes


def _outcome(translator: Translator, endpoint: str, attr: AttributeIR, state: Any) -> Outcome:
    base = {"endpoint": endpoint, "cluster": attr.cluster, "attribute": attr.name}
    try:
        value = translator.read_attribute(attr, state)
    except TranslationError as exc:
        return Outcome(status="failed", reason="; ".join(p.message for p in exc.problems), **base)
    if value is not MISSING:
        return Outcome(status="reported", value=value, **base)
    active = _active(attr, state)
    if active is None:
        return Outcome(status="omitted", reason="no `when` of the binding holds for this payload", **base)
    try:
        translator.read_attribute(replace(active, optional=False, when=None, otherwise=None), state)
    except TranslationError as exc:
        return Outcome(status="omitted", reason="; ".join(p.message for p in exc.problems), **base)
    return Outcome(status="omitted", reason="optional binding with nothing to report", **base)  # pragma: no cover
