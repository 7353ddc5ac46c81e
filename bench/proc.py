"""CPU time of processes, read in Linux's ``/proc``: one reading for every benchmark."""

from __future__ import annotations

import os
from pathlib import Path

TICK = os.sysconf("SC_CLK_TCK")


def stat_fields(pid: int) -> list[str] | None:
    """The fields of ``/proc/PID/stat`` after the command name (the state first), or None when
    the process is gone."""
    try:
        text = Path(f"/proc/{pid}/stat").read_bytes().decode()
    except OSError:
        return None
    return text[text.rindex(")") + 2:].split()


def cpu_ticks(fields: list[str], *, reaped: bool = True) -> int:
    """User and system ticks of a process (with its reaped children's, ``reaped``)."""
    return sum(int(x) for x in fields[11:15 if reaped else 13])


def descendants(root: int) -> set[int]:
    """``root`` and every process under it (a thread's children are listed under that thread
    only: the engines' processes are started by the runner's threads)."""
    found, todo = set(), [root]
    while todo:
        pid = todo.pop()
        found.add(pid)
        try:
            # a process that ends meanwhile takes its folder with it (ProcessLookupError)
            tasks = list(Path(f"/proc/{pid}/task").glob("*/children"))
        except OSError:
            continue
        for task in tasks:
            try:
                todo.extend(int(c) for c in task.read_text().split())
            except OSError:
                continue
    return found
