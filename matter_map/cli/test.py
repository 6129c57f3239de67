"""`matter-map test PATH... [--profile default|thorough]`: the mappings' laws, with a table of what was checked."""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from typing import TYPE_CHECKING, Any

from matter_map.cli._io import InputProblemError, mapping_files_of
from matter_map.cli._output import Output, output_of, table

if TYPE_CHECKING:
    from matter_map.testing.runner import MappingReport

PROFILES = ("default", "thorough")
COLUMNS = ("mapping", "bindings", "commands", "examples", "failures", "not checked", "seconds")


def register(sub: Any) -> None:
    p = sub.add_parser(
        "test", help="check lens laws, command effects and range proofs of mapping files (needs hypothesis)"
    )
    p.add_argument("paths", nargs="+", metavar="PATH", help="mapping files or folders")
    p.add_argument("--profile", choices=PROFILES, default="default", help="default: fast, for CI; thorough: more")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    # hypothesis keeps caches under ./.hypothesis: a run of this command leaves the user's folder untouched
    with tempfile.TemporaryDirectory(prefix="matter-map-test-") as scratch:
        if "hypothesis" not in sys.modules and "HYPOTHESIS_STORAGE_DIRECTORY" not in os.environ:
            os.environ["HYPOTHESIS_STORAGE_DIRECTORY"] = scratch
            try:
                return _run(args)
            finally:
                del os.environ["HYPOTHESIS_STORAGE_DIRECTORY"]
        return _run(args)


def _run(args: argparse.Namespace) -> int:
    try:
        from matter_map.profiles import profile_file
        from matter_map.testing.runner import check_file, check_profile
    except ImportError as exc:  # hypothesis is an optional extra
        raise InputProblemError(
            f"matter-map test needs hypothesis ({exc.name} is missing): pip install 'matter-map[property]'"
        ) from None
    output = output_of(args)
    # a profile composes (below)
    files = [f for f in mapping_files_of(args.paths, or_profile=True) if profile_file(f) is None]
    started = time.perf_counter()
    reports = []
    for number, file in enumerate(files, start=1):
        output.progress(number, len(files), f"testing {file}")
        reports.append(check_file(file, args.profile))
    for path in [p for p in (profile_file(path) for path in args.paths) if p is not None]:
        output.progress(len(files), len(files), f"testing what {path} composes for its samples")
        reports.extend(check_profile(path, args.profile))
    for report in reports:
        if report.error:
            output.problem(report.error)
        for failure in report.failures:
            output.problem(failure.render())
    total = time.perf_counter() - started
    failed = [r for r in reports if not r.ok]
    if output.json:  # the table stays readable beside the JSON
        output.note(render(reports, total, output))
    output.result(
        {
            "ok": not failed,
            "profile": args.profile,
            "mappings": [r.as_json() for r in reports],
            "totals": {
                "mappings": len(reports),
                "bindings_checked": sum(r.bindings_checked for r in reports),
                "commands_checked": sum(r.commands_checked for r in reports),
                "examples": sum(r.examples for r in reports),
                "failures": sum(len(r.failures) for r in reports),
                "compile_errors": sum(1 for r in reports if r.error),
                "seconds": round(total, 2),
            },
        },
        lambda: render(reports, total, output),
    )
    return 1 if failed else 0


def render(reports: list[MappingReport], total: float, output: Output) -> str:
    """The table of what was checked per mapping, a totals row, and the verdict."""

    def seconds(value: float) -> str:
        return f"{value:.1f}"

    rows = [
        (
            r.mapping or r.file,
            str(r.bindings_checked),
            str(r.commands_checked),
            str(r.examples),
            "compile error" if r.error else str(len(r.failures)),
            str(sum(1 for o in r.outcomes if o.status == "not-checked")),
            seconds(r.seconds),
        )
        for r in reports
    ]
    totals = (
        f"{len(reports)} mapping(s)",
        str(sum(r.bindings_checked for r in reports)),
        str(sum(r.commands_checked for r in reports)),
        str(sum(r.examples for r in reports)),
        str(sum(len(r.failures) for r in reports) + sum(1 for r in reports if r.error)),
        str(sum(1 for r in reports for o in r.outcomes if o.status == "not-checked")),
        seconds(total),
    )
    failed = sum(1 for r in reports if not r.ok)
    verdict = (
        output.paint(f"{failed} of {len(reports)} mapping(s) failed", "red")
        if failed
        else output.paint(f"all {len(reports)} mapping(s) passed", "green")
    )
    return table(COLUMNS, rows, totals=totals) + "\n" + verdict
