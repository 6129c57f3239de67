"""`matter-map test PATH... [--profile default|thorough]`: the mappings' laws; a table on stderr, JSON on stdout."""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Sequence
from typing import Any

from matter_map.cli._io import InputProblemError, emit, mapping_files_of
from matter_map.profiles import profile_file

PROFILES = ("default", "thorough")
COLUMNS = ("mapping", "bindings", "commands", "examples", "failures", "not checked", "seconds")


def register(sub: Any) -> None:
    p = sub.add_parser(
        "test", help="check lens laws, command effects and range proofs of mapping files (needs hypothesis)"
    )
    p.add_argument("paths", nargs="+", help="mapping files or folders")
    p.add_argument("--profile", choices=PROFILES, default="default", help="default: fast, for CI; thorough: more")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    try:
        from matter_map.testing.runner import check_file, check_profile
    except ImportError as exc:  # hypothesis is an optional extra
        raise InputProblemError(
            f"matter-map test needs hypothesis ({exc.name} is missing): pip install 'matter-map[property]'"
        ) from None
    files = [f for f in mapping_files_of(args.paths) if profile_file(f) is None]  # a profile composes (below)
    started = time.perf_counter()
    reports = []
    profiles = [p for p in (profile_file(path) for path in args.paths) if p is not None]
    composed = (report for path in profiles for report in check_profile(path, args.profile))
    for report in [*(check_file(file, args.profile) for file in files), *composed]:
        reports.append(report)
        if report.error:
            sys.stderr.write(report.error + "\n")
        for failure in report.failures:
            sys.stderr.write(failure.render() + "\n")
    rows = [
        (
            r.mapping or r.file,
            str(r.bindings_checked),
            str(r.commands_checked),
            str(r.examples),
            "compile error" if r.error else str(len(r.failures)),
            str(sum(1 for o in r.outcomes if o.status == "not-checked")),
            f"{r.seconds:.1f}",
        )
        for r in reports
    ]
    total = time.perf_counter() - started
    failed = [r for r in reports if not r.ok]
    rows.append(
        (
            f"{len(reports)} mappings",
            str(sum(r.bindings_checked for r in reports)),
            str(sum(r.commands_checked for r in reports)),
            str(sum(r.examples for r in reports)),
            str(sum(len(r.failures) for r in reports) + sum(1 for r in reports if r.error)),
            str(sum(1 for r in reports for o in r.outcomes if o.status == "not-checked")),
            f"{total:.1f}",
        )
    )
    sys.stderr.write(table(rows) + "\n")
    emit(
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
        }
    )
    return 1 if failed else 0


def table(rows: Sequence[tuple[str, ...]]) -> str:
    """A plain text table: the header, a rule, the rows, a rule before the totals row."""
    widths = [max(len(r[i]) for r in [COLUMNS, *rows]) for i in range(len(COLUMNS))]

    def line(cells: tuple[str, ...]) -> str:
        return "  ".join(
            c.ljust(w) if i == 0 else c.rjust(w) for i, (c, w) in enumerate(zip(cells, widths, strict=True))
        )

    rule = "  ".join("-" * w for w in widths)
    return "\n".join([line(COLUMNS), rule, *(line(r) for r in rows[:-1]), rule, line(rows[-1])])
