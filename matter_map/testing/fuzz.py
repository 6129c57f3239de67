"""The fuzzer: seeded hostile vendor states and commands for every mapping, run through the interpreter and
the generated module side by side; every output is checked and every finding counted.

`python -m matter_map.testing.fuzz --profile thorough` (or `python3 scripts/dev.py fuzz --profile thorough`)
prints one row per mapping: inputs run, uncaught exceptions (of the interpreter, the generated module and the
validating interpreter), interpreter/generated disagreements, invalid AWS payloads, vendor requests sent for
commands with an out-of-type field, URLs outside their template's prefix, and the time taken. The exit status
is 1 when anything was found.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
import types
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from matter_map.catalog import Catalog, load_catalog
from matter_map.codegen import compile_for_codegen, render_module
from matter_map.ir import CompiledMapping
from matter_map.loader import mapping_files
from matter_map.testing.fuzz_inputs import CommandCase, InputFactory, StateCase
from matter_map.testing.fuzz_oracles import (
    discovery_problems,
    out_of_type_fields,
    payload_problems,
    url_escape,
    url_templates,
)
from matter_map.translator import Translator
from matter_map.vendor_validation import ValidatingTranslator

#: inputs per mapping: (vendor states, commands); thorough makes ≥ 100k of each over the 42 shipped mappings
PROFILES = {"quick": (40, 40), "thorough": (2400, 2400)}
KEPT_FINDINGS = 3  # examples kept per mapping and kind of finding
COLUMNS = ("uncaught", "disagreements", "invalid payloads", "out-of-type requests", "URL escapes")
Outcome = tuple[Any, ...]


@dataclass
class Tally:
    """What one mapping's run found."""

    name: str
    states: int = 0
    commands: int = 0
    results: int = 0  # calls that produced output (each one checked), the rest were refused with a problem
    seconds: float = 0.0
    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(COLUMNS, 0))
    examples: list[str] = field(default_factory=list)

    def found(self, kind: str, detail: str) -> None:
        self.counts[kind] += 1
        if sum(1 for e in self.examples if e.startswith(kind)) < KEPT_FINDINGS:
            self.examples.append(f"{kind}: {self.name}: {detail}")


@dataclass(frozen=True, slots=True)
class Subject:
    """One mapping: its interpreter, its generated module, the validating interpreter (the connector's
    default, checked for uncaught exceptions only: it refuses more) and what the oracles need."""

    name: str
    compiled: CompiledMapping
    interpreter: Translator
    module: types.ModuleType
    templates: list[str]
    samples: list[Any]
    validating: Translator


def load_subject(file: Path, root: Path) -> Subject:
    compiled = compile_for_codegen(file, root)
    module = types.ModuleType(compiled.identity)
    exec(compile(render_module(compiled), f"<{compiled.identity}>", "exec"), module.__dict__)  # noqa: S102 - the module under test
    samples = [
        json.loads(p.read_text(encoding="utf-8"))
        for p in sorted((file.parent / "samples").glob("*.json"))
        if not p.name.startswith("command")
    ]
    recognised = [s for s in samples if Translator(compiled).recognises(s)]
    return Subject(
        compiled.identity,
        compiled,
        Translator(compiled),
        module,
        url_templates(compiled),
        recognised or samples,
        ValidatingTranslator(compiled),
    )


def outcome(run: Callable[[], Any]) -> Outcome:
    """What a call produced, comparable across the two implementations: JSON, problems, or the exception."""
    try:
        return ("ok", run())
    except Exception as exc:  # noqa: BLE001 - anything but the project's own error is a finding
        problems = getattr(exc, "problems", None)
        if type(exc).__name__ == "TranslationError" and problems is not None:
            return ("problems", tuple((p.code, p.message, p.vendor_path, p.rule, p.source) for p in problems))
        return ("raised", type(exc).__name__, str(exc)[:200])


def _same(a: Outcome, b: Outcome) -> bool:
    if a[0] != b[0]:
        return False
    if a[0] == "ok":
        return json.dumps(a[1], sort_keys=True) == json.dumps(b[1], sort_keys=True)
    return a == b


def _compare(tally: Tally, what: str, interpreted: Outcome, generated: Outcome) -> bool:
    """Count uncaught exceptions and disagreements; True when both produced the same result."""
    for side, result in (("interpreter", interpreted), ("generated", generated)):
        if result[0] == "raised":
            tally.found("uncaught", f"{what}: {side} raised {result[1]}: {result[2]}")
            return False
    if not _same(interpreted, generated):
        tally.found("disagreements", f"{what}: interpreter {_brief(interpreted)} ≠ generated {_brief(generated)}")
        return False
    return bool(interpreted[0] == "ok")


def _uncaught_only(tally: Tally, what: str, result: Outcome) -> None:
    if result[0] == "raised":
        tally.found("uncaught", f"{what}: validating interpreter raised {result[1]}: {result[2]}")


def _brief(result: Outcome) -> str:
    text = json.dumps(result[1], default=str) if result[0] == "ok" else repr(result[1:])
    return text if len(text) <= 300 else text[:297] + "..."


