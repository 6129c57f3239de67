"""Hypothesis settings for the laws: `default` (fast, deterministic, for CI) and `thorough` (many more examples).

Both are registered as hypothesis profiles (`matter-map-default`, `matter-map-thorough`) but never loaded
globally: the laws apply them explicitly, so a project's own hypothesis settings are left alone.
"""

from __future__ import annotations

from hypothesis import HealthCheck, Phase, Verbosity, settings

PROFILE_NAMES = ("default", "thorough")

_COMMON = {
    "deadline": None,  # shared CI machines: timing is no property of a mapping
    "database": None,  # nothing written into the user's checkout
    "report_multiple_bugs": False,  # one shrunk counterexample per law
    "suppress_health_check": [HealthCheck.too_slow, HealthCheck.data_too_large],
    "verbosity": Verbosity.quiet,
    "print_blob": False,
    "phases": [Phase.explicit, Phase.generate, Phase.shrink],
}

settings.register_profile("matter-map-default", max_examples=15, derandomize=True, **_COMMON)  # type: ignore[arg-type]
settings.register_profile("matter-map-thorough", max_examples=400, derandomize=False, **_COMMON)  # type: ignore[arg-type]


def profile(name: str) -> settings:
    """The settings of a named profile (`default` or `thorough`)."""
    if name not in PROFILE_NAMES:
        raise ValueError(f"unknown profile {name!r} (known: {', '.join(PROFILE_NAMES)})")
    return settings.get_profile(f"matter-map-{name}")
