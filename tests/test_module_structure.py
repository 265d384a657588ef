"""The package's shape: modules with one job stay small, no private name crosses a module
boundary, and no two modules import each other (directly or around a loop).

Read with ast from the source, so the check costs nothing and sees imports inside functions too.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "dagster_project"
MAX_LINES = 500
# The running-text statement rules; their split is the extraction redesign's own work.
LONGER_ALLOWED = {"dagster_project.extraction.statements"}
# Private names one module still takes from another, each with the change that removes it.
PRIVATE_CROSSINGS_ALLOWED = {
    # the statements split (extraction redesign) makes the month arithmetic public
    "dagster_project.extraction.statements uses times._first_of_month_back",
}


def _module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {_module_name(path): path for path in sorted(PACKAGE.rglob("*.py"))}


def _is_package(name: str) -> bool:
    return MODULES[name].name == "__init__.py"


def _resolve(importer: str, node: ast.ImportFrom) -> str:
    """The absolute module an ImportFrom names ('from ..warehouse import x' inside extraction)."""
    if node.level == 0:
        return node.module or ""
    base = importer.split(".")
    if not _is_package(importer):
        base = base[:-1]
    base = base[: len(base) - (node.level - 1)]
    return ".".join(base + ([node.module] if node.module else []))


def _imports(name: str) -> list[tuple[str, str | None, int]]:
    """(module imported, name taken from it or None, line) for every import in the module."""
    tree = ast.parse(MODULES[name].read_text(encoding="utf-8"))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(alias.name, None, node.lineno) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            module = _resolve(name, node)
            for alias in node.names:
                submodule = f"{module}.{alias.name}"
                # 'from . import org_units' imports a module, not a name
                found.append(
                    (submodule, None, node.lineno) if submodule in MODULES else (module, alias.name, node.lineno)
                )
    return [(module, taken, line) for module, taken, line in found if module.split(".")[0] == "dagster_project"]


def _private(name: str | None) -> bool:
    return bool(name) and name.startswith("_") and not name.startswith("__")


def test_no_module_is_longer_than_its_limit():
    long = {
        name: lines
        for name, path in MODULES.items()
        if (lines := len(path.read_text(encoding="utf-8").splitlines())) > MAX_LINES and name not in LONGER_ALLOWED
    }
    assert long == {}


def test_no_private_name_is_imported_from_another_module():
    crossings = []
    for name in MODULES:
        for module, taken, line in _imports(name):
            if module != name and _private(taken):
                crossings.append(f"{name} takes {taken} from {module} (line {line})")
        # module._name through an imported module
        tree = ast.parse(MODULES[name].read_text(encoding="utf-8"))
        aliases = {
            alias.asname or alias.name
            for node in ast.walk(tree)
            if isinstance(node, ast.ImportFrom)
            for alias in node.names
            if f"{_resolve(name, node)}.{alias.name}" in MODULES
        }
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Attribute)
                and isinstance(node.value, ast.Name)
                and node.value.id in aliases
                and _private(node.attr)
            ):
                crossings.append(f"{name} uses {node.value.id}.{node.attr}")
    assert sorted(set(crossings) - PRIVATE_CROSSINGS_ALLOWED) == []


def _graph() -> dict[str, set[str]]:
    graph: dict[str, set[str]] = {name: set() for name in MODULES}
    for name in MODULES:
        for module, _, _ in _imports(name):
            # importing a.b.c runs a and a.b first; a package's __init__ importing its own
            # modules is how packages are built, not a loop
            target = module if module in MODULES else module.rsplit(".", 1)[0]
            if target in MODULES and target != name and not name.startswith(target + "."):
                graph[name].add(target)
    return graph


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in sorted(graph[node]):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def test_no_import_cycle():
    assert _cycles(_graph()) == []


def test_the_cycle_finder_finds_a_cycle():
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


@pytest.mark.parametrize("package", ["dagster_project.extraction"])
def test_extraction_never_imports_dagster(package):
    for name, path in MODULES.items():
        if name.startswith(package):
            tree = ast.parse(path.read_text(encoding="utf-8"))
            imported = {a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names}
            imported |= {n.module or "" for n in ast.walk(tree) if isinstance(n, ast.ImportFrom) and n.level == 0}
            assert not {m for m in imported if m.split(".")[0] in ("dagster", "dagster_dbt", "dagster_duckdb")}, name


def test_unit_names_do_not_depend_on_the_file_reader():
    assert not {
        m
        for m, _, _ in _imports("dagster_project.extraction.org_units")
        if m.startswith("dagster_project.extraction.documents") or m.startswith("dagster_project.warehouse")
    }


def _knobs() -> set[str]:
    """The environment variables settings.py reads (the names passed to its readers)."""
    import re

    text = (PACKAGE / "warehouse" / "settings.py").read_text(encoding="utf-8")
    return set(re.findall(r'(?:_path|env_number|env_flag|os\.environ\.get)\(\s*"([A-Z_]+)"', text))


def test_every_setting_is_in_the_readme_table_and_the_env_example():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    example = (ROOT / ".env.example").read_text(encoding="utf-8")
    knobs = _knobs()
    assert {"DUCKDB_PATH", "EXTRACT_WORKERS", "MAX_REPORT_BYTES", "ON_FAILURE_COMMAND"} <= knobs
    assert not {knob for knob in knobs if f"| `{knob}` |" not in readme}
    assert not {knob for knob in knobs if f"# {knob}=" not in example}


def _environment_reads(tree: ast.AST) -> set[str]:
    """Names read with os.environ[...], os.environ.get(...) or os.getenv(...)."""
    names = set()
    for node in ast.walk(tree):
        key = None
        if (
            isinstance(node, ast.Subscript)
            and isinstance(node.ctx, ast.Load)
            and ast.unparse(node.value) == "os.environ"
        ):
            key = node.slice
        elif isinstance(node, ast.Call) and ast.unparse(node.func) in ("os.environ.get", "os.getenv") and node.args:
            key = node.args[0]
        if isinstance(key, ast.Constant) and isinstance(key.value, str):
            names.add(key.value)
    return names


def test_settings_are_read_only_in_settings():
    """No module but settings.py reads a knob from the environment (dbt_cli and the code location
    write DUCKDB_PATH for dbt; that is no reading)."""
    knobs = _knobs()
    readers = {
        name: found
        for name, path in MODULES.items()
        if name != "dagster_project.warehouse.settings"
        and (found := _environment_reads(ast.parse(path.read_text(encoding="utf-8"))) & knobs)
    }
    assert readers == {}
    assert _environment_reads(ast.parse('import os\nos.environ.get("A")\nos.environ["B"]\nos.environ["C"] = "1"')) == {
        "A",
        "B",
    }
