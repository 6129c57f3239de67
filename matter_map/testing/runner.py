"""Run the laws of mapping files under hypothesis: one outcome per law per binding or command, and a summary."""

from __future__ import annotations

import json
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from hypothesis import given, note
from hypothesis.errors import FailedHealthCheck, HypothesisException, Unsatisfiable

from matter_map.diagnostics import Diagnostic, MappingError
from matter_map.ir import CompiledMapping
from matter_map.loader import load_mapping, mapping_files
from matter_map.testing.harness import Harness, LawViolation
from matter_map.testing.laws import Law, all_laws
from matter_map.testing.profiles import profile as profile_settings
from matter_map.testing.strategies import UnsatisfiableError

PASSED, FAILED, NOT_CHECKED = "passed", "failed", "not-checked"
MAX_SHOWN_STATE = 600


@dataclass
class Outcome:
    """The result of one law for one binding, command or mapping."""

    law: str
    rule: str
    endpoint: str
    source: str
    status: str
    subject: str = "binding"
    examples: int = 0
    seconds: float = 0.0
    message: str = ""
    counterexample: dict[str, Any] | None = None

    def render(self) -> str:
        """`file:line:col: law failed for Cluster.Attribute: message` and the shrunk counterexample."""
        text = f"{self.source}: {self.law} failed for {self.rule}: {self.message}"
        if self.counterexample:
            for key, value in self.counterexample.items():
                shown = json.dumps(value, ensure_ascii=False, default=repr, sort_keys=True)
                if len(shown) > MAX_SHOWN_STATE:
                    shown = shown[: MAX_SHOWN_STATE - 3] + "..."
                text += f"\n  {key}: {shown}"
        return text

    def as_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "law": self.law,
            "rule": self.rule,
            "endpoint": self.endpoint,
            "source": self.source,
            "status": self.status,
            "examples": self.examples,
        }
        if self.message:
            out["message"] = self.message
        if self.counterexample is not None:
            out["counterexample"] = json.loads(json.dumps(self.counterexample, default=repr))
        return out


@dataclass
class MappingReport:
    """Every outcome for one mapping file, or the reason it could not be compiled."""

    file: str
    mapping: str = ""
    outcomes: list[Outcome] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    error: str = ""
    seconds: float = 0.0
    diagnostics: list[Diagnostic] = field(default_factory=list)  # why it did not compile

    @property
    def failures(self) -> list[Outcome]:
        return [o for o in self.outcomes if o.status == FAILED]

    @property
    def ok(self) -> bool:
        return not self.error and not self.failures

    @property
    def examples(self) -> int:
        return sum(o.examples for o in self.outcomes)

    def _checked(self, subject: str) -> int:
        return len({(o.endpoint, o.rule) for o in self.outcomes if o.status != NOT_CHECKED and o.subject == subject})

    @property
    def bindings_checked(self) -> int:
        return self._checked("binding")

    @property
    def commands_checked(self) -> int:
        return self._checked("command")

    def as_json(self) -> dict[str, Any]:
        return {
            "file": self.file,
            "mapping": self.mapping,
            "ok": self.ok,
            "error": self.error or None,
            "bindings_checked": self.bindings_checked,
            "commands_checked": self.commands_checked,
            "examples": self.examples,
            "failures": len(self.failures),
            "not_checked": [f"{o.rule} [{o.law}]: {o.message}" for o in self.outcomes if o.status == NOT_CHECKED],
            "warnings": self.warnings,
            "seconds": round(self.seconds, 2),
            "outcomes": [o.as_json() for o in self.outcomes if o.status != PASSED],
        }


def item_name(law: Law, several_endpoints: bool) -> str:
    """A readable, stable id for one law item: `LevelControl.CurrentLevel[put-get]`."""
    prefix = f"ep{law.endpoint}." if several_endpoints and law.endpoint else ""
    return f"{prefix}{law.rule}[{law.name}]"


