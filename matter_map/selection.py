"""Choose how a vendor folder translates a payload: the one whole-shape mapping that recognises it, else a mapping
composed for the device from the folder's profile (composer.py)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from matter_map.errors import TranslationError, TranslationProblem
from matter_map.input_limits import check_input
from matter_map.ir import CompiledMapping
from matter_map.rules import matches

if TYPE_CHECKING:  # the composer and profiles load the front end (pydantic): imported when a profile is used
    from matter_map.profiles import LoadedProfile


@dataclass(frozen=True, slots=True)
class Selection:
    """The mapping chosen for a payload; for a composed one, its parts and what of the device nothing binds."""

    compiled: CompiledMapping
    composed_from: tuple[str, ...] = ()
    unmapped: tuple[str, ...] = ()

    @property
    def composed(self) -> bool:
        return bool(self.composed_from)


def select_mapping(mappings: Sequence[CompiledMapping], state: Any) -> CompiledMapping:
    """Exactly one mapping must match; none or several is an error that names the candidates."""
    if len(mappings) == 1:
        return mappings[0]
    check_input(state, "the vendor state")  # match rules compare whole values: bound them first
    found = [m for m in mappings if matches(m.match, state)]
    if len(found) == 1:
        return found[0]
    raise TranslationError([_no_single_match(mappings, found)])


def select_for_device(mappings: Sequence[CompiledMapping], profile: LoadedProfile | None, state: Any) -> Selection:
    """The one whole-shape mapping whose match rule recognises `state`; otherwise (none or several) the mapping
    the profile composes from what the device declares. Without a profile, as `select_mapping`."""
    if profile is None:
        return Selection(select_mapping(mappings, state))
    found = [m for m in mappings if matches(m.match, state)]
    if len(found) == 1:
        return Selection(found[0])
    from matter_map.composer import compose_for_device

    try:
        composition = compose_for_device(profile, state)
    except TranslationError as exc:
        raise TranslationError([_no_single_match(mappings, found), *exc.problems]) from None
    return Selection(composition.compiled, composition.parts, composition.unmapped)


def folder_profile(target: str | Path) -> LoadedProfile | None:
    """The profile of a vendor folder (`<folder>/compose/profile.yaml`), loaded once per process; None without one."""
    path = Path(target)
    if not path.is_dir():
        return None
    from matter_map.profiles import load_profile, profile_file

    found = profile_file(path)
    if found is None:
        return None
    key = str(found.resolve())
    if key not in _PROFILES:
        _PROFILES[key] = load_profile(found)
    return _PROFILES[key]


_PROFILES: dict[str, LoadedProfile] = {}


def _no_single_match(mappings: Sequence[CompiledMapping], found: Sequence[CompiledMapping]) -> TranslationProblem:
    if not found:
        names = ", ".join(m.identity for m in mappings) or "none"
        return TranslationProblem("no-matching-mapping", f"no mapping recognises this payload (tried {names})")
    names = ", ".join(m.identity for m in found)
    return TranslationProblem(
        "ambiguous-mapping", f"several mappings recognise this payload ({names}): make their match rules exclusive"
    )
