"""The cap on glibc's malloc arenas that `babelwire` commands set for themselves (run/malloc.py),
and an explicit MALLOC_ARENA_MAX winning over it."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from babelwire.run.malloc import limit_arenas


def test_the_cap_is_set_on_glibc_unless_the_environment_says_otherwise(
        monkeypatch: pytest.MonkeyPatch) -> None:
    # the project runs on Debian and Ubuntu (glibc): mallopt is there and accepts the cap
    assert os.confstr("CS_GNU_LIBC_VERSION")
    monkeypatch.delenv("MALLOC_ARENA_MAX", raising=False)
    assert limit_arenas() is True
    monkeypatch.setenv("MALLOC_ARENA_MAX", "8")
    assert limit_arenas() is False


def test_a_babelwire_command_runs_with_the_cap() -> None:
    env = {k: v for k, v in os.environ.items() if k != "MALLOC_ARENA_MAX"}
    code = ("import babelwire.run.malloc as m, sys; calls = []; real = m.limit_arenas\n"
            "m.limit_arenas = lambda *a: calls.append(real(*a)) or True\n"
            "import babelwire.cli as c; c.limit_arenas = m.limit_arenas\n"
            "sys.argv = ['babelwire', '--help']\n"
            "try:\n    c.main(['--help'])\nexcept SystemExit:\n    pass\n"
            "print('capped', calls)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env,
                         timeout=60)
    assert "capped [True]" in out.stdout, out.stderr
