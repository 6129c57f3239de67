"""What the up-front input bounds cost (depth, size, numbers, ids as text) against translating, in one run.

    .venv/bin/python bench/input_limits.py            # a few seconds
    .venv/bin/python bench/input_limits.py --quick

Rows, on the Hue extended colour light sample and the MoveToLevel command: the bounds check alone (the
runtime's `input_problem`, which the interpreter and generated modules share), `to_matter` / `to_vendor` of
the interpreter and of the generated module (both include the check), and the share of the check in each. Median of 5
batches of the mean time per call, µs, this machine.
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
sys.path[:0] = [str(ROOT)]

from codegen.philips_hue import extended_color_light as generated  # noqa: E402
from matter_map.input_limits import input_problem  # noqa: E402
from matter_map.loader import load_mapping  # noqa: E402
from matter_map.translator import Translator  # noqa: E402

MAPPING = ROOT / "mappings" / "philips_hue" / "extended_color_light.yaml"
SAMPLES = ROOT / "mappings" / "philips_hue" / "samples"


def per_call_us(fn: Callable[[], Any], rounds: int) -> float:
    """Median over 5 batches of the mean time per call, in µs."""
    batches = []
    for _ in range(5):
        start = time.perf_counter()
        for _ in range(rounds):
            fn()
        batches.append((time.perf_counter() - start) / rounds * 1e6)
    return statistics.median(batches)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer calls per batch")
    rounds = 500 if parser.parse_args().quick else 5000
    state = json.loads((SAMPLES / "extended_color_light.json").read_text(encoding="utf-8"))
    command = json.loads((SAMPLES / "command_move_to_level.json").read_text(encoding="utf-8"))
    interpreter = Translator(load_mapping(MAPPING).compiled)
    rows = [
        ("bounds check of the state (the runtime's input_problem)", lambda: input_problem(state)),
        ("bounds check of the command", lambda: input_problem(command)),
        ("to_matter, interpreter", lambda: interpreter.to_matter(state)),
        ("to_matter, generated module", lambda: generated.to_matter(state)),
        ("to_vendor, interpreter", lambda: interpreter.to_vendor(command, state=state)),
        ("to_vendor, generated module", lambda: generated.to_vendor(command, state=state)),
    ]
    timed = {name: per_call_us(fn, rounds) for name, fn in rows}
    print(f"| call (Hue extended colour light, {rounds} calls × 5 batches) | µs per call |")
    print("|---|---:|")
    for name, us in timed.items():
        print(f"| {name} | {us:.2f} |")
    state_check = generated_check = timed["bounds check of the state (the runtime's input_problem)"]
    command_check = timed["bounds check of the command"]
    print()
    print("| share of the bounds checks in | % |")
    print("|---|---:|")
    for name, check in (
        ("to_matter, interpreter", state_check),
        ("to_matter, generated module", generated_check),
        ("to_vendor, interpreter", state_check + command_check),
        ("to_vendor, generated module", generated_check + command_check),
    ):
        print(f"| {name} | {100 * check / timed[name]:.0f} |")


if __name__ == "__main__":
    main()