def run_law(law: Law, profile: str = "default") -> Outcome:
    """Check one law under hypothesis; a failure carries the shrunk counterexample and the mapping source."""
    source = str(law.source)
    outcome = Outcome(law.name, law.rule, law.endpoint, source, PASSED, law.subject)
    if law.not_checked or law.strategy is None or law.check is None:
        outcome.status, outcome.message = NOT_CHECKED, law.not_checked or "not checked"
        return outcome
    check = law.check
    examples = 0

    def body(shown: Shown) -> None:
        nonlocal examples
        examples += 1
        case = shown.value
        try:
            check(case)
        except LawViolation as exc:
            exc.add_note(f"{source}: {law.name} [{law.rule}]")
            note(f"{law.name} violated for {law.rule} ({source}): {exc.message}")
            exc.case = case  # type: ignore[attr-defined]
            raise
        except HypothesisException:
            raise  # reject() and hypothesis' own control flow
        except Exception as exc:
            crash = LawViolation(law.name, f"the checker crashed: {type(exc).__name__}: {exc}")
            crash.case = case  # type: ignore[attr-defined]
            raise crash from exc

    test = profile_settings(profile)(given(law.strategy.map(Shown))(body))
    started = time.perf_counter()
    try:
        test()
    except LawViolation as exc:
        outcome.status, outcome.message = FAILED, exc.message
        outcome.counterexample = {**_case_view(getattr(exc, "case", None)), **exc.details}
    except (Unsatisfiable, UnsatisfiableError) as exc:
        outcome.status = NOT_CHECKED
        outcome.message = f"not checked (no valid vendor state could be generated: {_first_line(exc)})"
    except FailedHealthCheck as exc:
        outcome.status, outcome.message = FAILED, f"hypothesis health check failed: {_first_line(exc)}"
    outcome.examples = examples
    outcome.seconds = time.perf_counter() - started
    return outcome


class Shown:
    """A generated case with a short repr (hypothesis prints the falsifying example; states can be large)."""

    __slots__ = ("value",)

    def __init__(self, value: Any) -> None:
        self.value = value

    def __repr__(self) -> str:
        view = _case_view(self.value) or self.value
        text = json.dumps(view, default=lambda v: type(v).__name__, ensure_ascii=False, sort_keys=True)
        return text if len(text) <= MAX_SHOWN_STATE else text[: MAX_SHOWN_STATE - 3] + "..."


def _case_view(case: Any) -> dict[str, Any]:
    if isinstance(case, dict):
        return {"vendor state": case}
    if isinstance(case, tuple) and case and isinstance(case[0], dict):
        view: dict[str, Any] = {"vendor state": case[0]}
        if len(case) > 1 and (case[1] is None or isinstance(case[1], dict | str | int | float | bool)):
            view["parameters" if isinstance(case[1], dict) else "Matter value"] = case[1]
        return view
    return {}


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


def laws_of(compiled: CompiledMapping) -> list[Law]:
    return all_laws(Harness(compiled))


def check_compiled(
    compiled: CompiledMapping,
    profile: str = "default",
    warnings: Iterable[str] = (),
    rules: Iterable[str] | None = None,
) -> MappingReport:
    """Every law of a compiled mapping, or only those of the named rules (`LevelControl.CurrentLevel`)."""
    started = time.perf_counter()
    report = MappingReport(compiled.source_file, compiled.identity, warnings=list(warnings))
    wanted = None if rules is None else set(rules)
    report.outcomes = [run_law(law, profile) for law in laws_of(compiled) if wanted is None or law.rule in wanted]
    report.seconds = time.perf_counter() - started
    return report


def check_file(path: str | Path, profile: str = "default", rules: Iterable[str] | None = None) -> MappingReport:
    """Compile one mapping file (static range proofs included) and check its laws (all, or those of `rules`)."""
    try:
        loaded = load_mapping(path)
    except MappingError as exc:
        report = MappingReport(str(path), error=exc.render())
        report.diagnostics = list(exc.diagnostics)
        return report
    return check_compiled(loaded.compiled, profile, [w.render() for w in loaded.warnings], rules)


def check_paths(paths: Iterable[str | Path], profile: str = "default") -> list[MappingReport]:
    return [check_file(file, profile) for file in mapping_files(paths)]


def check_profile(path: str | Path, profile: str = "default") -> list[MappingReport]:
    """The laws of every mapping a vendor profile composes for its own samples (`compose/samples/*.json`)."""
    from matter_map.composer import compose_for_device
    from matter_map.errors import TranslationError
    from matter_map.profiles import load_profile
    from matter_map.testing.subjects import load_samples

    try:
        loaded = load_profile(path)
    except MappingError as exc:
        report = MappingReport(str(path), error=exc.render())
        report.diagnostics = list(exc.diagnostics)
        return [report]
    reports: dict[str, MappingReport] = {}
    for sample in load_samples(str(path)):
        try:
            compiled = compose_for_device(loaded, sample).compiled
        except TranslationError as exc:
            reports[str(len(reports))] = MappingReport(str(path), loaded.identity, error=str(exc))
            continue
        if compiled.source_sha256 not in reports:
            reports[compiled.source_sha256] = check_compiled(compiled, profile)
    return list(reports.values())
