"""An Apertium that dies: real pipelines whose last stage kills the whole pipeline on every Nth
segment.

``dying_modes`` writes Apertium modes (the installed ones, same dictionaries and rules) with one
more stage at the end of the pipeline: this file, run as a filter. It passes the pipeline's
NUL-terminated answers through, and on the Nth one of its process (every Nth segment) it notes
the death in a log file and SIGKILLs its process group -- every stage of the pipeline it ends,
the way a crash or the OOM killer ends one -- instead of writing that answer. The engine sees
its pipeline stop mid-call, with the answers before the Nth read and the rest lost.

Run as a program it is that filter: ``dying_apertium.py -z EVERY DEATHS_LOG`` (``-z`` is what
``apertium-wblank-mode`` adds to every stage of a mode; it is ignored).
"""

from __future__ import annotations

import os
import shlex
import signal
import sys
from pathlib import Path

INSTALLED_MODES = Path("/usr/share/apertium/modes")


def dying_modes(folder: Path, every: int, modes: tuple[str, ...] = ("eng-spa",)) -> Path:
    """Write ``modes`` (installed mode names) into ``folder``, each dying on every ``every``th
    segment (never with 0: the same pipelines, for comparison); returns the log file where
    each death is noted (one line: pid, segment count)."""
    folder.mkdir(parents=True, exist_ok=True)
    deaths = folder / "deaths.log"
    deaths.touch()
    wrapper = folder / "dying-filter"
    wrapper.write_text(f"#!/bin/sh\nexec {shlex.quote(sys.executable)} "
                       f"{shlex.quote(str(Path(__file__).resolve()))} \"$@\"\n", encoding="utf-8")
    wrapper.chmod(0o755)
    for name in modes:
        pipeline = (INSTALLED_MODES / f"{name}.mode").read_text(encoding="utf-8").strip()
        if every:
            pipeline += f" | '{wrapper}' {every} '{deaths}'"
        (folder / f"{name}.mode").write_text(pipeline + "\n", encoding="utf-8")
    return deaths


def deaths_in(log: Path) -> int:
    """How many pipelines the filter killed so far."""
    return len(log.read_text(encoding="utf-8").splitlines())


def _filter(every: int, deaths: Path) -> None:
    # Only a pipeline in a session of its own (as babelwire starts them) is killed whole; run by
    # hand from a shell, the filter would otherwise kill the shell's job.
    whole = os.getsid(0) == os.getpgid(0)
    count, buffer = 0, b""
    while chunk := os.read(0, 65536):
        *answers, buffer = (buffer + chunk).split(b"\0")
        for answer in answers:
            count += 1
            if count % every == 0:
                with deaths.open("a", encoding="utf-8") as log:
                    log.write(f"{os.getpid()} {count}\n")
                if whole:
                    os.killpg(os.getpgid(0), signal.SIGKILL)
                os._exit(137)
            os.write(1, answer + b"\0")
    os.write(1, buffer)


if __name__ == "__main__":
    args = [a for a in sys.argv[1:] if a != "-z"]
    _filter(int(args[0]), Path(args[1]))
