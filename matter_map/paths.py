"""Vendor JSON paths: `a.b`, `a[0]`, `a["x.y"]`, `a[instance=powerSwitch]`; read, and write into partial objects."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Final


class _Missing:
    """The value at a path that does not exist (distinct from JSON null)."""

    _instance: _Missing | None = None

    def __new__(cls) -> _Missing:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "MISSING"

    def __bool__(self) -> bool:
        return False


MISSING: Final = _Missing()


@dataclass(frozen=True, slots=True)
class Select:
    """The first list element whose `key` equals `value`."""

    key: str
    value: str


Segment = str | int | Select


class PathError(ValueError):
    """A path string that does not parse."""


_TOKEN = re.compile(
    r"""
    (?P<key>[A-Za-z0-9_$@\-]+)
  | \[(?P<index>-?[0-9]+)\]
  | \["(?P<quoted>(?:[^"\\]|\\.)*)"\]
  | \[(?P<sel_key>[A-Za-z0-9_\-]+)=(?P<sel_value>[^\]]*)\]
  | (?P<dot>\.)
    """,
    re.VERBOSE,
)


@dataclass(frozen=True, slots=True)
class VendorPath:
    """A parsed path into vendor JSON."""

    text: str
    segments: tuple[Segment, ...]

    @classmethod
    def parse(cls, text: str) -> VendorPath:
        if not text:
            raise PathError("a path must not be empty")
        segments: list[Segment] = []
        pos = 0
        expect_segment = True
        while pos < len(text):
            match = _TOKEN.match(text, pos)
            if match is None:
                raise PathError(f"unexpected character {text[pos]!r} at offset {pos} in path {text!r}")
            pos = match.end()
            if match.group("dot"):
                if expect_segment:
                    raise PathError(f"empty segment in path {text!r}")
                expect_segment = True
                continue
            if match.group("key") is not None:
                if not expect_segment:
                    raise PathError(f"missing '.' before {match.group('key')!r} in path {text!r}")
                segments.append(match.group("key"))
            elif match.group("index") is not None:
                segments.append(int(match.group("index")))
            elif match.group("quoted") is not None:
                segments.append(re.sub(r"\\(.)", r"\1", match.group("quoted")))
            else:
                segments.append(Select(match.group("sel_key"), match.group("sel_value")))
            expect_segment = False
        if expect_segment:
            raise PathError(f"path {text!r} ends with '.'")
        return cls(text, tuple(segments))

    @property
    def writable(self) -> bool:
        """Whether a partial object can be built from this path (keys only)."""
        return all(isinstance(s, str) for s in self.segments)

    def get(self, document: Any) -> Any:
        """The value at this path, or MISSING."""
        current = document
        for segment in self.segments:
            if isinstance(segment, str):
                if not isinstance(current, dict) or segment not in current:
                    return MISSING
                current = current[segment]
            elif isinstance(segment, int):
                if not isinstance(current, list) or not -len(current) <= segment < len(current):
                    return MISSING
                current = current[segment]
            else:
                if not isinstance(current, list):
                    return MISSING
                for item in current:
                    if isinstance(item, dict) and str(item.get(segment.key)) == segment.value:
                        current = item
                        break
                else:
                    return MISSING
        return current

    def set(self, document: dict[str, Any], value: Any) -> None:
        """Write `value` at this path into a partial object, creating objects on the way."""
        current = document
        keys = self.segments
        for segment in keys[:-1]:
            assert isinstance(segment, str), "only key paths are writable"
            child = current.get(segment)
            if not isinstance(child, dict):
                child = {}
                current[segment] = child
            current = child
        last = keys[-1]
        assert isinstance(last, str), "only key paths are writable"
        current[last] = value

    def __str__(self) -> str:
        return self.text
