"""One kept-alive Apertium process (or shell pipeline), talked to in NUL-terminated segments.

Every Apertium tool babelwire runs stays up between calls, because starting one costs more than
the work of a call: the translation pipelines (``engine``), the tagger between their two halves
(``tagger``), and the ``lt-proc`` analysers and bilingual dictionaries of name detection
(``translate.names.lexicon``) and of the word checks (``translate.dictionaries``). They all
speak the same way: segments go in, each ending with a NUL (``-z``), and each answer comes back
ending with a NUL. ``KeptProcess`` is that process: started, written to from a helper thread
(so that a large batch never blocks on a full pipe while the caller reads) or, when the payload
fits the pipe, at once, read with a deadline, and stopped with everything it started.
"""

from __future__ import annotations

import contextlib
import os
import select
import signal
import subprocess
import threading
import time
from collections.abc import Sequence

from babelwire.exceptions import EngineFailed, EngineUnavailable

CHUNK = 65536
# A payload up to this size is written without a helper thread: a kept process has read all it
# was given before answering it, so the pipe is empty and Linux's holds 64 KiB. Starting a thread
# per call cost more than most calls' work (the word checks ask an analyser ~60 times an article).
INLINE_WRITE = 16384


class ProcessStopped(EngineFailed):
    """The process ended (it died, or was killed) before giving every answer asked for."""


class KeptProcess:
    """A process kept alive between calls; ``group`` runs ``argv[0]`` as a shell pipeline in a
    process group of its own (every stage stops with it); ``stderr`` keeps its error output
    readable (``stderr_fd``) instead of discarding it."""

    def __init__(self, argv: Sequence[str], *, label: str = "", group: bool = False,
                 stderr: bool = False) -> None:
        self.label = label or os.path.basename(argv[0])
        command = ["bash", "-c", argv[0], "pipeline", "-g", ""] if group else list(argv)
        self.group = group
        try:
            self.proc = subprocess.Popen(
                command, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                stderr=subprocess.PIPE if stderr else subprocess.DEVNULL,
                start_new_session=group)
        except OSError as exc:
            raise EngineUnavailable(f"cannot start {command[0]}: {exc}",
                                    hint="apt-get install apertium") from exc
        assert self.proc.stdin is not None and self.proc.stdout is not None
        self.stdin, self.stdout = self.proc.stdin, self.proc.stdout
        self.stderr_fd = self.proc.stderr.fileno() if self.proc.stderr is not None else -1

    def alive(self) -> bool:
        """Whether the process is still running."""
        return self.proc.poll() is None

    def write_behind(self, payload: bytes, errors: list[BaseException]) -> threading.Thread:
        """Write ``payload`` from a helper thread (started and returned); a failure to write
        (the process died) goes to ``errors``, and the reader reports it."""
        def write() -> None:
            try:
                self.stdin.write(payload)
                self.stdin.flush()
            except (OSError, ValueError) as exc:
                errors.append(exc)

        thread = threading.Thread(target=write, daemon=True)
        thread.start()
        return thread

    def post(self, payload: bytes, errors: list[BaseException]) -> threading.Thread | None:
        """Write ``payload``: at once when it fits the pipe (None), else from a helper thread
        (returned); a failure to write goes to ``errors``, and the reader reports it."""
        if len(payload) > INLINE_WRITE:
            return self.write_behind(payload, errors)
        try:
            self.stdin.write(payload)
            self.stdin.flush()
        except (OSError, ValueError) as exc:
            errors.append(exc)
        return None

    def read_answers(self, count: int, deadline: float,
                     into: list[bytes] | None = None) -> list[bytes]:
        """The next ``count`` NUL-terminated answers (without their NUL); ``EngineFailed`` at
        the deadline (the process is then killed), ``ProcessStopped`` at the end of its output.
        Answers are appended to ``into`` (returned) as they come, so that a caller still has
        those read before a failure."""
        buffer, answers = b"", into if into is not None else list[bytes]()
        wanted = len(answers) + count
        while len(answers) < wanted:
            buffer += read_some(self.stdout.fileno(), deadline, self)
            *done, buffer = buffer.split(b"\0")
            answers.extend(done[:wanted - len(answers)])
        return answers

    def exchange(self, payload: bytes, count: int, timeout: float) -> list[bytes]:
        """Write ``payload`` and read ``count`` answers within ``timeout`` seconds."""
        errors: list[BaseException] = []
        writer = self.post(payload, errors)
        try:
            return self.read_answers(count, time.monotonic() + timeout)
        except EngineFailed as exc:
            if errors:
                raise EngineFailed(f"{exc} ({errors[0]})", subject=self.label) from exc
            raise
        finally:
            if writer is not None:
                writer.join(timeout)

    def ask(self, text: str, timeout: float) -> str:
        """Send ``text`` as one segment (a NUL inside it becomes a blank) and return the
        answer."""
        return self.exchange(segment(text), 1, timeout)[0].decode("utf-8", errors="replace")

    def end_input(self) -> None:
        """Close the process's input (it finishes what it has, then stops)."""
        with contextlib.suppress(OSError):
            self.stdin.close()

    def kill(self) -> None:
        """Stop the process (every process of its group); its pipes stay open until ``close``."""
        if self.proc.poll() is not None:
            return
        with contextlib.suppress(ProcessLookupError):
            if self.group:
                os.killpg(self.proc.pid, signal.SIGTERM)
            else:
                self.proc.kill()

    def close(self, timeout: float = 5.0) -> None:
        """Stop the process and close its pipes."""
        self.end_input()
        self.kill()
        try:
            self.proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                if self.group:
                    os.killpg(self.proc.pid, signal.SIGKILL)
                else:
                    self.proc.kill()
            self.proc.wait()
        for stream in (self.proc.stdout, self.proc.stderr):
            if stream is not None:
                with contextlib.suppress(OSError):
                    stream.close()


def segment(text: str) -> bytes:
    """``text`` as one NUL-terminated segment (a NUL inside it becomes a blank)."""
    return text.replace("\0", " ").encode("utf-8") + b"\0"


def read_some(fd: int, deadline: float, process: KeptProcess | None = None,
              label: str = "") -> bytes:
    """The next bytes on ``fd``; ``EngineFailed`` at the deadline (``process`` is then killed)
    or at the end of output."""
    label = label or (process.label if process else "apertium")
    ready, _, _ = select.select([fd], [], [], max(0.0, deadline - time.monotonic()))
    if not ready:
        if process is not None:
            process.kill()
        raise EngineFailed(f"{label} timed out", subject=label)
    chunk = os.read(fd, CHUNK)
    if not chunk:
        raise ProcessStopped(f"{label} stopped", subject=label)
    return chunk
