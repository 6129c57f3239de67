"""Shared helpers of the subcommands: JSON in, compiling a mapping file or vendor folder, choosing a translator.

Only the standard library is imported at the top; the front end (models, catalog) loads when a mapping does.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from matter_map.ir import CompiledMapping
    from matter_map.translator import Translator

MAX_JSON_INPUT = 16 << 20
MAPPING_SUFFIXES = (".yaml", ".yml")


class InputProblemError(Exception):
    """A user input that cannot be used: printed as one line, exit 1."""


def emit(payload: Any) -> None:
    sys.stdout.write(json.dumps(payload, indent=2, ensure_ascii=False, allow_nan=False) + "\n")


def read_json(path: str, *, role: str = "JSON file") -> Any:
    file = Path(path)
    if file.is_dir():
        raise InputProblemError(f"{path}: is a folder; expected the {role}")
    try:
        if file.stat().st_size > MAX_JSON_INPUT:
            raise InputProblemError(f"{path}: larger than {MAX_JSON_INPUT} bytes")
        text = file.read_text(encoding="utf-8")
    except OSError as exc:
        raise InputProblemError(f"{path}: cannot read ({exc.strerror})") from None
    except UnicodeDecodeError:
        raise InputProblemError(f"{path}: not UTF-8") from None
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        hint = ""
        if file.suffix in MAPPING_SUFFIXES or text.lstrip().startswith(("matter_map:", "# yaml-language-server")):
            hint = f" ({path} looks like a mapping; expected the {role}: are the arguments swapped?)"
        raise InputProblemError(f"{path}:{exc.lineno}:{exc.colno}: invalid JSON: {exc.msg}{hint}") from None
    except RecursionError:
        raise InputProblemError(f"{path}: JSON nested too deeply to read") from None
    except ValueError:  # an integer of more digits than Python converts (JSONDecodeError is caught above)
        raise InputProblemError(f"{path}: invalid JSON: a number too long to convert") from None


def check_mapping_argument(mapping: str, other: str, role: str) -> None:
    """Arguments given the wrong way round (`to-matter STATE.json MAPPING.yaml`) named before anything is read."""
    first, second = Path(mapping), Path(other)
    if first.suffix == ".json" and (second.suffix in MAPPING_SUFFIXES or second.is_dir()):
        raise InputProblemError(
            f"the arguments look swapped: the mapping (a .yaml file or a vendor folder) comes first, then the {role}"
        )
    if first.is_file() and first.suffix not in MAPPING_SUFFIXES:
        raise InputProblemError(f"{mapping}: expected a mapping file (.yaml) or a vendor folder of mappings")


def mapping_files_of(paths: list[str], *, or_profile: bool = False) -> list[Path]:
    """The mapping files of the given files and folders; none at all is a user error (unless `or_profile` and a
    folder holds a vendor profile)."""
    from matter_map.loader import mapping_files
    from matter_map.profiles import profile_file

    missing = [p for p in paths if not Path(p).exists()]
    if missing:
        raise InputProblemError(f"{missing[0]}: no such file or folder")
    files = list(mapping_files(paths))
    if not files and not (or_profile and any(profile_file(p) is not None for p in paths)):
        raise InputProblemError("no mapping files (*.yaml) found in " + ", ".join(paths))
    return files


def compile_all(
    target: str, progress: Callable[[int, int, str], None] | None = None, *, cached: bool = False
) -> list[CompiledMapping]:
    """Every mapping of a file or folder; all diagnostics of all files are raised together. With `cached`, the
    compiled mappings come from the user's cache when their inputs are unchanged (_cache.py)."""
    from matter_map.cli._cache import compiled_mapping
    from matter_map.diagnostics import MappingError
    from matter_map.mapping_paths import mapping_files

    compile_one = compiled_mapping if cached else _compile_uncached
    files = list(mapping_files([target]))
    if not files:
        raise InputProblemError(f"{target}: no mapping files (*.yaml) found")
    compiled = []
    errors: list[MappingError] = []
    for number, file in enumerate(files, start=1):
        if progress is not None:
            progress(number, len(files), str(file))
        try:
            compiled.append(compile_one(file))
        except MappingError as exc:
            errors.append(exc)
    if errors:
        raise MappingError([d for e in errors for d in e.diagnostics])
    return compiled


def _compile_uncached(file: Path) -> CompiledMapping:
    from matter_map.loader import load_mapping

    return load_mapping(file).compiled


def translator_for(target: str, state: Any, *, validate_input: bool = False) -> Translator:
    """The translator of a mapping file, or of the one mapping in a folder that recognises `state`;
    with `validate_input`, vendor payloads are checked against the mapping's derived schema first."""
    from matter_map.payload_check import ensure_valid_connector_event
    from matter_map.selection import folder_profile, select_for_device
    from matter_map.translator import Translator

    mappings = compile_all(target, cached=True)
    if len(mappings) > 1 and state is None:
        raise InputProblemError(f"{target} holds several mappings: pass --state so one can be chosen, or name a file")
    chosen = select_for_device(mappings, folder_profile(target), state).compiled if state is not None else mappings[0]
    if validate_input:
        from matter_map.vendor_validation import ValidatingTranslator

        return ValidatingTranslator(chosen, check=ensure_valid_connector_event)
    return Translator(chosen, check=ensure_valid_connector_event)
