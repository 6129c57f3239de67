"""Vendor payload validation cost per engine on the Hue light sample, printed as a table (µs, this machine).

    .venv/bin/python bench/vendor_validation.py            # a few seconds
    .venv/bin/python bench/vendor_validation.py --quick

Rows: each engine's compile time, `is_valid` on the valid sample and on an invalid one (the hot path asks
only that), the full error walk on the invalid one (what a rejected payload costs), and `to_matter` without
validation for scale. fastjsonschema is measured when installed (it compiles draft-07 only: the derived schema
of the Hue light uses no 2020-12-only keyword, so it is measured with its `$schema` swapped).
"""

from __future__ import annotations

import argparse
import copy
import json
import statistics
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from matter_map.loader import load_mapping
from matter_map.translator import Translator
from matter_map.vendor_schema import derive
from matter_map.vendor_validation import VendorValidator, available_engines

ROOT = Path(__file__).resolve().parent.parent
MAPPING = ROOT / "mappings" / "philips_hue" / "extended_color_light.yaml"
SAMPLE = ROOT / "mappings" / "philips_hue" / "samples" / "extended_color_light.json"


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
    rounds = 200 if parser.parse_args().quick else 2000
    compiled = load_mapping(MAPPING).compiled
    valid = json.loads(SAMPLE.read_text(encoding="utf-8"))
    invalid = copy.deepcopy(valid)
    invalid["dimming"]["brightness"] = 150
    rows: list[tuple[str, str, str, str, str]] = []
    for engine in available_engines():
        start = time.perf_counter()
        validator = VendorValidator(compiled, engine=engine)
        validator.problems(valid)
        compile_us = (time.perf_counter() - start) * 1e6
        assert validator.problems(valid) == []
        assert validator.problems(invalid)
        rows.append(
            (
                engine,
                f"{compile_us:,.0f}",
                f"{per_call_us(lambda v=validator: v.problems(valid), rounds):.1f}",
                f"{per_call_us(lambda v=validator: v.problems(invalid), max(rounds // 10, 20)):.1f}",
                "every error, explained",
            )
        )
    rows.extend(_fastjsonschema(compiled, valid, invalid, rounds))
    translator = Translator(compiled)
    rows.append(
        ("to_matter (no validation)", "", f"{per_call_us(lambda: translator.to_matter(valid), rounds):.1f}", "", "")
    )
    header = ("engine", "compile µs", "valid µs", "invalid µs", "invalid gives")
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]
    for row in [header, tuple("-" * w for w in widths), *rows]:
        print("  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)))
    return 0


def _fastjsonschema(compiled: Any, valid: Any, invalid: Any, rounds: int) -> list[tuple[str, str, str, str, str]]:
    try:
        import fastjsonschema
    except ImportError:
        return [("fastjsonschema", "not installed", "", "", "")]
    document = dict(derive(compiled).full)
    document["$schema"] = "http://json-schema.org/draft-07/schema#"
    start = time.perf_counter()
    check = fastjsonschema.compile(document)
    compile_us = (time.perf_counter() - start) * 1e6

    def run(payload: Any) -> bool:
        try:
            check(payload)
        except fastjsonschema.JsonSchemaException:
            return False
        return True

    assert run(valid)
    assert not run(invalid)
    return [
        (
            "fastjsonschema (draft-07)",
            f"{compile_us:,.0f}",
            f"{per_call_us(lambda: run(valid), rounds):.1f}",
            f"{per_call_us(lambda: run(invalid), rounds):.1f}",
            "the first error only",
        )
    ]


if __name__ == "__main__":
    raise SystemExit(main())
