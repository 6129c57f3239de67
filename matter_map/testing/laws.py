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

from matter_map.testing.binding_laws import binding_laws, mapping_laws
from matter_map.testing.checks import LAW_NAMES, Law
from matter_map.testing.command_laws import command_laws, update_state_laws
from matter_map.testing.harness import Harness


def all_laws(h: Harness) -> list[Law]:
    laws = mapping_laws(h)
    for b in h.subjects.bindings:
        laws.extend(binding_laws(h, b))
    for c in h.subjects.commands:
        laws.extend(command_laws(h, c))
    laws.extend(update_state_laws(h))
    return laws


__all__ = ["LAW_NAMES", "Law", "all_laws"]
