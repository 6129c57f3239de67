"""`matter-map generate`: committed modules are current, output is deterministic, modules import only the stdlib."""

from __future__ import annotations

import ast
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from matter_map.cli import main
from matter_map.codegen import compile_for_codegen, generate, render_module
from matter_map.codegen.literals import Code, CodegenError, code, comment, finalize, identifier, literal
from matter_map.loader import mapping_files

from .codegen_support import module_violations
from .conftest import MAPPINGS, ROOT

CODEGEN = ROOT / "codegen"
FILES = sorted(mapping_files([MAPPINGS]))


def test_committed_modules_are_current(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(ROOT)
    assert main(["generate", "mappings/", "-o", "codegen", "--check"]) == 0, capsys.readouterr().err


def test_check_fails_after_a_one_character_edit(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    shutil.copytree(MAPPINGS, tmp_path / "mappings")
    shutil.copytree(CODEGEN, tmp_path / "codegen")
    monkeypatch.chdir(tmp_path)
    assert main(["generate", "mappings/", "-o", "codegen", "--check"]) == 0
    mapping = tmp_path / "mappings" / "philips_hue" / "on_off_light.yaml"
    text = mapping.read_text()
    assert "title: Hue" in text
    mapping.write_text(text.replace("title: Hue", "title: Hua", 1))
    capsys.readouterr()
    assert main(["generate", "mappings/", "-o", "codegen", "--check"]) == 1
    assert "codegen/philips_hue/on_off_light.py is stale" in capsys.readouterr().err
    assert main(["generate", "mappings/", "-o", "codegen"]) == 0
    assert main(["generate", "mappings/", "-o", "codegen", "--check"]) == 0


def test_output_is_deterministic_and_independent_of_the_working_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = generate(FILES, ROOT)
    monkeypatch.chdir(tmp_path)
    second = generate([f.resolve() for f in FILES], ROOT)
    assert first == second
    assert str(ROOT) not in "".join(first.values())


@pytest.mark.parametrize("file", FILES, ids=lambda f: f"{f.parent.name}/{f.stem}")
def test_generated_module_has_only_the_expected_statements(file: Path) -> None:
    source = render_module(compile_for_codegen(file, ROOT))
    assert module_violations(source) == []
    header = source.splitlines()[:6]
    assert any("Do not edit" in line for line in header)
    assert any(f"from mappings/{file.parent.name}/{file.name}" in line for line in header)


def test_generated_module_imports_nothing_but_the_standard_library() -> None:
    module = CODEGEN / "philips_hue" / "extended_color_light.py"
    script = (
        "import sys, importlib.util\n"
        "before = set(sys.modules)\n"
        f"spec = importlib.util.spec_from_file_location('generated', {str(module)!r})\n"
        "module = importlib.util.module_from_spec(spec)\n"
        "spec.loader.exec_module(module)\n"
        "print(sorted(set(sys.modules) - before))\n"
    )
    done = subprocess.run([sys.executable, "-I", "-S", "-c", script], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "['__future__', 'math']"  # not even re or json at import (cold start)


def test_templates_ship_inside_the_package() -> None:
    import matter_map

    templates = Path(matter_map.__file__).parent / "templates"
    assert {p.name for p in templates.glob("*.jinja")} >= {"module.py.jinja", "runtime.py.jinja"}


# --- the two helpers are the only way in ------------------------------------------------------------------


@pytest.mark.parametrize(
    "name", ["__import__", "os.system", "class", "match", "print", "x y", "a\nb", "é", "", "__x__", "1abc"]
)
def test_identifier_refuses_what_is_not_a_plain_name(name: str) -> None:
    with pytest.raises(CodegenError):
        identifier(name)


@pytest.mark.parametrize("value", [{1, 2}, (1, 2), float("nan"), float("inf"), b"x", object(), {1: "a"}])
def test_literal_refuses_what_is_not_json(value: object) -> None:
    with pytest.raises(CodegenError):
        literal(value)


@pytest.mark.parametrize(
    "value", ['"""', "'''", "\\", "a\nb", "\u2028\u2029", "{{ x }}", "{% y %}", "__import__('os').system('x')", "é\x00"]
)
def test_literals_read_back_as_the_same_value(value: str) -> None:
    for wrapped in (value, [value, {value: value}]):
        assert ast.literal_eval(literal(wrapped).text) == wrapped


def test_comments_stay_on_one_printable_line() -> None:
    text = comment("a\nb\u2028c\rd\x85e'''\"\"\"").text
    assert all(" " <= c <= "~" for c in text)


def test_templates_and_slots_accept_only_code() -> None:
    with pytest.raises(CodegenError):
        finalize("raw text")
    with pytest.raises(CodegenError):
        code("x = $v", v="raw")  # type: ignore[arg-type]
    with pytest.raises(CodegenError):
        Code("x")
    assert finalize(literal("ok")) == '"ok"'


def test_generator_code_builds_code_only_from_constant_templates() -> None:
    """Every `code(...)`, `join(...)` and Block line/display in the generator takes a constant template first
    (`str.join` on plain text is not a builder: its result reaches a module only through `literal`)."""
    functions, methods = {"code", "join"}, {"line", "display"}
    found = 0
    for path in sorted((ROOT / "matter_map" / "codegen").glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text())):
            if not isinstance(node, ast.Call):
                continue
            name = node.func.id if isinstance(node.func, ast.Name) else ""
            method = node.func.attr if isinstance(node.func, ast.Attribute) else ""
            if (name in functions or method in methods) and node.args:
                found += 1
                first = node.args[0]
                forwarded = path.name in ("layout.py", "literals.py") and isinstance(first, ast.Name)
                choices = [first.body, first.orelse] if isinstance(first, ast.IfExp) else [first]
                constant = all(isinstance(c, ast.Constant) and isinstance(c.value, str) for c in choices)
                assert forwarded or constant, f"{path.name}:{node.lineno}: {name}() with a computed template"
    assert found > 50
