"""The files a compilation reads besides the mapping (vendor schemas), recorded for a cache to check later."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from pathlib import Path

__all__ = ["digest_of", "note_read", "recording"]

_RECORDS: ContextVar[dict[str, str | None] | None] = ContextVar("matter_map_file_reads", default=None)


@contextmanager
def recording() -> Iterator[dict[str, str | None]]:
    """Collect, while the block runs, every file noted: its resolved path and content hash (None: not read)."""
    records: dict[str, str | None] = {}
    token = _RECORDS.set(records)
    try:
        yield records
    finally:
        _RECORDS.reset(token)


def note_read(resolved: Path, data: bytes | None) -> None:
    """Note that `resolved` was read and held `data`, or could not be read as a regular file (None)."""
    records = _RECORDS.get()
    if records is not None:
        records[str(resolved)] = None if data is None else hashlib.sha256(data).hexdigest()


def digest_of(resolved: str) -> str | None:
    """What `note_read` would record for the file as it is now."""
    path = Path(resolved)
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest() if path.is_file() else None
    except OSError:
        return None
