"""Load a vendor profile folder (`<vendor>/compose/profile.yaml` and its fragment files) through the strict loader."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from matter_map.diagnostics import Diagnostic, MappingError, Position
from matter_map.ir import CompiledMapping
from matter_map.loader import PROFILE_FOLDER, pydantic_diagnostics, read_text
from matter_map.profile_model import Fragment, Profile
from matter_map.yaml_loader import LoadedDocument, load_yaml

PROFILE_FILE = "profile.yaml"
#: composed mappings kept per profile, by device-shape signature
CACHE_SIZE = 512

_M = TypeVar("_M", bound=BaseModel)


@dataclass(frozen=True, slots=True)
class LoadedFragment:
    model: Fragment
    document: LoadedDocument


@dataclass(frozen=True, slots=True)
class LoadedProfile:
    model: Profile
    document: LoadedDocument
    fragments: tuple[LoadedFragment, ...]
    cache: dict[str, Any] = field(default_factory=dict, compare=False)

    @property
    def identity(self) -> str:
        return f"{self.model.vendor}/{self.model.profile}"

    def cached(self, signature: str) -> CompiledMapping | None:
        found = self.cache.get(signature)
        return found if isinstance(found, CompiledMapping) else None

    def remember(self, signature: str, compiled: CompiledMapping) -> None:
        if len(self.cache) >= CACHE_SIZE:
            self.cache.pop(next(iter(self.cache)))
        self.cache[signature] = compiled


def profile_file(target: str | Path) -> Path | None:
    """The profile of a vendor folder (`<folder>/compose/profile.yaml`), of a profile folder, or the file itself."""
    path = Path(target)
    for candidate in (path / PROFILE_FOLDER / PROFILE_FILE, path / PROFILE_FILE):
        if candidate.is_file():
            return candidate
    return path if path.name == PROFILE_FILE and path.is_file() else None


def load_profile(path: str | Path) -> LoadedProfile:
    """Load a profile and every fragment it lists, or raise MappingError with every problem found."""
    file = Path(path)
    document = load_yaml(read_text(file), str(file))
    profile = _parse(Profile, document)
    fragments: list[LoadedFragment] = []
    problems: list[Diagnostic] = []
    names: dict[str, str] = {}
    for index, name in enumerate(profile.fragments):
        fragment_path = file.parent / name
        where = document.value_position(("fragments", index)) or Position(str(file), 1, 1)
        if not fragment_path.is_file():
            problems.append(Diagnostic("missing-fragment", f"no fragment file {name!r}", where, f"fragments.{index}"))
            continue
        try:
            fragment_doc = load_yaml(read_text(fragment_path), str(fragment_path))
            fragment = _parse(Fragment, fragment_doc)
        except MappingError as exc:
            problems.extend(exc.diagnostics)
            continue
        if fragment.fragment in names:
            message = f"fragment {fragment.fragment!r} is also defined in {names[fragment.fragment]}"
            problems.append(Diagnostic("duplicate-fragment", message, fragment_doc.value_position(("fragment",))))
            continue
        names[fragment.fragment] = str(fragment_path)
        fragments.append(LoadedFragment(fragment, fragment_doc))
    if problems:
        raise MappingError(problems)
    return LoadedProfile(profile, document, tuple(fragments))


def _parse(model: type[_M], document: LoadedDocument) -> _M:
    if not isinstance(document.value, dict):
        where = Position(document.file, 1, 1)
        raise MappingError([Diagnostic("not-a-mapping", "the file must hold an object at the top level", where)])
    try:
        return model.model_validate(document.value)
    except ValidationError as exc:
        raise MappingError(pydantic_diagnostics(exc, document)) from None
