"""Compiled mappings cached per user for the translation commands, keyed by a hash of everything they derive from.

A key covers the mapping's text and file name, the package's code and data (the catalog), the installed
distributions next to the front end's libraries (pydantic, PyYAML) and the Python version, so any change makes
a new key and the old entry is never read. The other files compiling read (vendor schemas) are listed in the
entry with their content hashes; the entry is used only while every one of them is unchanged. An entry that
cannot be read, or holds something else, is ignored and rewritten; a cache that cannot be written is skipped.
The folder is the user's own (created 0700; one that another user can write is not used).
`MATTER_MAP_NO_CACHE=1` turns the cache off; `MATTER_MAP_CACHE_DIR` moves it.
"""

from __future__ import annotations

import hashlib
import importlib.util
import io
import os
import pickle
import stat
import sys
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from matter_map.ir import CompiledMapping
    from matter_map.runtime import Select

__all__ = ["cache_folder", "compiled_mapping"]

FORMAT = b"matter-map compiled mapping cache 1"
MAX_ENTRIES = 256
MAX_CACHED_BYTES = 256 << 10  # below the loader's bound: larger files are compiled (and refused) by the loader
_CODE_SUFFIXES = (".py", ".json", ".jinja")
_FRONT_END_LIBRARIES = ("pydantic", "pydantic_core", "yaml", "re2")
_PACKAGE = Path(__file__).resolve().parent.parent


def cache_folder() -> Path | None:
    """The cache folder, or None when the cache is turned off."""
    if os.environ.get("MATTER_MAP_NO_CACHE"):
        return None
    chosen = os.environ.get("MATTER_MAP_CACHE_DIR")
    if chosen:
        return Path(chosen)
    if os.name == "nt":
        base = os.environ.get("LOCALAPPDATA") or str(Path.home() / "AppData" / "Local")
    else:
        base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "matter-map" / "compiled"


def compiled_mapping(file: Path) -> CompiledMapping:
    """The mapping compiled as `load_mapping(file).compiled` would compile it (a MappingError alike), from the
    cache when an entry for exactly this input exists."""
    folder = _usable_folder()
    data = _cacheable_bytes(file) if folder is not None else None
    if folder is None or data is None:
        return _compile(file)
    try:
        text = io.TextIOWrapper(io.BytesIO(data), encoding="utf-8").read()  # as Path.read_text reads it
    except UnicodeDecodeError:
        return _compile(file)  # the loader words the diagnostic
    key = _key(file, text)
    entry = folder / f"{key}.pickle"
    cached = _read(entry, key)
    if cached is not None:
        return cached
    from matter_map.file_reads import recording
    from matter_map.loader import compile_text

    with recording() as reads:
        compiled = compile_text(text, str(file)).compiled
    _write(folder, entry, (FORMAT, key, reads, compiled))
    return compiled


def _compile(file: Path) -> CompiledMapping:
    from matter_map.loader import load_mapping

    return load_mapping(file).compiled


def _cacheable_bytes(file: Path) -> bytes | None:
    """The file's bytes when the cache may hold its compiled form: a regular file of at most MAX_CACHED_BYTES."""
    try:
        if not file.is_file() or file.stat().st_size > MAX_CACHED_BYTES:
            return None
        data = file.read_bytes()
    except OSError:
        return None
    if len(data) > MAX_CACHED_BYTES:
        return None
    return data


def _usable_folder() -> Path | None:
    """The cache folder, created when missing; None when it is off, cannot be made or is not the user's alone."""
    folder = cache_folder()
    if folder is None:
        return None
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        status = folder.stat()
    except OSError:
        return None
    if not stat.S_ISDIR(status.st_mode):
        return None
    if os.name != "nt" and (status.st_uid != os.getuid() or status.st_mode & (stat.S_IWGRP | stat.S_IWOTH)):
        return None
    return folder


def _key(file: Path, text: str) -> str:
    digest = hashlib.sha256(FORMAT)
    for part in (sys.version, str(file), str(file.resolve()), _environment(), text):
        encoded = part.encode("utf-8", "surrogatepass")
        digest.update(len(encoded).to_bytes(8, "big"))
        digest.update(encoded)
    digest.update(_code_fingerprint())
    return digest.hexdigest()


def _code_fingerprint() -> bytes:
    """A hash of the package's code and data files (names and contents)."""
    digest = hashlib.sha256()
    for path in sorted(p for p in _PACKAGE.rglob("*") if p.suffix in _CODE_SUFFIXES and "__pycache__" not in p.parts):
        try:
            content = path.read_bytes()
        except OSError:
            content = b"<unreadable>"
        name = path.relative_to(_PACKAGE).as_posix().encode("utf-8", "surrogatepass")
        digest.update(len(name).to_bytes(8, "big") + name + len(content).to_bytes(8, "big") + content)
    return digest.digest()


def _environment() -> str:
    """The distributions installed next to the front end's libraries (their names carry their versions)."""
    folders = set()
    for name in _FRONT_END_LIBRARIES:
        spec = importlib.util.find_spec(name)  # locates the package without importing it
        origin = spec.origin if spec is not None else None
        if origin:
            folders.add(Path(origin).resolve().parent.parent)
    found = []
    for folder in sorted(folders):
        try:
            found += [f"{folder}/{entry}" for entry in sorted(os.listdir(folder)) if entry.endswith("-info")]
        except OSError:
            found.append(f"{folder}/<unreadable>")
    return "\n".join(found)


def _read(entry: Path, key: str) -> CompiledMapping | None:
    try:
        data = entry.read_bytes()
    except OSError:
        return None
    try:
        header, stored_key, reads, compiled = pickle.loads(data)  # noqa: S301 -- a folder only the user can write
    except Exception:  # noqa: BLE001 -- a damaged or foreign entry of any kind is ignored and rewritten
        return None
    from matter_map.file_reads import digest_of
    from matter_map.ir import CompiledMapping

    if (
        header != FORMAT
        or stored_key != key
        or not isinstance(compiled, CompiledMapping)
        or not isinstance(reads, dict)
    ):
        return None
    if any(digest_of(path) != digest for path, digest in reads.items()):
        return None  # a vendor schema changed since: compile again
    return compiled


def _write(folder: Path, entry: Path, content: tuple[object, ...]) -> None:
    import copyreg
    import tempfile

    from matter_map.runtime import Select

    # A tuple subclass whose constructor takes its two items: pickled by them (tuple's own way passes one tuple).
    copyreg.pickle(Select, _reduce_select)
    try:
        data = pickle.dumps(content, protocol=pickle.HIGHEST_PROTOCOL)
    except Exception:  # noqa: BLE001 -- a mapping whose IR cannot be pickled is simply not cached
        return
    try:
        with tempfile.NamedTemporaryFile(dir=folder, prefix=".", suffix=".tmp", delete=False) as stream:
            stream.write(data)
        os.replace(stream.name, entry)
        _prune(folder)
    except OSError:
        return


def _reduce_select(select: Select) -> tuple[type[Select], tuple[str, str]]:
    return type(select), (select.key, select.value)


def _prune(folder: Path) -> None:
    """Keep the newest MAX_ENTRIES entries (stale keys are never read again)."""
    entries = sorted(folder.glob("*.pickle"), key=lambda path: path.stat().st_mtime_ns, reverse=True)
    for old in entries[MAX_ENTRIES:]:
        old.unlink(missing_ok=True)
