"""Vendor JSON paths: `a.b`, `a[0]`, `a["x.y"]`, `a[instance=powerSwitch]`; read, and write into partial objects."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from matter_map.runtime import MISSING, Select, get_path, set_path

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
        return get_path(document, self.segments)

    def set(self, document: dict[str, Any], value: Any) -> None:
        """Write `value` at this path into a partial object, creating objects on the way."""
        set_path(document, self.segments, value)

    def __str__(self) -> str:
        return self.text


__all__ = ["MISSING", "PathError", "Segment", "Select", "VendorPath"]
