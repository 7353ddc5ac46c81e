"""The layout of the test suite: no module imports a test module, fixtures reach tests through
pytest (tests/conftest.py), and what tests share that is not a fixture lives in tests/helpers/."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

TESTS = Path(__file__).parent
ROOT = TESTS.parent
HELPERS = TESTS / "helpers"


def modules() -> list[Path]:
    """Every Python module of the suite (the data folder holds none)."""
    return sorted(p for p in TESTS.rglob("*.py") if TESTS / "data" not in p.parents)


def module_name(path: Path) -> str:
    """The dotted name of a module under the repository root."""
    return ".".join(path.relative_to(ROOT).with_suffix("").parts)


def imported(tree: ast.AST, package: str) -> Iterator[tuple[int, str]]:
    """(line, dotted name) of every module or name an import statement names, anywhere in the
    module (inside functions too), relative imports resolved against ``package``."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parent = package.split(".")[:len(package.split(".")) - node.level + 1]
                base = ".".join([*parent, *([node.module] if node.module else [])])
            yield node.lineno, base
            for alias in node.names:  # ``from tests import test_x`` names a module too
                yield node.lineno, f"{base}.{alias.name}"


def is_test_module(name: str) -> bool:
    """True if ``name`` is a test module of this suite (a tests/**/test_*.py file)."""
    path = ROOT.joinpath(*name.split(".")).with_suffix(".py")
    return name.startswith("tests.") and path.name.startswith("test_") and path.is_file()


def imports_of_test_modules(source: str, name: str, *,
                            package: bool = False) -> list[tuple[int, str]]:
    """(line, module) of every test module that the module ``name`` of text ``source`` imports
    (itself aside)."""
    where = name if package else name.rpartition(".")[0]
    return sorted({(line, target) for line, target in imported(ast.parse(source), where)
                   if is_test_module(target) and target != name})


def test_no_module_imports_a_test_module() -> None:
    found = [f"{path.relative_to(ROOT)}:{line} imports the test module {target}"
             for path in modules()
             for line, target in imports_of_test_modules(path.read_text(encoding="utf-8"),
                                                         module_name(path),
                                                         package=path.name == "__init__.py")]
    assert not found, ("a test module is imported; move what it shares to tests/helpers/ "
                       "(plain functions) or tests/conftest.py (fixtures):\n" + "\n".join(found))


def test_no_module_imports_conftest() -> None:
    found = []
    for path in modules():
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        found += [f"{path.relative_to(ROOT)}:{line}" for line, target in imported(
            tree, module_name(path).rpartition(".")[0]) if target == "tests.conftest"]
    assert not found, ("tests.conftest is imported; fixtures reach tests through pytest, and "
                       "plain helpers belong in tests/helpers/:\n" + "\n".join(found))


def test_helpers_hold_no_fixtures() -> None:
    found = []
    for path in sorted(HELPERS.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.FunctionDef) and any(
                    "fixture" in ast.unparse(d) for d in node.decorator_list):
                found.append(f"{path.relative_to(ROOT)}:{node.lineno} {node.name}")
    assert not found, "fixtures belong in tests/conftest.py:\n" + "\n".join(found)


@pytest.mark.parametrize(("source", "caught"), [
    ("from tests.test_layout import modules", True),
    ("import tests.test_layout", True),
    ("import tests.test_layout as layout", True),
    ("from tests import test_layout", True),
    ("from .test_layout import modules", True),
    ("from . import test_layout", True),
    ("def f():\n    from tests.test_layout import modules", True),
    ("from tests.helpers.site import sign_in", False),
    ("from tests.services import db_store", False),
    ("from tests import helpers", False),
    ("from tests.test_no_such_module import x", False),
])
def test_the_check_catches_every_form_of_import(source: str, caught: bool) -> None:
    hits = imports_of_test_modules(source, "tests.test_example")
    assert bool(hits) == caught, hits
