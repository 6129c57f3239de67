"""`matter-map coverage PATH...`: what each mapping covers of the Matter device types it claims.

A table per device kind (on stderr beside JSON), the full report (every element considered) as JSON; the exit
status is 1 when a mandatory element is missing or a bound element is not allowed.
"""

from __future__ import annotations

import argparse
from collections import defaultdict
from typing import TYPE_CHECKING, Any

from matter_map.cli._io import mapping_files_of
from matter_map.cli._output import output_of

if TYPE_CHECKING:
    from matter_map.coverage import CoverageReport

COLUMNS = ("required", "optional", "mapped", "missing", "n/a", "unavailable")


def register(sub: Any) -> None:
    p = sub.add_parser("coverage", help="device-type conformance of mapping files or folders")
    p.add_argument("paths", nargs="+", metavar="PATH", help="mapping files or folders")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from matter_map.catalog import load_catalog
    from matter_map.coverage import check_mapping
    from matter_map.diagnostics import MappingError
    from matter_map.loader import load_mapping

    output = output_of(args)
    files = mapping_files_of(args.paths)
    catalog = load_catalog()
    reports: list[dict[str, Any]] = []
    tables: list[str] = []
    failed = False
    for number, file in enumerate(files, start=1):
        output.progress(number, len(files), str(file))
        try:
            compiled = load_mapping(file, catalog).compiled
        except MappingError as exc:
            failed = True
            output.problem(exc.render())
            reports.append({"file": str(file), "ok": False, "errors": [d.as_json() for d in exc.diagnostics]})
            continue
        report = check_mapping(compiled, catalog)
        failed = failed or not report.ok
        tables.append(render_table(report))
        if output.json:  # the tables stay readable beside the JSON (stderr; not under --quiet unless failing)
            (output.note if report.ok else output.problem)(tables[-1])
        reports.append(report.as_json())
    output.result({"ok": not failed, "mappings": reports}, lambda: "\n\n".join(tables))
    return 1 if failed else 0


def cluster_counts(report: CoverageReport) -> dict[str, dict[str, int]]:
    """Per cluster: required / optional / mapped / missing / n/a / unavailable attributes and commands."""
    from matter_map.coverage import Status

    counts: dict[str, dict[str, int]] = defaultdict(lambda: dict.fromkeys(COLUMNS, 0))
    for row in report.rows:
        if row.kind == "cluster" and row.status is Status.EXEMPT:
            counts[row.cluster]["n/a"] += 1
            continue
        if row.kind not in ("attribute", "command"):
            continue
        entry = counts[row.cluster]
        mandatory = row.status in (Status.MISSING, Status.UNAVAILABLE) or (
            row.status is Status.MAPPED and row.note.startswith("mandatory")
        )
        entry["required"] += mandatory
        entry["optional"] += row.status is Status.OPTIONAL
        entry["mapped"] += row.status is Status.MAPPED
        entry["missing"] += row.status is Status.MISSING
        entry["n/a"] += row.status is Status.EXEMPT
        entry["unavailable"] += row.status is Status.UNAVAILABLE
    return dict(counts)


def render_table(report: CoverageReport) -> str:
    from matter_map.coverage import Status

    device_types = sorted({r.device_type for r in report.rows if r.device_type != "(extra)"})
    lines = [f"{report.mapping} ({report.source_file}): {', '.join(device_types) or 'no device type'}"]
    counts = cluster_counts(report)
    width = max([len("cluster"), *(len(c) for c in counts)]) + 2
    lines.append("  " + "cluster".ljust(width) + "".join(c.rjust(12) for c in COLUMNS))
    total = dict.fromkeys(COLUMNS, 0)
    for cluster, entry in counts.items():
        lines.append("  " + cluster.ljust(width) + "".join(str(entry[c]).rjust(12) for c in COLUMNS))
        for column in COLUMNS:
            total[column] += entry[column]
    lines.append("  " + "total".ljust(width) + "".join(str(total[c]).rjust(12) for c in COLUMNS))
    for label, status in (("missing", Status.MISSING), ("unavailable", Status.UNAVAILABLE)):
        names = [f"{r.cluster}.{r.name}" for r in report.rows if r.status is status and r.kind != "cluster"]
        if names:
            lines.append(f"  {label}: {', '.join(names)}")
    optional = [f"{r.cluster}.{r.name}" for r in report.rows if r.status is Status.OPTIONAL and r.kind != "event"]
    if optional:
        lines.append(f"  optional, not mapped: {', '.join(optional)}")
    lines.extend(f"  error: {p}" for p in report.problems)
    lines.extend(f"  warning: {w}" for w in report.warnings)
    lines.append(f"  {'ok' if report.ok else 'FAILED'}")
    return "\n".join(lines)
