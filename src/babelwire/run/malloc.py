"""Fewer C heaps for a long-running process.

glibc gives each thread that allocates at the same time as another a heap ("arena") of its own,
up to eight per core, and memory freed in one is not reused by the others. babelwire's runner
and workers run engine calls, route alternatives and the stages in threads, so a long run's
resident memory kept creeping up by fragments of many arenas (``bench/rss.py``: one process
on growing feeds, docs/performance.md). Two arenas are what ``MALLOC_ARENA_MAX=2`` would give;
it is set here because a user starting ``babelwire run`` should not have to know the variable.
An explicit ``MALLOC_ARENA_MAX`` in the environment wins; other C libraries are left alone.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import sys

M_ARENA_MAX = -8            # glibc's malloc.h
ARENAS = 2


def limit_arenas(arenas: int = ARENAS) -> bool:
    """Cap glibc's malloc arenas for this process; True if it was done."""
    if not sys.platform.startswith("linux") or "MALLOC_ARENA_MAX" in os.environ:
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
    return bool(mallopt(M_ARENA_MAX, arenas))
