"""pytest plugin: `pytest --matter-map mappings/` checks every mapping's laws as test items, with no test code.

Each mapping file becomes a collector with one item per law per binding or command, named like
`LevelControl.CurrentLevel[put-get]`. Without `--matter-map` the plugin adds nothing and imports nothing heavy.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from matter_map.testing.laws import Law
    from matter_map.testing.runner import Outcome

OPTION = "matter_map"


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("matter-map", "round-trip laws of matter_map mapping files")
    group.addoption(
        "--matter-map",
        action="append",
        default=[],
        dest=OPTION,
        metavar="PATH",
        help="check the laws of the mapping files in PATH (a file or folder; may be repeated)",
    )
    group.addoption(
        "--matter-map-profile",
        choices=("default", "thorough"),
        default="default",
        help="hypothesis profile for the laws (default: fast and deterministic; thorough: many more examples)",
    )


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(session: pytest.Session, config: pytest.Config, items: list[pytest.Item]) -> None:
    """Append the law items of every mapping file named by `--matter-map` (before -k and -m deselect)."""
    paths = config.getoption(OPTION)
    if not paths:
        return
    from matter_map.loader import mapping_files

    here = config.invocation_params.dir
    for file in mapping_files(paths):
        path = Path(file).resolve()
        nodeid = path.relative_to(here).as_posix() if path.is_relative_to(here) else path.as_posix()
        collector = MappingFile.from_parent(session, path=path, nodeid=nodeid)
        items.extend(session.genitems(collector))  # reports the collection, so counts and -k see the items


class LawFailedError(Exception):
    """A law does not hold: carries the outcome with the shrunk counterexample."""

    def __init__(self, outcome: Outcome) -> None:
        super().__init__(outcome.message)
        self.outcome = outcome


class MappingCompileError(Exception):
    """The mapping file does not compile: the diagnostics are the message."""


class MappingFile(pytest.File):
    """One mapping file: its laws as items, or one item that reports why it does not compile."""

    def collect(self) -> list[pytest.Item]:
        from matter_map.diagnostics import MappingError
        from matter_map.loader import load_mapping

        profile = str(self.config.getoption("matter_map_profile"))
        try:
            loaded = load_mapping(self.path)
        except MappingError as exc:
            return [CompileItem.from_parent(self, name="[compile]", message=exc.render())]
        from matter_map.testing.runner import item_name, laws_of

        several = len(loaded.compiled.endpoints) > 1
        items: list[pytest.Item] = []
        for law in laws_of(loaded.compiled):
            item = LawItem.from_parent(self, name=item_name(law, several), law=law, profile=profile)
            if law.not_checked:  # known before running (an explicit request): skipped at the mapping's line
                item.add_marker(pytest.mark.skip(reason=law.not_checked))
            items.append(item)
        return items


class CompileItem(pytest.Item):
    """Fails with the mapping's diagnostics (static range proofs included)."""

    def __init__(self, *, message: str, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.message = message

    def runtest(self) -> None:
        raise MappingCompileError(self.message)

    def repr_failure(self, excinfo: pytest.ExceptionInfo[BaseException], style: Any = None) -> str:
        return self.message

    def reportinfo(self) -> tuple[Path, int, str]:
        return self.path, 0, f"{self.path.name}: compile"


class LawItem(pytest.Item):
    """One law for one binding or command of a mapping, run under hypothesis."""

    def __init__(self, *, law: Law, profile: str, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.law = law
        self.profile = profile

    def runtest(self) -> None:
        from matter_map.testing.runner import FAILED, NOT_CHECKED, run_law

        outcome = run_law(self.law, self.profile)
        self.user_properties.append(("examples", outcome.examples))
        if outcome.status == NOT_CHECKED:
            pytest.skip(outcome.message)
        if outcome.status == FAILED:
            raise LawFailedError(outcome)

    def repr_failure(self, excinfo: pytest.ExceptionInfo[BaseException], style: Any = None) -> str:
        if isinstance(excinfo.value, LawFailedError):
            return excinfo.value.outcome.render()
        return str(super().repr_failure(excinfo))

    def reportinfo(self) -> tuple[Path, int, str]:
        line = getattr(self.law.source, "line", 1)
        return self.path, max(0, line - 1), self.name
