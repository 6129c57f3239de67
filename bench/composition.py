"""Cost of choosing a device's mapping in a vendor folder: whole-shape selection (the baseline) against
composition, cold (the shape seen for the first time: compose, link, conformance check) and cached, printed as a
table (µs per device, this machine), plus `to_matter` on the chosen mapping for scale.

    .venv/bin/python bench/composition.py            # under a minute
    .venv/bin/python bench/composition.py --quick
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from matter_map.composer import compose_for_device  # noqa: E402
from matter_map.loader import load_mapping  # noqa: E402
from matter_map.profiles import load_profile  # noqa: E402
from matter_map.rules import matches  # noqa: E402
from matter_map.translator import Translator  # noqa: E402
from tests.device_specs import tuya_devices  # noqa: E402

TUYA = ROOT / "mappings" / "tuya"


def per_call_us(fn: Callable[[], Any], rounds: int) -> float:
    """Median over 5 batches of the mean time per call, in µs."""
    batches = []
    for _ in range(5):
        start = time.perf_counter()
        for _ in range(rounds):
            fn()
        batches.append((time.perf_counter() - start) / rounds * 1e6)
    return statistics.median(batches)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true")
    rounds = 20 if parser.parse_args().quick else 200
    mappings = [load_mapping(p).compiled for p in sorted(TUYA.glob("*.yaml"))]
    devices = [d.state for d in tuya_devices()]
    states = json.loads(json.dumps(devices))

    def select_all() -> None:
        for state in states:
            [m for m in mappings if matches(m.match, state)]

    cold: list[float] = []
    for state in states:  # every shape is new to a fresh profile: compose, link, check conformance
        profile = load_profile(TUYA / "compose" / "profile.yaml")
        start = time.perf_counter()
        compose_for_device(profile, state)
        cold.append((time.perf_counter() - start) * 1e6)
    profile = load_profile(TUYA / "compose" / "profile.yaml")
    for state in states:
        compose_for_device(profile, state)
    shapes = len(profile.cache)

    def compose_all() -> None:
        for state in states:
            compose_for_device(profile, state)

    translators = [Translator(compose_for_device(profile, s).compiled) for s in states]

    def translate_all() -> None:
        for translator, state in zip(translators, states, strict=True):
            translator.to_matter(state)

    n = len(states)
    rows = [
        ("whole-shape selection (baseline)", per_call_us(select_all, rounds) / n),
        ("compose, cached shape", per_call_us(compose_all, rounds) / n),
        ("compose, new shape (median)", statistics.median(cold)),
        ("to_matter on the composed mapping", per_call_us(translate_all, rounds) / n),
    ]
    width = max(len(name) for name, _ in rows)
    print(f"Tuya fleet from the category specs: {n} devices, {shapes} distinct shapes")
    print(f"{'step':<{width}}  {'µs/device':>10}  {'× baseline':>10}")
    print(f"{'-' * width}  {'-' * 10}  {'-' * 10}")
    base = rows[0][1]
    for name, value in rows:
        print(f"{name:<{width}}  {value:>10.1f}  {value / base:>10.1f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
