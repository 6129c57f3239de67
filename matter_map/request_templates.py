"""Request templates read once: the fields (`$Field`, `{$Field}`) and vendor paths (`$state:<path>`) they name."""

from __future__ import annotations

import re
from typing import Any

#: a whole-string reference to a command field (or `$value`, `$device_id`)
FIELD_REFERENCE = re.compile(r"^\$([A-Za-z][A-Za-z0-9]*)$")
#: a field interpolated into a string (`"hue:{$Hue}"`, a URL's `/scenes/{$SceneId}`)
INTERPOLATION = re.compile(r"\{\$([A-Za-z][A-Za-z0-9]*)\}")
STATE_PREFIX = "$state:"


def _strings(template: Any) -> list[str]:
    """Every string of a JSON template, in document order."""
    if isinstance(template, str):
        return [template]
    if isinstance(template, dict):
        return [s for v in template.values() for s in _strings(v)]
    if isinstance(template, list):
        return [s for v in template for s in _strings(v)]
    return []


def interpolated_fields(template: Any) -> set[str]:
    """Names written as `{$Name}` inside template strings (not whole-string `$Name` references)."""
    return {name for text in _strings(template) for name in INTERPOLATION.findall(text)}


def url_fields(url: str) -> set[str]:
    """Names interpolated into a URL template."""
    return set(INTERPOLATION.findall(url))


def referenced_fields(template: Any) -> set[str]:
    """Every name a body template takes: whole-string `$Name` references and `{$Name}` interpolations."""
    names: set[str] = set()
    for text in _strings(template):
        whole = FIELD_REFERENCE.match(text)
        names |= {whole.group(1)} if whole else set(INTERPOLATION.findall(text))
    return names


def state_references(template: Any) -> list[str]:
    """The `<path>` of every `$state:<path>` string, in document order."""
    return [text[len(STATE_PREFIX) :] for text in _strings(template) if text.startswith(STATE_PREFIX)]
