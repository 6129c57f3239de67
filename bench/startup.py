"""Command start-up: `matter-map --help` and `matter-map to-matter` on the Hue sample against bare `python -c pass`.

    .venv/bin/python bench/startup.py            # 21 fresh processes per row (about 30 s)
    .venv/bin/python bench/startup.py --runs 7   # quicker

Every row runs in the same session, alternating rows so load on the machine affects them alike; each row's
median wall time is printed with its margin over the bare interpreter and the target (120 ms and 250 ms).
The processes run as an installed package does: with bytecode (PYTHONDONTWRITEBYTECODE is dropped, so the
warm-up run writes it, as pip does on install) and with the compiled-mapping cache in a folder of this run
(the warm-up run fills it). The last row is `to-matter` with the cache off: the mapping compiled from YAML.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
HUE = ROOT / "mappings" / "philips_hue"

TO_MATTER = [
    str(BIN / "matter-map"),
    "to-matter",
    str(HUE / "extended_color_light.yaml"),
    str(HUE / "samples" / "extended_color_light.json"),
]
# (name, command, extra environment, target in ms)
ROWS: list[tuple[str, list[str], dict[str, str], float | None]] = [
    ("bare `python -c pass`", [sys.executable, "-c", "pass"], {}, None),
    ("`matter-map --help`", [str(BIN / "matter-map"), "--help"], {}, 120.0),
    ("`matter-map to-matter` (Hue sample)", TO_MATTER, {}, 250.0),
    ("the same, cache off (compiles the mapping)", TO_MATTER, {"MATTER_MAP_NO_CACHE": "1"}, None),
]


def wall_ms(command: list[str], env: dict[str, str]) -> float:
    started = time.perf_counter()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=ROOT, env=env)
    return (time.perf_counter() - started) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=21, help="fresh processes per row (default 21)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="matter-map-cache-") as cache:
        base = {k: v for k, v in os.environ.items() if k not in ("PYTHONDONTWRITEBYTECODE", "MATTER_MAP_NO_CACHE")}
        base["MATTER_MAP_CACHE_DIR"] = cache
        envs = {name: {**base, **extra} for name, _, extra, _ in ROWS}
        for name, command, _, _ in ROWS:  # warm the file cache, the bytecode and the compiled-mapping cache
            wall_ms(command, envs[name])
        samples: dict[str, list[float]] = {name: [] for name, _, _, _ in ROWS}
        for _ in range(args.runs):
            for name, command, _, _ in ROWS:
                samples[name].append(wall_ms(command, envs[name]))
    bare = statistics.median(samples[ROWS[0][0]])
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(
        f"{args.runs} runs per row, {platform.python_implementation()} {platform.python_version()}, "
        f"{os.cpu_count()} CPUs, load {load:.1f}\n"
    )
    print("| command | median (ms) | p90 (ms) | above bare (ms) | target (ms) | |")
    print("|---|---:|---:|---:|---:|---|")
    for name, _, _, target in ROWS:
        times = sorted(samples[name])
        median = statistics.median(times)
        p90 = times[int(0.9 * (len(times) - 1))]
        verdict = "" if target is None else ("met" if median <= target else "missed")
        shown_target = "" if target is None else f"≤ {target:.0f}"
        print(f"| {name} | {median:.1f} | {p90:.1f} | {median - bare:+.1f} | {shown_target} | {verdict} |")


if __name__ == "__main__":
    main()
