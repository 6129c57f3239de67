"""`matter-map generate`: committed modules are current, output is deterministic, modules import only the stdlib."""

from __future__ import annotations

import ast
import shutil
import subprocess
import sys
from pathlib import Path, PurePosixPath

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
    script = (
        "import sys\n"
        f"sys.path.insert(0, {str(ROOT)!r})\n"
        "before = set(sys.modules)\n"
        "import codegen.philips_hue.extended_color_light\n"
        "print(sorted(set(sys.modules) - before))\n"
    )
    done = subprocess.run([sys.executable, "-I", "-S", "-c", script], capture_output=True, text=True, check=True)
    # the output package, its runtime, and from the standard library only math (not even re or json: cold start)
    expected = [
        "__future__",
        "codegen",
        "codegen._runtime",
        "codegen.philips_hue",
        "codegen.philips_hue.extended_color_light",
        "math",
    ]
    assert done.stdout.strip() == str(expected)


def test_standalone_module_imports_nothing_but_the_standard_library(tmp_path: Path) -> None:
    module = tmp_path / "light.py"
    module.write_text(render_module(compile_for_codegen(MAPPINGS / "philips_hue" / "extended_color_light.yaml", ROOT)))
    script = (
        "import sys, importlib.util\n"
        "before = set(sys.modules)\n"
        f"spec = importlib.util.spec_from_file_location('generated', {str(module)!r})\n"
        "module = importlib.util.module_from_spec(spec)\n"
        "spec.loader.exec_module(module)\n"
        "print(sorted(set(sys.modules) - before))\n"
    )
    done = subprocess.run([sys.executable, "-I", "-S", "-c", script], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "['__future__', 'math']"


def test_the_runtime_is_written_once_and_is_the_package_runtime() -> None:
    import matter_map.runtime

    outputs = generate(FILES, ROOT)
    assert outputs[PurePosixPath("_runtime.py")] == Path(matter_map.runtime.__file__).read_text(encoding="utf-8")
    for path, text in outputs.items():
        if path.name not in ("__init__.py", "_runtime.py"):
            assert "from .._runtime import" in text, path
            assert "def check_value" not in text, path
            assert "class TranslationError" not in text, path


def test_no_function_is_defined_both_in_the_package_and_in_generated_code() -> None:
    """Generated modules define only what their mapping decides; the runtime is imported, never copied."""
    import matter_map.runtime

    runtime_defs = {
        n.name
        for n in ast.parse(Path(matter_map.runtime.__file__).read_text()).body
        if isinstance(n, ast.FunctionDef | ast.ClassDef)
    }
    for module in sorted(CODEGEN.rglob("*.py")):
        if module.name in ("__init__.py", "_runtime.py"):
            continue
        defined = {n.name for n in ast.parse(module.read_text()).body if isinstance(n, ast.FunctionDef | ast.ClassDef)}
        assert not defined & runtime_defs, (module, defined & runtime_defs)


def test_templates_ship_inside_the_package() -> None:
    import matter_map

    templates = Path(matter_map.__file__).parent / "templates"
    assert {p.name for p in templates.glob("*.jinja")} == {"module.py.jinja"}


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


GENERATED_SOURCES = [*FILES, ROOT / "examples" / "video_doorbell" / "video_doorbell.yaml"]


@pytest.mark.parametrize("file", GENERATED_SOURCES, ids=lambda f: f"{f.parent.name}/{f.stem}")
def test_generated_code_compiles_on_the_oldest_supported_python(file: Path) -> None:
    """Compiled by the running interpreter (the suite runs on 3.11, the oldest supported), and no f-string holds
    a quote of its own kind, which only Python 3.12 accepts."""
    for standalone in (False, True):
        source = render_module(compile_for_codegen(file, ROOT), standalone=standalone)
        compile(source, str(file), "exec")
        assert same_quote_fstrings(source) == []


def same_quote_fstrings(source: str) -> list[str]:
    """Each f-string whose replacement fields contain its own quote character."""
    import io
    import tokenize

    found = []
    for token in tokenize.generate_tokens(io.StringIO(source).readline):
        text = token.string
        if token.type != tokenize.STRING or not text.lower().startswith(("f", "rf", "fr")):
            continue
        body = text.lstrip("rfRF")
        quote = body[:3] if body[:3] in ('"""', "'''") else body[0]
        inner = body[len(quote) : -len(quote)]
        fields = inner.replace("{{", "").replace("}}", "")
        depth, inside = 0, []
        for char in fields:
            depth += char == "{"
            if depth:
                inside.append(char)
            depth -= char == "}"
        if quote[0] in "".join(inside):
            found.append(text)
    return found


def test_the_fstring_check_finds_a_nested_quote() -> None:
    assert same_quote_fstrings('x = f"""a {"b"} c"""\n') == ['f"""a {"b"} c"""']
    assert same_quote_fstrings("x = f'a {b!r}'\ny = f\"{'q'}\"\n") == []


@pytest.mark.parametrize("name", ["math", "json", "re", "typing"])
def test_module_names_never_shadow_the_standard_library(tmp_path: Path, name: str) -> None:
    mapping = tmp_path / f"{name}.yaml"
    text = (MAPPINGS / "philips_hue" / "on_off_light.yaml").read_text()
    kind_line = next(line for line in text.splitlines() if line.startswith("kind:"))
    mapping.write_text(text.replace(kind_line, f"kind: {name}", 1))
    with pytest.raises(CodegenError, match="shadow the standard library"):
        generate([mapping], tmp_path)


def test_check_covers_the_runtime_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    shutil.copytree(MAPPINGS, tmp_path / "mappings")
    shutil.copytree(CODEGEN, tmp_path / "codegen")
    monkeypatch.chdir(tmp_path)
    runtime = tmp_path / "codegen" / "_runtime.py"
    runtime.write_text(runtime.read_text().replace("MAX_CLUSTERS_PER_EVENT = 5", "MAX_CLUSTERS_PER_EVENT = 6"))
    capsys.readouterr()
    assert main(["generate", "mappings/", "-o", "codegen", "--check"]) == 1
    assert "codegen/_runtime.py is stale" in capsys.readouterr().err


def test_standalone_output_has_no_runtime_file_and_imports_nothing_relative(tmp_path: Path) -> None:
    outputs = generate(FILES[:3], ROOT, standalone=True)
    assert PurePosixPath("_runtime.py") not in outputs
    for path, text in outputs.items():
        if path.name != "__init__.py":
            assert "from .._runtime" not in text
            assert "def check_value(" in text  # the runtime, inlined once
            compile(text, str(path), "exec")


def test_the_generated_folder_stays_small() -> None:
    """Shapes shared by device kinds live in the runtime, called with constants, so `codegen/` (runtime
    included) stays under 20,000 lines for the shipped mappings."""
    lines = sum(len(f.read_text(encoding="utf-8").splitlines()) for f in CODEGEN.rglob("*.py"))
    assert lines < 20_000, lines
