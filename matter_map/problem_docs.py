"""docs/problems.md from the registry of problem codes: one table per layer (run as a module to print it)."""

from __future__ import annotations

import sys

from matter_map.problems import CATEGORIES, REGISTRY

_TITLES = {
    "mapping": "Mapping files (`validate`, `load_mapping`: `MappingError.diagnostics`)",
    "translation": "Translations (`to-matter`, `to-vendor`, generated modules: `TranslationError.problems`)",
    "payload": "AWS payload checks (`PayloadInvalid.problems`)",
    "connector": "The connector (`ConnectorError.problem`, command results' `errors.code`; a failed translation "
    "keeps its translation code)",
}

_HEAD = """# Problem codes

<!-- generated from matter_map/problems.py by `python -m matter_map.problem_docs`; do not edit -->

Every problem matter_map reports is one type, `matter_map.problems.Problem`: a **code** from the table below,
a **message**, a **location** as data (`kind`: `mapping`, `vendor`, `command`, `payload` or `request`; the
`path` in that document; for a mapping file also its `file`, `line` and `column`), the **rule** it broke
(`LevelControl.CurrentLevel`) with its **source** (the mapping's `file:line:col`), a **hint** and a
**severity**. `--format json` prints each as

```json
{"code": "out-of-range", "severity": "error", "message": "...", "file": null, "line": null, "column": null,
 "path": "state.brightness", "path_in": "vendor", "rule": "LevelControl.CurrentLevel",
 "source": "mappings/acme/plug.yaml:12:7", "hint": ""}
```

A code is declared once (the translation runtime declares the codes it raises itself, `matter_map/problems.py`
the others); making a problem with an undeclared code raises `UnknownProblemCodeError`. A code may arise in
several layers; it is listed under each.
"""


def markdown() -> str:
    """The page: the introduction, then per layer a table of code, meaning and what to do."""
    parts = [_HEAD]
    for layer in CATEGORIES:
        parts.append(f"\n## {_TITLES[layer]}\n\n| code | what it means | what to do |\n|---|---|---|\n")
        for code in sorted(c for c, info in REGISTRY.items() if layer in info.layers):
            info = REGISTRY[code]
            parts.append(f"| `{code}` | {_cell(info.summary)} | {_cell(info.action)} |\n")
    return "".join(parts)


def _cell(text: str) -> str:
    return text.replace("|", "\\|")


if __name__ == "__main__":
    sys.stdout.write(markdown())
