"""matter_map: declarative, bidirectional translation between vendor cloud JSON and Matter.

The public API, imported on first use (so `import matter_map` stays cheap):

    from matter_map import load_mapping, Translator
    compiled = load_mapping("mappings/philips_hue/extended_color_light.yaml").compiled
    events = Translator(compiled).to_matter(state)
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

# public name → the module that defines it
_EXPORTS = {
    "load_mapping": "matter_map.loader",
    "compile_text": "matter_map.loader",
    "mapping_files": "matter_map.loader",
    "LoadResult": "matter_map.loader",
    "CompiledMapping": "matter_map.ir",
    "Translator": "matter_map.translator",
    "Diagnostic": "matter_map.diagnostics",
    "MappingError": "matter_map.diagnostics",
    "TranslationError": "matter_map.errors",
    "TranslationProblem": "matter_map.errors",
    "PayloadInvalid": "matter_map.payload_check",
    "Problem": "matter_map.problems",
    "ensure_valid_connector_event": "matter_map.payload_check",
    "draft_mapping": "matter_map.drafting",
    "load_catalog": "matter_map.catalog",
}

__all__ = [
    "CompiledMapping",
    "Diagnostic",
    "LoadResult",
    "MappingError",
    "PayloadInvalid",
    "Problem",
    "TranslationError",
    "TranslationProblem",
    "Translator",
    "__version__",
    "compile_text",
    "draft_mapping",
    "ensure_valid_connector_event",
    "load_catalog",
    "load_mapping",
    "mapping_files",
]

if TYPE_CHECKING:
    from matter_map.catalog import load_catalog
    from matter_map.diagnostics import Diagnostic, MappingError
    from matter_map.drafting import draft_mapping
    from matter_map.errors import TranslationError, TranslationProblem
    from matter_map.ir import CompiledMapping
    from matter_map.loader import LoadResult, compile_text, load_mapping, mapping_files
    from matter_map.payload_check import PayloadInvalid, ensure_valid_connector_event
    from matter_map.problems import Problem
    from matter_map.translator import Translator


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'matter_map' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *_EXPORTS})
