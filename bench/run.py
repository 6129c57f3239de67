"""Translation speed: generated module vs interpreter vs hand-written floor vs JSONata and jq, plus cold start.

    python3 scripts/dev.py bench              # installs the `bench` extra, then runs this (about a minute)
    .venv/bin/python bench/run.py --quick     # fewer rounds

Per-call rows time (1) a Hue extended colour light state → the DEVICE_EVENT request and (2) a MoveToLevel
command → the CLIP v2 PUT, each as the best of several rounds of many calls, with ratios to the hand-written
floor (bench/hue_handwritten.py), which bounds its input (depth, size, numbers) as every translator now does;
the (c′) row is the same code trusting its input, to show that cost. Every implementation's output is compared
with the floor's before timing.
Cold-start rows are the median wall time of fresh processes: interpreter start, imports, first translation.
Prints Markdown tables; the README's "Benchmarks" section is a copy of one run.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
import timeit
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "bench")]

import hue_expressions  # noqa: E402 -- bench/ is on sys.path
import hue_handwritten  # noqa: E402

from codegen.philips_hue import extended_color_light as generated  # noqa: E402
from matter_map.loader import load_mapping  # noqa: E402
from matter_map.payload_check import check_connector_event  # noqa: E402
from matter_map.translator import Translator  # noqa: E402

MAPPING = ROOT / "mappings" / "philips_hue" / "extended_color_light.yaml"
SAMPLES = ROOT / "mappings" / "philips_hue" / "samples"
STATE = json.loads((SAMPLES / "extended_color_light.json").read_text())
COMMAND = json.loads((SAMPLES / "command_move_to_level.json").read_text())
#: other states every implementation must translate alike before anything is timed (power-on settings, xy mode)
VARIANTS = [
    {**STATE, "color_temperature": {**STATE["color_temperature"], "mirek_valid": False}},
    {
        **STATE,
        "powerup": {
            "on": {"mode": "toggle"},
            "dimming": {"mode": "previous"},
            "color": {"mode": "color_temperature", "color_temperature": {"mirek": 300}},
        },
    },
    {
        **STATE,
        "powerup": {
            "on": {"mode": "on", "on": {"on": False}},
            "dimming": {"mode": "dimming", "dimming": {"brightness": 40.0}},
            "color": {"mode": "previous"},
        },
    },
]


def per_call_us(runs: list[Callable[[], Any]], rounds: int) -> list[float]:
    """Best of `rounds` rounds for each run, in µs per call. Rounds take turns across the runs, so a change
    of machine load during the benchmark hits every row alike; each round lasts about 0.2 s."""
    timers = [timeit.Timer(run) for run in runs]
    numbers = [timer.autorange()[0] for timer in timers]
    best = [float("inf")] * len(runs)
    for _ in range(rounds):
        for i, (timer, number) in enumerate(zip(timers, numbers, strict=True)):
            best[i] = min(best[i], timer.timeit(number) / number * 1e6)
    return best


def contenders(state: Any = STATE) -> dict[str, tuple[Callable[[], Any], Callable[[], Any]]]:
    """name → (state → event, MoveToLevel → request), in table order; the floor first."""
    interpreter = Translator(load_mapping(MAPPING).compiled)
    jsonata_event, jsonata_level = hue_expressions.jsonata_programs()
    jq_event, jq_level = hue_expressions.jq_programs()
    both = {"command": COMMAND, "state": state}
    return {
        "(c) hand-written Python (floor)": (
            lambda: hue_handwritten.to_matter(state),
            lambda: hue_handwritten.move_to_level(COMMAND, state=state),
        ),
        "(c′) the same, input not bounded (reference)": (
            lambda: hue_handwritten.to_matter(state, bounded=False),
            lambda: hue_handwritten.move_to_level(COMMAND, state=state, bounded=False),
        ),
        "(a) generated module": (lambda: generated.to_matter(state), lambda: generated.to_vendor(COMMAND, state=state)),
        "(b) interpreter (Translator)": (
            lambda: interpreter.to_matter(state),
            lambda: interpreter.to_vendor(COMMAND, state=state),
        ),
        "(d) JSONata (jsonata-python)": (lambda: jsonata_event.evaluate(state), lambda: jsonata_level.evaluate(both)),
        "(d) jq (jq binding)": (
            lambda: jq_event.input_value(state).first(),
            lambda: jq_level.input_value(both).first(),
        ),
    }


def check_outputs() -> None:
    """On the sample and its variants, Python back ends give the floor's exact bytes and the expression
    languages an equal JSON value (jq and JSONata may write 126.0 for 126)."""
    for state in [STATE, *VARIANTS]:
        table = contenders(state)
        floor = [json.dumps(run()) for run in next(iter(table.values()))]
        for name, runs in table.items():
            for expected, run in zip(floor, runs, strict=True):
                produced = run()
                exact = name.startswith(("(a)", "(b)", "(c"))
                same = json.dumps(produced) == expected if exact else produced == json.loads(expected)
                if not same:
                    sys.exit(f"{name} disagrees with the floor:\n  {json.dumps(produced)}\n  {expected}")


def per_call_table(rounds: int) -> list[str]:
    check_outputs()
    table = contenders()
    events = per_call_us([runs[0] for runs in table.values()], rounds)
    levels = per_call_us([runs[1] for runs in table.values()], rounds)
    times = {name: [event, level] for name, event, level in zip(table, events, levels, strict=True)}
    payload = generated.to_matter(STATE)[0]
    if check_connector_event(payload):
        sys.exit(f"the generated DEVICE_EVENT does not pass the payload check: {check_connector_event(payload)}")
    check_us, event_us = per_call_us(
        [lambda: check_connector_event(payload), lambda: generated.to_matter(STATE)], rounds
    )
    floor = times[next(iter(times))]
    lines = [
        "| implementation | state → event (µs) | × floor | MoveToLevel → request (µs) | × floor |",
        "|---|---:|---:|---:|---:|",
    ]
    for name, (event, level) in times.items():
        lines.append(f"| {name} | {event:.2f} | {event / floor[0]:.2f} | {level:.2f} | {level / floor[1]:.2f} |")
    lines.append(f"| payload check of that DEVICE_EVENT | {check_us:.2f} | {check_us / floor[0]:.2f} | | |")
    generated_times, interpreted = times["(a) generated module"], times["(b) interpreter (Translator)"]
    jsonata, jq = times["(d) JSONata (jsonata-python)"], times["(d) jq (jq binding)"]
    lines += [
        "",
        "| target | state → event | MoveToLevel → request |",
        "|---|---|---|",
        _target("generated ≤ 1.25 × floor", [g / f for g, f in zip(generated_times, floor, strict=True)], 1.25, "×"),
        _target("interpreter ≤ 3 × floor", [i / f for i, f in zip(interpreted, floor, strict=True)], 3, "×"),
        _target("payload check ≤ 2 × generated state → event", [check_us / event_us], 2, "×") + " |",
        _target(
            "generated ≥ 100 × faster than JSONata",
            [j / g for j, g in zip(jsonata, generated_times, strict=True)],
            100,
            "× faster",
            at_least=True,
        ),
        _target(
            "generated ≥ 50 × faster than jq",
            [j / g for j, g in zip(jq, generated_times, strict=True)],
            50,
            "× faster",
            at_least=True,
        ),
    ]
    return lines


def _target(label: str, values: list[float], bound: float, unit: str, *, at_least: bool = False) -> str:
    cells = []
    for value in values:
        met = value >= bound if at_least else value <= bound
        cells.append(f"{value:.2f} {unit} ({'met' if met else 'missed'})")
    return f"| {label} | {' | '.join(cells)} |"


# --- cold start ---------------------------------------------------------------------------------------------


def _first_translation(setup: str) -> str:
    return f"{setup}\nm.to_matter({STATE!r})"


def cold_start_table(runs: int) -> list[str]:
    python = sys.executable
    path = f"import sys; sys.path[:0] = [{str(ROOT)!r}, {str(ROOT / 'bench')!r}]"
    generated_code = _first_translation(f"{path}\nfrom codegen.philips_hue import extended_color_light as m")
    handwritten_code = _first_translation(f"{path}\nimport hue_handwritten as m")
    interpreter_code = _first_translation(
        "from matter_map.loader import load_mapping\nfrom matter_map.translator import Translator\n"
        f"m = Translator(load_mapping({str(MAPPING)!r}).compiled)"
    )
    with tempfile.TemporaryDirectory() as scratch:
        rows = [
            ("bare `python -I -S -c pass`", [python, "-I", "-S", "-c", "pass"], False),
            ("generated module + first to_matter", [python, "-I", "-S", "-c", generated_code], False),
            ("the same, compiled from source (no .pyc)", [python, "-I", "-S", "-c", generated_code], True),
            ("hand-written module + first to_matter", [python, "-I", "-S", "-c", handwritten_code], False),
            ("`import matter_map` + load mapping + first to_matter", [python, "-I", "-c", interpreter_code], False),
        ]
        results = []
        for label, command, fresh_bytecode in rows:
            count = max(3, runs // 4) if "matter_map" in label else runs
            results.append((label, _median_ms(command, count, scratch if fresh_bytecode else None)))
    bare = results[0][1]
    lines = ["| fresh process | median (ms) | above bare (ms) |", "|---|---:|---:|"]
    lines += [f"| {label} | {ms:.1f} | {ms - bare:+.1f} |" for label, ms in results]
    above = results[1][1] - bare
    lines += [
        "",
        f"target: generated module ≤ 10 ms above bare: {above:+.1f} ms ({'met' if above <= 10 else 'missed'})",
    ]
    return lines


def _median_ms(command: list[str], runs: int, scratch: str | None) -> float:
    """Median wall time; with `scratch`, every run compiles from source into a fresh bytecode cache."""
    subprocess.run(command, check=True, capture_output=True)  # warm the OS file cache (and .pyc when allowed)
    times = []
    for i in range(runs):
        run = command if scratch is None else [command[0], "-X", f"pycache_prefix={scratch}/{i}", *command[1:]]
        start = time.perf_counter()
        subprocess.run(run, check=True, capture_output=True)
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def machine() -> str:
    model = "unknown CPU"
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        for line in cpuinfo.read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    return (
        f"{model}, {os.cpu_count()} logical CPUs (load {load:.1f} at start), {platform.system()} "
        f"{platform.release()}, Python {platform.python_version()} ({platform.python_implementation()})"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="fewer rounds and fewer cold starts")
    args = parser.parse_args()
    rounds, starts = (3, 8) if args.quick else (7, 30)
    print(f"machine: {machine()}\n")
    print("\n".join(per_call_table(rounds)))
    print()
    print("\n".join(cold_start_table(starts)))


if __name__ == "__main__":
    main()
