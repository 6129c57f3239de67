"""The command line's compiled-mapping cache: a hit gives what compiling gives, any change of input is a miss,
damaged or foreign entries are ignored, and a hit loads no front end (YAML, pydantic, linker)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from matter_map.cli import _cache, main
from matter_map.diagnostics import MappingError
from matter_map.loader import load_mapping, mapping_files

from .conftest import HUE, MAPPINGS, SAMPLES

FILES = sorted(mapping_files([MAPPINGS]))


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv("MATTER_MAP_CACHE_DIR", str(folder))
    monkeypatch.delenv("MATTER_MAP_NO_CACHE", raising=False)
    return folder


def entries(folder: Path) -> list[Path]:
    return sorted(folder.glob("*.pickle")) if folder.is_dir() else []


def test_a_hit_equals_compiling_for_every_shipped_mapping(cache: Path) -> None:
    assert len(FILES) > 30
    for file in FILES:
        expected = load_mapping(file).compiled
        assert _cache.compiled_mapping(file) == expected  # a miss: compiled and stored
        assert _cache.compiled_mapping(file) == expected  # a hit
    assert len(entries(cache)) == len(FILES)


def hue_copy(tmp_path: Path) -> Path:
    """A copy of the Hue folder (with its vendor schema) to edit."""
    folder = tmp_path / "philips_hue"
    shutil.copytree(HUE, folder)
    return folder


def test_an_edited_mapping_is_compiled_again(cache: Path, tmp_path: Path) -> None:
    file = hue_copy(tmp_path) / "dimmable_light.yaml"
    first = _cache.compiled_mapping(file)
    file.write_text(file.read_text(encoding="utf-8").replace(first.title, "Renamed light", 1), encoding="utf-8")
    second = _cache.compiled_mapping(file)
    assert second.title == "Renamed light" != first.title
    assert second == load_mapping(file).compiled
    assert len(entries(cache)) == 2


def test_a_changed_vendor_schema_is_not_served_from_the_cache(cache: Path, tmp_path: Path) -> None:
    folder = hue_copy(tmp_path)
    file = folder / "extended_color_light.yaml"
    _cache.compiled_mapping(file)
    (schema,) = (folder / "vendor").glob("*.json")
    closed = {"type": "object", "additionalProperties": False, "properties": {}}
    schema.write_text(json.dumps({"$defs": {"light": closed, "light_put": closed}}), encoding="utf-8")
    with pytest.raises(MappingError) as from_cache:
        _cache.compiled_mapping(file)
    with pytest.raises(MappingError) as compiled:
        load_mapping(file)
    assert [str(d) for d in from_cache.value.diagnostics] == [str(d) for d in compiled.value.diagnostics]
    assert any("vendor" in d.code for d in compiled.value.diagnostics)  # the schema, now closed, refuses the paths


def test_a_mapping_error_is_raised_alike_and_not_stored(cache: Path, tmp_path: Path) -> None:
    file = tmp_path / "broken.yaml"
    file.write_text("matter_map: 1\nvendor: acme\nkind: plug\n", encoding="utf-8")
    with pytest.raises(MappingError) as from_cache:
        _cache.compiled_mapping(file)
    with pytest.raises(MappingError) as compiled:
        load_mapping(file)
    assert [str(d) for d in from_cache.value.diagnostics] == [str(d) for d in compiled.value.diagnostics]
    assert entries(cache) == []


@pytest.mark.parametrize("content", [b"", b"not a pickle", b"\x80\x05N."])
def test_a_damaged_entry_is_ignored_and_rewritten(cache: Path, content: bytes) -> None:
    file = HUE / "dimmable_light.yaml"
    _cache.compiled_mapping(file)
    (entry,) = entries(cache)
    entry.write_bytes(content)
    assert _cache.compiled_mapping(file) == load_mapping(file).compiled
    assert entry.read_bytes() != content


def test_an_entry_under_another_key_is_not_used(cache: Path) -> None:
    dimmable, on_off = HUE / "dimmable_light.yaml", HUE / "on_off_light.yaml"
    _cache.compiled_mapping(dimmable)
    (entry,) = entries(cache)
    stolen = entry.read_bytes()
    _cache.compiled_mapping(on_off)
    (other,) = (path for path in entries(cache) if path != entry)
    other.write_bytes(stolen)  # the dimmable light's entry filed under the on/off light's key
    assert _cache.compiled_mapping(on_off) == load_mapping(on_off).compiled


def test_the_key_covers_the_package_code(cache: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    package = tmp_path / "package"
    package.mkdir()
    (package / "linker.py").write_text("RULES = 1\n", encoding="utf-8")
    monkeypatch.setattr(_cache, "_PACKAGE", package)
    file = HUE / "dimmable_light.yaml"
    text = file.read_text(encoding="utf-8")
    before = _cache._key(file, text)
    (package / "linker.py").write_text("RULES = 2\n", encoding="utf-8")
    assert _cache._key(file, text) != before
    assert _cache._key(file, text + "\n") != _cache._key(file, text)
    assert _cache._key(HUE / "on_off_light.yaml", text) != _cache._key(file, text)


def test_turned_off_or_shared_the_cache_is_not_used(cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    file = HUE / "dimmable_light.yaml"
    monkeypatch.setenv("MATTER_MAP_NO_CACHE", "1")
    assert _cache.compiled_mapping(file) == load_mapping(file).compiled
    assert not cache.exists()
    monkeypatch.delenv("MATTER_MAP_NO_CACHE")
    if os.name == "nt":
        return
    cache.mkdir()
    cache.chmod(0o777)  # another user could plant an entry here
    assert _cache.compiled_mapping(file) == load_mapping(file).compiled
    assert entries(cache) == []


def test_large_files_are_left_to_the_loader(cache: Path, tmp_path: Path) -> None:
    file = tmp_path / "large.yaml"
    text = (HUE / "dimmable_light.yaml").read_text(encoding="utf-8")
    file.write_text(text + "#" * _cache.MAX_CACHED_BYTES + "\n", encoding="utf-8")
    assert _cache.compiled_mapping(file) == load_mapping(file).compiled
    assert entries(cache) == []


def test_the_cache_bound_is_within_the_loaders() -> None:
    from matter_map.yaml_loader import MAX_DOCUMENT_BYTES

    assert _cache.MAX_CACHED_BYTES <= MAX_DOCUMENT_BYTES


def test_to_matter_prints_the_same_with_and_without_the_cache(
    cache: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    args = ["to-matter", str(HUE / "extended_color_light.yaml"), str(SAMPLES / "extended_color_light.json")]
    outputs = []
    for no_cache in ("", "", "1"):  # a miss, a hit, the cache off
        monkeypatch.setenv("MATTER_MAP_NO_CACHE", no_cache)
        assert main([*args, "--format", "json"]) == 0
        outputs.append(json.loads(capsys.readouterr().out))
    assert outputs[0] == outputs[1] == outputs[2]
    assert outputs[0][0]["Operation"] == "DEVICE_EVENT"
    assert len(entries(cache)) == 1


def test_a_hit_loads_no_front_end(cache: Path) -> None:
    program = textwrap.dedent(
        f"""
        import json, sys
        from matter_map.cli import main
        args = ["to-matter", {str(HUE / "extended_color_light.yaml")!r}, {str(SAMPLES / "extended_color_light.json")!r}]
        main([*args, "--format", "json"])
        loaded = [m for m in ("matter_map.loader", "matter_map.linker", "matter_map.model", "pydantic", "yaml")
                  if m in sys.modules]
        print(json.dumps(loaded), file=sys.stderr)
        """
    )
    env = {**os.environ, "MATTER_MAP_CACHE_DIR": str(cache)}
    runs = [subprocess.run([sys.executable, "-c", program], capture_output=True, text=True, env=env, check=True)]
    runs.append(subprocess.run([sys.executable, "-c", program], capture_output=True, text=True, env=env, check=True))
    assert runs[0].stdout == runs[1].stdout
    assert json.loads(runs[0].stderr.splitlines()[-1]) != []  # the miss compiled the mapping
    assert json.loads(runs[1].stderr.splitlines()[-1]) == []  # the hit did not load the front end
