"""Translation errors: each problem names the vendor path and the mapping rule it came from."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

MAX_SHOWN_VALUE = 60


@dataclass(frozen=True, slots=True)
class TranslationProblem:
    code: str  # missing-vendor-value | bad-vendor-value | bad-command | out-of-range | unsupported | ...
    message: str
    vendor_path: str = ""
    rule: str = ""  # e.g. "LevelControl.CurrentLevel"
    source: str = ""  # mapping file:line:col

    def __str__(self) -> str:
        where = f" ({self.source}, {self.rule})" if self.source else (f" ({self.rule})" if self.rule else "")
        return f"{self.code}: {self.message}{where}"


class TranslationError(ValueError):
    """Nothing was emitted: every problem found in the input is listed."""

    def __init__(self, problems: Iterable[TranslationProblem]) -> None:
        self.problems = tuple(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


def shown(value: object) -> str:
    """A short, safe rendering of an input value for an error message."""
    text = repr(value)
    return text if len(text) <= MAX_SHOWN_VALUE else text[: MAX_SHOWN_VALUE - 3] + "..."
