"""Fewer C heaps for a long-running process.

glibc gives each thread that allocates at the same time as another a heap ("arena") of its own,
up to eight per core, and memory freed in one is not reused by the others. babelwire's runner
and workers run engine calls, route alternatives and the stages in threads, so a long run's
resident memory kept creeping up by fragments of many arenas (``bench/rss.py``: one process
on growing feeds, docs/performance.md). Two arenas are what ``MALLOC_ARENA_MAX=2`` would give;
it is set here because a user starting ``babelwire run`` should not have to know the variable.
An explicit ``MALLOC_ARENA_MAX`` in the environment wins; other C libraries are left alone.

glibc also serves a block of 128 KiB or more from its own ``mmap``, given back whole when freed,
but it raises that threshold to the size of each such block freed (up to 32 MiB), so after the
first large page parse, lxml's buffers and every later large block land inside the heaps, where
what is freed between them stays resident. ``fix_mmap_threshold`` fixes it at 256 KiB, which
also turns the raising off (as ``MALLOC_MMAP_THRESHOLD_`` would; an explicit one wins):
``bench/rss.py`` measured the runner at 239 MiB instead of 274 after ten minutes.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import sys

M_ARENA_MAX = -8            # glibc's malloc.h
M_MMAP_THRESHOLD = -3
ARENAS = 2
MMAP_THRESHOLD = 256 * 1024


def limit_arenas(arenas: int = ARENAS) -> bool:
    """Cap glibc's malloc arenas for this process; True if it was done."""
    return _mallopt("MALLOC_ARENA_MAX", M_ARENA_MAX, arenas)


def fix_mmap_threshold(threshold: int = MMAP_THRESHOLD) -> bool:
    """Serve blocks of ``threshold`` bytes or more with their own mapping, always; True if it
    was done."""
    return _mallopt("MALLOC_MMAP_THRESHOLD_", M_MMAP_THRESHOLD, threshold)


def _mallopt(variable: str, param: int, value: int) -> bool:
    """glibc's ``mallopt(param, value)`` unless ``variable`` is in the environment."""
    if not sys.platform.startswith("linux") or variable in os.environ:
        return False
    name = ctypes.util.find_library("c")
    if name is None:
        return False
    try:
        libc = ctypes.CDLL(name)
        mallopt = libc.mallopt
    except (OSError, AttributeError):       # not glibc (musl has no mallopt)
        return False
    mallopt.argtypes = [ctypes.c_int, ctypes.c_int]
    mallopt.restype = ctypes.c_int
    return bool(mallopt(param, value))
