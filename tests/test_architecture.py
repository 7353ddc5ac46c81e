"""The package boundaries docs/architecture.md describes, checked on the source itself.

The import graph is read with ``ast`` from every module under ``src/babelwire``: every import
counts, at module level, inside a function (a lazy import still ties the two modules) or under
``if TYPE_CHECKING:`` (a type still ties them).
"""

from __future__ import annotations

import ast
import importlib
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "src" / "babelwire"
PIPELINE = ("sources", "extract", "translate", "quality", "publish", "run", "cli", "demo",
            "stories")


def _modules() -> dict[str, Path]:
    found = {}
    for path in PACKAGE.rglob("*.py"):
        parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        found[".".join(parts)] = path
    return found


MODULES = _modules()


def _imports(module: str, path: Path) -> set[str]:
    """The babelwire modules ``module`` imports (``from pkg import mod`` counts as ``pkg.mod``)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = module.split(".") if path.name == "__init__.py" else module.split(".")[:-1]
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parent = package[:len(package) - node.level + 1]
                base = ".".join([*parent, *([base] if base else [])])
            for alias in node.names:
                full = f"{base}.{alias.name}"
                found.add(full if full in MODULES else base)
    return {name for name in found if name in MODULES and name != module}


GRAPH = {module: _imports(module, path) for module, path in MODULES.items()}


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan, iteratively)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    cycles: list[list[str]] = []
    for start in sorted(graph):
        if start in index:
            continue
        work = [(start, iter(sorted(graph[start])))]
        index[start] = low[start] = len(index)
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph[child]))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1:
                    cycles.append(sorted(component))
    return cycles


def test_the_cycle_finder_finds_a_cycle() -> None:
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert _cycles(graph) == [["a", "b", "c"]]
    assert _cycles({"a": {"b"}, "b": set()}) == []


def test_no_import_cycles() -> None:
    assert _cycles(GRAPH) == []


def _importers(prefix: str, forbidden: tuple[str, ...]) -> list[str]:
    return sorted(f"{module} imports {target}" for module, targets in GRAPH.items()
                  if module == prefix or module.startswith(prefix + ".")
                  for target in targets
                  if any(target == f"babelwire.{p}" or target.startswith(f"babelwire.{p}.")
                         for p in forbidden))


def test_the_store_imports_no_pipeline_package() -> None:
    assert _importers("babelwire.store", PIPELINE) == []


def test_stories_are_plain_functions_of_text() -> None:
    assert _importers("babelwire.stories", ("store", *PIPELINE[:-1])) == []


def test_translation_does_not_import_the_checks() -> None:
    assert _importers("babelwire.translate", ("quality", "run", "publish", "cli")) == []


def test_sql_is_only_spoken_by_the_store() -> None:
    speaking: list[str] = []
    for module, path in MODULES.items():
        if module.startswith("babelwire.store"):
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else \
                [node.module or ""] if isinstance(node, ast.ImportFrom) else []
            speaking.extend(f"{module} imports {n}" for n in names
                            if n.split(".")[0] in ("sqlalchemy", "alembic"))
    assert speaking == []
    assert "babelwire.store.tables" in MODULES         # the walk did see the store


DOC = ROOT / "docs" / "architecture.md"
_DOTTED = re.compile(r"`(babelwire(?:\.\w+)+)`")
_PATH = re.compile(r"`((?:tests|src|docs|bench|scripts)/[\w/.-]+)`")


def _resolves(dotted: str) -> bool:
    """Whether ``dotted`` is a module, a folder of the package (migrations), or a name defined
    in a module (``pkg.module.Class``)."""
    if (PACKAGE.parent / dotted.replace(".", "/")).is_dir():
        return True
    parts = dotted.split(".")
    for cut in range(len(parts), 0, -1):
        module = ".".join(parts[:cut])
        if module not in MODULES:
            continue
        obj: object = importlib.import_module(module)
        for name in parts[cut:]:
            if not hasattr(obj, name):
                return False
            obj = getattr(obj, name)
        return True
    return False


def test_architecture_doc_names_only_what_exists() -> None:
    text = DOC.read_text(encoding="utf-8")
    named = set(_DOTTED.findall(text))
    assert len(named) > 40                              # the doc does name the modules
    assert sorted(n for n in named if not _resolves(n)) == []
    paths = set(_PATH.findall(text))
    assert sorted(p for p in paths if not (ROOT / p).exists()) == []


@pytest.mark.parametrize("dotted", ["babelwire.nowhere", "babelwire.store.store.Nothing"])
def test_a_missing_name_does_not_resolve(dotted: str) -> None:
    assert not _resolves(dotted)
