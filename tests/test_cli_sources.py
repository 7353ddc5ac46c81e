"""The command line's source management and its usage errors, run as a user would."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from babelwire.cli import cli


def run(*args: str) -> subprocess.CompletedProcess[str]:
    """Run the real ``babelwire`` entry point in a subprocess."""
    return subprocess.run([sys.executable, "-m", "babelwire", *args], capture_output=True,
                          text=True, timeout=120)


def test_sources_add_then_list(tmp_path: Path) -> None:
    runner = CliRunner()
    added = runner.invoke(cli, ["sources", "add", "https://www.lemonde.fr/rss/une.xml",
                                "--to", "en,es", "--name", "Le Monde"])
    assert added.exit_code == 0, added.output
    assert "Added source #1" in added.output and "en, es" in added.output
    again = runner.invoke(cli, ["sources", "add", "https://www.lemonde.fr/rss/une.xml",
                                "--to", "fr"])
    assert again.exit_code == 0 and "Updated source #1" in again.output
    listed = runner.invoke(cli, ["sources", "list"])
    assert "Le Monde" in listed.output and "→ fr" in listed.output


def test_sources_pause_resume_remove() -> None:
    runner = CliRunner()
    runner.invoke(cli, ["sources", "add", "https://news.example/feed.xml", "--to", "en"])
    assert "paused" in runner.invoke(cli, ["sources", "pause", "1"]).output
    assert "paused" in runner.invoke(cli, ["sources", "list"]).output
    assert "resumed" in runner.invoke(cli, ["sources", "resume", "1"]).output
    removed = runner.invoke(cli, ["sources", "remove", "1", "--yes"])
    assert removed.exit_code == 0
    assert "No sources yet" in runner.invoke(cli, ["sources", "list"]).output


@pytest.mark.parametrize("args, message", [
    (["sources", "add", "ftp://x.example/feed", "--to", "en"], "http:// or https://"),
    (["sources", "add", "https://x.example/feed", "--to", "english"], "not a language code"),
    (["sources", "add", "https://x.example/feed"], "Missing option '--to'"),
    (["translate", "page.html"], "Missing option '--to'"),
    (["extract", "a.html", "b.html", "--url", "https://x.example/"], "single input"),
    (["sources", "pause", "42"], "no source #42"),
    (["no-such-command"], "No such command"),
])
def test_bad_usage_exits_2_with_one_clear_line(args: list[str], message: str) -> None:
    result = run(*args)
    assert result.returncode == 2, result.stderr
    assert message in result.stderr
    assert "Traceback" not in result.stderr


def test_failure_exits_1_naming_the_input(tmp_path: Path) -> None:
    result = run("extract", str(tmp_path / "missing.html"))
    assert result.returncode == 1
    assert "missing.html" in result.stderr and "Traceback" not in result.stderr


def test_bad_settings_file_is_a_clear_error(tmp_path: Path) -> None:
    home = tmp_path / "h"
    home.mkdir()
    (home / "babelwire.toml").write_text("workers = 'x'\n")
    result = run("--home", str(home), "sources", "list")
    assert result.returncode == 1
    assert "babelwire.toml" in result.stderr and "workers" in result.stderr


def test_help_describes_every_command() -> None:
    result = run("--help")
    assert result.returncode == 0
    for command in ("extract", "translate", "sources", "run", "serve", "demo", "engines"):
        assert command in result.stdout
