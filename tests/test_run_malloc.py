"""The cap on glibc's malloc arenas that `babelwire` commands set for themselves (run/malloc.py),
and an explicit MALLOC_ARENA_MAX winning over it."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from babelwire.run.malloc import fix_mmap_threshold, limit_arenas


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


# In a fresh process: free a 1 MiB block (glibc then raises its mmap threshold to 1 MiB), then
# allocate 300 KiB and read the chunk header's IS_MMAPPED bit (glibc x86-64/aarch64 layout).
_PROBE = """
import ctypes, ctypes.util, sys
from babelwire.run.malloc import fix_mmap_threshold
if sys.argv[1] == "fixed":
    assert fix_mmap_threshold()
libc = ctypes.CDLL(ctypes.util.find_library("c"))
libc.malloc.restype = ctypes.c_void_p
libc.malloc.argtypes = [ctypes.c_size_t]
libc.free.argtypes = [ctypes.c_void_p]
libc.free(libc.malloc(1 << 20))
block = libc.malloc(300 * 1024)
print("mmapped" if ctypes.c_size_t.from_address(block - 8).value & 2 else "heap")
"""


@pytest.mark.parametrize(("mode", "where"), [("fixed", "mmapped"), ("glibc", "heap")])
def test_large_blocks_keep_their_own_mapping_with_the_fixed_threshold(mode: str,
                                                                        where: str) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("MALLOC_")}
    out = subprocess.run([sys.executable, "-c", _PROBE, mode], capture_output=True, text=True,
                         env=env, timeout=60, check=True)
    assert out.stdout.strip() == where


def test_an_explicit_mmap_threshold_in_the_environment_wins(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("MALLOC_MMAP_THRESHOLD_", raising=False)
    assert fix_mmap_threshold() is True
    monkeypatch.setenv("MALLOC_MMAP_THRESHOLD_", "131072")
    assert fix_mmap_threshold() is False
