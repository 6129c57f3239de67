"""The public API of `matter_map`: a fixed `__all__`, every name importable, and `import matter_map` cheap."""

from __future__ import annotations

import subprocess
import sys

import pytest

import matter_map

from .conftest import HUE, SAMPLES, load_json

PUBLIC = {
    "__version__",
    "load_mapping",
    "compile_text",
    "mapping_files",
    "LoadResult",
    "CompiledMapping",
    "Translator",
    "Diagnostic",
    "MappingError",
    "TranslationError",
    "TranslationProblem",
    "PayloadInvalid",
    "Problem",
    "ensure_valid_connector_event",
    "draft_mapping",
    "load_catalog",
}


def test_all_is_the_public_api() -> None:
    assert set(matter_map.__all__) == PUBLIC  # a change here is a change of the public API: review it
    assert len(matter_map.__all__) == len(PUBLIC)
    assert set(matter_map._EXPORTS) == PUBLIC - {"__version__"}  # every listed name is resolvable lazily


@pytest.mark.parametrize("name", sorted(PUBLIC))
def test_every_public_name_resolves_and_is_listed_by_dir(name: str) -> None:
    assert getattr(matter_map, name) is not None
    assert name in dir(matter_map)


def test_public_names_are_the_defining_objects() -> None:
    from matter_map.diagnostics import MappingError
    from matter_map.translator import Translator

    assert matter_map.Translator is Translator
    assert matter_map.MappingError is MappingError
    assert issubclass(matter_map.TranslationError, ValueError)


def test_an_unknown_name_is_an_attribute_error() -> None:
    with pytest.raises(AttributeError, match="no attribute 'translate'"):
        matter_map.translate  # noqa: B018


def test_the_public_api_translates_a_state() -> None:
    compiled = matter_map.load_mapping(HUE / "extended_color_light.yaml").compiled
    events = matter_map.Translator(compiled).to_matter(load_json(SAMPLES / "extended_color_light.json"))
    assert events[0]["Operation"] == "DEVICE_EVENT"


def test_import_matter_map_loads_no_model_catalog_or_template_engine() -> None:
    probe = (
        "import sys, matter_map; "
        "heavy = [m for m in ('pydantic', 'jinja2', 'botocore', 'yaml', 'matter_map.catalog') if m in sys.modules]; "
        "print(','.join(heavy))"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == ""


def test_the_command_line_imports_only_what_the_command_needs() -> None:
    probe = (
        "import sys, contextlib, io; from matter_map.cli import main\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        "    try: main(['--help'])\n"
        "    except SystemExit: pass\n"
        "print(','.join(m for m in ('pydantic', 'jinja2', 'botocore', 'yaml', 'hypothesis') if m in sys.modules))"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == ""


@pytest.mark.parametrize("missing", ["httpx"])  # boto3 is imported only when events are sent
def test_the_connector_without_its_extra_says_which_extra_to_install(missing: str) -> None:
    probe = f"import sys; sys.modules[{missing!r}] = None; import matter_map.connector"
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=False)
    assert done.returncode == 1
    last = done.stderr.strip().splitlines()[-1]
    assert last == (
        f"ModuleNotFoundError: matter_map.connector needs the `connector` extra ({missing} is not installed): "
        "pip install 'matter-map[connector]'"
    )
