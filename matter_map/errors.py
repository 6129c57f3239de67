"""Translation errors: each problem names the vendor path and the mapping rule it came from (see runtime.py)."""

from __future__ import annotations

from matter_map.problems import Location, Problem, TranslationError, TranslationProblem
from matter_map.runtime import MAX_SHOWN_VALUE, shown

__all__ = ["MAX_SHOWN_VALUE", "Location", "Problem", "TranslationError", "TranslationProblem", "shown"]
