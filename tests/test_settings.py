"""Settings merge defaults, file, environment and overrides in that order; all are documented."""

from __future__ import annotations

import ast
import dataclasses
from pathlib import Path

import pytest

import babelwire
from babelwire.exceptions import ConfigError
from babelwire.settings import Settings, describe, load


def test_defaults_put_the_store_in_the_data_directory(tmp_path: Path) -> None:
    settings = load(home=tmp_path, environ={})
    assert settings.db_url == f"sqlite:///{tmp_path / 'babelwire.db'}"
    assert settings.respect_robots and settings.engines == ("apertium",)


def test_home_comes_from_the_environment(tmp_path: Path) -> None:
    settings = load(environ={"BABELWIRE_HOME": str(tmp_path / "h")})
    assert settings.home == tmp_path / "h"


def test_file_then_environment_then_overrides(tmp_path: Path) -> None:
    (tmp_path / "babelwire.toml").write_text(
        'per_host_delay = 2.5\nworkers = 3\nengines = ["apertium", "libretranslate"]\n'
        '[apertium]\nmodes_dir = "/opt/modes"\n')
    settings = load({"workers": "5"}, home=tmp_path,
                    environ={"BABELWIRE_PER_HOST_DELAY": "4", "BABELWIRE_RESPECT_ROBOTS": "no"})
    assert settings.per_host_delay == 4.0
    assert settings.workers == 5
    assert settings.respect_robots is False
    assert settings.engines == ("apertium", "libretranslate")
    assert settings.apertium_modes_dir == "/opt/modes"


@pytest.mark.parametrize("content, message", [
    ("workers = 'many'\n", "workers"),
    ("no_such_setting = 1\n", "unknown setting"),
    ("workers = \n", "cannot read settings"),
])
def test_bad_settings_files_name_the_problem(tmp_path: Path, content: str, message: str) -> None:
    (tmp_path / "babelwire.toml").write_text(content)
    with pytest.raises(ConfigError, match=message):
        load(home=tmp_path, environ={})


def test_bad_environment_value_is_a_config_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="respect_robots"):
        load(home=tmp_path, environ={"BABELWIRE_RESPECT_ROBOTS": "maybe"})


def test_every_setting_has_help() -> None:
    names = [name for name, _, help_text in describe() if not help_text]
    assert names == []
    assert len(describe()) == len(Settings.__dataclass_fields__)


def _names_read(package: Path) -> set[str]:
    """Attribute names read (``x.name``) and string constants in the package's modules."""
    names: set[str] = set()
    for path in package.rglob("*.py"):
        if path == package / "settings.py":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
            if isinstance(node, ast.Attribute) and isinstance(node.ctx, ast.Load):
                names.add(node.attr)
            elif isinstance(node, ast.Constant) and isinstance(node.value, str):
                names.add(node.value)
    return names


def test_every_setting_is_read_somewhere() -> None:
    """A setting nothing reads is a promise the code does not keep: read it or remove it."""
    read = _names_read(Path(babelwire.__file__).parent)
    unread = [f.name for f in dataclasses.fields(Settings) if f.name not in read]
    assert not unread, f"settings never read outside settings.py: {', '.join(unread)}"