def run_state(subject: Subject, case: StateCase, tally: Tally) -> None:
    calls: list[tuple[str, Callable[[Any], Any]]] = [
        ("to_matter", lambda t: t.to_matter(case.state, device_id=case.device_id, partial=case.partial)),
        ("capability_report", lambda t: t.capability_report(case.state, device_id=case.device_id)),
        ("command_requests", lambda t: t.command_requests(case.state, trace_id="t", device_id=case.device_id)),
        ("recognises", lambda t: t.recognises(case.state)),
    ]
    for what, call in calls:
        if what != "command_requests":
            _uncaught_only(tally, what, outcome(lambda c=call: c(subject.validating)))  # type: ignore[misc]
        interpreted = outcome(lambda c=call: c(subject.interpreter))  # type: ignore[misc]
        generated = outcome(lambda c=call: c(subject.module))  # type: ignore[misc]
        if not _compare(tally, what, interpreted, generated) or what == "recognises":
            continue
        tally.results += 1
        problems = (
            discovery_problems(interpreted[1]) if what == "capability_report" else payload_problems(interpreted[1])
        )
        if problems:
            tally.found("invalid payloads", f"{what}: {problems[0]}")


def run_command(subject: Subject, case: CommandCase, catalog: Catalog, tally: Tally) -> None:
    def call(t: Any) -> Any:
        return t.to_vendor(case.command, state=case.state, device_id=case.device_id)

    _uncaught_only(tally, "to_vendor", outcome(lambda: call(subject.validating)))
    interpreted = outcome(lambda: call(subject.interpreter))
    generated = outcome(lambda: call(subject.module))
    if not _compare(tally, "to_vendor", interpreted, generated) or not interpreted[1]:
        return
    tally.results += 1
    wrong = out_of_type_fields(case.command, catalog)
    if wrong:
        tally.found("out-of-type requests", f"{len(interpreted[1])} request(s) sent for {wrong[0]}")
    for request in interpreted[1]:
        escape = url_escape(request["url"], subject.templates)
        if escape:
            tally.found("URL escapes", escape)


def fuzz_mapping(subject: Subject, states: int, commands: int, seed: int, catalog: Catalog) -> Tally:
    tally = Tally(subject.name)
    started = time.perf_counter()
    factory = InputFactory(subject.compiled, subject.samples, seed)
    for state_case in factory.states(states):
        run_state(subject, state_case, tally)
        tally.states += 1
    for command_case in factory.command_cases(commands):
        run_command(subject, command_case, catalog, tally)
        tally.commands += 1
    tally.seconds = time.perf_counter() - started
    return tally


def fuzz(
    files: Sequence[Path], root: Path, *, states: int, commands: int, seed: int, progress: bool = False
) -> list[Tally]:
    catalog = load_catalog()
    tallies = []
    for file in files:
        tally = fuzz_mapping(load_subject(file, root), states, commands, seed, catalog)
        tallies.append(tally)
        if progress:
            sys.stderr.write(f"  {tally.name}: {tally.seconds:.1f} s\n")
    return tallies


def table(tallies: list[Tally], seed: int, profile: str) -> str:
    """The findings as a text table: one row per mapping and a total."""
    header = ("mapping", "states", "commands", "results", *COLUMNS, "time (s)")
    total = Tally("total")
    for t in tallies:
        total.states += t.states
        total.commands += t.commands
        total.results += t.results
        total.seconds += t.seconds
        for key in COLUMNS:
            total.counts[key] += t.counts[key]
    rows = [_row(t) for t in [*tallies, total]]
    widths = [max(len(str(r[i])) for r in [header, *rows]) for i in range(len(header))]
    lines = [f"fuzz profile {profile}, seed {seed}: interpreter and generated module side by side"]
    lines.append(
        " | ".join(h.ljust(w) if i == 0 else h.rjust(w) for i, (h, w) in enumerate(zip(header, widths, strict=True)))
    )
    lines.append("-+-".join("-" * w for w in widths))
    for i, r in enumerate(rows):
        if i == len(rows) - 1:
            lines.append("-+-".join("-" * w for w in widths))
        lines.append(
            " | ".join(
                str(c).ljust(w) if j == 0 else str(c).rjust(w) for j, (c, w) in enumerate(zip(r, widths, strict=True))
            )
        )
    findings = [e for t in tallies for e in t.examples]
    if findings:
        lines += ["", "first findings:", *(f"  {e}" for e in findings[:60])]
    return "\n".join(lines)


def _row(t: Tally) -> tuple[Any, ...]:
    return (t.name, t.states, t.commands, t.results, *(t.counts[k] for k in COLUMNS), f"{t.seconds:.1f}")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m matter_map.testing.fuzz", description=__doc__.splitlines()[0])
    parser.add_argument("--profile", choices=sorted(PROFILES), default="quick")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--root", default=".", help="the repository root (mapping sources are named from it)")
    parser.add_argument("mappings", nargs="*", default=["mappings"], help="mapping files or folders")
    args = parser.parse_args(argv)
    root = Path(args.root).resolve()
    files = sorted(mapping_files([root / m for m in args.mappings]))
    states, commands = PROFILES[args.profile]
    tallies = fuzz(files, root, states=states, commands=commands, seed=args.seed, progress=True)
    sys.stdout.write(table(tallies, args.seed, args.profile) + "\n")
    return 1 if any(any(t.counts.values()) for t in tallies) else 0


if __name__ == "__main__":
    sys.exit(main())
