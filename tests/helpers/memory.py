"""Resident memory of babelwire processes, sampled from /proc, and how it went over a run
(``bench/soak.py``, ``bench/rss.py``)."""

from __future__ import annotations

import statistics
from pathlib import Path

from tests.services import ServiceProcess


def rss_kib(pid: int) -> int | None:
    """Resident memory of a process, KiB (None: it is gone)."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except OSError:
        return None
    return None


def cmdline(pid: int) -> str:
    """A process's command line, spaces between arguments."""
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(
            errors="replace")
    except OSError:
        return ""


def python_pids(proc: ServiceProcess) -> list[int]:
    """The babelwire (Python) processes of a service: main process, pool processes."""
    return sorted(pid for pid in proc.pids() if "babelwire" in cmdline(pid)
                  and "apertium" not in cmdline(pid))


def quarters(samples: list[tuple[float, int]]) -> tuple[float, float]:
    """The median of the second quarter of ``(time, KiB)`` samples (after warm-up) and of the
    last quarter: flat memory keeps the second about equal to the first."""
    quarter = len(samples) // 4
    return (statistics.median(kib for _, kib in samples[quarter:2 * quarter]),
            statistics.median(kib for _, kib in samples[-quarter:]))
